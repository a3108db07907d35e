/* The SQLite backend of the store: one database file in WAL mode, foreign keys
 * on, a busy timeout for concurrent writers, every statement prepared from
 * constant text with its values bound. The only file (with its migrations)
 * that knows SQLite. */
#include "store/store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	rc = sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE,
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
};

const struct store_backend store_sqlite_backend = {
	"sqlite", 1, &sqlite_ops, store_sqlite_migrations,
};
