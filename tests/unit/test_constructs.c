/* The constructs of issue #11 (7) as the assessment applies them, on the
 * test pack tests/policy/packs/constructs.yaml: levels in an explicit order
 * with obligations as ranges, a threshold and an accepted set that differ
 * by level (params), date facts compared with shinsa.date, at least k of n
 * (shinsa.at_least), any-of groups whose members differ by level, an
 * obligation that depends on an application fact, prohibitions and
 * exemptions limited to levels, and an exemption that leads to a
 * notification instead of an application. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "assess/assess.h"
#include "assess/assess_model.h"
#include "logic/vb.h"
#include "logic/json.h"

static struct arena A;
static struct policy_set *set;
static struct policy *pack;

static const struct lval *J(const char *s)
{
	const struct lval *v;
	struct err e;

	if (json_parse(&A, s, strlen(s), &v, &e))
		fail_msg("%s: %s", s, e.msg);
	return v;
}

/* Every required item met at 3A (and every level). */
#define GOOD_LOG "\"log\":{\"retention_days\":1200}"
#define GOOD_DEL "\"deletion\":{\"standard\":\"nist-purge\"}"
#define GOOD_CERT "\"cert\":{\"ismap_expiry\":\"2030-01-01\",\"iso27001\":true,\"iso27017\":true,\"soc2\":false}"
#define GOOD_AUTH "\"auth\":{\"mfa\":true}"
#define GOOD_DATA "\"data\":{\"regions\":[\"JP\"],\"overseas_consent\":false},\"legal\":{\"governing_law\":\"JP\"}"
#define GOOD_SVC "\"service\":{\"government_led\":false}"
#define GOOD_APP "\"app\":{\"personal_info\":true,\"mynumber_system\":false,\"period_end\":\"2026-03-31\"}"
#define GOOD GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_AUTH "," GOOD_DATA "," GOOD_SVC "," GOOD_APP

static struct assessment run(const char *facts, const char *level)
{
	struct assessment as;
	long li = policy_level_index(pack, level);

	assert_true(li >= 0);
	assert_int_equal(assess_run(&A, pack, (size_t)li, J(facts), NULL, NULL, ASSESS_DETAIL, &as), OK);
	return as;
}

static const struct assess_finding *finding(const struct assessment *as, const char *id)
{
	size_t i;

	for (i = 0; i < as->nfindings; i++)
		if (!strcmp(as->findings[i].c->id, id))
			return &as->findings[i];
	fail_msg("no finding %s", id);
	return NULL;
}

static int status(const char *facts, const char *level, const char *id)
{
	struct assessment as = run(facts, level);

	return finding(&as, id)->status;
}

static void test_good(void **state)
{
	static const char *const levels[] = { "1", "2A", "2B", "3A", "3B" };
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		struct assessment as = run("{" GOOD "}", levels[i]);

		if (as.verdict != V_CONFORMING)
			fail_msg("level %s: %s (%s)", levels[i], assess_verdict_name(as.verdict), as.verdict_reason);
	}
}

/* level_order and ranges: "2B以上" is 2B, 3A, 3B; "2A..2B" two levels. */
static void test_ranges(void **state)
{
	const struct policy_criterion *c = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < pack->ncriteria; i++)
		if (!strcmp(pack->criteria[i].id, "expiry"))
			c = &pack->criteria[i];
	assert_non_null(c);
	assert_int_equal(c->ob[policy_level_index(pack, "3B")], OB_REQUIRED);
	assert_int_equal(c->ob[policy_level_index(pack, "2B")], OB_REQUIRED);
	assert_int_equal(c->ob[policy_level_index(pack, "2A")], OB_OPTIONAL);
	assert_int_equal(c->ob[policy_level_index(pack, "1")], OB_OPTIONAL);
	assert_non_null(pack->rank);
	assert_int_equal(pack->rank[policy_level_index(pack, "1")], 0);
	assert_int_equal(pack->rank[policy_level_index(pack, "3B")], 4);
}

/* One criterion, a threshold by level: 3 years at 3A and above, 1 year below. */
static void test_threshold_by_level(void **state)
{
	const char *f400 = "{\"log\":{\"retention_days\":400}}";
	struct assessment as;

	(void)state;
	assert_int_equal(status(f400, "3A", "log"), FS_UNMET);
	assert_int_equal(status(f400, "3B", "log"), FS_UNMET);
	assert_int_equal(status(f400, "2B", "log"), FS_MET);
	assert_int_equal(status(f400, "1", "log"), FS_MET);
	assert_int_equal(status("{\"log\":{\"retention_days\":1095}}", "3B", "log"), FS_MET);
	assert_int_equal(status("{}", "3A", "log"), FS_UNKNOWN);
	/* the reason names the fact, never the parameter */
	as = run(f400, "3A");
	assert_int_equal(finding(&as, "log")->nfacts, 1);
	assert_string_equal(finding(&as, "log")->facts[0].path, "log.retention_days");
}

/* An accepted set by level: Clear is enough below 3A, a vendor's method at 1 only. */
static void test_set_by_level(void **state)
{
	const char *clear = "{\"deletion\":{\"standard\":\"nist-clear\"}}";
	const char *vendor = "{\"deletion\":{\"standard\":\"vendor\"}}";

	(void)state;
	assert_int_equal(status(clear, "3A", "del"), FS_UNMET);
	assert_int_equal(status(clear, "2B", "del"), FS_MET);
	assert_int_equal(status(clear, "2A", "del"), FS_MET);
	assert_int_equal(status(vendor, "2A", "del"), FS_UNMET);
	assert_int_equal(status(vendor, "1", "del"), FS_MET);
}

/* A service date against an application date: the certification's expiry
 * is on or after the end of the use period. */
static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(status("{\"cert\":{\"ismap_expiry\":\"2026-03-31\"},\"app\":{\"period_end\":\"2026-03-31\"}}", "3A", "expiry"), FS_MET);
	assert_int_equal(status("{\"cert\":{\"ismap_expiry\":\"2026-03-30\"},\"app\":{\"period_end\":\"2026-03-31\"}}", "3A", "expiry"), FS_UNMET);
	/* across a year's end */
	assert_int_equal(status("{\"cert\":{\"ismap_expiry\":\"2027-01-01\"},\"app\":{\"period_end\":\"2026-12-31\"}}", "3A", "expiry"), FS_MET);
	assert_int_equal(status("{\"app\":{\"period_end\":\"2026-03-31\"}}", "3A", "expiry"), FS_UNKNOWN);
	assert_int_equal(status("{\"cert\":{\"ismap_expiry\":\"2027-01-01\"}}", "3A", "expiry"), FS_UNKNOWN);
	{
		struct assessment as = run("{\"cert\":{\"ismap_expiry\":\"2027-02-30\"},\"app\":{\"period_end\":\"2026-03-31\"}}", "3A");
		const struct assess_finding *f = finding(&as, "expiry");

		assert_int_equal(f->status, FS_UNMET);
		assert_int_equal(f->nnotes, 1);
		assert_non_null(strstr(f->notes[0], "is not a date"));
	}
}

static int eval_bool(const char *rule_json, const char *data)
{
	struct logic_rule *r;
	struct logic_result res;
	struct err e;

	if (logic_compile_env(&A, J(rule_json), NULL, 0, policy_set_env(set), &r, &e))
		fail_msg("%s: %s", rule_json, e.msg);
	assert_int_equal(logic_eval(r, J(data), &A, &res), OK);
	return lval_truthy(res.value);
}

static int compile_fails(const char *rule_json, const char *want)
{
	struct logic_rule *r;
	struct err e;

	if (!logic_compile_env(&A, J(rule_json), NULL, 0, policy_set_env(set), &r, &e))
		return 0;
	if (!strstr(e.msg, want))
		fail_msg("%s: %s (want %s)", rule_json, e.msg, want);
	return 1;
}

static void test_operators(void **state)
{
	(void)state;
	assert_true(eval_bool("{\"shinsa.date\":[\"2024-02-29\",\"<\",\"2024-03-01\"]}", "{}"));
	assert_false(eval_bool("{\"shinsa.date\":[\"2024-03-01\",\"<=\",\"2024-02-29\"]}", "{}"));
	assert_true(eval_bool("{\"shinsa.date\":[\"2024-03-01\",\"==\",\"2024-02-29\",1]}", "{}"));
	assert_true(eval_bool("{\"shinsa.date\":[\"2025-01-30\",\">=\",\"2025-03-01\",-30]}", "{}"));
	assert_false(eval_bool("{\"shinsa.date\":[{\"var\":\"a\"},\"!=\",\"2025-03-01\"]}", "{}"));
	assert_true(compile_fails("{\"shinsa.date\":[\"2025-01-01\",\"before\",\"2025-03-01\"]}", "second argument"));
	assert_true(compile_fails("{\"shinsa.date\":[\"2025-13-01\",\"<\",\"2025-03-01\"]}", "YYYY-MM-DD"));
	assert_true(eval_bool("{\"shinsa.at_least\":[2,true,false,true]}", "{}"));
	assert_false(eval_bool("{\"shinsa.at_least\":[3,true,false,true]}", "{}"));
	assert_true(eval_bool("{\"shinsa.at_least\":[1,{\"var\":\"x\"},{\"var\":\"y\"}]}", "{\"y\":1}"));
	assert_true(compile_fails("{\"shinsa.at_least\":[3,true,false]}", "K"));
	assert_true(compile_fails("{\"shinsa.at_least\":[{\"var\":\"k\"},true,false]}", "K"));
}

/* At least 2 of 3 certifications; unknown while the missing one could decide. */
static void test_at_least(void **state)
{
	(void)state;
	assert_int_equal(status("{\"cert\":{\"iso27001\":true,\"iso27017\":false,\"soc2\":true}}", "3A", "certs"), FS_MET);
	assert_int_equal(status("{\"cert\":{\"iso27001\":true,\"iso27017\":false,\"soc2\":false}}", "3A", "certs"), FS_UNMET);
	assert_int_equal(status("{\"cert\":{\"iso27001\":true,\"iso27017\":false}}", "3A", "certs"), FS_UNKNOWN);
	assert_int_equal(status("{\"cert\":{\"iso27001\":true,\"iso27017\":true}}", "3A", "certs"), FS_MET);
	assert_int_equal(status("{}", "1", "certs"), FS_NA);
}

/* 必須 when personal data is handled, else 推奨; open while unanswered. */
static void test_obligation_by_fact(void **state)
{
	struct assessment as;
	const struct assess_finding *f;

	(void)state;
	as = run("{" GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_DATA "," GOOD_SVC
	         ",\"auth\":{\"mfa\":false},\"app\":{\"personal_info\":true,\"mynumber_system\":false,\"period_end\":\"2026-03-31\"}}", "2A");
	f = finding(&as, "mfa");
	assert_int_equal(f->obligation, OB_REQUIRED);
	assert_non_null(f->ob_by);
	assert_int_equal(f->status, FS_UNMET);
	assert_int_equal(as.verdict, V_CONSULTATION);

	as = run("{" GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_DATA "," GOOD_SVC
	         ",\"auth\":{\"mfa\":false},\"app\":{\"personal_info\":false,\"mynumber_system\":false,\"period_end\":\"2026-03-31\"}}", "2A");
	f = finding(&as, "mfa");
	assert_int_equal(f->obligation, OB_RECOMMENDED);
	assert_null(f->ob_by);
	assert_int_equal(as.verdict, V_CONFORMING);

	/* unanswered: shown as required, but waits for the fact instead of failing the service */
	as = run("{" GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_DATA "," GOOD_SVC
	         ",\"auth\":{\"mfa\":false},\"app\":{\"mynumber_system\":false,\"period_end\":\"2026-03-31\"}}", "2A");
	f = finding(&as, "mfa");
	assert_int_equal(f->obligation, OB_REQUIRED);
	assert_true(f->ob_open);
	assert_int_equal(f->nob_missing, 1);
	assert_string_equal(f->ob_missing[0], "app.personal_info");
	assert_int_equal(as.verdict, V_INCOMPLETE);
	assert_non_null(strstr(f->reason, "app.personal_info"));
	{
		const struct lval *m = assess_model(&A, &as, NULL), *fs = vb_get(m, "findings");
		size_t i;

		for (i = 0; i < fs->n; i++)
			if (!strcmp(vb_get_str(fs->u.arr[i], "id", ""), "mfa"))
				assert_non_null(vb_get(fs->u.arr[i], "obligation_depends_on"));
	}
}

/* The group's alternatives differ by level: Japanese law is a way at 2A/2B only. */
static void test_group_by_level(void **state)
{
	const char *us = "{\"data\":{\"regions\":[\"US\"],\"overseas_consent\":false},\"legal\":{\"governing_law\":\"JP\"}}";
	struct assessment as;

	(void)state;
	as = run(us, "3A");
	assert_int_equal(as.groups[0].status, FS_UNMET);
	assert_null(finding(&as, "loc-law")->group);
	assert_int_equal(finding(&as, "loc-law")->status, FS_NA);
	as = run(us, "2A");
	assert_int_equal(as.groups[0].status, FS_MET);
	assert_ptr_equal(finding(&as, "loc-law")->group, &pack->groups[0]);
	{
		struct assessment as3 = run(us, "3A");
		const struct lval *m = assess_model(&A, &as3, NULL);
		const struct lval *g = vb_get(m, "groups")->u.arr[0];

		assert_int_equal(vb_get(g, "any_of")->n, 2);
	}
}

/* A prohibition at 3A and above only; an exemption at 2A and 2B only. */
static void test_levels_of_stops(void **state)
{
	(void)state;
	assert_int_equal(run("{" GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_AUTH "," GOOD_DATA "," GOOD_SVC
	                     ",\"app\":{\"personal_info\":true,\"mynumber_system\":true,\"period_end\":\"2026-03-31\"}}", "3A").verdict,
	                 V_PROHIBITED);
	assert_int_equal(run("{" GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_AUTH "," GOOD_DATA "," GOOD_SVC
	                     ",\"app\":{\"personal_info\":true,\"mynumber_system\":true,\"period_end\":\"2026-03-31\"}}", "2B").verdict,
	                 V_CONFORMING);
	assert_int_equal(run("{\"service\":{\"government_led\":true}}", "2A").verdict, V_EXEMPT);
	assert_int_equal(run("{\"service\":{\"government_led\":true}}", "2B").verdict, V_EXEMPT);
	assert_int_not_equal(run("{\"service\":{\"government_led\":true}}", "3A").verdict, V_EXEMPT);
}

/* At level 1 without personal data: a notification (届出) instead of the application. */
static void test_notification(void **state)
{
	struct assessment as = run("{\"app\":{\"personal_info\":false}}", "1");
	const struct lval *m, *n;

	(void)state;
	assert_int_equal(as.verdict, V_EXEMPT);
	assert_non_null(as.notification);
	assert_string_equal(as.notification->id, "E-notice");
	assert_non_null(strstr(as.next_step, "申請に代えて、デジタル推進課に届け出てください（様式第2号）"));
	m = assess_model(&A, &as, NULL);
	n = vb_get(m, "notification");
	assert_string_equal(vb_get_str(n, "to", ""), "デジタル推進課");
	assert_string_equal(vb_get_str(n, "form_title", ""), "様式第2号");
	assert_string_equal(vb_get_str(vb_get(m, "procedure"), "next_step", ""), as.next_step);
	/* with personal data, or at another level: the application as usual */
	as = run("{" GOOD "}", "1");
	assert_null(as.notification);
	assert_non_null(strstr(as.next_step, "決裁"));
	as = run("{" GOOD_LOG "," GOOD_DEL "," GOOD_CERT "," GOOD_AUTH "," GOOD_DATA "," GOOD_SVC
	         ",\"app\":{\"personal_info\":false,\"mynumber_system\":false,\"period_end\":\"2026-03-31\"}}", "2A");
	assert_null(as.notification);
	assert_int_equal(as.verdict, V_CONFORMING);
}

/* The show model at one level and at every level. */
static void test_show_model(void **state)
{
	const struct lval *m = policy_show_model(&A, pack, policy_level_index(pack, "2A")), *c, *all;

	(void)state;
	c = vb_get(m, "criteria")->u.arr[0];
	assert_string_equal(vb_get_str(c, "id", ""), "log");
	assert_int_equal((long)vb_get(vb_get(c, "params"), "min_days")->u.num, 365);
	assert_int_equal(vb_get(vb_get(m, "groups")->u.arr[0], "any_of")->n, 3);
	assert_int_equal(vb_get(m, "level_order")->n, 5);
	all = policy_show_model(&A, pack, -1);
	c = vb_get(all, "criteria")->u.arr[0];
	assert_int_equal((long)vb_get(vb_get(vb_get(c, "params"), "min_days"), "3B")->u.num, 1095);
	assert_non_null(vb_get(vb_get(all, "groups")->u.arr[0], "any_of_by_level"));
	assert_string_equal(vb_get_str(vb_get(all, "exemptions")->u.arr[1], "instead", ""), "notification");
	assert_int_equal(vb_get(vb_get(all, "prohibitions")->u.arr[0], "levels")->n, 2);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_threshold_by_level),
		cmocka_unit_test(test_set_by_level),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_at_least),
		cmocka_unit_test(test_obligation_by_fact),
		cmocka_unit_test(test_group_by_level),
		cmocka_unit_test(test_levels_of_stops),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_show_model),
	};
	struct diag d = { 0 };
	size_t i;
	int rc;

	arena_init(&A, 1 << 16);
	if (argc != 3 || policy_set_open(&A, argv[1], &set, &d) || policy_load(&A, set, argv[2], &pack, &d)) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.items[i].text);
		return 1;
	}
	rc = cmocka_run_group_tests_name("constructs", tests, NULL, NULL);
	diag_free(&d);
	arena_release(&A);
	return rc;
}
