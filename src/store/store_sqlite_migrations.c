/* The SQLite backend's schema, as data: one migration per version, each run
 * in one transaction by store.c's runner. A released migration never changes;
 * a change to the schema is a new row at the end (docs/store.md). */
#include "store/store_sqlite.h"

const struct store_migration store_sqlite_migrations[] = {
	{ 1, "schema_migrations and meta",
	  "CREATE TABLE schema_migrations (\n"
	  "  version INTEGER PRIMARY KEY,\n"
	  "  name TEXT NOT NULL,\n"
	  "  applied_at TEXT NOT NULL\n"
	  ") STRICT;\n"
	  "CREATE TABLE meta (\n"
	  "  key TEXT PRIMARY KEY,\n"
	  "  value TEXT NOT NULL\n"
	  ") STRICT;\n"
	  /* the database's birth, in JST with its offset, as every time shinsa keeps */
	  "INSERT INTO meta (key, value) VALUES ('created_at',\n"
	  "  strftime('%Y-%m-%dT%H:%M:%S+09:00', 'now', '+9 hours'));\n" },
	{ 2, "meta.updated_at",
	  /* when each value was last set (a body that renames itself keeps the trace) */
	  "ALTER TABLE meta ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';\n"
	  "UPDATE meta SET updated_at = (SELECT value FROM meta WHERE key = 'created_at')\n"
	  "  WHERE updated_at = '';\n" },
	{ 3, "audit_log",
	  /* the audit chain (docs/audit.md): only appended; hashes as 32-byte blobs */
	  "CREATE TABLE audit_log (\n"
	  "  seq INTEGER PRIMARY KEY CHECK (seq > 0),\n"
	  "  at TEXT NOT NULL,\n"
	  "  actor TEXT NOT NULL,\n"
	  "  channel TEXT NOT NULL,\n"
	  "  action TEXT NOT NULL,\n"
	  "  object_type TEXT NOT NULL,\n"
	  "  object_id TEXT NOT NULL,\n"
	  "  before TEXT NOT NULL,\n"
	  "  after TEXT NOT NULL,\n"
	  "  comment TEXT NOT NULL,\n"
	  "  prev BLOB NOT NULL CHECK (length(prev) = 32),\n"
	  "  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
	  "  mac BLOB NOT NULL CHECK (length(mac) = 32)\n"
	  ") STRICT;\n"
	  "CREATE INDEX audit_log_at ON audit_log (at);\n"
	  "CREATE INDEX audit_log_action ON audit_log (action, seq);\n"
	  /* append-only here too: an entry is never rewritten (verify catches it
	   * anyway, this stops a mistake) */
	  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
	  "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n" },
	{ 4, "records",
	  /* every object as versions of a JSON document (store.h, docs/store.md):
	   * a version is never rewritten or removed; only newest moves on */
	  "CREATE TABLE records (\n"
	  "  kind TEXT NOT NULL,\n"
	  "  id TEXT NOT NULL,\n"
	  "  version INTEGER NOT NULL CHECK (version > 0),\n"
	  "  number INTEGER NOT NULL,\n"
	  "  newest INTEGER NOT NULL CHECK (newest IN (0, 1)),\n"
	  "  at TEXT NOT NULL,\n"
	  "  actor TEXT NOT NULL,\n"
	  "  state TEXT NOT NULL,\n"
	  "  owner TEXT NOT NULL,\n"
	  "  dept TEXT NOT NULL,\n"
	  "  level TEXT NOT NULL,\n"
	  "  provider TEXT NOT NULL,\n"
	  "  pack TEXT NOT NULL,\n"
	  "  parent TEXT NOT NULL,\n"
	  "  due TEXT NOT NULL,\n"
	  "  body TEXT NOT NULL,\n"
	  "  PRIMARY KEY (kind, id, version)\n"
	  ") STRICT;\n"
	  "CREATE UNIQUE INDEX records_one_newest ON records (kind, id) WHERE newest = 1;\n"
	  /* a search reads the keys from this index alone, in the order of the
	   * result, and fetches a version's row (its body) only for the rows it
	   * returns: a page of a large ledger costs its own rows, not the ledger */
	  "CREATE INDEX records_list ON records (kind, newest, number, id, version, state, owner, dept, level,\n"
	  "  provider, pack, parent, due);\n"
	  "CREATE INDEX records_parent ON records (kind, parent) WHERE newest = 1;\n"
	  "CREATE INDEX records_due ON records (kind, due) WHERE newest = 1;\n"
	  "CREATE TABLE record_numbers (\n"
	  "  kind TEXT PRIMARY KEY,\n"
	  "  last INTEGER NOT NULL\n"
	  ") STRICT;\n"
	  "CREATE TRIGGER records_no_rewrite BEFORE UPDATE OF kind, id, version, number, at, actor, state,\n"
	  "  owner, dept, level, provider, pack, parent, due, body ON records\n"
	  "BEGIN SELECT RAISE(ABORT, 'a record version is never rewritten'); END;\n"
	  "CREATE TRIGGER records_newest_once BEFORE UPDATE OF newest ON records\n"
	  "  WHEN NOT (OLD.newest = 1 AND NEW.newest = 0)\n"
	  "BEGIN SELECT RAISE(ABORT, 'only the newest version gives way to a newer one'); END;\n"
	  "CREATE TRIGGER records_no_delete BEFORE DELETE ON records\n"
	  "BEGIN SELECT RAISE(ABORT, 'a record version is never removed'); END;\n" },
	STORE_MIGRATIONS_END,
};
