/* app/review and app/ledger on a real store in a temporary folder, with the
 * bundled packs and application records put directly (as the applications
 * write them, docs/records.md):
 * - scheduling per pack: cycles the pack leaves unspecified take the
 *   deployment's setting (and say so), the personnel move's date (default
 *   04-01, and the setting), the certificate's expiry and the contract's end
 *   (dates passed, dates unreadable), a review's condition true, false and
 *   unknown (scheduled, with a note), packs with no reviews;
 * - the status of a review on a day (scheduled, due, overdue, done, stopped);
 * - review done: who may (the bound actor, the manager; others refused),
 *   items and dates checked, the next of a cycle, the risks' until decided
 *   again, a review done twice or of an ended service refused — every
 *   refusal writing nothing;
 * - review event: the reviews that list it fall due; an event no review
 *   lists, an unknown kind, an ended service refused;
 * - the ledger's filters (dept, level, provider, state, history, the
 *   period's end), paging, the fields of each pack, a pack without any.
 *   test_review POLICIES_DIR */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/binding.h"
#include "app/init.h"
#include "app/ledger.h"
#include "app/recfacts.h"
#include "app/review.h"
#include "core/fmt.h"
#include "core/isotime.h"
#include "logic/json.h"
#include "logic/vb.h"

static const char *policies;

struct fx {
	char dir[64], db[96], key[96];
	struct arena a;
	struct app_config cfg;
	struct app_deploy dep;
	struct diag d;
	struct app_actor admin, sato, suzuki, mori, kimura;
	long long napps;
};

static long long count(struct fx *f, const char *kind)
{
	struct store_query q;
	struct err e = { 0 };
	long long n = -1;

	memset(&q, 0, sizeof(q));
	q.kind = kind;
	assert_int_equal(store_record_count(f->dep.s, &q, &n, &e), OK);
	return n;
}

static long long audit_entries(struct fx *f)
{
	struct err e = { 0 };
	long long n = -1, first, last;

	assert_int_equal(store_audit_count(f->dep.s, &n, &first, &last, &e), OK);
	return n;
}

static void user(struct fx *f, const char *login, const char *role, const char *dept, const char *title)
{
	struct store_record r;
	struct err e = { 0 };
	const char *body = arena_printf(&f->a, "{\"login\":\"%s\",\"name\":\"%s\",\"dept\":\"%s\",\"title\":\"%s\","
	                                "\"role\":\"%s\",\"disabled\":false}", login, login, dept, title, role);

	memset(&r, 0, sizeof(r));
	r.kind = "user";
	r.id = login;
	r.version = 1;
	r.keys.state = "active";
	r.keys.owner = login;
	r.keys.dept = dept;
	r.body = body;
	r.body_len = strlen(body);
	assert_int_equal(app_record_write(&f->dep, NULL, "test", "user.add", &r, NULL, NULL, NULL, &e), OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct app_init_req r = { 0 };
	const struct lval *m;
	struct err e = { 0 };
	const char *users[1] = { "suzuki" };
	struct app_binding_spec sp = { BIND_USERS, users, 1, NULL, NULL };

	assert_non_null(f);
	assert_true(fmt_snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/shinsa-review-XXXXXX") > 0);
	assert_non_null(mkdtemp(f->dir));
	assert_true(fmt_snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir) > 0);
	assert_true(fmt_snprintf(f->key, sizeof(f->key), "%s/t.key", f->dir) > 0);
	arena_init(&f->a, 0);
	r.database = f->db;
	r.audit_key = f->key;
	r.actor = "";
	r.channel = "test";
	assert_int_equal(app_init(&f->a, &r, &m, &e), OK);
	f->cfg.database = f->db;
	f->cfg.audit_key = f->key;
	assert_int_equal(app_config_resolve(&f->a, &f->cfg, NULL, &e), OK);
	assert_int_equal(app_deploy_open(&f->dep, &f->a, &f->cfg, policies, DEPLOY_AUDIT | DEPLOY_POLICIES, &f->d, &e), OK);
	user(f, "root", "admin", "情報政策課", "");
	user(f, "sato", "applicant", "福祉課", "主査");
	user(f, "suzuki", "manager", "情報政策課", "課長");
	user(f, "mori", "applicant", "税務課", "主事");
	user(f, "kimura", "manager", "福祉課", "課長");
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "root", "test", &f->admin, &e), OK);
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "sato", "test", &f->sato, &e), OK);
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "suzuki", "test", &f->suzuki, &e), OK);
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "mori", "test", &f->mori, &e), OK);
	assert_int_equal(app_actor_as(f->dep.s, &f->a, "kimura", "test", &f->kimura, &e), OK);
	/* 乙訓's reviews are the 情報セキュリティ責任者's: suzuki */
	assert_int_equal(app_binding_set(&f->dep, &f->admin, policy_find(f->dep.set, "otokuni"), "情報セキュリティ責任者",
	                                 &sp, NULL, &e), OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[128];

	app_deploy_close(&f->dep);
	diag_free(&f->d);
	arena_release(&f->a);
	unlink(f->db);
	unlink(f->key);
	if (fmt_snprintf(p, sizeof(p), "%s-wal", f->db) > 0)
		unlink(p);
	if (fmt_snprintf(p, sizeof(p), "%s-shm", f->db) > 0)
		unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t day(const char *s)
{
	int64_t d = 0;

	assert_int_equal(isotime_parse_date(s, strlen(s), &d), 0);
	return d;
}

/* An application record as application.c writes it: state, keys, body. */
static const char *put_app(struct fx *f, const char *pack, const char *level, const char *state, const char *dept,
                           const char *provider, const char *facts, const char *extra)
{
	struct store_record r;
	struct err e = { 0 };
	const struct lval *fv = NULL;
	const struct lval *pe;
	const char *id = arena_printf(&f->a, "%lld", ++f->napps);
	const char *body = arena_printf(&f->a,
	        "{\"id\":\"%s\",\"state\":\"%s\",\"pack\":\"%s\",\"level\":\"%s\","
	        "\"applicant\":{\"login\":\"sato\",\"name\":\"佐藤\",\"dept\":\"%s\",\"title\":\"主査\"},"
	        "\"manager\":{\"login\":\"kimura\",\"name\":\"木村\",\"dept\":\"%s\",\"title\":\"課長\"},"
	        "\"approved_at\":\"2026-12-04T10:00:00+09:00\",\"facts\":%s%s%s}",
	        id, state, pack, level, dept, dept, facts, extra ? "," : "", extra ? extra : "");

	assert_int_equal(json_parse(&f->a, facts, strlen(facts), &fv, &e), OK);
	pe = app_fact_get(fv, "app.period_end");
	memset(&r, 0, sizeof(r));
	r.kind = "app";
	r.id = id;
	r.number = f->napps;
	r.version = 1;
	r.keys.state = state;
	r.keys.owner = "sato";
	r.keys.dept = dept;
	r.keys.level = level;
	r.keys.provider = provider;
	r.keys.pack = pack;
	r.keys.parent = "profile:1";
	r.keys.due = pe && pe->type == LV_STR ? pe->u.str : NULL;
	r.body = body;
	r.body_len = strlen(body);
	assert_int_equal(app_record_write(&f->dep, &f->admin, NULL, "app.create", &r, NULL, NULL, NULL, &e), OK);
	return id;
}

static const struct lval *app_body(struct fx *f, const char *id)
{
	struct store_record r;
	const struct lval *v;
	struct err e = { 0 };

	assert_int_equal(store_record_get(f->dep.s, &f->a, "app", id, 0, &r, &e), OK);
	assert_int_equal(json_parse(&f->a, r.body, r.body_len, &v, &e), OK);
	return v;
}

/* The reviews of app id, as review list gives them (today: 2026-12-04). */
static const struct lval *reviews_of(struct fx *f, const char *id, int64_t today)
{
	struct app_review_query q = { id, 0, 0, today };
	const struct lval *m;
	struct err e = { 0 };

	assert_int_equal(app_review_list(&f->dep, &f->a, &q, &m, &e), OK);
	return vb_get(m, "reviews");
}

/* The review of app id with pack review rid and trigger (NULL: the only one). */
static const struct lval *find_review(const struct lval *list, const char *rid, const char *trigger)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (!strcmp(vb_get_str(list->u.arr[i], "review", ""), rid) &&
		    (!trigger || !strcmp(vb_get_str(list->u.arr[i], "trigger", ""), trigger)))
			return list->u.arr[i];
	return NULL;
}

static const char *schedule(struct fx *f, const char *pack, const char *level, const char *facts,
                            const char *from)
{
	const char *id = put_app(f, pack, level, "approved", "福祉課", "Example KK", facts, NULL);
	struct err e = { 0 };

	assert_int_equal(app_review_schedule(&f->dep, &f->admin, id, app_body(f, id), from, &e), OK);
	return id;
}

/* 乙訓 level 2: its cycles unspecified → the setting, said; the drill's
 * condition unknown → scheduled with a note; the change notice waits for its
 * event; shinsa's own reviews before the certificate and the period end. */
static void test_schedule_otokuni(void **state)
{
	struct fx *f = *state;
	const char *id = schedule(f, "otokuni", "2",
	                          "{\"service.name\":\"Box\",\"app.period_end\":\"2027-03-31\","
	                          "\"cert.ismap_expiry\":\"2027-06-30\"}", "2026-12-04");
	const struct lval *l = reviews_of(f, id, day("2026-12-04")), *r;

	assert_int_equal(l->n, 5);
	r = find_review(l, "service-status", "cycle");
	assert_non_null(r);
	assert_string_equal(vb_get_str(r, "due", ""), "2027-12-04");
	assert_true(vb_get(r, "cycle_unspecified")->b);
	assert_non_null(strstr(vb_get_str(r, "cycle_note", ""), "周期の定めなし（本システムの設定: 12か月）"));
	assert_string_equal(vb_get_str(r, "status", ""), "scheduled");
	assert_string_equal(vb_get_str(r, "state", ""), "scheduled");
	assert_string_equal(vb_get_str(r, "owner", ""), "kimura");
	assert_string_equal(vb_get_str(r, "actor", ""), "情報セキュリティ責任者");
	assert_string_equal(vb_get(r, "criteria")->u.arr[0]->u.str, "3.4-1-ア-3");
	assert_non_null(find_review(l, "access-rights", "cycle"));
	r = find_review(l, "recovery-drill", "cycle");
	assert_non_null(r);
	assert_string_equal(vb_get_str(r, "when", ""), "unknown");
	assert_int_equal(vb_get(r, "notes")->n, 1);
	assert_non_null(strstr(vb_get(r, "notes")->u.arr[0]->u.str, "app.availability_class"));
	assert_null(find_review(l, "change-notice", NULL));
	r = find_review(l, "certificate-expiry", NULL);
	assert_non_null(r);
	assert_true(vb_get(r, "own")->b);
	assert_string_equal(vb_get_str(r, "due", ""), "2027-06-30");
	r = find_review(l, "contract-end", NULL);
	assert_non_null(r);
	assert_string_equal(vb_get_str(r, "due", ""), "2027-03-31");
	/* the drill's condition decided: false leaves it out, true keeps it without a note */
	id = schedule(f, "otokuni", "2", "{\"app.availability_class\":1}", "2026-12-04");
	l = reviews_of(f, id, day("2026-12-04"));
	assert_int_equal(l->n, 2);
	assert_null(find_review(l, "recovery-drill", NULL));
	id = schedule(f, "otokuni", "2", "{\"app\":{\"availability_class\":2}}", "2026-12-04");
	l = reviews_of(f, id, day("2026-12-04"));
	assert_int_equal(l->n, 3);
	r = find_review(l, "recovery-drill", NULL);
	assert_string_equal(vb_get_str(r, "when", ""), "true");
	assert_int_equal(vb_get(r, "notes")->n, 0);
}

/* 安城 I: the access review's personnel move, on the next 04-01 (strictly
 * after the approval), or the deployment's date; the cycle from the setting. */
static void test_schedule_personnel(void **state)
{
	struct fx *f = *state;
	const char *id = schedule(f, "anjo", "I", "{}", "2026-12-04");
	const struct lval *l = reviews_of(f, id, day("2026-12-04")), *r;

	assert_int_equal(l->n, 4);   /* ops-measures, sla, access-review: cycle + personnel move */
	r = find_review(l, "access-review", "personnel-move");
	assert_non_null(r);
	assert_string_equal(vb_get_str(r, "due", ""), "2027-04-01");
	assert_string_equal(vb_get_str(r, "event", ""), "personnel-move");
	assert_string_equal(vb_get_str(r, "trigger_text", ""), "異動時、退職時等の確認");
	id = schedule(f, "anjo", "II", "{}", "2027-04-01");
	r = find_review(reviews_of(f, id, day("2027-04-01")), "access-review", "personnel-move");
	assert_string_equal(vb_get_str(r, "due", ""), "2028-04-01");
	/* the deployment's settings: a 6-month cycle, moves on 10-01 */
	f->cfg.review_cycle_months = "6";
	f->cfg.personnel_move_date = "10-01";
	f->cfg.cycle_months = 6;
	f->cfg.personnel_month = 10;
	f->cfg.personnel_day = 1;
	id = schedule(f, "anjo", "I", "{}", "2026-12-04");
	l = reviews_of(f, id, day("2026-12-04"));
	r = find_review(l, "access-review", "personnel-move");
	assert_string_equal(vb_get_str(r, "due", ""), "2027-10-01");
	r = find_review(l, "sla", "cycle");
	assert_string_equal(vb_get_str(r, "due", ""), "2027-06-04");
	assert_non_null(strstr(vb_get_str(r, "cycle_note", ""), "本システムの設定: 6か月"));
	/* 安城 III: only ops-measures */
	id = schedule(f, "anjo", "III", "{}", "2026-12-04");
	assert_int_equal(reviews_of(f, id, day("2026-12-04"))->n, 1);
}

/* Dates in the facts: passed (due on the approval, said), unreadable (said);
 * packs with no reviews still get shinsa's own; none without the facts. */
static void test_schedule_dates(void **state)
{
	struct fx *f = *state;
	const char *id = schedule(f, "sendai", "I", "{\"cert.ismap_expiry\":\"2026-01-31\",\"app.period_end\":\"いつか\"}",
	                          "2026-12-04");
	const struct lval *l = reviews_of(f, id, day("2026-12-04")), *r;

	assert_int_equal(l->n, 2);
	r = find_review(l, "certificate-expiry", NULL);
	assert_string_equal(vb_get_str(r, "due", ""), "2026-12-04");
	assert_non_null(strstr(vb_get(r, "notes")->u.arr[0]->u.str, "承認日より前"));
	assert_string_equal(vb_get_str(r, "status", ""), "due");
	r = find_review(l, "contract-end", NULL);
	assert_string_equal(vb_get_str(r, "due", ""), "2026-12-04");
	assert_non_null(strstr(vb_get(r, "notes")->u.arr[0]->u.str, "日付として読めない"));
	id = schedule(f, "tokyo-ward", "all", "{}", "2026-12-04");
	assert_int_equal(reviews_of(f, id, day("2026-12-04"))->n, 0);
	/* kobe level 2: its only review waits for a subcontractor's change */
	id = schedule(f, "kobe", "2", "{}", "2026-12-04");
	assert_int_equal(reviews_of(f, id, day("2026-12-04"))->n, 0);
	{
		struct err e = { 0 };

		assert_int_equal(app_review_schedule(&f->dep, &f->admin, id, app_body(f, id), "2026-13-01", &e), ERR_INVALID);
	}
}

static void test_status(void **state)
{
	struct app_review_settings s;

	(void)state;
	app_review_settings_of(NULL, &s);
	assert_int_equal(s.cycle_months, 12);
	assert_int_equal(s.personnel_month, 4);
	assert_int_equal(s.personnel_day, 1);
	assert_int_equal(s.notice_days, 30);
	assert_int_equal(app_review_status("scheduled", "2027-01-31", "in-use", day("2026-12-31"), &s), REVIEW_SCHEDULED);
	assert_int_equal(app_review_status("scheduled", "2027-01-31", "in-use", day("2027-01-01"), &s), REVIEW_DUE);
	assert_int_equal(app_review_status("scheduled", "2027-01-31", "approved", day("2027-01-31"), &s), REVIEW_DUE);
	assert_int_equal(app_review_status("scheduled", "2027-01-31", "in-use", day("2027-02-01"), &s), REVIEW_OVERDUE);
	assert_int_equal(app_review_status("done", "2027-01-31", "in-use", day("2027-02-01"), &s), REVIEW_DONE);
	assert_int_equal(app_review_status("scheduled", "2027-01-31", "end-reported", day("2027-02-01"), &s),
	                 REVIEW_STOPPED);
	assert_int_equal(app_review_status("scheduled", "2027-01-31", "closed", day("2026-02-01"), &s), REVIEW_STOPPED);
}

/* The list's filters on one day. */
static void test_list_filters(void **state)
{
	struct fx *f = *state;
	const char *id = schedule(f, "otokuni", "2",
	                          "{\"app.period_end\":\"2027-01-15\",\"cert.ismap_expiry\":\"2026-12-01\"}", "2026-11-01");
	struct app_review_query q = { id, 1, 0, day("2026-12-20") };
	const struct lval *m;
	struct err e = { 0 };

	/* contract end 2027-01-15 is due (within 30 days), the certificate overdue, the cycles scheduled */
	assert_int_equal(app_review_list(&f->dep, &f->a, &q, &m, &e), OK);
	assert_int_equal(vb_get(m, "reviews")->n, 2);
	q.overdue = 1;
	assert_int_equal(app_review_list(&f->dep, &f->a, &q, &m, &e), OK);
	assert_int_equal(vb_get(m, "reviews")->n, 1);
	assert_string_equal(vb_get_str(vb_get(m, "reviews")->u.arr[0], "review", ""), "certificate-expiry");
	assert_string_equal(vb_get_str(vb_get(m, "reviews")->u.arr[0], "status", ""), "overdue");
}

static void test_done(void **state)
{
	struct fx *f = *state;
	const char *id = put_app(f, "otokuni", "2", "in-use", "福祉課", "Example KK", "{\"app.availability_class\":1}",
	                         "\"decisions\":[{\"kind\":\"risk\",\"id\":\"R-1\",\"value\":\"受容\",\"accepted\":true,"
	                         "\"until\":\"2027-12-04\"},{\"kind\":\"risk\",\"id\":\"R-2\",\"value\":\"x\","
	                         "\"accepted\":false,\"until\":null},{\"kind\":\"answer\",\"id\":\"A\",\"value\":\"y\"}]");
	struct err e = { 0 };
	const struct lval *l, *r, *m;
	const char *rid;
	struct app_review_judged items[2] = { { "3.4-1-ア-3", "met" }, { "3.4-1-エ-2", "unmet" } };
	struct app_review_until untils[1] = { { "R-1", "2028-01-31" } };
	struct app_review_done_in in = { "提供状態に問題なし", items, 1, NULL, 0, "2027-11-20", day("2027-11-25") };
	long long n0, a0;

	assert_int_equal(app_review_schedule(&f->dep, &f->admin, id, app_body(f, id), "2026-12-04", &e), OK);
	l = reviews_of(f, id, day("2027-11-25"));
	r = find_review(l, "service-status", NULL);
	rid = vb_get_str(r, "id", "");
	assert_string_equal(vb_get_str(r, "status", ""), "due");
	n0 = count(f, "review");
	a0 = audit_entries(f);
	/* refused, nothing written: someone else; an item not the review's, a bad judgement; a date ahead */
	assert_int_equal(app_review_done(&f->dep, &f->mori, rid, &in, &m, &e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "情報セキュリティ責任者"));
	assert_non_null(strstr(e.msg, "kimura"));
	in.nitems = 2;
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "3.4-1-エ-2"));
	in.nitems = 1;
	items[0].value = "good";
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_INVALID);
	items[0].value = "met";
	in.date = "2027-11-26";
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_INVALID);
	in.date = "2026-12-01";
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_INVALID);
	in.date = "2027-11-20";
	untils[0].risk = "R-2";
	in.untils = untils;
	in.nuntils = 1;
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "R-1"));
	untils[0].risk = "R-1";
	untils[0].until = "2027-01-01";
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_INVALID);
	untils[0].until = "2028-01-31";
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, "999", &in, &m, &e), ERR_NOTFOUND);
	assert_int_equal(count(f, "review"), n0);
	assert_int_equal(audit_entries(f), a0);
	/* the bound actor does it: done, the next a year on, R-1's until as given */
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), OK);
	r = vb_get(m, "review");
	assert_string_equal(vb_get_str(r, "state", ""), "done");
	assert_string_equal(vb_get_str(r, "done_by", ""), "suzuki");
	assert_string_equal(vb_get_str(r, "done_date", ""), "2027-11-20");
	assert_string_equal(vb_get_str(r, "findings", ""), "提供状態に問題なし");
	assert_string_equal(vb_get_str(vb_get(r, "items")->u.arr[0], "judgement", ""), "met");
	assert_string_equal(vb_get_str(vb_get(m, "next"), "due", ""), "2028-12-04");
	assert_string_equal(vb_get_str(vb_get(m, "next"), "follows", ""), rid);
	assert_string_equal(vb_get_str(vb_get(m, "risks")->u.arr[0], "until", ""), "2028-01-31");
	assert_string_equal(vb_get_str(vb_get(m, "risks")->u.arr[0], "how", ""), "given");
	assert_int_equal(count(f, "review"), n0 + 1);
	assert_int_equal(audit_entries(f), a0 + 3);   /* the review, the next, the application */
	{
		const struct lval *ds = vb_get(app_body(f, id), "decisions");

		assert_string_equal(vb_get_str(ds->u.arr[0], "until", ""), "2028-01-31");
		assert_null(vb_get_str(ds->u.arr[1], "until", NULL));
	}
	/* done twice: refused */
	a0 = audit_entries(f);
	assert_int_equal(app_review_done(&f->dep, &f->suzuki, rid, &in, &m, &e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "実施済み"));
	/* the manager may do one too; a risk left to the next review follows it */
	r = find_review(reviews_of(f, id, day("2027-11-25")), "access-rights", NULL);
	in.untils = NULL;
	in.nuntils = 0;
	in.nitems = 0;
	in.date = NULL;
	assert_int_equal(app_review_done(&f->dep, &f->kimura, vb_get_str(r, "id", ""), &in, &m, &e), OK);
	assert_string_equal(vb_get_str(vb_get(m, "review"), "done_date", ""), "2027-11-25");
	assert_string_equal(vb_get_str(vb_get(m, "risks")->u.arr[0], "how", ""), "next-review");
	assert_string_equal(vb_get_str(vb_get(m, "risks")->u.arr[0], "until", ""), "2028-12-04");
	/* an ended service's reviews have stopped */
	{
		const char *id2 = put_app(f, "otokuni", "2", "end-reported", "福祉課", "X", "{}", NULL);

		assert_int_equal(app_review_schedule(&f->dep, &f->admin, id2, app_body(f, id2), "2026-12-04", &e), OK);
		l = reviews_of(f, id2, day("2026-12-04"));
		assert_string_equal(vb_get_str(l->u.arr[0], "status", ""), "stopped");
		a0 = audit_entries(f);
		assert_int_equal(app_review_done(&f->dep, &f->suzuki, vb_get_str(l->u.arr[0], "id", ""), &in, &m, &e),
		                 ERR_FORBIDDEN);
		assert_int_equal(audit_entries(f), a0);
	}
}

static void test_event(void **state)
{
	struct fx *f = *state;
	const char *id = schedule(f, "otokuni", "2", "{\"app.availability_class\":1}", "2026-12-04");
	const char *kobe = schedule(f, "kobe", "2", "{}", "2026-12-04");
	const struct lval *m, *c;
	struct err e = { 0 };
	long long n0 = count(f, "review"), a0 = audit_entries(f);

	/* refused, nothing written: an unknown kind (the choices named), an event no review lists, a date ahead,
	 * someone else */
	assert_int_equal(app_review_event(&f->dep, &f->kimura, id, "earthquake", NULL, NULL, day("2027-01-10"), &m, &e),
	                 ERR_INVALID);
	assert_non_null(strstr(e.msg, "provider-change-notice"));
	assert_int_equal(app_review_event(&f->dep, &f->kimura, id, "subcontractor-change", NULL, NULL,
	                                  day("2027-01-10"), &m, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "change-notice: provider-change-notice"));
	assert_int_equal(app_review_event(&f->dep, &f->kimura, id, "provider-change-notice", "2027-01-11", NULL,
	                                  day("2027-01-10"), &m, &e), ERR_INVALID);
	assert_int_equal(app_review_event(&f->dep, &f->mori, id, "provider-change-notice", NULL, NULL,
	                                  day("2027-01-10"), &m, &e), ERR_FORBIDDEN);
	assert_int_equal(app_review_event(&f->dep, &f->kimura, "404", "provider-change-notice", NULL, NULL,
	                                  day("2027-01-10"), &m, &e), ERR_NOTFOUND);
	assert_int_equal(count(f, "review"), n0);
	assert_int_equal(audit_entries(f), a0);
	/* the provider's notice: the change-notice review falls due 30 days on */
	assert_int_equal(app_review_event(&f->dep, &f->suzuki, id, "provider-change-notice", "2027-01-05", "仕様変更の通知",
	                                  day("2027-01-10"), &m, &e), OK);
	c = vb_get(m, "created");
	assert_int_equal(c->n, 1);
	assert_string_equal(vb_get_str(c->u.arr[0], "review", ""), "change-notice");
	assert_string_equal(vb_get_str(c->u.arr[0], "due", ""), "2027-02-04");
	assert_string_equal(vb_get_str(c->u.arr[0], "status", ""), "due");
	assert_string_equal(vb_get_str(vb_get(c->u.arr[0], "recorded_event"), "note", ""), "仕様変更の通知");
	assert_string_equal(vb_get_str(c->u.arr[0], "trigger", ""), "event");
	assert_int_equal(count(f, "review"), n0 + 1);
	/* 神戸: a subcontractor's change, recorded by the manager */
	assert_int_equal(app_review_event(&f->dep, &f->kimura, kobe, "subcontractor-change", NULL, NULL,
	                                  day("2027-01-10"), &m, &e), OK);
	assert_string_equal(vb_get_str(vb_get(m, "created")->u.arr[0], "review", ""), "subcontractor-change");
	/* a certificate's event where the pack names none: shinsa's own review */
	assert_int_equal(app_review_event(&f->dep, &f->kimura, kobe, "certificate-expiry", NULL, NULL,
	                                  day("2027-01-10"), &m, &e), OK);
	assert_string_equal(vb_get_str(vb_get(m, "created")->u.arr[0], "review", ""), "certificate-expiry");
	/* a service no longer in use */
	{
		const char *id3 = put_app(f, "kobe", "2", "closed", "福祉課", "X", "{}", NULL);

		a0 = audit_entries(f);
		assert_int_equal(app_review_event(&f->dep, &f->kimura, id3, "subcontractor-change", NULL, NULL,
		                                  day("2027-01-10"), &m, &e), ERR_FORBIDDEN);
		assert_int_equal(audit_entries(f), a0);
	}
}

static const struct lval *ledger(struct fx *f, struct app_ledger_query *q)
{
	const struct lval *m;
	struct err e = { 0 };
	int rc = app_ledger_model(&f->dep, &f->a, q, &m, &e);

	if (rc)
		fail_msg("ledger: %d %s", rc, e.msg);
	return m;
}

static void test_ledger(void **state)
{
	struct fx *f = *state;
	struct app_ledger_query q;
	const struct lval *m, *rows, *fields;
	struct err e = { 0 };
	size_t i;
	const char *o = put_app(f, "otokuni", "2", "in-use", "福祉課", "Example KK",
	                        "{\"service.name\":\"Box\",\"service.provider\":\"Example KK\",\"app.purpose\":\"保育\","
	                        "\"app.period_start\":\"2026-04-01\",\"app.period_end\":\"2027-03-31\"}", NULL);

	put_app(f, "anjo", "I", "approved", "税務課", "Other Cloud Inc", "{\"app.period_end\":\"2028-03-31\"}", NULL);
	put_app(f, "sendai", "II", "deletion-confirmed", "福祉課", "Example KK Japan", "{}", NULL);
	put_app(f, "otokuni", "3", "closed", "福祉課", "Example KK", "{\"app.period_end\":\"2026-03-31\"}", NULL);
	put_app(f, "otokuni", "2", "draft", "福祉課", "Example KK", "{}", NULL);
	put_app(f, "otokuni", "2", "rejected", "福祉課", "Example KK", "{}", NULL);
	memset(&q, 0, sizeof(q));
	q.today = day("2026-12-04");
	m = ledger(f, &q);
	rows = vb_get(m, "rows");
	assert_int_equal(rows->n, 3);
	assert_int_equal((long long)vb_get(m, "total")->u.num, 3);
	/* 乙訓: ①〜⑧ from the facts, the period joined, the applicant and manager from the record */
	assert_string_equal(vb_get_str(rows->u.arr[0], "id", ""), o);
	assert_string_equal(vb_get_str(rows->u.arr[0], "ledger", ""), "listed");
	fields = vb_get(rows->u.arr[0], "fields");
	assert_int_equal(fields->n, 8);
	assert_string_equal(vb_get_str(fields->u.arr[0], "label", ""), "外部サービスの名称（必要に応じて機能名までを含む。）");
	assert_string_equal(vb_get_str(fields->u.arr[0], "value", ""), "Box");
	assert_string_equal(vb_get_str(fields->u.arr[4], "value", ""), "2026-04-01〜2027-03-31");
	assert_null(vb_get_str(fields->u.arr[3], "value", NULL));
	assert_string_equal(vb_get_str(fields->u.arr[5], "value", ""), "福祉課・主査・佐藤");
	assert_string_equal(vb_get_str(fields->u.arr[5], "source", ""), "record");
	assert_string_equal(vb_get_str(fields->u.arr[7], "value", ""), "福祉課・課長・木村");
	/* 安城: the 届出事項 copied; 仙台: no ledger, said */
	assert_string_equal(vb_get_str(rows->u.arr[1], "ledger", ""), "copied");
	assert_true(vb_get(rows->u.arr[1], "fields")->n >= 9);
	assert_string_equal(vb_get_str(rows->u.arr[2], "ledger", ""), "none");
	assert_non_null(strstr(vb_get_str(rows->u.arr[2], "ledger_note", ""), "台帳の定めはありません"));
	assert_int_equal(vb_get(rows->u.arr[2], "fields")->n, 0);
	assert_true(vb_get(m, "columns")->n >= 9);
	/* filters */
	q.dept = "福祉課";
	assert_int_equal(vb_get(ledger(f, &q), "rows")->n, 2);
	q.dept = NULL;
	q.level = "I";
	assert_int_equal(vb_get(ledger(f, &q), "rows")->n, 1);
	q.level = NULL;
	q.provider = "Example";
	assert_int_equal(vb_get(ledger(f, &q), "rows")->n, 2);
	q.provider = "KK Japan";
	assert_int_equal(vb_get(ledger(f, &q), "rows")->n, 1);
	q.provider = NULL;
	q.state = "closed";
	rows = vb_get(ledger(f, &q), "rows");
	assert_int_equal(rows->n, 1);
	assert_string_equal(vb_get_str(rows->u.arr[0], "state_ja", ""), "完了（履歴）");
	q.state = NULL;
	q.history = 1;
	assert_int_equal(vb_get(ledger(f, &q), "rows")->n, 4);
	q.history = 0;
	q.expiring_before = "2028-01-01";
	rows = vb_get(ledger(f, &q), "rows");
	assert_int_equal(rows->n, 1);
	assert_string_equal(vb_get_str(rows->u.arr[0], "id", ""), o);
	q.expiring_before = NULL;
	/* paging: the total stays, the rows are the page */
	q.limit = 2;
	m = ledger(f, &q);
	assert_int_equal(vb_get(m, "rows")->n, 2);
	assert_int_equal((long long)vb_get(m, "total")->u.num, 3);
	q.offset = 2;
	rows = vb_get(ledger(f, &q), "rows");
	assert_int_equal(rows->n, 1);
	assert_string_equal(vb_get_str(rows->u.arr[0], "pack", ""), "sendai");
	q.limit = q.offset = 0;
	/* the next review, once scheduled */
	assert_int_equal(app_review_schedule(&f->dep, &f->admin, o, app_body(f, o), "2026-12-04", &e), OK);
	rows = vb_get(ledger(f, &q), "rows");
	assert_string_equal(vb_get_str(vb_get(rows->u.arr[0], "next_review"), "due", ""), "2027-03-31");
	assert_null(vb_get_str(rows->u.arr[2], "next_review", NULL));
	/* bad filters, named */
	{
		const char *bad[][2] = { { "state", "draft" }, { "exp", "2027-02-30" }, { "dept", "" }, { "dept", "a\tb" } };

		for (i = 0; i < 4; i++) {
			struct app_ledger_query b;

			memset(&b, 0, sizeof(b));
			if (!strcmp(bad[i][0], "state"))
				b.state = bad[i][1];
			else if (!strcmp(bad[i][0], "exp"))
				b.expiring_before = bad[i][1];
			else
				b.dept = bad[i][1];
			assert_int_equal(app_ledger_model(&f->dep, &f->a, &b, &m, &e), ERR_INVALID);
			assert_non_null(strstr(e.msg, bad[i][0][0] == 'e' ? "--expiring-before" : bad[i][0][0] == 's' ? "--state"
			                                                                                               : "--dept"));
		}
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schedule_otokuni, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_personnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_dates, setup, teardown),
		cmocka_unit_test(test_status),
		cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger, setup, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_review POLICIES_DIR\n");
		return 2;
	}
	policies = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
