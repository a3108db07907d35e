/* Tests for the positioned YAML tree: line and column of every node,
 * duplicate keys, a NUL byte and invalid UTF-8 where they are, an empty
 * file, anchors refused, the size cap, and the YAML 1.2 core schema. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "policy/ynode.h"

static struct arena A;

static int parse(const char *text, size_t n, struct ynode **y, struct err *e)
{
	err_clear(e);
	return ynode_parse(&A, text, n, y, e);
}

#define PARSE(s, y, e) parse((s), sizeof(s) - 1, (y), (e))

static void test_positions(void **state)
{
	struct ynode *y;
	const struct ynode *v;
	struct err e;

	(void)state;
	assert_int_equal(PARSE("a: 1\nb:\n  - x\n  - 'y'\nc: {d: 安城, e: [1, 2]}\n", &y, &e), OK);
	assert_int_equal(y->kind, YN_MAP);
	assert_int_equal(y->n, 3);
	v = ynode_get(y, "b");
	assert_int_equal(v->kind, YN_SEQ);
	assert_int_equal(v->items[1]->line, 4);
	assert_int_equal(v->items[1]->col, 5);
	assert_true(v->items[1]->quoted);
	assert_false(v->items[0]->quoted);
	v = ynode_get(ynode_get(y, "c"), "d");
	assert_string_equal(v->str, "安城");
	assert_int_equal(v->line, 5);
	assert_int_equal(v->col, 8);
	v = ynode_get(ynode_get(y, "c"), "e");
	assert_int_equal(v->items[1]->col, 19);    /* columns count characters */
	assert_null(ynode_get(y, "zz"));
	assert_null(ynode_get(v, "a"));       /* not a mapping */
}

static void test_duplicate_key(void **state)
{
	struct ynode *y;
	struct err e;

	(void)state;
	assert_int_equal(PARSE("a: 1\nb: 2\na: 3\n", &y, &e), ERR_INVALID);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.col, 1);
	assert_non_null(strstr(e.msg, "duplicate key 'a' (first at line 1)"));
	assert_non_null(strstr(e.msg, "最初は 1 行目"));
}

static void test_nul_and_utf8(void **state)
{
	static const char nul[] = "a: b\n  c: 安\0d\n";
	static const char bad[] = "a: b\nc: x\xff\n";
	struct ynode *y;
	struct err e;

	(void)state;
	assert_int_equal(parse(nul, sizeof(nul) - 1, &y, &e), ERR_INVALID);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 7);      /* in characters: 安 is one */
	assert_non_null(strstr(e.msg, "NUL"));
	assert_int_equal(PARSE(bad, &y, &e), ERR_INVALID);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 5);
	assert_non_null(strstr(e.msg, "invalid UTF-8"));
}

static void test_empty_and_refused(void **state)
{
	struct ynode *y = (struct ynode *)1;
	struct err e;

	(void)state;
	assert_int_equal(PARSE("", &y, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "the file is empty"));
	assert_int_equal(PARSE("# only a comment\n", &y, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(PARSE("a: &x 1\nb: *x\n", &y, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "anchors"));
	assert_int_equal(PARSE("a: 1\n---\nb: 2\n", &y, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "one YAML document"));
	assert_int_equal(PARSE("a: [1, 2\n", &y, &e), ERR_INVALID);
	assert_true(e.line >= 1);
	assert_int_equal(PARSE("? [a]\n: 1\n", &y, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "mapping key"));
}

static void test_caps(void **state)
{
	size_t n = YNODE_MAX_BYTES + 1, i;
	char *big = malloc(n);
	struct buf b = BUF_INIT;
	struct ynode *y;
	struct err e;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(parse(big, n, &y, &e), ERR_TOOLARGE);
	assert_non_null(strstr(e.msg, "8388608"));
	free(big);
	for (i = 0; i < YNODE_MAX_DEPTH + 1; i++)
		buf_addc(&b, '[');
	assert_int_equal(buf_error(&b), OK);
	assert_int_equal(parse(buf_str(&b), b.len, &y, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "nesting too deep"));
	buf_free(&b);
}

static void test_to_lval(void **state)
{
	struct ynode *y;
	const struct lval *v;
	struct err e;

	(void)state;
	assert_int_equal(PARSE("a: null\nb: true\nc: 12\nd: '12'\ne: 1.5\nf: ~\ng: yes\n", &y, &e), OK);
	v = ynode_to_lval(&A, y);
	assert_int_equal(lval_get(v, "a", 1)->type, LV_NULL);
	assert_int_equal(lval_get(v, "b", 1)->type, LV_BOOL);
	assert_int_equal(lval_get(v, "c", 1)->type, LV_NUM);
	assert_int_equal(lval_get(v, "d", 1)->type, LV_STR);
	assert_true(lval_get(v, "e", 1)->u.num == 1.5);
	assert_int_equal(lval_get(v, "f", 1)->type, LV_NULL);
	assert_int_equal(lval_get(v, "g", 1)->type, LV_STR);   /* 1.2: yes is text */
	assert_true(ynode_is_null(ynode_get(y, "f")));
	assert_false(ynode_is_null(ynode_get(y, "g")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_nul_and_utf8),
		cmocka_unit_test(test_empty_and_refused),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_to_lval),
	};
	int rc;

	arena_init(&A, 1 << 16);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
