/* Tests for the JsonLogic engine beyond the public suites: missing-fact
 * tracking, compile errors with their position, limits, and reuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "logic/json.h"
#include "logic/logic.h"
#include "policy/reflist.h"

static struct arena A;

static const struct lval *J(const char *s)
{
	const struct lval *v;
	struct err e;

	if (json_parse(&A, s, strlen(s), &v, &e))
		fail_msg("bad JSON in test: %s: %s", s, e.msg);
	return v;
}

static struct logic_rule *C(const char *rule)
{
	struct logic_rule *r;
	struct err e;

	if (logic_compile(&A, J(rule), NULL, 0, &r, &e))
		fail_msg("compile %s: %s", rule, e.msg);
	return r;
}

/* Evaluate and compare the JSON of the result (or "throw:TYPE"). */
static void expect(const char *rule, const char *data, const char *want)
{
	struct logic_result res;
	struct buf b = BUF_INIT;

	if (logic_eval(C(rule), J(data), &A, &res)) {
		buf_adds(&b, "throw:");
		buf_adds(&b, logic_error_type(&A, res.error));
	} else {
		lval_add_json(&b, res.value);
	}
	if (strcmp(buf_str(&b), want))
		fail_msg("%s on %s: got %s, want %s", rule, data, buf_str(&b), want);
	buf_free(&b);
}

static void missing(const char *rule, const char *data, const char *want)
{
	struct logic_result res;
	struct buf b = BUF_INIT;
	size_t i;

	logic_eval(C(rule), J(data), &A, &res);
	for (i = 0; i < res.nmissing; i++) {
		if (i)
			buf_addc(&b, ',');
		buf_adds(&b, res.missing[i]);
	}
	if (strcmp(buf_str(&b), want))
		fail_msg("%s on %s: missing %s, want %s", rule, data, buf_str(&b), want);
	buf_free(&b);
}

static void compile_error(const char *rule, int code, const char *msg)
{
	struct logic_rule *r;
	struct err e;

	assert_int_equal(logic_compile(&A, J(rule), NULL, 0, &r, &e), code);
	if (strcmp(e.msg, msg))
		fail_msg("%s: error '%s', want '%s'", rule, e.msg, msg);
}

static void test_missing(void **state)
{
	(void)state;
	missing("{\"==\":[{\"var\":\"cert.ismap\"},true]}", "{}", "cert.ismap");
	missing("{\"==\":[{\"var\":\"cert.ismap\"},true]}", "{\"cert\":{\"ismap\":null}}", "cert.ismap");
	missing("{\"==\":[{\"var\":\"cert.ismap\"},true]}", "{\"cert\":{\"ismap\":false}}", "");
	/* short-circuit: b is never read, so it is not missing */
	missing("{\"or\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":true}", "");
	missing("{\"and\":[{\"var\":\"a\"},{\"var\":\"b\"},{\"var\":\"a\"}]}", "{\"a\":1}", "b");
	/* paths read inside an iteration are about list items, not facts */
	missing("{\"all\":[{\"var\":\"data.regions\"},{\"==\":[{\"var\":\"x\"},\"JP\"]}]}",
	        "{\"data\":{\"regions\":[{}]}}", "");
	missing("{\"all\":[{\"var\":\"data.regions\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}", "{}", "data.regions");
	missing("{\"val\":[\"auth\",\"mfa\"]}", "{\"auth\":{}}", "auth.mfa");
	missing("{\"missing\":[\"a\",\"b\"]}", "{\"a\":1}", "b");
	missing("{\"var\":{\"cat\":[\"lo\",\"g.days\"]}}", "{}", "log.days");
	missing("{\"var\":\"\"}", "null", "");
	/* a val that climbs from an iteration to the document reads a fact */
	missing("{\"some\":[[1],{\"==\":[{\"var\":\"\"},{\"val\":[[2],\"n\"]}]}]}", "{}", "n");
	missing("{\"some\":[[{}],{\"==\":[{\"val\":\"n\"},1]}]}", "{}", "");
}

static void test_policy_shapes(void **state)
{
	(void)state;
	/* a missing fact compared with a string is false, never an error */
	expect("{\"==\":[{\"var\":\"service.model\"},\"saas\"]}", "{}", "false");
	expect("{\"!=\":[{\"var\":\"service.model\"},\"saas\"]}", "{}", "true");
	expect("{\"==\":[{\"var\":\"auth.mfa\"},false]}", "{}", "false");
	expect("{\"!=\":[{\"var\":\"auth.mfa\"},false]}", "{}", "true");
	expect("{\"==\":[null,0]}", "null", "true");
	expect("{\">=\":[{\"var\":\"log.retention_days\"},365]}", "{}", "false");
	expect("{\">=\":[{\"var\":\"log.retention_days\"},365]}", "{\"log\":{\"retention_days\":400}}", "true");
	expect("{\"<=\":[1,{\"var\":\"x\"},3]}", "{\"x\":2}", "true");
	expect("{\"<=\":[1,{\"var\":\"x\"},3]}", "{\"x\":4}", "false");
	expect("{\"in\":[\"1.3\",{\"var\":\"tls\"}]}", "{\"tls\":[\"1.2\",\"1.3\"]}", "true");
	expect("{\"in\":[\"AES\",\"AES-256-GCM\"]}", "null", "true");
	expect("{\"some\":[{\"var\":\"r\"},{\"!=\":[{\"var\":\"\"},\"JP\"]}]}", "{\"r\":[\"JP\",\"US\"]}", "true");
	expect("{\"none\":[{\"var\":\"r\"},{\"!=\":[{\"var\":\"\"},\"JP\"]}]}", "{\"r\":[\"JP\"]}", "true");
	expect("{\"all\":[{\"var\":\"r\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}", "{\"r\":[]}", "false");
	/* a literal looked for in each item, as json-logic-js does it */
	expect("{\"some\":[{\"var\":\"alg\"},{\"in\":[\"AES-256\",{\"var\":\"\"}]}]}",
	       "{\"alg\":[\"3DES\",\"AES-256-GCM\"]}", "true");
	expect("{\"some\":[{\"var\":\"alg\"},{\"in\":[\"AES-256-GCM\",{\"var\":\"\"}]}]}",
	       "{\"alg\":[\"AES-256\"]}", "false");
	expect("{\"all\":[{\"var\":\"l\"},{\"in\":[\"JP\",{\"var\":\"\"}]}]}",
	       "{\"l\":[[\"JP\",\"US\"],\"JPN\"]}", "true");
	expect("{\"none\":[{\"var\":\"l\"},{\"in\":[\"1\",{\"var\":\"\"}]}]}", "{\"l\":[1,\"2\"]}", "true");
	expect("{\"<\":[1,{\"var\":\"x\"},3]}", "{\"x\":3}", "false");
	expect("{\"<=\":[1,{\"var\":\"x\"},3]}", "{\"x\":3}", "true");
	expect("{\"var\":\"items.length\"}", "{\"items\":[1,2,3]}", "3");
	expect("{\"var\":[\"a.b\",\"dflt\"]}", "{\"a\":{}}", "\"dflt\"");
	expect("{\"var\":[\"a.b\",\"dflt\"]}", "{\"a\":{\"b\":null}}", "null");
	expect("{\"substr\":[\"日本語テキスト\",-4,2]}", "null", "\"テキ\"");
	expect("{\"substr\":[\"a😀b\",1,2]}", "null", "\"😀\"");
	expect("{\"cat\":[\"安城市\",\"第\",7,\"条\"]}", "null", "\"安城市第7条\"");
	expect("{\"log\":[\"x\"]}", "null", "\"x\"");
	expect("{\"throw\":42}", "null", "throw:42");
	/* an array's items are evaluated, also when they fold to constants */
	expect("[{\"+\":[1,2]},3]", "null", "[3,3]");
	expect("{\"reduce\":[[{\"??\":[1]},{\"*\":[2,2]}],{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]}",
	       "null", "5");
	expect("{\"try\":[{\"throw\":\"E\"},{\"cat\":[\"caught \",{\"val\":\"type\"}]}]}", "null", "\"caught E\"");
}

static void test_compile_errors(void **state)
{
	(void)state;
	compile_error("{\"frob\":[1]}", ERR_NOTFOUND, "frob: unknown operator");
	compile_error("{\"and\":[true,{\"or\":[false,{\"frob\":1}]}]}", ERR_NOTFOUND,
	              "and[1].or[1].frob: unknown operator");
	compile_error("{\"<\":[1]}", ERR_INVALID, "<: too few arguments");
	compile_error("{\"-\":[]}", ERR_INVALID, "-: too few arguments");
	compile_error("{\"if\":5}", ERR_INVALID, "if: arguments must be an array");
	compile_error("{\"map\":[null,1]}", ERR_INVALID, "map: the first argument must be a list");
	compile_error("{\"all\":[[1]]}", ERR_INVALID, "all: needs a list and an expression");
	compile_error("[1,{\"x\":2}]", ERR_NOTFOUND, "[1].x: unknown operator");
	/* an object with two keys is data, not an operation */
	expect("{\"a\":1,\"b\":2}", "null", "{\"a\":1,\"b\":2}");
	expect("{\"preserve\":{\"frob\":1}}", "null", "{\"frob\":1}");
}

static void test_lenient(void **state)
{
	struct logic_rule *r;
	struct logic_result res;
	struct err e;

	(void)state;
	assert_int_equal(logic_compile(&A, J("{\"try\":[{\"frob\":1},7]}"), NULL, LOGIC_LENIENT, &r, &e), OK);
	assert_int_equal(logic_eval(r, LV_NULLV, &A, &res), OK);
	assert_true(res.value->u.num == 7);
	assert_int_equal(logic_compile(&A, J("{\"if\":5}"), NULL, LOGIC_LENIENT, &r, &e), OK);
	assert_int_equal(logic_eval(r, LV_NULLV, &A, &res), ERR_INVALID);
	assert_string_equal(logic_error_type(&A, res.error), "Invalid Arguments");
}

static void test_limits(void **state)
{
	struct logic_limits lim = { 3, 10 };
	struct logic_rule *r;
	struct err e;

	(void)state;
	assert_int_equal(logic_compile(&A, J("{\"!\":{\"!\":{\"!\":true}}}"), &lim, 0, &r, &e), OK);
	assert_int_equal(logic_compile(&A, J("{\"!\":{\"!\":{\"!\":{\"!\":true}}}}"), &lim, 0, &r, &e),
	                 ERR_TOOLARGE);
	assert_non_null(strstr(e.msg, "nested too deeply"));
	assert_int_equal(logic_compile(&A, J("[1,2,3,4,5,6,7,8,9,10,11]"), &lim, 0, &r, &e), ERR_TOOLARGE);
	assert_non_null(strstr(e.msg, "rule too large"));
}

/* One compiled rule, many evaluations, memory given back each time. */
static void test_reuse(void **state)
{
	struct logic_rule *r = C("{\"map\":[{\"var\":\"xs\"},{\"*\":[{\"var\":\"\"},2]}]}");
	const struct lval *d1 = J("{\"xs\":[1,2,3]}"), *d2 = J("{\"xs\":[5]}");
	struct logic_result res;
	struct arena ev;
	size_t i, total = 0;

	(void)state;
	arena_init(&ev, 4096);
	for (i = 0; i < 10000; i++) {
		struct arena_mark m = arena_mark(&ev);

		assert_int_equal(logic_eval(r, i & 1 ? d1 : d2, &ev, &res), OK);
		assert_int_equal(res.value->n, i & 1 ? 3 : 1);
		arena_rewind(&ev, m);
		if (i == 10)
			total = ev.total;
	}
	assert_int_equal(ev.total, total);
	arena_release(&ev);
}

/* A small stand-in for the CRYPTREC list: the matching, not the list, is tested. */
static const char *entries[] = { "AES", "Camellia", "GCM", "CBC", "SHA-256", "SHA-384",
	"SHA-512/256", "ChaCha20-Poly1305", "ECDH", "RSA-PSS", "RSA-OAEP", "HMAC" };
static const char *afrom[] = { "ECDHE", "RSA", "SHA2-256", "SHA-1", "3DES", "AES-GCM" };
static const char *ato[] = { "ECDH", "RSA-PSS", "SHA-256", "SHA-1", "TDEA", "AES" };
static const char *noise[] = { "TLS", "WITH" };

static void test_reflist(void **state)
{
	struct reflist l = { "test.list", "unit test", entries, 12, afrom, ato, 6, noise, 2, NULL, NULL, NULL, 0 };
	struct reflist_index *x = reflist_index(&A, &l);
	const struct reflist_index *lists[] = { x };
	struct reflist_env re;
	const struct logic_env *env = &re.env;
	struct logic_rule *r;
	struct logic_result res;
	struct err e;
	const char *bad;
	size_t i;
	static const char *good[] = { "AES", "aes-256-gcm", "AES256-GCM", "AES_128_CBC",
		"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "ChaCha20-Poly1305",
		"ECDHE-RSA-AES256-GCM-SHA384", "RSA 2048", "SHA-512/256", "sha2-256", "HMAC-SHA256",
		"Camellia-256-CBC" };
	static const char *badnames[] = { "3DES", "RC4", "SHA-1", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
		"MD5", "DES-CBC", "", "AES-256-XEX", "256" };

	(void)state;
	reflist_env_init(&re, lists, 1);
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		if (!reflist_place(&A, x, good[i], strlen(good[i]), &bad))
			fail_msg("'%s' not placed (at '%s')", good[i], bad);
	for (i = 0; i < sizeof(badnames) / sizeof(*badnames); i++)
		if (reflist_place(&A, x, badnames[i], strlen(badnames[i]), NULL))
			fail_msg("'%s' placed", badnames[i]);

	assert_int_equal(logic_compile_env(&A, J("{\"shinsa.in_list\":[{\"var\":\"a\"},\"test.list\"]}"),
	                                   NULL, 0, env, &r, &e), OK);
	assert_int_equal(logic_eval(r, J("{\"a\":[\"AES-256-GCM\",\"SHA-256\"]}"), &A, &res), OK);
	assert_true(res.value == LV_TRUEV);
	assert_int_equal(res.nnotes, 0);
	assert_int_equal(logic_eval(r, J("{\"a\":[\"AES-256-GCM\",\"3DES\"]}"), &A, &res), OK);
	assert_true(res.value == LV_FALSEV);
	assert_int_equal(res.nnotes, 1);
	assert_non_null(strstr(res.notes[0], "'3DES'"));
	assert_int_equal(logic_eval(r, J("{\"a\":[]}"), &A, &res), OK);
	assert_true(res.value == LV_FALSEV);
	assert_int_equal(logic_eval(r, J("{}"), &A, &res), OK);
	assert_true(res.value == LV_FALSEV);
	assert_int_equal(res.nmissing, 1);
	assert_int_equal(logic_compile_env(&A, J("{\"shinsa.in_list\":[[\"AES\"],\"no.such\"]}"),
	                                   NULL, 0, env, &r, &e), ERR_NOTFOUND);
	assert_string_equal(e.msg, "shinsa.in_list: unknown reference list");
	assert_int_equal(logic_compile(&A, J("{\"shinsa.in_list\":[[\"AES\"],\"test.list\"]}"),
	                               NULL, 0, &r, &e), ERR_NOTFOUND);
}

/* Rule sets: every rule against every document, alone (logic_eval) and
 * through one bound set (logic_eval_bound), must give the same value or
 * error and the same missing paths. The documents share shapes through one
 * registry and differ in which members they have and of what type, so the
 * binding's shape caches hit, miss and collide; the rules cover the
 * specialised fact-versus-literal forms with every type on either side. */
static const char *set_rules[] = {
	"{\"==\":[{\"var\":\"a.s\"},\"JP\"]}",
	"{\"===\":[{\"var\":\"a.s\"},\"JP\"]}",
	"{\"!=\":[{\"var\":\"a.s\"},\"JP\"]}",
	"{\"!==\":[{\"var\":[\"a.s\",\"JP\"]},\"JP\"]}",
	"{\"<\":[{\"var\":\"a.s\"},\"M\"]}",
	"{\"==\":[{\"var\":\"a.n\"},1]}",
	"{\">=\":[{\"var\":[\"a.n\",0]},2]}",
	"{\"==\":[{\"var\":\"a.b\"},false]}",
	"{\"!=\":[{\"var\":\"a.b\"},true]}",
	"{\"<=\":[{\"var\":\"a.b\"},true]}",
	"{\"==\":[{\"var\":\"a.n\"},\"1\"]}",
	"{\"==\":[{\"var\":\"a.z\"},null]}",
	"{\"in\":[{\"var\":\"a.s\"},[\"JP\",\"US\",1]]}",
	"{\"in\":[{\"var\":\"a.n\"},[\"1\",1]]}",
	"{\"in\":[{\"var\":\"a.s\"},\"JPN\"]}",
	"{\"some\":[{\"var\":[\"a.l\",[]]},{\"==\":[{\"var\":\"\"},\"JP\"]}]}",
	"{\"all\":[{\"var\":\"a.l\"},{\"in\":[{\"var\":\"\"},[\"JP\",\"US\"]]}]}",
	"{\"none\":[{\"var\":\"o\"},{\"==\":[{\"var\":\"s\"},\"JP\"]}]}",
	"{\"and\":[{\"var\":\"a.b\"},{\"==\":[{\"var\":\"a.s\"},\"JP\"]}]}",
	"{\"if\":[{\"var\":\"a.b\"},{\"var\":\"a.n\"},{\"var\":[\"c.d.e\",7]}]}",
	"{\"var\":\"a.l.1\"}",
	"{\"var\":\"a.s.length\"}",
	"{\"var\":\"a.l.length\"}",
	"{\"missing\":[\"a.s\",\"a.n\",\"c.d.e\"]}",
	"{\"try\":[{\"throw\":\"E\"},{\"var\":\"type\"}]}",
	"{\"map\":[{\"var\":\"a.l\"},{\"cat\":[{\"var\":\"\"},{\"var\":\"a.s\"}]}]}",
	"{\"==\":[{\"var\":\"a\"},{\"var\":\"a\"}]}",
	/* a fact between two numbers */
	"{\"<=\":[1,{\"var\":\"a.n\"},2]}",
	"{\"<\":[0,{\"var\":\"a.n\"},2]}",
	"{\"<=\":[1,{\"var\":[\"a.n\",1]},1]}",
	"{\"<\":[1,{\"var\":\"a.s\"},3]}",
	"{\"<=\":[0.5,{\"var\":\"c.d.e\"},1e301]}",
	/* a literal looked for in a fact */
	"{\"in\":[\"JP\",{\"var\":\"a.l\"}]}",
	"{\"in\":[\"P\",{\"var\":\"a.s\"}]}",
	"{\"in\":[\"1\",{\"var\":\"a.n\"}]}",
	"{\"in\":[\"\",{\"var\":\"a.s\"}]}",
	"{\"some\":[{\"var\":[\"a.l\",[]]},{\"in\":[\"J\",{\"var\":\"\"}]}]}",
	"{\"all\":[{\"var\":\"a.l\"},{\"in\":[\"JP\",{\"var\":\"\"}]}]}",
};

static const char *set_docs[] = {
	"{\"a\":{\"s\":\"JP\",\"n\":1,\"b\":true,\"l\":[\"JP\",\"US\"]},\"c\":{\"d\":{\"e\":5}}}",
	"{\"a\":{\"s\":\"US\",\"n\":2,\"b\":false,\"l\":[]},\"o\":[{\"s\":\"JP\"}]}",
	"{\"a\":{\"n\":\"1\",\"b\":null,\"l\":\"JP\"},\"c\":{\"d\":null}}",
	"{\"a\":{\"s\":1,\"n\":true,\"b\":\"true\",\"z\":null}}",
	"{\"a\":{\"s\":\"\",\"n\":0,\"b\":0,\"l\":[1,\"JP\",null]},\"c\":5}",
	"{\"a\":{\"s\":[\"JP\"],\"n\":[1],\"b\":{}},\"c\":{\"d\":{\"e\":null}}}",
	"{\"a\":null,\"c\":{\"d\":{\"e\":\"x\"}},\"o\":[{\"s\":\"US\"},{}]}",
	"{\"a\":\"JP\"}",
	"{\"a\":[5,6]}",
	"{}",
	"null",
	"[1,2]",
	"{\"a\":{\"s\":\"東京\",\"n\":1e300,\"l\":[\"JP\",\"JP\"]}}",
};

static void outcome(struct buf *b, int rc, const struct logic_result *res)
{
	size_t i;

	if (rc) {
		buf_adds(b, "throw:");
		buf_adds(b, logic_error_type(&A, res->error));
	} else {
		lval_add_json(b, res->value);
	}
	for (i = 0; i < res->nmissing; i++)
		buf_addf(b, " missing:%s", res->missing[i]);
}

static void test_rule_sets(void **state)
{
	size_t nr = sizeof(set_rules) / sizeof(*set_rules), nd = sizeof(set_docs) / sizeof(*set_docs);
	const struct lval *rules[sizeof(set_rules) / sizeof(*set_rules)];
	struct lshapes *reg = lshapes_new(&A);
	struct logic_set *set;
	struct logic_binding *b;
	struct err e;
	size_t i, j, bad, pass;

	(void)state;
	for (i = 0; i < nr; i++)
		rules[i] = J(set_rules[i]);
	assert_int_equal(logic_set_compile(&A, rules, nr, NULL, 0, NULL, &set, &bad, &e), OK);
	assert_int_equal(logic_set_size(set), nr);
	b = logic_binding_new(&A, set);
	/* twice over, so that the second pass meets shapes the caches know */
	for (pass = 0; pass < 2; pass++)
		for (j = 0; j < nd; j++) {
			const struct lval *doc;

			if (json_parse_shared(&A, reg, set_docs[j], strlen(set_docs[j]), &doc, &e))
				fail_msg("bad JSON in test: %s", e.msg);
			logic_bind(b, doc, &A);
			for (i = 0; i < nr; i++) {
				struct logic_result r1, r2;
				struct buf b1 = BUF_INIT, b2 = BUF_INIT;

				outcome(&b1, logic_eval(logic_set_rule(set, i), doc, &A, &r1), &r1);
				outcome(&b2, logic_eval_bound(b, i, &A, &r2), &r2);
				if (strcmp(buf_str(&b1), buf_str(&b2)))
					fail_msg("%s on %s: alone %s, in the set %s", set_rules[i], set_docs[j],
					         buf_str(&b1), buf_str(&b2));
				buf_free(&b1);
				buf_free(&b2);
			}
		}
	/* a compile error names the rule at fault */
	rules[1] = J("{\"frob\":[1]}");
	assert_int_equal(logic_set_compile(&A, rules, nr, NULL, 0, NULL, &set, &bad, &e), ERR_NOTFOUND);
	assert_int_equal(bad, 1);
}

/* Batches: every rule over every document at once must give, lane by lane,
 * what logic_eval gives alone (value or error, missing paths in order,
 * notes). Beside the rule-set rules, these exercise the batch's own forms:
 * and/or/if narrowing the lanes (so a lane that decided must not note the
 * facts of the arguments it skipped), !, comparisons of two expressions,
 * throws part-way, forms without arguments, and an argument list that is
 * not a list (kept by LOGIC_LENIENT to throw when evaluated). */
static const char *batch_rules[] = {
	"{\"and\":[{\"var\":\"a.b\"},{\"var\":\"a.n\"},{\"var\":\"c.d.e\"}]}",
	"{\"or\":[{\"var\":\"a.b\"},{\"==\":[{\"var\":\"a.s\"},\"US\"]},{\"var\":\"o\"}]}",
	"{\"and\":[]}",
	"{\"or\":[]}",
	"{\"and\":{\"var\":\"a.l\"}}",
	"{\"if\":[]}",
	"{\"if\":[{\"var\":\"a.b\"}]}",
	"{\"if\":[{\"var\":\"a.b\"},\"yes\"]}",
	"{\"if\":[{\"==\":[{\"var\":\"a.s\"},\"JP\"]},1,{\"==\":[{\"var\":\"a.s\"},\"US\"]},2,"
	"{\"var\":\"a.n\"},3,{\"var\":[\"c.d.e\",4]}]}",
	"{\"!\":[]}",
	"{\"!!\":[{\"var\":\"a.l\"}]}",
	"{\"!\":{\"var\":\"a.z\"}}",
	"{\"<\":[{\"+\":[{\"var\":\"a.n\"},1]},{\"var\":\"c.d.e\"}]}",
	"{\"==\":[{\"var\":\"a.l\"},{\"var\":\"a.s\"}]}",
	"{\"<\":[{\"var\":\"a.l\"},{\"var\":\"a.n\"}]}",
	"{\"and\":[{\"<\":[{\"var\":\"a.b\"},{\"var\":\"a.l\"}]},{\"var\":\"c\"}]}",
	"{\"if\":[{\"some\":[{\"var\":\"a.l\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]},{\"var\":\"a.s\"},"
	"{\"throw\":\"no list\"}]}",
	"{\"or\":[{\"!\":[{\"var\":\"a.b\"}]},{\"missing_some\":[1,[\"a.s\",\"a.n\",\"o\"]]}]}",
	"{\"and\":[{\"var\":\"a.n\"},{\"try\":[{\"/\":[1,{\"var\":\"a.s\"}]},0]}]}",
	"{\"?:\":[{\"var\":\"a.b\"},{\"cat\":[{\"var\":\"a.s\"},\"!\"]},{\"substr\":[{\"var\":\"a.s\"},1]}]}",
	"{\"in\":[\"J\",{\"var\":[\"a.s\",\"\"]}]}",
	"{\"val\":[\"a\",\"n\"]}",
	"{\"var\":{\"cat\":[\"a.\",\"s\"]}}",
};

static void batch_outcome(struct buf *b, const struct logic_result *res)
{
	size_t i;

	outcome(b, res->value ? OK : ERR_INVALID, res);
	for (i = 0; i < res->nnotes; i++)
		buf_addf(b, " note:%s", res->notes[i]);
}

static void test_batches(void **state)
{
	size_t ns = sizeof(set_rules) / sizeof(*set_rules), nb = sizeof(batch_rules) / sizeof(*batch_rules);
	size_t nr = ns + nb, nd = sizeof(set_docs) / sizeof(*set_docs);
	const struct lval *rules[sizeof(set_rules) / sizeof(*set_rules) + sizeof(batch_rules) / sizeof(*batch_rules)];
	const struct lval *docs[2 * LOGIC_BATCH];
	const char *text[2 * LOGIC_BATCH];
	struct lshapes *reg = lshapes_new(&A);
	struct logic_result res[LOGIC_BATCH];
	struct logic_set *set;
	struct logic_batch *bt;
	struct err e;
	size_t i, k, bad, pass, n;

	(void)state;
	for (i = 0; i < nr; i++)
		rules[i] = J(i < ns ? set_rules[i] : batch_rules[i - ns]);
	/* lenient: the spread "and" is kept, to throw at run time */
	assert_int_equal(logic_set_compile(&A, rules, nr, NULL, LOGIC_LENIENT, NULL, &set, &bad, &e), OK);
	/* more documents than a batch holds, each one again and again, so the
	 * lanes differ from their neighbours and the shape caches are reused */
	for (k = 0; k < 2 * LOGIC_BATCH; k++) {
		text[k] = set_docs[(k * 5) % nd];
		if (json_parse_shared(&A, reg, text[k], strlen(text[k]), &docs[k], &e))
			fail_msg("bad JSON in test: %s", e.msg);
	}
	bt = logic_batch_new(&A, set);
	for (pass = 0; pass < 3; pass++) {
		/* a full batch (the rest ignored), a short one, a batch of one */
		size_t from = pass == 1 ? 7 : 0, want = pass == 0 ? 2 * LOGIC_BATCH : pass == 1 ? 13 : 1;

		logic_batch_bind(bt, docs + from, want, &A);
		n = logic_batch_size(bt);
		assert_int_equal(n, want < LOGIC_BATCH ? want : LOGIC_BATCH);
		for (i = 0; i < nr; i++) {
			size_t thrown = logic_batch_eval(bt, i, &A, res), alone_thrown = 0;

			for (k = 0; k < n; k++) {
				struct logic_result r1;
				struct buf b1 = BUF_INIT, b2 = BUF_INIT;

				alone_thrown += logic_eval(logic_set_rule(set, i), docs[from + k], &A, &r1) != OK;
				batch_outcome(&b1, &r1);
				batch_outcome(&b2, &res[k]);
				if (strcmp(buf_str(&b1), buf_str(&b2)))
					fail_msg("%s on %s (lane %zu of %zu): alone %s, in a batch %s",
					         i < ns ? set_rules[i] : batch_rules[i - ns], text[from + k], k, n,
					         buf_str(&b1), buf_str(&b2));
				buf_free(&b1);
				buf_free(&b2);
			}
			assert_int_equal(thrown, alone_thrown);
			/* the values again: the same, and every lane with more to say is named */
			{
				uint64_t more = 0;
				const struct lval *const *out = logic_batch_values(bt, i, &A, &more);

				for (k = 0; k < n; k++) {
					struct logic_result r2;
					struct buf b1 = BUF_INIT, b2 = BUF_INIT;

					if (res[k].value)
						assert_true(out[k] && lval_deep_eq(out[k], res[k].value));
					else
						assert_null(out[k]);
					if (!res[k].value || res[k].nmissing || res[k].nnotes)
						assert_true(more >> k & 1);
					logic_batch_result(bt, k, &r2);
					if (k % 2)   /* asked again: the same */
						logic_batch_result(bt, k, &r2);
					assert_ptr_equal(r2.value, out[k]);
					batch_outcome(&b1, &res[k]);
					batch_outcome(&b2, &r2);
					assert_string_equal(buf_str(&b1), buf_str(&b2));
					buf_free(&b1);
					buf_free(&b2);
				}
				if (n < 64)
					assert_int_equal(more >> n, 0);
			}
		}
	}
}

/* A rule nested deeper than the batch walks by lanes runs lane by lane, with
 * the same results. */
static void test_batch_deep(void **state)
{
	struct logic_limits lim = { 200, 10000 };
	struct buf rule = BUF_INIT;
	const struct lval *r, *docs[3];
	struct logic_set *set;
	struct logic_batch *bt;
	struct logic_result res[3], r1;
	struct err e;
	size_t i, bad;

	(void)state;
	for (i = 0; i < 100; i++)
		buf_adds(&rule, "{\"!\":[");
	buf_adds(&rule, "{\"var\":\"a.b\"}");
	for (i = 0; i < 100; i++)
		buf_adds(&rule, "]}");
	r = J(buf_str(&rule));
	assert_int_equal(logic_set_compile(&A, &r, 1, &lim, 0, NULL, &set, &bad, &e), OK);
	docs[0] = J("{\"a\":{\"b\":true}}");
	docs[1] = J("{}");
	docs[2] = J("{\"a\":{\"b\":0}}");
	bt = logic_batch_new(&A, set);
	logic_batch_bind(bt, docs, 3, &A);
	assert_int_equal(logic_batch_eval(bt, 0, &A, res), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(logic_eval(logic_set_rule(set, 0), docs[i], &A, &r1), OK);
		assert_true(lval_deep_eq(r1.value, res[i].value));
		assert_int_equal(r1.nmissing, res[i].nmissing);
	}
	assert_true(res[0].value == LV_TRUEV && res[2].value == LV_FALSEV);
	assert_int_equal(res[1].nmissing, 1);
	assert_string_equal(res[1].missing[0], "a.b");
	buf_free(&rule);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_policy_shapes),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_reflist),
		cmocka_unit_test(test_rule_sets),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_batch_deep),
	};
	int rc;

	arena_init(&A, 1 << 16);
	rc = cmocka_run_group_tests_name("logic", tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
