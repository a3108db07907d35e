#!/usr/bin/env bash
# A whole life under each of the five packs, from the CLI, routed to the users
# bound to the pack's parties: create, submit, the consultation where the pack
# holds one (安城 第5条第3項: デジタル推進課 and 行政課; 神戸 4(4): CIO補佐官, which
# an ISMAP-listed service skips by 4(7)), approval by the bound approver (or,
# where the pack names none — 仙台, 特別区, 神戸 —, by a user with the approver
# role), the procedure's tasks (乙訓 5.2(3)(4)), a review done, the start, the end
# report, the deletion confirmed, the close; app show checked at each step,
# the ledger and the reviews beside it, and audit verify at the end.
#   test_app_lifecycle.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/app_lib.sh"
export COLUMNS=200
make_base

# step NAME WANT_STATE -- ARGS: the command succeeds and the application is then in WANT_STATE
step() {
  local name=$1 want=$2
  shift 3
  if "$shinsa" "$@" >"$tmp/out" 2>"$tmp/err"; then
    is "$pack: $name" "$(state "$a")" "$want"
  else
    no "$pack: $name: $(cat "$tmp/err")"
  fi
}

# pack level approver consulted…
while read -r pack level approver consulted; do
  fresh "life-$pack"
  a=$(new_app sato 1 "$pack" "$fx/$pack-$level.yaml") || continue
  is "$pack: created conforming" "$(field "$a" 'd["assessment"]["verdict"] + " " + d["level"]')" "conforming $level"
  if [ "$consulted" = - ]; then
    step "submitted" submitted -- app submit "$a" --as sato
    is "$pack: nobody to consult" "$(field "$a" 'd["consultation"]')" None
  else
    step "submitted to consultation" in-consultation -- app submit "$a" --as sato
    for c in ${consulted//,/ }; do
      step "$c comments" in-consultation -- app comment "$a" --text "$c: 影響を説明し、異議なし" --as "$c"
    done
    is "$pack: every party consulted commented" "$(field "$a" 'all(p["commented"] for p in d["consultation"]["parties"])')" True
  fi
  s=$("$shinsa" app show "$a" --format json)
  is "$pack: the snapshot's pack" "$(jget 'd["snapshot"]["pack"]["id"] + " " + d["snapshot"]["pack"]["level"]' <<<"$s")" "$pack $level"
  is "$pack: approve is open to" "$(jget '[x["users"] for x in d["next"] if x["action"] == "approve"]' <<<"$s")" \
     "['$([ "$approver" = any ] && echo '(approver)' || echo "$approver")']"
  by=$([ "$approver" = any ] && echo ueda || echo "$approver")
  if [ "$approver" = any ]; then
    check "$pack: the pack names no approver; an applicant still may not approve" 2 "" "sato (applicant) may not approve" -- app approve "$a" --comment 可 --as sato
  fi
  step "approved by $by" approved -- app approve "$a" --comment "$pack の基準に適合" --as "$by"
  s=$("$shinsa" app show "$a" --format json)
  is "$pack: approved by" "$(jget '[h["actor"] for h in d["history"] if h["action"] == "approve"]' <<<"$s")" "['$by']"
  for t in $(jget '" ".join(t["id"] for t in d["tasks"] if t["state"] == "open")' <<<"$s"); do
    owner=$(jget "[t['owner'] for t in d['tasks'] if t['id'] == '$t'][0]" <<<"$s")
    check "$pack: task $t done by its owner $owner" 0 "" "" -- app task done "$t" --as "$owner" --comment 済
  done
  # the ledger and the reviews
  is "$pack: on the ledger" "$("$shinsa" ledger --format json | jget "'$a' in [r['id'] for r in d['rows']]")" True
  r=$("$shinsa" review list --app "$a" --format json)
  nrev=$(jget 'len(d["reviews"])' <<<"$r")
  [ "$nrev" -gt 0 ] && ok || no "$pack: approval scheduled no review: $r"
  rid=$(jget 'd["reviews"][0]["id"]' <<<"$r")
  check "$pack: a review done by the manager" 0 "" "" -- review done "$rid" --as sato --findings "$pack: 点検した。問題なし"
  is "$pack: the review is done" "$("$shinsa" review list --app "$a" --format json | jget "[x['status'] for x in d['reviews'] if x['id'] == '$rid'][0]")" done
  step "started" in-use -- app start "$a" --as sato
  step "the end reported" end-reported -- app end "$a" --date "$today" --as sato
  items=()
  for it in $(field "$a" '" ".join(x["id"] for x in d["snapshot"]["end_of_use_items"])'); do items+=(--item "$it=met"); done
  step "the deletion confirmed" deletion-confirmed -- app confirm-deletion "$a" --method purge --certificate "消去証明書 $pack-1" --date "$today" "${items[@]}" --as sato
  step "closed" closed -- app close "$a" --as root
  s=$("$shinsa" app show "$a" --format json)
  is "$pack: the life in the history" "$(jget '" ".join(h["action"] for h in d["history"] if h["action"] != "comment")' <<<"$s")" \
     "create submit approve start end confirm-deletion close"
  is "$pack: each step's actor" "$(jget '" ".join(h["actor"] for h in d["history"] if h["action"] != "comment")' <<<"$s")" \
     "sato sato $by sato sato sato root"
  is "$pack: closed, it stays in the ledger's history" "$("$shinsa" ledger --history --format json | jget "[r['state'] for r in d['rows'] if r['id'] == '$a']")" "['closed']"
  "$shinsa" audit verify >/dev/null && ok || no "$pack: audit verify"
done <<'PACKS'
anjo I tanaka kato,ito
sendai II any -
kobe 2 any -
tokyo-ward all any -
otokuni 2 ueda -
PACKS

# 神戸 4(4): a service not on the ISMAP list is consulted with CIO補佐官 (and, not conforming, only returned)
fresh kobe-consult
pack=kobe
a=$(new_app sato 3 kobe "$fx/kobe-2.yaml" 2>/dev/null || true)
if [ -z "$a" ]; then
  printf 'app:\n  classification: {kobe: "2"}\n  personal_info: false\n  mynumber_system: false\n  secret_document: false\n' > "$tmp/kobe-plain.yaml"
  a=$(new_app sato 3 kobe "$tmp/kobe-plain.yaml")
fi
step "submitted to CIO補佐官" in-consultation -- app submit "$a" --as sato
is "kobe: the party consulted" "$(field "$a" '[p["party"] for p in d["consultation"]["parties"]]')" "['CIO補佐官']"
step "CIO補佐官 comments" in-consultation -- app comment "$a" --text 選定条件を満たしていない --as kato
check "kobe: not conforming, never approved" 2 "" "never approved" -- app approve "$a" --comment 可 --as ueda
step "returned" returned -- app return "$a" --comment 選定をやり直す --as ueda
"$shinsa" audit verify >/dev/null && ok || no "kobe-consult: audit verify"
finish
