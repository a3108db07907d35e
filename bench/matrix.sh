#!/usr/bin/env bash
# Matrix benchmark (issue #4): 10,000 generated profiles against every pack and
# every level (14 columns: 140,000 assessments), reading the files included.
# Prints assessments/second, criterion checks/second, wall time and peak memory.
#   bash bench/matrix.sh [N]        (default 10000)
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-10000}
build=${BUILD_DIR:-../build-release}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" .. -Dbuildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" shinsa >/dev/null
out=out/profiles-$n
if [ ! -d "$out" ]; then
  echo "== generating $n profiles in bench/$out" >&2
  python3 gen_profiles.py "$n" "$out"
fi
echo "== shinsa matrix --dir bench/$out --format csv (output discarded)" >&2
export SHINSA_POLICIES="$(cd .. && pwd)/policies"
/usr/bin/time -f "WALL seconds=%e peak_rss_kb=%M" "$build/shinsa" matrix --dir "$out" --format csv --stats >/dev/null
