#!/usr/bin/env bash
# shinsa review end to end, on a real SQLite file in a temporary folder, with
# applications made, submitted, consulted and approved through `shinsa app`
# under 安城 Ⅲ (its one review, 定期的 with no cycle: the deployment's
# setting): approval schedules the review and shinsa's own before the
# certificate's expiry and the period's end; the list on different days
# (--today: scheduled, due, overdue) and its filters; done refused for someone
# who is neither the bound actor nor the manager, for an item that is not the
# review's, a date ahead; done by the manager with findings and items (the next
# of the cycle scheduled); done twice refused; events (one no review lists, an
# unknown kind, shinsa's own review for a certificate's event); the review
# settings from the config file (a 6-month cycle, said), bad settings refused
# with their position; the reviews of an ended service stopped. Every refused
# command leaves the records and the audit log as they were.
#   test_review.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 (the CLI) is needed"; exit 1; }

run() {
  out=$("$shinsa" "$@" 2>"$tmp/err")
  rc=$?
  err=$(cat "$tmp/err")
}
# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR -- ARGS...
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
# refused NAME WANT_STDERR -- ARGS...: exit 2, the message, nothing changed
refused() {
  local name=$1 want_err=$2 before
  shift 3
  before=$(state)
  check "$name" 2 "" "$want_err" -- "$@"
  is "$name: nothing changed" "$(state)" "$before"
}
export COLUMNS=250
pw='correct horse battery'

mkdir -p "$tmp/d" && cd "$tmp/d" || exit 1
"$shinsa" init >/dev/null || no "init"
printf '%s\n' "$pw" | "$shinsa" user add root --role admin --password-stdin >/dev/null || no "admin"
for u in "sato applicant 福祉課 主査" "kimura approver 福祉課 課長" "dx consultee デジタル推進課 主事" \
         "suzuki manager 情報政策課 係長"; do
  set -- $u
  printf '%s\n' "$pw" | "$shinsa" user add "$1" --role "$2" --dept "$3" --title "$4" --password-stdin --as root \
    >/dev/null || no "user add $1"
done
"$shinsa" bind set anjo section-chief --applicant-dept --title 課長 --as root >/dev/null || no "bind approver"
"$shinsa" bind set anjo digital-promotion --dept デジタル推進課 --as root >/dev/null || no "bind consultee"
"$shinsa" bind set anjo system-manager --user suzuki --as root >/dev/null || no "bind review actor"

# a profile with an ISMAP expiry, an application with a period's end
sed 's/^  ismap: true/  ismap: true\n  ismap_expiry: 2027-06-30/' "$src/examples/profiles/ismap-saas.yaml" > prof.yaml
sed 's/^  # period_end:.*/  period_end: 2028-03-31/' "$src/examples/applications/answered-anjo.yaml" > app.yaml
grep -q 'ismap_expiry: 2027-06-30' prof.yaml && grep -q 'period_end: 2028-03-31' app.yaml || no "fixtures"
prof=$("$shinsa" profile add prof.yaml --as sato 2>/dev/null) || no "profile add"

# approve APP: submit, the consultee's comment, the approval
approve() {
  "$shinsa" app submit "$1" --as sato >/dev/null 2>&1 || no "submit $1"
  "$shinsa" app comment "$1" --text 異議なし --as dx >/dev/null 2>&1 || no "comment $1"
  "$shinsa" app approve "$1" --comment 承認 --as kimura "${@:2}" >/dev/null 2>&1 || no "approve $1"
}
a1=$("$shinsa" app create --as sato --profile "$prof" --policy anjo --level III app.yaml 2>/dev/null) || no "create"
approve "$a1"
today=$(TZ=Asia/Tokyo date +%F)

# --help
check "review --help" 0 "review event APP --kind K" "" -- review --help
check "review alone" 2 "" "usage" -- review
check "review bogus" 2 "" "unknown subcommand 'bogus'" -- review bogus
for s in list done event; do check "review $s --help" 0 "shinsa review $s" "" -- review "$s" --help; done

# approval scheduled ops-measures (the setting's 12 months, said) and shinsa's own two
check "list" 0 "周期の定めなし（本システムの設定: 12か月）" "" -- review list
run review list --format json
is "three reviews" "$(echo "$out" | jget 'd["count"]')" 3
is "ops-measures" "$(echo "$out" | jget '[r["review"] for r in d["reviews"]]')" "['ops-measures', 'certificate-expiry', 'contract-end']"
is "the cycle's due" "$(echo "$out" | jget 'd["reviews"][0]["due"]')" "$(date -d "$today +12 months" +%F)"
is "the cycle, unspecified" "$(echo "$out" | jget 'd["reviews"][0]["cycle_unspecified"], d["reviews"][0]["cycle_months"]')" "(True, 12)"
is "the certificate's" "$(echo "$out" | jget 'd["reviews"][1]["due"], d["reviews"][1]["own"]')" "('2027-06-30', True)"
is "the period's end" "$(echo "$out" | jget 'd["reviews"][2]["due"]')" "2028-03-31"
is "owner: the manager (the applicant)" "$(echo "$out" | jget 'd["reviews"][0]["owner"]')" "sato"
is "audited" "$(q "SELECT count(*) FROM audit_log WHERE action = 'review.schedule'")" 3
r1=$(echo "$out" | jget 'd["reviews"][0]["id"]')

# the days: due within 30 days, overdue after
check "nothing due today" 0 "該当する点検はありません" "" -- review list --due --today 2027-01-01
run review list --due --today 2027-06-15 --format json
is "due: the certificate's" "$(echo "$out" | jget '[(r["review"], r["status"]) for r in d["reviews"]]')" "[('certificate-expiry', 'due')]"
run review list --overdue --today 2027-07-01 --format json
is "overdue" "$(echo "$out" | jget '[(r["review"], r["status"]) for r in d["reviews"]]')" "[('certificate-expiry', 'overdue')]"
check "overdue in a table" 0 "期限超過" "" -- review list --overdue --today 2027-07-01
run review list --app 999 --format json
is "another app: none" "$(echo "$out" | jget 'd["count"]')" 0
check "bad --today" 2 "" "--today 2027-02-30" -- review list --today 2027-02-30

# done: refused for kimura (neither bound nor the manager), for an item not judged at reviews, a date ahead
refused "done by someone else" "管理責任者（sato）" -- review done "$r1" --as kimura --today 2027-11-20
refused "done: no --as" "--as LOGIN" -- review done "$r1"
refused "done: unknown review" "there is no review '999'" -- review done 999 --as sato
refused "done: an item not the review's" "--item 1-1: 点検 $r1 で判定する項目ではありません" -- \
  review done "$r1" --as sato --item 1-1=met --today 2027-11-20
refused "done: a bad judgement" "met, unmet or not-applicable" -- review done "$r1" --as sato --item 7-3-1=ok \
  --today 2027-11-20
refused "done: a bad item form" "ID=VALUE" -- review done "$r1" --as sato --item 7-3-1 --today 2027-11-20
refused "done: a date ahead" "after today" -- review done "$r1" --as sato --date 2027-11-21 --today 2027-11-20
refused "done: a risk not accepted" "--risk-until R9" -- review done "$r1" --as sato --risk-until R9=2028-01-01 \
  --today 2027-11-20
# done by the manager: findings, the items, the next a cycle on
check "done" 0 "次回 / next" "" -- review done "$r1" --as sato --findings "運用の対策を確認した" --item 7-3-1=met \
  --item 7-3-2=not-applicable --date 2027-11-18 --today 2027-11-20
run review list --app "$a1" --format json
is "done and the next" "$(echo "$out" | jget '[(r["review"], r["state"]) for r in d["reviews"] if r["review"] == "ops-measures"]')" \
  "[('ops-measures', 'done'), ('ops-measures', 'scheduled')]"
is "the findings" "$(echo "$out" | jget '[r for r in d["reviews"] if r["id"] == "'"$r1"'"][0]["findings"]')" "運用の対策を確認した"
is "the items" "$(echo "$out" | jget '[(i["id"], i["judgement"]) for r in d["reviews"] if r["id"] == "'"$r1"'" for i in r["items"]]')" \
  "[('7-3-1', 'met'), ('7-3-2', 'not-applicable')]"
is "who and when" "$(echo "$out" | jget '[(r["done_by"], r["done_date"]) for r in d["reviews"] if r["id"] == "'"$r1"'"][0]')" "('sato', '2027-11-18')"
is "the next's due" "$(echo "$out" | jget '[r["due"] for r in d["reviews"] if r["state"] == "scheduled" and r["review"] == "ops-measures"][0]')" \
  "$(date -d "$today +24 months" +%F)"
is "audited: done" "$(q "SELECT count(*) FROM audit_log WHERE action = 'review.done' AND object_id = '$r1'")" 1
refused "done twice" "was done already" -- review done "$r1" --as sato --today 2027-11-20

# events
refused "event: no review lists it" "no review of application $a1" -- review event "$a1" --kind subcontractor-change --as sato
refused "event: unknown kind" "provider-change-notice（提供者からの変更通知）" -- review event "$a1" --kind earthquake --as sato
refused "event: no --kind" "--kind K" -- review event "$a1" --as sato
refused "event: someone else" "管理責任者" -- review event "$a1" --kind certificate-expiry --as kimura
refused "event: unknown app" "there is no application '999'" -- review event 999 --kind certificate-expiry --as sato
check "event: a certificate's" 0 "認証の有効期限" "" -- review event "$a1" --kind certificate-expiry --as sato \
  --note 更新の通知 --date "$today"
run review list --app "$a1" --format json
is "the event's review" "$(echo "$out" | jget '[(r["trigger"], r["due"], r["recorded_event"]["note"]) for r in d["reviews"] if r["trigger"] == "event"]')" \
  "[('event', '$(date -d "$today +30 days" +%F)', '更新の通知')]"
is "audited: event" "$(q "SELECT count(*) FROM audit_log WHERE action = 'review.event'")" 1

# the settings in the config file: a 6-month cycle, said; moves on 10-01
printf 'database: shinsa.db\nreview_cycle_months: 6\npersonnel_move_date: 10-01\nreview_notice_days: 10\n' > cfg.yaml
a2=$("$shinsa" app create --as sato --profile "$prof" --policy anjo --level III app.yaml 2>/dev/null) || no "create 2"
approve "$a2" --config cfg.yaml
run --config cfg.yaml review list --app "$a2" --format json
is "6 months" "$(echo "$out" | jget '[(r["due"], r["cycle_months"]) for r in d["reviews"] if r["review"] == "ops-measures"]')" \
  "[('$(date -d "$today +6 months" +%F)', 6)]"
is "notice 10 days" "$(echo "$out" | jget 'd["notice_days"]')" 10
check "6 months, said" 0 "本システムの設定: 6か月" "" -- --config cfg.yaml review list --app "$a2"
for bad in "review_cycle_months: 0|1 to 120" "review_cycle_months: twelve|1 to 120" \
           "personnel_move_date: 13-01|MM-DD" "personnel_move_date: 4/1|MM-DD" "review_notice_days: -1|0 to 366" \
           "review_event_days: 400|0 to 366"; do
  printf 'database: shinsa.db\n%s\n' "${bad%%|*}" > bad.yaml
  refused "config ${bad%%|*}" "bad.yaml:2:" -- --config bad.yaml review list
  check "config ${bad%%|*}: the message" 2 "" "${bad##*|}" -- --config bad.yaml review list
done

# the service's use ends: its reviews stop
"$shinsa" app start "$a2" --as sato >/dev/null 2>&1 || no "start"
"$shinsa" app end "$a2" --date "$today" --as sato >/dev/null 2>&1 || no "end"
run review list --app "$a2" --format json
is "stopped" "$(echo "$out" | jget 'sorted(set(r["status"] for r in d["reviews"]))')" "['stopped']"
run review list --due --today 2030-01-01 --format json
is "stopped ones are not due" "$(echo "$out" | jget 'sorted(set(r["app"] for r in d["reviews"]))')" "['$a1']"
r2=$(echo "$("$shinsa" review list --app "$a2" --format json)" | jget 'd["reviews"][0]["id"]')
refused "done: stopped" "its reviews have stopped" -- review done "$r2" --as sato
refused "event: ended" "not approved or in use" -- review event "$a2" --kind certificate-expiry --as sato

# the chain still verifies
check "audit verify" 0 "" "" -- audit verify
finish
