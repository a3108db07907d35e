/* libFuzzer target for the command line's option parser (src/cli/opt.c): the
 * input is split at NUL bytes into argv[1..] (argv[0] is the command's name),
 * each argument its own allocation so that a read past one is caught, and
 * parsed against a table with every kind of option (the shape of
 * tests/unit/test_opt.c, with a short option that is a digit and lines of
 * help text), by a command that takes one or two operands or, when the first
 * byte is odd, any number. The help (--help, -h) and the messages go to
 * /dev/null.
 *
 * Invariants, else the target aborts: on success the operands are gathered at
 * argv[1..n] in their order, each one of the arguments given (the pointer,
 * not a copy), as many as the command allows; one that begins with "-"
 * (other than "-" alone and a negative number) came after a "--"; a string
 * or choice value is an argument or the part of one after '='; a choice is
 * one of its choices; a number is in its range; a list holds arguments. The
 * same function is replayed over the kept corpus by the ordinary test suite
 * (replay_main.c).
 *
 * Before opt_parse, the global options (--db, --config) are taken out with
 * opt_take, as main.c does: what is left is the arguments given, in their
 * order, fewer or as many, and each value taken is an argument or its part
 * after '='. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 256

static const char *fmt_v, *pol_v, *app_v, *dir_v;
static int stats_v, quiet_v;
static long long n_v, neg_v;
static struct opt_list user_v;
static const char *const formats[] = { "table", "json", "csv", NULL };

static const struct opt opts[] = {
	{ OPT_OPERAND, "PROFILE", 0, NULL, NULL, "サービスの事実", "the service's facts", NULL, 0, 0 },
	{ OPT_OPERAND, "APP", 0, NULL, NULL, "利用申請", "the application", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 'f', "F", &fmt_v, "出力の形式", "the output's format", formats, 0, 0 },
	{ OPT_STRING, "policy", 'p', "ID", &pol_v, "基準の ID", "the pack's id", NULL, 0, 0 },
	{ OPT_STRING, "app", 0, NULL, &app_v, "利用申請のファイル", NULL, NULL, 0, 0 },
	{ OPT_FLAG, "stats", 0, NULL, &stats_v, "統計を表示", "print statistics", NULL, 0, 0 },
	{ OPT_FLAG, "quiet", 'q', NULL, &quiet_v, NULL, "say less", NULL, 0, 0 },
	{ OPT_INT, "count", 'n', "N", &n_v, "件数", "how many", NULL, 1, 100 },
	{ OPT_INT, "offset", '7', "N", &neg_v, "ずれ", "an offset", NULL, -9223372036854775807LL - 1,
	  9223372036854775807LL },
	{ OPT_LIST, "user", 'u', "LOGIN", &user_v, "利用者（複数可）", "a user (repeatable)", NULL, 0, 0 },
	{ OPT_TEXT, NULL, 0, NULL, NULL, "説明の行", "a line of help", NULL, 0, 0 },
	OPT_POLICIES(&dir_v),
	OPT_END_ROW,
};
static const struct opt_cmd few = { "fuzz", "fuzz PROFILE [APP] [--format F]\n    [--user LOGIN]…",
	"試験のコマンド", "a test command", opts, 1, 2, "footer\n" };
static const struct opt_cmd many = { "fuzz many", "fuzz many FILE…", "試験", "a test", opts, 0, OPT_ANY,
	NULL };

static const char *db_v, *config_v;
static const struct opt global_opts[] = {
	{ OPT_STRING, "db", 0, "FILE", &db_v, "データベース", "the database", NULL, 0, 0 },
	{ OPT_STRING, "config", 0, "FILE", &config_v, "設定", "the configuration", NULL, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd global = { "", "[--db FILE] COMMAND", NULL, NULL, global_opts, 0, OPT_ANY, NULL };

static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_opt: %s (%zu)\n", what, i);
	abort();
}

/* The index of the argument that s is, or points into (after '='), or -1. */
static long arg_of(char *const *given, int argc, const char *s, int whole)
{
	int i;

	for (i = 1; i < argc; i++) {
		size_t n = strlen(given[i]);

		if (s == given[i] || (!whole && s > given[i] && s <= given[i] + n && s[-1] == '='))
			return i;
	}
	return -1;
}

static void check_value(char *const *given, int argc, const char *s, const char *what)
{
	if (s && arg_of(given, argc, s, 0) < 0)
		fail(what, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	FILE *keep_out = stdout, *keep_err = stderr;
	char *argv[MAX_ARGS + 1], *given[MAX_ARGS + 1];
	const struct opt_cmd *cmd = size && (data[0] & 1) ? &many : &few;
	struct opt_result res;
	size_t i, start = size ? 1 : 0;
	int argc = 0, rc;
	long last = 0;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	if (size > 4096)
		return 0;
	argv[argc++] = strdup(cmd->name);
	/* the arguments: the bytes after the first, each ended by a NUL (the
	 * last one may lack it) */
	for (i = start; i < size && argc < MAX_ARGS; ) {
		const uint8_t *nul = memchr(data + i, 0, size - i);
		size_t n = nul ? (size_t)(nul - data) - i : size - i;
		char *s = malloc(n + 1);

		if (!s)
			abort();
		memcpy(s, data + i, n);
		s[n] = '\0';
		argv[argc++] = s;
		i += n + 1;
	}
	argv[argc] = NULL;
	memcpy(given, argv, sizeof(*argv) * (size_t)(argc + 1));

	fmt_v = pol_v = app_v = dir_v = NULL;
	stats_v = quiet_v = 0;
	n_v = neg_v = 0;
	/* opt.c's messages (stderr) and the help (stdout) go to /dev/null: the
	 * streams are swapped for the call only (glibc's stdout and stderr are
	 * variables), so libFuzzer's and the sanitizers' reports, written to
	 * the descriptors, are still seen, and the replay's own lines too */
	db_v = config_v = NULL;
	stdout = stderr = devnull;
	{
		int before = argc;

		rc = opt_take(&global, &argc, argv);
		if (rc == OPT_OK) {
			long k = 0;
			int j;

			if (argc > before || argc < 1 || argv[argc])
				fail("opt_take: argc or argv[argc] wrong", (size_t)argc);
			for (j = 1; j < argc; j++) {
				long at = arg_of(given, before, argv[j], 1);

				if (at <= k)
					fail("opt_take: an argument lost its order or is not one given", (size_t)j);
				k = at;
			}
			check_value(given, before, db_v, "--db: not an argument");
			check_value(given, before, config_v, "--config: not an argument");
			rc = opt_parse(cmd, argc, argv, &res);
		}
		argc = before;
	}
	stdout = keep_out;
	stderr = keep_err;
	if (rc != OPT_OK && rc != OPT_HELP && rc != OPT_ERROR)
		fail("opt_parse returned something else", (size_t)rc);
	if (rc == OPT_OK) {
		if (res.operands != (const char **)argv + 1)
			fail("the operands are not gathered at argv[1]", 0);
		if (res.n > (size_t)argc - 1 || res.n < cmd->min_operands || res.n > cmd->max_operands)
			fail("too few or too many operands", res.n);
		for (i = 0; i < res.n; i++) {
			const char *s = res.operands[i];
			long k = arg_of(given, argc, s, 1), j;

			if (k < 0)
				fail("an operand that is not an argument", i);
			if (k <= last)
				fail("the operands out of order", i);
			last = k;
			if (s[0] == '-' && s[1] && !(s[1] >= '0' && s[1] <= '9' && s[1] != '7')) {
				for (j = 1; j < k && strcmp(given[j], "--"); j++)
					;
				if (j == k)
					fail("an operand that begins with '-', not after '--'", i);
			}
		}
		check_value(given, argc, pol_v, "--policy: not an argument");
		check_value(given, argc, app_v, "--app: not an argument");
		check_value(given, argc, fmt_v, "--format: not an argument");
		check_value(given, argc, dir_v, "--policies: not an argument");
		if (fmt_v && strcmp(fmt_v, "table") && strcmp(fmt_v, "json") && strcmp(fmt_v, "csv"))
			fail("--format: not one of its choices", 0);
		if (n_v && (n_v < 1 || n_v > 100))
			fail("--count: out of its range", 0);
		if (stats_v != 0 && stats_v != 1)
			fail("--stats: not a flag", 0);
		for (i = 0; i < user_v.n; i++)
			check_value(given, argc, user_v.v[i], "--user: not an argument");
	}
	opt_list_free(&user_v);
	for (i = 0; i < (size_t)argc; i++)
		free(given[i]);
	return 0;
}
