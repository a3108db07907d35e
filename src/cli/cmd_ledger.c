/* shinsa ledger: the ledger of approved services, searched and filtered,
 * as a table, JSON or CSV (UTF-8 with a BOM, the ledger fields' Japanese
 * labels as headers). The model is app/ledger.c's; this file prints it. */
#include "cli/cli.h"
#include "cli/deploy.h"
#include "cli/opt.h"
#include "cli/table.h"
#include "render/csv.h"

#include <stdio.h>
#include <string.h>

#include "app/ledger.h"
#include "app/review.h"
#include "core/isotime.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", "csv", NULL };
static const char *o_format, *o_dept, *o_level, *o_provider, *o_state, *o_expiring, *o_today, *o_policies;
static int o_history;
static long long o_limit, o_offset;

static const struct opt ledger_opts[] = {
	{ OPT_STRING, "dept", 0, "D", &o_dept, "この所属（申請者の所属）の申請だけ", "only this department's (the applicant's)",
	  NULL, 0, 0 },
	{ OPT_STRING, "level", 0, "L", &o_level, "この区分（基準の区分の id）だけ", "only this level (the pack's level id)",
	  NULL, 0, 0 },
	{ OPT_STRING, "provider", 0, "P", &o_provider, "提供者の名称にこの文字列を含むものだけ",
	  "only those whose provider's name contains P", NULL, 0, 0 },
	{ OPT_STRING, "state", 0, "S", &o_state,
	  "この状態だけ: approved | in-use | end-reported | deletion-confirmed | closed（履歴）",
	  "only this state: approved | in-use | end-reported | deletion-confirmed | closed (the history)", NULL, 0, 0 },
	{ OPT_FLAG, "history", 0, NULL, &o_history, "完了（closed）した申請も含める（台帳の履歴）",
	  "with the closed ones too (the ledger's history)", NULL, 0, 0 },
	{ OPT_STRING, "expiring-before", 0, "DATE", &o_expiring, "利用期間（app.period_end）がこの日より前に終わるものだけ",
	  "only those whose period (app.period_end) ends before DATE", NULL, 0, 0 },
	{ OPT_INT, "limit", 0, "N", &o_limit, "最大 N 行（既定: すべて）", "at most N rows (default: all)", NULL, 0,
	  1000000 },
	{ OPT_INT, "offset", 0, "N", &o_offset, "先頭の N 行を飛ばす", "skip the first N rows", NULL, 0, 1000000000 },
	{ OPT_STRING, "today", 0, "DATE", &o_today,
	  "確認・試験用: 今日をこの日（YYYY-MM-DD）とみなします（次回点検の状況）",
	  "for checks and tests: take DATE (YYYY-MM-DD) as today (the next review's status)", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json | csv（UTF-8、BOM 付き）",
	  "table (the default) | json | csv (UTF-8 with a BOM)", formats, 0, 0 },
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd ledger_cmd = { "ledger",
	"ledger [--dept D] [--level L] [--provider P] [--state S] [--history] [--expiring-before DATE]\n"
	"    [--limit N] [--offset N] [--format table|json|csv]",
	"承認済みサービスの台帳（承認済、利用中、利用終了報告済、削除確認済。完了したものは --history / --state closed）を、"
	"基準の台帳項目（乙訓 5.2(4) ①〜⑧、安城 第5条第2項 (1)〜(9)）とともに示します。",
	"The ledger of approved services (approved, in use, end reported, deletion confirmed; the closed ones "
	"with --history or --state closed), with each pack's ledger fields (乙訓 5.2(4) ①–⑧, 安城 第5条第2項 "
	"(1)–(9)).",
	ledger_opts, 0, 0, NULL };

static const char *s_or(const struct lval *o, const char *k)
{
	return vb_get_str(o, k, "");
}

static const char *date_of(struct arena *a, const char *t)
{
	return t && strlen(t) >= 10 ? arena_strndup(a, t, 10) : (t ? t : "");
}

static const char *next_text(struct arena *a, const struct lval *r)
{
	const struct lval *n = vb_get(r, "next_review");

	if (!n || n->type != LV_OBJ)
		return "";
	return arena_printf(a, "%s（%s）", s_or(n, "due"), s_or(n, "status_ja"));
}

/* The fixed columns. */
#define NFIXED 10
static const char *const fixed_head[NFIXED] = { "番号", "状態", "基準", "区分", "所属", "提供者", "サービス",
	"承認日", "利用期間の終了", "次回点検" };

static void fixed_cells(struct arena *a, const struct lval *r, const char **c)
{
	c[0] = s_or(r, "id");
	c[1] = s_or(r, "state_ja");
	c[2] = arena_printf(a, "%s%s%s%s", s_or(r, "pack"), *s_or(r, "pack_body") ? "（" : "", s_or(r, "pack_body"),
	                    *s_or(r, "pack_body") ? "）" : "");
	c[3] = arena_printf(a, "%s%s%s%s", s_or(r, "level"), *s_or(r, "level_name") ? "（" : "", s_or(r, "level_name"),
	                    *s_or(r, "level_name") ? "）" : "");
	c[4] = s_or(r, "dept");
	c[5] = s_or(r, "provider");
	c[6] = s_or(r, "service");
	c[7] = date_of(a, vb_get_str(r, "approved_at", ""));
	c[8] = s_or(r, "period_end");
	c[9] = next_text(a, r);
}

static int print_csv(struct arena *a, const struct lval *m)
{
	const struct lval *rows = vb_get(m, "rows"), *cols = vb_get(m, "columns");
	size_t ncols = NFIXED + (cols ? cols->n : 0), i, j, k;
	const char **cells = arena_alloc(a, ncols * sizeof(*cells));
	struct buf out = BUF_INIT;
	int rc;

	buf_adds(&out, CSV_BOM);
	for (i = 0; i < NFIXED; i++)
		cells[i] = fixed_head[i];
	for (i = 0; cols && i < cols->n; i++)
		cells[NFIXED + i] = cols->u.arr[i]->u.str;
	csv_fields(&out, cells, ncols);
	for (i = 0; rows && i < rows->n; i++) {
		const struct lval *r = rows->u.arr[i], *fields = vb_get(r, "fields");

		fixed_cells(a, r, cells);
		for (j = 0; cols && j < cols->n; j++) {
			cells[NFIXED + j] = "";
			for (k = 0; fields && k < fields->n; k++)
				if (!strcmp(s_or(fields->u.arr[k], "label"), cols->u.arr[j]->u.str))
					cells[NFIXED + j] = s_or(fields->u.arr[k], "value");
		}
		csv_fields(&out, cells, ncols);
	}
	rc = cli_write(&out, stdout);
	buf_free(&out);
	return rc;
}

static void print_table(struct arena *a, const struct lval *m)
{
	static const char *head[NFIXED] = { "番号 / id", "状態 / state", "基準 / pack", "区分 / level", "所属 / dept",
		"提供者 / provider", "サービス / service", "承認日 / approved", "期間の終了 / ends", "次回点検 / next review" };
	const struct lval *rows = vb_get(m, "rows");
	struct table t;
	size_t i, j;

	if (!rows || !rows->n) {
		printf("台帳に該当する申請はありません / nothing on the ledger matches\n");
		return;
	}
	table_init(&t, NFIXED, head);
	table_set_nowrap(&t, 0);
	table_set_nowrap(&t, 7);
	table_set_nowrap(&t, 8);
	for (i = 0; i < rows->n; i++) {
		const char *c[NFIXED];

		fixed_cells(a, rows->u.arr[i], c);
		table_add(&t, c);
	}
	table_print(&t, stdout);
	table_free(&t);
	/* each row's ledger fields, in the pack's words */
	for (i = 0; i < rows->n; i++) {
		const struct lval *r = rows->u.arr[i], *fields = vb_get(r, "fields");

		printf("\n台帳項目 / ledger fields: 申請 / app %s（%s %s）\n", s_or(r, "id"), s_or(r, "pack"), s_or(r, "level"));
		if (*s_or(r, "ledger_note"))
			printf("  %s\n", s_or(r, "ledger_note"));
		for (j = 0; fields && j < fields->n; j++) {
			const struct lval *f = fields->u.arr[j];

			printf("  %s: %s\n", s_or(f, "label"), *s_or(f, "value") ? s_or(f, "value") : "（未記入 / not given）");
		}
	}
	printf("\n%lld 件中 %lld 件 / %lld of %lld\n", (long long)vb_get(m, "total")->u.num,
	       (long long)vb_get(m, "count")->u.num, (long long)vb_get(m, "count")->u.num,
	       (long long)vb_get(m, "total")->u.num);
}

int cmd_ledger(int argc, char **argv)
{
	struct cli_dep x;
	struct opt_result res;
	struct app_ledger_query q;
	const struct lval *m;
	char d[ISOTIME_BUFSZ];
	int rc;

	o_format = "table";
	o_dept = o_level = o_provider = o_state = o_expiring = o_today = o_policies = NULL;
	o_history = 0;
	o_limit = o_offset = 0;
	if ((rc = opt_parse(&ledger_cmd, argc, argv, &res)))
		return opt_exit(rc);
	memset(&q, 0, sizeof(q));
	if (!o_today)
		o_today = isotime_date_jst(isotime_now(), d);
	if (strlen(o_today) != 10 || app_review_parse_date(o_today, &q.today)) {
		cli_error("ledger: --today %1$s: 日付（YYYY-MM-DD）ではありません / --today %1$s is not a date (YYYY-MM-DD)",
		          o_today);
		return EXIT_USAGE;
	}
	q.dept = o_dept;
	q.level = o_level;
	q.provider = o_provider;
	q.state = o_state;
	q.expiring_before = o_expiring;
	q.history = o_history;
	q.limit = o_limit;
	q.offset = o_offset;
	if ((rc = cli_dep_open(&x, "ledger", DEPLOY_POLICIES, o_policies, NULL)))
		goto out;
	if ((rc = app_ledger_model(&x.dep, &x.a, &q, &m, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
	} else if (!strcmp(o_format, "csv")) {
		rc = err_exit_status(print_csv(&x.a, m));
	} else {
		print_table(&x.a, m);
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
	return rc;
}
