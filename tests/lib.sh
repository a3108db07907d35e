# Sourced by the shell tests run with (SHINSA SOURCE_DIR): the binary and the
# source tree, the bundled packs, a temporary folder removed on exit, and
# ok / no / finish to count checks and end with "N passed, M failed".
shinsa=${1:?usage: $0 SHINSA SOURCE_DIR}
src=${2:?usage: $0 SHINSA SOURCE_DIR}
export SHINSA_POLICIES="$src/policies"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { echo "FAIL $*"; fail=$((fail+1)); }
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
