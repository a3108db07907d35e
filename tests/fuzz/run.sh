#!/usr/bin/env bash
# Run the libFuzzer target for the JsonLogic parser, compiler and evaluator.
#   tests/fuzz/run.sh [SECONDS]     (default 600)
# Seeds come from the public suites in ../shared (read by path, not copied);
# what the fuzzer finds new is merged, minimized, into tests/fuzz/corpus/logic,
# which the ordinary test suite replays. Crashes land in tests/fuzz/crashes/logic:
# fix them, and keep the file there as a regression test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${1:-600}
build="$top/build-fuzz"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$top" -Dfuzz=true -Dtests=false -Dbench=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" tests/fuzz/fuzz_logic

seeds=$(mktemp -d)
trap 'rm -rf "$seeds" "$work"' EXIT
work=$(mktemp -d)
python3 - "$top/../shared/conformance/jsonlogic" "$seeds" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
n = 0
def emit(rule, data):
    global n
    n += 1
    with open(os.path.join(out, "s%05d" % n), "w") as f:
        f.write(json.dumps(rule, ensure_ascii=False) + "\n" + json.dumps(data, ensure_ascii=False))
for t in json.load(open(os.path.join(src, "official/tests.json"))):
    if isinstance(t, list):
        emit(t[0], t[1])
root = os.path.join(src, "compat-tables/suites")
for name in json.load(open(os.path.join(root, "index.json"))):
    for t in json.load(open(os.path.join(root, name))):
        if isinstance(t, dict) and "rule" in t:
            emit(t["rule"], t.get("data"))
PY

cd "$work"
"$build/tests/fuzz/fuzz_logic" -max_total_time="$secs" -max_len=4096 -timeout=10 \
  -artifact_prefix="$here/crashes/logic/" -print_final_stats=1 \
  "$work" "$here/corpus/logic" "$seeds" 2>&1 | tail -n 25
mkdir -p "$work/merged"
"$build/tests/fuzz/fuzz_logic" -merge=1 "$here/corpus/logic" "$work" >/dev/null 2>&1 || true
echo "corpus: $(ls "$here/corpus/logic" | wc -l) inputs in tests/fuzz/corpus/logic"
