#!/usr/bin/env bash
# Run a libFuzzer target:
#   tests/fuzz/run.sh [logic|policy] [SECONDS]     (default: logic, 600)
#   logic   the JSON parser, the JsonLogic compiler and the evaluator; seeded from
#           the public suites in ../shared (read by path, not copied)
#   policy  the policy pack loader (YAML, the format checks, JsonLogic in checks);
#           seeded from the bundled packs and the broken-pack corpus
# What the fuzzer finds new is merged, minimized, into tests/fuzz/corpus/TARGET,
# which the ordinary test suite replays. Crashes land in tests/fuzz/crashes/TARGET:
# fix them, and keep the file there as a regression test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
target=logic
case "${1:-}" in logic|policy) target=$1; shift ;; esac
secs=${1:-600}
build="$top/build-fuzz"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$top" -Dfuzz=true -Dtests=false -Dbench=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" "tests/fuzz/fuzz_$target"

seeds=$(mktemp -d)
trap 'rm -rf "$seeds" "$work"' EXIT
work=$(mktemp -d)
if [ "$target" = policy ]; then
  cp "$top"/policies/*.yaml "$top"/tests/policy/broken/*.yaml "$top"/tests/policy/base.yaml "$seeds"/
  export SHINSA_POLICIES="$top/policies"
else
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
fi

cd "$work"
maxlen=4096
[ "$target" = policy ] && maxlen=65536
"$build/tests/fuzz/fuzz_$target" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 \
  -artifact_prefix="$here/crashes/$target/" -print_final_stats=1 \
  "$work" "$here/corpus/$target" "$seeds" 2>&1 | tail -n 25
mkdir -p "$work/merged"
"$build/tests/fuzz/fuzz_$target" -merge=1 "$here/corpus/$target" "$work" >/dev/null 2>&1 || true
echo "corpus: $(ls "$here/corpus/$target" | wc -l) inputs in tests/fuzz/corpus/$target"
