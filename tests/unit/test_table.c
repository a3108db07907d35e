/* Tests for terminal tables: lines break where a Japanese reader accepts it
 * (never inside a fact name or a value, never 。 at a line's start or 「 at
 * its end), and a table fits the width it is given. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"
#include "core/utf8.h"

/* s broken to width, lines joined with "|". */
static char *wrap(const char *s, size_t width)
{
	static char out[4096];
	size_t o = 0, used, skip, k;

	while (*s) {
		k = table_line(s, width, &used, &skip);
		assert_true(used <= width || table_min_width(s) > width);
		if (o)
			out[o++] = '|';
		memcpy(out + o, s, k);
		o += k;
		s += k + skip;
		assert_true(k + skip > 0);
	}
	out[o] = '\0';
	return out;
}

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(wrap("the quick brown fox", 10), "the quick|brown fox");
	assert_string_equal(wrap("a  b", 2), "a|b");
	assert_string_equal(wrap("line one\nline two", 40), "line one|line two");
	assert_string_equal(wrap("short", 0), "short");
	/* a fact name stays whole even when a character boundary would fit */
	assert_string_equal(wrap("未回答: contract.recovery_terms", 26), "未回答:|contract.recovery_terms");
	assert_string_equal(wrap("contract.recovery_terms = false、log.retention_days = 30", 34),
	                    "contract.recovery_terms = false、|log.retention_days = 30");
}

static void test_kinsoku(void **state)
{
	const char *s = "アカウントを削除したか。確認済";
	char *w;

	(void)state;
	w = wrap(s, 12);
	assert_string_equal(w, "アカウントを|削除したか。|確認済");
	/* 10 columns would put 。 at a line's start: か moves down with it */
	assert_string_equal(wrap("削除したか。", 10), "削除した|か。");
	assert_string_equal(wrap("ISMAP（クラウドサービス）", 12), "ISMAP（クラ|ウドサービ|ス）");
	/* 「 never ends a line */
	w = wrap("規定「利用者」", 6);
	assert_null(strstr(w, "「|"));
	assert_null(strstr(w, "|」"));
	assert_null(strstr(wrap("あいう、えお", 6), "|、"));
}

static void test_runs(void **state)
{
	(void)state;
	assert_int_equal(table_min_width("read contract.recovery_terms"), 23);
	assert_int_equal(table_min_width("日本語の文"), 2);
	assert_int_equal(table_min_width("した。"), 4);
	/* a list of values parts after a comma, never inside a value */
	assert_string_equal(wrap("x = [\"TLS_AES_128_GCM_SHA256\",\"TLS_AES_256_GCM_SHA384\"]", 30),
	                    "x = [\"TLS_AES_128_GCM_SHA256\",|\"TLS_AES_256_GCM_SHA384\"]");
	/* a run wider than the column is cut only because nothing else fits */
	assert_string_equal(wrap("abcdefghij", 4), "abcd|efgh|ij");
}

static char *print(const struct table *t)
{
	static char out[8192];
	FILE *f = tmpfile();
	size_t k;

	table_print(t, f);
	rewind(f);
	k = fread(out, 1, sizeof(out) - 1, f);
	out[k] = '\0';
	fclose(f);
	return out;
}

static void test_fit(void **state)
{
	const char *head[] = { "項目", "理由" };
	const char *row[] = { "7-4-2", "削除の証明（消去証明書）の提出を受けることとしているか。"
	                      "未回答: deletion.certificate" };
	struct table t;
	char *out, *line, *save = NULL;
	size_t widest = 0;

	(void)state;
	table_init(&t, 2, head);
	table_add(&t, row);
	table_set_width(&t, 40);
	out = print(&t);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t w = utf8_width(line, strlen(line));

		if (w > widest)
			widest = w;
	}
	table_free(&t);
	assert_true(widest <= 40);
	assert_true(widest >= 30);
}

static void test_fit_keeps_names(void **state)
{
	const char *head[] = { "項目", "理由" };
	const char *row[] = { "x", "contract.recovery_terms" };
	struct table t;
	char *out;

	(void)state;
	table_init(&t, 2, head);
	table_add(&t, row);
	table_set_width(&t, 10);     /* narrower than the name: the name wins */
	out = print(&t);
	assert_non_null(strstr(out, "contract.recovery_terms"));
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_kinsoku),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_keeps_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
