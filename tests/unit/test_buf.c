/* Tests for the capped byte buffer: growth, NUL termination, and appends at
 * and past the cap failing cleanly without touching the contents. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

static void test_empty(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t len = 99;

	(void)state;
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	/* An empty append still gives a string. */
	assert_int_equal(buf_append(&b, NULL, 0), OK);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	buf_free(&b);
}

static void test_append(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "日本"), OK);
	assert_int_equal(buf_putc(&b, '-'), OK);
	assert_int_equal(buf_append(&b, "abc\0def", 7), OK);
	assert_int_equal(b.len, strlen("日本") + 1 + 7);
	assert_memory_equal(b.data, "日本-abc\0def", b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_true(b.cap > b.len);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_growth(void **state)
{
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), OK);
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(buf_str(&b)), 10000);
	for (i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	buf_free(&b);
}

static void test_cap_exact(void **state)
{
	struct buf b;
	char *before;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_append(&b, "0123456789", 10), OK);
	assert_int_equal(b.len, 10);
	assert_string_equal(buf_str(&b), "0123456789");
	before = b.data;
	/* One byte more is refused, and nothing moved or changed. */
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOOLARGE);
	assert_int_equal(b.len, 10);
	assert_ptr_equal(b.data, before);
	assert_string_equal(buf_str(&b), "0123456789");
	assert_int_equal(buf_puts(&b, "yy"), ERR_TOOLARGE);
	assert_int_equal(buf_printf(&b, "%d", 1), ERR_TOOLARGE);
	assert_string_equal(buf_str(&b), "0123456789");
	/* Nothing more is still fine at the cap. */
	assert_int_equal(buf_append(&b, "", 0), OK);
	assert_int_equal(buf_printf(&b, "%s", ""), OK);
	assert_string_equal(buf_str(&b), "0123456789");
	buf_free(&b);
}

static void test_cap_partial(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "abcd"), OK);
	/* Would end at 11: refused whole, not cut to fit. */
	assert_int_equal(buf_puts(&b, "1234567"), ERR_TOOLARGE);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_str(&b), "abcd");
	assert_int_equal(buf_puts(&b, "123456"), OK);
	assert_string_equal(buf_str(&b), "abcd123456");
	buf_free(&b);

	/* A single append larger than the cap, into an empty buffer. */
	buf_init(&b, 3);
	assert_int_equal(buf_puts(&b, "abcd"), ERR_TOOLARGE);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), OK);
	buf_free(&b);
}

static void test_cap_huge_length(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_puts(&b, "x"), OK);
	/* Lengths that would wrap size_t are refused before any copy. */
	assert_int_equal(buf_append(&b, "y", SIZE_MAX), ERR_TOOLARGE);
	assert_int_equal(buf_append(&b, "y", BUF_DEFAULT_MAX), ERR_TOOLARGE);
	assert_int_equal(buf_append(&b, "y", SIZE_MAX - 1), ERR_TOOLARGE);
	assert_int_equal(b.len, 1);
	assert_string_equal(buf_str(&b), "x");
	buf_free(&b);
}

static void test_printf(void **state)
{
	struct buf b;
	char big[600];
	size_t i;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "%s=%d", "n", 42), OK);
	assert_int_equal(buf_printf(&b, ";%05.1f", 2.25), OK);
	assert_string_equal(buf_str(&b), "n=42;002.2");
	assert_int_equal(b.len, strlen("n=42;002.2"));
	/* Longer than the 256-byte stack buffer: formatted in place. */
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(buf_printf(&b, "[%s]", big), OK);
	assert_int_equal(b.len, 10 + sizeof(big) + 1);
	assert_int_equal(b.data[10], '[');
	for (i = 0; i < sizeof(big) - 1; i++)
		assert_int_equal(b.data[11 + i], 'k');
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);

	/* The 255/256 boundary of the stack buffer. */
	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "%255d", 7), OK);
	assert_int_equal(b.len, 255);
	assert_int_equal(buf_printf(&b, "%256d", 7), OK);
	assert_int_equal(b.len, 511);
	assert_int_equal(strlen(buf_str(&b)), 511);
	assert_int_equal(b.data[510], '7');
	buf_free(&b);
}

static void test_printf_cap(void **state)
{
	struct buf b;
	char big[400];

	(void)state;
	buf_init(&b, 300);
	assert_int_equal(buf_puts(&b, "head"), OK);
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(buf_printf(&b, "%s", big), ERR_TOOLARGE);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_str(&b), "head");
	assert_int_equal(buf_printf(&b, "%296s", "t"), OK);
	assert_int_equal(b.len, 300);
	assert_int_equal(buf_printf(&b, "!"), ERR_TOOLARGE);
	assert_int_equal(b.len, 300);
	buf_free(&b);
}

static void test_reset_and_detach(void **state)
{
	struct buf b;
	char *data, *s;
	size_t len;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "hello world");
	data = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_ptr_equal(b.data, data);
	buf_adds(&b, "again");
	assert_ptr_equal(b.data, data);
	s = buf_detach(&b, &len);
	assert_ptr_equal(s, data);
	assert_int_equal(len, 5);
	assert_string_equal(s, "again");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	/* The detached buffer is reusable. */
	assert_int_equal(buf_puts(&b, "x"), OK);
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "x");
	free(s);
	buf_reset(&b);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap_exact),
		cmocka_unit_test(test_cap_partial),
		cmocka_unit_test(test_cap_huge_length),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_cap),
		cmocka_unit_test(test_reset_and_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
