/* Tests for CSV fields: quoting, doubled quotes, and formulas defused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/buf.h"
#include "render/csv.h"

static void expect(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	csv_field(&b, in);
	assert_int_equal(buf_error(&b), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_fields(void **state)
{
	const char *row[] = { "7-1-2", "a,b", NULL };
	struct buf b = BUF_INIT;

	(void)state;
	expect("適合", "\"適合\"");
	expect("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect(NULL, "\"\"");
	expect("7-1-2", "\"7-1-2\"");
	/* what a spreadsheet would run is text */
	expect("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	expect("+1", "\"'+1\"");
	expect("-2", "\"'-2\"");
	expect("@SUM(A1)", "\"'@SUM(A1)\"");
	expect("\tx", "\"'\tx\"");
	csv_fields(&b, row, 3);
	assert_string_equal(buf_str(&b), "\"7-1-2\",\"a,b\",\"\"\r\n");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_fields) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
