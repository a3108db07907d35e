/* shinsa: the command table and what every command shares (reading input
 * safely, errors on stderr, exit statuses). */
#include "cli/cli.h"
#include "core/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/config.h"
#include "cli/opt.h"
#include "core/buf.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct cli_cmd commands[] = {
	{ "evaluate", cmd_evaluate, "サービスを基準に照らして審査する", "assess a service against a standard" },
	{ "init", cmd_init, "データベースを作る・更新する（監査鍵も）", "create or migrate the database (and its audit key)" },
	{ "user", cmd_user, "利用者と役割の追加・一覧・変更・無効化・パスワード", "add, list, change and disable users; passwords" },
	{ "audit", cmd_audit, "監査ログの検証・控え・書き出し・消去", "verify, anchor, export and purge the audit log" },
	{ "backup", cmd_backup, "データベースの控えを取る（暗号化も）", "back the database up (optionally encrypted)" },
	{ "restore", cmd_restore, "控えを確かめてから戻す", "check a backup, then restore it" },
	{ "bind", cmd_bind, "基準の当事者（決裁者・協議先…）を利用者に割り当てる", "bind a pack's parties (approver, consultees…) to users" },
	{ "app", cmd_app, "申請の作成・提出・協議・決裁・利用・終了・削除確認", "applications: create, submit, consult, decide, use, end, delete" },
	{ "profile", cmd_profile, "サービスのプロファイルの登録・版の更新・表示・一覧", "add, update, show and list service profiles" },
	{ "review", cmd_review, "利用中のサービスの点検（一覧・実施・契機）", "reviews of services in use (list, done, events)" },
	{ "ledger", cmd_ledger, "承認済みサービスの台帳（検索・CSV）", "the ledger of approved services (search, CSV)" },
	{ "matrix", cmd_matrix, "複数のサービスを全基準・全区分で一覧審査", "many profiles against every standard" },
	{ "policy", cmd_policy, "基準（ポリシーパック）の一覧・表示・検査・比較", "list, show, lint and compare policy packs" },
	{ "logic", cmd_logic, "JsonLogic ルールを評価する", "evaluate JsonLogic rules" },
	{ "version", cmd_version, "版を表示する", "print the version" },
	{ "help", cmd_help, "この説明を表示する", "show this help" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

struct cli_global cli_global;

/* Options of every command, before or after its name, taken out of argv
 * before the command is chosen. */
static const struct opt global_opts[] = {
	{ OPT_STRING, "db", 0, "FILE", &cli_global.db,
	  "データベース（ファイルのパス、または sqlite:パス。既定: 設定ファイルの database、なければ ./shinsa.db）",
	  "the database (a file's path, or sqlite:PATH; default: the configuration's database, else ./shinsa.db)",
	  NULL, 0, 0 },
	{ OPT_STRING, "config", 0, "FILE", &cli_global.config,
	  "設定ファイル（YAML、docs/operations.md）", "the configuration file (YAML, docs/operations.md)", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd global_cmd = {
	"", "[--db FILE] [--config FILE] COMMAND …", NULL, NULL, global_opts, 0, OPT_ANY, NULL,
};

int cli_settings(struct arena *a, struct app_config *c)
{
	struct err e = { 0 };
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32];
	int rc = OK;

	memset(c, 0, sizeof(*c));
	if (cli_global.config)
		rc = app_config_load(a, cli_global.config, c, &e);
	if (!rc)
		rc = app_config_resolve(a, c, cli_global.db, &e);
	if (rc)
		cli_error("%s", err_text(&e, text, sizeof(text)));
	return rc;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("shinsa: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A command's status, unless its standard output could not be written
 * (stdio keeps what it buffered until now: a full disk shows here). */
static int finish(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("出力を書けません / cannot write the output");
		return status ? status : err_exit_status(ERR_IO);
	}
	return status;
}

int cli_write(struct buf *b, FILE *f)
{
	if (buf_error(b)) {
		cli_error("出力が大きすぎます（%1$zu バイトまで） / the output is larger than %1$zu bytes",
		          b->max ? b->max : BUF_DEFAULT_MAX);
		return ERR_TOOLARGE;
	}
	/* flushed here: an output that cannot be written (a full disk, a closed
	 * pipe) is an error the command reports, not one lost at exit */
	if ((b->len && fwrite(b->data, 1, b->len, f) != b->len) || fflush(f) || ferror(f)) {
		cli_error("出力を書けません / cannot write the output");
		return ERR_IO;
	}
	return OK;
}

int cli_is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int cli_read_file(struct arena *a, const char *path, size_t max,
                  char **out, size_t *n, struct err *e)
{
	return file_read_all(a, path, max, "ファイル", "", out, n, e);
}

int cli_read_arg(struct arena *a, const char *arg, char **out, size_t *n,
                 const char **origin, struct err *e)
{
	if (arg[0] == '@') {
		*origin = arg + 1;
		return cli_read_file(a, arg + 1, CLI_MAX_INPUT, out, n, e);
	}
	*n = strlen(arg);
	if (*n > CLI_MAX_INPUT)
		return err_set(e, ERR_TOOLARGE, "引数が大きすぎます（%1$zu バイトまで） / argument larger than %1$zu bytes",
		               CLI_MAX_INPUT);
	*out = arena_strndup(a, arg, *n);
	*origin = NULL;
	return OK;
}

static void usage(FILE *f)
{
	size_t i;

	fputs("使い方 / usage: shinsa [--db FILE] [--config FILE] <コマンド> [引数…]\n\n"
	      "shinsa（審査）は、クラウドサービスの利用可否を各団体の基準に照らして審査します。\n"
	      "shinsa screens cloud services against a public body's standard.\n\n"
	      "コマンド / commands:\n", f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s / %s\n", commands[i].name, commands[i].summary_ja,
		        commands[i].summary_en);
	/* from the table that parses them */
	fputs("\n全体のオプション（コマンドの前でも後でも） / global options (before or after the command):\n", f);
	for (i = 0; global_opts[i].type != OPT_END; i++)
		fprintf(f, "  --%s %-*s %s\n  %*s%s\n", global_opts[i].name, (int)(12 - strlen(global_opts[i].name)),
		        global_opts[i].arg, global_opts[i].help_ja, 16, "", global_opts[i].help_en);
	fputs("\n各コマンドの詳細は shinsa <コマンド> --help で表示します。\n"
	      "Run 'shinsa <command> --help' for the details of each.\n", f);
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		puts("使い方 / usage: shinsa version\n\nshinsa の版を表示します。 / Print the version of shinsa.");
		return EXIT_OK;
	}
	if (argc > 1) {
		cli_error("version: 余分な引数 '%1$s' です / unexpected argument '%1$s'", argv[1]);
		return EXIT_USAGE;
	}
	puts("shinsa " SHINSA_VERSION);
	return EXIT_OK;
}

/* shinsa help [COMMAND]: the overview, or that command's --help. */
static int cmd_help(int argc, char **argv)
{
	char help[] = "--help";
	size_t i;

	if (argc < 2 || cli_is_help(argv[1]) || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		cli_error("help: 引数が多すぎます（help [COMMAND]） / too many arguments (help [COMMAND])");
		return EXIT_USAGE;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			char *sub[3] = { argv[1], help, NULL };

			return commands[i].run(2, sub);
		}
	cli_error("help: 不明なコマンド '%1$s' です（shinsa --help を参照） / unknown command '%1$s' (see 'shinsa --help')",
	          argv[1]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	size_t i;

	if (opt_take(&global_cmd, &argc, argv))
		return EXIT_USAGE;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_is_help(argv[1])) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].run(argc - 1, argv + 1));
	cli_error("不明なコマンド '%1$s' です（shinsa --help を参照） / unknown command '%1$s' (see 'shinsa --help')",
	          argv[1]);
	return EXIT_USAGE;
}
