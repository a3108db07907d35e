/* Tests for JavaScript coercions: ToNumber, Number::toString, ToString,
 * truthiness and equality, checked against what V8 prints. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "logic/json.h"
#include "logic/value.h"

static struct arena A;

static void num_fmt(double d, const char *want)
{
	char out[32];

	lval_num_format(d, out);
	if (strcmp(out, want))
		fail_msg("format %.17g: got %s, want %s", d, out, want);
}

static void test_num_format(void **state)
{
	(void)state;
	num_fmt(0, "0");
	num_fmt(-0.0, "0");
	num_fmt(1, "1");
	num_fmt(-42, "-42");
	num_fmt(1.5, "1.5");
	num_fmt(0.1 + 0.2, "0.30000000000000004");
	num_fmt(1e21, "1e+21");
	num_fmt(1e20, "100000000000000000000");
	num_fmt(123456789012345680000.0, "123456789012345680000");
	num_fmt(1e-7, "1e-7");
	num_fmt(0.000001, "0.000001");
	num_fmt(1.5e-10, "1.5e-10");
	num_fmt(9007199254740993.0, "9007199254740992");
	num_fmt(5e-324, "5e-324");
	num_fmt(1.7976931348623157e308, "1.7976931348623157e+308");
	num_fmt(NAN, "NaN");
	num_fmt(-INFINITY, "-Infinity");
	num_fmt(100.25, "100.25");
}

static void to_num(const char *s, double want)
{
	double d = lval_str_to_number(s, strlen(s));

	if (isnan(want) ? !isnan(d) : d != want)
		fail_msg("Number(\"%s\") = %.17g, want %.17g", s, d, want);
}

static void test_to_number(void **state)
{
	(void)state;
	to_num("", 0);
	to_num("  \t\n", 0);
	to_num("42", 42);
	to_num(" 42 ", 42);
	to_num("\xe3\x80\x80" "7" "\xc2\xa0", 7);  /* ideographic space, NBSP */
	to_num("-1.5e2", -150);
	to_num(".5", 0.5);
	to_num("5.", 5);
	to_num("+3", 3);
	to_num("0x1F", 31);
	to_num("0b101", 5);
	to_num("0o17", 15);
	to_num("Infinity", INFINITY);
	to_num("-Infinity", -INFINITY);
	to_num("abc", NAN);
	to_num("1e", NAN);
	to_num("3abc", NAN);
	to_num("inf", NAN);
	to_num("nan", NAN);
	to_num("0x", NAN);
	to_num("-0x10", NAN);
	to_num("1_000", NAN);
	to_num(".", NAN);
	to_num("2024-01-01", NAN);
	assert_true(lval_to_number(LV_NULLV) == 0);
	assert_true(lval_to_number(LV_TRUEV) == 1);
	assert_true(isnan(lval_to_number(lval_arr(&A, 0))));
}

static void to_str(const char *json, const char *want)
{
	const struct lval *v;
	struct buf b = BUF_INIT;
	struct err e;

	assert_int_equal(json_parse(&A, json, strlen(json), &v, &e), OK);
	lval_add_string(&b, v);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_to_string(void **state)
{
	(void)state;
	to_str("null", "null");
	to_str("true", "true");
	to_str("[1,[2,3],null,\"a\"]", "1,2,3,,a");
	to_str("{\"a\":1}", "[object Object]");
	to_str("1e21", "1e+21");
}

static void test_truthy(void **state)
{
	const char *truthy[] = { "1", "-1", "\"0\"", "\" \"", "[0]", "{}", "true" };
	const char *falsy[] = { "0", "\"\"", "[]", "null", "false" };
	const struct lval *v;
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(truthy) / sizeof(*truthy); i++) {
		assert_int_equal(json_parse(&A, truthy[i], strlen(truthy[i]), &v, &e), OK);
		assert_true(lval_truthy(v));
	}
	for (i = 0; i < sizeof(falsy) / sizeof(*falsy); i++) {
		assert_int_equal(json_parse(&A, falsy[i], strlen(falsy[i]), &v, &e), OK);
		assert_false(lval_truthy(v));
	}
	assert_false(lval_truthy(lval_num(&A, NAN)));
}

static void test_equality(void **state)
{
	(void)state;
	assert_true(lval_strict_eq(lval_num(&A, 1), lval_num(&A, 1)));
	assert_false(lval_strict_eq(lval_num(&A, 1), lval_str(&A, "1", 1)));
	assert_false(lval_strict_eq(lval_num(&A, NAN), lval_num(&A, NAN)));
	assert_false(lval_strict_eq(lval_arr(&A, 0), lval_arr(&A, 0)));
	assert_true(lval_strict_eq(lval_str(&A, "日本", 6), lval_str(&A, "日本", 6)));
	assert_true(lval_deep_eq(lval_arr(&A, 0), lval_arr(&A, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_format),
		cmocka_unit_test(test_to_number),
		cmocka_unit_test(test_to_string),
		cmocka_unit_test(test_truthy),
		cmocka_unit_test(test_equality),
	};
	int rc;

	arena_init(&A, 4096);
	rc = cmocka_run_group_tests_name("value", tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
