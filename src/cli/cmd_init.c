/* shinsa init: create or migrate the store and make its audit key; the work
 * and the report's model are app_init's (src/app/init.c), this file reads the
 * settings and prints the model. */
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <string.h>

#include "app/audit.h"
#include "app/config.h"
#include "app/init.h"
#include "logic/value.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", NULL };
static const char *o_format = "table";

static const struct opt init_opts[] = {
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats, 0, 0 },
	{ OPT_TEXT, NULL, 0, NULL, NULL,
	  "\n全体のオプション --db FILE と --config FILE がデータベースと設定を決めます（shinsa --help）。",
	  "The global options --db FILE and --config FILE choose the database and the configuration "
	  "(shinsa --help).", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd init_cmd = {
	"init",
	"[--db FILE] [--config FILE] init [--format table|json]",
	"データベースがなければ作り、古ければ最新のスキーマに更新します。設定ファイルの団体名を記録し、監査鍵"
	"（32 バイトの乱数、モード 0600）がなければ作ります。既にある鍵は上書きしません。何度実行しても同じ結果"
	"になり、何も変えなかったときはそう表示します。",
	"Create the database if there is none, or migrate it to the newest schema; record the configuration's "
	"body name; make the audit key (32 random bytes, mode 0600) if there is none, never overwriting one. "
	"Running it again changes nothing, and says so.",
	init_opts, 0, 0, NULL,
};

static const char *yes_no(const struct lval *o, const char *key, const char *yes, const char *no)
{
	const struct lval *v = vb_get(o, key);

	return v && v->type == LV_BOOL && v->b ? yes : no;
}

static void print_table(struct arena *a, const struct lval *m, struct buf *out)
{
	const struct lval *db = vb_get(m, "database"), *sc = vb_get(m, "schema"),
	                  *body = vb_get(m, "body_name"), *key = vb_get(m, "audit_key");
	const char *status = vb_get_str(m, "status", ""), *head[] = { "項目 / item", "内容 / value" }, *row[2];
	struct table t;

	if (!strcmp(status, "unchanged"))
		buf_adds(out, "変更はありません（既に最新です） / nothing to do: already up to date\n\n");
	else if (!strcmp(status, "created"))
		buf_adds(out, "データベースを作りました / created the database\n\n");
	else if (!strcmp(status, "migrated"))
		buf_adds(out, "データベースを更新しました / migrated the database\n\n");
	else
		buf_adds(out, "設定を更新しました / updated the settings\n\n");
	if (cli_write(out, stdout))
		return;
	buf_reset(out);
	table_init(&t, 2, head);
	row[0] = "データベース / database";
	row[1] = arena_printf(a, "%s（%s）%s", vb_get_str(db, "location", ""), vb_get_str(db, "backend", ""),
	                      yes_no(db, "created", " 作成 / created", ""));
	table_add(&t, row);
	row[0] = "作成日時 / created at";
	row[1] = vb_get_str(db, "created_at", "");
	table_add(&t, row);
	row[0] = "スキーマ / schema";
	row[1] = arena_printf(a, "版 / version %lld%s", (long long)vb_get(sc, "version")->u.num,
	                      vb_get(sc, "applied")->u.num > 0 && vb_get(sc, "before")->u.num > 0
	                      ? arena_printf(a, "（%lld から更新 / migrated from %lld）",
	                                     (long long)vb_get(sc, "before")->u.num,
	                                     (long long)vb_get(sc, "before")->u.num)
	                      : "");
	table_add(&t, row);
	row[0] = "団体名 / body";
	row[1] = arena_printf(a, "%s%s", vb_get_str(body, "value", "（未設定 / not set: body_name in the configuration）"),
	                      yes_no(body, "changed", " 記録 / recorded", ""));
	table_add(&t, row);
	row[0] = "監査鍵 / audit key";
	row[1] = arena_printf(a, "%s%s", vb_get_str(key, "path", ""),
	                      yes_no(key, "created", " 作成（0600） / created (0600)", " 既存 / kept"));
	table_add(&t, row);
	table_print(&t, stdout);
	table_free(&t);
}

int cmd_init(int argc, char **argv)
{
	struct opt_result res;
	struct app_config c;
	struct app_init_req r;
	const struct lval *m;
	struct err e = { 0 };
	struct arena a;
	struct buf out = BUF_INIT;
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32];
	int rc;

	if ((rc = opt_parse(&init_cmd, argc, argv, &res)))
		return opt_exit(rc);
	arena_init(&a, 0);
	if ((rc = cli_settings(&a, &c)))
		goto out;
	r.database = c.database;
	r.body_name = c.body_name;
	r.audit_key = c.audit_key;
	r.actor = "";
	r.channel = audit_cli_channel(&a);
	if ((rc = app_init(&a, &r, &m, &e))) {
		cli_error("init: %s", err_text(&e, text, sizeof(text)));
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		if (lval_write_json(&out, m) == OK)
			buf_addc(&out, '\n');
	} else {
		print_table(&a, m, &out);
	}
	rc = cli_write(&out, stdout);
out:
	buf_free(&out);
	arena_release(&a);
	return err_exit_status(rc);
}
