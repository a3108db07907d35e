#!/usr/bin/env bash
# shinsa audit end to end, on real SQLite files in a temporary folder: a log
# made by init, verify and its JSON, the tamper tests (a field edited, a row
# removed, two rows swapped, a row inserted, the chain rebuilt without the key,
# the first rows removed) each caught at the first bad entry with what
# happened, anchors (kept, then entries appended: verify passes; the prefix
# tampered or the tail cut: it fails), export (CSV with BOM, JSON, ranges), the
# retention purge refused for young entries, and init refusing a fresh key for
# a log that has entries.
#   test_audit.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
tamper="python3 $src/tests/audit/tamper.py"

# check NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING -- ARGS...
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
  shift 5
  out=$("$shinsa" "$@" 2>"$tmp/err" </dev/null)
  rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" != "$want_rc" ]; then no "$name: exit $rc, want $want_rc (stdout: $out) (stderr: $err)"; return; fi
  if [ -n "$want_out" ] && [[ "$out" != *"$want_out"* ]]; then no "$name: stdout lacks '$want_out': $out"; return; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then no "$name: stderr lacks '$want_err': $err"; return; fi
  ok
}
is() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }

# A log of 6 entries: store.init and five renamings of the body.
mkdir -p "$tmp/base" && cd "$tmp/base" || exit 1
for n in 安城市 乙訓 京都府 大阪府 奈良県; do
  printf 'body_name: %s\n' "$n" > c.yaml
  "$shinsa" --config c.yaml init >/dev/null 2>&1 || no "init $n"
done
check "verify a sound log" 0 "the audit log verifies: 6 entries (1-6)" "" -- audit verify
v=$("$shinsa" audit verify --format json)
is "verify json ok" "$(jget 'd["ok"]' <<<"$v")" True
is "verify json count" "$(jget 'd["count"]' <<<"$v")" 6
is "verify json first_bad" "$(jget 'd["first_bad"]' <<<"$v")" None
is "init recorded store.init" "$("$shinsa" audit export --format json | head -1 | jget 'd["action"]')" store.init
is "channel names the OS user" "$("$shinsa" audit export --format json | head -1 | jget 'd["channel"]')" "cli:$(id -un)"
is "renaming recorded before and after" "$("$shinsa" audit export --format json | sed -n 3p | jget 'd["before"] + " -> " + d["after"]')" \
   '{"body_name":"安城市"} -> {"body_name":"乙訓"}'

# fresh NAME: a copy of the sound log in $tmp/NAME, as the working folder
fresh() { rm -rf "$tmp/$1"; cp -a "$tmp/base" "$tmp/$1"; cd "$tmp/$1" || exit 1; }
# tampered NAME OPERATION ARGS -- WANT_SEQ WANT_PROBLEM WANT_TEXT
tampered() {
  local name=$1 op=$2; shift 2
  local args=()
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  local want_seq=$1 want_problem=$2 want_text=$3 out
  fresh "$name"
  $tamper shinsa.db "$op" "${args[@]}" || { no "$name: tamper.py failed"; return; }
  check "$name: verify exits 1" 1 "first bad entry: $want_seq ($want_problem)" "" -- audit verify
  out=$("$shinsa" audit verify --format json)
  is "$name: first bad seq" "$(jget 'd["first_bad"]["seq"]' <<<"$out")" "$want_seq"
  is "$name: problem" "$(jget 'd["first_bad"]["problem"]' <<<"$out")" "$want_problem"
  [[ $(jget 'd["first_bad"]["detail"]' <<<"$out") == *"$want_text"* ]] && ok || no "$name: detail lacks '$want_text': $out"
}
tampered edit edit 3 -- 3 changed "entry 3 was changed (neither its hash nor its HMAC matches)"
tampered delete delete 4 -- 4 removed "entry 4 was removed"
tampered swap swap 3 4 -- 3 reordered "entry 3 is the entry that was number 4"
tampered insert insert 3 -- 3 inserted "entry 3 was inserted"
tampered rebuild rebuild 2 -- 2 changed "the chain was rebuilt without the key"
tampered first-rows delete 1 -- 1 removed "entries 1 to 1 are missing, and no purge recorded"
tampered last-of-two-deleted delete 5 -- 5 removed "entry 5 was removed"

# Anchors: kept, then more entries: verify --anchor passes.
fresh anchor
a=$("$shinsa" audit anchor --format json)
hash=$(jget 'd["hash"]' <<<"$a")
is "anchor count" "$(jget 'd["count"]' <<<"$a")" 6
is "anchor seq" "$(jget 'd["seq"]' <<<"$a")" 6
[[ $(jget 'd["at"]' <<<"$a") == *+09:00 ]] && ok || no "anchor time in JST: $a"
check "anchor table" 0 "hash: $hash" "" -- audit anchor
printf 'body_name: 兵庫県\n' > c.yaml && "$shinsa" --config c.yaml init >/dev/null
printf 'body_name: 滋賀県\n' > c.yaml && "$shinsa" --config c.yaml init >/dev/null
check "anchor after appends" 0 "= entry 6: 変わっていません / unchanged" "" -- audit verify --anchor "$hash"
is "anchor json found" "$("$shinsa" audit verify --anchor "$hash" --format json | jget 'd["anchor"]["found"], d["anchor"]["seq"]')" "(True, 6)"
check "anchor not a hash" 2 "" "is not 64 hex digits" -- audit verify --anchor xyz
# the tail cut: the rest verifies, the anchor does not
cp -a "$tmp/anchor" "$tmp/anchor-cut"; cd "$tmp/anchor-cut" || exit 1
$tamper shinsa.db delete 8 && $tamper shinsa.db delete 7 && $tamper shinsa.db delete 6
check "tail cut: verify alone passes" 0 "verifies: 5 entries" "" -- audit verify
check "tail cut: the anchor fails" 1 "not found in the verified chain" "" -- audit verify --anchor "$hash"
# the prefix rebuilt without the key: caught, and the anchor is gone
cd "$tmp/anchor" || exit 1
$tamper shinsa.db rebuild 2
check "prefix tampered: --anchor fails" 1 "first bad entry: 2 (changed)" "" -- audit verify --anchor "$hash"
is "prefix tampered: anchor not found" "$("$shinsa" audit verify --anchor "$hash" --format json | jget 'd["anchor"]["found"]')" False

# Export.
cd "$tmp/base" || exit 1
"$shinsa" audit export > "$tmp/x.csv"
is "csv bom" "$(head -c 3 "$tmp/x.csv" | od -An -tx1 | tr -d ' ')" efbbbf
is "csv lines" "$(wc -l < "$tmp/x.csv")" 7
grep -q '^3,".*","meta.set","meta","body_name","{""body_name"":""安城市""}"' "$tmp/x.csv" && ok || no "csv row 3: $(sed -n 4p "$tmp/x.csv")"
is "json lines" "$("$shinsa" audit export --format json | wc -l)" 6
today=$(TZ=Asia/Tokyo date +%F)
is "since today" "$("$shinsa" audit export --format json --since "$today" | wc -l)" 6
is "until yesterday" "$("$shinsa" audit export --format json --until 2000-01-01 | wc -l)" 0
is "since tomorrow" "$("$shinsa" audit export --format json --since 2999-01-01 | wc -l)" 0
check "since not a date" 2 "" "is neither a date" -- audit export --since yesterday

# Retention: young entries are never purged.
check "purge young refused" 2 "" "entries younger than the retention period (365 days) cannot be purged" -- audit purge --before "$today"
year_ago=$(TZ=Asia/Tokyo date -d '-300 days' +%F)
check "purge 300 days refused" 2 "" "cannot be purged" -- audit purge --before "$year_ago"
printf 'audit_retention_days: 400\n' > r.yaml
check "purge under a longer retention refused" 2 "" "(400 days)" -- --config r.yaml audit purge --before "$(TZ=Asia/Tokyo date -d '-380 days' +%F)"
printf 'audit_retention_days: 30\n' > r.yaml
check "retention under a year refused" 2 "" "r.yaml:1:23: audit_retention_days: 365〜36500 の日数" -- --config r.yaml audit verify
check "purge nothing old" 0 "no entry is older than 2001-01-01" "" -- audit purge --before 2001-01-01 --as admin
check "purge needs --before" 2 "" "--before DATE is required" -- audit purge
check "still sound" 0 "verifies: 6 entries" "" -- audit verify

# init: no fresh key for a log that has entries.
fresh nokey
mv shinsa.db.auditkey "$tmp/kept.key"
check "init refuses a new key" 2 "" "no new key is made (restore the key from its backup)" -- init
[ ! -e shinsa.db.auditkey ] && ok || no "a key was made"
check "verify without the key" 2 "" "no audit key" -- audit verify
mv "$tmp/kept.key" shinsa.db.auditkey
check "the key restored" 0 "verifies: 6 entries" "" -- audit verify
# a different key: nothing verifies
fresh otherkey
rm shinsa.db.auditkey && head -c 32 /dev/urandom > shinsa.db.auditkey && chmod 600 shinsa.db.auditkey
check "another key" 1 "first bad entry: 1 (changed)" "" -- audit verify

# no log yet is not an error; the subcommand is checked
mkdir -p "$tmp/none" && cd "$tmp/none" || exit 1
check "no database" 2 "" "no database" -- audit verify
check "unknown subcommand" 2 "" "unknown subcommand 'check'" -- audit check
check "help" 0 "audit verify [--anchor HASH]" "" -- audit --help

finish
