/* app/audit on real SQLite files in a temporary folder: the canonical
 * encoding byte for byte, the chain over appends and reopenings, verify on a
 * sound log and after an intruder's edit (through SQLite itself), the
 * retention purge of old entries keeping the chain verifiable (its base in
 * the log, an anchor on the base), a purge of young entries refused, a
 * second purge, and an export range. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/auditkey.h"
#include "core/fmt.h"
#include "core/isotime.h"
#include "logic/vb.h"
#include "store/store.h"

struct fx {
	char dir[64], db[96], key[96];
	struct store *s;
	struct audit_log *l;
	struct arena a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct err e = { 0 };

	assert_non_null(f);
	assert_true(fmt_snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/shinsa-audit-XXXXXX") > 0);
	assert_non_null(mkdtemp(f->dir));
	assert_true(fmt_snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir) > 0);
	assert_true(fmt_snprintf(f->key, sizeof(f->key), "%s/t.key", f->dir) > 0);
	assert_int_equal(store_open(f->db, STORE_CREATE | STORE_MIGRATE, &f->s, NULL, &e), OK);
	assert_int_equal(auditkey_create(f->key, &e), OK);
	assert_int_equal(audit_open(f->s, f->key, &f->l, &e), OK);
	arena_init(&f->a, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	audit_close(f->l);
	store_close(f->s);
	arena_release(&f->a);
	unlink(f->db);
	unlink(f->key);
	{
		char p[128];

		if (fmt_snprintf(p, sizeof(p), "%s-wal", f->db) > 0)
			unlink(p);
		if (fmt_snprintf(p, sizeof(p), "%s-shm", f->db) > 0)
			unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static long long add(struct fx *f, const char *at, const char *action, const char *after)
{
	struct audit_change c = { "alice", "cli:test", action, "app", "7", "", after, "", at };
	struct err e = { 0 };
	long long seq = 0;

	assert_int_equal(audit_append(f->l, &c, &seq, &e), OK);
	return seq;
}

static void verify_ok(struct fx *f, long long count)
{
	struct audit_report r;
	struct err e = { 0 };

	assert_int_equal(audit_verify(f->l, &f->a, NULL, &r, &e), OK);
	if (!r.ok)
		fail_msg("verify: %s", r.detail);
	assert_int_equal(r.count, count);
}

static void test_encoding(void **state)
{
	struct store_audit_entry en;
	struct buf b = BUF_INIT;
	const char *want;

	(void)state;
	memset(&en, 0, sizeof(en));
	en.seq = 12;
	en.at = "2026-04-01T09:00:00+09:00";
	en.actor = "alice";
	en.channel = "cli:root";
	en.action = "app.submit";
	en.object_type = "application";
	en.object_id = "A-1";
	en.before = "";
	en.after = "{\"state\":\"提出\"}";
	en.comment = "a\nb";
	en.prev[0] = 0xab;
	audit_encode(&b, &en);
	want = "shinsa.audit.v1\n"
	       "seq 2:12\n"
	       "at 25:2026-04-01T09:00:00+09:00\n"
	       "actor 5:alice\n"
	       "channel 8:cli:root\n"
	       "action 10:app.submit\n"
	       "object_type 11:application\n"
	       "object_id 3:A-1\n"
	       "before 0:\n"
	       "after 18:{\"state\":\"提出\"}\n"
	       "comment 3:a\nb\n"
	       "prev 64:ab00000000000000000000000000000000000000000000000000000000000000\n";
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_chain_and_tamper(void **state)
{
	struct fx *f = *state;
	struct audit_report r;
	struct err e = { 0 };
	sqlite3 *db;
	long long i;

	verify_ok(f, 0);
	for (i = 1; i <= 20; i++)
		assert_int_equal(add(f, NULL, "app.update", "{\"n\":1}"), i);
	verify_ok(f, 20);
	/* reopened: the chain goes on */
	audit_close(f->l);
	store_close(f->s);
	assert_int_equal(store_open(f->db, 0, &f->s, NULL, &e), OK);
	assert_int_equal(audit_open(f->s, f->key, &f->l, &e), OK);
	assert_int_equal(add(f, NULL, "app.update", ""), 21);
	verify_ok(f, 21);
	/* an intruder edits entry 9 */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update; "
	                              "UPDATE audit_log SET actor = 'mallory' WHERE seq = 9", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(audit_verify(f->l, &f->a, NULL, &r, &e), OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 9);
	assert_string_equal(r.problem, "changed");
}

static void test_update_refused(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;

	add(f, NULL, "app.update", "");
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	verify_ok(f, 1);
}

static void test_purge(void **state)
{
	struct fx *f = *state;
	struct audit_report r;
	const struct lval *m;
	struct err e = { 0 };
	char base[CRYPTO_SHA256_HEX], today[ISOTIME_BUFSZ];
	long long from, to;

	add(f, "2020-01-01T10:00:00+09:00", "app.create", "");
	add(f, "2020-01-02T10:00:00+09:00", "app.update", "");
	add(f, "2020-06-01T10:00:00+09:00", "app.update", "");
	add(f, "2021-01-01T10:00:00+09:00", "app.submit", "");
	add(f, NULL, "app.approve", "");
	verify_ok(f, 5);
	/* young entries: refused, nothing changed */
	isotime_date_jst(isotime_now(), today);
	assert_int_equal(audit_purge(f->l, &f->a, today, 365, "", "cli:test", &m, &e), ERR_FORBIDDEN);
	verify_ok(f, 5);
	/* a retention under a year counts as a year */
	assert_int_equal(audit_purge(f->l, &f->a, today, 30, "", "cli:test", &m, &e), ERR_FORBIDDEN);
	/* export range: 2020 only */
	assert_int_equal(audit_range(f->s, "2020-01-01", "2020-12-31", &from, &to, &e), OK);
	assert_int_equal(from, 1);
	assert_int_equal(to, 3);
	/* the first two go */
	assert_int_equal(audit_purge(f->l, &f->a, "2020-05-01", 365, "admin", "cli:test", &m, &e), OK);
	assert_int_equal((long long)vb_get(m, "removed")->u.num, 2);
	assert_int_equal((long long)vb_get(m, "last")->u.num, 2);
	assert_int_equal((long long)vb_get(m, "seq")->u.num, 6);
	memcpy(base, vb_get_str(m, "base", ""), sizeof(base));
	assert_int_equal(audit_verify(f->l, &f->a, NULL, &r, &e), OK);
	assert_true(r.ok);
	assert_int_equal(r.count, 4);
	assert_int_equal(r.first, 3);
	assert_int_equal(r.base_seq, 2);
	assert_string_equal(r.base, base);
	/* an anchor on the base is still proved */
	assert_int_equal(audit_verify(f->l, &f->a, base, &r, &e), OK);
	assert_true(r.ok);
	assert_int_equal(r.anchor_seq, 2);
	/* the chain goes on, and a second purge takes what is left of old */
	add(f, NULL, "app.start", "");
	assert_int_equal(audit_purge(f->l, &f->a, "2021-06-01", 365, "admin", "cli:test", &m, &e), OK);
	assert_int_equal((long long)vb_get(m, "removed")->u.num, 2);
	assert_int_equal(audit_verify(f->l, &f->a, NULL, &r, &e), OK);
	assert_true(r.ok);
	assert_int_equal(r.first, 5);
	assert_int_equal(r.base_seq, 4);
	/* nothing old enough: no change, no entry */
	assert_int_equal(audit_purge(f->l, &f->a, "2019-01-01", 365, "admin", "cli:test", &m, &e), OK);
	assert_int_equal((long long)vb_get(m, "removed")->u.num, 0);
	verify_ok(f, 4);
}

static void test_purge_forged_start(void **state)
{
	struct fx *f = *state;
	struct audit_report r;
	struct err e = { 0 };
	sqlite3 *db;

	add(f, "2020-01-01T10:00:00+09:00", "app.create", "");
	add(f, "2020-01-02T10:00:00+09:00", "app.update", "");
	add(f, NULL, "app.update", "");
	/* rows removed behind shinsa's back, no purge recorded */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq <= 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(audit_verify(f->l, &f->a, NULL, &r, &e), OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 1);
	assert_string_equal(r.problem, "removed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding),
		cmocka_unit_test_setup_teardown(test_chain_and_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_forged_start, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
