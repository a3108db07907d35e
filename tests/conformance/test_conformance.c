/* Runs the public JsonLogic suites (read by path from ../shared) through the
 * engine. The official suite must pass whole; for the community suites every
 * failure must be listed in compat-known-failures.txt, so a regression fails
 * the test and a fix shows up as a listed case that now passes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fmt.h"
#include "core/buf.h"
#include "logic/json.h"
#include "logic/logic.h"

static const char *mode, *path, *known_path;

static char *slurp(const char *file, size_t *n)
{
	FILE *f = fopen(file, "rb");
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t k;

	if (!f)
		return NULL;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, k);
	fclose(f);
	return buf_detach(&b, n);
}

static const struct lval *load(struct arena *a, const char *file)
{
	size_t n;
	char *s = slurp(file, &n);
	const struct lval *v = NULL;
	struct err e;

	if (!s) {
		print_error("cannot read %s\n", file);
		return NULL;
	}
	if (json_parse(a, s, n, &v, &e)) {
		print_error("%s: %s\n", file, e.msg);
		v = NULL;
	}
	free(s);
	return v;
}

/* r2 (rc2) must be what logic_eval gave alone: value or error, and the same
 * missing paths; what says which way it was evaluated. */
static int same_result(struct arena *a, const char *what, int rc, const struct logic_result *res,
                       int rc2, const struct logic_result *r2, struct buf *why)
{
	size_t i;

	if (rc2 != rc || (rc == 0 && !lval_deep_eq(res->value, r2->value)) ||
	    (rc && strcmp(logic_error_type(a, res->error), logic_error_type(a, r2->error)))) {
		buf_addf(why, "%s: got ", what);
		lval_add_json(why, rc2 ? r2->error : r2->value);
		return 0;
	}
	if (r2->nmissing != res->nmissing) {
		buf_addf(why, "%s: %zu missing paths, alone %zu", what, r2->nmissing, res->nmissing);
		return 0;
	}
	for (i = 0; i < r2->nmissing; i++)
		if (strcmp(r2->missing[i], res->missing[i])) {
			buf_addf(why, "%s: missing %s, alone %s", what, r2->missing[i], res->missing[i]);
			return 0;
		}
	return 1;
}

/* The same rule through a rule set (twice, so that the two copies share
 * their paths' slots), bound to the data alone and in a batch where the
 * data sits in lanes 0 and 2 between other documents: each must give what
 * logic_eval gave, value or error, and the same missing paths. */
static int same_bound(struct arena *a, const struct lval *rule, const struct lval *data, int rc,
                      const struct logic_result *res, struct buf *why)
{
	const struct lval *rules[2] = { rule, rule };
	const struct lval *docs[4] = { data, LV_NULLV, data, LV_TRUEV };
	struct logic_set *set;
	struct logic_binding *b;
	struct logic_batch *bt;
	struct logic_result r2, br[4];
	struct err e;
	size_t bad;

	if (logic_set_compile(a, rules, 2, NULL, LOGIC_LENIENT, NULL, &set, &bad, &e)) {
		buf_addf(why, "rule set: compile error: %s", e.msg);
		return 0;
	}
	b = logic_binding_new(a, set);
	logic_bind(b, data, a);
	if (!same_result(a, "rule set", rc, res, logic_eval_bound(b, 1, a, &r2), &r2, why))
		return 0;
	bt = logic_batch_new(a, set);
	logic_batch_bind(bt, docs, 4, a);
	logic_batch_eval(bt, 1, a, br);
	return same_result(a, "batch lane 0", rc, res, br[0].value ? OK : ERR_INVALID, &br[0], why) &&
	       same_result(a, "batch lane 2", rc, res, br[2].value ? OK : ERR_INVALID, &br[2], why);
}

/* Evaluate one case; return 1 when it matches the expectation. */
static int run_case(struct arena *a, const struct lval *rule, const struct lval *data,
                    const struct lval *expect, const char *expect_err, struct buf *why)
{
	struct logic_rule *r;
	struct logic_result res;
	struct err e;
	int rc;

	rc = logic_compile(a, rule, NULL, LOGIC_LENIENT, &r, &e);
	if (rc) {
		buf_addf(why, "compile error: %s", e.msg);
		return 0;
	}
	rc = logic_eval(r, data, a, &res);
	if (!same_bound(a, rule, data, rc, &res, why))
		return 0;
	if (rc) {
		const char *t = logic_error_type(a, res.error);

		if (expect_err && !strcmp(t, expect_err))
			return 1;
		buf_addf(why, "threw %s", t);
		return 0;
	}
	if (expect && lval_deep_eq(res.value, expect))
		return 1;
	buf_adds(why, "got ");
	lval_add_json(why, res.value);
	return 0;
}

static void test_official(void **state)
{
	struct arena *a = arena_new(1 << 16);
	const struct lval *suite = load(a, path);
	size_t i, total = 0, failed = 0;

	(void)state;
	assert_non_null(suite);
	assert_int_equal(suite->type, LV_ARR);
	for (i = 0; i < suite->n; i++) {
		const struct lval *c = suite->u.arr[i];
		struct buf why = BUF_INIT;

		if (c->type != LV_ARR)
			continue;
		assert_int_equal(c->n, 3);
		total++;
		if (!run_case(a, c->u.arr[0], c->u.arr[1], c->u.arr[2], NULL, &why)) {
			struct buf rb = BUF_INIT;

			lval_add_json(&rb, c->u.arr[0]);
			print_error("FAIL #%zu %s: %s\n", total, buf_str(&rb), buf_str(&why));
			buf_free(&rb);
			failed++;
		}
		buf_free(&why);
	}
	print_message("official: %zu/%zu passed\n", total - failed, total);
	arena_free(a);
	assert_int_equal(total, 277);
	assert_int_equal(failed, 0);
}

struct known {
	char **ids;
	size_t n;
	int *seen;
};

static void known_load(struct known *k)
{
	size_t n;
	char *s = slurp(known_path, &n), *line, *save = NULL;

	memset(k, 0, sizeof(*k));
	if (!s)
		return;
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!*line || *line == '#')
			continue;
		k->ids = realloc(k->ids, (k->n + 1) * sizeof(*k->ids));
		k->ids[k->n++] = strdup(line);
	}
	k->seen = calloc(k->n + 1, sizeof(int));
	free(s);
}

static void known_free(struct known *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->ids[i]);
	free(k->ids);
	free(k->seen);
}

static int known_has(struct known *k, const char *id)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->ids[i], id)) {
			k->seen[i] = 1;
			return 1;
		}
	return 0;
}

/* Run one community-format file; count passes, and unexpected failures. */
static void run_file(struct arena *a, const char *dir, const char *name, struct known *k,
                     size_t *pass, size_t *total, size_t *unexpected)
{
	char file[4096];
	const struct lval *suite;
	size_t i, idx = 0;

	assert_true(fmt_snprintf(file, sizeof(file), "%s/%s", dir, name) >= 0);
	suite = load(a, file);
	assert_non_null(suite);
	for (i = 0; i < suite->n; i++) {
		const struct lval *c = suite->u.arr[i], *rule, *data, *result, *error, *t;
		struct buf why = BUF_INIT;
		char id[4200];

		if (c->type != LV_OBJ)
			continue;
		idx++;
		rule = lval_get(c, "rule", 4);
		data = lval_get(c, "data", 4);
		result = lval_get(c, "result", 6);
		error = lval_get(c, "error", 5);
		t = error ? lval_get(error, "type", 4) : NULL;
		if (!rule)
			continue;
		(*total)++;
		assert_true(fmt_snprintf(id, sizeof(id), "%s#%zu", name, idx) >= 0);
		if (run_case(a, rule, data ? data : LV_NULLV, result,
		             t && t->type == LV_STR ? t->u.str : NULL, &why)) {
			(*pass)++;
			if (known_has(k, id))
				print_message("now passes (remove from known failures): %s\n", id);
		} else if (!known_has(k, id)) {
			struct buf rb = BUF_INIT;

			lval_add_json(&rb, rule);
			print_error("FAIL %s %s: %s\n", id, buf_str(&rb), buf_str(&why));
			buf_free(&rb);
			(*unexpected)++;
		}
		buf_free(&why);
	}
}

static void test_compat(void **state)
{
	struct arena *a = arena_new(1 << 16);
	char file[4096];
	const struct lval *index;
	struct known k;
	size_t i, pass = 0, total = 0, unexpected = 0;

	(void)state;
	known_load(&k);
	assert_true(fmt_snprintf(file, sizeof(file), "%s/index.json", path) >= 0);
	index = load(a, file);
	assert_non_null(index);
	for (i = 0; i < index->n; i++)
		run_file(a, path, index->u.arr[i]->u.str, &k, &pass, &total, &unexpected);
	print_message("compat-tables: %zu/%zu passed\n", pass, total);
	arena_free(a);
	known_free(&k);
	assert_int_equal(total, 1138);
	assert_int_equal(unexpected, 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_compat_files(void **state)
{
	struct arena *a = arena_new(1 << 16);
	DIR *d = opendir(path);
	struct dirent *de;
	char *names[256];
	size_t nn = 0, i, pass = 0, total = 0, unexpected = 0;
	struct known k;

	(void)state;
	assert_non_null(d);
	known_load(&k);
	while ((de = readdir(d)) && nn < 256)
		if (strstr(de->d_name, ".json"))
			names[nn++] = strdup(de->d_name);
	closedir(d);
	qsort(names, nn, sizeof(*names), cmp_str);
	for (i = 0; i < nn; i++) {
		run_file(a, path, names[i], &k, &pass, &total, &unexpected);
		free(names[i]);
	}
	print_message("%s: %zu/%zu passed\n", path, pass, total);
	arena_free(a);
	known_free(&k);
	assert_true(total > 0);
	assert_int_equal(unexpected, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest official[] = { cmocka_unit_test(test_official) };
	const struct CMUnitTest compat[] = { cmocka_unit_test(test_compat) };
	const struct CMUnitTest files[] = { cmocka_unit_test(test_compat_files) };

	if (argc < 3) {
		fprintf(stderr, "usage: test_conformance official|compat|compat-files PATH [KNOWN]\n");
		return 2;
	}
	mode = argv[1];
	path = argv[2];
	known_path = argc > 3 ? argv[3] : "/dev/null";
	if (!strcmp(mode, "official"))
		return cmocka_run_group_tests_name("jsonlogic-official", official, NULL, NULL);
	if (!strcmp(mode, "compat"))
		return cmocka_run_group_tests_name("jsonlogic-compat", compat, NULL, NULL);
	return cmocka_run_group_tests_name("jsonlogic-files", files, NULL, NULL);
}
