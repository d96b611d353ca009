# tools/setup.sh — shared by tools/demo and tools/check (sourced, not run).
#
# Installs the Debian 12 packages Ngầm needs (only the missing ones), then
# configures and builds with Meson.  Works as root, or with sudo.
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

NGAM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Build and run-time packages, then what the tests and demo use.
NGAM_PACKAGES=(
  build-essential pkg-config meson ninja-build python3
  libglib2.0-dev libjson-glib-dev
  libgeos-dev libproj-dev proj-data libgdal-dev gdal-bin
  libsqlite3-dev libspatialite-dev libsqlite3-mod-spatialite sqlite3
  libcairo2-dev libpango1.0-dev
  libgtk-4-dev libadwaita-1-dev
  gettext
  xvfb xauth desktop-file-utils appstream flatpak-builder
  fonts-dejavu-core
  poppler-utils locales
)

ngam_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ngam_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ngam_install_packages() {
  local missing=() p
  for p in "${NGAM_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  ngam_say "installing Debian packages: ${missing[*]}"
  ngam_sudo apt-get update -qq
  ngam_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ngam_build DIR [MESON OPTIONS…]: configure once, then build.
ngam_build() {
  local dir=$1; shift
  cd "$NGAM_ROOT"
  if [ ! -f "$dir/build.ninja" ]; then
    ngam_say "configuring $dir"
    meson setup "$dir" "$@" >/dev/null
  fi
  ngam_say "building $dir"
  ninja -C "$dir" >/dev/null
}
