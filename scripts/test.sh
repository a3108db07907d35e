#!/usr/bin/env bash
# Run every test: the ordinary build, then the same suite under
# AddressSanitizer + UndefinedBehaviorSanitizer. Installs what it needs first.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
. scripts/lib.sh

shared=$(find_shared "$top")

run() {
  local dir=$1; shift
  # an existing build directory follows the shared folder found this time
  [ -f "$dir/build.ninja" ] && meson configure "$dir" -Dshared_dir="$shared" >/dev/null
  build_dir "$dir" "$@" -Dshared_dir="$shared"
  meson test -C "$dir" --print-errorlogs --num-processes 2
}

echo "== build (debugoptimized)"
run build
echo "== build-asan (address,undefined)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Dbench=false

# One closing line for both builds, in the form CI reads.
python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY'
import json, sys
ok = bad = 0
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line)
        if r.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
            ok += 1
        else:
            bad += 1
print(f"tests: {ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
