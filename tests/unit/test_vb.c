/* Tests for the value builder: the trees it makes are the JSON the same calls
 * would write, keys keep their order, and misuse is caught. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "logic/vb.h"

static void expect_json(const struct lval *v, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(lval_write_json(&b, v), OK);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_tree(void **state)
{
	struct arena a;
	struct vb b;
	const char *strs[] = { "JP", "日本" };
	const struct lval *m;

	(void)state;
	arena_init(&a, 4096);
	vb_init(&b, &a);
	vb_obj(&b);
	vb_kstr(&b, "policy", "anjo");
	vb_kint(&b, "n", 40);
	vb_kbool(&b, "ok", 0);
	vb_kstr(&b, "none", NULL);
	vb_key(&b, "regions");
	vb_strs(&b, strs, 2);
	vb_key(&b, "findings");
	vb_arr(&b);
	for (int i = 0; i < 20; i++) {   /* past the first growth of a frame */
		vb_obj(&b);
		vb_kint(&b, "i", i);
		vb_end(&b);
	}
	vb_end(&b);
	vb_key(&b, "empty");
	vb_obj(&b);
	vb_end(&b);
	vb_end(&b);
	m = vb_done(&b);
	assert_string_equal(vb_get_str(m, "policy", "?"), "anjo");
	assert_string_equal(vb_get_str(m, "absent", "def"), "def");
	assert_int_equal(vb_get(m, "findings")->n, 20);
	assert_null(vb_get(m, "nothing"));
	assert_null(vb_get(vb_get(m, "n"), "x"));
	expect_json(vb_get(m, "regions"), "[\"JP\",\"日本\"]");
	expect_json(vb_get(m, "empty"), "{}");
	{
		struct buf j = BUF_INIT;

		assert_int_equal(lval_write_json(&j, m), OK);
		assert_non_null(strstr(buf_str(&j),
		                       "{\"policy\":\"anjo\",\"n\":40,\"ok\":false,\"none\":null,\"regions\":"));
		assert_non_null(strstr(buf_str(&j), "{\"i\":19}]"));
		buf_free(&j);
	}
	arena_release(&a);
}

static void test_copy(void **state)
{
	struct arena a;
	struct vb b;
	char s[8] = "before";
	const struct lval *m;

	(void)state;
	arena_init(&a, 4096);
	vb_init(&b, &a);
	vb_arr(&b);
	vb_strdup(&b, s);
	vb_end(&b);
	m = vb_done(&b);
	memcpy(s, "after!", 7);
	assert_string_equal(m->u.arr[0]->u.str, "before");
	arena_release(&a);
}

/* A builder used wrongly aborts in vb_done, naming it (run in a child). */
static void test_misuse(void **state)
{
	struct arena a;
	struct vb b;

	(void)state;
	arena_init(&a, 4096);
	vb_init(&b, &a);
	vb_obj(&b);
	vb_str(&b, "a value without a key");
	vb_end(&b);
	assert_int_equal(b.bad, 1);
	vb_init(&b, &a);
	vb_arr(&b);
	assert_int_equal(b.depth, 1);
	vb_end(&b);
	vb_end(&b);                  /* one end too many */
	assert_int_equal(b.bad, 1);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
