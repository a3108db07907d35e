#!/usr/bin/env bash
# Run a libFuzzer target:
#   tests/fuzz/run.sh [logic|policy|profile|opt|config] [SECONDS]     (default: logic, 600)
#   logic   the JSON parser, the JsonLogic compiler and the evaluator; seeded from
#           the public suites in ../shared (read by path, not copied)
#   policy  the policy pack loader (YAML, the format checks, JsonLogic in checks);
#           seeded from the bundled packs and the broken-pack corpus
#   profile service profiles and applications (YAML or JSON against the
#           vocabulary, app sections, answers, risks, countries, dates, subcontractors), then
#           assessed against every pack alone and as a matrix's batch; seeded
#           from examples/profiles, examples/applications, tests/assess/fixtures
#   opt     the command line's option parser (argv split at NUL bytes); seeded
#           with a few command lines
#   config  the deployment's configuration file (keys, bindings, review
#           settings), read and resolved; seeded from its own corpus
# What the fuzzer finds new is merged, minimized, into tests/fuzz/corpus/TARGET,
# which the ordinary test suite replays. Crashes land in tests/fuzz/crashes/TARGET:
# fix them, and keep the file there as a regression test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
target=logic
case "${1:-}" in logic|policy|profile|opt|config) target=$1; shift ;; esac
secs=${1:-600}
build="$top/build-fuzz"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$top" -Dfuzz=true -Dtests=false -Dbench=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" "tests/fuzz/fuzz_$target"

seeds=$(mktemp -d)
work=$(mktemp -d)
dictfile=$(mktemp)
min=$(mktemp -d)
trap 'rm -rf "$seeds" "$work" "$dictfile" "$min"' EXIT
dict=()
if [ "$target" = policy ]; then
  cp "$top"/policies/*.yaml "$top"/tests/policy/broken/*.yaml "$top"/tests/policy/base.yaml "$seeds"/
  export SHINSA_POLICIES="$top/policies"
elif [ "$target" = profile ]; then
  cp "$top"/examples/profiles/*.yaml "$top"/examples/applications/*.yaml "$seeds"/
  find "$top"/tests/assess/fixtures -maxdepth 1 -type f -exec cp {} "$seeds"/ \;
  export SHINSA_POLICIES="$top/policies"
  # a dictionary of the vocabulary's words: the fact paths' parts, the enum
  # values, the level and criterion ids and answers of the packs
  python3 - "$top/policies" "$dictfile" <<'PY'
import glob, os, re, sys
words = {"app", "answers", "risks", "answered_by", "answered_at", "classification",
         "true", "false", "null", "2026-04-01", "2026-11-20T10:00:00+09:00", "JP", "JA", "UK", "US",
         "subcontractors", "name", "role", "location", "region", "note"}
for f in glob.glob(os.path.join(sys.argv[1], "*.yaml")):
    for line in open(f, encoding="utf-8"):
        m = re.match(r"^  ([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+):", line)
        if m:
            words.add(m.group(1))
            words.update(m.group(1).split("."))
        m = re.search(r"\b(?:values|options|met|accept|accepted|na)\s*:\s*\[([^\]]*)\]", line)
        if m:
            words.update(w.strip().strip("'\"") for w in m.group(1).split(","))
        m = re.match(r"^\s*-?\s*id\s*:\s*['\"]?([^'\"#\s]+)", line)
        if m:
            words.add(m.group(1))
with open(sys.argv[2], "w") as out:
    for w in sorted(x for x in words if x and len(x.encode()) < 64):
        out.write('"%s"\n' % "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else
                                     "".join("\\x%02x" % b for b in c.encode()) for c in w))
PY
  dict=(-dict="$dictfile")
elif [ "$target" = config ]; then
  cp "$here"/corpus/config/* "$seeds"/
  printf '"%s"\n' database body_name audit_key audit_retention_days bindings users dept title applicant_dept \
    review_cycle_months personnel_move_date review_notice_days review_event_days task_due_days anjo otokuni \
    section-chief ciso true false > "$dictfile"
  dict=(-dict="$dictfile")
elif [ "$target" = opt ]; then
  # the first byte picks the command (odd: any number of operands); NUL ends an argument
  i=0
  for line in 'a.yaml|--format=json|-p|anjo|--stats' '-|--user|x|-u|y|--count|5|b' \
              '--|-x|--format|csv' '--formt|json' '-7|-1|--offset=-9223372036854775808' \
              '--help' 'a|b|c' '--policies|dir|--app=x|-q|-n|100|-f|table'; do
    i=$((i + 1))
    printf '%s%s' "$((i % 2))" "$line" | tr '|' '\0' > "$seeds/s$i"
  done
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
case $target in policy|profile) maxlen=65536 ;; opt) maxlen=1024 ;; esac
"$build/tests/fuzz/fuzz_$target" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 \
  -artifact_prefix="$here/crashes/$target/" -print_final_stats=1 "${dict[@]}" \
  "$work" "$here/corpus/$target" "$seeds" 2>&1 | tail -n 25
case $target in
profile|opt)
  # merged afresh on coverage edges only (not hit counts), so the kept corpus
  # stays a few hundred inputs that replay in seconds under ASan
  if "$build/tests/fuzz/fuzz_$target" -merge=1 -use_counters=0 "$min" "$here/corpus/$target" \
       "$work" "$seeds" >/dev/null 2>&1; then
    rm -rf "$here/corpus/$target"
    mv "$min" "$here/corpus/$target"
  fi ;;
*)
  "$build/tests/fuzz/fuzz_$target" -merge=1 "$here/corpus/$target" "$work" "$seeds" >/dev/null 2>&1 || true ;;
esac
echo "corpus: $(ls "$here/corpus/$target" | wc -l) inputs in tests/fuzz/corpus/$target"
