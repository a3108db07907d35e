/* shinsa review: the reviews of services in use — list them (due, overdue),
 * record one done, record an event that starts the reviews listing it. The
 * work and the models are app/review.c's; this file reads the options and
 * prints. */
#include "cli/cli.h"
#include "cli/deploy.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <stdio.h>
#include <string.h>

#include "app/review.h"
#include "core/isotime.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", NULL };
static const char *o_format, *o_app, *o_as, *o_today, *o_findings, *o_date, *o_kind, *o_note, *o_policies;
static int o_due, o_overdue;
static struct opt_list o_items, o_untils;

#define TODAY_OPT \
	{ OPT_STRING, "today", 0, "DATE", &o_today, \
	  "確認・試験用: 今日をこの日（YYYY-MM-DD）とみなします（既定: 日本時間の今日）", \
	  "for checks and tests: take DATE (YYYY-MM-DD) as today (default: today in JST)", NULL, 0, 0 }
#define FORMAT_OPT \
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats, 0, 0 }
#define AS_OPT(what_ja, what_en) \
	{ OPT_STRING, "as", 0, "LOGIN", &o_as, what_ja, what_en, NULL, 0, 0 }

static void reset(void)
{
	o_format = "table";
	o_app = o_as = o_today = o_findings = o_date = o_kind = o_note = o_policies = NULL;
	o_due = o_overdue = 0;
	memset(&o_items, 0, sizeof(o_items));
	memset(&o_untils, 0, sizeof(o_untils));
}

/* --today, or today in JST: days since 1970-01-01. */
static int today_of(const char *cmd, int64_t *today)
{
	char d[ISOTIME_BUFSZ];

	if (!o_today) {
		isotime_date_jst(isotime_now(), d);
		return app_review_parse_date(d, today) ? EXIT_INTERNAL : OK;
	}
	if (strlen(o_today) != 10 || app_review_parse_date(o_today, today)) {
		cli_error("%1$s: --today %2$s: 日付（YYYY-MM-DD）ではありません / --today %2$s is not a date (YYYY-MM-DD)",
		          cmd, o_today);
		return EXIT_USAGE;
	}
	return OK;
}

/* The trigger as a table cell: 定期（周期の定めなし（本システムの設定: 12か月）） … */
static const char *trigger_cell(struct arena *a, const struct lval *r)
{
	const char *t = vb_get_str(r, "trigger_ja", ""), *note = vb_get_str(r, "cycle_note", NULL);
	const struct lval *ev = vb_get(r, "recorded_event");

	if (note) {
		const char *slash = strstr(note, " / ");

		return arena_printf(a, "%s: %.*s", t, slash ? (int)(slash - note) : (int)strlen(note), note);
	}
	if (ev && ev->type == LV_OBJ)
		return arena_printf(a, "%s: %s（%s）", t, vb_get_str(ev, "kind_ja", ""), vb_get_str(ev, "date", ""));
	if (vb_get_str(r, "trigger_text", NULL))
		return arena_printf(a, "%s: %s", t, vb_get_str(r, "trigger_text", ""));
	return t;
}

static void print_reviews(struct arena *a, const struct lval *list)
{
	static const char *head[] = { "番号 / id", "申請 / app", "点検 / review", "契機 / trigger", "期限 / due",
		"状況 / status", "担当 / owner" };
	struct table t;
	size_t i, j;

	table_init(&t, 7, head);
	table_set_nowrap(&t, 0);
	table_set_nowrap(&t, 1);
	table_set_nowrap(&t, 4);
	for (i = 0; list && list->type == LV_ARR && i < list->n; i++) {
		const struct lval *r = list->u.arr[i];
		const char *row[7];

		row[0] = vb_get_str(r, "id", "");
		row[1] = arena_printf(a, "%s（%s %s）", vb_get_str(r, "app", ""), vb_get_str(r, "pack", ""),
		                      vb_get_str(r, "level", ""));
		row[2] = arena_printf(a, "%s%s%s%s", vb_get_str(r, "title", ""), vb_get_str(r, "ref", NULL) ? "（" : "",
		                      vb_get_str(r, "ref", ""), vb_get_str(r, "ref", NULL) ? "）" : "");
		row[3] = trigger_cell(a, r);
		row[4] = vb_get_str(r, "due", "");
		row[5] = vb_get_str(r, "status_ja", "");
		row[6] = vb_get_str(r, "owner", "");
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
	for (i = 0; list && list->type == LV_ARR && i < list->n; i++) {
		const struct lval *r = list->u.arr[i], *notes = vb_get(r, "notes");

		for (j = 0; notes && notes->type == LV_ARR && j < notes->n; j++)
			if (notes->u.arr[j]->type == LV_STR)
				printf("点検 %s: %s\n", vb_get_str(r, "id", ""), notes->u.arr[j]->u.str);
	}
}

/* ---- list ---- */

static const struct opt list_opts[] = {
	{ OPT_FLAG, "due", 0, NULL, &o_due, "実施時期の点検（期限の通知日数以内、期限超過を含む）だけ",
	  "only the reviews that are due (within the notice window, or overdue)", NULL, 0, 0 },
	{ OPT_FLAG, "overdue", 0, NULL, &o_overdue, "期限を過ぎて未実施の点検だけ", "only the overdue reviews", NULL, 0, 0 },
	{ OPT_STRING, "app", 0, "APP", &o_app, "この申請の点検だけ", "only this application's reviews", NULL, 0, 0 },
	TODAY_OPT,
	FORMAT_OPT,
	OPT_END_ROW,
};
static const struct opt_cmd list_cmd = { "review list",
	"review list [--due] [--overdue] [--app APP] [--today DATE] [--format table|json]",
	"点検の一覧: 予定、実施時期（期限まで review_notice_days 日以内）、期限超過、実施済、停止（利用終了）。",
	"The reviews: scheduled, due (within review_notice_days of the due date), overdue, done, stopped (the "
	"service's use ended).",
	list_opts, 0, 0, NULL };

static int review_list_cmd(int argc, char **argv)
{
	struct cli_dep x;
	struct opt_result res;
	struct app_review_query q;
	const struct lval *m;
	int rc;

	reset();
	if ((rc = opt_parse(&list_cmd, argc, argv, &res)))
		return opt_exit(rc);
	memset(&q, 0, sizeof(q));
	if ((rc = today_of("review list", &q.today)))
		return rc;
	q.app = o_app;
	q.due = o_due;
	q.overdue = o_overdue;
	if ((rc = cli_dep_open(&x, "review list", 0, NULL, NULL)))
		goto out;
	if ((rc = app_review_list(&x.dep, &x.a, &q, &m, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
	} else {
		const struct lval *list = vb_get(m, "reviews");

		if (!list || !list->n)
			printf("該当する点検はありません / no reviews%s\n",
			       o_overdue ? "（期限超過 / overdue）" : o_due ? "（実施時期 / due）" : "");
		else
			print_reviews(&x.a, list);
		printf("今日 / today: %s、通知 / notice: %lld 日前から / days ahead\n", vb_get_str(m, "today", ""),
		       (long long)vb_get(m, "notice_days")->u.num);
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- done ---- */

static const struct opt done_opts[] = {
	AS_OPT("点検を行った利用者（基準の定める実施者に割り当てられた利用者、又は申請の管理責任者）",
	       "who did the review (a user bound to the pack's actor, or the application's manager)"),
	{ OPT_STRING, "findings", 0, "TEXT", &o_findings, "点検の結果（所見）", "what the review found", NULL, 0, 0 },
	{ OPT_LIST, "item", 0, "ID=VALUE", &o_items,
	  "点検で判定した項目: met（適合）| unmet（不適合）| not-applicable（対象外）。繰り返し指定できます",
	  "an item the review judged: met | unmet | not-applicable; repeatable", NULL, 0, 0 },
	{ OPT_LIST, "risk-until", 0, "RISK=DATE", &o_untils,
	  "受容したリスクの期限を決め直す（DATE: YYYY-MM-DD、none で期限なし）。繰り返し指定できます",
	  "re-decide an accepted risk's until (DATE: YYYY-MM-DD, or none); repeatable", NULL, 0, 0 },
	{ OPT_STRING, "date", 0, "D", &o_date, "点検を行った日（YYYY-MM-DD、既定: 今日）",
	  "the day the review was done (YYYY-MM-DD; default: today)", NULL, 0, 0 },
	TODAY_OPT,
	FORMAT_OPT,
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd done_cmd = { "review done",
	"review done REVIEW --as LOGIN [--findings TEXT] [--item ID=VALUE…] [--risk-until RISK=DATE…]\n"
	"    [--date D] [--today DATE] [--format table|json]",
	"点検の実施を記録します: 所見、実施者、判定した項目。定期の点検は次回を予定します。利用が終了した申請の点検は"
	"停止しています。",
	"Record a review as done: its findings, who did it, the items it judged. A cyclic review schedules the "
	"next one. The reviews of a service whose use has ended have stopped.",
	done_opts, 1, 1, NULL };

/* "ID=VALUE" split into a (id, value); -1 when there is no '=' or either side is empty. */
static int split_eq(struct arena *a, const char *s, const char **k, const char **v)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s || !eq[1])
		return -1;
	*k = arena_strndup(a, s, (size_t)(eq - s));
	*v = eq + 1;
	return 0;
}

static int review_done_cmd(int argc, char **argv)
{
	struct cli_dep x;
	struct opt_result res;
	struct app_review_done_in in;
	struct app_review_judged *items;
	struct app_review_until *untils;
	const struct lval *m;
	size_t i;
	int rc;

	reset();
	if ((rc = opt_parse(&done_cmd, argc, argv, &res)))
		return opt_exit(rc);
	memset(&in, 0, sizeof(in));
	if ((rc = today_of("review done", &in.today)))
		goto free_opts;
	if ((rc = cli_dep_open(&x, "review done", DEPLOY_AUDIT | DEPLOY_POLICIES, o_policies, o_as)))
		goto out;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	items = arena_zalloc(&x.a, (o_items.n + 1) * sizeof(*items));
	untils = arena_zalloc(&x.a, (o_untils.n + 1) * sizeof(*untils));
	for (i = 0; i < o_items.n; i++)
		if (split_eq(&x.a, o_items.v[i], &items[i].id, &items[i].value)) {
			cli_error("review done: --item %1$s: 項目=判定（例 7-3-5=met）で指定します / --item %1$s takes "
			          "ID=VALUE (7-3-5=met)", o_items.v[i]);
			rc = EXIT_USAGE;
			goto out;
		}
	for (i = 0; i < o_untils.n; i++)
		if (split_eq(&x.a, o_untils.v[i], &untils[i].risk, &untils[i].until)) {
			cli_error("review done: --risk-until %1$s: リスク=日付（例 R1=2027-03-31、none で期限なし）で指定します / "
			          "--risk-until %1$s takes RISK=DATE (R1=2027-03-31, or none)", o_untils.v[i]);
			rc = EXIT_USAGE;
			goto out;
		}
	in.findings = o_findings;
	in.items = items;
	in.nitems = o_items.n;
	in.untils = untils;
	in.nuntils = o_untils.n;
	in.date = o_date;
	if ((rc = app_review_done(&x.dep, &x.actor, res.operands[0], &in, &m, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
	} else {
		const struct lval *r = vb_get(m, "review"), *next = vb_get(m, "next"), *risks = vb_get(m, "risks");

		printf("点検 %s を実施済みとしました（%s、%s） / review %s done\n", vb_get_str(r, "id", ""),
		       vb_get_str(r, "done_date", ""), vb_get_str(r, "done_by", ""), vb_get_str(r, "id", ""));
		if (next && next->type == LV_OBJ)
			printf("次回 / next: 点検 %s、期限 %s（%s）\n", vb_get_str(next, "id", ""), vb_get_str(next, "due", ""),
			       trigger_cell(&x.a, next));
		for (i = 0; risks && risks->type == LV_ARR && i < risks->n; i++) {
			const struct lval *k = risks->u.arr[i];

			printf("リスク %s の期限 / until: %s → %s\n", vb_get_str(k, "risk", ""),
			       *vb_get_str(k, "before", "") ? vb_get_str(k, "before", "") : "なし / none",
			       *vb_get_str(k, "until", "") ? vb_get_str(k, "until", "") : "なし / none");
		}
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
free_opts:
	opt_list_free(&o_items);
	opt_list_free(&o_untils);
	return rc;
}

/* ---- event ---- */

static const struct opt event_opts[] = {
	{ OPT_STRING, "kind", 0, "K", &o_kind,
	  "契機: personnel-move（人事異動）| subcontractor-change（委託先の変更）| provider-change-notice（提供者からの"
	  "変更通知）| contract-renewal（契約の更新）| certificate-expiry（認証の有効期限）",
	  "the event: personnel-move | subcontractor-change | provider-change-notice | contract-renewal | "
	  "certificate-expiry", NULL, 0, 0 },
	AS_OPT("記録する利用者（申請の管理責任者、又は点検の実施者に割り当てられた利用者）",
	       "who records it (the application's manager, or a user bound to a review's actor)"),
	{ OPT_STRING, "date", 0, "D", &o_date, "契機の日（YYYY-MM-DD、既定: 今日）", "the event's day (YYYY-MM-DD; default: today)",
	  NULL, 0, 0 },
	{ OPT_STRING, "note", 0, "T", &o_note, "契機の内容（変更通知の要旨など）", "what happened (the notice's gist…)", NULL, 0, 0 },
	TODAY_OPT,
	FORMAT_OPT,
	OPT_POLICIES(&o_policies),
	OPT_END_ROW,
};
static const struct opt_cmd event_cmd = { "review event",
	"review event APP --kind K --as LOGIN [--date D] [--note T] [--today DATE] [--format table|json]",
	"点検の契機（委託先の変更、提供者からの変更通知など）を記録し、その契機を定める点検を実施時期にします"
	"（期限: 契機の日から review_event_days 日）。",
	"Record an event (a change of subcontractor, a change notice from the provider…): each of the "
	"application's reviews that lists it falls due (review_event_days after the event).",
	event_opts, 1, 1, NULL };

static int review_event_cmd(int argc, char **argv)
{
	struct cli_dep x;
	struct opt_result res;
	const struct lval *m;
	int64_t today;
	int rc;
	size_t i;

	reset();
	if ((rc = opt_parse(&event_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if (!o_kind) {
		cli_error("review event: --kind K を指定してください（%s） / review event needs --kind K (one of: %s)",
		          "personnel-move, subcontractor-change, provider-change-notice, contract-renewal, certificate-expiry",
		          "personnel-move, subcontractor-change, provider-change-notice, contract-renewal, certificate-expiry");
		return EXIT_USAGE;
	}
	if ((rc = today_of("review event", &today)))
		return rc;
	if ((rc = cli_dep_open(&x, "review event", DEPLOY_AUDIT | DEPLOY_POLICIES, o_policies, o_as)))
		goto out;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	if ((rc = app_review_event(&x.dep, &x.actor, res.operands[0], o_kind, o_date, o_note, today, &m, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(m));
	} else {
		const struct lval *created = vb_get(m, "created"), *skipped = vb_get(m, "skipped");

		printf("申請 %s の契機「%s」（%s）を記録しました / recorded %s for application %s\n", vb_get_str(m, "app", ""),
		       vb_get_str(m, "kind_ja", ""), vb_get_str(m, "date", ""), vb_get_str(m, "kind", ""),
		       vb_get_str(m, "app", ""));
		print_reviews(&x.a, created);
		for (i = 0; skipped && skipped->type == LV_ARR && i < skipped->n; i++)
			printf("対象外 / skipped: %s: %s\n", vb_get_str(skipped->u.arr[i], "review", ""),
			       vb_get_str(skipped->u.arr[i], "reason", ""));
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
	return rc;
}

/* ---- the command ---- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "list", review_list_cmd },
	{ "done", review_done_cmd },
	{ "event", review_event_cmd },
};

static const struct opt review_opts[] = {
	{ OPT_OPERAND, "SUBCOMMAND", 0, NULL, NULL, "list, done, event（各々 --help で詳細）",
	  "list, done, event (each has --help)", NULL, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd review_cmd = { "review",
	"review list [--due] [--overdue] [--app APP] [--format table|json]\n"
	"review done REVIEW --as LOGIN [--findings TEXT] [--item ID=VALUE…] [--date D]\n"
	"review event APP --kind K --as LOGIN [--date D] [--note T]",
	"利用中のサービスの点検: 一覧、実施の記録、契機の記録（docs/reviews.md）",
	"reviews of services in use: list, record one done, record an event (docs/reviews.md)",
	review_opts, 1, 1, NULL };

int cmd_review(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || cli_is_help(argv[1])) {
		opt_help(&review_cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	cli_error("review: 不明なサブコマンド '%1$s' です（list, done, event） / unknown subcommand '%1$s' (list, done, "
	          "event)", argv[1]);
	return EXIT_USAGE;
}
