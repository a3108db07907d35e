/* Tests for three-valued evaluation (src/logic/logic_tri.c): a table of
 * cases, each operator's rule under unknown facts, with the deciding facts;
 * every case also walked three-valued from the start (never answered by the
 * plain first pass), bound in a rule set and in a batch, which must all
 * agree; and a property: over thousands of random rules and documents with
 * facts removed, a true or false answer is what every answer of the removed
 * facts gives under the plain evaluator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/fmt.h"
#include "logic/json.h"
#include "logic/logic.h"
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

static const char *json(const struct lval *v)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (!v)
		return "(unknown)";
	if (lval_write_json(&b, v) || buf_error(&b))
		fail_msg("cannot write a value");
	s = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static const char *joined(const char *const *p, size_t n)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, ',');
		buf_adds(&b, p[i]);
	}
	assert_false(buf_error(&b));
	s = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* {"test.even": [n]}: is n an even number (a project operator, as
 * shinsa.in_list is one); throws on anything else. */
static const struct lval *even_eval(struct logic_ctx *x, const void *state,
                                    const struct lval *const *args, size_t n)
{
	(void)state;
	(void)n;
	if (args[0]->type != LV_NUM)
		return logic_ctx_throw(x, "Invalid Arguments");
	return LV_BOOLV((long long)args[0]->u.num % 2 == 0);
}

static const struct logic_project_op even_op = {
	.name = "test.even", .min_args = 1, .max_args = 1, .eval = even_eval,
};
static const struct logic_env env = { .ops = &even_op, .nops = 1 };

struct tcase {
	const char *rule, *data;
	int truth;             /* LOGIC_TRUE / LOGIC_FALSE / LOGIC_UNKNOWN, or -1: it throws */
	const char *value;     /* JSON, or NULL when the value is unknown */
	const char *deciding;  /* comma-separated */
};

#define T LOGIC_TRUE
#define F LOGIC_FALSE
#define U LOGIC_UNKNOWN
#define THROWS -1

static const struct tcase cases[] = {
	/* the two: a comparison with a missing fact is no coerced null... */
	{ "{\"<=\":[{\"var\":\"x\"},1]}", "{}", U, NULL, "x" },
	{ "{\"<=\":[{\"var\":\"x\"},1]}", "{\"x\":null}", U, NULL, "x" },
	{ "{\"<=\":[{\"var\":\"x\"},1]}", "{\"x\":3}", F, "false", "" },
	/* ...and an and that is already false does not wait for the rest */
	{ "{\"and\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":false}", F, "false", "" },
	{ "{\"and\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":true}", U, NULL, "b" },
	{ "{\"and\":[{\"var\":\"b\"},{\"var\":\"a\"}]}", "{\"a\":false}", F, NULL, "" },
	{ "{\"and\":[{\"var\":\"a\"},{\"var\":\"b\"},{\"var\":\"c\"}]}", "{\"b\":true}", U, NULL, "a,c" },
	{ "{\"and\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":1,\"b\":2}", T, "2", "" },
	{ "{\"and\":[]}", "{}", F, "false", "" },
	/* the facts read on the way but not needed are not deciding */
	{ "{\"and\":[{\"or\":[{\"var\":\"b\"},{\"var\":\"c\"}]},{\"var\":\"a\"}]}", "{\"a\":0}", F, NULL, "" },
	{ "{\"or\":[{\"and\":[{\"var\":\"a\"},{\"var\":\"b\"}]},{\"var\":\"c\"}]}", "{\"a\":false}", U, NULL, "c" },
	{ "{\"or\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":true}", T, "true", "" },
	{ "{\"or\":[{\"var\":\"b\"},{\"var\":\"a\"}]}", "{\"a\":\"y\"}", T, NULL, "" },
	{ "{\"or\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":false}", U, NULL, "b" },
	{ "{\"!\":{\"var\":\"x\"}}", "{}", U, NULL, "x" },
	{ "{\"!!\":{\"var\":\"x\"}}", "{}", U, NULL, "x" },
	{ "{\"!\":{\"var\":\"x\"}}", "{\"x\":false}", T, "true", "" },
	{ "{\"!\":{\"or\":[{\"var\":\"x\"},true]}}", "{}", F, "false", "" },
	/* if: known when every branch an unknown test could take agrees */
	{ "{\"if\":[{\"var\":\"c\"},\"yes\",\"yes\"]}", "{}", T, "\"yes\"", "" },
	{ "{\"if\":[{\"var\":\"c\"},1,0]}", "{}", U, NULL, "c" },
	{ "{\"if\":[{\"var\":\"c\"},{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":true,\"b\":true}", T, "true", "" },
	{ "{\"if\":[{\"var\":\"c\"},{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":true}", U, NULL, "c,b" },
	{ "{\"if\":[{\"var\":\"c\"},1,{\"var\":\"d\"},2,3]}", "{\"d\":true}", T, NULL, "" },
	{ "{\"if\":[false,1,{\"var\":\"c\"},0,0]}", "{}", F, "0", "" },
	{ "{\"?:\":[{\"var\":\"c\"},1,2]}", "{\"c\":0}", T, "2", "" },
	/* quantifiers */
	{ "{\"all\":[[{\"var\":\"a\"},{\"var\":\"b\"}],{\"var\":\"\"}]}", "{\"a\":false}", F, "false", "" },
	{ "{\"all\":[[{\"var\":\"a\"},{\"var\":\"b\"}],{\"var\":\"\"}]}", "{\"a\":true}", U, NULL, "b" },
	{ "{\"all\":[[{\"var\":\"b\"},{\"var\":\"a\"}],{\"var\":\"\"}]}", "{\"a\":false}", F, "false", "" },
	{ "{\"some\":[[{\"var\":\"a\"},{\"var\":\"b\"}],{\"var\":\"\"}]}", "{\"b\":true}", T, "true", "" },
	{ "{\"some\":[[{\"var\":\"a\"},{\"var\":\"b\"}],{\"var\":\"\"}]}", "{\"a\":false}", U, NULL, "b" },
	{ "{\"none\":[[{\"var\":\"a\"},{\"var\":\"b\"}],{\"var\":\"\"}]}", "{\"b\":1}", F, "false", "" },
	{ "{\"none\":[[{\"var\":\"a\"},{\"var\":\"b\"}],{\"var\":\"\"}]}", "{\"b\":0}", U, NULL, "a" },
	{ "{\"all\":[{\"var\":\"r\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}", "{}", U, NULL, "r" },
	{ "{\"all\":[{\"var\":\"r\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}", "{\"r\":[\"JP\",\"US\"]}", F, "false", "" },
	{ "{\"all\":[{\"var\":\"r\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}", "{\"r\":[\"JP\"]}", T, "true", "" },
	{ "{\"all\":[{\"var\":\"r\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}", "{\"r\":\"JP\"}", THROWS, NULL, "" },
	/* an item that is null is the item, not a missing fact */
	{ "{\"some\":[{\"var\":\"r\"},{\"==\":[{\"var\":\"\"},null]}]}", "{\"r\":[null]}", T, "true", "" },
	/* a fact read from inside an iteration, a scope up */
	{ "{\"some\":[[1,2],{\"==\":[{\"var\":\"\"},{\"val\":[[2],\"n\"]}]}]}", "{}", U, NULL, "n" },
	{ "{\"some\":[[1,2],{\"==\":[{\"var\":\"\"},{\"val\":[[2],\"n\"]}]}]}", "{\"n\":2}", T, "true", "" },
	/* comparisons */
	{ "{\"==\":[{\"var\":\"m\"},\"saas\"]}", "{}", U, NULL, "m" },
	{ "{\"==\":[{\"var\":\"m\"},\"saas\"]}", "{\"m\":\"saas\"}", T, "true", "" },
	{ "{\"===\":[{\"var\":\"m\"},null]}", "{}", U, NULL, "m" },
	{ "{\"!=\":[{\"var\":\"m\"},{\"var\":\"n\"}]}", "{}", U, NULL, "m,n" },
	{ "{\"<\":[{\"var\":\"m\"},{\"var\":\"n\"}]}", "{\"m\":1}", U, NULL, "n" },
	{ "{\">\":[{\"var\":\"d\"},30]}", "{\"d\":365}", T, "true", "" },
	{ "{\">=\":[{\"var\":\"d\"},30]}", "{}", U, NULL, "d" },
	{ "{\"<\":[[1],5]}", "{}", THROWS, NULL, "" },
	/* between */
	{ "{\"<=\":[0,{\"var\":\"n\"},10]}", "{}", U, NULL, "n" },
	{ "{\"<=\":[0,{\"var\":\"n\"},10]}", "{\"n\":5}", T, "true", "" },
	{ "{\"<=\":[0,{\"var\":\"n\"},10]}", "{\"n\":11}", F, "false", "" },
	{ "{\"<\":[5,1,{\"var\":\"n\"}]}", "{}", F, "false", "" },
	{ "{\"<\":[{\"var\":\"n\"},1,0]}", "{}", F, "false", "" },
	/* in */
	{ "{\"in\":[{\"var\":\"m\"},[\"a\",\"b\"]]}", "{}", U, NULL, "m" },
	{ "{\"in\":[\"JP\",{\"var\":\"r\"}]}", "{}", U, NULL, "r" },
	{ "{\"in\":[\"JP\",[{\"var\":\"a\"},\"JP\"]]}", "{}", T, "true", "" },
	{ "{\"in\":[\"X\",[{\"var\":\"a\"},\"JP\"]]}", "{}", U, NULL, "a" },
	{ "{\"in\":[\"X\",[{\"var\":\"a\"},\"JP\"]]}", "{\"a\":\"Y\"}", F, "false", "" },
	/* arithmetic, cat, substr, merge, max */
	{ "{\"+\":[{\"var\":\"n\"},1]}", "{}", U, NULL, "n" },
	{ "{\">\":[{\"+\":[{\"var\":\"n\"},1]},0]}", "{\"n\":2}", T, "true", "" },
	{ "{\">\":[{\"+\":[{\"var\":\"n\"},{\"var\":\"m\"}]},0]}", "{\"n\":2}", U, NULL, "m" },
	{ "{\"+\":[{\"var\":\"n\"},{\"throw\":\"e\"}]}", "{}", THROWS, NULL, "" },
	{ "{\"max\":[{\"var\":\"n\"},3]}", "{}", U, NULL, "n" },
	{ "{\"cat\":[\"a\",{\"var\":\"s\"}]}", "{}", U, NULL, "s" },
	{ "{\"cat\":[\"a\",{\"var\":\"s\"}]}", "{\"s\":\"b\"}", T, "\"ab\"", "" },
	{ "{\"substr\":[{\"var\":\"s\"},1]}", "{}", U, NULL, "s" },
	{ "{\"merge\":[[1],{\"var\":\"a\"}]}", "{}", T, NULL, "" },
	{ "{\"merge\":[[],{\"var\":\"a\"}]}", "{}", U, NULL, "a" },
	{ "{\"in\":[2,{\"merge\":[[1],[{\"var\":\"a\"}],[2]]}]}", "{}", T, "true", "" },
	{ "{\"merge\":[[1],{\"var\":\"a\"}]}", "{\"a\":[2]}", T, "[1,2]", "" },
	/* missing and missing_some: about absence, so always known */
	{ "{\"missing\":[\"a\",\"b\"]}", "{\"a\":1}", T, "[\"b\"]", "" },
	{ "{\"!\":{\"missing\":[\"a\"]}}", "{}", F, "false", "" },
	{ "{\"if\":[{\"missing\":[\"a\"]},\"ask\",{\"<\":[{\"var\":\"a\"},1]}]}", "{}", T, "\"ask\"", "" },
	{ "{\"missing_some\":[1,[\"a\",\"b\"]]}", "{}", T, "[\"a\",\"b\"]", "" },
	{ "{\"missing_some\":[1,[\"a\",\"b\"]]}", "{\"b\":true}", F, "[]", "" },
	{ "{\"missing\":{\"var\":\"k\"}}", "{}", U, NULL, "k" },
	/* var with a default: the default, also for a null fact */
	{ "{\"var\":[\"x\",5]}", "{}", T, "5", "" },
	{ "{\"var\":[\"x\",5]}", "{\"x\":null}", T, "5", "" },
	{ "{\"<\":[{\"var\":[\"x\",0]},1]}", "{}", T, "true", "" },
	{ "{\"var\":[\"x\",{\"var\":\"y\"}]}", "{}", U, NULL, "y" },
	{ "{\"var\":\"x.y\"}", "{\"x\":{\"y\":false}}", F, "false", "" },
	{ "{\"var\":\"x.y\"}", "{\"x\":null}", U, NULL, "x.y" },
	{ "{\"var\":{\"cat\":[\"x\",{\"var\":\"k\"}]}}", "{}", U, NULL, "k" },
	{ "{\"var\":{\"cat\":[\"x\",{\"var\":\"k\"}]}}", "{\"k\":\"1\"}", U, NULL, "x1" },
	{ "{\"val\":\"x\"}", "{}", U, NULL, "x" },
	{ "{\"val\":[\"a\",\"b\"]}", "{\"a\":{\"b\":true}}", T, "true", "" },
	/* ??: a missing fact, once answered, is not null */
	{ "{\"??\":[{\"var\":\"x\"},5]}", "{}", U, NULL, "x" },
	{ "{\"??\":[{\"var\":\"x\"},{\"var\":\"y\"}]}", "{}", U, NULL, "x" },
	{ "{\"??\":[null,{\"var\":\"x\"}]}", "{}", U, NULL, "x" },
	{ "{\"??\":[null,{\"var\":\"x\"}]}", "{\"x\":0}", F, "0", "" },
	/* (not foreseen: an if's alternatives become one unknown, null or 1) */
	{ "{\"??\":[{\"if\":[{\"var\":\"c\"},null,1]},2]}", "{}", U, NULL, "c" },
	/* exists: about presence, known */
	{ "{\"exists\":\"x\"}", "{}", F, "false", "" },
	{ "{\"exists\":\"x\"}", "{\"x\":null}", T, "true", "" },
	/* a project operator: unknown on an unknown operand, never given null */
	{ "{\"test.even\":[{\"var\":\"n\"}]}", "{}", U, NULL, "n" },
	{ "{\"test.even\":[{\"var\":\"n\"}]}", "{\"n\":4}", T, "true", "" },
	{ "{\"and\":[{\"var\":\"b\"},{\"test.even\":[{\"var\":\"n\"}]}]}", "{\"b\":false}", F, "false", "" },
	{ "{\"test.even\":[\"z\"]}", "{}", THROWS, NULL, "" },
	/* try and throw */
	{ "{\"try\":[{\"var\":\"x\"},1]}", "{}", U, NULL, "x" },
	/* the catching operands read the error; two scopes up is the document */
	{ "{\"try\":[{\"throw\":\"e\"},{\"var\":\"x\"}]}", "{}", F, "null", "" },
	{ "{\"try\":[{\"throw\":\"e\"},{\"val\":[[2],\"x\"]}]}", "{}", U, NULL, "x" },
	{ "{\"try\":[{\"throw\":\"e\"},{\"val\":\"type\"}]}", "{}", T, "\"e\"", "" },
	{ "{\"try\":[{\"if\":[{\"<\":[{\"var\":\"s\"},1]},1,1]},2]}", "{}", U, NULL, "s" },
	{ "{\"throw\":{\"var\":\"x\"}}", "{}", U, NULL, "x" },
	{ "{\"and\":[{\"var\":\"x\"},{\"throw\":\"e\"}]}", "{}", U, NULL, "x" },
	{ "{\"and\":[false,{\"var\":\"x\"},{\"throw\":\"e\"}]}", "{}", F, "false", "" },
	{ "{\"and\":[{\"throw\":\"e\"},{\"var\":\"x\"}]}", "{}", THROWS, NULL, "" },
	/* map, filter, reduce */
	{ "{\"map\":[{\"var\":\"l\"},{\"var\":\"\"}]}", "{}", U, NULL, "l" },
	{ "{\"map\":[[1,{\"var\":\"a\"}],{\"+\":[{\"var\":\"\"},1]}]}", "{}", T, NULL, "" },
	{ "{\"map\":[[1,{\"var\":\"a\"}],{\"+\":[{\"var\":\"\"},1]}]}", "{\"a\":2}", T, "[2,3]", "" },
	{ "{\"filter\":[[1,{\"var\":\"a\"}],{\">\":[{\"var\":\"\"},0]}]}", "{}", T, NULL, "" },
	{ "{\"filter\":[[0,{\"var\":\"a\"}],{\">\":[{\"var\":\"\"},0]}]}", "{}", U, NULL, "a" },
	{ "{\"filter\":[[0,{\"var\":\"a\"}],{\">\":[{\"var\":\"\"},0]}]}", "{\"a\":3}", T, "[3]", "" },
	{ "{\"reduce\":[[1,{\"var\":\"a\"}],{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]}",
	  "{}", U, NULL, "a" },
	{ "{\"reduce\":[{\"var\":\"l\"},{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]}",
	  "{\"l\":[1,2]}", T, "3", "" },
	{ "{\"reduce\":[{\"var\":\"l\"},{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},{\"var\":\"z\"}]}",
	  "{\"l\":[1,2]}", U, NULL, "z" },
	{ "{\"log\":{\"var\":\"x\"}}", "{}", U, NULL, "x" },
	/* a rule that reads nothing missing is the plain answer */
	{ "{\"in\":[\"1.3\",{\"var\":\"tls\"}]}", "{\"tls\":[\"1.2\",\"1.3\"]}", T, "true", "" },
	{ "true", "{}", T, "true", "" },
};

static int mode;   /* 0: as logic_eval3; 1: walked three-valued from the start */

static int eval3(const struct logic_rule *r, const struct lval *data, struct logic_result3 *out)
{
	struct err e;

	if (mode)
		return logic_eval3_root(r->root, data, NULL, &A, 1, out, &e);
	return logic_eval3(&A, r, data, out, &e);
}

static void same3(const char *what, const char *rule, int rc, const struct logic_result3 *a,
                  int rc2, const struct logic_result3 *b)
{
	if (rc != rc2 || a->truth != b->truth || !a->value != !b->value ||
	    (a->value && !lval_deep_eq(a->value, b->value)) ||
	    strcmp(joined(a->deciding, a->ndeciding), joined(b->deciding, b->ndeciding)))
		fail_msg("%s: %s: %d %d %s [%s] vs %d %d %s [%s]", what, rule, rc, a->truth,
		         json(a->value), joined(a->deciding, a->ndeciding), rc2, b->truth, json(b->value),
		         joined(b->deciding, b->ndeciding));
}

static void check_case(const struct tcase *c)
{
	const struct lval *rule = J(c->rule), *data = J(c->data);
	struct logic_rule *r;
	struct logic_result3 out, walked, bound, lane[3];
	struct logic_set *set;
	struct logic_binding *bd;
	struct logic_batch *bt;
	const struct lval *docs[3] = { J("{\"zz\":1}"), data, data };
	const struct lval *rules[2] = { J("{\"var\":\"zz\"}"), rule };
	struct err e;
	size_t failed, k;
	int rc, rc2;

	if (logic_compile_env(&A, rule, NULL, 0, &env, &r, &e))
		fail_msg("%s: %s", c->rule, e.msg);
	rc = eval3(r, data, &out);
	if (c->truth == THROWS) {
		if (rc != ERR_INVALID)
			fail_msg("%s on %s: expected a throw, got %d", c->rule, c->data, out.truth);
		assert_non_null(out.error);
		assert_int_equal(out.truth, LOGIC_UNKNOWN);
	} else {
		if (rc != OK)
			fail_msg("%s on %s: threw %s", c->rule, c->data, logic_error_type(&A, out.error));
		if ((int)out.truth != c->truth)
			fail_msg("%s on %s: truth %d, expected %d", c->rule, c->data, out.truth, c->truth);
		if (!c->value != !out.value || (c->value && !lval_deep_eq(J(c->value), out.value)))
			fail_msg("%s on %s: value %s, expected %s", c->rule, c->data, json(out.value),
			         c->value ? c->value : "(unknown)");
	}
	if (strcmp(joined(out.deciding, out.ndeciding), c->deciding))
		fail_msg("%s on %s: deciding [%s], expected [%s]", c->rule, c->data,
		         joined(out.deciding, out.ndeciding), c->deciding);
	/* every deciding fact is among the missing ones read */
	for (k = 0; k < out.ndeciding; k++) {
		size_t j;

		for (j = 0; j < out.nmissing && strcmp(out.missing[j], out.deciding[k]); j++)
			;
		if (j == out.nmissing)
			fail_msg("%s: deciding %s not among the missing", c->rule, out.deciding[k]);
	}
	if (mode)
		return;
	/* walked from the start, bound in a set, in a batch: the same */
	rc2 = logic_eval3_root(r->root, data, NULL, &A, 1, &walked, &e);
	same3("walked", c->rule, rc, &out, rc2, &walked);
	if (logic_set_compile(&A, rules, 2, NULL, 0, &env, &set, &failed, &e))
		fail_msg("%s in a set: %s", c->rule, e.msg);
	bd = logic_binding_new(&A, set);
	logic_bind(bd, data, &A);
	rc2 = logic_eval3_bound(&A, bd, 1, &bound, &e);
	same3("bound", c->rule, rc, &out, rc2, &bound);
	bt = logic_batch_new(&A, set);
	logic_batch_bind(bt, docs, 3, &A);
	k = logic_batch_eval3(bt, 1, &A, lane);
	assert_int_equal(k, !!lane[0].error + !!lane[1].error + !!lane[2].error);
	same3("batch lane 1", c->rule, rc, &out, lane[1].error ? ERR_INVALID : OK, &lane[1]);
	same3("batch lane 2", c->rule, rc, &out, lane[2].error ? ERR_INVALID : OK, &lane[2]);
}

static void test_cases(void **state)
{
	size_t i;

	(void)state;
	for (mode = 0; mode < 2; mode++)
		for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
			check_case(&cases[i]);
	mode = 0;
}

/* The plain evaluator keeps its semantics: a missing fact compares as null. */
static void test_plain_unchanged(void **state)
{
	struct logic_rule *r;
	struct logic_result res;
	struct err e;

	(void)state;
	assert_int_equal(logic_compile(&A, J("{\"<=\":[{\"var\":\"x\"},1]}"), NULL, 0, &r, &e), OK);
	assert_int_equal(logic_eval(r, J("{}"), &A, &res), OK);
	assert_true(res.value == LV_TRUEV);
	assert_int_equal(res.nmissing, 1);
	assert_int_equal(logic_compile(&A, J("{\"var\":[\"x\",5]}"), NULL, 0, &r, &e), OK);
	assert_int_equal(logic_eval(r, J("{\"x\":null}"), &A, &res), OK);
	assert_true(res.value->type == LV_NULL);
}

/* The error of a rule that throws is named in e. */
static void test_error_message(void **state)
{
	struct logic_rule *r;
	struct logic_result3 out;
	struct err e;

	(void)state;
	assert_int_equal(logic_compile(&A, J("{\"+\":[{\"var\":\"n\"},{\"throw\":\"boom\"}]}"), NULL,
	                               0, &r, &e), OK);
	assert_int_equal(logic_eval3(&A, r, J("{}"), &out, &e), ERR_INVALID);
	assert_string_equal(e.msg, "the rule threw boom");
	assert_int_equal(out.nmissing, 1);
	assert_int_equal(logic_eval3(&A, r, J("{\"n\":1}"), &out, NULL), ERR_INVALID);
}

/* ---------------------------------------------------------------- the property */

/* A small vocabulary: bools, enums of three strings, integers, two of each
 * kind nested one level down. A fact's answers are what the property
 * enumerates when it is removed. */
enum ftype { FB, FE, FI };

static const struct fact {
	const char *path, *key, *parent;   /* parent: NULL at the top */
	enum ftype t;
} facts[] = {
	{ "b0", "b0", NULL, FB }, { "b1", "b1", NULL, FB }, { "g.b2", "b2", "g", FB },
	{ "e0", "e0", NULL, FE }, { "g.e1", "e1", "g", FE },
	{ "i0", "i0", NULL, FI }, { "g.i1", "i1", "g", FI },
};
#define NFACTS (sizeof(facts) / sizeof(*facts))

static const char *const enums[] = { "\"saas\"", "\"paas\"", "\"iaas\"" };
static const int ints[] = { -1, 0, 1, 2, 3, 30, 365 };
static const int lits[] = { 0, 1, 2, 30 };

static uint64_t rng = 0x5111a5a0u;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static void gen(struct buf *b, enum ftype t, int depth);

static void gen_fact(struct buf *b, enum ftype t)
{
	size_t i, k = 0, pick[NFACTS];

	for (i = 0; i < NFACTS; i++)
		if (facts[i].t == t)
			pick[k++] = i;
	i = pick[rnd((uint32_t)k)];
	if (rnd(6) == 0 && !facts[i].parent)
		buf_addf(b, "{\"val\":\"%s\"}", facts[i].path);
	else
		buf_addf(b, "{\"var\":\"%s\"}", facts[i].path);
}

static void gen_lit(struct buf *b, enum ftype t)
{
	if (t == FB)
		buf_adds(b, rnd(2) ? "true" : "false");
	else if (t == FE)
		buf_adds(b, enums[rnd(3)]);
	else
		buf_addf(b, "%d", lits[rnd(4)]);
}

static void gen_list(struct buf *b, enum ftype t, int depth, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		gen(b, t, depth + 1);
	}
	buf_addc(b, ']');
}

static const char *const cmp_ops[] = { "==", "!=", "===", "!==", "<", "<=", ">", ">=" };

/* An expression of type t, typed so that the plain evaluation never throws
 * (a string is never compared with a number, min never meets a bool). */
static void gen(struct buf *b, enum ftype t, int depth)
{
	uint32_t c = depth >= 4 ? rnd(2) : rnd(t == FB ? 14 : 8);
	enum ftype any = (enum ftype)rnd(3);

	if (c == 0) {
		gen_fact(b, t);
		return;
	}
	if (c == 1) {
		gen_lit(b, t);
		return;
	}
	switch (t == FB ? c : c + 20) {
	case 2: case 3:
		buf_addf(b, "{\"%s\":", rnd(2) ? "and" : "or");
		gen_list(b, FB, depth, 1 + rnd(3));
		buf_addc(b, '}');
		return;
	case 4:
		buf_addf(b, "{\"%s\":", rnd(2) ? "!" : "!!");
		gen(b, any, depth + 1);
		buf_addc(b, '}');
		return;
	case 5: case 6:
		/* a comparison of two of one type; equality only for enums and bools */
		if (any == FI) {
			buf_addf(b, "{\"%s\":[", cmp_ops[rnd(8)]);
		} else {
			buf_addf(b, "{\"%s\":[", cmp_ops[rnd(4)]);
		}
		gen(b, any, depth + 1);
		buf_addc(b, ',');
		gen(b, any, depth + 1);
		buf_adds(b, "]}");
		return;
	case 7:
		buf_addf(b, "{\"%s\":[", rnd(2) ? "<" : "<=");
		gen(b, FI, depth + 1);
		buf_addc(b, ',');
		gen(b, FI, depth + 1);
		buf_addc(b, ',');
		gen(b, FI, depth + 1);
		buf_adds(b, "]}");
		return;
	case 8:
		buf_adds(b, "{\"in\":[");
		gen(b, FE, depth + 1);
		buf_addc(b, ',');
		if (rnd(2))
			buf_adds(b, "[\"saas\",\"paas\"]");
		else
			gen_list(b, FE, depth, 1 + rnd(2));
		buf_adds(b, "]}");
		return;
	case 9:
		buf_addf(b, "{\"%s\":[", rnd(3) == 0 ? "all" : rnd(2) ? "some" : "none");
		if (any == FB) {
			gen_list(b, FB, depth, rnd(3));
			buf_adds(b, ",{\"var\":\"\"}]}");
		} else {
			gen_list(b, FI, depth, rnd(3));
			buf_addf(b, ",{\"%s\":[{\"var\":\"\"},", cmp_ops[rnd(8)]);
			if (rnd(2))
				gen_lit(b, FI);
			else
				gen_fact(b, FI);
			buf_adds(b, "]}]}");
		}
		return;
	case 10:
		buf_adds(b, "{\"test.even\":[");
		gen(b, FI, depth + 1);
		buf_adds(b, "]}");
		return;
	case 11:
		buf_adds(b, "{\"!!\":{\"filter\":[");
		gen_list(b, FI, depth, rnd(3));
		buf_addf(b, ",{\">\":[{\"var\":\"\"},%d]}]}}", lits[rnd(4)]);
		return;
	case 12:
		buf_adds(b, "{\"try\":[");
		gen(b, FB, depth + 1);
		buf_addc(b, ',');
		gen(b, FB, depth + 1);
		buf_adds(b, "]}");
		return;
	case 13:
		buf_adds(b, "{\"!!\":{\"merge\":[");
		gen_list(b, FI, depth, rnd(2));
		buf_addc(b, ',');
		gen(b, FI, depth + 1);
		buf_adds(b, "]}}");
		return;
	}
	/* any type: if, ??, log; numbers: arithmetic, min/max, reduce */
	switch (t == FI ? c : c % 5) {
	case 2:
	case 3:
		buf_adds(b, "{\"if\":[");
		gen(b, any, depth + 1);
		buf_addc(b, ',');
		gen(b, t, depth + 1);
		if (rnd(2)) {
			buf_addc(b, ',');
			gen(b, any, depth + 1);
			buf_addc(b, ',');
			gen(b, t, depth + 1);
		}
		buf_addc(b, ',');
		gen(b, t, depth + 1);
		buf_adds(b, "]}");
		return;
	case 4:
		buf_adds(b, "{\"??\":");
		gen_list(b, t, depth, 1 + rnd(2));
		buf_addc(b, '}');
		return;
	case 5:
		buf_addf(b, "{\"%s\":", rnd(3) == 0 ? "-" : rnd(2) ? "+" : "*");
		gen_list(b, FI, depth, 1 + rnd(2));
		buf_addc(b, '}');
		return;
	case 6:
		buf_addf(b, "{\"%s\":", rnd(2) ? "max" : "min");
		gen_list(b, FI, depth, 1 + rnd(2));
		buf_addc(b, '}');
		return;
	case 7:
		buf_adds(b, "{\"reduce\":[");
		gen_list(b, FI, depth, rnd(3));
		buf_adds(b, ",{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},");
		gen(b, FI, depth + 1);
		buf_adds(b, "]}");
		return;
	default:
		buf_adds(b, "{\"log\":");
		gen(b, t, depth + 1);
		buf_addc(b, '}');
	}
}

static void fact_value(struct buf *b, const struct fact *f, int choice)
{
	if (f->t == FB)
		buf_adds(b, choice ? "true" : "false");
	else if (f->t == FE)
		buf_adds(b, enums[choice]);
	else
		buf_addf(b, "%d", ints[choice]);
}

static int answers(const struct fact *f)
{
	return f->t == FB ? 2 : f->t == FE ? 3 : (int)(sizeof(ints) / sizeof(*ints));
}

/* The document: fact i's answer choice[i], or (removed[i]) absent (1) or
 * null (2). */
static const struct lval *document(const int *choice, const int *removed)
{
	struct buf b = BUF_INIT;
	const struct lval *v;
	size_t i, n = 0;
	int nested;

	buf_addc(&b, '{');
	for (nested = 0; nested < 2; nested++) {
		size_t m = 0;

		if (nested) {
			if (n++)
				buf_addc(&b, ',');
			buf_adds(&b, "\"g\":{");
		}
		for (i = 0; i < NFACTS; i++) {
			if (!facts[i].parent != !nested || removed[i] == 1)
				continue;
			if (nested ? m++ : n++)
				buf_addc(&b, ',');
			buf_addf(&b, "\"%s\":", facts[i].key);
			if (removed[i] == 2)
				buf_adds(&b, "null");
			else
				fact_value(&b, &facts[i], choice[i]);
		}
		if (nested)
			buf_addc(&b, '}');
	}
	buf_addc(&b, '}');
	assert_false(buf_error(&b));
	v = J(buf_str(&b));
	buf_free(&b);
	return v;
}

/* Every answer of the removed facts (the others as they are): the plain
 * evaluation must not throw and must give out's truth (and value, when
 * known). Returns how many answers it tried. */
static size_t complete(const char *rule, const struct logic_rule *r, int *choice,
                       const int *removed, size_t i, const struct logic_result3 *out)
{
	struct logic_result res;
	size_t tried = 0;
	int c;

	if (i == NFACTS) {
		const struct lval *doc = document(choice, (const int[NFACTS]){ 0 });

		if (logic_eval(r, doc, &A, &res))
			fail_msg("%s: the plain evaluation threw on a typed document", rule);
		if ((lval_truthy(res.value) ? LOGIC_TRUE : LOGIC_FALSE) != out->truth ||
		    (out->value && !lval_deep_eq(out->value, res.value)))
			fail_msg("%s: three-valued %d %s, but an answer of the removed facts gives %s",
			         rule, out->truth, json(out->value), json(res.value));
		return 1;
	}
	if (!removed[i])
		return complete(rule, r, choice, removed, i + 1, out);
	for (c = 0; c < answers(&facts[i]); c++) {
		choice[i] = c;
		tried += complete(rule, r, choice, removed, i + 1, out);
	}
	return tried;
}

static void test_property(void **state)
{
	size_t iter, decided = 0, unknown = 0, tried = 0;

	(void)state;
	for (iter = 0; iter < 4000; iter++) {
		struct buf b = BUF_INIT;
		int choice[NFACTS], removed[NFACTS], nremoved = 0;
		struct arena_mark m = arena_mark(&A);
		const struct lval *doc;
		struct logic_rule *r;
		struct logic_result3 out, walked;
		struct logic_result plain;
		struct err e;
		size_t i;

		gen(&b, FB, 0);
		assert_false(buf_error(&b));
		if (logic_compile_env(&A, J(buf_str(&b)), NULL, 0, &env, &r, &e))
			fail_msg("%s: %s", buf_str(&b), e.msg);
		for (i = 0; i < NFACTS; i++) {
			choice[i] = (int)rnd((uint32_t)answers(&facts[i]));
			removed[i] = nremoved < 4 && rnd(3) == 0 ? 1 + (int)rnd(2) : 0;
			nremoved += removed[i] != 0;
		}
		doc = document(choice, removed);
		if (logic_eval3(&A, r, doc, &out, &e))
			fail_msg("%s on %s: threw: %s", buf_str(&b), json(doc), e.msg);
		/* the walk agrees with the plain first pass, and with plain on a
		 * complete document */
		assert_int_equal(logic_eval3_root(r->root, doc, NULL, &A, 1, &walked, &e), OK);
		same3("walked", buf_str(&b), OK, &out, OK, &walked);
		if (!nremoved) {
			assert_int_equal(logic_eval(r, doc, &A, &plain), OK);
			assert_true(out.value && lval_deep_eq(out.value, plain.value));
		}
		if (out.truth == LOGIC_UNKNOWN) {
			unknown++;
			if (!out.ndeciding)
				fail_msg("%s on %s: unknown, but decided by no fact", buf_str(&b), json(doc));
		} else {
			decided++;
			assert_int_equal(out.ndeciding, 0);
			tried += complete(buf_str(&b), r, choice, removed, 0, &out);
		}
		buf_free(&b);
		arena_rewind(&A, m);
	}
	/* the generator must exercise both outcomes, and completions */
	print_message("property: %zu decided (%zu answers checked), %zu unknown\n", decided, tried,
	              unknown);
	assert_true(decided > 1000 && unknown > 300 && tried > 5000);
}

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 1 << 16);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_plain_unchanged),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
