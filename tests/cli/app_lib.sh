# Sourced by the application tests (tests/cli/test_app*.sh) after tests/lib.sh:
# check / is / jget, the audit count, and a deployment with one user per
# role, the example profiles and every pack's parties bound, made once in
# $tmp/base and copied for each scenario (the users' PBKDF2 is the slow part).
fx="$src/tests/cli/fixtures/app"
prof="$src/examples/profiles"
# the packs, and the test pack whose exemption leads to a notification (届出)
pol="$tmp/policies"
cp -a "$src/policies" "$pol" && cp "$src/tests/policy/packs/constructs.yaml" "$pol/"
export SHINSA_POLICIES="$pol"

# check NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING -- ARGS...
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
  shift 5
  out=$("$shinsa" "$@" 2>"$tmp/err" </dev/null)
  rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" != "$want_rc" ]; then no "$name: exit $rc, want $want_rc (stdout: $out) (stderr: $err)"; return 1; fi
  if [ -n "$want_out" ] && [[ "$out" != *"$want_out"* ]]; then no "$name: stdout lacks '$want_out': $out"; return 1; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then no "$name: stderr lacks '$want_err': $err"; return 1; fi
  ok
}
is() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi; }
has() { if [[ "$2" == *"$3"* ]]; then ok; else no "$1: '$3' not in: $2"; fi; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
audit_count() { "$shinsa" audit verify --format json | jget 'd["count"]'; }
# the application's field (a Python expression over d, its app show --format json)
field() { "$shinsa" app show "$1" --format json | jget "$2"; }
state() { field "$1" 'd["state"]'; }
today=$(TZ=Asia/Tokyo date +%F)

# The users: one per role, and a second applicant and approver that no
# binding names (the "other" of each relation).
#   login   role       dept            title
users="root admin 情報政策課 主査
sato applicant 福祉課 主査
suzuki applicant 福祉課 主事
tanaka approver 福祉課 課長
ueda approver 情報政策課 統括
kato consultee デジタル推進課 主査
ito consultee 行政課 主査
mori manager 福祉課 係長
abe auditor 監査課 主査"

# make_base: $tmp/base with the users, profiles 1 (ismap-saas), 2 (government-led),
# 3 (iso27001-only), and every required party of the packs bound.
make_base() {
  mkdir -p "$tmp/base" && cd "$tmp/base" || exit 1
  "$shinsa" init >/dev/null || { no "init"; exit 1; }
  local login role dept title first=1
  while read -r login role dept title; do
    if [ $first = 1 ]; then
      printf 'pw-%s-secret\n' "$login" | "$shinsa" user add "$login" --role "$role" --dept "$dept" --title "$title" \
        --name "$login" --password-stdin >/dev/null || no "user add $login"
      first=0
    else
      printf 'pw-%s-secret\n' "$login" | "$shinsa" user add "$login" --role "$role" --dept "$dept" --title "$title" \
        --name "$login" --password-stdin --as root >/dev/null || no "user add $login"
    fi
  done <<<"$users"
  for p in ismap-saas government-led iso27001-only; do
    "$shinsa" profile add "$prof/$p.yaml" --as sato >/dev/null 2>&1 || no "profile add $p"
  done
  local b
  while read -r b; do
    # shellcheck disable=SC2086
    "$shinsa" bind set $b --as root >/dev/null || no "bind set $b"
  done <<'BINDINGS'
anjo section-chief --applicant-dept --title 課長
anjo digital-promotion --user kato
anjo administration --user ito
anjo system-manager --user mori
otokuni ciso --user ueda
otokuni security-officer --applicant-dept --title 主査
kobe cio-adviser --user kato
kobe information-manager --user mori
constructs 所属長 --applicant-dept --title 課長
constructs digital-promotion --user kato
BINDINGS
  cd "$tmp" || exit 1
}

# fresh NAME [FROM]: a copy of FROM (default base) in $tmp/NAME, as the working folder
fresh() { rm -rf "${tmp:?}/$1"; cp -a "$tmp/${2:-base}" "$tmp/$1"; cd "$tmp/$1" || exit 1; }

# new_app AS PROFILE PACK FILE [ARGS…]: create, print the id
new_app() {
  local as=$1 p=$2 pack=$3 file=$4
  shift 4
  "$shinsa" app create --as "$as" --profile "$p" --policy "$pack" "$file" "$@" 2>"$tmp/err" || { no "create $pack $file: $(cat "$tmp/err")"; return 1; }
}
