#!/usr/bin/env bash
# shinsa init end to end, on real SQLite files in a temporary folder: create,
# run again (idempotent, and it says so), --db/--config before and after the
# command and as --opt=VALUE, config mistakes with their positions, a newer
# database refused, an old one upgraded, the audit key's modes.
#   test_init.sh SHINSA SOURCE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
fixtures="$src/tests/store/fixtures"

# check NAME WANT_STATUS WANT_STDOUT_SUBSTRING WANT_STDERR_SUBSTRING -- ARGS... (run in $PWD)
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
  shift 5
  out=$("$shinsa" "$@" 2>"$tmp/err" </dev/null)
  rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" != "$want_rc" ]; then no "$name: exit $rc, want $want_rc (stdout: $out) (stderr: $err)"; return; fi
  if [ -n "$want_out" ] && [[ "$out" != *"$want_out"* ]]; then no "$name: stdout lacks '$want_out': $out"; return; fi
  if [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then no "$name: stderr lacks '$want_err': $err"; return; fi
  ok
}
mode() { stat -c %a "$1"; }
is() { # NAME GOT WANT
  if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi
}
json() { # FILE EXPR: a value of the JSON in FILE
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"
}

mkdir -p "$tmp/a" && cd "$tmp/a" || exit 1
check "first init creates" 0 "created the database" "" -- init
[ -f shinsa.db ] && ok || no "./shinsa.db made"
[ -f shinsa.db.auditkey ] && ok || no "./shinsa.db.auditkey made"
is "database mode" "$(mode shinsa.db)" 600
is "key mode" "$(mode shinsa.db.auditkey)" 600
is "key size" "$(stat -c %s shinsa.db.auditkey)" 32
sum=$(sha256sum shinsa.db.auditkey)
check "init again" 0 "already up to date" "" -- init
"$shinsa" init --format json > "$tmp/again.json" 2>&1
is "again: status" "$(json "$tmp/again.json" 'd["status"]')" unchanged
is "again: key kept" "$(json "$tmp/again.json" 'd["audit_key"]["created"]')" False
is "again: schema" "$(json "$tmp/again.json" 'd["schema"]["applied"]')" 0
is "key never rewritten" "$(sha256sum shinsa.db.auditkey)" "$sum"
check "init says where the key is" 0 "./shinsa.db.auditkey" "" -- init

# --db before and after the command, and as --db=FILE
check "--db before" 0 "created the database" "" -- --db before.db init
[ -f before.db ] && [ -f before.db.auditkey ] && ok || no "--db before: files"
check "--db after" 0 "created the database" "" -- init --db after.db
[ -f after.db ] && [ -f after.db.auditkey ] && ok || no "--db after: files"
check "--db=FILE" 0 '"status":"created"' "" -- init --db=eq.db --format json
[ -f eq.db ] && ok || no "--db=FILE: file"
check "--db=FILE before" 0 "already up to date" "" -- --db=eq.db init
check "sqlite: scheme" 0 "already up to date" "" -- init --db "sqlite:eq.db"
check "--db twice" 2 "" "--db may be given once" -- --db x.db init --db y.db
check "--db without a value" 2 "" "--db needs a value" -- init --db
check "a postgres URL" 2 "" "no such database backend" -- init --db postgresql://db.example/shinsa
check "--db after -- is an operand" 2 "" "unexpected argument" -- init -- --db z.db
[ -f z.db ] && no "after --: nothing made" || ok
check "other commands accept them" 0 "1" "" -- logic eval 1 --db eq.db
check "init --help" 0 "--format" "" -- init --help
"$shinsa" init --help | grep -q 'init \[--format table|json\]' && ok || no "init --help: synopsis"
check "init takes no operand" 2 "" "unexpected argument" -- init extra
check "init --format" 2 "" "--format is one of table, json" -- init --format csv
check "help lists the global options" 0 "--config FILE" "" -- --help

# the configuration: before, after, =FILE; relative paths beside it
mkdir -p "$tmp/etc" "$tmp/b"
cat > "$tmp/etc/shinsa.yaml" <<'YAML'
# the deployment
database: ../var/records.db
body_name: 安城市
audit_key: keys/records.auditkey
YAML
mkdir -p "$tmp/var" "$tmp/etc/keys"
cd "$tmp/b" || exit 1
check "--config before" 0 "安城市" "" -- --config "$tmp/etc/shinsa.yaml" init
[ -f "$tmp/var/records.db" ] && ok || no "config: database beside the file"
[ -f "$tmp/etc/keys/records.auditkey" ] && ok || no "config: audit_key beside the file"
is "config: key mode" "$(mode "$tmp/etc/keys/records.auditkey")" 600
[ -e "$tmp/b/shinsa.db" ] && no "config: nothing in the working folder" || ok
check "--config after" 0 "already up to date" "" -- init --config "$tmp/etc/shinsa.yaml"
check "--config=FILE" 0 "already up to date" "" -- init --config="$tmp/etc/shinsa.yaml"
"$shinsa" init --config "$tmp/etc/shinsa.yaml" --format json > "$tmp/body.json"
is "config: body recorded" "$(json "$tmp/body.json" 'd["body_name"]["value"]')" 安城市
sed -i 's/安城市/乙訓福祉施設事務組合/' "$tmp/etc/shinsa.yaml"
"$shinsa" --config "$tmp/etc/shinsa.yaml" init --format json > "$tmp/body2.json"
is "a new body name: updated" "$(json "$tmp/body2.json" 'd["status"]')" updated
is "a new body name: recorded" "$(json "$tmp/body2.json" 'd["body_name"]["value"]')" 乙訓福祉施設事務組合
# --db wins over the file's database; the key still the file's
check "--db over the config" 0 "created the database" "" -- --config "$tmp/etc/shinsa.yaml" --db "$tmp/b/over.db" init
[ -f "$tmp/b/over.db" ] && ok || no "--db over config: file"

# mistakes in the configuration: file:line:column, Japanese then English, nothing made
printf 'database: bad.db\nbody_name: 安城市\nreviews: 12\n' > "$tmp/bad.yaml"
check "unknown key" 2 "" "bad.yaml:3:1: 不明なキー 'reviews' です（使えるもの: database, body_name, audit_key, audit_retention_days" -- --config "$tmp/bad.yaml" init
[ -e bad.db ] && no "unknown key: nothing made" || ok
printf 'database:\n  - a.db\n' > "$tmp/bad2.yaml"
check "a list for a path" 2 "" "bad2.yaml:2:3: database: 文字列を指定します / database takes a text value" -- init --config "$tmp/bad2.yaml"
printf 'body_name: ""\n' > "$tmp/bad3.yaml"
check "an empty value" 2 "" "bad3.yaml:1:12: body_name: 空です / body_name is empty" -- init --config "$tmp/bad3.yaml"
printf 'database: a.db\ndatabase: b.db\n' > "$tmp/bad4.yaml"
check "a key twice" 2 "" "bad4.yaml:2:1:" -- init --config "$tmp/bad4.yaml"
printf -- '- database\n' > "$tmp/bad5.yaml"
check "not a mapping" 2 "" "bad5.yaml:1:1: 設定は" -- init --config "$tmp/bad5.yaml"
check "no such config" 2 "" "cannot open the configuration" -- init --config "$tmp/none.yaml"
printf 'database: "postgresql://h/db"\n' > "$tmp/pg.yaml"
check "a backend this binary lacks, from the config" 2 "" "no such database backend (it has: sqlite)" -- init --config "$tmp/pg.yaml"

# a newer database is refused and left as it was
python3 "$fixtures/replay.py" "$fixtures/schema-newer.sql" "$tmp/b/newer.db"
before=$(sha256sum "$tmp/b/newer.db")
check "newer database refused" 2 "" "schema (version 99) is newer than this shinsa knows" -- init --db newer.db
is "newer database untouched" "$(sha256sum "$tmp/b/newer.db")" "$before"
[ -e newer.db.auditkey ] && no "newer: no key made" || ok

# an old one is upgraded in place, its records kept
python3 "$fixtures/replay.py" "$fixtures/schema-v1.sql" "$tmp/b/v1.db"
"$shinsa" init --db v1.db --format json > "$tmp/v1.json"
is "v1: migrated" "$(json "$tmp/v1.json" 'd["status"]')" migrated
is "v1: from" "$(json "$tmp/v1.json" 'd["schema"]["before"]')" 1
is "v1: body kept" "$(json "$tmp/v1.json" 'd["body_name"]["value"]')" 乙訓福祉施設事務組合
is "v1: created_at kept" "$(json "$tmp/v1.json" 'd["database"]["created_at"]')" 2026-04-01T09:00:00+09:00
check "v1: then up to date" 0 "already up to date" "" -- init --db v1.db

# a database of schema 3, with its audit chain and key, kept as a fixture:
# upgraded in place, its entries kept, the chain still verifying under its key
python3 "$fixtures/replay.py" "$fixtures/schema-v3.sql" "$tmp/b/v3.db"
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(open(sys.argv[1]).read()))" "$fixtures/schema-v3.auditkey.hex" > "$tmp/b/v3.db.auditkey" && chmod 600 "$tmp/b/v3.db.auditkey"
check "v3: refused before init" 2 "" "older than this shinsa" -- audit verify --db v3.db
"$shinsa" init --db v3.db --format json > "$tmp/v3.json"
is "v3: migrated" "$(json "$tmp/v3.json" 'd["status"]')" migrated
is "v3: from" "$(json "$tmp/v3.json" 'd["schema"]["before"]')" 3
is "v3: body kept" "$(json "$tmp/v3.json" 'd["body_name"]["value"]')" 安城市
"$shinsa" audit verify --db v3.db --format json > "$tmp/v3v.json" || no "v3: verify after the upgrade"
is "v3: chain holds" "$(json "$tmp/v3v.json" 'd["ok"]')" True
is "v3: old entries kept, the upgrade recorded" "$(json "$tmp/v3v.json" 'd["count"]')" 3
is "v3: records table made" "$(sqlite3 "$tmp/b/v3.db" "select count(*) from schema_migrations where version = 4")" 1

# not a database, or not ours
echo "hello" > text.db
check "a text file" 2 "" "is not a SQLite database" -- init --db text.db
python3 -c 'import sqlite3; c=sqlite3.connect("other.db"); c.execute("CREATE TABLE t (x)"); c.commit()'
before=$(sha256sum other.db)
check "someone else's database" 2 "" "is not a shinsa database" -- init --db other.db
is "someone else's database untouched" "$(sha256sum other.db)" "$before"

# the audit key: others may not read it, it is never overwritten, it must be a key
head -c 32 /dev/urandom > open.db.auditkey && chmod 640 open.db.auditkey
check "a group-readable key" 2 "" "mode 0640, open to other users (chmod 600" -- init --db open.db
[ -e open.db ] && no "bad key: no database made" || ok
chmod 604 open.db.auditkey
check "an other-readable key" 2 "" "mode 0604" -- init --db open.db
chmod 600 open.db.auditkey
sum=$(sha256sum open.db.auditkey)
check "a key already there is kept" 0 "kept" "" -- init --db open.db
is "kept key unchanged" "$(sha256sum open.db.auditkey)" "$sum"
printf 'short' > short.db.auditkey && chmod 600 short.db.auditkey
check "a file that is no key" 2 "" "is not an audit key (32 bytes, not 5)" -- init --db short.db
ln -s open.db.auditkey link.db.auditkey
check "a key that is a link" 2 "" "is not a regular file" -- init --db link.db
(umask 0; "$shinsa" init --db umask.db >/dev/null 2>&1)
is "umask 0: database" "$(mode umask.db)" 600
is "umask 0: key" "$(mode umask.db.auditkey)" 600

finish
