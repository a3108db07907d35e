/* Tests for profile and application loading (src/assess/profile.c): each
 * fact type, countries against the assigned ISO 3166-1 codes with their
 * suggestions, dates, nested paths, unknown facts, the app section, the
 * subcontractors, and errors with their positions. Run with the policies directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess/country.h"
#include "assess/profile.h"
#include "core/fmt.h"

static struct arena A;
static struct policy_set *set;
static struct country_list *countries;
static char dir[] = "/tmp/shinsa-test-profile-XXXXXX";

/* Write text to a file of the temporary folder and return its path. */
static const char *put(const char *name, const char *text, size_t n)
{
	const char *path = arena_printf(&A, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
	return path;
}

#define PUT(name, s) put((name), (s), sizeof(s) - 1)

struct got {
	struct diag err, warn;
	const struct lval *doc;
	int rc;
};

static void load(struct got *g, const char *path)
{
	struct profile_env env = { set, countries, NULL, NULL };

	memset(g, 0, sizeof(*g));
	g->rc = profile_load(&A, &env, path, &g->doc, &g->err, &g->warn);
}

static void done(struct got *g)
{
	diag_free(&g->err);
	diag_free(&g->warn);
}

/* The entry whose message contains s, or fail. */
static const struct diag_entry *has(const struct diag *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].msg, s))
			return &d->items[i];
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s\n", d->items[i].text);
	fail_msg("no message with '%s'", s);
	return NULL;
}

static void test_types(void **state)
{
	struct got g;

	(void)state;
	load(&g, PUT("good.yaml", "service: {name: 試験, model: saas, public_cloud: true}\n"
	                          "log: {retention_days: 400}\ncrypto: {transit: {tls_versions: ['1.2']}}\n"));
	assert_int_equal(g.rc, OK);
	assert_int_equal(g.err.n, 0);
	assert_int_equal(g.warn.n, 0);
	done(&g);
	load(&g, PUT("bad.yaml", "service: {name: 1, model: cloud, public_cloud: yes}\n"
	                         "log: {retention_days: 1.5}\ndata: {regions: JP}\n"));
	assert_int_equal(g.rc, ERR_INVALID);
	has(&g.err, "service.name: 文字列で答えてください / expected text");
	has(&g.err, "service.model: 次のいずれかで答えてください: iaas, paas, saas / expected one of iaas, paas, saas");
	has(&g.err, "service.public_cloud: ");
	has(&g.err, "log.retention_days: 整数で答えてください / expected a whole number");
	has(&g.err, "data.regions: 一覧（リスト）で答えてください / expected a list");
	done(&g);
}

static void test_integers(void **state)
{
	struct got g;

	(void)state;
	load(&g, PUT("big.yaml", "log: {retention_days: 99999999999999999999}\n"));
	assert_int_equal(g.rc, ERR_INVALID);
	assert_int_equal(has(&g.err, "too large: at most")->line, 1);
	assert_null(strstr(g.err.items[0].msg, "at least"));
	done(&g);
	load(&g, PUT("neg.yaml", "log: {retention_days: -5}\n"));
	has(&g.err, "0 以上の整数で答えてください / expected a whole number of at least 0");
	done(&g);
}

static void test_countries(void **state)
{
	struct country_hint h;
	struct got g;
	const struct diag_entry *e;

	(void)state;
	assert_int_equal(countries->n, 249);
	assert_string_equal(country_find(countries, "JP", 2)->ja, "日本");
	assert_null(country_find(countries, "ZZ", 2));
	assert_null(country_find(countries, "UK", 2));
	assert_null(country_find(countries, "jp", 2));
	assert_string_equal(country_suggest(countries, "JA", 2, &h)->code, "JP");
	assert_non_null(strstr(h.why_en, "language code for Japanese"));
	assert_string_equal(country_suggest(countries, "UK", 2, &h)->code, "GB");
	assert_string_equal(country_suggest(countries, "jp", 2, &h)->code, "JP");
	assert_string_equal(country_suggest(countries, "JQ", 2, &h)->code, "JP");    /* one letter off */
	assert_null(country_suggest(countries, "ZZ", 2, &h));
	assert_non_null(h.why_en);
	assert_null(country_suggest(countries, "XK", 2, &h));                     /* user-assigned */

	load(&g, PUT("c.yaml", "legal:\n  governing_law: JA\ndata: {regions: [JP, ZZ], ops_regions: [US]}\n"));
	assert_int_equal(g.rc, ERR_INVALID);
	assert_int_equal(g.err.n, 2);
	e = has(&g.err, "legal.governing_law: 'JA'");
	assert_int_equal(e->line, 2);
	assert_int_equal(e->col, 18);
	assert_non_null(strstr(e->msg, "did you mean JP (Japan)?"));
	assert_non_null(strstr(e->msg, "JP（日本）のことですか"));
	e = has(&g.err, "data.regions[1]: 'ZZ'");
	assert_int_equal(e->line, 3);
	done(&g);
}

static void test_dates_and_app(void **state)
{
	struct profile_env env = { set, countries, NULL, NULL };
	struct profile_app app;
	struct diag err = { 0 }, warn = { 0 };
	const struct diag_entry *e;

	(void)state;
	assert_int_equal(profile_app_load(&A, &env, PUT("a.yaml", "app:\n  classification: {anjo: II}\n"
	                                                "  period_start: 2027-04-01\n  period_end: 2028-03-31\n"
	                                                "answers: {anjo: {\"7-2-8\": 確認済}}\n"), &app, &err, &warn), OK);
	assert_string_equal(profile_app_level(&app, "anjo"), "II");
	assert_null(profile_app_level(&app, "kobe"));
	{
		uint32_t line, col;

		profile_app_where(&app, "answers", "anjo", "7-2-8", &line, &col);
		assert_int_equal(line, 5);
	}
	assert_int_equal(profile_app_load(&A, &env, PUT("b.yaml", "app:\n  classification: {nosuch: II}\n"
	                                                "  period_start: 2027-04-01\n  period_end: 2027-03-01\n"
	                                                "  period_x: 1\nanswered_at: yesterday\n"), &app, &err, &warn),
	                 ERR_INVALID);
	e = has(&err, "there is no pack 'nosuch'");
	assert_int_equal(e->line, 2);
	e = has(&err, "ends (2027-03-01) before it starts (2027-04-01)");
	assert_int_equal(e->line, 4);
	has(&err, "answered_at: ");
	has(&warn, "unknown fact 'app.period_x'");
	diag_free(&err);
	diag_free(&warn);
	assert_int_equal(profile_app_load(&A, &env, PUT("d.yaml", "app: {period_start: 2027-13-01}\n"), &app, &err,
	                                  &warn), ERR_INVALID);
	has(&err, "app.period_start: 日付（YYYY-MM-DD）で答えてください / expected a date (YYYY-MM-DD)");
	diag_free(&err);
	diag_free(&warn);
}

static void test_nested_and_unknown(void **state)
{
	struct profile_unknowns u = { 0 };
	struct profile_env env = { set, countries, NULL, &u };
	struct got g;
	const struct diag_entry *e;
	int i;

	(void)state;
	load(&g, PUT("n.yaml", "crypto:\n  transit: {method: tls, algorithms: [AES-256-GCM]}\n  at_rest: 1\n"
	                       "servise: {name: x}\ncert: {ismap: true, fedramp: true}\n"));
	has(&g.err, "crypto.at_rest: crypto.at_rest.* の事実の対応付けで答えてください");
	e = has(&g.warn, "unknown fact 'servise'");
	assert_int_equal(e->line, 4);
	assert_int_equal(e->col, 1);
	has(&g.warn, "unknown fact 'cert.fedramp'");
	done(&g);
	/* counted over profiles instead of warned once per profile */
	for (i = 0; i < 3; i++) {
		memset(&g, 0, sizeof(g));
		assert_int_equal(profile_load(&A, &env, PUT("u.json", "{\"cert\": {\"fedramp\": true}}"), &g.doc, &g.err,
		                              &g.warn), OK);
		assert_int_equal(g.warn.n, 0);
		done(&g);
	}
	assert_int_equal(u.n, 1);
	assert_string_equal(u.paths[0], "cert.fedramp");
	assert_int_equal(u.counts[0], 3);
}

static void test_errors_with_positions(void **state)
{
	struct got g;
	const struct diag_entry *e;

	(void)state;
	/* JSON has its positions too (read again as YAML when it is wrong) */
	load(&g, PUT("p.json", "{\"service\": {\"name\": \"x\",\n  \"model\": \"cloud\"}}"));
	e = has(&g.err, "service.model");
	assert_int_equal(e->line, 2);
	assert_int_equal(e->col, 12);
	done(&g);
	load(&g, put("nul.yaml", "a: 1\nb: x\0y\n", 11));
	e = has(&g.err, "NUL");
	assert_int_equal(e->line, 2);
	assert_int_equal(e->col, 5);
	done(&g);
	load(&g, dir);
	has(&g.err, "this is a directory");
	done(&g);
	load(&g, "/nonexistent/x.yaml");
	has(&g.err, "cannot open the file");
	done(&g);
	load(&g, PUT("list.yaml", "- 1\n- 2\n"));
	has(&g.err, "a profile is a mapping of facts");
	done(&g);
	load(&g, PUT("app-as-profile.yaml", "app: {classification: II}\nanswers: {x: y}\n"));
	assert_int_equal(g.rc, OK);
	assert_true(profile_is_application(g.doc));
	has(&g.warn, "this is an application");
	done(&g);
}

/* Subcontractors (再委託先): a list, each with name, role and an assigned
 * country; every mistake at its position; JSON too; not unknown facts; and
 * the facts see service.subcontracted: true unless the profile answers it. */
static void test_subcontractors(void **state)
{
	struct profile_unknowns u = { 0 };
	struct profile_env env = { set, countries, NULL, &u };
	struct got g;
	const struct diag_entry *e;
	const struct lval *f, *svc;

	(void)state;
	load(&g, PUT("s.yaml", "service: {name: x}\nsubcontractors:\n"
	                       "  - {name: 株式会社データセンター, role: データセンターの運営, location: JP, region: 東京都}\n"
	                       "  - {name: Example Inc., role: 基盤の IaaS, location: US, note: 米国リージョンは使わない}\n"));
	assert_int_equal(g.rc, OK);
	assert_int_equal(g.err.n, 0);
	assert_int_equal(g.warn.n, 0);
	f = profile_facts_for(&A, g.doc, NULL, "");
	svc = lval_get(f, "service", 7);
	assert_true(lval_get(svc, "subcontracted", 13) == LV_TRUEV || lval_get(svc, "subcontracted", 13)->b);
	assert_string_equal(lval_get(svc, "name", 4)->u.str, "x");
	done(&g);
	/* no service section: one is made for the fact */
	load(&g, PUT("s0.yaml", "subcontractors: [{name: a, role: b, location: JP}]\n"));
	assert_int_equal(g.rc, OK);
	svc = lval_get(profile_facts_for(&A, g.doc, NULL, ""), "service", 7);
	assert_true(lval_get(svc, "subcontracted", 13)->b);
	done(&g);
	/* answered true, or an empty list: left as the profile says */
	load(&g, PUT("s1.yaml", "service: {subcontracted: true}\nsubcontractors: []\n"));
	assert_int_equal(g.rc, OK);
	f = profile_facts_for(&A, g.doc, NULL, "");
	assert_true(lval_get(lval_get(f, "service", 7), "subcontracted", 13)->b);
	done(&g);
	load(&g, PUT("s2.yaml", "subcontractors: []\n"));
	assert_null(lval_get(profile_facts_for(&A, g.doc, NULL, ""), "service", 7));
	done(&g);
	load(&g, PUT("bad.yaml", "service: {subcontracted: false}\nsubcontractors:\n"
	                         "  - {name: a, role: b, location: JA}\n"
	                         "  - {name: '', role: 3, loc: US}\n"
	                         "  - text\n"));
	assert_int_equal(g.rc, ERR_INVALID);
	e = has(&g.err, "subcontractors[0].location: 'JA'");
	assert_int_equal(e->line, 3);
	assert_int_equal(e->col, 34);
	has(&g.err, "did you mean JP (Japan)?");
	e = has(&g.err, "subcontractors[1]: 再委託先に 'loc' という項目はありません");
	assert_int_equal(e->line, 4);
	assert_int_equal(e->col, 25);
	has(&g.err, "subcontractors[1].name: 空です / is empty");
	has(&g.err, "subcontractors[1].role: 文字列で答えてください / expected text");
	e = has(&g.err, "subcontractors[1].location: 所在国（location）がありません / location is missing");
	assert_int_equal(e->line, 4);
	assert_int_equal(e->col, 5);
	has(&g.err, "subcontractors[2]: 再委託先は name, role, location の対応付けです");
	e = has(&g.err, "service.subcontracted is false, yet 3 subcontractors are listed");
	assert_int_equal(e->line, 2);
	done(&g);
	load(&g, PUT("bad.json", "{\"subcontractors\": [{\"name\": \"a\",\n \"role\": \"b\", \"location\": \"ZZ\"}]}"));
	e = has(&g.err, "subcontractors[0].location: 'ZZ'");
	assert_int_equal(e->line, 2);
	assert_int_equal(e->col, 27);
	done(&g);
	load(&g, PUT("notlist.yaml", "subcontractors: {name: a}\n"));
	e = has(&g.err, "subcontractors: 再委託先の一覧");
	assert_int_equal(e->line, 1);
	assert_int_equal(e->col, 17);
	done(&g);
	/* never an unknown fact, warned or counted */
	memset(&g, 0, sizeof(g));
	assert_int_equal(profile_load(&A, &env, PUT("c.json", "{\"subcontractors\": [{\"name\": \"a\", \"role\": \"b\", "
	                                                      "\"location\": \"JP\"}]}"), &g.doc, &g.err, &g.warn), OK);
	assert_int_equal(g.warn.n, 0);
	assert_int_equal(u.n, 0);
	done(&g);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_dates_and_app),
		cmocka_unit_test(test_nested_and_unknown),
		cmocka_unit_test(test_errors_with_positions),
		cmocka_unit_test(test_subcontractors),
	};
	struct diag d = { 0 };
	size_t i;
	int rc;

	arena_init(&A, 1 << 16);
	if (argc != 2 || !mkdtemp(dir) || policy_set_open(&A, argv[1], &set, &d) ||
	    policy_set_load_packs(&A, set, &d) || country_load(&A, argv[1], &countries, &d)) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.items[i].text);
		return 1;
	}
	rc = cmocka_run_group_tests_name("profile", tests, NULL, NULL);
	{
		char cmd[128];

		/* the folder holds only what the tests wrote */
		if (fmt_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) > 0 && system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	diag_free(&d);
	arena_release(&A);
	return rc;
}
