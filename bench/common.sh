# bench/common.sh — what the benchmark scripts share (sourced, not run)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# After `. "$(dirname "$0")/common.sh"` a script has:
#   $bench_root           the source tree
#   bench_build [DIR]     $build: the build folder (DIR relative to the
#                         source tree, or absolute; default build) and
#                         $batch, its ngam-batch; exits when it is not built
#   bench_program NAME    prints the path of bench/NAME in $build, or exits
#                         saying to build it
#   bench_out NAME        $out: an empty folder bench/out/NAME
#   now                   seconds since the epoch, to the nanosecond
#   since T0              seconds since T0 (from `now`), 3 decimals
#   measure CMD…          runs CMD under GNU time; leaves "wall cpu peak_kB"
#                         in $out/.time (cpu = user + system)
#   wall, cpu, mb         the last measure's wall s, CPU s, peak MB

bench_root=$(cd "$(dirname "$0")/.." && pwd)

bench_build () {
  case "${1:-build}" in
    /*) build=${1} ;;
    *) build=$bench_root/${1:-build} ;;
  esac
  batch=$build/app/ngam-batch
  [ -x "$batch" ] || { echo "no $batch: build first (ninja -C $build)" >&2; exit 1; }
}

bench_program () {
  [ -x "$build/bench/$1" ] || { echo "no $build/bench/$1: build first (ninja -C $build)" >&2; exit 1; }
  echo "$build/bench/$1"
}

bench_out () {
  out=$bench_root/bench/out/$1
  rm -rf "$out"
  mkdir -p "$out"
}

now () { date +%s.%N; }

since () { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.3f", a - b }'; }

measure () {
  /usr/bin/time -f "%e %U %S %M" -o "$out/.t" "$@"
  awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' "$out/.t" > "$out/.time"
}
wall () { cut -d' ' -f1 "$out/.time"; }
cpu () { cut -d' ' -f2 "$out/.time"; }
mb () { echo $(( $(cut -d' ' -f3 "$out/.time") / 1024 )); }
