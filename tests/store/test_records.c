/* The store's records API (store.h) on a real SQLite file: put and get of
 * versions, a taken version (ERR_EXISTS) and a gap (ERR_NOTFOUND) refused
 * with nothing written, next_number counting per kind and never reusing a
 * committed number, find and count with each filter (eq keys, states, the due
 * range, provider_part, limit and offset, history), the order of results, a
 * callback's code stopping a search, hostile texts kept as data, and bad
 * kinds, ids, texts and queries refused. Direct SQL here only looks at the
 * file from outside. */
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

#include "core/arena.h"
#include "core/fmt.h"
#include "store/store.h"

static char dir[] = "/tmp/shinsa-records-XXXXXX";

struct fx {
	struct arena a;
	struct store *s;
	const char *db;
	struct err e;
};

static int setup(void **state)
{
	static int n;
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	arena_init(&f->a, 0);
	f->db = arena_printf(&f->a, "%s/r%d.db", dir, ++n);
	assert_int_equal(store_open(f->db, STORE_CREATE | STORE_MIGRATE, &f->s, NULL, &f->e), OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	unlink(f->db);
	unlink(arena_printf(&f->a, "%s-wal", f->db));
	unlink(arena_printf(&f->a, "%s-shm", f->db));
	arena_release(&f->a);
	free(f);
	return 0;
}

/* One integer a query on the file returns, read from outside the store. */
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

/* A record to put: kind, id, version and body; the keys are the caller's. */
static struct store_record rec(const char *kind, const char *id, long long version, const char *body)
{
	struct store_record r;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.id = id;
	r.version = version;
	r.at = "2026-12-04T10:00:00+09:00";
	r.actor = "sato";
	r.body = body;
	return r;
}

/* What a search saw: "id@version" joined with spaces. */
struct seen {
	struct arena *a;
	char text[1024];
	size_t n;
	int stop_after;      /* > 0: return ERR_FORBIDDEN after so many */
};

static int see(void *arg, const struct store_record *r, struct err *e)
{
	struct seen *x = arg;
	size_t len = strlen(x->text);

	assert_true(fmt_snprintf(x->text + len, sizeof(x->text) - len, "%s%s@%lld", len ? " " : "", r->id,
	                         r->version) > 0);
	x->n++;
	if (x->stop_after && (int)x->n >= x->stop_after)
		return err_set(e, ERR_FORBIDDEN, "enough");
	return OK;
}

static const char *find(struct fx *f, const struct store_query *q)
{
	struct seen x;
	long long n = -1;

	memset(&x, 0, sizeof(x));
	assert_int_equal(store_record_find(f->s, q, see, &x, &f->e), OK);
	/* count agrees with find when the query does not page */
	if (!q->limit && !q->offset) {
		assert_int_equal(store_record_count(f->s, q, &n, &f->e), OK);
		assert_int_equal(n, (long long)x.n);
	}
	return arena_strdup(&f->a, x.text);
}

static void test_put_get(void **state)
{
	struct fx *f = *state;
	struct store_record r = rec("user", "sato", 1, "{\"login\":\"sato\",\"name\":\"佐藤\"}"), g;

	r.keys.state = "active";
	r.keys.owner = "sato";
	r.keys.dept = "福祉課";
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	assert_int_equal(store_record_get(f->s, &f->a, "user", "sato", 0, &g, &f->e), OK);
	assert_string_equal(g.kind, "user");
	assert_string_equal(g.id, "sato");
	assert_int_equal(g.version, 1);
	assert_int_equal(g.number, 0);
	assert_string_equal(g.at, "2026-12-04T10:00:00+09:00");
	assert_string_equal(g.actor, "sato");
	assert_string_equal(g.keys.state, "active");
	assert_string_equal(g.keys.owner, "sato");
	assert_string_equal(g.keys.dept, "福祉課");
	assert_string_equal(g.keys.level, "");   /* unused keys read as "" */
	assert_string_equal(g.keys.due, "");
	assert_string_equal(g.body, "{\"login\":\"sato\",\"name\":\"佐藤\"}");
	assert_int_equal(g.body_len, strlen(g.body));

	/* version 2 becomes the newest; version 1 stays as it was */
	r = rec("user", "sato", 2, "{\"v\":2}");
	r.keys.state = "disabled";
	r.actor = NULL;   /* none: "" */
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	assert_int_equal(store_record_get(f->s, &f->a, "user", "sato", 0, &g, &f->e), OK);
	assert_int_equal(g.version, 2);
	assert_string_equal(g.body, "{\"v\":2}");
	assert_string_equal(g.keys.state, "disabled");
	assert_string_equal(g.keys.dept, "");
	assert_string_equal(g.actor, "");
	assert_int_equal(store_record_get(f->s, &f->a, "user", "sato", 1, &g, &f->e), OK);
	assert_int_equal(g.version, 1);
	assert_string_equal(g.keys.state, "active");
	assert_string_equal(g.body, "{\"login\":\"sato\",\"name\":\"佐藤\"}");

	/* what is not there */
	assert_int_equal(store_record_get(f->s, &f->a, "user", "sato", 3, &g, &f->e), ERR_NOTFOUND);
	assert_non_null(strstr(f->e.msg, "version 3"));
	assert_int_equal(store_record_get(f->s, &f->a, "user", "suzuki", 0, &g, &f->e), ERR_NOTFOUND);
	assert_int_equal(store_record_get(f->s, &f->a, "profile", "sato", 0, &g, &f->e), ERR_NOTFOUND);
	/* the same id under another kind is another record */
	r = rec("profile", "sato", 1, "{}");
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	assert_int_equal(store_record_get(f->s, &f->a, "profile", "sato", 0, &g, &f->e), OK);
	assert_string_equal(g.body, "{}");
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records"), 3);
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records WHERE newest = 1"), 2);
}

static void test_versions(void **state)
{
	struct fx *f = *state;
	struct store_record r = rec("app", "1", 1, "{\"v\":1}"), g;

	r.number = 1;
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	/* someone else wrote version 1 meanwhile: refused, nothing written */
	r.body = "{\"v\":\"other\"}";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_EXISTS);
	assert_non_null(strstr(f->e.msg, "read it again"));
	/* a gap: version 3 after 1 */
	r.version = 3;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_NOTFOUND);
	/* a new record must start at 1 */
	r = rec("app", "2", 2, "{}");
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_NOTFOUND);
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records"), 1);
	assert_int_equal(store_record_get(f->s, &f->a, "app", "1", 0, &g, &f->e), OK);
	assert_string_equal(g.body, "{\"v\":1}");
	assert_int_equal(g.number, 1);

	r = rec("app", "1", 2, "{\"v\":2}");
	r.number = 1;
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	r.version = 1;   /* an old version again */
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_EXISTS);
	r.version = 2;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_EXISTS);
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records"), 2);

	/* the schema itself refuses a rewrite or a removal, whoever asks */
	{
		sqlite3 *q;

		assert_int_equal(sqlite3_open(f->db, &q), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(q, "UPDATE records SET body = 'x' WHERE id = '1'", NULL, NULL, NULL),
		                     SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(q, "DELETE FROM records", NULL, NULL, NULL), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(q, "UPDATE records SET newest = 1 WHERE version = 1", NULL, NULL,
		                                  NULL), SQLITE_OK);
		sqlite3_close(q);
	}
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records WHERE newest = 1 AND version = 2"), 1);
}

/* A put that fails after another succeeded, in one transaction: neither stays. */
static int put_two(struct store *s, void *arg, struct err *e)
{
	struct store_record r = rec("task", "1", 1, "{}");
	int rc;

	(void)arg;
	if ((rc = store_record_put(s, &r, e)))
		return rc;
	return store_record_put(s, &r, e);   /* the same version again: ERR_EXISTS */
}

static void test_tx(void **state)
{
	struct fx *f = *state;
	struct store_record g;
	long long n;

	assert_int_equal(store_tx(f->s, put_two, NULL, &f->e), ERR_EXISTS);
	assert_int_equal(store_record_get(f->s, &f->a, "task", "1", 0, &g, &f->e), ERR_NOTFOUND);
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records"), 0);

	/* numbers: per kind, from 1; a rolled-back one is taken again, a committed one never */
	assert_int_equal(store_record_next_number(f->s, "app", &n, &f->e), OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_next_number(f->s, "app", &n, &f->e), OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_next_number(f->s, "review", &n, &f->e), OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_begin(f->s, &f->e), OK);
	assert_int_equal(store_record_next_number(f->s, "app", &n, &f->e), OK);
	assert_int_equal(n, 3);
	store_rollback(f->s);
	assert_int_equal(store_record_next_number(f->s, "app", &n, &f->e), OK);
	assert_int_equal(n, 3);
	store_close(f->s);
	assert_int_equal(store_open(f->db, 0, &f->s, NULL, &f->e), OK);
	assert_int_equal(store_record_next_number(f->s, "app", &n, &f->e), OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_record_next_number(f->s, "App", &n, &f->e), ERR_INVALID);
}

/* Five applications and a review, with versions, for the searches. */
static void fill(struct fx *f)
{
	static const struct {
		const char *id, *state, *owner, *dept, *provider, *due;
		long long versions;
	} apps[] = {
		{ "1", "approved", "sato", "福祉課", "Example Cloud K.K.", "2027-03-31", 2 },
		{ "2", "draft", "suzuki", "税務課", "Other Corp", "", 1 },
		{ "3", "approved", "sato", "福祉課", "example cloud", "2026-12-31", 1 },
		{ "10", "in-use", "tanaka", "福祉課", "Example Cloud K.K.", "2027-04-01", 3 },
		{ "4", "rejected", "suzuki", "税務課", "", "2027-01-15", 1 },
	};
	size_t i;
	long long v;

	for (i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
		for (v = 1; v <= apps[i].versions; v++) {
			struct store_record r = rec("app", apps[i].id, v, "{}");

			r.number = strtoll(apps[i].id, NULL, 10);
			/* earlier versions were drafts in another department */
			r.keys.state = v == apps[i].versions ? apps[i].state : "draft";
			r.keys.owner = apps[i].owner;
			r.keys.dept = v == apps[i].versions ? apps[i].dept : "総務課";
			r.keys.provider = apps[i].provider;
			r.keys.due = apps[i].due;
			r.keys.pack = "anjo";
			r.keys.level = "2";
			assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
		}
	{
		struct store_record r = rec("review", "1", 1, "{}");

		r.number = 1;
		r.keys.state = "scheduled";
		r.keys.parent = "app:1";
		r.keys.due = "2027-01-01";
		assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	}
}

static void test_find(void **state)
{
	static const char *const open_states[] = { "approved", "in-use" };
	static const char *const none_states[] = { "closed" };
	struct fx *f = *state;
	struct store_query q;
	struct seen x;
	long long n;

	fill(f);
	memset(&q, 0, sizeof(q));
	q.kind = "app";
	/* newest versions only, ordered by number (10 after 4), not by the id's text */
	assert_string_equal(find(f, &q), "1@2 2@1 3@1 4@1 10@3");
	q.kind = "review";
	assert_string_equal(find(f, &q), "1@1");
	q.kind = "task";
	assert_string_equal(find(f, &q), "");
	q.kind = "app";

	/* equal keys, each and together */
	q.eq.owner = "sato";
	assert_string_equal(find(f, &q), "1@2 3@1");
	q.eq.dept = "福祉課";
	q.eq.state = "approved";
	assert_string_equal(find(f, &q), "1@2 3@1");
	q.eq.owner = "tanaka";
	assert_string_equal(find(f, &q), "");
	memset(&q.eq, 0, sizeof(q.eq));
	q.eq.dept = "総務課";   /* only old versions had it */
	assert_string_equal(find(f, &q), "");
	q.eq.dept = NULL;
	q.eq.pack = "anjo";
	q.eq.level = "2";
	assert_string_equal(find(f, &q), "1@2 2@1 3@1 4@1 10@3");
	q.eq.level = "3";
	assert_string_equal(find(f, &q), "");
	memset(&q.eq, 0, sizeof(q.eq));
	q.eq.due = "";   /* "" is a value: the records without a due date */
	assert_string_equal(find(f, &q), "2@1");
	q.eq.due = NULL;
	q.kind = "review";
	q.eq.parent = "app:1";
	assert_string_equal(find(f, &q), "1@1");
	q.eq.parent = "app:2";
	assert_string_equal(find(f, &q), "");
	q.eq.parent = NULL;
	q.kind = "app";

	/* one of several states */
	q.states = open_states;
	q.nstates = 2;
	assert_string_equal(find(f, &q), "1@2 3@1 10@3");
	q.states = none_states;
	q.nstates = 1;
	assert_string_equal(find(f, &q), "");
	q.states = NULL;
	q.nstates = 0;

	/* the due range [from, before): a record without a due date is never in it */
	q.due_from = "2027-01-01";
	assert_string_equal(find(f, &q), "1@2 4@1 10@3");
	q.due_before = "2027-04-01";
	assert_string_equal(find(f, &q), "1@2 4@1");
	q.due_from = NULL;
	assert_string_equal(find(f, &q), "1@2 3@1 4@1");
	q.due_before = "2026-12-31";   /* before is not included */
	assert_string_equal(find(f, &q), "");
	q.due_before = NULL;

	/* a part of the provider's name, as written (case counts) */
	q.provider_part = "Example";
	assert_string_equal(find(f, &q), "1@2 10@3");
	q.provider_part = "cloud";
	assert_string_equal(find(f, &q), "3@1");
	q.provider_part = "%";   /* no wildcard: the character itself */
	assert_string_equal(find(f, &q), "");
	q.provider_part = "_";
	assert_string_equal(find(f, &q), "");
	q.provider_part = NULL;

	/* paging: limit and offset; count ignores them */
	q.limit = 2;
	assert_string_equal(find(f, &q), "1@2 2@1");
	q.offset = 2;
	assert_string_equal(find(f, &q), "3@1 4@1");
	q.offset = 4;
	assert_string_equal(find(f, &q), "10@3");
	q.offset = 9;
	assert_string_equal(find(f, &q), "");
	q.limit = 0;
	q.offset = 3;   /* an offset alone */
	assert_string_equal(find(f, &q), "4@1 10@3");
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), OK);
	assert_int_equal(n, 5);
	q.offset = 0;

	/* history: every version whose keys match, oldest first within a record */
	q.history = 1;
	assert_string_equal(find(f, &q), "1@1 1@2 2@1 3@1 4@1 10@1 10@2 10@3");
	q.eq.dept = "総務課";
	assert_string_equal(find(f, &q), "1@1 10@1 10@2");
	q.eq.dept = NULL;
	q.eq.owner = "tanaka";
	q.limit = 2;
	q.offset = 1;
	assert_string_equal(find(f, &q), "10@2 10@3");
	q.limit = q.offset = 0;
	q.eq.owner = NULL;
	q.history = 0;

	/* a callback's code stops the search and is returned */
	memset(&x, 0, sizeof(x));
	x.stop_after = 2;
	assert_int_equal(store_record_find(f->s, &q, see, &x, &f->e), ERR_FORBIDDEN);
	assert_string_equal(x.text, "1@2 2@1");
	assert_string_equal(f->e.msg, "enough");
}

/* Texts an attacker would choose: kept as data, never run, never matching more. */
static void test_hostile(void **state)
{
	static const char *const hostile[] = {
		"'); DROP TABLE records; --",
		"\" OR 1=1 --",
		"x' OR kind <> 'x",
		"福祉課'; DELETE FROM records WHERE 'a'='a",
	};
	struct fx *f = *state;
	struct store_record r, g;
	struct store_query q;
	size_t i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		r = rec("user", hostile[i], 1, hostile[i]);
		r.keys.dept = hostile[i];
		r.actor = hostile[i];
		assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
		assert_int_equal(store_record_get(f->s, &f->a, "user", hostile[i], 0, &g, &f->e), OK);
		assert_string_equal(g.body, hostile[i]);
		assert_string_equal(g.keys.dept, hostile[i]);
		assert_string_equal(g.actor, hostile[i]);
		memset(&q, 0, sizeof(q));
		q.kind = "user";
		q.eq.dept = hostile[i];
		assert_string_equal(find(f, &q), arena_printf(&f->a, "%s@1", hostile[i]));
		q.eq.dept = NULL;
		q.provider_part = hostile[i];
		assert_string_equal(find(f, &q), "");
	}
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records"), 4);
}

static void test_refused(void **state)
{
	static const char *const too_many[17] = { "a", "a", "a", "a", "a", "a", "a", "a", "a",
	                                          "a", "a", "a", "a", "a", "a", "a", "a" };
	static const char *const bad_state[] = { "ok", "a\tb" };
	static const char *const null_state[] = { "ok", NULL };
	struct fx *f = *state;
	struct store_record r, g;
	struct store_query q;
	char *big;
	long long n;
	struct seen x;

	/* kinds: [a-z_], 1..STORE_KIND_MAX */
	r = rec("User", "x", 1, "{}");
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.kind = "";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.kind = NULL;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.kind = "user; drop";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.kind = "abcdefghijklmnopqrstuvwxyzabcdefg";   /* 33 */
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.kind = "abcdefghijklmnopqrstuvwxyzabcdef";    /* 32: fits */
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	assert_int_equal(store_record_get(f->s, &f->a, "u-1", "x", 0, &g, &f->e), ERR_INVALID);

	/* ids: present, UTF-8, no control characters, at most STORE_ID_MAX bytes */
	r = rec("user", "", 1, "{}");
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.id = NULL;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.id = "a\nb";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.id = "\xff\xfe";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	big = arena_alloc_bytes(&f->a, STORE_ID_MAX + 2);
	memset(big, 'i', STORE_ID_MAX + 1);
	big[STORE_ID_MAX + 1] = '\0';
	r.id = big;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_TOOLARGE);
	assert_int_equal(store_record_get(f->s, &f->a, "user", big, 0, &g, &f->e), ERR_TOOLARGE);
	big[STORE_ID_MAX] = '\0';
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	assert_int_equal(store_record_get(f->s, &f->a, "user", NULL, 0, &g, &f->e), ERR_INVALID);
	assert_int_equal(store_record_get(f->s, &f->a, "user", "x", -1, &g, &f->e), ERR_INVALID);

	/* versions, times, bodies */
	r = rec("user", "y", 0, "{}");
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.version = -1;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.version = 1;
	r.at = NULL;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.at = "2026-12-04T10:00:00+09:00";
	r.body = NULL;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.body = "{\"a\":\"\x01\"}";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.body = "{\"a\":\"\xc3\x28\"}";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.body = "{\n\t\"a\": 1\r\n}";   /* a body may hold tabs and line ends */
	r.actor = "a\tb";                 /* but an actor may not */
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.actor = "sato";
	r.keys.dept = "a\nb";
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_INVALID);
	r.keys.dept = NULL;
	big = arena_alloc_bytes(&f->a, STORE_KEY_MAX + 2);
	memset(big, 'k', STORE_KEY_MAX + 1);
	big[STORE_KEY_MAX + 1] = '\0';
	r.keys.due = big;
	assert_int_equal(store_record_put(f->s, &r, &f->e), ERR_TOOLARGE);
	r.keys.due = NULL;
	assert_int_equal(store_record_put(f->s, &r, &f->e), OK);
	assert_int_equal(store_record_get(f->s, &f->a, "user", "y", 0, &g, &f->e), OK);
	assert_string_equal(g.body, "{\n\t\"a\": 1\r\n}");

	/* queries */
	memset(&q, 0, sizeof(q));
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_record_find(f->s, &q, see, &x, &f->e), ERR_INVALID);   /* no kind */
	q.kind = "user";
	q.limit = -1;
	assert_int_equal(store_record_find(f->s, &q, see, &x, &f->e), ERR_INVALID);
	q.limit = 0;
	q.offset = -1;
	assert_int_equal(store_record_find(f->s, &q, see, &x, &f->e), ERR_INVALID);
	q.offset = 0;
	q.states = too_many;
	q.nstates = 17;
	assert_int_equal(store_record_find(f->s, &q, see, &x, &f->e), ERR_INVALID);
	q.nstates = 16;
	assert_int_equal(store_record_find(f->s, &q, see, &x, &f->e), OK);
	q.states = bad_state;
	q.nstates = 2;
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), ERR_INVALID);
	q.states = null_state;
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), ERR_INVALID);
	q.states = NULL;   /* states missing while nstates says there are some */
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), ERR_INVALID);
	q.nstates = 0;
	q.eq.owner = "\xff";
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), ERR_INVALID);
	q.eq.owner = NULL;
	q.due_from = "2026\n";
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), ERR_INVALID);
	q.due_from = NULL;
	q.provider_part = "\x7f";
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), ERR_INVALID);
	q.provider_part = NULL;
	assert_int_equal(store_record_count(f->s, &q, &n, &f->e), OK);
	assert_int_equal(n, 2);
	assert_int_equal(x.n, 0);   /* no refused search called back */
	assert_int_equal(peek(f->db, "SELECT count(*) FROM records"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	};
	int rc;

	if (!mkdtemp(dir))
		return 2;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rmdir(dir) != 0 && !getenv("SHINSA_KEEP_TMP"))
		fprintf(stderr, "test_records: could not remove %s\n", dir);
	return rc;
}
