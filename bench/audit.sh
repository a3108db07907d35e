#!/usr/bin/env bash
# A benchmark, not a test: make an audit log of N entries (default 1,000,000),
# time `shinsa audit verify` over it, and print the figure beside sha256sum
# over the same entries' bytes (the CSV export, written to a file first), on
# this machine, in one run.
#   bash bench/audit.sh [N]          (after ninja -C build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
n=${1:-1000000}
shinsa=$build/shinsa
fill=$build/bench/bench_audit
[ -x "$shinsa" ] && [ -x "$fill" ] || { echo "build first: ninja -C $build" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

secs() { # CMD…: wall seconds of one run, to the millisecond
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
  python3 -c "import sys; print('%.3f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$t1"
}

"$shinsa" init >/dev/null
t_fill=$(secs "$fill" shinsa.db shinsa.db.auditkey "$n")
"$shinsa" audit export > export.csv
bytes=$(stat -c %s export.csv)
count=$("$shinsa" audit anchor --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
cat export.csv > /dev/null   # in the page cache, as the database is after the export
"$shinsa" audit verify > /dev/null   # warm
t_verify=$(secs "$shinsa" audit verify)
t_export=$(secs "$shinsa" audit export)
t_sum=$(secs sha256sum export.csv)
echo "entries:                 $count ($(stat -c %s shinsa.db) bytes of database, $bytes bytes exported)"
echo "fill (bench_audit):      ${t_fill} s"
echo "shinsa audit verify:     ${t_verify} s   (target: under 2 s at 1,000,000 entries)"
echo "shinsa audit export:     ${t_export} s"
echo "sha256sum export.csv:    ${t_sum} s"
"$shinsa" audit verify | head -1
