#!/usr/bin/env bash
# End-to-end tests of the shinsa command line: results, @file arguments,
# --batch JSON Lines, and the error messages and exit statuses for bad input.
set -u
shinsa=${1:?usage: test_cli.sh PATH_TO_SHINSA}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check NAME WANT_STATUS WANT_STDOUT_OR_EMPTY WANT_STDERR_SUBSTRING_OR_EMPTY -- ARGS...
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  local out err rc
  out=$("$shinsa" "$@" 2>"$tmp/err" <"${STDIN:-/dev/null}")
  rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL $name: exit $rc, want $want_rc (stderr: $err)"; fail=$((fail+1)); return
  fi
  if [ -n "$want_out" ] && [ "$out" != "$want_out" ]; then
    echo "FAIL $name: stdout"; echo "  got:  $out"; echo "  want: $want_out"; fail=$((fail+1)); return
  fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then
    echo "FAIL $name: stderr lacks '$want_err': $err"; fail=$((fail+1)); return
  fi
  pass=$((pass+1))
}

check "simple" 0 'true' '' -- logic eval '{"==":[1,1]}'
check "data" 0 '"JP"' '' -- logic eval '{"var":"legal.governing_law"}' '{"legal":{"governing_law":"JP"}}'
check "all regions" 0 'false' '' -- logic eval \
  '{"all":[{"var":"data.regions"},{"==":[{"var":""},"JP"]}]}' '{"data":{"regions":["JP","US"]}}'
check "default data null" 0 'null' '' -- logic eval '{"var":"x"}'
check "number format" 0 '0.30000000000000004' '' -- logic eval '{"+":[0.1,0.2]}'
check "big number" 0 '1e+21' '' -- logic eval '{"*":[1e20,10]}'
check "missing facts" 0 '{"result":false,"missing":["cert.ismap"]}' '' -- logic eval --missing \
  '{"==":[{"var":"cert.ismap"},true]}' '{}' 
check "missing facts (present)" 0 '{"result":true,"missing":[]}' '' -- logic eval --missing \
  '{"==":[{"var":"cert.ismap"},true]}' '{"cert":{"ismap":true}}'
check "japanese" 0 '"安城市"' '' -- logic eval '{"cat":["安城","市"]}'

printf '{"in":["JP",{"var":"r"}]}' > "$tmp/rule.json"
printf '{"r":["JP"]}' > "$tmp/data.json"
check "@file" 0 'true' '' -- logic eval "@$tmp/rule.json" "@$tmp/data.json"
check "@missing file" 2 '' 'nonexistent.json' -- logic eval "@$tmp/nonexistent.json"

# Bad input: what and where, exit 2, no crash.
check "malformed rule" 2 '' 'line 1, column 10' -- logic eval '{"==":[1,}'
printf '{\n  "and": [\n    true,,\n  ]\n}\n' > "$tmp/bad.json"
check "malformed file line:col" 2 '' 'line 3, column 10' -- logic eval "@$tmp/bad.json"
check "malformed data" 2 '' 'DATA' -- logic eval '{"var":"a"}' '{"a":'
check "unknown operator" 2 '' 'Unknown Operator: and[1].frobnicate: unknown operator' -- logic eval '{"and":[true,{"frobnicate":[1]}]}'
check "argument count" 2 '' 'Invalid Arguments: <: too few arguments' -- logic eval '{"<":[1]}'
check "if needs array" 2 '' 'Invalid Arguments: if' -- logic eval '{"if":5}'
check "threw NaN" 1 '' 'NaN' -- logic eval '{"/":[1,0]}'
check "no rule" 2 '' 'RULE is missing' -- logic eval
check "too many" 2 '' 'too many arguments' -- logic eval 1 2 3
check "unknown option" 2 '' "unknown option '--frob'" -- logic eval --frob 1
# options come from a table: a mistyped one is named with the nearest, a flag takes no value
check "option suggestion" 2 '' "unknown option '--misng' (did you mean --missing?)" -- logic eval --misng 1
check "flag with a value" 2 '' "--batch takes no value" -- logic eval --batch=1
check "a negative number is a rule, not an option" 0 '-1' '' -- logic eval -1
check "help from the table" 0 '' '' -- logic eval --help
"$shinsa" logic eval --help | grep -q -- '--missing  *欠けていた事実' && pass=$((pass+1)) || { echo "FAIL help lists --missing"; fail=$((fail+1)); }
check "unknown command" 2 '' "unknown command 'frob'" -- frob
check "unknown subcommand" 2 '' "unknown subcommand 'run'" -- logic run
check "help" 0 '' '' -- logic eval --help
check "top help" 0 '' '' -- --help
check "help COMMAND" 0 '' '' -- help evaluate
[[ $("$shinsa" help evaluate) == *"shinsa evaluate PROFILE"* ]] && pass=$((pass+1)) || { echo "FAIL help evaluate shows evaluate's usage"; fail=$((fail+1)); }
check "help unknown" 2 '' "不明なコマンド 'frob' です（shinsa --help を参照） / unknown command 'frob'" -- help frob
check "version" 0 '' '' -- version
check "invalid utf-8" 2 '' 'invalid UTF-8' -- logic eval "$(printf '"\xff"')"
deep=$(python3 -c 'print("[" * 600 + "]" * 600)')
check "nesting cap" 2 '' 'nesting too deep' -- logic eval "$deep"
deeprule=$(python3 -c 'print("{\"!\":" * 100 + "true" + "}" * 100)')
check "rule depth cap" 2 '' 'nested too deeply' -- logic eval "$deeprule"

# --batch
cat > "$tmp/in.jsonl" <<'JL'
{"rule":{"+":[1,2]},"data":null}
{"rule":{"var":"a.b"},"data":{"a":{"b":[1,2]}}}

{"rule":{"/":[1,0]}}
{"rule":{"frob":1}}
{"rule":{"==":[1,}
["not an object"]
{"rule":{"<":[1]}}
JL
cat > "$tmp/want.jsonl" <<'JL'
{"result":3}
{"result":[1,2]}
{"error":{"type":"NaN","message":"input line 4: the rule threw NaN"}}
{"error":{"type":"Unknown Operator","message":"input line 5: rule.frob: unknown operator"}}
{"error":{"type":"Invalid JSON","message":"input line 6: line 1, column 18: unexpected character"}}
{"error":{"type":"Invalid Input","message":"input line 7: expected an object with \"rule\" (and \"data\")"}}
{"error":{"type":"Invalid Arguments","message":"input line 8: rule.<: too few arguments"}}
JL
STDIN="$tmp/in.jsonl" check "batch" 2 "$(cat "$tmp/want.jsonl")" '4 of 8 input lines were malformed' -- logic eval --batch
printf '{"rule":{"var":"x"},"data":{"x":1}}\n{"rule":{"var":"x"},"data":{"x":2}}\n' > "$tmp/ok.jsonl"
STDIN="$tmp/ok.jsonl" check "batch ok" 0 $'{"result":1}\n{"result":2}' '' -- logic eval --batch
STDIN="$tmp/ok.jsonl" check "batch missing" 0 $'{"result":1,"missing":[]}\n{"result":2,"missing":[]}' '' -- logic eval --batch --missing
check "batch with args" 2 '' 'takes no RULE' -- logic eval --batch 1

# A thousand lines in one process.
python3 -c '
import json
for i in range(1000):
    print(json.dumps({"rule": {">=": [{"var": "log.retention_days"}, 365]}, "data": {"log": {"retention_days": i}}}))
' > "$tmp/many.jsonl"
out=$("$shinsa" logic eval --batch < "$tmp/many.jsonl" | grep -c '"result":true')
if [ "$out" = 635 ]; then pass=$((pass+1)); else echo "FAIL batch 1000: $out true"; fail=$((fail+1)); fi

# The 64 MiB cap on a --batch line holds while reading: an over-long line
# (here 70 MB of NULs) gets its error record and the next line is read, and
# the process never holds much more than the cap, even with no newline at all
# in 300 MB (reading the whole line first, it held all of them).
# (Under ASan, freed blocks are kept aside in a quarantine of up to 256 MB:
# not what is measured here, so it is off for these runs.)
asan_q="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
long_want=$'{"error":{"type":"Invalid Input","message":"input line 1: longer than 67108864 bytes"}}\n{"result":true}'
out=$({ head -c 70000000 /dev/zero; printf '\n{"rule":{"==":[1,1]}}\n'; } |
      ASAN_OPTIONS=$asan_q /usr/bin/time -f %M -o "$tmp/rss" "$shinsa" logic eval --batch 2>/dev/null)
rss=$(tail -n 1 "$tmp/rss")
if [ "$out" = "$long_want" ] && [ "$rss" -lt 204800 ]; then pass=$((pass+1))
else echo "FAIL batch over-long line: ${out:0:200} (max RSS ${rss} kB)"; fail=$((fail+1)); fi
out=$(head -c 300000000 /dev/zero | ASAN_OPTIONS=$asan_q /usr/bin/time -f %M -o "$tmp/rss" "$shinsa" logic eval --batch 2>/dev/null)
rss=$(tail -n 1 "$tmp/rss")
if [ "$out" = "${long_want%%$'\n'*}" ] && [ "$rss" -lt 204800 ]; then pass=$((pass+1))
else echo "FAIL batch endless line: ${out:0:200} (max RSS ${rss} kB)"; fail=$((fail+1)); fi

# Without a policies folder the standard operators still work; a project
# operator that needs the reference lists says which folder it could not load.
SHINSA_POLICIES=/nonexistent check "no policies folder" 0 'true' '' -- logic eval '{"==":[1,1]}'
printf '{"rule":{"var":"a"},"data":{"a":1}}\n' > "$tmp/one.jsonl"
SHINSA_POLICIES=/nonexistent STDIN="$tmp/one.jsonl" check "no policies folder, batch" 0 '{"result":1}' '' -- logic eval --batch
SHINSA_POLICIES=/nonexistent check "no policies folder, in_list" 2 '' 'cannot load the policy directory /nonexistent' -- \
  logic eval '{"shinsa.in_list":[["AES"],"cryptrec.recommended"]}'
check "in_list" 0 'true' '' -- logic eval '{"shinsa.in_list":[["AES-256-GCM"],"cryptrec.recommended"]}'

# Help comes from each command's table: a synopsis line starts "shinsa NAME" once
for c in "evaluate" "matrix" "policy" "policy list" "policy show" "policy lint" "policy diff" \
         "policy facts" "logic eval"; do
  # shellcheck disable=SC2086
  h=$("$shinsa" $c --help 2>&1)
  if [[ "$h" == *"shinsa shinsa"* ]] || [[ "$(printf '%s\n' "$h" | sed -n 2p)" != "  shinsa $c"* ]]; then
    echo "FAIL help of '$c': $(printf '%s\n' "$h" | sed -n 2,3p)"; fail=$((fail+1))
  else
    pass=$((pass+1))
  fi
done

# Tables for the officers who read them: at a given width every line fits
# (display width, East Asian wide = 2), and no fact name, value or id is
# broken across lines (contract.recovery_ter|ms was the defect).
here=$(cd "$(dirname "$0")/../.." && pwd)
for cols in 72 100; do
  COLUMNS=$cols "$shinsa" evaluate "$here/examples/profiles/ismap-saas.yaml" --policy anjo --level II \
    >"$tmp/t$cols.txt" 2>/dev/null
  "$shinsa" evaluate "$here/examples/profiles/ismap-saas.yaml" --policy anjo --level II --format json \
    >"$tmp/t.json" 2>/dev/null
  if python3 - "$tmp/t$cols.txt" "$tmp/t.json" "$cols" <<'PY'
import json, sys, unicodedata
text = open(sys.argv[1], encoding="utf-8").read()
cols = int(sys.argv[3])
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = text.splitlines()
wide = [l for l in lines if width(l) > cols and not l.startswith("■")]
facts = set()
for f in json.load(open(sys.argv[2]))["findings"]:
    facts.update(f["facts"].keys())
    facts.add(f["id"])
broken = [k for k in facts if k in json.dumps(json.load(open(sys.argv[2])), ensure_ascii=False)
          and k not in text]
if wide or broken:
    print("too wide:", wide[:3], "broken:", sorted(broken)[:5])
    sys.exit(1)
PY
  then pass=$((pass+1)); else echo "FAIL table at $cols columns"; fail=$((fail+1)); fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
