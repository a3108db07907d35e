#!/usr/bin/env bash
# shinsa user end to end, on a real SQLite file in a temporary folder: the
# bootstrap (the first admin without --as, recorded with actor "" and the
# cli:OSUSER channel; nothing else without an admin), duplicate, bad logins,
# roles, texts and passwords, every role but admin refused each admin
# operation, a disabled user refused as --as and as a login to reuse, the last
# admin kept, passwords (the stored algorithm and count, a new salt at passwd,
# the hash and salt never in the audit log, its export or any output), and
# every refused command leaving the records and the audit log as they were.
#   test_user.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 (the CLI) is needed"; exit 1; }

# run INPUT ARGS...: shinsa with INPUT on stdin; sets $rc, $out, $err
run() {
  local input=$1
  shift
  out=$(printf '%s' "$input" | "$shinsa" "$@" 2>"$tmp/err")
  rc=$?
  err=$(cat "$tmp/err")
}
# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR INPUT -- ARGS...
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4 input=$5
  shift 6
  run "$input" "$@"
  if [ "$rc" != "$want_rc" ]; then no "$name: exit $rc, want $want_rc (stdout: $out) (stderr: $err)"; return; fi
  if [ -n "$want_out" ] && [[ "$out" != *"$want_out"* ]]; then no "$name: stdout lacks '$want_out': $out"; return; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then no "$name: stderr lacks '$want_err': $err"; return; fi
  ok
}
is() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
q() { sqlite3 shinsa.db "$1"; }
# what a refused command must leave as it was: the audit head and every record
state() { "$shinsa" audit anchor --format json; q "SELECT count(*), coalesce(max(at), '') FROM records"; }
# refused NAME WANT_STDERR INPUT -- ARGS...: exit 2, the message, nothing changed
refused() {
  local name=$1 want_err=$2 input=$3 before
  shift 4
  before=$(state)
  check "$name" 2 "" "$want_err" "$input" -- "$@"
  is "$name: nothing changed" "$(state)" "$before"
}
export COLUMNS=250   # help and tables unwrapped, so that phrases can be matched
pw='correct horse battery'
me=$(id -un)

mkdir -p "$tmp/d" && cd "$tmp/d" || exit 1
"$shinsa" init >/dev/null || no "init"

# --help for each, generated from its table
check "user --help" 0 "user set-role LOGIN ROLE --as LOGIN" "" "" -- user --help
check "user alone: usage" 2 "" "usage" "" -- user
check "unknown subcommand" 2 "" "unknown subcommand 'remove'" "" -- user remove
for sub in add list set-role disable passwd; do
  check "user $sub --help" 0 "shinsa user $sub" "" "" -- user "$sub" --help
done
help=$("$shinsa" user add --help | tr -s ' \n' '  ')   # the help is kept to 100 columns: unwrap it
[[ "$help" == *"one of applicant, approver, consultee, manager, admin, auditor"* ]] && ok || no "add --help names the roles"
[[ "$help" == *"At least 8 characters, at most 1024 bytes"* ]] && ok || no "add --help: the password rule"
check "help user" 0 "user passwd LOGIN" "" "" -- help user
check "user in the command list" 0 "user " "" "" -- --help
check "an empty list" 0 "there are no users" "" "" -- user list
is "an empty list in JSON" "$("$shinsa" user list --format json)" "[]"

# ---- the bootstrap ----
refused "first user not an admin" "the first user must be added with --role admin" "$pw" -- \
  user add sato --role applicant --password-stdin
refused "--as a login that does not exist" "there is no user 'ghost'" "$pw" -- \
  user add root --role admin --password-stdin --as ghost
refused "no password: stdin is not a terminal" "give the password as its first line with --password-stdin" "" -- \
  user add root --role admin
refused "empty first line" "the first line of standard input is empty" $'\nsecond line' -- \
  user add root --role admin --password-stdin
refused "no input at all" "the first line of standard input is empty" "" -- \
  user add root --role admin --password-stdin
refused "password of 7 characters" "shorter than 8 characters" "1234567" -- \
  user add root --role admin --password-stdin
refused "password with a control character" "control character" $'abc\tdefghij' -- \
  user add root --role admin --password-stdin
refused "password too long" "longer than 1024 bytes" "$(head -c 1100 /dev/zero | tr '\0' x)" -- \
  user add root --role admin --password-stdin
refused "no --role" "--role ROLE is required" "$pw" -- user add root --password-stdin
refused "set-role before any user" "say who acts with --as" "" -- user set-role root admin
check "the first admin without --as" 0 "added the user root as admin" "" "$pw"$'\n' -- \
  user add root --role admin --name 管理者 --dept 情報政策課 --password-stdin
last=$("$shinsa" audit export --format json | tail -1)
is "bootstrap: action" "$(jget 'd["action"]' <<<"$last")" user.add
is "bootstrap: actor is none" "$(jget 'd["actor"]' <<<"$last")" ""
is "bootstrap: channel is the OS user" "$(jget 'd["channel"]' <<<"$last")" "cli:$me"
is "bootstrap: object" "$(jget 'd["object_type"] + ":" + d["object_id"]' <<<"$last")" user:root
is "record kind, id, version, keys" "$(q "SELECT kind, id, version, state, owner, dept, actor FROM records")" \
  "user|root|1|active|root|情報政策課|"
refused "a second user without --as, once an admin exists" "adding a user takes an admin" "$pw" -- \
  user add root2 --role admin --password-stdin
check "add with --as the admin" 0 "added the user sato as applicant" "" "$pw" -- \
  user add sato --role applicant --name 佐藤 --dept 福祉課 --title 主査 --password-stdin --as root
is "actor recorded" "$(q "SELECT actor FROM records WHERE id = 'sato'")" root
is "the audit entry's actor" "$("$shinsa" audit export --format json | tail -1 | jget 'd["actor"]')" root

# ---- the stored password ----
is "algorithm stored" "$(q "SELECT json_extract(body, '$.password.algorithm') FROM records WHERE id = 'sato'")" \
  pbkdf2-sha256
iter=$(q "SELECT json_extract(body, '$.password.iterations') FROM records WHERE id = 'sato'")
[ "$iter" -ge 600000 ] 2>/dev/null && ok || no "iterations stored: '$iter', want >= 600000"
salt=$(q "SELECT json_extract(body, '$.password.salt') FROM records WHERE id = 'sato'")
hash=$(q "SELECT json_extract(body, '$.password.hash') FROM records WHERE id = 'sato'")
[ ${#salt} -ge 32 ] && ok || no "a salt of 16 bytes or more: '$salt'"
is "hash: 32 bytes in hex" "${#hash}" 64
rsalt=$(q "SELECT json_extract(body, '$.password.salt') FROM records WHERE id = 'root'")
[ "$salt" != "$rsalt" ] && ok || no "each user has a salt of their own"
[[ "$(q "SELECT body FROM records")" != *"$pw"* ]] && ok || no "the password itself is stored"

# ---- bad input ----
for login in "" Sato -x .x _x "a b" "佐藤" "a/b" "a'b" "$(printf 'x%.0s' {1..65})"; do
  refused "bad login '$login'" "the login" "$pw" -- user add --role applicant --password-stdin --as root -- "$login"
done
check "a login of 64 characters" 0 "added" "" "$pw" -- \
  user add "$(printf 'a%.0s' {1..64})" --role auditor --password-stdin --as root
check "a login with . _ - and a leading digit" 0 "added" "" "$pw" -- \
  user add 1a.b_c-d --role auditor --password-stdin --as root
refused "bad role" "there is no role 'boss' (one of: applicant, approver, consultee, manager, admin, auditor)" "$pw" -- \
  user add kato --role boss --password-stdin --as root
refused "bad role: the Japanese names listed" "applicant（申請者）" "$pw" -- \
  user add kato --role Admin --password-stdin --as root
refused "duplicate login" "the user 'sato' exists" "$pw" -- \
  user add sato --role approver --password-stdin --as root
refused "a dept with a newline" "--dept is not UTF-8 or holds a control character" "$pw" -- \
  user add kato --role applicant --dept $'a\nb' --password-stdin --as root
refused "a name too long" "--name is longer than 256 bytes" "$pw" -- \
  user add kato --role applicant --name "$(printf 'x%.0s' {1..257})" --password-stdin --as root
refused "set-role: bad role" "there is no role 'root'" "" -- user set-role sato root --as root
refused "set-role: no such user" "there is no user 'nobody'" "" -- user set-role nobody approver --as root
refused "set-role: the role they have" "has the role applicant already" "" -- user set-role sato applicant --as root
refused "set-role without --as" "say who acts with --as LOGIN" "" -- user set-role sato approver
refused "disable: no such user" "there is no user 'nobody'" "" -- user disable nobody --as root
refused "passwd: short" "shorter than 8 characters" "short" -- user passwd sato --password-stdin --as root
refused "too many operands" "" "" -- user disable sato kato --as root

# ---- each role but admin refused the admin operations ----
for role in applicant approver consultee manager auditor; do
  check "add a $role" 0 "added the user u-$role as $role" "" "$pw" -- \
    user add "u-$role" --role "$role" --password-stdin --as root
done
for role in applicant approver consultee manager auditor; do
  refused "$role may not add" "is $role; only an admin may" "$pw" -- \
    user add kato --role applicant --password-stdin --as "u-$role"
  refused "$role may not set a role" "is $role; only an admin may" "" -- \
    user set-role sato approver --as "u-$role"
  refused "$role may not make themselves admin" "is $role; only an admin may" "" -- \
    user set-role "u-$role" admin --as "u-$role"
  refused "$role may not disable" "is $role; only an admin may" "" -- \
    user disable sato --as "u-$role"
  refused "$role may not set another's password" "only an admin or the user themselves may" "$pw" -- \
    user passwd sato --password-stdin --as "u-$role"
done
check "a user sets their own password" 0 "set a new password for u-auditor" "" "$pw 2" -- \
  user passwd u-auditor --password-stdin --as u-auditor

# ---- passwd: a new salt and hash; nothing of them in the log ----
v=$(q "SELECT max(version) FROM records WHERE id = 'sato'")
check "the admin sets a password" 0 "set a new password for sato" "" "another password" -- \
  user passwd sato --password-stdin --as root
salt2=$(q "SELECT json_extract(body, '$.password.salt') FROM records WHERE id = 'sato' AND version = $((v + 1))")
hash2=$(q "SELECT json_extract(body, '$.password.hash') FROM records WHERE id = 'sato' AND version = $((v + 1))")
[ -n "$salt2" ] && [ "$salt2" != "$salt" ] && ok || no "passwd: a new salt ('$salt' then '$salt2')"
[ -n "$hash2" ] && [ "$hash2" != "$hash" ] && ok || no "passwd: a new hash"
is "passwd: the audit action" "$("$shinsa" audit export --format json | tail -1 | jget 'd["action"]')" user.passwd
is "passwd: the old version stays" "$(q "SELECT json_extract(body, '$.password.salt') FROM records WHERE id = 'sato' AND version = $v")" "$salt"

# ---- the password from the terminal: not shown, asked twice ----
tty() { python3 "$src/tests/cli/pty_answer.py" "$@"; }
v=$(q "SELECT max(version) FROM records WHERE id = 'sato'")
out=$(tty 'typed on a tty' 'typed on a tty' -- "$shinsa" user passwd sato --as root); rc=$?
is "tty: both answers match" "$rc" 0
[[ "$out" == *"new password: "*"again: "*"set a new password for sato"* ]] && ok || no "tty: the prompts: $out"
[[ "$out" != *"typed on a tty"* ]] && ok || no "tty: the password was echoed: $out"
is "tty: a new version" "$(q "SELECT max(version) FROM records WHERE id = 'sato'")" $((v + 1))
before=$(state)
out=$(tty 'typed on a tty' 'typed on a ttY' -- "$shinsa" user passwd sato --as root); rc=$?
is "tty: answers differ: refused" "$rc" 2
[[ "$out" == *"the two passwords differ"* ]] && ok || no "tty: the message: $out"
is "tty: answers differ: nothing changed" "$(state)" "$before"
out=$(tty 'short' 'short' -- "$shinsa" user passwd sato --as root); rc=$?
is "tty: too short: refused" "$rc" 2
[[ "$out" == *"shorter than 8 characters"* ]] && ok || no "tty: short: $out"
is "tty: too short: nothing changed" "$(state)" "$before"

# ---- set-role and disable ----
check "set-role" 0 "the role is now approver (was applicant)" "" "" -- user set-role sato approver --as root
check "set-role: JSON" 0 '"action":"user.set-role"' "" "" -- user set-role sato consultee --as root --format json
roles() { python3 -c 'import json,sys; d=json.loads(sys.stdin.readlines()[-1]); print(json.loads(d["before"])["role"] + ">" + json.loads(d["after"])["role"])'; }
is "set-role: the audit's before and after" "$("$shinsa" audit export --format json | roles)" "approver>consultee"
check "a second admin" 0 "added the user root2 as admin" "" "$pw" -- \
  user add root2 --role admin --password-stdin --as root
refused "an admin cannot disable themselves" "an admin cannot disable themselves" "" -- user disable root2 --as root2
check "disable" 0 "disabled the user root2" "" "" -- user disable root2 --as root
is "disabled: the key" "$(q "SELECT state FROM records WHERE id = 'root2' AND newest = 1")" disabled
is "disabled: in the list" "$("$shinsa" user list --format json | jget '[u["state"] for u in d if u["login"] == "root2"][0]')" disabled
check "disabled: in the table" 0 "無効 disabled" "" "" -- user list
refused "a disabled user cannot act" "the user 'root2' is disabled" "$pw" -- \
  user add kato --role applicant --password-stdin --as root2
refused "a disabled user cannot change their password" "the user 'root2' is disabled" "$pw" -- \
  user passwd root2 --password-stdin --as root2
refused "a disabled login is never reused" "a login is never given to anyone else" "$pw" -- \
  user add root2 --role admin --password-stdin --as root
refused "disable twice" "is disabled and cannot be changed" "" -- user disable root2 --as root
refused "set-role of a disabled user" "is disabled and cannot be changed" "" -- user set-role root2 applicant --as root
refused "passwd of a disabled user" "is disabled and cannot be changed" "$pw" -- user passwd root2 --password-stdin --as root

# ---- the last admin ----
refused "the last admin keeps the role" "is the last active admin" "" -- user set-role root applicant --as root
refused "the last admin keeps the role: the reason" "nobody could manage the users" "" -- user set-role root auditor --as root
check "a third admin" 0 "added" "" "$pw" -- user add root3 --role admin --password-stdin --as root
check "an admin may step down while another is left" 0 "the role is now auditor (was admin)" "" "" -- \
  user set-role root auditor --as root
refused "the step down took effect" "is auditor; only an admin may" "$pw" -- \
  user add kato --role applicant --password-stdin --as root
refused "now root3 is the last" "is the last active admin" "" -- user set-role root3 manager --as root3
check "root3 makes root admin again" 0 "the role is now admin" "" "" -- user set-role root admin --as root3

# ---- no secret anywhere but the record ----
for h in "$hash" "$salt" "$hash2" "$salt2" "$rsalt"; do
  [[ "$("$shinsa" audit export --format json)" != *"$h"* ]] && ok || no "a hash or salt in the JSON export"
  [[ "$("$shinsa" audit export --format csv)" != *"$h"* ]] && ok || no "a hash or salt in the CSV export"
  [ "$(q "SELECT count(*) FROM audit_log WHERE instr(CAST(before AS TEXT) || CAST(after AS TEXT) || CAST(comment AS TEXT), '$h') > 0")" = 0 ] \
    && ok || no "a hash or salt in the audit_log table"
  [[ "$("$shinsa" user list --format json)$("$shinsa" user list)" != *"$h"* ]] && ok || no "a hash or salt in user list"
done
dump=$(sqlite3 shinsa.db ".dump audit_log")
for h in "$hash" "$salt" "$hash2" "$salt2" "$rsalt"; do
  [[ "$dump" != *"$h"* ]] && ok || no "a hash or salt in the audit_log table's dump"
done
[[ "$dump" == *'\"iterations\":600000'* || "$dump" == *'"iterations":600000'* ]] && ok || no "the audit texts keep the algorithm and count"
[ "$(q "SELECT count(*) FROM audit_log WHERE action LIKE 'user.%'")" -gt 10 ] && ok || no "the user changes are in the log"
[[ "$("$shinsa" user list --format json)" != *password* ]] && ok || no "user list mentions a password"
check "the audit log still verifies" 0 "the audit log verifies" "" "" -- audit verify
is "every action kind" "$(q "SELECT group_concat(action) FROM (SELECT DISTINCT action FROM audit_log WHERE action LIKE 'user.%' ORDER BY action)")" \
  "user.add,user.disable,user.passwd,user.set-role"

finish
