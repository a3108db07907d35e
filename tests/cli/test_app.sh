#!/usr/bin/env bash
# shinsa app, from creation to the decision: the application file assessed
# with a stored profile, bad input refused with nothing changed, an
# incomplete application refused at submission with its open items, a
# nonconforming one only returned or rejected, a missing binding named, the
# snapshot kept when the pack is edited afterwards, the consultation (every
# party consulted must comment), a profile changed after submission, and the
# history each transition records (actor, JST time, channel, comment).
#   test_app.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/app_lib.sh"
make_base

# ---- create, show, list; bad input changes nothing
fresh create
n0=$(audit_count)
check "create needs --as" 2 "" "--as LOGIN" -- app create --profile 1 --policy anjo "$fx/anjo-I.yaml"
check "an approver cannot create" 2 "" "tanaka (approver) may not create" -- app create --as tanaka --profile 1 --policy anjo "$fx/anjo-I.yaml"
check "an auditor cannot create" 2 "" "abe (auditor) may not create" -- app create --as abe --profile 1 --policy anjo "$fx/anjo-I.yaml"
check "an unknown user" 2 "" "there is no user 'nobody'" -- app create --as nobody --profile 1 --policy anjo "$fx/anjo-I.yaml"
check "no such profile" 2 "" "no profile 9" -- app create --as sato --profile 9 --policy anjo "$fx/anjo-I.yaml"
check "--profile is required" 2 "" "--profile ID is required" -- app create --as sato --policy anjo "$fx/anjo-I.yaml"
check "no such pack" 2 "" "no pack 'nope' (packs: anjo" -- app create --as sato --profile 1 --policy nope "$fx/anjo-I.yaml"
check "no such level" 2 "" "'IV' is not a level of anjo (levels: I, II, III)" -- app create --as sato --profile 1 --policy anjo --level IV "$fx/anjo-I.yaml"
check "no such file" 2 "" "cannot open" -- app create --as sato --profile 1 --policy anjo "$tmp/none.yaml"
printf 'app:\n  classification: {anjo: I}\nanswers:\n  anjo:\n    "7-2-8": はい\n' > "$tmp/bad-answer.yaml"
check "an answer that is not the pack's" 2 "" "bad-answer.yaml:5:5: answers.anjo.7-2-8: 'はい' は anjo 7-2-8 の回答にありません" -- \
  app create --as sato --profile 1 --policy anjo "$tmp/bad-answer.yaml"
printf 'service:\n  name: x\n' > "$tmp/a-profile.yaml"
check "a profile given as the application" 2 "" "unknown key 'service' in an application" -- app create --as sato --profile 1 --policy anjo "$tmp/a-profile.yaml"
printf 'app:\n  personal_info: false\n' > "$tmp/no-level.yaml"
check "no level for the pack" 2 "" "give --level" -- app create --as sato --profile 1 --policy anjo "$tmp/no-level.yaml"
is "refused creates left the audit log" "$(audit_count)" "$n0"
check "app list: none" 0 "there are no applications" "" -- app list
check "create prints the id" 0 "1" "made application 1 (a draft)" -- app create --as sato --profile 1 --policy anjo "$fx/anjo-I.yaml"
is "create: one audit entry" "$(audit_count)" "$((n0 + 1))"
j=$("$shinsa" app create --as sato --profile 1 --policy otokuni "$fx/otokuni-2.yaml" --format json)
is "create json: id" "$(jget 'd["id"]' <<<"$j")" 2
is "create json: to" "$(jget 'd["to"]' <<<"$j")" draft
if command -v sqlite3 >/dev/null; then
  is "the record's keys" "$(sqlite3 shinsa.db "SELECT state, owner, dept, level, provider, pack, parent, due FROM records WHERE kind = 'app' AND id = '2' AND newest = 1")" \
     "draft|sato|福祉課|2|株式会社サンプル電子|otokuni|profile:1|2030-03-31"
fi
s=$("$shinsa" app show 1 --format json)
is "show: state" "$(jget 'd["state"]' <<<"$s")" draft
is "show: pack and level" "$(jget 'd["pack"] + " " + d["level"]' <<<"$s")" "anjo I"
is "show: applicant and dept" "$(jget 'd["applicant"]["login"] + " " + d["applicant"]["dept"]' <<<"$s")" "sato 福祉課"
is "show: profile and version" "$(jget 'd["profile"]["id"] + " " + str(d["profile"]["version"])' <<<"$s")" "1 1"
is "show: assessed conforming" "$(jget 'd["assessment"]["verdict"]' <<<"$s")" conforming
is "show: no snapshot before submission" "$(jget 'd["snapshot"]' <<<"$s")" None
is "show: history records the creation" "$(jget '[h["action"] + ":" + h["to"] + ":" + h["actor"] for h in d["history"]]' <<<"$s")" "['create:draft:sato']"
is "show: the channel" "$(jget 'd["history"][0]["channel"]' <<<"$s")" "cli:$(id -un)"
[[ $(jget 'd["history"][0]["at"]' <<<"$s") == *+09:00 ]] && ok || no "history time in JST: $s"
is "show: next: submit or update, by sato" "$(jget '[(x["action"], x["users"]) for x in d["next"]]' <<<"$s")" "[('update', 'sato'), ('submit', 'sato')]"
is "show: the answers with who and when" "$(jget '[x["by"] for x in d["decisions"] if x["kind"] == "answer"][:1]' <<<"$s")" "['sato']"
is "show: the answer's answered_by from the file" "$(jget 'd["decisions"][0]["answered_by"]' <<<"$s")" "福祉課 主査 佐藤花子"
check "show (table)" 0 "申請 1 — 下書き（draft）" "" -- app show 1
check "show: no such application" 2 "" "there is no application '9'" -- app show 9
check "list" 0 "まちかど電子申請クラウド" "" -- app list
is "list --state draft" "$("$shinsa" app list --state draft --format json | jget 'len(d)')" 2
is "list --state in_use (underscore)" "$("$shinsa" app list --state in_use --format json | jget 'len(d)')" 0
check "list --state bogus" 2 "" "--state 'bogus' is not a state" -- app list --state bogus
n1=$(audit_count)
check "update by another applicant" 2 "" "suzuki may not update application 1" -- app update 1 "$fx/anjo-I.yaml" --as suzuki
check "update with a bad file" 2 "" "is not an answer of anjo" -- app update 1 "$tmp/bad-answer.yaml" --as sato
check "update of an unknown application" 2 "" "there is no application '7'" -- app update 7 "$fx/anjo-I.yaml" --as sato
check "submit without --as" 2 "" "--as LOGIN" -- app submit 1
check "comment needs --text" 2 "" "--text is required" -- app comment 1 --as kato
check "approve needs --comment" 2 "" "--comment is required" -- app approve 1 --as tanaka
is "refusals left the audit log" "$(audit_count)" "$n1"
check "update by its applicant" 0 "application 1: draft → draft (update)" "" -- app update 1 "$fx/anjo-I.yaml" --as sato
is "update: a new version" "$(field 1 'd["version"]')" 2

# ---- incomplete: refused at submission, with the open items
fresh incomplete
printf 'app:\n  classification: {anjo: I}\n  personal_info: false\n  specific_personal_info: false\n' > "$tmp/inc.yaml"
a=$(new_app sato 1 anjo "$tmp/inc.yaml")
is "incomplete assessed" "$(field "$a" 'd["assessment"]["verdict"]')" incomplete
n=$(audit_count)
check "incomplete refused at submit" 2 "" "application $a is incomplete: answer its" -- app submit "$a" --as sato
has "the open items listed: a manual item" "$(cat "$tmp/err")" "7-2-8 設計・設定時及び開発時のセキュリティ対策"
has "the open items listed: a risk" "$(cat "$tmp/err")" "4-3-2"
is "incomplete: still a draft" "$(state "$a")" draft
is "incomplete: nothing written" "$(audit_count)" "$n"
is "show: submit blocked, saying why" "$(field "$a" '[x["blocked"] is not None for x in d["next"] if x["action"] == "submit"]')" "[True]"
check "answered, it can be submitted" 0 "draft → draft" "" -- app update "$a" "$fx/anjo-I.yaml" --as sato
check "submitted" 0 "draft → in-consultation" "" -- app submit "$a" --as sato

# ---- nonconforming: submitted, then only returned or rejected
fresh nonconforming
a=$(new_app sato 3 otokuni "$fx/otokuni-2.yaml")
is "iso27001-only under 乙訓: nonconforming" "$(field "$a" 'd["assessment"]["verdict"]')" nonconforming
check "nonconforming can be submitted" 0 "draft → submitted" "" -- app submit "$a" --as sato
n=$(audit_count)
check "nonconforming is never approved" 2 "" "it can only be returned or rejected, never approved" -- app approve "$a" --comment 可 --as ueda
is "nonconforming: nothing written" "$(audit_count)" "$n"
is "show: approve blocked" "$(field "$a" '[x["action"] for x in d["next"] if x["blocked"]]')" "['approve']"
cp -a "$tmp/nonconforming" "$tmp/nonconforming-2"
check "nonconforming returned" 0 "submitted → returned" "" -- app return "$a" --comment 選定条件を満たしていません --as ueda
is "return records the comment" "$(field "$a" 'd["history"][-1]["comment"]')" 選定条件を満たしていません
cd "$tmp/nonconforming-2" || exit 1
check "nonconforming rejected" 0 "submitted → rejected" "" -- app reject "$a" --comment 不可 --as ueda
check "rejected is final" 2 "" "application $a is rejected" -- app submit "$a" --as sato

# ---- a party the procedure needs that binds nobody: submission names it
fresh unbound
"$shinsa" bind set otokuni ciso --dept 財政課 --as root >/dev/null
a=$(new_app sato 1 otokuni "$fx/otokuni-2.yaml")
n=$(audit_count)
check "unbound approver refused at submit" 2 "" "統括情報セキュリティ責任者" -- app submit "$a" --as sato
has "the message names the binding" "$(cat "$tmp/err")" "ciso"
has "the message names the command" "$(cat "$tmp/err")" "bind set"
is "unbound: still a draft" "$(state "$a")" draft
is "unbound: nothing written" "$(audit_count)" "$n"

# ---- the snapshot: the pack edited after submission changes nothing that was submitted
fresh snapshot
pol2="$tmp/policies-2"
cp -a "$pol" "$pol2"
a=$("$shinsa" app create --as sato --profile 1 --policy otokuni "$fx/otokuni-2.yaml" --policies "$pol2" 2>/dev/null)
check "submit under the pack as it is" 0 "draft → submitted" "" -- app submit "$a" --as sato --policies "$pol2"
sha=$("$shinsa" app show "$a" --format json --policies "$pol2" | jget 'd["snapshot"]["pack"]["sha256"]')
is "the snapshot names the pack file's sha256" "$sha" "$(sha256sum "$pol2/otokuni.yaml" | cut -d' ' -f1)"
is "the snapshot names the pack's version" "$(field "$a" 'd["snapshot"]["pack"]["version"]')" "$("$shinsa" policy show otokuni --format json | jget 'd["version"]')"
# the prohibition 3.1(4) now holds for every service that is generally available
python3 - "$pol2/otokuni.yaml" <<'PY'
import sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
old = "        - and: [{var: legal.governing_law}, {\"!=\": [{var: legal.governing_law}, JP]}]\n"
assert old in s
s = s.replace(old, "        - {var: service.ga}\n" + old, 1)
# and its first review is retitled and falls due monthly: the reviews approval schedules must not see it
old = "        title: 外部サービス提供者に対する定期的なサービスの提供状態の確認\n"
assert old in s
s = s.replace(old, "        title: 改変後の点検\n", 1)
open(p, "w", encoding="utf-8").write(s)
PY
is "the edited pack prohibits the service now" "$("$shinsa" evaluate "$prof/ismap-saas.yaml" --app "$fx/otokuni-2.yaml" --policy otokuni --format json --policies "$pol2" | jget 'd["verdict"]')" prohibited
s=$("$shinsa" app show "$a" --format json --policies "$pol2")
is "the snapshot's verdict is unchanged" "$(jget 'd["snapshot"]["verdict"]' <<<"$s")" conforming
is "the snapshot's sha256 is unchanged" "$(jget 'd["snapshot"]["pack"]["sha256"]' <<<"$s")" "$sha"
is "show says the pack changed since" "$(jget 'd["snapshot"]["pack_changed"]' <<<"$s")" True
check "approved as submitted" 0 "submitted → approved" "" -- app approve "$a" --comment 許可する --as ueda --policies "$pol2"
r=$("$shinsa" review list --app "$a" --format json)
is "the reviews are the pack's as it was decided on" "$(jget '[x["title"] for x in d["reviews"]][0]' <<<"$r")" 外部サービス提供者に対する定期的なサービスの提供状態の確認
[[ "$r" == *改変後の点検* ]] && no "a review from the edited pack: $r" || ok
is "the pack as decided on is kept once" "$(sqlite3 shinsa.db "select count(*) from records where kind = 'pack' and id = '$sha'")" 1

# ---- the consultation (安城: デジタル推進課 and 行政課): each must comment before the decision
fresh consult
a=$(new_app sato 1 anjo "$fx/anjo-I.yaml")
check "submitted to consultation" 0 "draft → in-consultation" "" -- app submit "$a" --as sato
s=$("$shinsa" app show "$a" --format json)
is "the parties consulted" "$(jget '[(p["party"], p["users"], p["commented"]) for p in d["consultation"]["parties"]]' <<<"$s")" \
   "[('デジタル推進課', 'kato', False), ('行政課', 'ito', False)]"
check "approve before the consultation" 2 "" "2 consulted parties have not commented" -- app approve "$a" --comment 可 --as tanaka
check "a consultee of another party cannot stand in" 2 "" "ueda may not comment" -- app comment "$a" --text 意見 --as ueda
check "kato comments for デジタル推進課" 0 "in-consultation → in-consultation (comment)" "" -- app comment "$a" --text デジタル推進課として異議なし --as kato
check "still one party to comment" 2 "" "1 consulted parties have not commented" -- app approve "$a" --comment 可 --as tanaka
has "naming it" "$(cat "$tmp/err")" "行政課"
check "the approver's own comment" 0 "" "" -- app comment "$a" --text 決裁前の確認 --as tanaka
check "does not stand for 行政課" 2 "" "1 consulted parties have not commented" -- app approve "$a" --comment 可 --as tanaka
check "ito comments for 行政課" 0 "" "" -- app comment "$a" --text 了承 --as ito
check "an approver not bound to 各課の課長" 2 "" "ueda is not bound to application $a's approver '各課の課長'" -- app approve "$a" --comment 可 --as ueda
check "approved after the consultation" 0 "in-consultation → approved" "" -- app approve "$a" --comment 承認します --as tanaka
s=$("$shinsa" app show "$a" --format json)
is "comments speak for their parties" "$(jget '[h["as"] for h in d["history"] if h["action"] == "comment"]' <<<"$s")" \
   "[['デジタル推進課'], ['各課の課長'], ['行政課']]"
is "the approval's comment" "$(jget 'd["history"][-1]["comment"]' <<<"$s")" 承認します
is "the manager is the applicant" "$(jget 'd["manager"]["login"]' <<<"$s")" sato
is "approved_at in JST" "$(jget 'd["dates"]["approved_at"][-6:]' <<<"$s")" "+09:00"
is "risk acceptances: who accepted" "$(jget 'sorted(set(x["accepted_by"] for x in d["decisions"] if x["kind"] == "risk"))' <<<"$s")" "['tanaka']"
is "risk acceptances: until a date" "$(jget 'all(len(x["until"] or "") == 10 for x in d["decisions"] if x["kind"] == "risk")' <<<"$s")" True
# a return and a new submission start the consultation again
fresh consult-again
a=$(new_app sato 1 anjo "$fx/anjo-I.yaml")
"$shinsa" app submit "$a" --as sato >/dev/null && "$shinsa" app comment "$a" --text 可 --as kato >/dev/null &&
  "$shinsa" app comment "$a" --text 可 --as ito >/dev/null || no "consult-again setup"
check "returned" 0 "in-consultation → returned" "" -- app return "$a" --comment 利用目的を具体的に --as tanaka
check "updated" 0 "returned → returned (update)" "" -- app update "$a" "$fx/anjo-I.yaml" --as sato
check "submitted again" 0 "returned → in-consultation" "" -- app submit "$a" --as sato
check "the earlier comments no longer count" 2 "" "2 consulted parties have not commented" -- app approve "$a" --comment 可 --as tanaka

# ---- the profile changed after submission: return and assess again
fresh profile-change
a=$(new_app sato 1 otokuni "$fx/otokuni-2.yaml")
"$shinsa" app submit "$a" --as sato >/dev/null || no "profile-change submit"
sed 's/retention_days: 400/retention_days: 500/' "$prof/ismap-saas.yaml" > "$tmp/ismap-saas-2.yaml"
"$shinsa" profile update 1 "$tmp/ismap-saas-2.yaml" --as sato >/dev/null 2>&1 || no "profile update"
check "approve refused: the profile changed" 2 "" "profile 1 changed after the assessment (version 1 → 2)" -- app approve "$a" --comment 可 --as ueda
check "no update after submission" 2 "" "application $a is submitted: update is taken only when it is draft, returned" -- app update "$a" "$fx/otokuni-2.yaml" --as sato
check "returned" 0 "submitted → returned" "" -- app return "$a" --comment プロファイルが更新されたため再審査 --as ueda
check "assessed again with version 2" 0 "" "" -- app update "$a" "$fx/otokuni-2.yaml" --as sato
is "the profile version used" "$(field "$a" 'd["profile"]["version"]')" 2
check "submitted again" 0 "returned → submitted" "" -- app submit "$a" --as sato
check "approved" 0 "submitted → approved" "" -- app approve "$a" --comment 許可 --as ueda
is "the snapshot names profile version 2" "$(field "$a" 'd["snapshot"]["profile"]["version"]')" 2
check "a profile updated while a draft: submit says update first" 0 "" "" -- app create --as sato --profile 1 --policy otokuni "$fx/otokuni-2.yaml"
b=$("$shinsa" app list --format json | jget 'd[-1]["id"]')
sed 's/retention_days: 400/retention_days: 600/' "$prof/ismap-saas.yaml" > "$tmp/ismap-saas-3.yaml"
"$shinsa" profile update 1 "$tmp/ismap-saas-3.yaml" --as sato >/dev/null 2>&1 || no "profile update 3"
check "submit refused until updated" 2 "" "update the application to assess it again" -- app submit "$b" --as sato

"$shinsa" audit verify >/dev/null && ok || no "audit verify at the end"
finish
