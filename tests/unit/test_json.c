/* Tests for the JSON parser: values, escapes, limits, and error positions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "logic/json.h"
#include "core/fmt.h"

static struct arena A;

static const struct lval *ok(const char *s)
{
	const struct lval *v = NULL;
	struct err e;

	if (json_parse(&A, s, strlen(s), &v, &e))
		fail_msg("parse of %s failed: %s", s, e.msg);
	return v;
}

static void bad(const char *s, const char *msg)
{
	const struct lval *v;
	struct err e;
	char got[ERR_MSG_MAX + 64];

	assert_int_equal(json_parse(&A, s, strlen(s), &v, &e), ERR_INVALID);
	/* the position is data, beside the message */
	fmt_message(got, sizeof(got), "line %u, column %u: %s", e.line, e.col, e.msg);
	if (!strstr(got, msg))
		fail_msg("error for %s was '%s', want '%s'", s, got, msg);
}

static void roundtrip(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	lval_add_json(&b, ok(in));
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_scalars(void **state)
{
	(void)state;
	assert_int_equal(ok("null")->type, LV_NULL);
	assert_true(ok(" true ")->b);
	assert_false(ok("false")->b);
	assert_true(ok("-0.5e2")->u.num == -50);
	assert_true(ok("12345678901234567890")->u.num == 12345678901234567890.0);
	assert_string_equal(ok("\"a\\u00e9\\ud83d\\ude00\\n\"")->u.str, "a\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_int_equal(ok("\"\\u0000x\"")->n, 2);
}

static void test_containers(void **state)
{
	const struct lval *v;

	(void)state;
	v = ok("{\"a\":[1,2,{\"b\":null}],\"c\":{}}");
	assert_int_equal(v->type, LV_OBJ);
	assert_int_equal(v->n, 2);
	assert_int_equal(lval_get(v, "a", 1)->n, 3);
	assert_null(lval_get(v, "x", 1));
	/* duplicate keys: the last value wins, in the first key's place */
	roundtrip("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}");
	/* big objects are searched through a hash index */
	v = ok("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,"
	       "\"k8\":8,\"k9\":9,\"k10\":10,\"k1\":11}");
	assert_int_equal(v->n, 11);
	assert_true(lval_get(v, "k1", 2)->u.num == 11);
	assert_true(lval_get(v, "k10", 3)->u.num == 10);
	assert_null(lval_get(v, "k11", 3));
	roundtrip("[1, 2.5, \"x\\\"y\", true, null, [], {}]", "[1,2.5,\"x\\\"y\",true,null,[],{}]");
}

static void test_errors(void **state)
{
	(void)state;
	bad("", "line 1, column 1: unexpected end of input");
	bad("[1,]", "line 1, column 4: unexpected character");
	bad("{\"a\" 1}", "line 1, column 6: expected ':'");
	bad("{\n  \"a\": tru\n}", "line 2, column 8: unexpected character");
	bad("\"\xe6\x97\xa5\xe6\x9c\xac\" x", "line 1, column 6: unexpected text after");
	bad("01", "leading zero");
	bad("1.", "digit expected after '.'");
	bad("1e+", "digit expected in exponent");
	bad("\"abc", "unterminated string");
	bad("\"a\tb\"", "control character");
	bad("\"\\x\"", "bad escape");
	bad("\"\\ud800\"", "unpaired surrogate");
	bad("\"\\udc00x\"", "unpaired surrogate");
	bad("\"\\u12g4\"", "four hex digits");
	bad("\"\xc0\x80\"", "invalid UTF-8");
	bad("\"\xed\xa0\x80\"", "invalid UTF-8");
	bad("NaN", "unexpected character");
	bad("{\"a\":1", "unexpected end of input in object");
	bad("[1", "unexpected end of input in array");
	bad("{1:2}", "expected a string key");
}

static void test_depth(void **state)
{
	char deep[2 * JSON_MAX_DEPTH + 8];
	size_t i;

	(void)state;
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		deep[i] = '[';
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		deep[JSON_MAX_DEPTH + i] = ']';
	deep[2 * JSON_MAX_DEPTH] = '\0';
	assert_non_null(ok(deep));
	memmove(deep + 1, deep, strlen(deep) + 1);
	deep[0] = '[';
	memcpy(deep + strlen(deep), "]", 2);
	bad(deep, "nesting too deep");
}

/* Documents parsed through one registry keep short string values once, and
 * are otherwise the values a plain parse gives: keys (now parsed apart from
 * the document), long strings, escapes, duplicate keys and errors alike. */
static void test_shared(void **state)
{
	static const char *docs[] = {
		"{\"region\":\"JP\",\"tls\":[\"1.2\",\"1.3\"],\"name\":\"Sakura Cloud Drive for municipal offices\"}",
		("{\"region\":\"JP\",\"tls\":[\"1.3\"],\"name\":\"Sakura Cloud Drive for municipal offices\","
		 "\"k\\u00e9y\":\"\\u6771\\u4eac\",\"region\":\"US\"}"),
		"{\"tls\":[],\"x\":{\"region\":\"1.3\",\"s\":\"\"}}",
	};
	struct lshapes *reg = lshapes_new(&A);
	const struct lval *v[3], *plain;
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct buf b1 = BUF_INIT, b2 = BUF_INIT;

		assert_int_equal(json_parse_shared(&A, reg, docs[i], strlen(docs[i]), &v[i], &e), OK);
		plain = ok(docs[i]);
		assert_true(lval_deep_eq(v[i], plain));
		lval_add_json(&b1, v[i]);
		lval_add_json(&b2, plain);
		assert_string_equal(buf_str(&b1), buf_str(&b2));
		buf_free(&b1);
		buf_free(&b2);
	}
	/* the later duplicate wins, as in JavaScript */
	assert_string_equal(lval_get(v[1], "region", 6)->u.str, "US");
	assert_string_equal(lval_get(v[1], "k\xc3\xa9y", 4)->u.str, "\xe6\x9d\xb1\xe4\xba\xac");
	/* one copy of "JP" and of "1.3" wherever they appear */
	assert_ptr_equal(lval_get(v[0], "tls", 3)->u.arr[1]->u.str, lval_get(v[1], "tls", 3)->u.arr[0]->u.str);
	assert_ptr_equal(lval_get(v[1], "tls", 3)->u.arr[0]->u.str, lval_get(lval_get(v[2], "x", 1), "region", 6)->u.str);
	/* a long value is each document's own */
	assert_ptr_not_equal(lval_get(v[0], "name", 4)->u.str, lval_get(v[1], "name", 4)->u.str);
	assert_string_equal(lval_get(v[0], "name", 4)->u.str, lval_get(v[1], "name", 4)->u.str);
	assert_int_equal(lval_get(lval_get(v[2], "x", 1), "s", 1)->n, 0);
	/* a failed parse through the registry reports as a plain one does */
	assert_int_equal(json_parse_shared(&A, reg, "{\"a\":\"JP\",\"b\":[1,}", 19, &plain, &e), ERR_INVALID);
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 18);
	assert_string_equal(e.msg, "unexpected character");
}

/* Every object and list block of v lies in [lo, hi), each after the one
 * before it in a walk from the root (*at: the end of the last). */
static void walk_packed(const struct lval *v, const char *lo, const char *hi, const char **at)
{
	const char *p = NULL;
	size_t n = 0;
	uint32_t i;

	assert_int_equal(v->span, 0);   /* only the root says */
	if (v->type == LV_OBJ) {
		p = (const char *)v->u.obj;
		n = sizeof(struct lobj) + v->n * sizeof(struct lval);
	} else if (v->type == LV_ARR && v->n) {
		p = (const char *)v->u.arr;
		n = v->n * (sizeof(struct lval *) + sizeof(struct lval));
	} else if (v->type == LV_STR && v->n > LSHAPES_STR_MAX) {
		assert_true(v->u.str >= hi);   /* strings after the block */
	}
	if (!p)
		return;
	assert_true(p >= lo && p + n <= hi);
	assert_ptr_equal(p, *at);
	*at = p + n;
	for (i = 0; i < v->n; i++)
		walk_packed(v->type == LV_OBJ ? &v->u.obj->v[i] : v->u.arr[i], lo, hi, at);
}

static void test_packed(void **state)
{
	static const char *docs[] = {
		"{\"service\":{\"name\":\"A very long service name that is not kept once\",\"model\":\"saas\"},"
		"\"vendor\":{\"subprocessors\":[{\"country\":\"JP\"},{\"country\":\"US\",\"x\":[[],{}]}]},"
		"\"data\":{\"regions\":[\"JP\"],\"backup\":[]},\"n\":1.5,\"ok\":true,\"none\":null}",
		"[{\"a\":[1,2,{\"b\":\"c\"}]},\"x\",[]]",
		"{}",
	};
	struct lshapes *reg = lshapes_new(&A);
	const struct lval *v, *plain;
	struct lval copy;
	struct err e;
	const char *start = NULL, *at;
	struct buf big = BUF_INIT;
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(json_parse_shared(&A, reg, docs[i], strlen(docs[i]), &v, &e), OK);
		plain = ok(docs[i]);
		assert_true(lval_deep_eq(v, plain));
		assert_int_equal(lval_span(plain, &start), 0);   /* a plain parse is not packed */
		n = lval_span(v, &start);
		assert_true(n > 0 && n % LVAL_SPAN_UNIT == 0);
		copy = *v;   /* the span is the block's, wherever the root is copied */
		copy.span = 0;
		at = start;
		walk_packed(&copy, start, start + n, &at);
		assert_true(at <= start + n && at + LVAL_SPAN_UNIT > start + n);
		copy.span = v->span;
		assert_int_equal(lval_span(&copy, &at), n);
		assert_ptr_equal(at, start);
	}
	/* scalars and an empty list have no block */
	assert_int_equal(json_parse_shared(&A, reg, "[]", 2, &v, &e), OK);
	assert_int_equal(lval_span(v, &start), 0);
	assert_int_equal(json_parse_shared(&A, reg, "\"JP\"", 4, &v, &e), OK);
	assert_int_equal(lval_span(v, &start), 0);
	assert_string_equal(v->u.str, "JP");
	/* a document past what span can say is packed all the same, without one */
	buf_add(&big, "[", 1);
	for (i = 0; i < 50000; i++)
		buf_add(&big, i ? ",[1]" : "[1]", i ? 4 : 3);
	buf_add(&big, "]", 1);
	assert_int_equal(json_parse_shared(&A, reg, buf_str(&big), big.len, &v, &e), OK);
	assert_int_equal(lval_span(v, &start), 0);
	assert_true(lval_deep_eq(v, ok(buf_str(&big))));
	buf_free(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_packed),
	};
	int rc;

	arena_init(&A, 4096);
	rc = cmocka_run_group_tests_name("json", tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
