/* ngam-sample-names.c — Vietnamese names for the demo town
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real names of Huế's streets, bridges, citadel gates, wards and hills, so
 * that the demo exercises full Unicode (Vietnamese stacks two diacritics on
 * one vowel: "Thượng", "Hưng") everywhere text goes: the project file,
 * shapefiles, reports.  The lists run out on big towns; names then repeat
 * (streets) or are numbered (bridges, wards), as in real new districts.
 */
#define G_LOG_DOMAIN "ngam-sample"

#include "config.h"

#include "ngam-sample-private.h"

static const char *const streets[] = {
  "Lê Lợi", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Huệ", "Hà Nội", "Bến Nghé",
  "Phan Bội Châu", "Điện Biên Phủ", "Bà Triệu", "Phạm Văn Đồng", "Nguyễn Sinh Cung",
  "Chi Lăng", "Huỳnh Thúc Kháng", "Kim Long", "Lê Duẩn", "Trần Phú", "Ngô Quyền",
  "Lê Quý Đôn", "Nguyễn Trường Tộ", "Phan Đình Phùng", "Tôn Đức Thắng", "Nguyễn Chí Thanh",
  "Nguyễn Du", "Võ Thị Sáu", "Chu Văn An", "Phạm Ngũ Lão", "Đội Cung", "Hai Bà Trưng",
  "Nguyễn Công Trứ", "Trường Chinh", "An Dương Vương", "Bùi Thị Xuân", "Trần Quang Khải",
  "Tố Hữu", "Hoàng Diệu", "Nguyễn Văn Cừ", "Lê Thánh Tôn", "Đống Đa", "Lý Thường Kiệt",
  "Nguyễn Khuyến", "Nguyễn Lộ Trạch", "Dương Văn An", "Hoàng Quốc Việt", "Nguyễn Tri Phương",
  "Ngự Bình", "Minh Mạng", "Lê Ngô Cát", "Ngô Gia Tự", "Xuân Thủy", "Hồ Đắc Di",
  "Tùng Thiện Vương", "Tôn Thất Tùng", "Phan Chu Trinh", "Bạch Đằng", "Chương Dương",
  "Huyền Trân Công Chúa", "Văn Cao", "Nguyễn Lương Bằng", "Lịch Đợi", "Trần Cao Vân",
  "Ưng Bình", "Nguyễn Phúc Nguyên", "Lê Văn Hưu", "Nguyễn Đình Chiểu", "Thánh Gióng",
  "Hàm Nghi", "Duy Tân", "Thành Thái", "Đặng Huy Trứ", "Phùng Khắc Khoan", "Mai Khắc Đôn",
  "Trần Nguyên Hãn", "Lý Nam Đế", "Nguyễn Hoàng", "Nguyễn Văn Linh", "Võ Nguyên Giáp",
  "Hoàng Lanh", "Đào Tấn", "Ngô Thì Nhậm", "Đoàn Hữu Trưng", "Cao Xuân Dục",
};

/* Inside the citadel, its own streets. */
static const char *const citadel_streets[] = {
  "Đinh Tiên Hoàng", "Lê Huân", "Đoàn Thị Điểm", "Mai Thúc Loan", "Nguyễn Trãi",
  "Tống Duy Tân", "Ông Ích Khiêm", "Thạch Hãn", "Đặng Dung", "Tôn Thất Thiệp",
  "Hàn Thuyên", "Lương Ngọc Quyến", "Xuân 68", "Phùng Hưng", "Đào Duy Anh",
  "Lê Thánh Tôn", "Đặng Trần Côn", "Nhật Lệ", "Ngô Đức Kế", "Tăng Bạt Hổ",
};

static const char *const bridges[] = {
  "Cầu Trường Tiền", "Cầu Phú Xuân", "Cầu Dã Viên", "Cầu Nguyễn Hoàng", "Cầu Bạch Hổ",
  "Cầu Kim Long", "Cầu Tuần", "Cầu Vỹ Dạ",
};

/* The ten gates of the Kinh Thành, in the order ngam-sample-town.c plans
 * them: three on the river face, two north, two west, three east. */
static const char *const gates[] = {
  "Cửa Nhà Đồ", "Cửa Ngăn", "Cửa Quảng Đức", "Cửa An Hòa", "Cửa Chánh Bắc",
  "Cửa Chánh Tây", "Cửa Hữu", "Cửa Kẻ Trài", "Cửa Đông Ba", "Cửa Thượng Tứ",
};

static const char *const wards_north[] = {
  "Phường Thuận Thành", "Phường Thuận Hòa", "Phường Thuận Lộc", "Phường Tây Lộc",
  "Phường Phú Hậu", "Phường Phú Hiệp", "Phường Phú Bình", "Phường Phú Cát",
  "Phường Phú Hòa", "Phường Phú Thuận", "Phường Kim Long", "Phường Hương Sơ",
  "Phường Hương Long", "Phường Hương Vinh", "Phường An Hòa", "Phường Hương An",
  "Phường Hương Hồ", "Phường Hương Phong", "Phường Thuận An", "Phường Hương Chữ",
  "Phường Hương Văn", "Phường Hương Xuân", "Phường Phong Điền", "Phường Quảng Điền",
};

static const char *const wards_south[] = {
  "Phường Phú Hội", "Phường Vĩnh Ninh", "Phường Phú Nhuận", "Phường Phước Vĩnh",
  "Phường Trường An", "Phường Đúc", "Phường Vỹ Dạ", "Phường Xuân Phú",
  "Phường An Cựu", "Phường An Đông", "Phường An Tây", "Phường Thủy Biều",
  "Phường Thủy Xuân", "Phường Thủy Vân", "Phường Thủy Dương", "Phường Thủy Phương",
  "Phường Thủy Châu", "Phường Thủy Lương", "Phường Phú Thượng", "Phường Phú Mậu",
  "Phường Phú Dương", "Phường Dương Nỗ", "Phường Hương Thọ", "Phường Phú Vang",
};

static const char *const slides[] = {
  "Sạt lở núi Ngự Bình", "Sạt lở đồi Vọng Cảnh", "Sạt lở đồi Thiên An",
  "Sạt lở núi Kim Phụng", "Sạt lở đồi Hòn Chén", "Sạt lở núi Bân",
};

static const char *const tombs[] = {
  "Lăng Tự Đức", "Lăng Khải Định", "Lăng Minh Mạng", "Lăng Đồng Khánh", "Lăng Thiệu Trị",
  "Lăng Gia Long",
};

/* Returns: (transfer none): the k-th name; NULL past the end. */
const char *
ngam_sample_name_bridge (guint k)
{
  return k < G_N_ELEMENTS (bridges) ? bridges[k] : NULL;
}

const char *
ngam_sample_name_gate (guint k)
{
  return gates[k % G_N_ELEMENTS (gates)];
}

const char *
ngam_sample_name_ward (gboolean north,
                  guint    k)
{
  if (north)
    return k < G_N_ELEMENTS (wards_north) ? wards_north[k] : NULL;
  return k < G_N_ELEMENTS (wards_south) ? wards_south[k] : NULL;
}

const char *
ngam_sample_name_slide (guint k)
{
  return k < G_N_ELEMENTS (slides) ? slides[k] : NULL;
}

const char *
ngam_sample_name_tomb (guint k)
{
  return k < G_N_ELEMENTS (tombs) ? tombs[k] : NULL;
}

/* @n: (out) (optional): how many names the list has. */
const char *
ngam_sample_name_street (guint    k,
                    gboolean in_citadel,
                    guint   *n)
{
  if (n)
    *n = in_citadel ? G_N_ELEMENTS (citadel_streets) : G_N_ELEMENTS (streets);
  return in_citadel ? citadel_streets[k % G_N_ELEMENTS (citadel_streets)]
                    : streets[k % G_N_ELEMENTS (streets)];
}
