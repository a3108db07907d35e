/* Tests for the JSON parser: values, escapes, limits, and error positions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "json.h"

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

	assert_int_equal(json_parse(&A, s, strlen(s), &v, &e), ERR_INVALID);
	if (!strstr(e.msg, msg))
		fail_msg("error for %s was '%s', want '%s'", s, e.msg, msg);
}

static void roundtrip(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	lval_write_json(&b, ok(in));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
	};
	int rc;

	arena_init(&A, 4096);
	rc = cmocka_run_group_tests_name("json", tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
