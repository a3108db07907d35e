/* Tests for options from a table: both spellings of a value, operands in any
 * order, "--", every kind of mistake with a message naming it, and help
 * generated from the same table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/opt.h"

static const char *fmt_v, *pol_v;
static int stats_v;
static long long n_v;
static struct opt_list user_v;
static const char *const formats[] = { "table", "json", "csv", NULL };

static const struct opt opts[] = {
	{ OPT_OPERAND, "PROFILE", 0, NULL, NULL, "サービスの事実", "the service's facts", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &fmt_v, "出力の形式", "the output's format", formats, 0, 0 },
	{ OPT_STRING, "policy", 'p', "ID", &pol_v, "基準の ID", "the pack's id", NULL, 0, 0 },
	{ OPT_FLAG, "stats", 0, NULL, &stats_v, "統計を表示", "print statistics", NULL, 0, 0 },
	{ OPT_INT, "count", 0, "N", &n_v, "件数", "how many", NULL, 1, 100 },
	{ OPT_LIST, "user", 0, "LOGIN", &user_v, "利用者（複数可）", "a user (repeatable)", NULL, 0, 0 },
	{ OPT_END, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0 },
};
static const struct opt_cmd cmd = { "test", "test PROFILE [--format F]", "試験のコマンド",
	"a test command", opts, 1, 2, NULL };
static const struct opt_cmd many = { "test", "test FILE…", "試験", "a test", opts, 0, OPT_ANY, NULL };

static void reset(void)
{
	fmt_v = pol_v = NULL;
	stats_v = 0;
	n_v = 0;
	opt_list_free(&user_v);
}

/* Run opt_parse on a NULL-terminated list with stderr captured into err. */
static int parse(struct opt_result *res, char *err, size_t errn, ...)
{
	static char *argv[64];   /* the operands are gathered in it: it outlives the call */
	int argc = 0, rc, fd, saved;
	FILE *tmp = tmpfile();
	va_list ap;
	size_t k;

	argv[argc++] = (char *)"test";
	va_start(ap, errn);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stderr);
	saved = dup(2);
	fd = fileno(tmp);
	dup2(fd, 2);
	reset();
	rc = opt_parse(argc > 4 ? &many : &cmd, argc, argv, res);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	k = fread(err, 1, errn - 1, tmp);
	err[k] = '\0';
	fclose(tmp);
	return rc;
}

static void test_ok(void **state)
{
	struct opt_result r;
	char e[1024];

	(void)state;
	assert_int_equal(parse(&r, e, sizeof(e), "--format=json", "a.yaml", "-p", "anjo", "--stats",
	                       "--count", "7", "--user", "x", "--user=y", NULL), OPT_OK);
	assert_string_equal(fmt_v, "json");
	assert_string_equal(pol_v, "anjo");
	assert_int_equal(stats_v, 1);
	assert_int_equal(n_v, 7);
	assert_int_equal(user_v.n, 2);
	assert_string_equal(user_v.v[1], "y");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.operands[0], "a.yaml");
	assert_string_equal(e, "");
	/* no limit to the operands: 30 of them, between options */
	assert_int_equal(parse(&r, e, sizeof(e), "1", "2", "--stats", "3", "4", "5", "6", "7", "8", "9",
	                       "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21",
	                       "22", "23", "24", "25", "--format", "csv", "26", "27", "28", NULL), OPT_OK);
	assert_int_equal(r.n, 28);
	assert_string_equal(r.operands[27], "28");
	assert_string_equal(fmt_v, "csv");
	/* "--" ends the options; "-" alone is an operand (standard input) */
	assert_int_equal(parse(&r, e, sizeof(e), "-", "--", "--odd-name", NULL), OPT_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.operands[1], "--odd-name");
	/* an empty value given with = is a value */
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--policy=", NULL), OPT_OK);
	assert_string_equal(pol_v, "");
	reset();
}

static void test_errors(void **state)
{
	struct opt_result r;
	char e[1024];

	(void)state;
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--formt", "json", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "unknown option '--formt' (did you mean --format?)"));
	assert_non_null(strstr(e, "不明なオプションです"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--bogus=1", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "unknown option '--bogus'"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--format", "xml", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "--format is one of table, json, csv, not 'xml'"));
	assert_non_null(strstr(e, "table, json, csv のいずれか"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--policy", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "--policy needs a value (ID)"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--stats=yes", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "--stats takes no value"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "-p", "x", "--policy", "y", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "--policy may be given once"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--count", "12x", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "--count takes a whole number from 1 to 100, not '12x'"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--count", "99999999999999999999", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "--count is out of range: '99999999999999999999' (from 1 to 100)"));
	assert_non_null(strstr(e, "範囲外"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "--count", "0", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "out of range"));
	assert_int_equal(parse(&r, e, sizeof(e), NULL), OPT_ERROR);
	assert_non_null(strstr(e, "PROFILE is needed"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "b", "c", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "too many arguments (at most 2): 'c'"));
	assert_int_equal(parse(&r, e, sizeof(e), "a", "-x", NULL), OPT_ERROR);
	assert_non_null(strstr(e, "unknown option '-x'"));
	reset();
}

static void test_help(void **state)
{
	char buf[4096];
	FILE *f = tmpfile();
	size_t k;

	(void)state;
	opt_help(&cmd, f);
	rewind(f);
	k = fread(buf, 1, sizeof(buf) - 1, f);
	buf[k] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "使い方 / usage:\n  shinsa test PROFILE [--format F]\n"));
	assert_non_null(strstr(buf, "  --format F"));
	assert_non_null(strstr(buf, "the output's format"));
	assert_non_null(strstr(buf, "（table, json, csv）"));
	assert_non_null(strstr(buf, "  -p, --policy ID"));
	assert_non_null(strstr(buf, "（1〜100）"));
	assert_non_null(strstr(buf, "  PROFILE"));
}

/* The global options: taken out wherever they stand, the rest left in order. */
static const char *db_v, *config_v;
static const struct opt global_opts[] = {
	{ OPT_STRING, "db", 0, "FILE", &db_v, "データベース", "the database", NULL, 0, 0 },
	{ OPT_STRING, "config", 0, "FILE", &config_v, "設定", "the configuration", NULL, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd global = { "", "[--db FILE] COMMAND", NULL, NULL, global_opts, 0, OPT_ANY, NULL };

static void test_take(void **state)
{
	char *v1[] = { "shinsa", "--db", "a.db", "init", "--format", "json", "--config=c.yaml", NULL };
	char *v2[] = { "shinsa", "init", "--db=b.db", "--", "--config", "x", NULL };
	char *v3[] = { "shinsa", "init", "--db", NULL };
	char *v4[] = { "shinsa", "--db", "a", "init", "--db", "b", NULL };
	int argc;

	(void)state;
	db_v = config_v = NULL;
	argc = 7;
	assert_int_equal(opt_take(&global, &argc, v1), OPT_OK);
	assert_int_equal(argc, 4);
	assert_string_equal(v1[1], "init");
	assert_string_equal(v1[2], "--format");
	assert_string_equal(v1[3], "json");
	assert_null(v1[4]);
	assert_string_equal(db_v, "a.db");
	assert_string_equal(config_v, "c.yaml");

	/* after "--" everything is the command's */
	db_v = config_v = NULL;
	argc = 6;
	assert_int_equal(opt_take(&global, &argc, v2), OPT_OK);
	assert_int_equal(argc, 5);
	assert_string_equal(db_v, "b.db");
	assert_null(config_v);
	assert_string_equal(v2[2], "--");
	assert_string_equal(v2[3], "--config");

	db_v = NULL;
	argc = 3;
	assert_int_equal(opt_take(&global, &argc, v3), OPT_ERROR);
	db_v = NULL;
	argc = 6;
	assert_int_equal(opt_take(&global, &argc, v4), OPT_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
