#!/usr/bin/env bash
# shinsa backup and restore end to end, on real files in a temporary folder:
# plain and encrypted round trips (key file, passphrase), and every refusal
# (wrong key, a flipped byte, a truncated file, a tampered audit chain, a
# damaged or newer database, an open key file) leaving the database byte for
# byte as it was, with no temporary file left beside it.
#   test_backup.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
tamper="python3 $src/tests/audit/tamper.py"

# check NAME WANT_STATUS WANT_STDOUT WANT_STDERR [STDIN] -- ARGS...
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4 input=$5 out err rc
  shift 6
  out=$(printf '%b' "$input" | "$shinsa" "$@" 2>"$tmp/err")
  rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" != "$want_rc" ]; then no "$name: exit $rc, want $want_rc (stdout: $out) (stderr: $err)"; return; fi
  if [ -n "$want_out" ] && [[ "$out" != *"$want_out"* ]]; then no "$name: stdout lacks '$want_out': $out"; return; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then no "$name: stderr lacks '$want_err': $err"; return; fi
  ok
}
is() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi; }
count() { "$shinsa" audit anchor --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
magic() { head -c "$2" "$1" | od -An -c | tr -d ' \n'; }
# refuse NAME WANT_STDERR STDIN -- ARGS: a refused restore leaves shinsa.db as it was
refuse() {
  local name=$1 want=$2 input=$3 before after
  shift 4
  before=$(sha256sum shinsa.db)
  check "$name" 2 "" "$want" "$input" -- restore "$@"
  after=$(sha256sum shinsa.db)
  is "$name: database untouched" "$after" "$before"
  is "$name: nothing left beside it" "$(ls -A | grep -c '^\.shinsa\.db\.' || true)" 0
  [ -e shinsa.db-wal ] && no "$name: a WAL appeared" || ok
}

mkdir -p "$tmp/d" && cd "$tmp/d" || exit 1
"$shinsa" init >/dev/null || { no "init"; finish; exit; }
head -c 32 /dev/urandom > key && chmod 600 key
head -c 32 /dev/urandom > other && chmod 600 other

# ---- plain ----
check "plain backup" 0 "plain" "" "" -- backup plain.db
is "plain: a SQLite file" "$(magic plain.db 15)" "SQLiteformat3"
is "plain: mode" "$(stat -c %a plain.db)" 600
is "backup appended store.backup" "$(count)" 2
"$shinsa" audit export --format json | tail -1 | grep -q '"action":"store.backup"' && ok || no "store.backup entry"
check "backup never overwrites" 2 "" "exists" "" -- backup plain.db
"$shinsa" backup later.db >/dev/null      # the live log moves on: 3 entries
is "three entries" "$(count)" 3
check "plain restore" 0 "restored" "" "" -- restore plain.db
is "plain restore: the backup's entries and store.restore" "$(count)" 2
"$shinsa" audit export --format json | tail -1 | grep -q '"action":"store.restore"' && ok || no "store.restore entry"
check "verify after restore" 0 "verifies" "" "" -- audit verify
is "restored database mode" "$(stat -c %a shinsa.db)" 600

# ---- key file ----
check "encrypted backup (key file)" 0 "key-file" "" "" -- backup enc.bk --encrypt --key-file key
is "encrypted: magic" "$(magic enc.bk 8)" "SHINSABK"
is "encrypted: header version, key source" "$(od -An -tu1 -j8 -N2 enc.bk | tr -s ' ')" " 1 1"
n=$(count)
"$shinsa" backup more.db >/dev/null
check "key file restore" 0 "key-file" "" "" -- restore enc.bk --key-file key
is "key file restore: back to the backup's log, plus store.restore" "$(count)" "$((n))"
check "verify after encrypted restore" 0 "verifies" "" "" -- audit verify

# ---- passphrase ----
check "encrypted backup (passphrase)" 0 "pbkdf2-sha256" "" 'correct horse\nsecond line\n' -- backup pass.bk --encrypt --passphrase-stdin
is "passphrase: key source 2" "$(od -An -tu1 -j9 -N1 pass.bk | tr -d ' ')" 2
is "passphrase: iterations in the header" "$(python3 -c 'import sys; print(int.from_bytes(open(sys.argv[1],"rb").read()[12:16],"big"))' pass.bk)" 600000
check "passphrase restore (first line only)" 0 "restored" "" 'correct horse\nsomething else' -- restore pass.bk --passphrase-stdin
check "passphrase restore with CRLF" 0 "restored" "" 'correct horse\r\n' -- restore pass.bk --passphrase-stdin
check "passphrase without a newline" 0 "restored" "" 'correct horse' -- restore pass.bk --passphrase-stdin
"$shinsa" --db p2.db init >/dev/null
printf 'a\nb\n' | "$shinsa" --db p2.db backup p2.bk --encrypt --passphrase-stdin >/dev/null
refuse "the second line is not part of the passphrase" "cannot decrypt" 'a b\n' -- p2.bk --passphrase-stdin --db shinsa.db
check "empty passphrase" 2 "" "is empty" '\nsecret\n' -- backup empty.bk --encrypt --passphrase-stdin
[ -e empty.bk ] && no "empty passphrase: no file" || ok

# ---- refusals: nothing replaced ----
refuse "wrong key file" "the key is wrong" "" -- enc.bk --key-file other
refuse "wrong passphrase" "the key is wrong" 'correct horsf\n' -- pass.bk --passphrase-stdin
refuse "no key for an encrypted backup" "--key-file FILE" "" -- enc.bk
refuse "passphrase for a key-file backup" "--key-file FILE" 'x\n' -- enc.bk --passphrase-stdin
refuse "key file for a passphrase backup" "--passphrase-stdin" "" -- pass.bk --key-file key
cp enc.bk flip.bk
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[1000]^=1; open(p,"wb").write(b)' flip.bk
refuse "a flipped byte in the ciphertext" "GCM tag" "" -- flip.bk --key-file key
cp enc.bk flip2.bk
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[40]^=1; open(p,"wb").write(b)' flip2.bk
refuse "a flipped byte in the nonce" "GCM tag" "" -- flip2.bk --key-file key
cp enc.bk flip3.bk
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-1]^=1; open(p,"wb").write(b)' flip3.bk
refuse "a flipped byte in the tag" "GCM tag" "" -- flip3.bk --key-file key
head -c -1 enc.bk > cut1.bk
refuse "truncated by a byte" "GCM tag" "" -- cut1.bk --key-file key
head -c 4096 enc.bk > cut2.bk
refuse "truncated to 4 KiB" "GCM tag" "" -- cut2.bk --key-file key
head -c 50 enc.bk > cut3.bk
refuse "truncated inside the tag" "truncated" "" -- cut3.bk --key-file key
head -c 8192 plain.db > cut4.db
refuse "a truncated plain backup" "" "" -- cut4.db
echo "not a backup" > text.bk
refuse "a text file" "not a shinsa backup" "" -- text.bk
refuse "no such file" "no backup at" "" -- nothing.bk
cp plain.db chain.db && $tamper chain.db edit 1
refuse "a tampered audit chain" "does not verify" "" -- chain.db
cp later.db chain2.db && $tamper chain2.db delete 1
refuse "an audit entry removed" "does not verify" "" -- chain2.db
cp plain.db chain3.db && $tamper chain3.db delete 1
refuse "an emptied audit log" "is empty" "" -- chain3.db
cp plain.db newer.db
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO schema_migrations VALUES (99, \"future\", \"2030-01-01T00:00:00+09:00\")"); c.commit()' newer.db
refuse "a newer schema" "is newer than this shinsa knows" "" -- newer.db
cp plain.db damaged.db
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[4096:4096+16]=b"\xff"*16; open(p,"wb").write(b)' damaged.db
refuse "a damaged page" "damaged" "" -- damaged.db
# a backup of another deployment (another audit key) does not verify here
"$shinsa" --db elsewhere.db init >/dev/null && "$shinsa" --db elsewhere.db backup elsewhere.bk >/dev/null
refuse "another deployment's backup" "does not verify" "" -- elsewhere.bk

# ---- key files and options ----
cp key open.key && chmod 640 open.key
check "backup: key file open to the group" 2 "" "chmod 600" "" -- backup g.bk --encrypt --key-file open.key
[ -e g.bk ] && no "open key: no backup made" || ok
chmod 604 open.key
refuse "restore: key file open to others" "chmod 600" "" -- enc.bk --key-file open.key
head -c 31 key > short.key && chmod 600 short.key
check "a short key file" 2 "" "must be 32 bytes" "" -- backup s.bk --encrypt --key-file short.key
ln -s key link.key
check "a key file through a link" 2 "" "not a regular file" "" -- backup l.bk --encrypt --key-file link.key
check "--encrypt without a key" 2 "" "--encrypt needs" "" -- backup x.bk --encrypt
check "a key without --encrypt" 2 "" "--encrypt needs" "" -- backup x.bk --key-file key
check "both keys" 2 "" "exclude each other" "" -- restore enc.bk --key-file key --passphrase-stdin
[ -e x.bk ] && no "refused backup: no file" || ok

# ---- backups while others write: each one consistent ----
for i in 1 2 3 4 5 6; do "$shinsa" backup "par$i.db" >/dev/null 2>"$tmp/par$i.err" & done
wait
for i in 1 2 3 4 5 6; do
  [ -f "par$i.db" ] || { no "parallel backup $i: $(cat "$tmp/par$i.err")"; continue; }
  cp "par$i.db" "check$i.db" && cp shinsa.db.auditkey "check$i.db.auditkey"
  check "parallel backup $i verifies" 0 "verifies" "" "" -- --db "check$i.db" audit verify
done
check "live log verifies after the parallel backups" 0 "verifies" "" "" -- audit verify

# ---- an encrypted backup killed midway leaves no plaintext where it was going ----
mkdir -p "$tmp/kill/out" && cd "$tmp/kill" || exit 1
"$shinsa" init >/dev/null || no "kill: init"
head -c 32 /dev/urandom > key && chmod 600 key
# some 40 MB, so that a backup takes long enough to be killed in the middle
sqlite3 shinsa.db "create table pad(x); with recursive n(i) as (select 1 union all select i+1 from n where i < 40)
                   insert into pad select randomblob(1000000) from n" || no "kill: pad"
plain_out=0 stale=0
for i in 1 2 3 4 5 6 7 8; do
  "$shinsa" backup "out/k$i.bk" --encrypt --key-file key >/dev/null 2>&1 &
  pid=$!
  sleep "0.0$((i % 4 + 2))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for f in out/.k$i.bk.* out/k$i.bk; do
    [ -f "$f" ] && [ "$(magic "$f" 15)" = "SQLiteformat3" ] && plain_out=$((plain_out + 1))
  done
  ls -A | grep -q '^\.shinsa\.db\.plain-' && stale=$((stale + 1))
done
is "kill: no plaintext copy beside the backup" "$plain_out" 0
[ "$stale" -gt 0 ] && ok || no "kill: no round was killed while the plaintext copy existed (the test proved nothing)"
rm -f out/*.bk out/.k*
check "kill: the next backup" 0 "" "" "" -- backup out/after.bk --encrypt --key-file key
is "kill: what the killed ones left beside the database is gone" "$(ls -A | grep -c '^\.shinsa\.db\.plain-' || true)" 0
check "kill: the next backup restores" 0 "restored" "" "" -- restore out/after.bk --key-file key

# ---- a backup made under an older schema (the schema-3 fixture, its key) ----
mkdir -p "$tmp/old" && cd "$tmp/old" || exit 1
python3 "$src/tests/store/fixtures/replay.py" "$src/tests/store/fixtures/schema-v3.sql" v3.bk
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(open(sys.argv[1]).read()))" \
  "$src/tests/store/fixtures/schema-v3.auditkey.hex" > shinsa.db.auditkey && chmod 600 shinsa.db.auditkey
"$shinsa" init >/dev/null || no "old: init"
check "old schema: restored" 0 "brought up to version" "" "" -- restore v3.bk
check "old schema: the chain verifies" 0 "verifies: 4 entries" "" "" -- audit verify
is "old schema: the upgrade is an entry" "$("$shinsa" audit export --format json | python3 -c 'import json,sys; print([json.loads(l)["action"] for l in sys.stdin][-2:])')" "['store.restore', 'store.migrate']"
is "old schema: its body kept" "$(sqlite3 shinsa.db "select value from meta where key = 'body_name'")" 安城市

finish
