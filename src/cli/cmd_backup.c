/* shinsa backup and shinsa restore: read the options and the key (a key file,
 * or a passphrase as the first line of standard input), and print what
 * app/backup.c did. */
#include "cli/cli.h"
#include "cli/opt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/backup.h"
#include "app/config.h"

static const char *o_key_file;
static int o_encrypt, o_pass_stdin;

static const struct opt backup_opts[] = {
	{ OPT_OPERAND, "FILE", 0, NULL, NULL, "書き出すバックアップ（既にあるファイルは上書きしません）",
	  "the backup to write (an existing file is never replaced)", NULL, 0, 0 },
	{ OPT_FLAG, "encrypt", 0, NULL, &o_encrypt, "AES-256-GCM で暗号化する（--key-file か --passphrase-stdin と）",
	  "encrypt with AES-256-GCM (with --key-file or --passphrase-stdin)", NULL, 0, 0 },
	{ OPT_STRING, "key-file", 0, "F", &o_key_file, "32 バイトの鍵ファイル（モード 0600）",
	  "a 32-byte key file (mode 0600)", NULL, 0, 0 },
	{ OPT_FLAG, "passphrase-stdin", 0, NULL, &o_pass_stdin,
	  "標準入力の最初の 1 行をパスフレーズにする（PBKDF2-HMAC-SHA256、600,000 回）",
	  "take the passphrase from the first line of standard input (PBKDF2-HMAC-SHA256, 600,000 iterations)",
	  NULL, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd backup_cmd = { "backup",
	"[--db FILE] [--config FILE] backup FILE [--encrypt (--key-file F | --passphrase-stdin)]",
	"動いている間も書き込みと矛盾しないデータベースの控えを取ります。暗号化しなければ SQLite のファイルそのものです。"
	"監査ログに store.backup を記録します。",
	"Take a consistent backup of the database while others may be writing; without --encrypt it is a plain "
	"SQLite file. Appends a store.backup audit entry.",
	backup_opts, 1, 1, NULL };

static const struct opt restore_opts[] = {
	{ OPT_OPERAND, "FILE", 0, NULL, NULL, "戻すバックアップ", "the backup to restore", NULL, 0, 0 },
	{ OPT_STRING, "key-file", 0, "F", &o_key_file, "暗号化に使った 32 バイトの鍵ファイル",
	  "the 32-byte key file it was encrypted with", NULL, 0, 0 },
	{ OPT_FLAG, "passphrase-stdin", 0, NULL, &o_pass_stdin, "標準入力の最初の 1 行をパスフレーズにする",
	  "take the passphrase from the first line of standard input", NULL, 0, 0 },
	{ OPT_TEXT, NULL, 0, NULL, NULL, "\n戻し先は全体のオプション --db TARGET（または設定）のデータベースです。",
	  "The database replaced is the global --db TARGET (or the configuration's).", NULL, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd restore_cmd = { "restore",
	"[--db TARGET] [--config FILE] restore FILE [--key-file F | --passphrase-stdin]",
	"バックアップを復号し、データベースの整合性、スキーマの版、監査ログの連鎖を確かめてから、データベースを一度に"
	"置き換えます。どれかが合わなければ何も置き換えません。監査ログに store.restore を記録します。",
	"Decrypt the backup and check the database's integrity, its schema version and its audit chain, and only "
	"then replace the database in one rename; anything wrong, and nothing is replaced. Appends a store.restore "
	"audit entry.",
	restore_opts, 1, 1, NULL };

/* The first line of standard input, byte by byte so that nothing after it
 * is consumed; without its newline (and a CR before it). */
static int read_passphrase(char *p, size_t max, size_t *n)
{
	size_t got = 0;
	char c;

	for (;;) {
		ssize_t k = read(0, &c, 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			cli_error("パスフレーズを読めません / cannot read the passphrase from standard input");
			return ERR_IO;
		}
		if (k == 0 || c == '\n')
			break;
		if (got == max) {
			cli_error("パスフレーズが長すぎます（%zu バイトまで） / the passphrase is longer than %zu bytes", max, max);
			return ERR_INVALID;
		}
		p[got++] = c;
	}
	if (got && p[got - 1] == '\r')
		got--;
	if (!got) {
		cli_error("パスフレーズが空です（標準入力の最初の行） / the passphrase (the first line of standard input) is empty");
		return ERR_INVALID;
	}
	*n = got;
	return OK;
}

static int run(int restore, int argc, char **argv)
{
	const struct opt_cmd *cmd = restore ? &restore_cmd : &backup_cmd;
	char pass[BACKUP_PASSPHRASE_MAX], text[ERR_MSG_MAX + ERR_FILE_MAX + 32];
	struct opt_result res;
	struct app_config c;
	struct backup_result out;
	struct backup_req r;
	struct err e = { 0 };
	struct arena a;
	int rc;

	o_key_file = NULL;
	o_encrypt = o_pass_stdin = 0;
	if ((rc = opt_parse(cmd, argc, argv, &res)))
		return opt_exit(rc);
	if (o_key_file && o_pass_stdin) {
		cli_error("%s: --key-file と --passphrase-stdin は一緒に使えません / --key-file and --passphrase-stdin "
		          "exclude each other", cmd->name);
		return EXIT_USAGE;
	}
	if (!restore && o_encrypt != (o_key_file || o_pass_stdin)) {
		cli_error("backup: --encrypt には --key-file F か --passphrase-stdin が要ります（その逆も） / --encrypt "
		          "needs --key-file F or --passphrase-stdin, and they need --encrypt");
		return EXIT_USAGE;
	}
	arena_init(&a, 0);
	memset(&r, 0, sizeof(r));
	if ((rc = cli_settings(&a, &c)))
		goto out;
	r.database = c.database;
	r.audit_key = c.audit_key;
	r.file = res.operands[0];
	r.encrypt = o_encrypt;
	r.key.key_file = o_key_file;
	r.actor = "";
	r.channel = audit_cli_channel(&a);
	if (o_pass_stdin) {
		if ((rc = read_passphrase(pass, sizeof(pass), &r.key.plen)))
			goto out;
		r.key.pass = pass;
	}
	rc = restore ? app_restore(&a, &r, &out, &e) : app_backup(&a, &r, &out, &e);
	explicit_bzero(pass, sizeof(pass));
	if (rc) {
		cli_error("%s: %s%s", cmd->name, err_text(&e, text, sizeof(text)),
		          restore ? "（何も置き換えていません / nothing was replaced）" : "");
		goto out;
	}
	if (restore)
		printf("戻しました / restored %s from %s (%s; %lld audit entries verified; audit entry %lld)\n",
		       out.location, r.file, out.encrypted ? out.kdf : "plain", out.entries, out.seq);
	if (restore && out.schema_before && out.schema_before < out.schema)
		printf("控えのスキーマ（版 %1$d）を版 %2$d に更新しました / the backup's schema (version %1$d) was "
		       "brought up to version %2$d\n", out.schema_before, out.schema);
	else if (!restore)
		printf("控えました / backed up %s to %s (%lld bytes, %s; audit entry %lld)\n", out.location, r.file,
		       out.bytes, out.encrypted ? out.kdf : "plain", out.seq);
	rc = fflush(stdout) ? ERR_IO : OK;
out:
	arena_release(&a);
	return err_exit_status(rc);
}

int cmd_backup(int argc, char **argv)
{
	return run(0, argc, argv);
}

int cmd_restore(int argc, char **argv)
{
	return run(1, argc, argv);
}
