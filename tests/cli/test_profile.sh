#!/usr/bin/env bash
# shinsa profile end to end, on a real SQLite file in a temporary folder: add
# (the id alone on stdout, JSON), update (a new version; the same facts are
# "unchanged" and write nothing), show (a version, its subcontractors, the
# versions; JSON; the file as given), list; the versions kept; the roles that
# may and may not; bad files (a wrong type at line:col, an unknown country in
# a subcontractor, an application, a missing file, a folder) and bad ids
# refused with nothing changed (the audit count and the records the same).
#   test_profile.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"

# check NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING -- ARGS... (run in $PWD)
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
# each fails loudly (a different text each time), so that "unchanged" cannot pass on empty output
audit_count() {
  local n
  n=$("$shinsa" audit anchor 2>/dev/null | sed -n 's|^件数 / count: ||p')
  echo "${n:-no count $RANDOM}"
}
profiles_json() { "$shinsa" profile list --format json 2>/dev/null || echo "no list $RANDOM"; }
# refused NAME WANT_STDERR -- ARGS: exit 2, the message, and nothing changed
refused() {
  local name=$1 want=$2 before list
  shift 3
  before=$(audit_count)
  list=$(profiles_json)
  check "$name" 2 "" "$want" -- "$@"
  is "$name: audit unchanged" "$(audit_count)" "$before"
  is "$name: profiles unchanged" "$(profiles_json)" "$list"
}

mkdir -p "$tmp/db" && cd "$tmp/db" || exit 1
"$shinsa" init >/dev/null 2>&1 || no "init"
pw='a long enough test password'
mkuser() { # LOGIN ROLE: the first is the admin, made without --as
  if [ "$1" = root ]; then
    printf '%s\n' "$pw" | "$shinsa" user add root --role admin --password-stdin >/dev/null 2>&1 || no "user add root"
  else
    printf '%s\n' "$pw" | "$shinsa" user add "$1" --role "$2" --password-stdin --as root >/dev/null 2>&1 ||
      no "user add $1 $2"
  fi
}
mkuser root admin
mkuser sato applicant
mkuser mgr manager
mkuser kacho approver
mkuser kyogi consultee
mkuser kansa auditor

# ---- files ----
cat > v1.yaml <<'EOF'
# 例のサービス（版 1）
service: {name: かんたん電子申請クラウド, provider: 株式会社サンプル, model: saas}
cert: {ismap: true}
data: {regions: [JP]}
EOF
cat > v2.yaml <<'EOF'
service: {name: かんたん電子申請クラウド, provider: 株式会社サンプル, model: saas}
cert: {ismap: true}
data: {regions: [JP], backup_regions: [JP]}
contract: {subcontract_control: true}
subcontractors:
  - name: 株式会社データセンター
    role: データセンターの運営
    location: JP
    region: 東京都
  - {name: Example Cloud Inc., role: 基盤の IaaS, location: US, note: 米国のリージョンは使わない}
EOF
# v2's facts, written otherwise: JSON, other order, no comments
cat > v2.json <<'EOF'
{"subcontractors": [{"role": "データセンターの運営", "name": "株式会社データセンター", "region": "東京都", "location": "JP"},
                    {"name": "Example Cloud Inc.", "role": "基盤の IaaS", "location": "US", "note": "米国のリージョンは使わない"}],
 "contract": {"subcontract_control": true},
 "data": {"backup_regions": ["JP"], "regions": ["JP"]},
 "cert": {"ismap": true},
 "service": {"model": "saas", "provider": "株式会社サンプル", "name": "かんたん電子申請クラウド"}}
EOF
printf 'service:\n  name: x\n  model: cloud\n' > badtype.yaml
cat > badcountry.yaml <<'EOF'
service: {name: x}
subcontractors:
  - {name: 株式会社データセンター, role: データセンターの運営, location: JA}
EOF
printf 'service: {subcontracted: false}\nsubcontractors: [{name: a, role: b, location: JP}]\n' > contradicts.yaml
printf 'subcontractors: [{name: a, location: JP}]\n' > norole.yaml
cp "$src/examples/applications/citizen-booking.yaml" app.yaml
printf 'service: {name: x}\ncert: {fedramp: true}\n' > unknown.yaml

# ---- add ----
check "list when empty" 0 "no profiles yet" "" -- profile list
is "list json when empty" "$(profiles_json)" "[]"
a0=$(audit_count)
id=$("$shinsa" profile add v1.yaml --as sato 2>"$tmp/err")
is "add prints the id alone" "$id" "1"
grep -q "added profile 1 (version 1): かんたん電子申請クラウド" "$tmp/err" && ok || no "add says what it did: $(cat "$tmp/err")"
is "add: one audit entry" "$(audit_count)" "$((a0 + 1))"
is "add recorded as profile.add by sato" \
   "$("$shinsa" audit export --format json | tail -1 | jget 'd["action"]+" "+d["object_type"]+":"+d["object_id"]+" "+d["actor"]')" \
   "profile.add profile:1 sato"
out=$("$shinsa" profile add v2.yaml --as mgr --comment "再委託先あり" --format json)
is "add json: id" "$(jget 'd["id"]' <<<"$out")" "2"
is "add json: shape" "$(jget 'sorted(d)' <<<"$out")" \
   "['actor', 'at', 'changed', 'file', 'format', 'id', 'name', 'provider', 'subcontractors', 'subcontractors_changed', 'version', 'warnings']"
is "add json: version, changed, subcontractors" "$(jget '[d["version"], d["changed"], d["subcontractors"], d["format"], d["actor"]]' <<<"$out")" \
   "[1, True, 2, 'yaml', 'mgr']"
is "add comment in the audit" "$("$shinsa" audit export --format json | tail -1 | jget 'd["comment"]')" "再委託先あり"
id=$("$shinsa" profile add unknown.yaml --as root 2>"$tmp/err")
is "admin may add; an unknown fact is a warning" "$id" "3"
grep -q "unknown fact 'cert.fedramp'" "$tmp/err" && ok || no "unknown fact warned: $(cat "$tmp/err")"
is "the warning in json too" "$("$shinsa" profile add unknown.yaml --as root --format json 2>/dev/null | jget 'd["warnings"][0]')" \
   "unknown.yaml:2:8: 語彙にない事実 'cert.fedramp' は無視します（docs/facts.md） / unknown fact 'cert.fedramp' (not in the vocabulary; it is ignored)"
id=$("$shinsa" profile add v2.json --as sato 2>/dev/null)
is "a JSON file" "$id" "5"
is "json format kept" "$("$shinsa" profile show 5 --format json | jget 'd["format"]')" "json"

# ---- who may not, and bad input: nothing changes ----
refused "auditor refused" "only an applicant, a manager or an admin may add or update a service profile ('kansa' is an auditor)" \
  -- profile add v1.yaml --as kansa
refused "approver refused" "('kacho' is an approver)" -- profile add v1.yaml --as kacho
refused "consultee refused" "('kyogi' is a consultee)" -- profile update 1 v2.yaml --as kyogi
refused "no --as" "say who acts with --as LOGIN" -- profile add v1.yaml
refused "unknown user" "there is no user 'ghost'" -- profile add v1.yaml --as ghost
refused "wrong type at line:col" "badtype.yaml:3:10: service.model: 次のいずれかで答えてください: iaas, paas, saas" \
  -- profile add badtype.yaml --as sato
refused "wrong type: nothing stored" "the profile has mistakes (nothing was stored)" -- profile add badtype.yaml --as sato
refused "unknown country in a subcontractor" \
  "badcountry.yaml:3:53: subcontractors[0].location: 'JA' は割り当て済みの国コード（ISO 3166-1 alpha-2）ではありません。JP（日本）のことですか" \
  -- profile add badcountry.yaml --as sato
refused "subcontractor without a role" "norole.yaml:1:18: subcontractors[0].role: 役割（サービスのために行うこと）（role）がありません / role is missing" \
  -- profile add norole.yaml --as sato
refused "subcontracted: false with subcontractors" "service.subcontracted is false, yet 1 subcontractors are listed" \
  -- profile add contradicts.yaml --as sato
refused "an application is not a profile" "app.yaml: これは利用申請" -- profile add app.yaml --as sato
refused "an application: said in English" "not a service profile (an application is filed with shinsa app create)" \
  -- profile update 1 app.yaml --as sato
refused "missing file" "nope.yaml: ファイルを開けません" -- profile add nope.yaml --as sato
refused "a directory" "this is a directory, not a file" -- profile add "$tmp" --as sato
refused "update: a wrong type" "badtype.yaml:3:10: service.model" -- profile update 1 badtype.yaml --as sato
refused "update: no such profile" "there is no profile 99" -- profile update 99 v2.yaml --as sato
refused "update: not an id" "'x1' is not a profile's id" -- profile update x1 v2.yaml --as sato
refused "update: id with a leading zero" "'01' is not a profile's id" -- profile update 01 v2.yaml --as sato
refused "update: FILE missing" "" -- profile update 1 --as sato
refused "unknown subcommand" "unknown subcommand 'remove'" -- profile remove 1

# ---- update ----
a0=$(audit_count)
v=$("$shinsa" profile update 1 v2.yaml --as sato --comment "再委託先を追加" 2>"$tmp/err")
is "update prints the new version" "$v" "2"
grep -q "profile 1 is now at version 2 (the subcontractors changed)" "$tmp/err" && ok || no "update says: $(cat "$tmp/err")"
is "update: one audit entry" "$(audit_count)" "$((a0 + 1))"
e=$("$shinsa" audit export --format json | tail -1)
is "update recorded" "$(jget 'd["action"]+" "+d["object_id"]+" "+d["comment"]' <<<"$e")" "profile.update 1 再委託先を追加"
is "update: the record before and after in the audit" \
   "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(json.loads(d["before"])["doc"]["data"], json.loads(d["after"])["doc"]["data"])' "$e")" \
   "{'regions': ['JP']} {'regions': ['JP'], 'backup_regions': ['JP']}"
v=$("$shinsa" profile update 1 v2.json --as mgr 2>"$tmp/err")
is "the same facts otherwise written: unchanged, the version stays" "$v" "2"
grep -q "unchanged: profile 1 stays at version 2" "$tmp/err" && ok || no "unchanged said: $(cat "$tmp/err")"
is "unchanged: no audit entry" "$(audit_count)" "$((a0 + 1))"
out=$("$shinsa" profile update 1 v2.yaml --as sato --format json)
is "unchanged json" "$(jget '[d["changed"], d["version"], d["subcontractors_changed"]]' <<<"$out")" "[False, 2, False]"
v=$("$shinsa" profile update 1 v1.yaml --as root 2>"$tmp/err")
is "back to the first facts: version 3" "$v" "3"
grep -q "(the subcontractors changed)" "$tmp/err" && ok || no "dropping the subcontractors is a change of them"
out=$("$shinsa" profile update 1 v2.yaml --as sato --format json)
is "update json" "$(jget '[d["id"], d["version"], d["changed"], d["subcontractors_changed"], d["subcontractors"]]' <<<"$out")" \
   "['1', 4, True, True, 2]"

# ---- show ----
check "show: the newest" 0 "4（最新 / newest）" "" -- profile show 1
check "show: the service" 0 "かんたん電子申請クラウド" "" -- profile show 1
check "show: a subcontractor with its country" 0 "US（アメリカ合衆国）" "" -- profile show 1
check "show: the versions" 0 "版の履歴 / versions: 4" "" -- profile show 1
check "show --version 1" 0 "1（最新は 4 / the newest is 4）" "" -- profile show 1 --version 1
check "show --version 1: no subcontractors" 0 "再委託先 / subcontractors: 0" "" -- profile show 1 --version 1
out=$("$shinsa" profile show 1 --format json)
is "show json: shape" "$(jget 'sorted(d)' <<<"$out")" \
   "['actor', 'at', 'doc', 'file', 'format', 'id', 'name', 'newest', 'provider', 'source', 'subcontractors', 'version', 'versions']"
is "show json: id and versions" "$(jget '[d["id"], d["version"], d["newest"], [v["version"] for v in d["versions"]]]' <<<"$out")" \
   "['1', 4, 4, [1, 2, 3, 4]]"
is "show json: who wrote each version" "$(jget '[v["actor"] for v in d["versions"]]' <<<"$out")" "['sato', 'sato', 'root', 'sato']"
is "show json: a subcontractor" "$(jget 'd["subcontractors"][1]' <<<"$out")" \
   "{'name': 'Example Cloud Inc.', 'role': '基盤の IaaS', 'location': 'US', 'location_ja': 'アメリカ合衆国', 'location_en': 'United States of America', 'region': None, 'note': '米国のリージョンは使わない'}"
is "show json: the document" "$(jget 'd["doc"]["data"]["backup_regions"]' <<<"$out")" "['JP']"
is "show json: name and provider" "$(jget 'd["name"]+" / "+d["provider"]' <<<"$out")" "かんたん電子申請クラウド / 株式会社サンプル"
out=$("$shinsa" profile show 1 --version 1 --format json)
is "versions kept: version 1's facts" "$(jget '[d["version"], d["doc"]["data"], "subcontractors" in d["doc"]]' <<<"$out")" \
   "[1, {'regions': ['JP']}, False]"
"$shinsa" profile show 1 --version 1 --format source > got.yaml
cmp -s got.yaml v1.yaml && ok || no "show --format source gives the file as it was added"
"$shinsa" profile show 5 --format source > got.json
cmp -s got.json v2.json && ok || no "show --format source: a JSON file as given"
check "show: no such profile" 2 "" "there is no profile 42" -- profile show 42
check "show: no such version" 2 "" "profile 1 has no version 9 (versions 1-4)" -- profile show 1 --version 9
check "show: version 0 is not a version" 2 "" "--version" -- profile show 1 --version 0
check "show: not an id" 2 "" "'abc' is not a profile's id" -- profile show abc

# ---- list ----
out=$(profiles_json)
is "list json: every profile" "$(jget '[p["id"] for p in d]' <<<"$out")" "['1', '2', '3', '4', '5']"
is "list json: shape" "$(jget 'sorted(d[0])' <<<"$out")" \
   "['file', 'id', 'name', 'provider', 'subcontractors', 'updated_at', 'updated_by', 'version']"
is "list json: newest version" "$(jget '[d[0]["version"], d[0]["subcontractors"], d[0]["updated_by"], d[1]["version"]]' <<<"$out")" \
   "[4, 2, 'sato', 1]"
check "list table" 0 "株式会社サンプル" "" -- profile list

# ---- what the records say (docs/records.md) ----
python3 - "$tmp/db/shinsa.db" <<'PY' && ok || no "the records of kind profile"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select id, version, number, state, provider, body, newest from records where kind='profile' order by number, version").fetchall()
assert [(r[0], r[1]) for r in rows if r[0] == "1"] == [("1", 1), ("1", 2), ("1", 3), ("1", 4)], rows
for r in rows:
    assert r[2] == int(r[0]) and r[3] == "current", r[:5]
    assert r[4] == ("" if r[0] in ("3", "4") else "株式会社サンプル"), r[:5]
    b = json.loads(r[5])
    assert sorted(b) == ["doc", "file", "format", "source"], sorted(b)
    assert isinstance(b["doc"], dict) and b["source"]
assert sum(r[6] for r in rows if r[0] == "1") == 1
PY

# ---- the profile's subcontractors reach the assessment ----
"$shinsa" evaluate v2.yaml --policy otokuni --level 2 --format json | \
  jget '[f["status"] for f in d["findings"] if f["id"] == "3.1-5"]' > got.txt
is "a listed subcontractor makes 3.1-5 apply (service.subcontracted)" "$(cat got.txt)" "['met']"

check "help" 0 "profile add FILE --as LOGIN" "" -- profile --help
check "add --help" 0 "id=\$(shinsa profile add f.yaml --as sato)" "" -- profile add --help

finish
