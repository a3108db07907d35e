/* shinsa user: add users, list them, change a role, disable a user, set a
 * password. The rules (who may, the last admin, the bootstrap) and the
 * records are app/user.c's; this file reads the options and the password (from
 * the terminal without echo, or the first line of stdin) and prints. */
#include "cli/cli.h"
#include "cli/deploy.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/user.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", NULL };
static const char *o_format, *o_role, *o_name, *o_dept, *o_title, *o_as;
static int o_password_stdin;

#define ROLES_HELP_JA "applicant（申請者）, approver（承認者）, consultee（協議先）, manager（管理責任者）, " \
	"admin（管理者）, auditor（監査者）のいずれか（docs/users.md）"
#define ROLES_HELP_EN "one of applicant, approver, consultee, manager, admin, auditor (docs/users.md)"

#define FORMAT_ROW { OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", \
	formats, 0, 0 }
#define PASSWORD_STDIN_ROW { OPT_FLAG, "password-stdin", 0, NULL, &o_password_stdin, \
	"パスワードを標準入力の最初の行から読みます（行末の改行は除きます）。ないときは端末から、表示せずに 2 回" \
	"尋ねます。8 文字以上、1024 バイトまで", \
	"read the password from the first line of standard input (its line end removed); without it the " \
	"password is asked twice on the terminal, not shown. At least 8 characters, at most 1024 bytes", \
	NULL, 0, 0 }

static void reset(void)
{
	o_format = "table";
	o_role = o_name = o_dept = o_title = o_as = NULL;
	o_password_stdin = 0;
}

/* ---- the password ---- */

/* The terminal's settings while echo is off, put back on a signal too. */
static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;

static void restore_tty(void)
{
	if (tty_changed) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
		tty_changed = 0;
	}
}

static void on_signal(int sig)
{
	restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from fd 0 into buf (cap bytes, NUL-terminated, the line end
 * removed). Returns its length, -1 on a read error, -2 when it is too long. */
static long read_line(char *buf, size_t cap)
{
	size_t n = 0;
	int too_long = 0;
	char c;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0 || c == '\n')
			break;
		if (n + 1 < cap)
			buf[n++] = c;
		else
			too_long = 1;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return too_long ? -2 : (long)n;
}

/* Ask on the terminal without echo. */
static long ask(const char *prompt, char *buf, size_t cap)
{
	struct termios t;
	struct sigaction sa, old[4];
	static const int sigs[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	long n;
	int i;

	if (tcgetattr(STDIN_FILENO, &saved_tty))
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &old[i]);
	t = saved_tty;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	/* echo off before the prompt shows, so nothing typed after it is seen */
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t)) {
		n = -1;
	} else {
		tty_changed = 1;
		fputs(prompt, stderr);
		fflush(stderr);
		n = read_line(buf, cap);
		restore_tty();
	}
	fputc('\n', stderr);
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	return n;
}

/* The password into buf (USER_PASSWORD_MAX + 2 bytes): with --password-stdin
 * the first line of standard input, else asked twice on the terminal.
 * Checked by app_user_password_check. Returns OK or an exit status, the
 * message printed. */
static int read_password(const char *cmd, char *buf, size_t cap, size_t *len)
{
	char again[USER_PASSWORD_MAX + 2];
	struct err e = { 0 };
	char text[ERR_MSG_MAX];
	long n;

	if (o_password_stdin) {
		n = read_line(buf, cap);
	} else {
		if (!isatty(STDIN_FILENO)) {
			cli_error("%s: 標準入力が端末ではありません。パスワードは --password-stdin で標準入力の最初の行から渡して"
			          "ください / standard input is not a terminal: give the password as its first line with "
			          "--password-stdin", cmd);
			return EXIT_USAGE;
		}
		n = ask("新しいパスワード / new password: ", buf, cap);
		if (n >= 0) {
			long m = ask("もう一度 / again: ", again, sizeof(again));

			if (m != n || strcmp(buf, again)) {
				explicit_bzero(again, sizeof(again));
				explicit_bzero(buf, cap);
				cli_error("%s: 2 回のパスワードが違います / the two passwords differ", cmd);
				return EXIT_USAGE;
			}
			explicit_bzero(again, sizeof(again));
		}
	}
	if (n == -1) {
		cli_error("%s: パスワードを読めません / cannot read the password", cmd);
		return EXIT_USAGE;
	}
	if (n == -2) {
		explicit_bzero(buf, cap);
		cli_error("%1$s: パスワードが長すぎます（%2$d バイトまで） / the password is longer than %2$d bytes", cmd,
		          USER_PASSWORD_MAX);
		return EXIT_USAGE;
	}
	if (n == 0 && o_password_stdin) {
		cli_error("%s: 標準入力の最初の行が空です（パスワードが要ります） / the first line of standard input is empty "
		          "(a password is required)", cmd);
		return EXIT_USAGE;
	}
	if (app_user_password_check(buf, (size_t)n, &e)) {
		explicit_bzero(buf, cap);
		cli_error("%s: %s", cmd, err_text(&e, text, sizeof(text)));
		return EXIT_USAGE;
	}
	*len = (size_t)n;
	return OK;
}

/* ---- printing ---- */

static const char *role_cell(struct arena *a, const struct lval *u)
{
	return arena_printf(a, "%s（%s）", vb_get_str(u, "role", ""), vb_get_str(u, "role_ja", ""));
}

/* What an operation did, one line, or its model as JSON. */
static int print_done(struct cli_dep *x, const struct lval *m)
{
	const struct lval *u = vb_get(m, "user"), *b = vb_get(m, "before");
	const char *action = vb_get_str(m, "action", ""), *login = vb_get_str(u, "login", "");

	if (!strcmp(o_format, "json"))
		return cli_write_json(m);
	if (!strcmp(action, "user.add"))
		printf("利用者 %1$s を%2$s（%3$s）として追加しました / added the user %1$s as %3$s\n", login,
		       vb_get_str(u, "role_ja", ""), vb_get_str(u, "role", ""));
	else if (!strcmp(action, "user.set-role"))
		printf("%1$s の役割を%2$sから%3$sにしました / %1$s: the role is now %5$s (was %4$s)\n", login,
		       vb_get_str(b, "role_ja", ""), vb_get_str(u, "role_ja", ""), vb_get_str(b, "role", ""),
		       vb_get_str(u, "role", ""));
	else if (!strcmp(action, "user.disable"))
		printf("利用者 %1$s を無効にしました（記録は残り、ログイン名は再利用されません） / disabled the user %1$s "
		       "(the record stays; the login is never reused)\n", login);
	else
		printf("%1$s のパスワードを変えました / set a new password for %1$s\n", login);
	return fflush(stdout) ? ERR_IO : OK;
}

/* ---- add ---- */

static const struct opt add_opts[] = {
	{ OPT_OPERAND, "LOGIN", 0, NULL, NULL,
	  "ログイン名: 英小文字・数字・. _ -、英小文字か数字で始まる 64 文字まで",
	  "the login: a-z, 0-9, '.', '_', '-', starting with a letter or a digit, at most 64 characters", NULL, 0, 0 },
	{ OPT_STRING, "role", 0, "ROLE", &o_role, "役割（必須）: " ROLES_HELP_JA, "the role (required): " ROLES_HELP_EN,
	  NULL, 0, 0 },
	{ OPT_STRING, "name", 0, "NAME", &o_name, "氏名", "the user's name", NULL, 0, 0 },
	{ OPT_STRING, "dept", 0, "DEPT", &o_dept, "所属（課の名前。経路の割り当てが使います）",
	  "the department (所属), which routing binds by", NULL, 0, 0 },
	{ OPT_STRING, "title", 0, "TITLE", &o_title, "役職（課長、主査…）", "the title (役職: 課長, 主査 …)", NULL, 0, 0 },
	PASSWORD_STDIN_ROW,
	{ OPT_STRING, "as", 0, "LOGIN", &o_as,
	  "操作する管理者（admin）。管理者がまだいないときだけ省けます（最初の管理者を --role admin で作るとき）",
	  "the admin who adds the user; only while there is no admin yet may it be left out (to make the first "
	  "admin, with --role admin)", NULL, 0, 0 },
	FORMAT_ROW,
	OPT_END_ROW,
};
static const struct opt_cmd add_cmd = { "user add",
	"user add LOGIN --role ROLE [--name NAME] [--dept DEPT] [--title TITLE] [--password-stdin]\n"
	"  [--as LOGIN] [--format table|json]",
	"利用者を追加します。パスワードは必須で（既定のパスワードはありません）、PBKDF2-HMAC-SHA256（60 万回、"
	"利用者ごとの salt）で保存します。管理者だけが行えます。",
	"Add a user. A password is required (there is no default password); it is kept as PBKDF2-HMAC-SHA256 "
	"(600,000 rounds, a salt of its own). Only an admin may add users.",
	add_opts, 1, 1, NULL };

static int user_add_cmd(int argc, char **argv)
{
	struct opt_result res;
	struct cli_dep x;
	struct app_user_new u;
	struct err e = { 0 };
	char pw[USER_PASSWORD_MAX + 2], text[ERR_MSG_MAX];
	const struct lval *m;
	size_t n;
	int rc;

	reset();
	if ((rc = opt_parse(&add_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if (!o_role) {
		cli_error("user add: --role ROLE が要ります（%s） / --role ROLE is required (%s)", ROLES_HELP_JA,
		          ROLES_HELP_EN);
		return EXIT_USAGE;
	}
	memset(&u, 0, sizeof(u));
	u.login = res.operands[0];
	u.role = o_role;
	u.name = o_name;
	u.dept = o_dept;
	u.title = o_title;
	if ((rc = app_user_login_check(u.login, &e)) || (rc = app_user_role_check(u.role, NULL, &e)) ||
	    (rc = app_user_text_check("name", u.name, &e)) || (rc = app_user_text_check("dept", u.dept, &e)) ||
	    (rc = app_user_text_check("title", u.title, &e))) {
		cli_error("user add: %s", err_text(&e, text, sizeof(text)));
		return EXIT_USAGE;
	}
	if ((rc = cli_dep_open(&x, "user add", DEPLOY_AUDIT, NULL, o_as)))
		return rc;
	/* refused before the password is asked for */
	if ((rc = app_user_may(&x.dep, x.has_actor ? &x.actor : NULL, USER_OP_ADD, u.login, u.role, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if ((rc = read_password("user add", pw, sizeof(pw), &n)))
		goto out;
	u.password = pw;
	u.password_len = n;
	rc = app_user_add(&x.dep, x.has_actor ? &x.actor : NULL, x.channel, &u, &m, &x.e);
	explicit_bzero(pw, sizeof(pw));
	rc = rc ? cli_dep_fail(&x, rc) : err_exit_status(print_done(&x, m));
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- list ---- */

static const struct opt list_opts[] = {
	FORMAT_ROW,
	OPT_END_ROW,
};
static const struct opt_cmd list_cmd = { "user list", "user list [--format table|json]",
	"利用者の一覧（ログイン名の順。無効にされた利用者も含みます）。パスワードは表示しません。",
	"List the users by login, the disabled ones too. Passwords are never shown.",
	list_opts, 0, 0, NULL };

static int user_list_cmd(int argc, char **argv)
{
	static const char *head[] = { "ログイン", "氏名", "所属", "役職", "役割", "状態", "版" };
	struct opt_result res;
	struct cli_dep x;
	struct app_user *users;
	const struct lval *m;
	struct table t;
	size_t n, i;
	int rc;

	reset();
	if ((rc = opt_parse(&list_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if ((rc = cli_dep_open(&x, "user list", 0, NULL, NULL)))
		return rc;
	if ((rc = app_user_list(x.dep.s, &x.a, &users, &n, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	m = app_user_list_model(&x.a, users, n);
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
		goto out;
	}
	if (!m->n) {
		puts("利用者はいません（shinsa user add LOGIN --role admin で最初の管理者を作ります） / there are no users "
		     "(make the first admin with shinsa user add LOGIN --role admin)");
	} else {
		table_init(&t, 7, head);
		for (i = 0; i < m->n; i++) {
			const struct lval *u = m->u.arr[i];
			const char *row[7] = { vb_get_str(u, "login", ""), vb_get_str(u, "name", ""),
			                       vb_get_str(u, "dept", ""), vb_get_str(u, "title", ""), role_cell(&x.a, u),
			                       strcmp(vb_get_str(u, "state", ""), "active") ? "無効 disabled" : "有効 active",
			                       arena_printf(&x.a, "%lld", (long long)vb_get(u, "version")->u.num) };

			table_add(&t, row);
		}
		table_set_nowrap(&t, 5);
		table_print(&t, stdout);
		table_free(&t);
	}
	rc = fflush(stdout) ? EXIT_USAGE : EXIT_OK;
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- set-role, disable, passwd ---- */

#define AS_ROW(ja, en) { OPT_STRING, "as", 0, "LOGIN", &o_as, ja, en, NULL, 0, 0 }

static const struct opt set_role_opts[] = {
	{ OPT_OPERAND, "LOGIN", 0, NULL, NULL, "役割を変える利用者", "the user whose role changes", NULL, 0, 0 },
	{ OPT_OPERAND, "ROLE", 0, NULL, NULL, "新しい役割: " ROLES_HELP_JA, "the new role: " ROLES_HELP_EN, NULL, 0, 0 },
	AS_ROW("操作する管理者（admin、必須）", "the admin who changes it (required)"),
	FORMAT_ROW,
	OPT_END_ROW,
};
static const struct opt_cmd set_role_cmd = { "user set-role", "user set-role LOGIN ROLE --as LOGIN [--format table|json]",
	"利用者の役割を変えます。管理者だけが行えます。最後の有効な管理者から管理者の役割は外せません。",
	"Change a user's role. Only an admin may; the last active admin keeps the admin role.",
	set_role_opts, 2, 2, NULL };

static const struct opt disable_opts[] = {
	{ OPT_OPERAND, "LOGIN", 0, NULL, NULL, "無効にする利用者", "the user to disable", NULL, 0, 0 },
	AS_ROW("操作する管理者（admin、必須）", "the admin who disables the user (required)"),
	FORMAT_ROW,
	OPT_END_ROW,
};
static const struct opt_cmd disable_cmd = { "user disable", "user disable LOGIN --as LOGIN [--format table|json]",
	"利用者を無効にします。記録は残り（行ったことの名前が残るように）、その利用者は操作もサインインもできなくなり、"
	"ログイン名はほかの人に使い回されません。管理者だけが行え、自分自身は無効にできません。",
	"Disable a user. The record stays (what they did keeps its name); they can no longer act or sign in, "
	"and the login is never given to anyone else. Only an admin may, and not to themselves.",
	disable_opts, 1, 1, NULL };

static const struct opt passwd_opts[] = {
	{ OPT_OPERAND, "LOGIN", 0, NULL, NULL, "パスワードを変える利用者", "the user whose password changes", NULL, 0, 0 },
	PASSWORD_STDIN_ROW,
	AS_ROW("操作する利用者（必須）: 管理者か本人", "who changes it (required): an admin, or the user themselves"),
	FORMAT_ROW,
	OPT_END_ROW,
};
static const struct opt_cmd passwd_cmd = { "user passwd",
	"user passwd LOGIN [--password-stdin] --as LOGIN [--format table|json]",
	"利用者のパスワードを変えます（新しい salt とハッシュ）。管理者か本人（--as に自分）が行えます。",
	"Set a user's password (a new salt and hash). An admin may, or the user themselves (--as themselves).",
	passwd_opts, 1, 1, NULL };

static int user_change_cmd(int argc, char **argv, const struct opt_cmd *cmd, enum app_user_op op)
{
	struct opt_result res;
	struct cli_dep x;
	char pw[USER_PASSWORD_MAX + 2];
	const struct lval *m;
	const char *login;
	size_t n;
	int rc;

	reset();
	if ((rc = opt_parse(cmd, argc, argv, &res)))
		return opt_exit(rc);
	login = res.operands[0];
	if ((rc = cli_dep_open(&x, cmd->name, DEPLOY_AUDIT, NULL, o_as)))
		return rc;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	if ((rc = app_user_may(&x.dep, &x.actor, op, login, op == USER_OP_SET_ROLE ? res.operands[1] : NULL, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	switch (op) {
	case USER_OP_SET_ROLE:
		rc = app_user_set_role(&x.dep, &x.actor, login, res.operands[1], &m, &x.e);
		break;
	case USER_OP_DISABLE:
		rc = app_user_disable(&x.dep, &x.actor, login, &m, &x.e);
		break;
	default:
		if ((rc = read_password(cmd->name, pw, sizeof(pw), &n)))
			goto out;
		rc = app_user_passwd(&x.dep, &x.actor, login, pw, n, &m, &x.e);
		explicit_bzero(pw, sizeof(pw));
		break;
	}
	rc = rc ? cli_dep_fail(&x, rc) : err_exit_status(print_done(&x, m));
out:
	cli_dep_close(&x);
	return rc;
}

static int user_set_role_cmd(int argc, char **argv)
{
	return user_change_cmd(argc, argv, &set_role_cmd, USER_OP_SET_ROLE);
}

static int user_disable_cmd(int argc, char **argv)
{
	return user_change_cmd(argc, argv, &disable_cmd, USER_OP_DISABLE);
}

static int user_passwd_cmd(int argc, char **argv)
{
	return user_change_cmd(argc, argv, &passwd_cmd, USER_OP_PASSWD);
}

/* ---- the subcommands ---- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "add", user_add_cmd },
	{ "list", user_list_cmd },
	{ "set-role", user_set_role_cmd },
	{ "disable", user_disable_cmd },
	{ "passwd", user_passwd_cmd },
};

static const struct opt user_opts[] = {
	{ OPT_OPERAND, "SUBCOMMAND", 0, NULL, NULL, "add, list, set-role, disable, passwd（各々 --help で詳細）",
	  "add, list, set-role, disable, passwd (each with --help for its options)", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd user_cmd = { "user",
	"user add LOGIN --role ROLE [--name NAME] [--dept DEPT] [--title TITLE] [--password-stdin] [--as LOGIN]\n"
	"user list [--format table|json]\n"
	"user set-role LOGIN ROLE --as LOGIN\n"
	"user disable LOGIN --as LOGIN\n"
	"user passwd LOGIN [--password-stdin] --as LOGIN",
	"利用者と役割（申請者、承認者、協議先、管理責任者、管理者、監査者）: 追加、一覧、役割の変更、無効化、パスワード"
	"（docs/users.md）",
	"users and their roles (applicant, approver, consultee, manager, admin, auditor): add, list, set-role, "
	"disable, passwd (docs/users.md)",
	user_opts, 1, 1, NULL };

int cmd_user(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || cli_is_help(argv[1])) {
		opt_help(&user_cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	cli_error("user: 不明なサブコマンド '%1$s' です（add, list, set-role, disable, passwd） / unknown subcommand "
	          "'%1$s' (add, list, set-role, disable, passwd)", argv[1]);
	return EXIT_USAGE;
}
