/* The store through its interface, on real SQLite files in a temporary
 * folder: open, migrate and reopen; a newer database refused; an older one
 * upgraded from a fixture; hostile strings kept as data; transactions rolled
 * back on error; a failed migration leaving the schema as it was. Direct SQL
 * here only looks at the files from outside. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/fmt.h"
#include "store/store.h"
#include "store/store_int.h"

static char dir[] = "/tmp/shinsa-store-XXXXXX";
static const char *fixtures;

static const char *path(struct arena *a, const char *name)
{
	return arena_printf(a, "%s/%s", dir, name);
}

/* Replay fixture (SQL text) into a new file at db. */
static void replay(struct arena *a, const char *fixture, const char *db)
{
	FILE *f = fopen(arena_printf(a, "%s/%s", fixtures, fixture), "rb");
	char text[8192];
	size_t n;
	sqlite3 *q;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	unlink(db);
	assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
	assert_int_equal(sqlite3_exec(q, text, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(q);
}

/* One integer that a query on the file returns, read from outside the store. */
static long long peek(const char *db, const char *sql)
{
	sqlite3 *q;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(db, &q, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(q, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(q);
	return v;
}

static void test_open_migrate_reopen(void **state)
{
	struct arena a;
	struct store *s;
	struct store_open_info info;
	struct err e = { 0 };
	const char *db, *v, *at, *first;
	struct stat st;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "new.db");
	/* not there, and not to be made: refused, nothing made */
	assert_int_equal(store_open(db, 0, &s, &info, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "shinsa init"));
	assert_int_not_equal(access(db, F_OK), 0);

	assert_int_equal(store_open(db, STORE_CREATE | STORE_MIGRATE, &s, &info, &e), OK);
	assert_true(info.created);
	assert_int_equal(info.version_before, 0);
	assert_int_equal(info.version, info.latest);
	assert_int_equal(info.applied, (size_t)info.latest);
	assert_string_equal(store_backend(s), "sqlite");
	assert_int_equal(store_version(s), info.latest);
	assert_int_equal(store_meta_get(s, &a, STORE_META_CREATED_AT, &first, &at, &e), OK);
	assert_int_equal(strlen(first), 25);   /* 2026-04-01T09:00:00+09:00 */
	assert_string_equal(first + 19, "+09:00");
	assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, NULL, &e), ERR_NOTFOUND);
	store_close(s);
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* WAL is a property of the file; foreign keys are checked at every open */
	assert_int_equal(peek(db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);

	assert_int_equal(store_open(db, 0, &s, &info, &e), OK);
	assert_false(info.created);
	assert_int_equal(info.applied, 0);
	assert_int_equal(store_meta_get(s, &a, STORE_META_CREATED_AT, &v, NULL, &e), OK);
	assert_string_equal(v, first);
	store_close(s);

	/* the same file named with the scheme */
	assert_int_equal(store_open(arena_printf(&a, "sqlite:%s", db), 0, &s, &info, &e), OK);
	assert_string_equal(store_location(s), db);
	store_close(s);
	assert_int_equal(store_open(arena_printf(&a, "sqlite://%s", db), 0, &s, &info, &e), OK);
	store_close(s);
	arena_release(&a);
}

static void test_targets(void **state)
{
	struct arena a;
	struct store *s;
	struct err e = { 0 };
	const char *f;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(store_open("postgresql://db.example/shinsa", 0, &s, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "no such database backend"));
	assert_int_equal(store_open("", 0, &s, NULL, &e), ERR_INVALID);
	assert_int_equal(store_open("sqlite:", 0, &s, NULL, &e), ERR_INVALID);
	assert_int_equal(store_target_file(&a, "sqlite:/var/x.db", &f, &e), OK);
	assert_string_equal(f, "/var/x.db");
	assert_int_equal(store_target_file(&a, "sqlite:///var/x.db", &f, &e), OK);
	assert_string_equal(f, "/var/x.db");
	assert_int_equal(store_target_file(&a, "x.db", &f, &e), OK);
	assert_string_equal(f, "x.db");
	/* a colon in a file name is not a scheme unless a URL follows */
	assert_int_equal(store_target_file(&a, "backup:2026.db", &f, &e), OK);
	assert_string_equal(f, "backup:2026.db");
	assert_int_equal(store_target_file(&a, "postgresql://h/db", &f, &e), ERR_INVALID);
	assert_null(f);
	arena_release(&a);
}

static void test_newer_refused(void **state)
{
	struct arena a;
	struct store *s;
	struct store_open_info info;
	struct err e = { 0 };
	const char *db;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "newer.db");
	replay(&a, "schema-newer.sql", db);
	assert_int_equal(store_open(db, STORE_CREATE | STORE_MIGRATE, &s, &info, &e), ERR_INVALID);
	assert_null(s);
	assert_non_null(strstr(e.msg, "version 99"));
	assert_non_null(strstr(e.msg, "newer than this shinsa"));
	assert_int_equal(info.version_before, 99);
	/* and nothing was written to it (not even the switch to WAL) */
	assert_int_equal(peek(db, "SELECT journal_mode = 'delete' FROM pragma_journal_mode"), 1);
	assert_int_equal(peek(db, "SELECT max(version) FROM schema_migrations"), 99);
	assert_int_equal(peek(db, "SELECT count(*) FROM schema_migrations"), 3);
	arena_release(&a);
}

static void test_upgrade_fixture(void **state)
{
	struct arena a;
	struct store *s;
	struct store_open_info info;
	struct err e = { 0 };
	const char *db, *v, *at;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "v1.db");
	replay(&a, "schema-v1.sql", db);
	/* an older schema is not used without migrating it */
	assert_int_equal(store_open(db, 0, &s, &info, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "run shinsa init"));
	assert_int_equal(peek(db, "SELECT max(version) FROM schema_migrations"), 1);

	assert_int_equal(store_open(db, STORE_MIGRATE, &s, &info, &e), OK);
	assert_false(info.created);
	assert_int_equal(info.version_before, 1);
	assert_int_equal(info.version, info.latest);
	assert_int_equal(info.applied, (size_t)(info.latest - 1));
	assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, &at, &e), OK);
	assert_string_equal(v, "乙訓福祉施設事務組合");
	assert_string_equal(at, "2026-04-01T09:00:00+09:00");   /* backfilled from created_at */
	assert_int_equal(store_meta_get(s, &a, STORE_META_CREATED_AT, &v, NULL, &e), OK);
	assert_string_equal(v, "2026-04-01T09:00:00+09:00");
	store_close(s);
	assert_int_equal(peek(db, "SELECT count(*) FROM schema_migrations"), info.latest);
	arena_release(&a);
}

static void test_hostile_strings(void **state)
{
	static const char *const hostile[] = {
		"'); DROP TABLE meta; --",
		"\" OR 1=1 --",
		"安城市'; DELETE FROM schema_migrations WHERE 'a'='a",
		"%s%n%x\\'\\\"",
		"x' || (SELECT value FROM meta) || '",
	};
	struct arena a;
	struct store *s;
	struct err e = { 0 };
	const char *db, *v;
	char big[STORE_META_VALUE_MAX + 2];
	size_t i;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "hostile.db");
	assert_int_equal(store_open(db, STORE_CREATE | STORE_MIGRATE, &s, NULL, &e), OK);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, hostile[i], &e), OK);
		assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, NULL, &e), OK);
		assert_string_equal(v, hostile[i]);
	}
	/* a key is never text to run, nor a way to other rows */
	assert_int_equal(store_meta_get(s, &a, "body_name' OR '1'='1", &v, NULL, &e), ERR_INVALID);
	assert_int_equal(store_meta_set(s, "x'); DROP TABLE meta; --", "v", &e), ERR_INVALID);
	/* what a value may not be */
	assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, "a\nb", &e), ERR_INVALID);
	assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, "\xff\xfe", &e), ERR_INVALID);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, big, &e), ERR_TOOLARGE);
	assert_int_equal(store_meta_set(s, STORE_META_CREATED_AT, "2000-01-01T00:00:00+09:00", &e), ERR_FORBIDDEN);
	store_close(s);
	assert_int_equal(peek(db, "SELECT count(*) FROM meta"), 2);
	assert_int_equal(peek(db, "SELECT count(*) FROM schema_migrations"), peek(db, "SELECT max(version) FROM schema_migrations"));
	arena_release(&a);
}

static int set_then_fail(struct store *s, void *arg, struct err *e)
{
	int rc = store_meta_set(s, STORE_META_BODY_NAME, arg, e);

	if (rc)
		return rc;
	return err_set(e, ERR_INVALID, "the second step failed");
}

static int set_body(struct store *s, void *arg, struct err *e)
{
	return store_meta_set(s, STORE_META_BODY_NAME, arg, e);
}

static void test_transactions(void **state)
{
	struct arena a;
	struct store *s, *other;
	struct err e = { 0 };
	const char *db, *v;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "tx.db");
	assert_int_equal(store_open(db, STORE_CREATE | STORE_MIGRATE, &s, NULL, &e), OK);
	assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, "安城市", &e), OK);

	/* an error in the middle of a change: none of it stays */
	assert_int_equal(store_tx(s, set_then_fail, "仙台市", &e), ERR_INVALID);
	assert_string_equal(e.msg, "the second step failed");
	assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, NULL, &e), OK);
	assert_string_equal(v, "安城市");

	/* an explicit rollback */
	assert_int_equal(store_begin(s, &e), OK);
	assert_int_equal(store_begin(s, &e), ERR_INTERNAL);   /* no nesting */
	assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, "神戸市", &e), OK);
	assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, NULL, &e), OK);
	assert_string_equal(v, "神戸市");   /* seen inside the transaction */
	store_rollback(s);
	assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, NULL, &e), OK);
	assert_string_equal(v, "安城市");
	assert_int_equal(store_commit(s, &e), ERR_INTERNAL);   /* nothing open */

	/* committed: another connection sees it */
	assert_int_equal(store_tx(s, set_body, "神戸市", &e), OK);
	assert_int_equal(store_open(db, 0, &other, NULL, &e), OK);
	assert_int_equal(store_meta_get(other, &a, STORE_META_BODY_NAME, &v, NULL, &e), OK);
	assert_string_equal(v, "神戸市");
	store_close(other);

	/* a transaction left open at close is rolled back */
	assert_int_equal(store_begin(s, &e), OK);
	assert_int_equal(store_meta_set(s, STORE_META_BODY_NAME, "東京都特別区", &e), OK);
	store_close(s);
	assert_int_equal(store_open(db, 0, &s, NULL, &e), OK);
	assert_int_equal(store_meta_get(s, &a, STORE_META_BODY_NAME, &v, NULL, &e), OK);
	assert_string_equal(v, "神戸市");
	store_close(s);
	arena_release(&a);
}

/* A backend row with migrations of the test's own: the second fails half-way. */
static const struct store_migration good[] = {
	{ 1, "one", "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	            "applied_at TEXT NOT NULL); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
	            "updated_at TEXT NOT NULL DEFAULT '');" },
	STORE_MIGRATIONS_END,
};
static const struct store_migration broken[] = {
	{ 1, "one", "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	            "applied_at TEXT NOT NULL); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
	            "updated_at TEXT NOT NULL DEFAULT '');" },
	{ 2, "half", "CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);" },
	STORE_MIGRATIONS_END,
};
static const struct store_migration gap[] = {
	{ 1, "one", "SELECT 1;" },
	{ 3, "three", "SELECT 1;" },
	STORE_MIGRATIONS_END,
};

static void test_failed_migration(void **state)
{
	struct store_backend b = store_sqlite_backend;
	struct arena a;
	struct store *s;
	struct store_open_info info;
	struct err e = { 0 };
	const char *db;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "broken.db");
	b.migrations = good;
	assert_int_equal(store_open_with(&b, db, STORE_CREATE | STORE_MIGRATE, &s, &info, &e), OK);
	store_close(s);
	b.migrations = broken;
	assert_int_not_equal(store_open_with(&b, db, STORE_MIGRATE, &s, &info, &e), OK);
	assert_non_null(strstr(e.msg, "schema version 2 (half)"));
	assert_non_null(strstr(e.msg, "nowhere"));
	/* the migration was one transaction: its table is not there, the version is 1 */
	assert_int_equal(peek(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'two'"), 0);
	assert_int_equal(peek(db, "SELECT max(version) FROM schema_migrations"), 1);

	b.migrations = gap;
	assert_int_equal(store_open_with(&b, path(&a, "gap.db"), STORE_CREATE | STORE_MIGRATE, &s, &info, &e),
	                 ERR_INTERNAL);
	arena_release(&a);
}

static void test_not_ours(void **state)
{
	struct arena a;
	struct store *s;
	struct err e = { 0 };
	const char *db;
	FILE *f;
	sqlite3 *q;

	(void)state;
	arena_init(&a, 0);
	db = path(&a, "text.db");
	f = fopen(db, "wb");
	assert_non_null(f);
	fputs("this is not a database, but it is long enough to have a header of its own, "
	      "as a SQLite file has one of 100 bytes at its very start ...................\n", f);
	fclose(f);
	assert_int_equal(store_open(db, STORE_CREATE | STORE_MIGRATE, &s, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not a SQLite database"));

	db = path(&a, "other.db");
	assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
	assert_int_equal(sqlite3_exec(q, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(q);
	assert_int_equal(store_open(db, STORE_CREATE | STORE_MIGRATE, &s, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not a shinsa database"));
	assert_int_equal(peek(db, "SELECT count(*) FROM sqlite_schema"), 1);

	assert_int_equal(store_open(dir, STORE_CREATE | STORE_MIGRATE, &s, NULL, &e), ERR_IO);
	arena_release(&a);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_migrate_reopen),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_newer_refused),
		cmocka_unit_test(test_upgrade_fixture),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_failed_migration),
		cmocka_unit_test(test_not_ours),
	};
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: test_store FIXTURES_DIR\n");
		return 2;
	}
	fixtures = argv[1];
	if (!mkdtemp(dir))
		return 2;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (!getenv("SHINSA_KEEP_TMP")) {
		char cmd[256];

		if (fmt_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) > 0 && system(cmd) != 0)
			fprintf(stderr, "test_store: could not remove %s\n", dir);
	}
	return rc;
}
