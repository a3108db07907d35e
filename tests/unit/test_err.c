/* Tests for error records: codes, messages, prefixes, and truncation at
 * ERR_MSG_MAX without writing past the record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* The record sits between guard bytes on the heap so that ASan and the
 * guard check both catch a write past msg. */
struct guarded {
	struct err e;
	unsigned char guard[32];
};

static struct guarded *guarded_new(void)
{
	struct guarded *g = malloc(sizeof(*g));

	assert_non_null(g);
	memset(g, 0x5A, sizeof(*g));
	err_clear(&g->e);
	return g;
}

static void guarded_check(const struct guarded *g)
{
	size_t i;

	for (i = 0; i < sizeof(g->guard); i++)
		assert_int_equal(g->guard[i], 0x5A);
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_set(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(e.code, OK);
	assert_string_equal(e.msg, "");
	assert_int_equal(err_set(&e, ERR_NOTFOUND, "no app '%s' (%d)", "経費", 3),
			 ERR_NOTFOUND);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_string_equal(e.msg, "no app '経費' (3)");
	err_clear(&e);
	assert_int_equal(e.code, OK);
	assert_string_equal(e.msg, "");
}

static void test_null_record(void **state)
{
	(void)state;
	assert_int_equal(err_set(NULL, ERR_INVALID, "x %d", 1), ERR_INVALID);
	err_prefix(NULL, "file");
	err_clear(NULL);
}

static void test_set_truncates(void **state)
{
	struct guarded *g = guarded_new();
	char *long_msg = repeat('m', ERR_MSG_MAX * 2);

	(void)state;
	err_set(&g->e, ERR_TOOLARGE, "%s", long_msg);
	assert_int_equal(g->e.code, ERR_TOOLARGE);
	assert_int_equal(strlen(g->e.msg), ERR_MSG_MAX - 1);
	assert_memory_equal(g->e.msg, long_msg, ERR_MSG_MAX - 1);
	guarded_check(g);

	/* Exactly the largest message that fits is kept whole. */
	long_msg[ERR_MSG_MAX - 1] = '\0';
	err_set(&g->e, ERR_INVALID, "%s", long_msg);
	assert_string_equal(g->e.msg, long_msg);
	guarded_check(g);
	free(long_msg);
	free(g);
}

static void test_prefix(void **state)
{
	struct err e;

	(void)state;
	err_set(&e, ERR_INVALID, "bad token at %d", 7);
	err_prefix(&e, "%s", "rules.json");
	assert_string_equal(e.msg, "rules.json: bad token at 7");
	assert_int_equal(e.code, ERR_INVALID);
	err_prefix(&e, "line %d", 2);
	assert_string_equal(e.msg, "line 2: rules.json: bad token at 7");

	/* A prefix on an empty message still reads sensibly. */
	err_clear(&e);
	err_prefix(&e, "p");
	assert_string_equal(e.msg, "p: ");
}

static void test_prefix_truncates(void **state)
{
	struct guarded *g = guarded_new();
	char *long_msg = repeat('m', ERR_MSG_MAX - 1);
	char *long_pre = repeat('p', ERR_MSG_MAX * 2);

	(void)state;
	/* A full message: the prefix goes in front and the tail is cut. */
	err_set(&g->e, ERR_INVALID, "%s", long_msg);
	err_prefix(&g->e, "file");
	assert_int_equal(strlen(g->e.msg), ERR_MSG_MAX - 1);
	assert_memory_equal(g->e.msg, "file: mmm", 9);
	assert_int_equal(g->e.msg[ERR_MSG_MAX - 2], 'm');
	guarded_check(g);

	/* A prefix longer than the record: all prefix, still terminated. */
	err_set(&g->e, ERR_INVALID, "short");
	err_prefix(&g->e, "%s", long_pre);
	assert_int_equal(strlen(g->e.msg), ERR_MSG_MAX - 1);
	assert_memory_equal(g->e.msg, long_pre, ERR_MSG_MAX - 1);
	guarded_check(g);

	/* The boundary: prefix and message that just fit, and one more. */
	long_msg[ERR_MSG_MAX - 1 - 3] = '\0';
	err_set(&g->e, ERR_INVALID, "%s", long_msg);
	err_prefix(&g->e, "a");
	assert_int_equal(strlen(g->e.msg), ERR_MSG_MAX - 1);
	assert_int_equal(g->e.msg[ERR_MSG_MAX - 2], 'm');
	err_set(&g->e, ERR_INVALID, "%s", long_msg);
	err_prefix(&g->e, "ab");
	assert_int_equal(strlen(g->e.msg), ERR_MSG_MAX - 1);
	assert_memory_equal(g->e.msg, "ab: m", 5);
	guarded_check(g);
	free(long_msg);
	free(long_pre);
	free(g);
}

static void test_str(void **state)
{
	(void)state;
	assert_string_equal(err_str(OK), "ok");
	assert_string_equal(err_str(ERR_INVALID), "invalid");
	assert_string_equal(err_str(ERR_NOTFOUND), "not found");
	assert_string_equal(err_str(ERR_EXISTS), "exists");
	assert_string_equal(err_str(ERR_FORBIDDEN), "forbidden");
	assert_string_equal(err_str(ERR_TOOLARGE), "too large");
	assert_string_equal(err_str(ERR_IO), "i/o error");
	assert_string_equal(err_str(ERR_INTERNAL), "internal error");
	assert_string_equal(err_str(-100), "unknown error");
	assert_string_equal(err_str(1), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_null_record),
		cmocka_unit_test(test_set_truncates),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prefix_truncates),
		cmocka_unit_test(test_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
