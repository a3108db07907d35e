#!/usr/bin/env bash
# shinsa ledger end to end, on a real SQLite file in a temporary folder, with
# applications through `shinsa app` under 安城 Ⅲ (whose ledger fields copy
# 第5条第2項's items, the pack saying it has no ledger): approved ones on the
# ledger with their fields from the facts and their next review, drafts not;
# one taken through its end to closed, kept in the history (--history,
# --state closed); the filters (dept, level, provider, the period's end),
# paging; CSV as UTF-8 with a BOM and the fields' Japanese labels as headers;
# JSON; bad filters refused, naming what is wrong, with nothing changed.
#   test_ledger.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 (the CLI) is needed"; exit 1; }

run() {
  out=$("$shinsa" "$@" 2>"$tmp/err")
  rc=$?
  err=$(cat "$tmp/err")
}
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  run "$@"
  if [ "$rc" != "$want_rc" ]; then no "$name: exit $rc, want $want_rc (stdout: $out) (stderr: $err)"; return; fi
  if [ -n "$want_out" ] && [[ "$out" != *"$want_out"* ]]; then no "$name: stdout lacks '$want_out': $out"; return; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then no "$name: stderr lacks '$want_err': $err"; return; fi
  ok
}
is() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
q() { sqlite3 shinsa.db "$1"; }
state() { "$shinsa" audit anchor --format json; q "SELECT count(*), coalesce(max(at), '') FROM records"; }
refused() {
  local name=$1 want_err=$2 before
  shift 3
  before=$(state)
  check "$name" 2 "" "$want_err" -- "$@"
  is "$name: nothing changed" "$(state)" "$before"
}
ids() { "$shinsa" ledger "$@" --format json | jget '[r["id"] for r in d["rows"]]'; }
export COLUMNS=250
pw='correct horse battery'
today=$(TZ=Asia/Tokyo date +%F)

mkdir -p "$tmp/d" && cd "$tmp/d" || exit 1
"$shinsa" init >/dev/null || no "init"
printf '%s\n' "$pw" | "$shinsa" user add root --role admin --password-stdin >/dev/null || no "admin"
for u in "sato applicant 福祉課 主査" "kimura approver 福祉課 課長" "mori applicant 税務課 主事" \
         "tanaka approver 税務課 課長" "dx consultee デジタル推進課 主事"; do
  set -- $u
  printf '%s\n' "$pw" | "$shinsa" user add "$1" --role "$2" --dept "$3" --title "$4" --password-stdin --as root \
    >/dev/null || no "user add $1"
done
"$shinsa" bind set anjo section-chief --applicant-dept --title 課長 --as root >/dev/null || no "bind approver"
"$shinsa" bind set anjo digital-promotion --dept デジタル推進課 --as root >/dev/null || no "bind consultee"
"$shinsa" bind set anjo system-manager --applicant-dept --title 課長 --as root >/dev/null || no "bind manager"

prof=$("$shinsa" profile add "$src/examples/profiles/ismap-saas.yaml" --as sato 2>/dev/null) || no "profile add"
sed 's/^  # period_end:.*/  period_end: 2028-03-31/' "$src/examples/applications/answered-anjo.yaml" > long.yaml
sed 's/^  # period_end:.*/  period_end: 2027-09-30/' "$src/examples/applications/answered-anjo.yaml" > short.yaml

# approved VAR WHO APPROVER FILE: an application approved, its id in VAR
approved() {
  local id
  id=$("$shinsa" app create --as "$2" --profile "$prof" --policy anjo --level III "$4" 2>/dev/null) || no "create"
  "$shinsa" app submit "$id" --as "$2" >/dev/null 2>&1 || no "submit $id"
  "$shinsa" app comment "$id" --text 異議なし --as dx >/dev/null 2>&1 || no "comment $id"
  "$shinsa" app approve "$id" --comment 承認 --as "$3" >/dev/null 2>&1 || no "approve $id"
  printf -v "$1" '%s' "$id"
}
approved a1 sato kimura long.yaml
approved a2 mori tanaka short.yaml
approved a3 sato kimura short.yaml
draft=$("$shinsa" app create --as sato --profile "$prof" --policy anjo --level III long.yaml 2>/dev/null) || no "draft"
# a3 through its end to closed
"$shinsa" app start "$a3" --as sato >/dev/null 2>&1 || no "start"
"$shinsa" app end "$a3" --date "$today" --as sato >/dev/null 2>&1 || no "end"
"$shinsa" app confirm-deletion "$a3" --method purge --certificate CERT-1 --date "$today" --as sato >/dev/null 2>&1 ||
  no "confirm-deletion"
"$shinsa" app close "$a3" --as root >/dev/null 2>&1 || no "close"

check "ledger --help" 0 "--expiring-before DATE" "" -- ledger --help
is "the ledger: approved ones, no draft, no closed" "$(ids)" "['$a1', '$a2']"
run ledger --format json
is "total" "$(echo "$out" | jget 'd["total"], d["count"]')" "(2, 2)"
is "the row" "$(echo "$out" | jget '[(r["state"], r["pack"], r["level"], r["dept"], r["provider"], r["approved_at"][:10], r["period_end"]) for r in d["rows"]][0]')" \
  "('approved', 'anjo', 'III', '福祉課', '株式会社サンプル電子', '$today', '2028-03-31')"
is "the next review" "$(echo "$out" | jget 'd["rows"][0]["next_review"]["due"], d["rows"][0]["next_review"]["status"]')" \
  "('$(date -d "$today +12 months" +%F)', 'scheduled')"
is "安城: copied, said" "$(echo "$out" | jget 'd["rows"][0]["ledger"]')" "copied"
is "the fields" "$(echo "$out" | jget '[(f["label"], f["value"]) for f in d["rows"][0]["fields"]][:3]')" \
  "[('利用サービスの名称', 'まちかど電子申請クラウド'), ('サービス提供事業者', '株式会社サンプル電子'), ('利用目的（業務内容）', 'ホームページで公開する審議会の会議録の作成（録音の文字起こし及び要約）')]"
is "the period's end field" "$(echo "$out" | jget '[f["value"] for f in d["rows"][0]["fields"] if f["id"] == "period_end"]')" "['2028-03-31']"
check "table" 0 "台帳の定めはなく" "" -- ledger
check "table: a field" 0 "利用目的（業務内容）: ホームページで公開する" "" -- ledger

# the history
is "--history" "$(ids --history)" "['$a1', '$a2', '$a3']"
is "--state closed" "$(ids --state closed)" "['$a3']"
is "--state approved" "$(ids --state approved)" "['$a1', '$a2']"
is "closed: no next review" "$("$shinsa" ledger --state closed --format json | jget 'd["rows"][0]["next_review"]')" "None"
# filters
is "--dept" "$(ids --dept 税務課)" "['$a2']"
is "--level III" "$(ids --level III)" "['$a1', '$a2']"
is "--level I" "$(ids --level I)" "[]"
is "--provider part" "$(ids --provider サンプル)" "['$a1', '$a2']"
is "--provider none" "$(ids --provider 存在しない)" "[]"
is "--expiring-before" "$(ids --expiring-before 2027-10-01)" "['$a2']"
is "--expiring-before (exclusive)" "$(ids --expiring-before 2027-09-30)" "[]"
is "--expiring-before and --history" "$(ids --expiring-before 2028-01-01 --history)" "['$a2', '$a3']"
check "nothing matches" 0 "nothing on the ledger matches" "" -- ledger --dept 総務課
# paging
is "--limit" "$(ids --limit 1)" "['$a1']"
is "--limit --offset" "$(ids --limit 1 --offset 1)" "['$a2']"
run ledger --limit 1 --offset 1 --format json
is "paging: the total" "$(echo "$out" | jget 'd["total"], d["count"], d["offset"], d["limit"]')" "(2, 1, 1, 1)"
# CSV: a BOM, the labels as headers, one row each
"$shinsa" ledger --history --format csv > l.csv || no "csv"
is "csv: the BOM" "$(head -c 3 l.csv | od -An -tx1 | tr -d ' ')" "efbbbf"
is "csv: rows" "$(wc -l < l.csv | tr -d ' ')" 4
head -1 l.csv | grep -q '"番号","状態","基準","区分","所属","提供者","サービス","承認日","利用期間の終了","次回点検","利用サービスの名称"' &&
  ok || no "csv header: $(head -1 l.csv)"
grep -q '"情報システムの管理責任者（所属・役職・氏名）"' l.csv && ok || no "csv: the manager's label"
grep -q "\"$a3\",\"完了（履歴）\"" l.csv && ok || no "csv: the closed row"
is "csv: CRLF" "$(head -1 l.csv | od -An -c | grep -c '\\r')" 1

# bad input, named, nothing changed
refused "--state bogus" "--state draft is not a ledger state" -- ledger --state draft
refused "--expiring-before bad" "--expiring-before 2027-02-30 is not a date" -- ledger --expiring-before 2027-02-30
refused "--dept empty" "--dept is empty" -- ledger --dept ""
refused "--limit negative" "--limit" -- ledger --limit -1
refused "--format bad" "--format" -- ledger --format xml
refused "operand" "" -- ledger extra
refused "--today bad" "--today 2027-13-01" -- ledger --today 2027-13-01
finish
