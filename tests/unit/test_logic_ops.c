/* Tests for the operator table (src/logic/logic_ops.c) and project operators
 * registered through struct logic_env: the table names exactly the operators
 * the compiler accepts, a hole in it is found by name, and a project
 * operator compiles, evaluates, notes and throws as its callbacks say, alone,
 * in a rule set and in a batch. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "logic/json.h"
#include "logic/logic.h"
#include "core/fmt.h"
#include "logic/logic_int.h"

static struct arena A;

static const struct lval *J(const char *s)
{
	const struct lval *v;
	struct err e;

	if (json_parse(&A, s, strlen(s), &v, &e))
		fail_msg("bad JSON in test: %s: %s", s, e.msg);
	return v;
}

/* Every operator a rule may use: what docs/jsonlogic.md promises. */
static const char *const known[] = {
	"var", "val", "exists", "missing", "missing_some", "if", "?:", "and", "or", "!", "!!",
	"??", "try", "throw", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "+", "-", "*", "/",
	"%", "min", "max", "cat", "substr", "in", "merge", "map", "filter", "reduce", "all",
	"some", "none", "log",
};

static void test_table_names(void **state)
{
	size_t i, names = 0;

	(void)state;
	/* every documented operator has a row, and is known */
	for (i = 0; i < sizeof(known) / sizeof(*known); i++) {
		if (logic_kind_find(known[i], strlen(known[i])) < 0)
			fail_msg("'%s' has no row in logic_kinds", known[i]);
		assert_true(logic_op_known(known[i], strlen(known[i])));
	}
	/* every row's name (and alias) compiles as an operator, and is documented */
	for (i = 0; i < NK_COUNT; i++) {
		const char *spell[2] = { logic_kinds[i].name, logic_kinds[i].alias };
		size_t s, j;

		for (s = 0; s < 2; s++) {
			char rule[64];
			struct logic_rule *r;
			struct err e;
			int rc;

			if (!spell[s])
				continue;
			names++;
			for (j = 0; j < sizeof(known) / sizeof(*known) && strcmp(known[j], spell[s]); j++)
				;
			if (j == sizeof(known) / sizeof(*known))
				fail_msg("'%s' is in logic_kinds but not documented here", spell[s]);
			assert_true(fmt_snprintf(rule, sizeof(rule), "{\"%s\":[1,2]}", spell[s]) > 0);
			rc = logic_compile(&A, J(rule), NULL, LOGIC_LENIENT, &r, &e);
			assert_true(rc == OK || (rc == ERR_INVALID && !strstr(e.msg, "unknown operator")));
		}
	}
	assert_int_equal(names, sizeof(known) / sizeof(*known));
	/* preserve is syntax, not a row; a project operator is not the engine's */
	assert_true(logic_op_known("preserve", 8));
	assert_int_equal(logic_kind_find("preserve", 8), -1);
	assert_false(logic_op_known("frob", 4));
}

/* A row left out is found by the kind's name (the start-up check aborts
 * with it); so is a row that folds although it reads facts, or one without
 * a three-valued rule. */
static void test_table_holes(void **state)
{
	static struct logic_kind copy[NK_COUNT];

	(void)state;
	assert_null(logic_kinds_missing(logic_kinds, NK_COUNT));
	memcpy(copy, logic_kinds, sizeof(copy));
	memset(&copy[OP_SUBSTR], 0, sizeof(copy[OP_SUBSTR]));
	assert_string_equal(logic_kinds_missing(copy, NK_COUNT), "OP_SUBSTR");
	/* a row without its three-valued rule is a hole too */
	memcpy(copy, logic_kinds, sizeof(copy));
	copy[OP_MERGE].tri = NULL;
	assert_string_equal(logic_kinds_missing(copy, NK_COUNT), "OP_MERGE");
	memcpy(copy, logic_kinds, sizeof(copy));
	copy[OP_VAR].fold = 1;
	assert_string_equal(logic_kinds_missing(copy, NK_COUNT), "OP_VAR");
	assert_string_equal(logic_kinds_missing(logic_kinds, NK_COUNT - 1), logic_kind_names[NK_COUNT - 1]);
	assert_string_equal(logic_kind_names[OP_EQ], "OP_EQ");
	assert_string_equal(logic_kind_names[OP_PROJECT], "OP_PROJECT");
}

/* {"test.scaled": [x, "k"]}: x times the factor named k (data: the names
 * and factors); notes a value that is not a number and reports a missing
 * path given as a string. */
struct factor {
	const char *name;
	double by;
};

static const struct factor factors[] = { { "double", 2 }, { "triple", 3 } };

static int scaled_compile(const void *data, struct arena *a, const struct lval *const *lits,
                          size_t n, const void **state, const char **why)
{
	const struct factor *f = data;
	size_t i;

	(void)a;
	if (!lits[1] || lits[1]->type != LV_STR) {
		*why = "the second argument must name a factor";
		return ERR_INVALID;
	}
	for (i = 0; i < 2; i++)
		if (!strcmp(f[i].name, lits[1]->u.str))
			*state = &f[i];
	if (!*state) {
		*why = "unknown factor";
		return ERR_NOTFOUND;
	}
	(void)n;
	return OK;
}

static const struct lval *scaled_eval(struct logic_ctx *x, const void *state,
                                      const struct lval *const *args, size_t n)
{
	const struct factor *f = state;

	if (n > 2 && args[2]->type == LV_STR)
		logic_ctx_missing(x, args[2]->u.str);
	if (args[0]->type == LV_NULL)
		return logic_ctx_throw(x, "Invalid Arguments");
	if (args[0]->type != LV_NUM) {
		logic_ctx_note(x, arena_printf(logic_ctx_arena(x), "%s: not a number", f->name));
		return LV_NULLV;
	}
	return lval_num(logic_ctx_arena(x), args[0]->u.num * f->by);
}

static const struct logic_project_op ops[] = {
	{ .name = "test.scaled", .min_args = 2, .max_args = 3, .compile = scaled_compile,
	  .eval = scaled_eval, .data = factors },
};
static const struct logic_env env = { .ops = ops, .nops = 1 };

static void test_project_ops(void **state)
{
	struct logic_rule *r;
	struct logic_result res;
	struct err e;

	(void)state;
	assert_true(logic_op_known_env(&env, "test.scaled", 11));
	assert_false(logic_op_known("test.scaled", 11));
	/* without the env it is an unknown operator */
	assert_int_equal(logic_compile(&A, J("{\"test.scaled\":[1,\"double\"]}"), NULL, 0, &r, &e),
	                 ERR_NOTFOUND);
	assert_string_equal(e.msg, "test.scaled: unknown operator");

	assert_int_equal(logic_compile_env(&A, J("{\"+\":[1,{\"test.scaled\":[{\"var\":\"a\"},\"triple\"]}]}"),
	                                   NULL, 0, &env, &r, &e), OK);
	assert_int_equal(logic_eval(r, J("{\"a\":2}"), &A, &res), OK);
	assert_true(lval_deep_eq(res.value, J("7")));
	assert_int_equal(res.nnotes, 0);
	/* a note, and a throw, reach the result */
	assert_int_equal(logic_compile_env(&A, J("{\"test.scaled\":[{\"var\":\"a\"},\"double\",\"b.c\"]}"),
	                                   NULL, 0, &env, &r, &e), OK);
	assert_int_equal(logic_eval(r, J("{\"a\":\"x\"}"), &A, &res), OK);
	assert_true(res.value == LV_NULLV);
	assert_int_equal(res.nnotes, 1);
	assert_string_equal(res.notes[0], "double: not a number");
	assert_int_equal(res.nmissing, 1);
	assert_string_equal(res.missing[0], "b.c");
	assert_int_equal(logic_eval(r, J("{}"), &A, &res), ERR_INVALID);
	assert_string_equal(logic_error_type(&A, res.error), "Invalid Arguments");
	/* never folded: a literal call still notes at every evaluation */
	assert_int_equal(logic_compile_env(&A, J("{\"test.scaled\":[\"x\",\"double\"]}"),
	                                   NULL, 0, &env, &r, &e), OK);
	assert_int_equal(logic_eval(r, LV_NULLV, &A, &res), OK);
	assert_int_equal(res.nnotes, 1);
	/* inside an iteration, a path is not a missing fact of the document */
	assert_int_equal(logic_compile_env(&A, J("{\"map\":[[1],{\"test.scaled\":[{\"var\":\"\"},\"double\",\"z\"]}]}"),
	                                   NULL, 0, &env, &r, &e), OK);
	assert_int_equal(logic_eval(r, LV_NULLV, &A, &res), OK);
	assert_true(lval_deep_eq(res.value, J("[2]")));
	assert_int_equal(res.nmissing, 0);

	/* compile errors: arity, the hook's ERR_INVALID (lenient: a throw) and ERR_NOTFOUND */
	assert_int_equal(logic_compile_env(&A, J("{\"test.scaled\":[1]}"), NULL, 0, &env, &r, &e),
	                 ERR_INVALID);
	assert_string_equal(e.msg, "test.scaled: too few arguments");
	assert_int_equal(logic_compile_env(&A, J("{\"test.scaled\":[1,\"double\",\"a\",4]}"), NULL, 0,
	                                   &env, &r, &e), ERR_INVALID);
	assert_string_equal(e.msg, "test.scaled: too many arguments");
	assert_int_equal(logic_compile_env(&A, J("{\"and\":[{\"test.scaled\":[1,{\"var\":\"k\"}]}]}"),
	                                   NULL, 0, &env, &r, &e), ERR_INVALID);
	assert_string_equal(e.msg, "and[0].test.scaled: the second argument must name a factor");
	assert_int_equal(logic_compile_env(&A, J("{\"test.scaled\":[1,{\"var\":\"k\"}]}"),
	                                   NULL, LOGIC_LENIENT, &env, &r, &e), OK);
	assert_int_equal(logic_eval(r, LV_NULLV, &A, &res), ERR_INVALID);
	assert_string_equal(logic_error_type(&A, res.error), "Invalid Arguments");
	assert_int_equal(logic_compile_env(&A, J("{\"test.scaled\":[1,\"half\"]}"),
	                                   NULL, LOGIC_LENIENT, &env, &r, &e), ERR_NOTFOUND);
	assert_string_equal(e.msg, "test.scaled: unknown factor");
}

/* In a rule set and a batch, a project operator gives what it gives alone. */
static void test_project_ops_batch(void **state)
{
	const struct lval *rules[] = {
		J("{\"test.scaled\":[{\"var\":\"a\"},\"double\",\"m\"]}"),
		J("{\"if\":[{\"var\":\"a\"},{\"test.scaled\":[{\"var\":\"a\"},\"triple\"]},0]}"),
	};
	const struct lval *docs[] = { J("{\"a\":1}"), J("{\"a\":\"s\"}"), J("{}"), J("{\"a\":4}") };
	struct logic_result res[4], one;
	struct logic_set *set;
	struct logic_batch *bt;
	struct err e;
	size_t i, k;

	(void)state;
	assert_int_equal(logic_set_compile(&A, rules, 2, NULL, 0, &env, &set, NULL, &e), OK);
	bt = logic_batch_new(&A, set);
	logic_batch_bind(bt, docs, 4, &A);
	for (i = 0; i < 2; i++) {
		logic_batch_eval(bt, i, &A, res);
		for (k = 0; k < 4; k++) {
			int rc = logic_eval(logic_set_rule(set, i), docs[k], &A, &one);

			assert_int_equal(rc == OK, res[k].value != NULL);
			if (rc == OK)
				assert_true(lval_deep_eq(one.value, res[k].value));
			assert_int_equal(one.nnotes, res[k].nnotes);
			assert_int_equal(one.nmissing, res[k].nmissing);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_table_holes),
		cmocka_unit_test(test_project_ops),
		cmocka_unit_test(test_project_ops_batch),
	};
	int rc;

	arena_init(&A, 1 << 16);
	rc = cmocka_run_group_tests_name("logic_ops", tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
