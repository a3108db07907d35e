/* shinsa profile: add a service profile, update it (a new version), show a
 * version with its history, list them. The work and the models are
 * app/profiles.c's; this file reads the options and the file, and prints. */
#include "cli/cli.h"
#include "cli/deploy.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <stdio.h>
#include <string.h>

#include "app/profiles.h"
#include "assess/country.h"
#include "assess/input.h"
#include "logic/vb.h"

static const char *const formats_tj[] = { "table", "json", NULL };
static const char *const formats_show[] = { "table", "json", "source", NULL };
static const char *o_format, *o_as, *o_comment, *o_policies;
static long long o_version;

#define AS_ROW(help_ja, help_en) \
	{ OPT_STRING, "as", 0, "LOGIN", &o_as, help_ja, help_en, NULL, 0, 0 }
#define FORMAT_ROW \
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定。標準出力は番号だけ）| json", \
	  "table (the default: only the number on standard output) | json", formats_tj, 0, 0 }
#define COMMENT_ROW \
	{ OPT_STRING, "comment", 0, "T", &o_comment, "監査ログに残す説明（例: ISMAP 更新）", \
	  "a comment for the audit log (e.g. the ISMAP renewal)", NULL, 0, 0 }

static void print_diag(const struct diag *d, const char *prefix)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "%s%s\n", prefix, d->items[i].text);
	if (d->dropped)
		fprintf(stderr, "%s… ほか %zu 件 / and %zu more\n", prefix, d->dropped, d->dropped);
}

static long long num(const struct lval *m, const char *key)
{
	const struct lval *v = vb_get(m, key);

	return v && v->type == LV_NUM ? (long long)v->u.num : 0;
}

/* ---- add and update ---- */

static const struct opt add_opts[] = {
	{ OPT_OPERAND, "FILE", 0, NULL, NULL, "サービスのプロファイル（YAML か JSON。evaluate と同じ形、docs/profiles.md）",
	  "the service profile (YAML or JSON, as evaluate reads it: docs/profiles.md)", NULL, 0, 0 },
	AS_ROW("登録する利用者（申請者・管理責任者・管理者）", "the user who adds it (an applicant, a manager or an admin)"),
	COMMENT_ROW,
	FORMAT_ROW,
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd add_cmd = { "profile add", "profile add FILE --as LOGIN [--comment T] [--format table|json]",
	"サービスのプロファイルを登録し、その番号を表示します（id=$(shinsa profile add f.yaml --as sato)）。ファイルは "
	"evaluate と同じく基準の語彙と国コードで確かめ、誤りがあれば何も登録しません。利用申請のファイルは受け付けません。",
	"Add a service profile and print its id (id=$(shinsa profile add f.yaml --as sato)). The file is checked "
	"as evaluate reads it, against the packs' vocabulary and the country codes; with a mistake nothing is "
	"stored. An application file is refused.",
	add_opts, 1, 1, NULL };

static const struct opt update_opts[] = {
	{ OPT_OPERAND, "ID", 0, NULL, NULL, "プロファイルの番号（profile list）", "the profile's id (profile list)", NULL, 0, 0 },
	{ OPT_OPERAND, "FILE", 0, NULL, NULL, "新しい版のファイル（YAML か JSON）", "the new version's file (YAML or JSON)",
	  NULL, 0, 0 },
	AS_ROW("更新する利用者（申請者・管理責任者・管理者）", "the user who updates it (an applicant, a manager or an admin)"),
	COMMENT_ROW,
	FORMAT_ROW,
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd update_cmd = { "profile update",
	"profile update ID FILE --as LOGIN [--comment T] [--format table|json]",
	"プロファイルの新しい版を作り、その版の番号を表示します。前の版はそのまま残ります。事実（と再委託先）が最新の版と"
	"同じなら、コメントや順序が違っても何も書かず「変更なし」と表示します（終了状態 0、版は元のまま）。",
	"Make a new version of the profile and print its number; the versions before stay. When the facts (and "
	"subcontractors) are those of the newest version, whatever the comments, order or format, nothing is "
	"written and it says unchanged (exit status 0, the version stays).",
	update_opts, 2, 2, NULL };

/* FILE read as evaluate reads it: the same messages for a folder, a missing
 * file, a NUL byte. */
static int read_profile(struct cli_dep *x, const char *file, char **text, size_t *n, struct diag *err)
{
	return input_read(&x->a, file, INPUT_MAX, text, n, err);
}

static int add_or_update(int argc, char **argv, int update)
{
	const struct opt_cmd *cmd = update ? &update_cmd : &add_cmd;
	struct diag err = { 0 }, warn = { 0 };
	struct app_profile_result r;
	struct opt_result res;
	struct cli_dep x;
	const char *file;
	char *text;
	size_t n;
	int rc;

	o_format = "table";
	o_as = o_comment = o_policies = NULL;
	if ((rc = opt_parse(cmd, argc, argv, &res)) != OPT_OK)
		return opt_exit(rc);
	file = res.operands[update ? 1 : 0];
	if ((rc = cli_dep_open(&x, cmd->name, DEPLOY_AUDIT | DEPLOY_POLICIES, o_policies, o_as)))
		goto out;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	if ((rc = app_profile_may_write(&x.actor, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (read_profile(&x, file, &text, &n, &err)) {
		print_diag(&err, "");
		cli_error("%s: ファイルを読めません（何も変えていません） / cannot read the file (nothing was changed)", cmd->name);
		rc = EXIT_USAGE;
		goto out;
	}
	if (update)
		rc = app_profile_update(&x.dep, &x.actor, res.operands[0], file, text, n, o_comment, &r, &err, &warn, &x.e);
	else
		rc = app_profile_add(&x.dep, &x.actor, file, text, n, o_comment, &r, &err, &warn, &x.e);
	print_diag(&warn, "shinsa: 警告 / warning: ");
	print_diag(&err, "");
	if (rc) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(app_profile_result_model(&x.a, &r, &warn)));
		goto out;
	}
	/* standard output: the number alone, for scripts; what happened on stderr */
	if (printf("%s\n", update ? arena_printf(&x.a, "%lld", r.p.version) : r.p.id) < 0 || fflush(stdout)) {
		cli_error("%s: 出力を書けません / cannot write the output", cmd->name);
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (!update)
		fprintf(stderr, "プロファイル %1$s（版 1）を登録しました: %2$s / added profile %1$s (version 1): %2$s\n", r.p.id,
		        r.p.name[0] ? r.p.name : "（名称なし / no service.name）");
	else if (!r.changed)
		fprintf(stderr, "変更はありません: プロファイル %1$s は版 %2$lld のままです / unchanged: profile %1$s stays at "
		        "version %2$lld\n", r.p.id, r.p.version);
	else
		fprintf(stderr, "プロファイル %1$s を版 %2$lld にしました%3$s / profile %1$s is now at version %2$lld%4$s\n",
		        r.p.id, r.p.version, r.subcontractors_changed ? "（再委託先が変わりました）" : "",
		        r.subcontractors_changed ? " (the subcontractors changed)" : "");
	rc = EXIT_OK;
out:
	diag_free(&err);
	diag_free(&warn);
	cli_dep_close(&x);
	return rc;
}

static int profile_add_cmd(int argc, char **argv)
{
	return add_or_update(argc, argv, 0);
}

static int profile_update_cmd(int argc, char **argv)
{
	return add_or_update(argc, argv, 1);
}

/* ---- show ---- */

static const struct opt show_opts[] = {
	{ OPT_OPERAND, "ID", 0, NULL, NULL, "プロファイルの番号", "the profile's id", NULL, 0, 0 },
	{ OPT_INT, "version", 0, "N", &o_version, "この版（既定: 最新）", "this version (default: the newest)", NULL, 1,
	  999999999999999LL },
	{ OPT_CHOICE, "format", 0, "F", &o_format,
	  "table（既定）| json（doc に事実の全体）| source（登録されたファイルの内容そのまま）",
	  "table (the default) | json (the whole document in doc) | source (the file's text as it was given)",
	  formats_show, 0, 0 },
	{ OPT_STRING, "policies", 0, "DIR", &o_policies,
	  "国名を読む基準ファイルのフォルダ（reference/iso3166-1.yaml。既定は evaluate と同じ）",
	  "the folder of policy packs to read the countries' names from (reference/iso3166-1.yaml; the default "
	  "as for evaluate)", NULL, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd show_cmd = { "profile show", "profile show ID [--version N] [--format table|json|source]",
	"プロファイルの版（既定: 最新）を、再委託先と版の履歴とともに表示します。",
	"Show a version of a profile (default: the newest) with its subcontractors and its versions.",
	show_opts, 1, 1, NULL };

static void kv(struct table *t, const char *k, const char *v)
{
	const char *row[2] = { k, v };

	table_add(t, row);
}

static void show_table(struct arena *a, const struct lval *m)
{
	static const char *head2[] = { "項目 / item", "内容 / value" };
	static const char *heads[] = { "名称", "役割", "所在国", "地域", "備考" };
	static const char *headv[] = { "版", "日時", "登録者", "ファイル", "サービス" };
	const struct lval *subs = vb_get(m, "subcontractors"), *vs = vb_get(m, "versions");
	struct table t;
	size_t i;

	table_init(&t, 2, head2);
	kv(&t, "プロファイル / profile", vb_get_str(m, "id", ""));
	kv(&t, "版 / version", num(m, "version") == num(m, "newest")
	   ? arena_printf(a, "%lld（最新 / newest）", num(m, "version"))
	   : arena_printf(a, "%lld（最新は %lld / the newest is %lld）", num(m, "version"), num(m, "newest"),
	                  num(m, "newest")));
	kv(&t, "日時 / at", vb_get_str(m, "at", ""));
	kv(&t, "登録者 / by", vb_get_str(m, "actor", ""));
	kv(&t, "ファイル / file", arena_printf(a, "%s（%s）", vb_get_str(m, "file", ""), vb_get_str(m, "format", "")));
	kv(&t, "サービス / service", vb_get_str(m, "name", ""));
	kv(&t, "提供事業者 / provider", vb_get_str(m, "provider", ""));
	table_print(&t, stdout);
	table_free(&t);

	printf("\n再委託先 / subcontractors: %zu\n", subs ? (size_t)subs->n : 0);
	if (subs && subs->n) {
		table_init(&t, 5, heads);
		for (i = 0; i < subs->n; i++) {
			const struct lval *s = subs->u.arr[i];
			const char *ja = vb_get_str(s, "location_ja", NULL), *row[5];

			row[0] = vb_get_str(s, "name", "");
			row[1] = vb_get_str(s, "role", "");
			row[2] = ja ? arena_printf(a, "%s（%s）", vb_get_str(s, "location", ""), ja) : vb_get_str(s, "location", "");
			row[3] = vb_get_str(s, "region", "");
			row[4] = vb_get_str(s, "note", "");
			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}

	printf("\n版の履歴 / versions: %zu\n", vs ? (size_t)vs->n : 0);
	table_init(&t, 5, headv);
	table_set_nowrap(&t, 0);
	for (i = 0; vs && i < vs->n; i++) {
		const struct lval *v = vs->u.arr[i];
		const char *row[5];

		row[0] = arena_printf(a, "%lld%s", num(v, "version"), num(v, "version") == num(m, "version") ? " *" : "");
		row[1] = vb_get_str(v, "at", "");
		row[2] = vb_get_str(v, "actor", "");
		row[3] = vb_get_str(v, "file", "");
		row[4] = vb_get_str(v, "name", "");
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
}

static int profile_show_cmd(int argc, char **argv)
{
	struct opt_result res;
	struct cli_dep x;
	struct country_list *countries = NULL;
	struct diag d = { 0 };
	const struct lval *m;
	int rc;

	o_format = "table";
	o_policies = NULL;
	o_version = 0;
	if ((rc = opt_parse(&show_cmd, argc, argv, &res)) != OPT_OK)
		return opt_exit(rc);
	if ((rc = cli_dep_open(&x, "profile show", 0, NULL, NULL)))
		goto out;
	/* the countries' names, when the list is there: only for showing */
	if (country_load(&x.a, o_policies ? o_policies : policy_default_dir(), &countries, &d))
		countries = NULL;
	diag_free(&d);
	if ((rc = app_profile_show(&x.dep, &x.a, res.operands[0], o_version, countries, &m, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
	} else if (!strcmp(o_format, "source")) {
		const char *s = vb_get_str(m, "source", "");
		size_t n = strlen(s);

		/* the stored text, as it was given: the one unescaped output here */
		rc = (n && fwrite(s, 1, n, stdout) != n) || fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	} else {
		show_table(&x.a, m);
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- list ---- */

static const struct opt list_opts[] = {
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats_tj, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd list_cmd = { "profile list", "profile list [--format table|json]",
	"登録されたプロファイルを番号順に、最新の版で一覧します。",
	"List the profiles by id, each at its newest version.",
	list_opts, 0, 0, NULL };

static int profile_list_cmd(int argc, char **argv)
{
	static const char *head[] = { "ID", "版", "サービス", "提供事業者", "再委託先", "更新日時", "更新者" };
	struct opt_result res;
	struct cli_dep x;
	const struct lval *m;
	struct table t;
	size_t i;
	int rc;

	o_format = "table";
	if ((rc = opt_parse(&list_cmd, argc, argv, &res)) != OPT_OK)
		return opt_exit(rc);
	if ((rc = cli_dep_open(&x, "profile list", 0, NULL, NULL)))
		goto out;
	if ((rc = app_profile_list(&x.dep, &x.a, &m, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
		goto out;
	}
	if (!m->n) {
		puts("プロファイルはまだありません（shinsa profile add） / no profiles yet (shinsa profile add)");
	} else {
		table_init(&t, 7, head);
		table_set_nowrap(&t, 0);
		table_set_nowrap(&t, 1);
		for (i = 0; i < m->n; i++) {
			const struct lval *p = m->u.arr[i];
			const char *row[7];

			row[0] = vb_get_str(p, "id", "");
			row[1] = arena_printf(&x.a, "%lld", num(p, "version"));
			row[2] = vb_get_str(p, "name", "");
			row[3] = vb_get_str(p, "provider", "");
			row[4] = arena_printf(&x.a, "%lld", num(p, "subcontractors"));
			row[5] = vb_get_str(p, "updated_at", "");
			row[6] = vb_get_str(p, "updated_by", "");
			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- the subcommands ---- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "add", profile_add_cmd },
	{ "update", profile_update_cmd },
	{ "show", profile_show_cmd },
	{ "list", profile_list_cmd },
};

static const struct opt profile_opts[] = {
	{ OPT_OPERAND, "SUBCOMMAND", 0, NULL, NULL, "add, update, show, list（各々 --help で詳細）",
	  "add, update, show, list (each with --help for its options)", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd profile_cmd = { "profile",
	"profile add FILE --as LOGIN [--comment T] [--format table|json]\n"
	"profile update ID FILE --as LOGIN [--comment T] [--format table|json]\n"
	"profile show ID [--version N] [--format table|json|source]\n"
	"profile list [--format table|json]",
	"サービスのプロファイル: 登録、版の更新、表示、一覧。一度作ったプロファイルを、どの申請にも使えます（docs/profiles.md）",
	"service profiles: add, update (a new version), show, list; a profile made once serves every application "
	"(docs/profiles.md)",
	profile_opts, 1, 1, NULL };

int cmd_profile(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || cli_is_help(argv[1])) {
		opt_help(&profile_cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	cli_error("profile: 不明なサブコマンド '%1$s' です（add, update, show, list） / unknown subcommand '%1$s' (add, "
	          "update, show, list)", argv[1]);
	return EXIT_USAGE;
}
