/* shinsa bind: the parties a pack's procedures name, and their binding to
 * users (list, set, unset). The work and the models are app/binding.c's;
 * this file reads the options and prints. docs/routing.md. */
#include "cli/cli.h"
#include "cli/deploy.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/binding.h"
#include "core/buf.h"
#include "logic/value.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", NULL };
static const char *o_format, *o_policies, *o_as, *o_dept, *o_title;
static struct opt_list o_users;
static int o_applicant_dept;

static const char *str(const struct lval *o, const char *k)
{
	return vb_get_str(o, k, "");
}

static const struct lval *arr(const struct lval *o, const char *k)
{
	const struct lval *v = vb_get(o, k);

	return v && v->type == LV_ARR ? v : NULL;
}

static const char *joined(struct arena *a, const struct lval *v, const char *sep)
{
	struct buf b = BUF_INIT;
	const char *s;
	uint32_t i;

	for (i = 0; v && i < v->n; i++)
		if (v->u.arr[i]->type == LV_STR)
			buf_addf(&b, "%s%s", i ? sep : "", v->u.arr[i]->u.str);
	s = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return s;
}

/* The pack named on the command line, or a message listing the packs. */
static const struct policy *pack_of(struct cli_dep *x, const char *id)
{
	const struct policy *p = policy_find(x->dep.set, id);
	struct buf ids = BUF_INIT;
	size_t i;

	if (p)
		return p;
	for (i = 0; i < x->dep.set->npacks; i++)
		buf_addf(&ids, "%s%s", i ? ", " : "", x->dep.set->packs[i]->id);
	err_set(&x->e, ERR_NOTFOUND, "基準 '%1$s' はありません（あるもの: %2$s） / there is no pack '%1$s' (the packs are: %2$s)",
	        id, buf_done(&ids));
	buf_free(&ids);
	return NULL;
}

/* ---- the cells of a party's row ---- */

static const char *uses_cell(struct arena *a, const struct lval *pt)
{
	const struct lval *us = arr(pt, "uses");
	struct buf b = BUF_INIT;
	const char *s;
	uint32_t i;

	for (i = 0; us && i < us->n; i++) {
		const struct lval *u = us->u.arr[i];
		const char *item = str(u, "item"), *ref = str(u, "ref");

		buf_addf(&b, "%s%s %s: %s%s%s%s", i ? "\n" : "", str(u, "use_ja"), str(u, "use"), str(u, "procedure"),
		         *item ? "/" : "", item, *ref ? arena_printf(a, "（%s）", ref) : "");
	}
	s = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return s;
}

static const char *binding_cell(struct arena *a, const struct lval *pt)
{
	const struct lval *b = vb_get(pt, "binding"), *res;
	const char *how, *title, *s;

	if (!b || b->type != LV_OBJ)
		return lval_truthy(vb_get(pt, "required")) ? "未割当て / unbound"
		                                             : "未割当て（任意） / unbound (optional)";
	how = str(b, "how");
	title = str(b, "title");
	if (!strcmp(how, "users"))
		s = arena_printf(a, "利用者 / users: %s", joined(a, arr(b, "users"), ", "));
	else if (!strcmp(how, "dept"))
		s = arena_printf(a, "部署 / dept: %s", str(b, "dept"));
	else
		s = "申請者の所属 / the applicant's dept";
	if (*title)
		s = arena_printf(a, "%s\n役職 / title: %s", s, title);
	if ((res = arr(b, "resolves")))
		s = arena_printf(a, "%s\n→ %s", s, res->n ? joined(a, res, ", ") : "有効な利用者なし / no active user");
	if ((res = arr(b, "inactive")) && res->n)
		s = arena_printf(a, "%s\n無効・不明 / disabled or unknown: %s", s, joined(a, res, ", "));
	return s;
}

static const char *source_cell(struct arena *a, const struct lval *pt)
{
	const struct lval *b = vb_get(pt, "binding"), *c;

	if (!b || b->type != LV_OBJ)
		return "";
	if (!strcmp(str(b, "source"), "store")) {
		const char *s = arena_printf(a, "bind set v%lld\n%s\n%s", (long long)vb_get(b, "version")->u.num, str(b, "by"),
		                             str(b, "at"));

		if ((c = vb_get(b, "overrides")))
			s = arena_printf(a, "%s\n設定を上書き / overrides %s:%lld:%lld", s, str(c, "file"),
			                 (long long)vb_get(c, "line")->u.num, (long long)vb_get(c, "col")->u.num);
		return s;
	}
	c = vb_get(b, "config");
	return arena_printf(a, "設定 / config\n%s:%lld:%lld", str(c, "file"), (long long)vb_get(c, "line")->u.num,
	                    (long long)vb_get(c, "col")->u.num);
}

static void party_table(struct arena *a, const struct lval *parties)
{
	static const char *head[] = { "ID", "当事者 / party", "用途 / uses", "割当て / binding", "出所 / source" };
	struct table t;
	uint32_t i;

	table_init(&t, 5, head);
	table_set_nowrap(&t, 0);
	table_set_max(&t, 1, 30);
	for (i = 0; parties && i < parties->n; i++) {
		const struct lval *pt = parties->u.arr[i];
		const char *row[5] = { str(pt, "id"), str(pt, "text"), uses_cell(a, pt), binding_cell(a, pt),
		                       source_cell(a, pt) };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
}

/* ---- list ---- */

static const struct opt list_opts[] = {
	{ OPT_OPERAND, "PACK", 0, NULL, NULL, "基準の ID（anjo など。shinsa policy list）", "the pack's id (anjo…; shinsa policy list)",
	  NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats, 0, 0 },
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd list_cmd = { "bind list", "bind list PACK [--format table|json]",
	"基準の手続が名指す当事者（決裁者、協議先、手順・点検・利用終了の担当、申請者）を、安定した id と基準の文言、"
	"基準のどこで使われるか、割当て（利用者・部署と役職・申請者の所属）とその出所（bind set か設定ファイル）とともに"
	"示します。",
	"List the parties the pack's procedures name (approver, consultees, the actors of steps, reviews and "
	"end-of-use items, the applicant), each with its stable id and the pack's words, where the pack uses it, "
	"and its binding (users, a department and title, the applicant's department) with its source (bind set "
	"or the configuration file).",
	list_opts, 1, 1, NULL };

static int bind_list_cmd(int argc, char **argv)
{
	struct cli_dep x;
	struct opt_result res;
	const struct policy *p;
	const struct lval *m;
	int rc;

	o_format = "table";
	o_policies = NULL;
	if ((rc = opt_parse(&list_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if ((rc = cli_dep_open(&x, "bind list", DEPLOY_POLICIES, o_policies, NULL)))
		goto out;
	if (!(p = pack_of(&x, res.operands[0])) || (rc = app_binding_list_model(&x.dep, &x.a, p, &m, &x.e))) {
		rc = cli_dep_fail(&x, p ? rc : ERR_NOTFOUND);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
		goto out;
	}
	printf("%s — %s %s\n", str(m, "pack"), str(m, "body"), str(m, "title"));
	if (!arr(m, "parties") || !arr(m, "parties")->n) {
		printf("この基準の手続は当事者を名指していません（割り当てるものはありません） / the procedures of this pack "
		       "name no party: there is nothing to bind\n");
	} else {
		party_table(&x.a, arr(m, "parties"));
		printf("\n割り当てる: shinsa bind set %s PARTY (--user LOGIN… | --dept DEPT [--title TITLE] | --applicant-dept "
		       "[--title TITLE]) --as LOGIN\n", str(m, "pack"));
	}
	rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- set, unset ---- */

static const struct opt set_opts[] = {
	{ OPT_OPERAND, "PACK", 0, NULL, NULL, "基準の ID", "the pack's id", NULL, 0, 0 },
	{ OPT_OPERAND, "PARTY", 0, NULL, NULL, "当事者の id（bind list）または基準の文言（各課の課長 など）",
	  "the party's id (bind list) or the pack's words for it (各課の課長…)", NULL, 0, 0 },
	{ OPT_LIST, "user", 0, "LOGIN", &o_users, "この利用者に割り当てる（繰り返せます。--user a b のように続けても可）",
	  "bind to this user (repeatable; --user a b also works)", NULL, 0, 0 },
	{ OPT_STRING, "dept", 0, "DEPT", &o_dept, "この部署（所属）の利用者に割り当てる", "bind to the users of this department",
	  NULL, 0, 0 },
	{ OPT_FLAG, "applicant-dept", 0, NULL, &o_applicant_dept, "申請者と同じ部署の利用者に割り当てる（各課の課長 など）",
	  "bind to the users of the applicant's own department (各課の課長…)", NULL, 0, 0 },
	{ OPT_STRING, "title", 0, "TITLE", &o_title, "--dept・--applicant-dept で、この役職の利用者だけ（課長 など）",
	  "with --dept or --applicant-dept: only the users with this title (課長…)", NULL, 0, 0 },
	{ OPT_STRING, "as", 0, "LOGIN", &o_as, "操作する管理者（記録されます）", "the administrator who binds (recorded)", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats, 0, 0 },
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd set_cmd = { "bind set",
	"bind set PACK PARTY (--user LOGIN… | --dept DEPT [--title TITLE] | --applicant-dept [--title TITLE])\n"
	"         --as LOGIN [--format table|json]",
	"当事者を利用者に割り当てます（管理者のみ。三つの形のどれか一つ）。記録は設定ファイルの bindings より優先します。"
	"同じ割当てなら何も変えません。",
	"Bind a party to users (administrators only; exactly one of the three forms). What bind set stores wins "
	"over the configuration's bindings. Binding it the same way again changes nothing.",
	set_opts, 2, OPT_ANY, NULL };

static const struct opt unset_opts[] = {
	{ OPT_OPERAND, "PACK", 0, NULL, NULL, "基準の ID", "the pack's id", NULL, 0, 0 },
	{ OPT_OPERAND, "PARTY", 0, NULL, NULL, "当事者の id または基準の文言", "the party's id or the pack's words", NULL, 0, 0 },
	{ OPT_STRING, "as", 0, "LOGIN", &o_as, "操作する管理者（記録されます）", "the administrator (recorded)", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats, 0, 0 },
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd unset_cmd = { "bind unset", "bind unset PACK PARTY --as LOGIN [--format table|json]",
	"bind set の割当てを取り消します（管理者のみ。履歴は残ります）。設定ファイルに割当てがあれば、それが効きます。",
	"Remove the binding bind set stored (administrators only; its history stays). The configuration's "
	"binding, if any, is in force again.",
	unset_opts, 2, 2, NULL };

static void print_set(struct arena *a, const struct lval *m)
{
	const struct lval *pt = vb_get(m, "party");
	const char *status = str(m, "status");

	if (!strcmp(status, "set"))
		printf("割り当てました / bound: %s %s（%s）\n", str(m, "pack"), str(pt, "id"), str(pt, "text"));
	else if (!strcmp(status, "unset"))
		printf("割当てを取り消しました / unbound: %s %s（%s）\n", str(m, "pack"), str(pt, "id"), str(pt, "text"));
	else
		printf("変更はありません（既にそのとおりです） / nothing to do: already so: %s %s（%s）\n", str(m, "pack"),
		       str(pt, "id"), str(pt, "text"));
	{
		struct lval one = { 0 };
		const struct lval *items[1] = { pt };

		one.type = LV_ARR;
		one.n = 1;
		one.u.arr = items;
		party_table(a, &one);
	}
}

static int run_set(int argc, char **argv, int unset)
{
	const struct opt_cmd *cmd = unset ? &unset_cmd : &set_cmd;
	struct cli_dep x;
	struct opt_result res;
	struct app_binding_spec sp;
	const struct policy *p;
	const struct lval *m = NULL;
	const char **users = NULL;
	size_t i, forms, nusers = 0;
	int rc;

	o_format = "table";
	o_policies = o_as = o_dept = o_title = NULL;
	o_applicant_dept = 0;
	memset(&o_users, 0, sizeof(o_users));
	if ((rc = opt_parse(cmd, argc, argv, &res))) {
		opt_list_free(&o_users);
		return opt_exit(rc);
	}
	memset(&sp, 0, sizeof(sp));
	if (!unset) {
		forms = (o_users.n > 0) + (o_dept != NULL) + (o_applicant_dept != 0);
		if (forms != 1 || (res.n > 2 && !o_users.n)) {
			if (!forms)
				cli_error("bind set: --user LOGIN…、--dept DEPT、--applicant-dept のどれかを指定します / give one of "
				          "--user LOGIN…, --dept DEPT and --applicant-dept");
			else if (forms > 1)
				cli_error("bind set: --user LOGIN…、--dept DEPT、--applicant-dept は一つだけ指定します / give only one "
				          "of --user LOGIN…, --dept DEPT and --applicant-dept");
			else
				cli_error("bind set: 余分な引数 '%1$s' です（PACK PARTY の後に続けられるのは --user のログイン名だけ） / "
				          "unexpected operand '%1$s' (only --user's logins may follow PACK PARTY)", res.operands[2]);
			opt_list_free(&o_users);
			return EXIT_USAGE;
		}
		if (o_title && o_users.n) {
			cli_error("bind set: --title は --dept か --applicant-dept と使います / --title goes with --dept or "
			          "--applicant-dept");
			opt_list_free(&o_users);
			return EXIT_USAGE;
		}
		/* --user a b c: the operands after PACK PARTY are more logins */
		nusers = o_users.n + (res.n > 2 ? res.n - 2 : 0);
		if (nusers) {
			users = calloc(nusers, sizeof(*users));
			if (!users) {
				opt_list_free(&o_users);
				return EXIT_INTERNAL;
			}
			for (i = 0; i < o_users.n; i++)
				users[i] = o_users.v[i];
			for (i = 2; i < res.n; i++)
				users[o_users.n + i - 2] = res.operands[i];
		}
		sp.how = o_users.n ? BIND_USERS : o_dept ? BIND_DEPT : BIND_APPLICANT_DEPT;
		sp.users = users;
		sp.nusers = nusers;
		sp.dept = o_dept;
		sp.title = o_title;
	}
	if ((rc = cli_dep_open(&x, cmd->name, DEPLOY_AUDIT | DEPLOY_POLICIES, o_policies, o_as)))
		goto out;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	if (!(p = pack_of(&x, res.operands[0]))) {
		rc = cli_dep_fail(&x, ERR_NOTFOUND);
		goto out;
	}
	rc = unset ? app_binding_unset(&x.dep, &x.actor, p, res.operands[1], &m, &x.e)
	           : app_binding_set(&x.dep, &x.actor, p, res.operands[1], &sp, &m, &x.e);
	if (rc) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
		goto out;
	}
	print_set(&x.a, m);
	rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
out:
	cli_dep_close(&x);
	free(users);
	opt_list_free(&o_users);
	return rc;
}

static int bind_set_cmd(int argc, char **argv)
{
	return run_set(argc, argv, 0);
}

static int bind_unset_cmd(int argc, char **argv)
{
	return run_set(argc, argv, 1);
}

/* ---- the subcommands ---- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "list", bind_list_cmd },
	{ "set", bind_set_cmd },
	{ "unset", bind_unset_cmd },
};

static const struct opt bind_opts[] = {
	{ OPT_OPERAND, "SUBCOMMAND", 0, NULL, NULL, "list, set, unset（各々 --help で詳細）",
	  "list, set, unset (each with --help for its options)", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd bind_cmd = { "bind",
	"bind list PACK [--format table|json]\n"
	"bind set PACK PARTY (--user LOGIN… | --dept DEPT [--title TITLE] | --applicant-dept [--title TITLE]) --as LOGIN\n"
	"bind unset PACK PARTY --as LOGIN",
	"基準の手続が名指す当事者（各課の課長、デジタル推進課、統括情報セキュリティ責任者 など）と、その利用者への割当て"
	"（docs/routing.md）",
	"the parties a pack's procedures name (各課の課長, デジタル推進課, 統括情報セキュリティ責任者…) and their "
	"binding to users (docs/routing.md)",
	bind_opts, 1, 1, NULL };

int cmd_bind(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || cli_is_help(argv[1])) {
		opt_help(&bind_cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	cli_error("bind: 不明なサブコマンド '%1$s' です（list, set, unset） / unknown subcommand '%1$s' (list, set, unset)",
	          argv[1]);
	return EXIT_USAGE;
}
