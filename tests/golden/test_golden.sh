#!/usr/bin/env bash
# Golden assessments: every example profile (with and without applications)
# against every pack and level must give the expected verdict and exactly the
# expected unmet required criteria (tests/golden/expected.tsv, each row with
# the seed line that decides it). Every finding must carry its reason.
set -u
. "$(dirname "$0")/../lib.sh"

cut -f1,2 "$src/tests/golden/expected.tsv" | grep -v '^#' | sort -u | while IFS=$'\t' read -r prof app; do
  args=("$src/examples/profiles/$prof.yaml" --policy all --format json)
  [ "$app" != "-" ] && args+=(--app "$src/examples/applications/$app.yaml")
  if ! "$shinsa" evaluate "${args[@]}" >"$tmp/$prof+$app.json" 2>"$tmp/err"; then
    echo "evaluate failed for $prof $app:"; cat "$tmp/err"
  fi
done

python3 - "$src/tests/golden/expected.tsv" "$tmp" <<'PY'
import json, os, sys
expected, tmp = sys.argv[1], sys.argv[2]
got = {}
for name in os.listdir(tmp):
    if not name.endswith(".json"):
        continue
    prof, app = name[:-5].split("+")
    for a in json.load(open(os.path.join(tmp, name))):
        got[(prof, app, a["policy"], a["level"])] = a
passed = failed = 0
for line in open(expected, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    prof, app, pack, level, verdict, unmet, why = line.rstrip("\n").split("\t")
    a = got.get((prof, app, pack, level))
    if a is None:
        print(f"FAIL {prof} {app} {pack}:{level}: not assessed"); failed += 1; continue
    u = sorted(f["id"] for f in a["findings"]
               if f["status"] == "unmet" and f["obligation"] == "required" and "group" not in f)
    u += sorted(g["id"] for g in a["groups"] if g["status"] == "unmet" and g["obligation"] == "required")
    want_u = [] if unmet == "-" else unmet.split(",")
    problems = []
    if a["verdict"] != verdict:
        problems.append(f"verdict {a['verdict']}, want {verdict}")
    if u != want_u:
        problems.append(f"unmet {u}, want {want_u}")
    no_reason = [f["id"] for f in a["findings"] if not f["reason"]]
    if no_reason:
        problems.append(f"findings without a reason: {no_reason}")
    if problems:
        print(f"FAIL {prof} {app} {pack}:{level}: " + "; ".join(problems) + f"  (seed: {why})")
        failed += 1
    else:
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
PY
