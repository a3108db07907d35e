#!/usr/bin/env bash
# Every transition, allowed and refused, for every role: for each state given
# (an application brought there from the CLI under 安城市, or the test pack's
# notification path for notified), each user (one per role, the applicant
# and another, the bound approver and an unbound one, the bound consultees)
# tries every action. An allowed one runs on a copy and must reach its state;
# a refused one must fail with a message and change nothing: the audit log's
# count and the record's version are the same after all of them.
#   test_app_matrix.sh SHINSA SOURCE_DIR STATE…
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/app_lib.sh"
shift 2
states=("$@")
make_base

file_for() { case $1 in notified) echo "$fx/constructs-notice.yaml" ;; submitted) echo "$fx/anjo-I-exempt.yaml" ;;
             *) echo "$fx/anjo-I.yaml" ;; esac; }

# reach STATE: $tmp/st-STATE holds application 1 in STATE (each built from the one before)
reach() {
  local s=$1
  [ -d "$tmp/st-$s" ] && return 0
  case $s in
    draft) fresh st-draft && new_app sato 1 anjo "$fx/anjo-I.yaml" >/dev/null ;;
    submitted) fresh st-submitted && new_app sato 2 anjo "$fx/anjo-I-exempt.yaml" >/dev/null &&
               "$shinsa" app submit 1 --as sato >/dev/null 2>&1 ;;
    notified) fresh st-notified && new_app sato 1 constructs "$fx/constructs-notice.yaml" >/dev/null &&
              "$shinsa" app submit 1 --as sato >/dev/null 2>&1 ;;
    in-consultation) reach draft && fresh st-$s st-draft && "$shinsa" app submit 1 --as sato >/dev/null ;;
    approved) reach in-consultation && fresh st-$s st-in-consultation &&
              "$shinsa" app comment 1 --text 異議なし --as kato >/dev/null &&
              "$shinsa" app comment 1 --text 了承 --as ito >/dev/null &&
              "$shinsa" app approve 1 --comment 承認する --as tanaka >/dev/null 2>&1 ;;
    returned) reach in-consultation && fresh st-$s st-in-consultation &&
              "$shinsa" app return 1 --comment 修正を --as tanaka >/dev/null ;;
    rejected) reach in-consultation && fresh st-$s st-in-consultation &&
              "$shinsa" app reject 1 --comment 不可 --as tanaka >/dev/null ;;
    in-use) reach approved && fresh st-$s st-approved && "$shinsa" app start 1 --as sato >/dev/null ;;
    end-reported) reach in-use && fresh st-$s st-in-use && "$shinsa" app end 1 --date "$today" --as mori >/dev/null ;;
    deletion-confirmed) reach end-reported && fresh st-$s st-end-reported &&
                        "$shinsa" app confirm-deletion 1 --method purge --certificate 消去証明書-1 --date "$today" \
                          --as mori >/dev/null ;;
    closed) reach deletion-confirmed && fresh st-$s st-deletion-confirmed && "$shinsa" app close 1 --as root >/dev/null ;;
    *) no "no such state $s"; return 1 ;;
  esac
  cd "$tmp" || exit 1
  [ "$(cd "$tmp/st-$s" && state 1)" = "$s" ] || { no "reach $s: the application is $(cd "$tmp/st-$s" && state 1)"; return 1; }
}

logins="root sato suzuki tanaka ueda kato ito mori abe"
actions="update submit comment approve return reject start end confirm-deletion close"

# who may take ACTION in STATE (the rest are refused)
allowed() {
  case "$1:$2" in
    draft:update|draft:submit|returned:update|returned:submit) echo sato ;;
    submitted:comment|submitted:approve|submitted:return|submitted:reject) echo tanaka ;;
    in-consultation:comment) echo "kato ito tanaka" ;;
    in-consultation:return|in-consultation:reject) echo tanaka ;;
    approved:start|notified:start|in-use:end|end-reported:confirm-deletion) echo "sato mori" ;;
    deletion-confirmed:close) echo "root mori" ;;
  esac
}
# the state ACTION leads to from STATE
target() {
  case $2 in
    update|comment) echo "$1" ;;
    submit) echo in-consultation ;;
    approve) echo approved ;;
    return) echo returned ;;
    reject) echo rejected ;;
    start) echo in-use ;;
    end) echo end-reported ;;
    confirm-deletion) echo deletion-confirmed ;;
    close) echo closed ;;
  esac
}
args_for() {
  case $1 in
    update) echo "$2" ;;
    comment) echo "--text 意見です" ;;
    approve|return|reject) echo "--comment 決裁の理由" ;;
    end) echo "--date $today" ;;
    confirm-deletion) echo "--method purge --certificate 消去証明書-2 --date $today" ;;
  esac
}

for s in "${states[@]}"; do
  reach "$s" || continue
  cd "$tmp/st-$s" || exit 1
  before=$(audit_count)
  version=$(field 1 'd["version"]')
  file=$(file_for "$s")
  for act in $actions; do
    who=" $(allowed "$s" "$act") "
    for u in $logins; do
      # shellcheck disable=SC2046
      if [[ "$who" == *" $u "* ]]; then
        rm -rf "$tmp/try" && cp -a "$tmp/st-$s" "$tmp/try" && cd "$tmp/try" || exit 1
        if "$shinsa" app "$act" 1 $(args_for "$act" "$file") --as "$u" >/dev/null 2>"$tmp/err"; then
          is "$s: $act by $u reaches" "$(state 1)" "$(target "$s" "$act")"
        else
          no "$s: $act by $u was refused: $(cat "$tmp/err")"
        fi
        cd "$tmp/st-$s" || exit 1
      else
        "$shinsa" app "$act" 1 $(args_for "$act" "$file") --as "$u" >/dev/null 2>"$tmp/err"
        rc=$?
        # refused, with a message in Japanese and English
        if [ "$rc" = 2 ] && grep -q ' / ' "$tmp/err"; then ok; else no "$s: $act by $u: exit $rc, want 2 and a message: $(cat "$tmp/err")"; fi
      fi
    done
  done
  is "$s: refusals left the audit log" "$(audit_count)" "$before"
  is "$s: refusals left the record" "$(field 1 'd["version"]')" "$version"
  is "$s: still $s" "$(state 1)" "$s"
  cd "$tmp" || exit 1
done
finish
