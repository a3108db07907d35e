#!/usr/bin/env bash
# shinsa bind end to end, on a real SQLite file in a temporary folder: bind
# list for the five bundled packs (each pack's known parties, ids unique and
# ASCII, the same after an unrelated edit of the pack), every form of bind
# set (by id and by the pack's words, --user repeated and followed by logins),
# what each resolves to now (a disabled user left out), the same binding again
# changing nothing, refusals (unknown pack, party, user; a disabled user; not
# an admin; no --as; two forms; none) leaving the records and the audit log as
# they were, the config file's bindings shown with their source and
# overridden by bind set, bind unset falling back to them, and bad bindings in
# the config refused at their line and column.
#   test_bind.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"

# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR -- ARGS...
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
# the audit head (any write appends an entry) and anjo's bindings: what a refused command must leave as it was
state() {
  "$shinsa" audit anchor --format json
  "$shinsa" bind list anjo --format json
}
# refused NAME WANT_STDERR -- ARGS...: exit 2, the message, nothing changed
refused() {
  local name=$1 want_err=$2 before
  shift 3
  before=$(state)
  check "$name" 2 "" "$want_err" -- "$@"
  is "$name: nothing changed" "$(state)" "$before"
}
# party PACK ID EXPR: EXPR over the party's object p in bind list PACK --format json
party() {
  "$shinsa" bind list "$1" --format json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); p=[x for x in d["parties"] if x["id"]==sys.argv[1]][0]; print(eval(sys.argv[2]))' "$2" "$3"
}
adduser() {   # LOGIN ROLE DEPT TITLE [--as LOGIN]
  local login=$1 role=$2 dept=$3 title=$4
  shift 4
  printf 'pw-%s-long-enough\n' "$login" | "$shinsa" user add "$login" --role "$role" --dept "$dept" --title "$title" \
    --password-stdin "$@" >/dev/null 2>"$tmp/err" || no "user add $login: $(cat "$tmp/err")"
}
export COLUMNS=250

mkdir -p "$tmp/d" && cd "$tmp/d" || exit 1
"$shinsa" init >/dev/null || no "init"

# --help, generated from the tables
check "bind --help" 0 "bind set PACK PARTY" "" -- bind --help
check "bind alone: usage" 2 "" "" -- bind
check "unknown subcommand" 2 "" "unknown subcommand 'remove'" -- bind remove
for sub in list set unset; do check "bind $sub --help" 0 "shinsa bind $sub" "" -- bind "$sub" --help; done

# ---- the parties of each pack ----
for p in anjo kobe otokuni sendai tokyo-ward; do
  "$shinsa" bind list "$p" --format json > "$tmp/$p.json" || no "bind list $p"
  is "$p: ids unique" "$(jget 'len(set(x["id"] for x in d["parties"])) == len(d["parties"])' < "$tmp/$p.json")" True
  is "$p: ids ascii" "$(jget 'all(__import__("re").fullmatch("[a-z0-9-]+", x["id"]) for x in d["parties"])' < "$tmp/$p.json")" True
  is "$p: nobody bound yet" "$(jget 'any(x["bound"] for x in d["parties"])' < "$tmp/$p.json")" False
done
known() {   # PACK ID WORDS USES
  is "$1 $2" "$(jget "[(x['text'], sorted(set(u['use'] for u in x['uses']))) for x in d['parties'] if x['id']=='$2']" < "$tmp/$1.json")" "[('$3', $4)]"
}
known anjo section-chief 各課の課長 "['approver']"
known anjo digital-promotion デジタル推進課 "['consultee']"
known anjo administration 行政課 "['consultee']"
known anjo system-manager 情報システムの管理責任者 "['end-of-use', 'review']"
known kobe cio-adviser CIO補佐官 "['consultee']"
known kobe information-manager 情報管理者 "['end-of-use', 'review']"
known otokuni ciso 統括情報セキュリティ責任者 "['approver', 'step']"
known otokuni security-officer 情報セキュリティ責任者 "['applicant', 'end-of-use', 'review']"
is "anjo: the applicant is optional" "$(jget '[x["required"] for x in d["parties"] if x["id"]=="competent-dept-form1"]' < "$tmp/anjo.json")" "[False]"
is "anjo: the approver is required" "$(jget '[x["required"] for x in d["parties"] if x["id"]=="section-chief"]' < "$tmp/anjo.json")" "[True]"
is "anjo: where it is used" "$(jget '[(u["procedure"], u["item"], u["ref"]) for x in d["parties"] if x["id"]=="administration" for u in x["uses"]]' < "$tmp/anjo.json")" \
   "[('class-1-2', 'notification', '第5条第3項')]"
is "kobe: the go-between" "$(jget '[(x["id"], x["required"], x["uses"][0]["use"]) for x in d["parties"] if x["text"].startswith("情報セキュリティ管理者")]' < "$tmp/kobe.json")" \
   "[('security-manager', False, 'through')]"
is "sendai: no parties" "$(jget 'd["parties"]' < "$tmp/sendai.json")" "[]"
is "tokyo-ward: no parties" "$(jget 'd["parties"]' < "$tmp/tokyo-ward.json")" "[]"
check "sendai table says so" 0 "name no party" "" -- bind list sendai
check "anjo table" 0 "section-chief" "" -- bind list anjo
check "anjo table: unbound" 0 "未割当て / unbound" "" -- bind list anjo
check "anjo table: the words" 0 "各課の課長" "" -- bind list anjo
check "unknown pack" 2 "" "there is no pack 'nara' (the packs are: anjo, kobe, otokuni, sendai, tokyo-ward)" -- bind list nara

# ids depend on the words only: an unrelated edit of the pack keeps them; a new wording gets its own
cp -r "$SHINSA_POLICIES" "$tmp/pol"
python3 - "$tmp/pol/anjo.yaml" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("      note: クラウドサービス利用届出書（様式第１）の提出方法は、", "      note: （改）クラウドサービス利用届出書（様式第１）の提出方法は、", 1)
s = s.replace("        with: [デジタル推進課]\n", "        with: [デジタル推進課, 福祉部長]\n", 1)
open(p, "w", encoding="utf-8").write(s)
EOF
"$shinsa" bind list anjo --policies "$tmp/pol" --format json > "$tmp/anjo2.json" || no "bind list edited anjo"
is "ids kept after an edit" "$(jget '[x["id"] for x in d["parties"] if x["text"] != "福祉部長"]' < "$tmp/anjo2.json")" \
   "$(jget '[x["id"] for x in d["parties"]]' < "$tmp/anjo.json")"
want=$(printf '%s' 福祉部長 | sha256sum | cut -c1-8)
is "new words: the hash id" "$(jget '[x["id"] for x in d["parties"] if x["text"] == "福祉部長"]' < "$tmp/anjo2.json")" "['party-$want']"

# ---- users ----
adduser root admin 情報政策課 ""
adduser kimura approver 福祉課 課長 --as root
adduser sato applicant 福祉課 主査 --as root
adduser kato consultee 行政課 係長 --as root
adduser ito consultee 行政課 課長 --as root
adduser abe consultee 行政課 主事 --as root
"$shinsa" user disable abe --as root >/dev/null 2>&1 || no "user disable abe"

# ---- every form ----
count() { "$shinsa" audit anchor --format json | jget 'd["count"]'; }
n0=$(count)
check "applicant-dept by the words" 0 "bound: anjo section-chief（各課の課長）" "" -- \
  bind set anjo 各課の課長 --applicant-dept --title 課長 --as root
is "applicant-dept stored" "$(party anjo section-chief '(p["binding"]["how"], p["binding"]["title"], p["binding"]["source"], p["binding"]["version"], p["binding"]["by"], "resolves" in p["binding"])')" \
   "('applicant-dept', '課長', 'store', 1, 'root', False)"
check "dept" 0 "bound" "" -- bind set anjo administration --dept 行政課 --as root
is "dept resolves to its active users" "$(party anjo administration 'p["binding"]["resolves"]')" "['ito', 'kato']"
check "dept and title" 0 "bound" "" -- bind set anjo administration --dept 行政課 --title 課長 --as root
is "dept and title resolve" "$(party anjo administration '(p["binding"]["resolves"], p["binding"]["version"])')" "(['ito'], 2)"
check "users, repeated" 0 "bound" "" -- bind set anjo digital-promotion --user kato --user ito --as root
is "users in order" "$(party anjo digital-promotion '(p["binding"]["users"], p["binding"]["resolves"])')" "(['kato', 'ito'], ['kato', 'ito'])"
out=$("$shinsa" bind set otokuni ciso --user kimura sato --as root --format json)
is "users following --user (json)" "$(jget '(d["status"], d["party"]["binding"]["users"])' <<<"$out")" "('set', ['kimura', 'sato'])"
check "the same again: nothing to do" 0 "nothing to do" "" -- bind set anjo digital-promotion --user kato --user ito --as root
is "audit: one entry per change" "$(count)" $((n0 + 5))
check "table shows the binding" 0 "申請者の所属 / the applicant's dept" "" -- bind list anjo
check "table shows the source" 0 "bind set v2" "" -- bind list anjo
is "audited as binding.set" "$("$shinsa" audit export --format json | tail -1 | jget '(d["action"], d["object_type"], d["object_id"], d["actor"])')" \
   "('binding.set', 'binding', 'otokuni/ciso', 'root')"
is "before and after" "$("$shinsa" audit export --format json | python3 -c '
import json, sys
es = [json.loads(l) for l in sys.stdin if l.strip()]
e = [x for x in es if x["object_id"] == "anjo/administration"][-1]
print((json.loads(e["before"])["title"], json.loads(e["after"])["title"]))')" "(None, '課長')"

# a user disabled after binding stays bound but resolves to nobody
"$shinsa" user disable ito --as root >/dev/null 2>&1 || no "user disable ito"
is "disabled: inactive" "$(party anjo digital-promotion '(p["binding"]["resolves"], p["binding"]["inactive"])')" "(['kato'], ['ito'])"
is "disabled: the dept finds nobody" "$(party anjo administration 'p["binding"]["resolves"]')" "[]"
check "table: no active user" 0 "no active user" "" -- bind list anjo

# ---- refused, nothing changed ----
refused "unknown pack" "there is no pack 'nara'" -- bind set nara section-chief --dept 行政課 --as root
refused "unknown party" "anjo names no party 'ciso' (shinsa bind list anjo)" -- bind set anjo ciso --dept 行政課 --as root
refused "a pack with no party" "name no party" -- bind set sendai x --dept 行政課 --as root
refused "unknown user" "there is no user 'ghost'" -- bind set anjo administration --user ghost --as root
refused "a disabled user" "the user 'abe' is disabled" -- bind set anjo administration --user kato --user abe --as root
refused "a user twice" "'kato' is given twice" -- bind set anjo administration --user kato kato --as root
refused "not an admin" "only an administrator (admin) may bind set ('kato' is consultee)" -- bind set anjo administration --dept 行政課 --as kato
refused "not an admin: unset" "only an administrator" -- bind unset anjo administration --as kimura
refused "no --as" "--as LOGIN" -- bind set anjo administration --dept 行政課
refused "a disabled --as" "disabled" -- bind set anjo administration --dept 行政課 --as ito
refused "two forms" "give only one of --user LOGIN…, --dept DEPT and --applicant-dept" -- bind set anjo administration --dept 行政課 --applicant-dept --as root
refused "three forms" "give only one" -- bind set anjo administration --user kato --dept 行政課 --applicant-dept --as root
refused "no form" "give one of --user LOGIN…, --dept DEPT and --applicant-dept" -- bind set anjo administration --as root
refused "title with users" "--title goes with --dept or --applicant-dept" -- bind set anjo administration --user kato --title 課長 --as root
refused "an extra operand" "unexpected operand 'kato'" -- bind set anjo administration kato --dept 行政課 --as root
refused "an empty dept" "--dept is empty" -- bind set anjo administration --dept "" --as root
refused "a control character" "control character" -- bind set anjo administration --dept "$(printf '行政\t課')" --as root
refused "no party operand" "" -- bind set anjo --dept 行政課 --as root

# ---- bind unset ----
check "unset" 0 "unbound: anjo administration" "" -- bind unset anjo 行政課 --as root
is "unset: unbound again" "$(party anjo administration '(p["bound"], p["binding"])')" "(False, None)"
check "unset again: nothing to do" 0 "nothing to do" "" -- bind unset anjo administration --as root
is "audited as binding.unset" "$("$shinsa" audit export --format json | tail -1 | jget 'd["action"]')" binding.unset

# ---- the config file's bindings ----
cat > c.yaml <<'EOF'
database: shinsa.db
bindings:
  anjo:
    行政課: {users: [kato, abe]}
    system-manager: {applicant_dept: true, title: 主査}
  kobe:
    cio-adviser:
      dept: 行政課
      title: 係長
EOF
is "config: source and position" "$("$shinsa" --config c.yaml bind list anjo --format json | jget '[(x["id"], x["binding"]["source"], x["binding"]["config"]["line"], x["binding"]["config"]["col"]) for x in d["parties"] if x["bound"] and x["binding"]["source"] == "config"]')" \
   "[('administration', 'config', 4, 5), ('system-manager', 'config', 5, 5)]"
is "config: users resolve, the disabled one inactive" "$("$shinsa" --config c.yaml bind list anjo --format json | jget '[(x["binding"]["resolves"], x["binding"]["inactive"]) for x in d["parties"] if x["id"] == "administration"]')" \
   "[(['kato'], ['abe'])]"
is "config: dept and title" "$("$shinsa" --config c.yaml bind list kobe --format json | jget '[(x["binding"]["how"], x["binding"]["dept"], x["binding"]["title"], x["binding"]["resolves"]) for x in d["parties"] if x["id"] == "cio-adviser"]')" \
   "[('dept', '行政課', '係長', ['kato'])]"
check "config: table shows the file" 0 "c.yaml:4:5" "" -- --config c.yaml bind list anjo
is "config: the store's bindings still there" "$("$shinsa" --config c.yaml bind list anjo --format json | jget '[x["binding"]["source"] for x in d["parties"] if x["id"] == "section-chief"]')" "['store']"
# bind set overrides the file; unset gives it back
check "store over config" 0 "bound" "" -- --config c.yaml bind set anjo administration --dept 行政課 --as root
is "store over config: source" "$("$shinsa" --config c.yaml bind list anjo --format json | jget '[(x["binding"]["source"], x["binding"]["how"], x["binding"]["overrides"]["line"]) for x in d["parties"] if x["id"] == "administration"]')" \
   "[('store', 'dept', 4)]"
check "table: overrides" 0 "overrides" "" -- --config c.yaml bind list anjo
check "unset: back to the file" 0 "unbound" "" -- --config c.yaml bind unset anjo administration --as root
is "unset: the file's again" "$("$shinsa" --config c.yaml bind list anjo --format json | jget '[(x["binding"]["source"], x["binding"]["users"]) for x in d["parties"] if x["id"] == "administration"]')" \
   "[('config', ['kato', 'abe'])]"

# bad bindings in the file: refused at their line and column, for every command, nothing changed
bad() {   # NAME WANT_STDERR YAML
  printf 'database: shinsa.db\n%s' "$3" > bad.yaml
  refused "config: $1" "$2" -- --config bad.yaml bind list anjo
}
bad "not a mapping" "bad.yaml:2:11: bindings: 基準ごとの「当事者: 割当て」の並びです / bindings is a mapping of packs" 'bindings: [a]
'
bad "a pack not a mapping" "bad.yaml:3:9: bindings.anjo: 当事者（id または基準の文言）ごとの割当ての並びです / bindings.anjo is a mapping of parties" 'bindings:
  anjo: x
'
bad "two forms" "bad.yaml:4:10: bindings.anjo.行政課: users、dept、applicant_dept は一つだけ書きます / write only one of users, dept and applicant_dept" 'bindings:
  anjo:
    行政課: {users: [kato], dept: 行政課}
'
bad "no form" "bad.yaml:4:10: bindings.anjo.行政課: users、dept、applicant_dept のどれかを書きます / write one of users, dept and applicant_dept" 'bindings:
  anjo:
    行政課: {title: 課長}
'
bad "unknown key" "bad.yaml:4:11: bindings.anjo.行政課: 不明なキー 'login' です（使えるもの: users, dept, title, applicant_dept） / unknown key 'login'" 'bindings:
  anjo:
    行政課: {login: kato}
'
bad "users not a list" "bad.yaml:4:18: bindings.anjo.行政課.users: 利用者のログイン名の並び（1 人以上）です / takes a list of one or more logins" 'bindings:
  anjo:
    行政課: {users: kato}
'
bad "a login twice" "bad.yaml:4:25: bindings.anjo.行政課.users: 'kato' が二度あります / 'kato' is listed twice" 'bindings:
  anjo:
    行政課: {users: [kato, kato]}
'
bad "title with users" "bad.yaml:4:33: bindings.anjo.行政課: title は dept か applicant_dept と書きます（users には書きません） / title goes with dept or applicant_dept" 'bindings:
  anjo:
    行政課: {users: [kato], title: 課長}
'
bad "applicant_dept false" "bad.yaml:4:27: bindings.anjo.行政課.applicant_dept: true だけを書きます（申請者の所属。部署を名指すなら dept） / takes only true" 'bindings:
  anjo:
    行政課: {applicant_dept: false}
'
bad "an empty dept" "bad.yaml:4:17: bindings.anjo.行政課.dept: 空です / bindings.anjo.行政課.dept is empty" 'bindings:
  anjo:
    行政課: {dept: ""}
'
# … and at use, against the packs
bad "unknown pack" "bad.yaml:3:3: bindings: 基準 'nara' はありません（あるもの: anjo, kobe, otokuni, sendai, tokyo-ward）" 'bindings:
  nara:
    x: {dept: 行政課}
'
bad "unknown party" "bad.yaml:4:5: bindings.anjo: '課長' はこの基準の当事者ではありません（shinsa bind list anjo） / '課長' is not a party of anjo" 'bindings:
  anjo:
    課長: {dept: 行政課}
'
bad "a party twice" "bad.yaml:5:5: bindings.anjo: 「行政課」（administration）が二度割り当てられています" 'bindings:
  anjo:
    行政課: {dept: 行政課}
    administration: {dept: 行政課}
'
printf 'database: shinsa.db\nbindings:\n  anjo:\n    課長: {dept: 行政課}\n' > bad.yaml
refused "config: bind set refused too" "bad.yaml:4:5" -- --config bad.yaml bind set anjo administration --dept 行政課 --as root

check "audit verifies" 0 "the audit log verifies" "" -- audit verify
finish
