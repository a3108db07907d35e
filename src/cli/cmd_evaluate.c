/* shinsa evaluate: what each standard says of a service for a use, criterion
 * by criterion with reasons, the verdict, and the procedure to follow. The
 * assessment's model is built by src/assess (assess_evaluate); this file
 * parses the arguments and prints the model as a table, JSON or CSV. */
#include "cli/cli.h"
#include "render/csv.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "assess/assess_model.h"
#include "assess/country.h"
#include "assess/profile.h"
#include "core/buf.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", "csv", NULL };
static const char *const fail_choices[] = { "incomplete", "consultation", "nonconforming", "prohibited", NULL };

static const char *o_format = "table", *o_policy, *o_level, *o_app, *o_fail_on, *o_dir;

static const struct opt evaluate_opts[] = {
	{ OPT_OPERAND, "PROFILE", 0, NULL, NULL, "サービスの事実（YAML か JSON、docs/facts.md の語彙）",
	  "the service's facts (YAML or JSON, the vocabulary of docs/facts.md)", NULL, 0, 0 },
	{ OPT_STRING, "app", 0, "APP", &o_app, "利用申請（app.*、担当者の回答 answers、リスク判断 risks）",
	  "the application: app.* facts, people's answers and risk decisions", NULL, 0, 0 },
	{ OPT_STRING, "policy", 0, "ID", &o_policy, "基準の ID（shinsa policy list）、または all",
	  "the pack's id (shinsa policy list), or all", NULL, 0, 0 },
	{ OPT_STRING, "level", 0, "L", &o_level, "情報の区分（省略時は申請の app.classification）。--policy all で省略すると、"
	  "すべての基準のすべての区分を配列で出力します", "the level; by default the application's; with --policy all and no "
	  "level, every pack at every level (a JSON array)", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定、日本語）| json | csv（UTF-8、BOM 付き: Excel で開けます）",
	  "table (the default, in Japanese) | json | csv (UTF-8 with a BOM, for Excel)", formats, 0, 0 },
	{ OPT_CHOICE, "fail-on", 0, "V", &o_fail_on, "判定が V 以上に悪いとき終了状態 1（incomplete < consultation < "
	  "nonconforming < prohibited）。既定では判定によらず 0", "exit 1 when a verdict is V or worse; otherwise 0 "
	  "whatever the verdict", fail_choices, 0, 0 },
	OPT_POLICIES(&o_dir),
	OPT_END_ROW,
};

static const struct opt_cmd evaluate_cmd = {
	"evaluate",
	"evaluate PROFILE [--app APP] --policy ID|all [--level L]\n"
	"                [--format table|json|csv] [--fail-on VERDICT] [--policies DIR]",
	"サービスのプロファイル（と利用申請）を基準に照らして審査し、項目ごとの判定と理由、総合判定、必要な手続を表示します。",
	"Assess a service profile (and an application) against a standard: a finding with its reason per criterion, "
	"the verdict, and the procedure to follow.",
	evaluate_opts, 1, 1,
	"判定 / verdicts: exempt 適用除外, prohibited 利用不可, nonconforming 不適合,\n"
	"  consultation 協議要, incomplete 要確認, conforming 適合\n",
};

static const char *str(const struct lval *o, const char *k)
{
	return vb_get_str(o, k, "");
}

static const struct lval *arr(const struct lval *o, const char *k)
{
	const struct lval *v = vb_get(o, k);

	return v && v->type == LV_ARR ? v : NULL;
}

#define EACH(i, a) for (i = 0; (a) && i < (a)->n; i++)

/* ------------------------------------------------------------ table */

/* A number member of a model (a finding's display rank: the model says in
 * which order a person reads the findings of a category), or -1. */
static long num(const struct lval *o, const char *k)
{
	const struct lval *v = vb_get(o, k);

	return v && v->type == LV_NUM ? (long)v->u.num : -1;
}

static const char *status_ja(const char *name)
{
	int s;

	for (s = FS_MET; s <= FS_DEFERRED; s++)
		if (!strcmp(assess_status_name(s), name))
			return assess_status_ja(s);
	return name;
}

static const char *obligation_ja(const char *name)
{
	int ob;

	for (ob = OB_NA; ob <= OB_REQUIRED; ob++)
		if (!strcmp(policy_obligation_name(ob), name))
			return policy_obligation_ja(ob);
	if (!strcmp(name, "alternative"))
		return "選択肢";           /* an alternative of an any-of group */
	return name;
}

/* first, then the items of l joined by sep ("" when l is empty) */
static const char *list_text(struct arena *a, const char *first, const char *sep, const struct lval *l)
{
	const char *s = "";
	size_t i;

	EACH(i, l)
		s = arena_printf(a, "%s%s%s", s, i ? sep : first, l->u.arr[i]->u.str);
	return s;
}

/* A line of text outside the tables, broken to the width like a cell. */
static void para(struct arena *a, size_t hang, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void para(struct arena *a, size_t hang, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	table_para(stdout, s, hang);
}

/* The items judged later, in a section of their own: at a review, at the end of use. */
static void table_deferred(struct arena *a, const struct lval *m)
{
	static const char *head[] = { "確認の時期", "ID", "項目", "義務" };
	const struct lval *ds = arr(m, "deferred");
	struct table t;
	size_t i;

	if (!ds || !ds->n)
		return;
	table_init(&t, 4, head);
	table_set_max(&t, 2, 40);
	EACH(i, ds) {
		const struct lval *d = ds->u.arr[i];
		const char *row[4] = { str(d, "stage_ja"), str(d, "id"), str(d, "title"), str(d, "obligation_ja") };

		table_add(&t, row);
	}
	printf("\n■ 後日確認する項目（点検時・利用終了時に確認。申請時の判定には数えない）\n");
	table_print(&t, stdout);
	table_free(&t);
	(void)a;
}

/* "unspecified" in the pack: the standard does not say. */
static const char *said(const char *s)
{
	return !s || !strcmp(s, "unspecified") ? "基準に定めなし" : s;
}

/* The procedure's points beyond the approver: who applies, the consultations
 * (and which this application skips), the steps, the reviews approval
 * schedules, what ending the use requires. */
static void table_procedure(struct arena *a, const struct lval *proc)
{
	const struct lval *ap = vb_get(proc, "applicant"), *cs = vb_get(proc, "consultations");
	const struct lval *ss = arr(proc, "steps"), *rs = vb_get(proc, "reviews"), *es = vb_get(proc, "end_of_use");
	const struct lval *lt = vb_get(proc, "lead_time");
	size_t i;

	para(a, 6, "申請者: %s", said(ap ? str(ap, "who") : NULL));
	if (cs && cs->type == LV_STR)
		para(a, 6, "協議: 基準に定めなし");
	EACH(i, cs && cs->type == LV_ARR ? cs : NULL) {
		const struct lval *c = cs->u.arr[i], *st = vb_get(c, "stage");

		if (vb_get(c, "skipped") && lval_truthy(vb_get(c, "skipped")))
			para(a, 6, "協議 %s: %s — 適用除外 %s により行わない", str(c, "id"), list_text(a, "", "・", arr(c, "with")),
			     str(c, "skipped_by"));
		else
			para(a, 6, "協議 %s: %s（時期: %s、期限: %s）", str(c, "id"), list_text(a, "", "・", arr(c, "with")),
			     st && st->type == LV_ARR ? list_text(a, "", "・", st) : "基準に定めなし", said(str(c, "deadline")));
	}
	if (lt && lval_truthy(vb_get(lt, "unspecified")))
		para(a, 6, "期限（リードタイム）: 基準に定めなし");
	EACH(i, ss) {
		const struct lval *s = ss->u.arr[i], *ap2 = vb_get(s, "applies");

		if (ap2 && !lval_truthy(ap2))
			continue;
		para(a, 6, "手順（%s）: %s%s（%s）", str(s, "at_ja"), lval_truthy(vb_get(s, "optional")) && strncmp(str(s, "text"), "必要に応じて", strlen("必要に応じて")) ? "必要に応じて " : "",
		     str(s, "text"), said(str(s, "actor")));
	}
	if (rs && rs->type == LV_STR)
		para(a, 6, "点検: 基準に定めなし");
	EACH(i, rs && rs->type == LV_ARR ? rs : NULL) {
		const struct lval *r = rs->u.arr[i], *tr = vb_get(r, "trigger"), *cy = tr ? vb_get(tr, "cycle") : NULL;
		const struct lval *ev = tr ? arr(tr, "events") : NULL, *apl = vb_get(r, "applies");
		const char *when = "";
		size_t k;

		if (apl && apl->type == LV_BOOL && !lval_truthy(apl))
			continue;
		if (cy && cy->type == LV_STR)
			when = arena_printf(a, "周期は基準に定めなし（運用で設定、既定 %lld か月）",
			                    (long long)lval_to_number(vb_get(tr, "default_months")));
		else if (cy && cy->type == LV_OBJ)
			when = arena_printf(a, "%lld か月ごと", (long long)lval_to_number(vb_get(cy, "months")));
		EACH(k, ev)
			when = arena_printf(a, "%s%s%s", when, *when ? "、" : "", str(ev->u.arr[k], "label"));
		para(a, 6, "定期確認 %s: %s（%s）%s", str(r, "id"), str(r, "title"), when,
		     apl && apl->type == LV_NULL ? " — 適用されるか不明" : "");
	}
	if (es && es->type == LV_STR)
		para(a, 6, "利用終了時: 基準に定めなし");
	EACH(i, es && es->type == LV_ARR ? es : NULL)
		para(a, 6, "利用終了時 %s: %s", str(es->u.arr[i], "id"), str(es->u.arr[i], "text"));
}

static void table_assessment(struct arena *a, const struct lval *m)
{
	static const char *head[] = { "状態", "ID", "項目", "義務", "理由" };
	const struct lval *fs = arr(m, "findings"), *gs = arr(m, "groups"), *rs = arr(m, "risks");
	const struct lval *ps = arr(m, "prohibitions"), *proc = vb_get(m, "procedure");
	const struct lval *xps = arr(m, "exemptions_possible");
	const char **cats = arena_alloc(a, (fs && fs->n ? fs->n : 1) * sizeof(*cats));
	size_t i, j, ncat = 0;
	struct table t;
	int rank;

	para(a, 2, "%s「%s」 区分 %s（%s）", str(m, "body"), str(m, "policy_title"), str(m, "level"),
	     str(m, "level_name"));
	para(a, 6, "判定: %s（%s）— %s", str(m, "verdict_ja"), str(m, "verdict"), str(m, "reason"));
	if (!strcmp(str(m, "verdict"), "exempt")) {
		para(a, 10, "次の手続: %s", proc && proc->type == LV_OBJ ? str(proc, "next_step") :
		     "この基準は適用されません。");
		fputc('\n', stdout);
		return;
	}
	EACH(i, arr(m, "categories"))
		cats[ncat++] = arr(m, "categories")->u.arr[i]->type == LV_STR ? arr(m, "categories")->u.arr[i]->u.str
		                                                              : "（区分なし）";
	for (j = 0; j < ncat; j++) {
		int shown = 0;

		table_init(&t, 5, head);
		table_set_max(&t, 2, 30);
		table_set_max(&t, 4, 48);
		table_set_nowrap(&t, 0);     /* a status and an obligation are values */
		table_set_nowrap(&t, 3);
		for (rank = 0; rank <= 5; rank++)
			EACH(i, fs) {
				const struct lval *f = fs->u.arr[i];
				const char *row[5], *g = vb_get_str(f, "group", NULL);

				if (strcmp(vb_get_str(f, "category", "（区分なし）"), cats[j]) ||
				    num(f, "rank") != rank)
					continue;
				row[0] = str(f, "status_ja");
				row[1] = str(f, "id");
				row[2] = str(f, "title");
				row[3] = g ? arena_printf(a, "%s の選択肢", g) : str(f, "obligation_ja");
				row[4] = str(f, "reason");
				table_add(&t, row);
				shown++;
			}
		if (shown) {
			printf("\n■ %s\n", cats[j]);
			table_print(&t, stdout);
		}
		table_free(&t);
	}
	table_deferred(a, m);
	for (i = 0, j = 0; gs && i < gs->n; i++) {
		const struct lval *g = gs->u.arr[i];

		if (strcmp(str(g, "status"), "not-applicable")) {
			if (!i)
				fputc('\n', stdout);
			para(a, 4, "選択肢 %s（%s）: %s — %s", str(g, "id"), str(g, "title"),
			     str(g, "status_ja"), str(g, "reason"));
		}
	}
	EACH(i, rs) {
		const struct lval *r = rs->u.arr[i];

		if (!strcmp(str(r, "status"), "pending")) {
			fputc('\n', stdout);
			para(a, 4, "リスク判断待ち %s: %s", str(r, "id"), str(r, "title"));
		} else {
			para(a, 4, "リスク %s: %s（%s）", str(r, "id"), str(r, "title"), str(r, "decision"));
		}
	}
	EACH(i, ps) {
		const struct lval *h = ps->u.arr[i];

		fputc('\n', stdout);
		if (!strcmp(vb_get_str(h, "status", "holds"), "unknown"))
			para(a, 4, "禁止事項（該当するか未確認: %s） %s: %s", list_text(a, "未回答の事実 ", "、", arr(h, "deciding")),
			     str(h, "id"), str(h, "text"));
		else
			para(a, 4, "禁止事項 %s: %s", str(h, "id"), str(h, "text"));
	}
	EACH(i, xps) {
		const struct lval *x = xps->u.arr[i];

		fputc('\n', stdout);
		para(a, 4, "適用除外の可能性（%s） %s: %s", list_text(a, "未回答の事実 ", "、", arr(x, "deciding")),
		     str(x, "id"), str(x, "text"));
	}
	if (proc && proc->type == LV_OBJ) {
		fputc('\n', stdout);
		para(a, 6, "手続: 承認 %s%s%s", said(str(proc, "approver")), list_text(a, "、協議先 ", "・", arr(proc, "consultees")),
		     list_text(a, "、様式 ", "・", arr(proc, "form_titles")));
		table_procedure(a, proc);
		para(a, 10, "次の手続: %s", str(proc, "next_step"));
	} else {
		para(a, 10, "次の手続: %s", "所定の手続に進んでください。");
	}
	fputc('\n', stdout);
}

/* ------------------------------------------------------------ csv */

/* RFC 4180 field */
/* The columns: Japanese labels for the officers, and each machine code in a
 * column of its own (verdict, kind, status, obligation) for other programs. */
static const char csv_head[] = "\xEF\xBB\xBF\"基準\",\"policy\",\"区分\",\"総合判定\",\"verdict\",\"種別\",\"kind\","
	"\"ID\",\"分類\",\"項目\",\"判定\",\"status\",\"義務\",\"obligation\",\"回答・判断\",\"理由\",\"未回答の事実\"\r\n";

struct csv_row {
	const char *kind_ja, *kind, *id, *category, *title, *status_ja, *status, *obligation, *answer, *reason;
	const struct lval *missing;
};

static void csv_row(struct buf *b, const struct lval *m, const struct csv_row *r)
{
	const char *f[17];
	size_t i;

	f[0] = str(m, "body");
	f[1] = str(m, "policy");
	f[2] = str(m, "level");
	f[3] = str(m, "verdict_ja");
	f[4] = str(m, "verdict");
	f[5] = r->kind_ja;
	f[6] = r->kind;
	f[7] = r->id;
	f[8] = r->category;
	f[9] = r->title;
	f[10] = r->status_ja;
	f[11] = r->status;
	f[12] = r->obligation ? obligation_ja(r->obligation) : "";
	f[13] = r->obligation;
	f[14] = r->answer;
	f[15] = r->reason;
	for (i = 0; i < 16; i++) {
		csv_field(b, f[i]);
		buf_addc(b, ',');
	}
	buf_addc(b, '"');
	EACH(i, r->missing)
		buf_addf(b, "%s%s", i ? " " : "", r->missing->u.arr[i]->u.str);
	buf_adds(b, "\"\r\n");
}

static void csv_assessment(struct arena *a, struct buf *b, const struct lval *m)
{
	const struct lval *fs = arr(m, "findings"), *gs = arr(m, "groups"), *rs = arr(m, "risks");
	const struct lval *ps = arr(m, "prohibitions"), *xs = arr(m, "exemptions");
	const struct lval *xps = arr(m, "exemptions_possible");
	size_t i, k;

	EACH(i, fs) {
		const struct lval *f = fs->u.arr[i];
		struct csv_row r = { "項目", "criterion", str(f, "id"), str(f, "category"), str(f, "title"),
			status_ja(str(f, "status")), str(f, "status"), str(f, "obligation"), str(f, "answer"),
			str(f, "reason"), arr(f, "missing") };

		csv_row(b, m, &r);
	}
	EACH(i, gs) {
		const struct lval *g = gs->u.arr[i], *any = arr(g, "any_of");
		struct buf ids = BUF_INIT;
		struct csv_row r = { "選択肢", "group", str(g, "id"), "", str(g, "title"), status_ja(str(g, "status")),
			str(g, "status"), str(g, "obligation"), "", NULL, NULL };

		EACH(k, any)
			buf_addf(&ids, "%s%s", k ? "・" : "", any->u.arr[k]->u.str);
		r.reason = arena_printf(a, "%s（%s のいずれか）", str(g, "reason"), buf_error(&ids) ? "…" : buf_str(&ids));
		buf_free(&ids);
		csv_row(b, m, &r);
	}
	EACH(i, rs) {
		const struct lval *x = rs->u.arr[i], *opts = arr(x, "options");
		const char *st = str(x, "status");
		int s;
		struct buf o = BUF_INIT;
		struct csv_row r = { "リスク", "risk", str(x, "id"), "", str(x, "title"), st, st, str(x, "obligation"),
			str(x, "decision"), NULL, NULL };

		for (s = RS_NA; s <= RS_REJECTED; s++)
			if (!strcmp(assess_risk_status_name(s), st))
				r.status_ja = assess_risk_status_ja(s);
		EACH(k, opts)
			buf_addf(&o, "%s%s", k ? "、" : "", opts->u.arr[k]->u.str);
		r.reason = arena_printf(a, "選択肢: %s", buf_error(&o) ? "…" : buf_str(&o));
		buf_free(&o);
		csv_row(b, m, &r);
	}
	EACH(i, ps) {
		int unk = !strcmp(vb_get_str(ps->u.arr[i], "status", "holds"), "unknown");
		struct csv_row r = { "禁止事項", "prohibition", str(ps->u.arr[i], "id"), "", str(ps->u.arr[i], "text"),
			unk ? "未確認" : "該当", unk ? "unknown" : "holds", NULL, "", "", unk ? arr(ps->u.arr[i], "deciding") : NULL };

		csv_row(b, m, &r);
	}
	EACH(i, xs) {
		struct csv_row r = { "適用除外", "exemption", str(xs->u.arr[i], "id"), "", str(xs->u.arr[i], "text"),
			"該当", "applies", NULL, "", "", NULL };

		csv_row(b, m, &r);
	}
	EACH(i, xps) {
		struct csv_row r = { "適用除外", "exemption", str(xps->u.arr[i], "id"), "", str(xps->u.arr[i], "text"),
			"該当する可能性", "possible", NULL, "", "", arr(xps->u.arr[i], "deciding") };

		csv_row(b, m, &r);
	}
}

/* ------------------------------------------------------------ the command */

static void print_diag(const struct diag *d, const char *prefix)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "%s%s\n", prefix, d->items[i].text);
	if (d->dropped)
		fprintf(stderr, "%s… ほか %zu 件 / and %zu more\n", prefix, d->dropped, d->dropped);
}

int cmd_evaluate(int argc, char **argv)
{
	struct diag err = { 0 }, warn = { 0 };
	struct policy_set *set;
	struct country_list *countries;
	struct profile_app app;
	struct assess_request rq = { 0 };
	struct opt_result res;
	const struct lval *profile, *model;
	struct arena a;
	struct buf out = BUF_INIT;
	size_t i, n;
	int rc = EXIT_OK, worst = 0, orc, prc;

	o_format = "table";
	o_policy = o_level = o_app = o_fail_on = o_dir = NULL;
	if ((orc = opt_parse(&evaluate_cmd, argc, argv, &res)) != OPT_OK)
		return opt_exit(orc);
	if (!o_policy) {
		cli_error("evaluate: PROFILE と --policy が要ります / PROFILE and --policy are needed (see 'shinsa evaluate --help')");
		return EXIT_USAGE;
	}
	arena_init(&a, 1 << 16);
	if ((prc = policy_set_open(&a, o_dir ? o_dir : policy_default_dir(), &set, &err)) ||
	    (prc = policy_set_load_packs(&a, set, &err)) || (prc = country_load(&a, set->dir, &countries, &err))) {
		print_diag(&err, "");
		cli_error("evaluate: 基準ファイルに誤りがあり使えません / the policy packs cannot be used (shinsa policy lint)");
		rc = err_exit_status(prc);
		goto out;
	}
	{
		struct profile_env env = { set, countries, NULL, NULL };

		rq.set = set;
		rq.policy = o_policy;
		rq.level = o_level;
		if (profile_load(&a, &env, res.operands[0], &profile, &err, &warn) == OK && o_app &&
		    profile_app_load(&a, &env, o_app, &app, &err, &warn) == OK)
			rq.app = &app;
		rq.profile = profile;
	}
	print_diag(&warn, "shinsa: 警告 / warning: ");
	if (err.n) {
		print_diag(&err, "");
		cli_error("evaluate: 入力に誤りがあります / the input has mistakes (nothing was assessed)");
		rc = EXIT_USAGE;
		goto out;
	}
	diag_free(&warn);
	if ((prc = assess_evaluate(&a, &rq, &model, &err, &warn))) {
		print_diag(&err, "shinsa: evaluate: ");
		cli_error("evaluate: 入力に誤りがあります / the input has mistakes (nothing was assessed)");
		rc = err_exit_status(prc);
		goto out;
	}
	print_diag(&warn, "shinsa: 注意 / note: ");
	n = model->type == LV_ARR ? model->n : 1;
	if (!strcmp(o_format, "json")) {
		if (lval_write_json(&out, model) || buf_append(&out, "\n", 1)) {
			cli_error("evaluate: 出力が大きすぎます / the output is too large");
			rc = EXIT_INTERNAL;
			goto out;
		}
	} else if (!strcmp(o_format, "csv")) {
		buf_adds(&out, csv_head);
	}
	for (i = 0; i < n; i++) {
		const struct lval *m = model->type == LV_ARR ? model->u.arr[i] : model;
		int s = assess_verdict_severity(assess_verdict_from_name(str(m, "verdict")));

		if (s > worst)
			worst = s;
		if (!strcmp(o_format, "csv"))
			csv_assessment(&a, &out, m);
		else if (!strcmp(o_format, "table"))
			table_assessment(&a, m);
	}
	if (cli_write(&out, stdout)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (o_fail_on && worst >= assess_verdict_severity(assess_verdict_from_name(o_fail_on)))
		rc = EXIT_FAIL;
out:
	buf_free(&out);
	diag_free(&err);
	diag_free(&warn);
	arena_release(&a);
	return rc;
}
