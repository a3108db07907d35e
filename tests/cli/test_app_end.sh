#!/usr/bin/env bash
# shinsa app after the decision: the tasks approval opens (乙訓 5.2(3)(4):
# 記録, 指名, 台帳登録, owned by the bound 統括情報セキュリティ責任者, due after
# the deployment's task_due_days) and 安城 第10条's 個別確認 at submission;
# the start, the end report with the pack's end-of-use items, the deletion's
# confirmation (method, certificate, date, and 乙訓 3.5's items judged), the
# close; the notification path (届出) of an exempt service; and the audit log's
# entries for each.
#   test_app_end.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/app_lib.sh"
make_base
days_later() { python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=int(sys.argv[2])))' "$1" "$2"; }

# ---- tasks at approval (乙訓): owner, due date from the deployment's setting
fresh tasks
printf 'task_due_days: 7\n' > "$tmp/tasks/shinsa.yaml"
a=$(new_app sato 1 otokuni "$fx/otokuni-2.yaml")
"$shinsa" app submit "$a" --as sato >/dev/null || no "tasks: submit"
check "approval opens the procedure's tasks" 0 "submitted → approved" "opened task 3" -- --config shinsa.yaml app approve "$a" --comment 許可 --as ueda
s=$("$shinsa" app show "$a" --format json)
is "three tasks: the steps after approval" "$(jget '[t["step"] for t in d["tasks"]]' <<<"$s")" "['record', 'nominate', 'register']"
is "owned by the bound 統括情報セキュリティ責任者" "$(jget 'sorted(set(t["owner"] for t in d["tasks"]))' <<<"$s")" "['ueda']"
is "due task_due_days after" "$(jget 'd["tasks"][0]["due"]' <<<"$s")" "$(days_later "$today" 7)"
is "the due date is the deployment's" "$(jget 'd["tasks"][0]["due_basis"]' <<<"$s")" deployment
is "the seed's words and reference" "$(jget 'd["tasks"][1]["ref"] + " " + d["tasks"][1]["text"]' <<<"$s")" "5.2(3) 申請を行った情報セキュリティ責任者を外部サービス管理者に指名する。"
t2=$(jget 'd["tasks"][1]["id"]' <<<"$s")
n=$(audit_count)
check "a task is done by its owner only" 2 "" "task $t2 is ueda's, not sato's" -- app task done "$t2" --as sato
check "no such task" 2 "" "there is no task '99'" -- app task done 99 --as ueda
check "task done needs --as" 2 "" "--as LOGIN" -- app task done "$t2"
check "app task needs done" 2 "" "the subcommand is done" -- app task finish "$t2" --as ueda
is "refused task changes: nothing written" "$(audit_count)" "$n"
check "the owner marks it done" 0 "task $t2 is done" "" -- app task done "$t2" --as ueda --comment 福祉課の佐藤を指名した
check "done twice" 2 "" "task $t2 is already done" -- app task done "$t2" --as ueda
s=$("$shinsa" app show "$a" --format json)
is "the task records who, when and what" "$(jget '[t["state"] + " " + (t["done_by"] or "") + " " + (t["comment"] or "") for t in d["tasks"]][1]' <<<"$s")" "done ueda 福祉課の佐藤を指名した"
is "default due: 14 days" "$(cd "$tmp" && fresh tasks-14 base && b=$(new_app sato 1 otokuni "$fx/otokuni-2.yaml") && "$shinsa" app submit "$b" --as sato >/dev/null && "$shinsa" app approve "$b" --comment 可 --as ueda >/dev/null 2>&1 && field "$b" 'd["tasks"][0]["due"]')" "$(days_later "$today" 14)"
cd "$tmp/tasks" || exit 1
# 安城 第10条: 国・県主導で適用除外のとき、協議は行わず、個別確認のタスクが申請者に（提出時）
fresh exempt
a=$(new_app sato 2 anjo "$fx/anjo-I-exempt.yaml")
is "government-led under 安城: exempt" "$(field "$a" 'd["assessment"]["verdict"]')" exempt
check "no consultation for the exempt service" 0 "draft → submitted" "opened task" -- app submit "$a" --as sato
s=$("$shinsa" app show "$a" --format json)
is "個別確認 is a task of the applicant's" "$(jget '[(t["step"], t["owner"], t["stage"], t["optional"]) for t in d["tasks"]]' <<<"$s")" "[('individual-check', 'sato', 'application', True)]"
is "the consultation is skipped" "$(jget 'd["consultation"]' <<<"$s")" None
check "the exempt service is approved" 0 "submitted → approved" "" -- app approve "$a" --comment 第10条により確認 --as tanaka
fresh exempt-rejected
a=$(new_app sato 2 anjo "$fx/anjo-I-exempt.yaml")
"$shinsa" app submit "$a" --as sato >/dev/null && "$shinsa" app reject "$a" --comment 不可 --as tanaka >/dev/null || no "exempt-rejected: setup"
n=$(audit_count)
check "a task of a rejected application is not done" 2 "" "task 1 belongs to application $a, which is rejected: its tasks can no longer be done" -- app task done 1 --as sato
is "refused: nothing written" "$(audit_count)" "$n"

# ---- the end of use (乙訓): start, end report, deletion confirmed with the items, close
fresh end
a=$(new_app sato 1 otokuni "$fx/otokuni-2.yaml")
"$shinsa" app submit "$a" --as sato >/dev/null && "$shinsa" app approve "$a" --comment 許可 --as ueda >/dev/null 2>&1 || no "end: setup"
n=$(audit_count)
check "start: a bad date" 2 "" "--date '2027-02-30' is not a date (YYYY-MM-DD)" -- app start "$a" --date 2027-02-30 --as sato
check "start: not a date" 2 "" "is not a date" -- app start "$a" --date tomorrow --as sato
check "start: before the approval" 2 "" "is before the approval" -- app start "$a" --date 2020-01-01 --as sato
check "start: an approver may not" 2 "" "ueda may not start application $a" -- app start "$a" --as ueda
check "end before start" 2 "" "application $a is approved: end is taken only when it is in-use" -- app end "$a" --date "$today" --as sato
is "refusals: nothing written" "$(audit_count)" "$n"
check "started by the manager" 0 "approved → in-use" "" -- app start "$a" --date "$today" --as mori
is "started_at is the date" "$(field "$a" 'd["dates"]["started_at"]')" "$today"
check "end needs --date" 2 "" "--date D (the day the use ends) is required" -- app end "$a" --as sato
check "end before the start" 2 "" "is before the start" -- app end "$a" --date 2020-01-01 --as sato
end=$(days_later "$today" 30)
check "the end reported" 0 "in-use → end-reported" "" -- app end "$a" --date "$end" --comment "統括情報セキュリティ責任者に報告した" --as sato
s=$("$shinsa" app show "$a" --format json)
is "the end report's comment in the history" "$(jget '[h["comment"] for h in d["history"] if h["action"] == "end"]' <<<"$s")" "['統括情報セキュリティ責任者に報告した']"
is "the end report: date and who" "$(jget 'd["end_report"]["date"] + " " + d["end_report"]["by"]' <<<"$s")" "$end sato"
is "the end report: the pack's end-of-use items (3.5 ア〜ウ, 5.2(5))" "$(jget '[x["id"] for x in d["end_report"]["items"]]' <<<"$s")" "['plan', 'disposal', 'accounts', 'report']"
is "the items judged at the deletion" "$(jget '[x["id"] for x in d["snapshot"]["end_of_use_items"]]' <<<"$s")" \
   "['3.5-ア-1', '3.5-ア-2', '3.5-イ-1', '3.5-ウ-1', '3.5-ウ-2', '3.5-ウ-3']"
all_items=(--item 3.5-ア-1=met --item 3.5-ア-2=met --item 3.5-イ-1=met --item 3.5-ウ-1=met --item 3.5-ウ-2=not-applicable --item 3.5-ウ-3=met)
del=$(days_later "$end" 5)
n=$(audit_count)
check "confirm: --method required" 2 "" "--method M (clear, purge, destroy, or contract:TEXT) is required" -- app confirm-deletion "$a" --certificate C-1 --date "$del" "${all_items[@]}" --as sato
check "confirm: not a method" 2 "" "--method 'shred' is not a method of deletion" -- app confirm-deletion "$a" --method shred --certificate C-1 --date "$del" "${all_items[@]}" --as sato
check "confirm: contract: needs its text" 2 "" "--method contract:TEXT is required" -- app confirm-deletion "$a" --method contract: --certificate C-1 --date "$del" "${all_items[@]}" --as sato
check "confirm: --certificate required" 2 "" "--certificate is required" -- app confirm-deletion "$a" --method purge --date "$del" "${all_items[@]}" --as sato
check "confirm: --date required" 2 "" "--date D (the day of the deletion) is required" -- app confirm-deletion "$a" --method purge --certificate C-1 "${all_items[@]}" --as sato
check "confirm: a bad date" 2 "" "is not a date" -- app confirm-deletion "$a" --method purge --certificate C-1 --date 2031/01/01 "${all_items[@]}" --as sato
check "confirm: before the end" 2 "" "is before the end of use" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$today" "${all_items[@]}" --as sato
check "confirm: items unjudged, listed" 2 "" "6 required end-of-use items are not judged" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" --as sato
has "the unjudged item named" "$(cat "$tmp/err")" "3.5-ウ-1 外部サービス利用者アカウントの削除: 未判定 / not judged"
check "confirm: one item left" 2 "" "1 required end-of-use items are not judged" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" "${all_items[@]:0:10}" --as sato
check "confirm: an unknown item" 2 "" "--item 9.9 is not an end-of-use item of this application (items: 3.5-ア-1" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" "${all_items[@]}" --item 9.9=met --as sato
check "confirm: a bad judgement" 2 "" "the judgement is met, unmet or not-applicable" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" --item 3.5-ア-1=yes --as sato
check "confirm: not ID=J" 2 "" "takes ID=JUDGEMENT" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" --item 3.5-ア-1 --as sato
check "confirm: an item twice" 2 "" "--item 3.5-ア-1 is given twice" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" "${all_items[@]}" --item 3.5-ア-1=met --as sato
check "confirm: an unmet account deletion" 2 "" "1 required end-of-use items are unmet" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" "${all_items[@]:0:10}" --item 3.5-ウ-3=unmet --as sato
check "confirm: an auditor may not" 2 "" "abe may not confirm-deletion" -- app confirm-deletion "$a" --method purge --certificate C-1 --date "$del" "${all_items[@]}" --as abe
check "close before the deletion is confirmed" 2 "" "close is taken only when it is deletion-confirmed" -- app close "$a" --as root
is "refused confirmations: nothing written" "$(audit_count)" "$n"
check "the deletion confirmed (what the contract says)" 0 "end-reported → deletion-confirmed" "" -- app confirm-deletion "$a" --method "contract:契約書第12条（消去の方法）" --certificate "消去証明書 第2027-15号" --date "$del" "${all_items[@]}" --as sato
s=$("$shinsa" app show "$a" --format json)
is "the deletion: method and the contract's words" "$(jget 'd["deletion"]["method"] + " " + d["deletion"]["contract"]' <<<"$s")" "contract 契約書第12条（消去の方法）"
is "the deletion: certificate and date" "$(jget 'd["deletion"]["certificate"] + " " + d["deletion"]["date"]' <<<"$s")" "消去証明書 第2027-15号 $del"
is "the deletion: items judged" "$(jget '[(x["id"], x["judgement"]) for x in d["deletion"]["items"]][3:5]' <<<"$s")" "[('3.5-ウ-1', 'met'), ('3.5-ウ-2', 'not-applicable')]"
check "close: not by the applicant" 2 "" "sato (applicant) may not close" -- app close "$a" --as sato
n=$(audit_count)
check "close: the procedure's tasks still open" 2 "" "application $a has open tasks of its procedure: 1（record）、2（nominate）、3（register）" -- app close "$a" --as root
is "close refused: nothing written" "$(audit_count)" "$n"
for t in 1 2 3; do "$shinsa" app task done "$t" --as ueda >/dev/null || no "end: task $t"; done
check "closed by an admin" 0 "deletion-confirmed → closed" "" -- app close "$a" --as root
is "closed: nothing next" "$(field "$a" 'd["next"]')" "[]"
check "closed: show says none" 0 "なし（完了） / none" "" -- app show "$a"
is "closed: in the list" "$("$shinsa" app list --state closed --format json | jget '[x["id"] for x in d]')" "['$a']"
is "closed: the list shows the verdict it was decided on" "$("$shinsa" app list --state closed --format json | jget '[x["verdict"] for x in d]')" "['conforming']"
# NIST SP 800-88 methods
fresh nist
a=$(new_app sato 1 anjo "$fx/anjo-I.yaml")
for step in "submit" "comment --text 可 --as kato" "comment --text 可 --as ito" "approve --comment 可 --as tanaka" "start" "end --date $today"; do
  # shellcheck disable=SC2086
  set -- $step
  if [ "$1" = submit ] || [ "$1" = start ] || [ "$1" = end ]; then "$shinsa" app $step "$a" --as sato >/dev/null 2>&1 || no "nist: $step"
  else "$shinsa" app "$1" "$a" "${@:2}" >/dev/null 2>&1 || no "nist: $step"; fi
done
check "安城 has no end-of-use items to judge: purge" 0 "end-reported → deletion-confirmed" "" -- app confirm-deletion "$a" --method purge --certificate 証明書A --date "$today" --as mori
is "purge is NIST SP 800-88's" "$(field "$a" 'd["deletion"]["method"] + " " + d["deletion"]["standard"]')" "purge NIST SP 800-88"
check "closed by a manager" 0 "deletion-confirmed → closed" "" -- app close "$a" --as mori

# ---- the notification path (届出): an exempt service is notified, not approved
fresh notify
a=$(new_app sato 1 constructs "$fx/constructs-notice.yaml")
is "exempt, with a notification" "$(field "$a" 'd["assessment"]["notification"]["to"]')" デジタル推進課
check "submit notifies" 0 "draft → notified" "" -- app submit "$a" --as sato
s=$("$shinsa" app show "$a" --format json)
is "the route" "$(jget 'd["route"]' <<<"$s")" notification
is "the notification: to and form" "$(jget 'd["notification"]["to"] + " " + d["notification"]["form_title"]' <<<"$s")" "デジタル推進課 様式第2号"
is "notified_at in JST" "$(jget 'd["dates"]["notified_at"][-6:]' <<<"$s")" "+09:00"
is "no approval on this path" "$(jget 'd["dates"]["approved_at"]' <<<"$s")" None
is "next: start" "$(jget '[x["action"] for x in d["next"]]' <<<"$s")" "['start']"
check "a notified service is not approved" 2 "" "application $a is notified: approve is taken only when it is submitted, in-consultation" -- app approve "$a" --comment 可 --as tanaka
check "start a notified service" 0 "notified → in-use" "" -- app start "$a" --as sato
check "its end" 0 "in-use → end-reported" "" -- app end "$a" --date "$today" --as sato
check "its deletion" 0 "end-reported → deletion-confirmed" "" -- app confirm-deletion "$a" --method destroy --certificate 廃棄証明 --date "$today" --as sato
check "closed" 0 "deletion-confirmed → closed" "" -- app close "$a" --as root
is "the notification path's history" "$(field "$a" '[h["to"] for h in d["history"]]')" "['draft', 'notified', 'in-use', 'end-reported', 'deletion-confirmed', 'closed']"

# ---- the audit log: one entry per transition and task, each named app.ACTION
cd "$tmp/end" || exit 1
acts=$("$shinsa" audit export --format json | python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["action"] for l in sys.stdin if json.loads(l)["action"].startswith("app.")})))')
is "the actions recorded" "$acts" "app.approve app.close app.confirm-deletion app.create app.end app.snapshot app.start app.submit app.task.done"
is "an entry per version" "$("$shinsa" audit export --format json | python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["object_type"] == "app"))')" "$(field "$a" 'd["version"]')"
approval() {
  "$shinsa" audit export --format json | python3 -c '
import json, sys
x = [x for x in map(json.loads, sys.stdin) if x["action"] == "app.approve" and x["object_type"] == "app"][0]
print(x["actor"], x["comment"], json.loads(x["before"])["state"], "->", json.loads(x["after"])["state"])'
}
is "the approval's entry: actor, comment, before and after" "$(approval)" "ueda 許可 submitted -> approved"
cd "$tmp/tasks" || exit 1
is "task entries" "$("$shinsa" audit export --format json | python3 -c 'import json,sys; print(sorted({(x["action"], x["object_type"]) for x in map(json.loads, sys.stdin) if x["object_type"] == "task"}))')" "[('app.approve', 'task'), ('app.task.done', 'task')]"
for d in tasks exempt end nist notify; do
  (cd "$tmp/$d" && "$shinsa" audit verify >/dev/null) && ok || no "audit verify in $d"
done
finish
