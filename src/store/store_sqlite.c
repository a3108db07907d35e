/* The SQLite backend of the store: one database file in WAL mode, foreign keys
 * on, a busy timeout for concurrent writers, every statement prepared from
 * constant text with its values bound. The only file (with its migrations)
 * that knows SQLite. */
#include "store/store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fmt.h"

#define SQLITE_BUSY_MS 5000   /* how long a writer waits for another one */

struct store_sqlite {
	struct store base;        /* first: the handle store.c sees */
	sqlite3 *db;
	int wal;                  /* the file is in WAL mode (checked before the first write) */
};

static sqlite3 *db_of(struct store *s)
{
	return ((struct store_sqlite *)s)->db;
}

/* The code of core/err.h that a SQLite result means for the caller. */
static int code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
		return ERR_INVALID;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return ERR_INVALID;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return ERR_IO;
	case SQLITE_NOMEM:
		abort();   /* out of memory aborts, as everywhere */
	default:
		return ERR_INTERNAL;
	}
}

/* Record SQLite's words for rc on e, saying what was being done. */
static int sq_fail(sqlite3 *db, const char *loc, int rc, const char *what, struct err *e)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_NOTADB)
		return err_set(e, ERR_INVALID, "%1$s: SQLite のデータベースではありません / %1$s is not a SQLite "
		               "database", loc);
	if ((rc & 0xff) == SQLITE_BUSY)
		return err_set(e, ERR_IO, "%1$s: ほかの処理が書き込み中です（%2$d 秒待ちました） / %1$s is busy "
		               "with another writer (waited %2$d s)", loc, SQLITE_BUSY_MS / 1000);
	return err_set(e, code_of(rc), "%s: %s: SQLite: %s", loc, what, msg);
}

/* Prepare constant text (never built with printf: values are bound). */
static int prep(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e)
{
	int rc = sqlite3_prepare_v3(db_of(s), sql, -1, 0, st, NULL);

	if (rc != SQLITE_OK)
		return sq_fail(db_of(s), s->location, rc, "prepare", e);
	return OK;
}

/* Run constant text that has no values and no result rows that matter. */
static int exec(struct store *s, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return sq_fail(db_of(s), s->location, rc, sql, e);
	return OK;
}

/* One text result of a statement without parameters ("" when none). */
static int pragma_text(struct store *s, const char *sql, char *out, size_t n, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, sql, &st, e)))
		return rc;
	out[0] = '\0';
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		if (t && fmt_snprintf(out, n, "%s", (const char *)t) < 0)
			out[0] = '\0';
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE)
		rc = sq_fail(db_of(s), s->location, rc, sql, e);
	else
		rc = OK;
	sqlite3_finalize(st);
	return rc;
}

/* The connection's settings, each checked. None of them writes to the file:
 * a database this binary refuses (newer, or not shinsa's) is left as it was. */
static int configure(struct store *s, struct err *e)
{
	sqlite3 *db = db_of(s);
	char v[32];
	int rc, on;

	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, SQLITE_BUSY_MS);
	/* no writes to the schema by SQL, no functions from the schema, no extensions */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on);
	/* with WAL, FULL: a commit is on disk when it returns, even across a power cut */
	if ((rc = exec(s, "PRAGMA synchronous = FULL", e)) || (rc = exec(s, "PRAGMA foreign_keys = ON", e)))
		return rc;
	if ((rc = pragma_text(s, "PRAGMA foreign_keys", v, sizeof(v), e)))
		return rc;
	if (strcmp(v, "1"))
		return err_set(e, ERR_INTERNAL, "%s: SQLite: foreign keys cannot be enabled", s->location);
	return OK;
}

/* WAL before the first write: readers never wait for the writer, and a
 * killed process loses nothing committed. The mode stays with the file; a
 * SQLite that cannot use it (a read-only folder) is refused, not ignored. */
static int ensure_wal(struct store *s, struct err *e)
{
	struct store_sqlite *q = (struct store_sqlite *)s;
	char v[32];
	int rc;

	if (q->wal)
		return OK;
	if ((rc = pragma_text(s, "PRAGMA journal_mode = WAL", v, sizeof(v), e)))
		return rc;
	if (strcmp(v, "wal"))
		return err_set(e, ERR_IO, "%1$s: WAL モードにできません（%2$s） / cannot use WAL mode (the journal "
		               "stays '%2$s')", s->location, v);
	q->wal = 1;
	return OK;
}

static void sq_close(struct store *s)
{
	struct store_sqlite *q = (struct store_sqlite *)s;

	if (q->db)
		sqlite3_close_v2(q->db);   /* every statement is finalized where it was used */
	free(q);
}

static int sq_open(const char *path, unsigned flags, struct store **out, int *created, struct err *e)
{
	struct store_sqlite *q;
	struct stat st;
	char why[ERR_ERRNO_MAX];
	int rc;

	*created = 0;
	if (stat(path, &st)) {
		int fd;

		if (errno != ENOENT)
			return err_set(e, ERR_IO, "%1$s: 開けません（%2$s） / cannot open %1$s (%2$s)", path,
			               err_errno_text(errno, why));
		if (!(flags & STORE_CREATE))
			return err_set(e, ERR_NOTFOUND, "%1$s: データベースがありません（shinsa init で作ります） / "
			               "no database at %1$s (shinsa init makes one)", path);
		/* made here, mode 0600, so that records are never readable by others,
		 * not even for the moment before SQLite would set them */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return err_set(e, ERR_IO, "%1$s: 作れません（%2$s） / cannot create %1$s (%2$s)", path,
			               err_errno_text(errno, why));
		close(fd);
		*created = 1;
	} else if (!S_ISREG(st.st_mode)) {
		return err_set(e, ERR_IO, "%1$s: 通常のファイルではありません / %1$s is not a regular file", path);
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		abort();
	q->base.location = (char *)path;   /* for messages until store.c sets its copy */
	rc = sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE |
	                                     SQLITE_OPEN_NOMUTEX /* a handle is one thread's */,
	                     NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(q->db, path, rc, "open", e);
		goto fail;
	}
	if ((rc = configure(&q->base, e)))
		goto fail;
	q->base.location = NULL;
	*out = &q->base;
	return OK;
fail:
	sq_close(&q->base);
	if (*created)
		unlink(path);   /* nothing of ours was in it */
	return rc;
}

static int sq_begin(struct store *s, struct err *e)
{
	int rc;

	if ((rc = ensure_wal(s, e)))
		return rc;
	/* IMMEDIATE: the write lock now, so a transaction never fails half-way
	 * for want of it */
	return exec(s, "BEGIN IMMEDIATE", e);
}

static int sq_commit(struct store *s, struct err *e)
{
	return exec(s, "COMMIT", e);
}

static void sq_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(db_of(s)))
		sqlite3_exec(db_of(s), "ROLLBACK", NULL, NULL, NULL);
}

static int sq_version(struct store *s, int *version, struct err *e)
{
	sqlite3_stmt *st;
	int rc, has;

	*version = 0;
	if ((rc = prep(s, "SELECT count(*), coalesce(sum(name = 'schema_migrations'), 0) FROM sqlite_schema "
	                  "WHERE type = 'table'", &st, e)))
		return rc;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = sq_fail(db_of(s), s->location, rc, "schema", e);
		sqlite3_finalize(st);
		return rc;
	}
	has = sqlite3_column_int(st, 1);
	if (!has && sqlite3_column_int(st, 0) > 0) {
		sqlite3_finalize(st);
		return err_set(e, ERR_INVALID, "%1$s: shinsa のデータベースではありません（ほかの表があります） / "
		               "%1$s is not a shinsa database (it has other tables)", s->location);
	}
	sqlite3_finalize(st);
	if (!has)
		return OK;
	if ((rc = prep(s, "SELECT coalesce(max(version), 0) FROM schema_migrations", &st, e)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		rc = OK;
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "schema_migrations", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_migrate(struct store *s, const struct store_migration *m, const char *at, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	/* the script is the constant text of store_sqlite_migrations.c */
	if ((rc = exec(s, m->script, e)))
		return rc;
	if ((rc = prep(s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)", &st, e)))
		return rc;
	sqlite3_bind_int(st, 1, m->version);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, "schema_migrations", e);
	sqlite3_finalize(st);
	return rc;
}

static int sq_meta_get(struct store *s, struct arena *a, const char *key, const char **value,
                       const char **updated_at, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT value, updated_at FROM meta WHERE key = ?1", &st, e)))
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = arena_strndup(a, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
		if (updated_at)
			*updated_at = arena_strndup(a, (const char *)sqlite3_column_text(st, 1),
			                            (size_t)sqlite3_column_bytes(st, 1));
		rc = OK;
	} else if (rc == SQLITE_DONE) {
		rc = ERR_NOTFOUND;
		err_set(e, rc, "store: %s: 値がありません / no value", key);
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "meta", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_meta_set(struct store *s, const char *key, const char *value, const char *at, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "INSERT INTO meta (key, value, updated_at) VALUES (?1, ?2, ?3) "
	                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
	               &st, e)))
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, "meta", e);
	sqlite3_finalize(st);
	return rc;
}

/* The audit log's columns, in the order every statement below reads them. */
#define AUDIT_COLS "seq, at, actor, channel, action, object_type, object_id, before, after, comment, prev, hash, mac"

static int sq_audit_append(struct store *s, const struct store_audit_entry *en, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "INSERT INTO audit_log (" AUDIT_COLS ") "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &st, e)))
		return rc;
	sqlite3_bind_int64(st, 1, en->seq);
	sqlite3_bind_text(st, 2, en->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, en->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, en->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, en->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, en->object_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, en->object_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, en->before, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, en->after, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, en->comment, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, en->prev, STORE_AUDIT_HASH, SQLITE_STATIC);
	sqlite3_bind_blob(st, 12, en->hash, STORE_AUDIT_HASH, SQLITE_STATIC);
	sqlite3_bind_blob(st, 13, en->mac, STORE_AUDIT_HASH, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		rc = OK;
	else if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = err_set(e, ERR_EXISTS, "%s: audit: entry %lld exists", s->location, en->seq);
	else
		rc = sq_fail(db_of(s), s->location, rc, "audit_log", e);
	sqlite3_finalize(st);
	return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* A hash column into out; a value that is not 32 bytes reads as zeros with
 * the first byte 0xff, so that it never matches (verify reports it). */
static void col_hash(sqlite3_stmt *st, int i, unsigned char *out)
{
	const void *p = sqlite3_column_blob(st, i);

	if (p && sqlite3_column_bytes(st, i) == STORE_AUDIT_HASH) {
		memcpy(out, p, STORE_AUDIT_HASH);
	} else {
		memset(out, 0, STORE_AUDIT_HASH);
		out[0] = 0xff;
	}
}

static void row_entry(sqlite3_stmt *st, struct store_audit_entry *en)
{
	en->seq = sqlite3_column_int64(st, 0);
	en->at = col_text(st, 1);
	en->actor = col_text(st, 2);
	en->channel = col_text(st, 3);
	en->action = col_text(st, 4);
	en->object_type = col_text(st, 5);
	en->object_id = col_text(st, 6);
	en->before = col_text(st, 7);
	en->after = col_text(st, 8);
	en->comment = col_text(st, 9);
	col_hash(st, 10, en->prev);
	col_hash(st, 11, en->hash);
	col_hash(st, 12, en->mac);
}

static int sq_audit_read(struct store *s, long long from, long long to, store_audit_fn fn, void *arg,
                         struct err *e)
{
	struct store_audit_entry en;
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq", &st, e)))
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to < 0 ? INT64_MAX : to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		row_entry(st, &en);
		if ((r = fn(arg, &en, e))) {
			sqlite3_finalize(st);
			return r;
		}
	}
	rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, "audit_log", e);
	sqlite3_finalize(st);
	return rc;
}

static int sq_audit_count(struct store *s, long long *count, long long *first, long long *last, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM audit_log", &st, e)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		if (first)
			*first = sqlite3_column_int64(st, 1);
		if (last)
			*last = sqlite3_column_int64(st, 2);
		rc = OK;
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "audit_log", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_audit_last(struct store *s, struct arena *a, const char *action, struct store_audit_entry *en,
                         struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (action)
		rc = prep(s, "SELECT " AUDIT_COLS " FROM audit_log WHERE action = ?1 ORDER BY seq DESC LIMIT 1", &st, e);
	else
		rc = prep(s, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq DESC LIMIT 1", &st, e);
	if (rc)
		return rc;
	if (action)
		sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row_entry(st, en);
		en->at = arena_strdup(a, en->at);
		en->actor = arena_strdup(a, en->actor);
		en->channel = arena_strdup(a, en->channel);
		en->action = arena_strdup(a, en->action);
		en->object_type = arena_strdup(a, en->object_type);
		en->object_id = arena_strdup(a, en->object_id);
		en->before = arena_strdup(a, en->before);
		en->after = arena_strdup(a, en->after);
		en->comment = arena_strdup(a, en->comment);
		rc = OK;
	} else if (rc == SQLITE_DONE) {
		rc = err_set(e, ERR_NOTFOUND, "%s: audit: no entry", s->location);
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "audit_log", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_audit_seek(struct store *s, const char *at, long long *seq, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT min(seq) FROM audit_log WHERE at >= ?1", &st, e)))
		return rc;
	sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*seq = sqlite3_column_int64(st, 0);
		rc = OK;
	} else if (rc == SQLITE_ROW) {
		rc = err_set(e, ERR_NOTFOUND, "%s: audit: no entry at or after %s", s->location, at);
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "audit_log", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_audit_purge(struct store *s, long long upto, long long *removed, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "DELETE FROM audit_log WHERE seq <= ?1", &st, e)))
		return rc;
	sqlite3_bind_int64(st, 1, upto);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		*removed = sqlite3_changes64(db_of(s));
		rc = OK;
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "audit_log", e);
	}
	sqlite3_finalize(st);
	return rc;
}

/* VACUUM INTO copies the database as one read transaction sees it: a
 * consistent snapshot, whatever other connections commit meanwhile. The file
 * name is bound, never written into the statement. */
static int sq_backup(struct store *s, const char *dest, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "VACUUM INTO ?1", &st, e)))
		return rc;
	if (sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC) != SQLITE_OK) {
		rc = sq_fail(db_of(s), s->location, sqlite3_errcode(db_of(s)), "backup", e);
	} else {
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, "backup (VACUUM INTO)", e);
	}
	sqlite3_finalize(st);
	return rc;
}

/* PRAGMA integrity_check: one row "ok", or rows of problems (the first 10). */
static int sq_integrity(struct store *s, struct arena *a, const char **problem, struct err *e)
{
	sqlite3_stmt *st;
	struct buf b = BUF_INIT;
	int rc, rows = 0;

	*problem = NULL;
	if ((rc = prep(s, "PRAGMA integrity_check(10)", &st, e)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		if (rows == 0 && t && !strcmp((const char *)t, "ok"))
			continue;
		buf_addf(&b, "%s%s", rows++ ? "; " : "", t ? (const char *)t : "?");
	}
	if (rc != SQLITE_DONE && !rows) {
		rc = sq_fail(db_of(s), s->location, rc, "integrity_check", e);
	} else {
		/* an error while checking is itself a problem with the file */
		if (rc != SQLITE_DONE)
			buf_addf(&b, "%s%s", rows++ ? "; " : "", sqlite3_errmsg(db_of(s)));
		if (rows)
			*problem = buf_error(&b) ? "integrity_check failed" : arena_printf(a, "%s", b.data ? b.data : "");
		rc = OK;
	}
	buf_free(&b);
	sqlite3_finalize(st);
	return rc;
}

/* ---- records ---- */

#define REC_COLS "kind, id, number, version, at, actor, state, owner, dept, level, provider, pack, parent, " \
	"due, body"

static const char *nz(const char *t)
{
	return t ? t : "";
}

/* The newest version of kind/id (0: none). */
static int rec_newest(struct store *s, const char *kind, const char *id, long long *v, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT coalesce(max(version), 0) FROM records WHERE kind = ?1 AND id = ?2", &st, e)))
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = OK;
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "records", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static int step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);

	rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, what, e);
	sqlite3_finalize(st);
	return rc;
}

static int sq_record_put(struct store *s, const struct store_record *r, struct err *e)
{
	const struct store_keys *k = &r->keys;
	sqlite3_stmt *st;
	long long cur = 0;
	int rc;

	if ((rc = rec_newest(s, r->kind, r->id, &cur, e)))
		return rc;
	if (r->version <= cur)
		return err_set(e, ERR_EXISTS, "%1$s %2$s: 版 %3$lld はすでにあります（ほかの変更がありました。読み直してください） / "
		               "%1$s %2$s: version %3$lld exists (it was changed meanwhile: read it again)",
		               r->kind, r->id, r->version);
	if (r->version > cur + 1)
		return err_set(e, ERR_NOTFOUND, "%s %s: version %lld follows no version %lld", r->kind, r->id,
		               r->version, r->version - 1);
	if (cur) {
		if ((rc = prep(s, "UPDATE records SET newest = 0 WHERE kind = ?1 AND id = ?2 AND newest = 1", &st, e)))
			return rc;
		sqlite3_bind_text(st, 1, r->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
		if ((rc = step_done(s, st, "records", e)))
			return rc;
	}
	if ((rc = prep(s, "INSERT INTO records (" REC_COLS ", newest) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1)", &st, e)))
		return rc;
	sqlite3_bind_text(st, 1, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->number);
	sqlite3_bind_int64(st, 4, r->version);
	sqlite3_bind_text(st, 5, r->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, nz(r->actor), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, nz(k->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, nz(k->owner), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, nz(k->dept), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, nz(k->level), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, nz(k->provider), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, nz(k->pack), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, nz(k->parent), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, nz(k->due), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, r->body, -1, SQLITE_STATIC);
	return step_done(s, st, "records", e);
}

static int sq_record_next_number(struct store *s, const char *kind, long long *n, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "INSERT INTO record_numbers (kind, last) VALUES (?1, 1) "
	                  "ON CONFLICT (kind) DO UPDATE SET last = last + 1 RETURNING last", &st, e)))
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, "record_numbers", e);
	sqlite3_finalize(st);
	return rc;
}

/* A row read with REC_COLS; texts live while the statement does. */
static void row_record(sqlite3_stmt *st, struct store_record *r)
{
	r->kind = col_text(st, 0);
	r->id = col_text(st, 1);
	r->number = sqlite3_column_int64(st, 2);
	r->version = sqlite3_column_int64(st, 3);
	r->at = col_text(st, 4);
	r->actor = col_text(st, 5);
	r->keys.state = col_text(st, 6);
	r->keys.owner = col_text(st, 7);
	r->keys.dept = col_text(st, 8);
	r->keys.level = col_text(st, 9);
	r->keys.provider = col_text(st, 10);
	r->keys.pack = col_text(st, 11);
	r->keys.parent = col_text(st, 12);
	r->keys.due = col_text(st, 13);
	r->body = col_text(st, 14);
	r->body_len = (size_t)sqlite3_column_bytes(st, 14);
}

static void copy_record(struct arena *a, struct store_record *r)
{
	r->kind = arena_strdup(a, r->kind);
	r->id = arena_strdup(a, r->id);
	r->at = arena_strdup(a, r->at);
	r->actor = arena_strdup(a, r->actor);
	r->keys.state = arena_strdup(a, r->keys.state);
	r->keys.owner = arena_strdup(a, r->keys.owner);
	r->keys.dept = arena_strdup(a, r->keys.dept);
	r->keys.level = arena_strdup(a, r->keys.level);
	r->keys.provider = arena_strdup(a, r->keys.provider);
	r->keys.pack = arena_strdup(a, r->keys.pack);
	r->keys.parent = arena_strdup(a, r->keys.parent);
	r->keys.due = arena_strdup(a, r->keys.due);
	r->body = arena_strdup(a, r->body);
}

static int sq_record_get(struct store *s, struct arena *a, const char *kind, const char *id, long long version,
                         struct store_record *out, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	rc = version ? prep(s, "SELECT " REC_COLS " FROM records WHERE kind = ?1 AND id = ?2 AND version = ?3", &st, e)
	             : prep(s, "SELECT " REC_COLS " FROM records WHERE kind = ?1 AND id = ?2 AND newest = 1", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (version)
		sqlite3_bind_int64(st, 3, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row_record(st, out);
		copy_record(a, out);
		rc = OK;
	} else if (rc == SQLITE_DONE) {
		rc = version ? err_set(e, ERR_NOTFOUND, "%1$s %2$s の版 %3$lld はありません / %1$s %2$s has no version %3$lld",
		                       kind, id, version)
		             : err_set(e, ERR_NOTFOUND, "%1$s %2$s はありません / there is no %1$s %2$s", kind, id);
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "records", e);
	}
	sqlite3_finalize(st);
	return rc;
}

#define NKEYS 8

/* The keys of k in the order of the records' columns (one array, not the
 * struct read as one: its members are separate objects). */
static void keys_of(const struct store_keys *k, const char *out[NKEYS])
{
	out[0] = k->state;
	out[1] = k->owner;
	out[2] = k->dept;
	out[3] = k->level;
	out[4] = k->provider;
	out[5] = k->pack;
	out[6] = k->parent;
	out[7] = k->due;
}

/* The WHERE clause of q from constant pieces, each value a numbered
 * parameter bound by bind_query in the same order. */
static void where_query(struct buf *b, const struct store_query *q)
{
	static const char *const eq_cols[NKEYS] = { "state", "owner", "dept", "level", "provider", "pack",
		"parent", "due" };
	const char *eq[NKEYS];
	size_t i;

	keys_of(&q->eq, eq);
	buf_adds(b, " WHERE kind = ?");
	buf_adds(b, q->history ? "" : " AND newest = 1");
	for (i = 0; i < NKEYS; i++)
		if (eq[i]) {
			buf_adds(b, " AND ");
			buf_adds(b, eq_cols[i]);
			buf_adds(b, " = ?");
		}
	if (q->nstates) {
		buf_adds(b, " AND state IN (");
		for (i = 0; i < q->nstates; i++)
			buf_adds(b, i ? ", ?" : "?");
		buf_adds(b, ")");
	}
	if (q->due_from)
		buf_adds(b, " AND due <> '' AND due >= ?");
	if (q->due_before)
		buf_adds(b, " AND due <> '' AND due < ?");
	if (q->provider_part)
		buf_adds(b, " AND instr(provider, ?) > 0");
}

static void bind_query(sqlite3_stmt *st, const struct store_query *q)
{
	const char *eq[NKEYS];
	int n = 1;
	size_t i;

	keys_of(&q->eq, eq);
	sqlite3_bind_text(st, n++, q->kind, -1, SQLITE_STATIC);
	for (i = 0; i < NKEYS; i++)
		if (eq[i])
			sqlite3_bind_text(st, n++, eq[i], -1, SQLITE_STATIC);
	for (i = 0; i < q->nstates; i++)
		sqlite3_bind_text(st, n++, q->states[i], -1, SQLITE_STATIC);
	if (q->due_from)
		sqlite3_bind_text(st, n++, q->due_from, -1, SQLITE_STATIC);
	if (q->due_before)
		sqlite3_bind_text(st, n++, q->due_before, -1, SQLITE_STATIC);
	if (q->provider_part)
		sqlite3_bind_text(st, n++, q->provider_part, -1, SQLITE_STATIC);
	(void)n;
}

static int prep_query(struct store *s, const struct store_query *q, int count, sqlite3_stmt **st, struct err *e)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_adds(&b, count ? "SELECT count(*) FROM records" : "SELECT " REC_COLS " FROM records");
	where_query(&b, q);
	if (!count) {
		buf_adds(&b, " ORDER BY number, id, version");
		if (q->limit || q->offset)
			buf_adds(&b, " LIMIT ? OFFSET ?");
	}
	if (buf_error(&b)) {
		buf_free(&b);
		return err_set(e, ERR_TOOLARGE, "store: query");
	}
	rc = prep(s, b.data, st, e);
	buf_free(&b);
	if (rc)
		return rc;
	bind_query(*st, q);
	if (!count && (q->limit || q->offset)) {
		int n = sqlite3_bind_parameter_count(*st);

		sqlite3_bind_int64(*st, n - 1, q->limit ? q->limit : -1);
		sqlite3_bind_int64(*st, n, q->offset);
	}
	return OK;
}

static int sq_record_find(struct store *s, const struct store_query *q, store_record_fn fn, void *arg,
                          struct err *e)
{
	struct store_record r;
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep_query(s, q, 0, &st, e)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		row_record(st, &r);
		if ((rc = fn(arg, &r, e))) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? OK : sq_fail(db_of(s), s->location, rc, "records", e);
	sqlite3_finalize(st);
	return rc;
}

static int sq_record_count(struct store *s, const struct store_query *q, long long *n, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep_query(s, q, 1, &st, e)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		rc = OK;
	} else {
		rc = sq_fail(db_of(s), s->location, rc, "records", e);
	}
	sqlite3_finalize(st);
	return rc;
}

static const struct store_ops sqlite_ops = {
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.version = sq_version,
	.migrate = sq_migrate,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.audit_append = sq_audit_append,
	.audit_read = sq_audit_read,
	.audit_count = sq_audit_count,
	.audit_last = sq_audit_last,
	.audit_seek = sq_audit_seek,
	.audit_purge = sq_audit_purge,
	.backup = sq_backup,
	.integrity = sq_integrity,
	.record_put = sq_record_put,
	.record_next_number = sq_record_next_number,
	.record_get = sq_record_get,
	.record_find = sq_record_find,
	.record_count = sq_record_count,
};

const struct store_backend store_sqlite_backend = {
	"sqlite", 1, &sqlite_ops, store_sqlite_migrations,
};
