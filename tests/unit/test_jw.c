/* Tests for the JSON writer: commas, nesting, escaping and null strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "logic/jw.h"

static void test_shapes(void **state)
{
	struct buf b = BUF_INIT;
	struct jw w;
	static const char *xs[] = { "a", "b\"c" };

	(void)state;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "id", "安城");
	jw_kstr(&w, "none", NULL);
	jw_key(&w, "list");
	jw_strs(&w, xs, 2);
	jw_key(&w, "empty");
	jw_arr(&w);
	jw_end_arr(&w);
	jw_key(&w, "nested");
	jw_arr(&w);
	jw_obj(&w);
	jw_key(&w, "n");
	jw_int(&w, -3);
	jw_end_obj(&w);
	jw_bool(&w, 1);
	jw_null(&w);
	jw_end_arr(&w);
	jw_end_obj(&w);
	assert_string_equal(buf_str(&b),
	                    "{\"id\":\"安城\",\"none\":null,\"list\":[\"a\",\"b\\\"c\"],\"empty\":[],"
	                    "\"nested\":[{\"n\":-3},true,null]}");
	buf_free(&b);
}

static void test_top_level_list(void **state)
{
	struct buf b = BUF_INIT;
	struct jw w;

	(void)state;
	jw_init(&w, &b);
	jw_arr(&w);
	jw_obj(&w);
	jw_end_obj(&w);
	jw_obj(&w);
	jw_kstr(&w, "k", "\n");
	jw_end_obj(&w);
	jw_end_arr(&w);
	assert_string_equal(buf_str(&b), "[{},{\"k\":\"\\n\"}]");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_top_level_list),
	};

	return cmocka_run_group_tests_name("jw", tests, NULL, NULL);
}
