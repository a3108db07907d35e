#!/usr/bin/env bash
# The crash test (issue #12): kill -9 a writer in the middle of a burst of
# writes, again and again (ROUNDS, at least 100). After each kill, every record
# the writer reported as committed is in the store, with its audit entry, and
# `shinsa audit verify` passes. Usage: test_crash.sh SHINSA CRASH_WRITER [ROUNDS]
set -uo pipefail
shinsa=$1 writer=$2 rounds=${3:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "not ok - $*"; }

"$shinsa" init --db c.db >/dev/null || { echo "init failed"; exit 1; }
prev=0
for round in $(seq 1 "$rounds"); do
  "$writer" c.db c.db.auditkey > out.txt 2> err.txt &
  pid=$!
  # a random moment: 2 to 60 ms into the burst (or before it starts)
  sleep "0.0$(printf '%02d' $((RANDOM % 59 + 2)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -s err.txt ]; then no "round $round: the writer failed: $(cat err.txt)"; continue; fi
  last=$(tail -n 1 out.txt)
  [ -n "$last" ] || last=$prev
  # every number reported committed is there, once, with its audit entry
  got=$(sqlite3 c.db "select count(*) from records where kind = 'crash' and cast(id as integer) <= $last")
  audited=$(sqlite3 c.db "select count(*) from audit_log where action = 'crash.write' and cast(object_id as integer) <= $last")
  if [ "$got" -ge "$last" ] && [ "$audited" -ge "$last" ]; then ok; else
    no "round $round: $last reported committed, $got records and $audited audit entries up to it"; fi
  # no record without its entry, no entry without its record (one transaction)
  r=$(sqlite3 c.db "select count(*) from records where kind = 'crash'")
  a=$(sqlite3 c.db "select count(*) from audit_log where action = 'crash.write'")
  [ "$r" = "$a" ] && ok || no "round $round: $r records but $a audit entries"
  if "$shinsa" audit verify --db c.db > v.txt 2>&1; then ok; else no "round $round: audit verify: $(head -3 v.txt)"; fi
  prev=$r
done
killed_mid=$(sqlite3 c.db "select count(*) from records where kind = 'crash'")
[ "$killed_mid" -gt "$rounds" ] && ok || no "the writer wrote only $killed_mid records in $rounds rounds"
[ "$(sqlite3 c.db 'pragma integrity_check')" = ok ] && ok || no "integrity_check"
echo "$rounds rounds, $killed_mid records; $pass passed, $fail failed"
[ "$fail" -eq 0 ]
