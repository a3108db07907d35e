/* shinsa evaluate: what each standard says of a service for a use, criterion
 * by criterion with reasons, the verdict, and the procedure to follow. */
#include "cli/cli.h"
#include "cli/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "core/buf.h"
#include "logic/jw.h"
#include "assess/profile.h"

static const char evaluate_usage[] =
	"使い方 / usage:\n"
	"  shinsa evaluate PROFILE [--app APP] --policy ID|all [--level L]\n"
	"                  [--format table|json|csv] [--fail-on VERDICT]\n"
	"\n"
	"サービスのプロファイル（と利用申請）を基準に照らして審査し、項目ごとの判定と理由、\n"
	"総合判定、必要な手続を表示します。\n"
	"Assess a service profile (and an application) against a standard: a finding with\n"
	"its reason per criterion, the verdict, and the procedure to follow.\n"
	"\n"
	"  PROFILE        サービスの事実（YAML か JSON、docs/facts.md の語彙）\n"
	"                 the service's facts (YAML or JSON, the vocabulary of docs/facts.md)\n"
	"  --app APP      利用申請（app.*、担当者の回答 answers、リスク判断 risks）\n"
	"                 the application: app.* facts, people's answers and risk decisions\n"
	"  --policy ID    基準の ID（shinsa policy list）、または all\n"
	"  --level L      情報の区分（省略時は申請の app.classification）。--policy all で\n"
	"                 省略すると、すべての基準のすべての区分を配列で出力します\n"
	"                 the level; by default the application's; with --policy all and no\n"
	"                 level, every pack at every level (a JSON array)\n"
	"  --format       table（既定、日本語）| json | csv（UTF-8、BOM 付き: Excel で開けます）\n"
	"  --fail-on V    判定が V 以上に悪いとき終了状態 1（incomplete < consultation <\n"
	"                 nonconforming < prohibited）。既定では判定によらず 0\n"
	"                 exit 1 when a verdict is V or worse; otherwise 0 whatever the verdict\n"
	"\n"
	"判定 / verdicts: exempt 適用除外, prohibited 利用不可, nonconforming 不適合,\n"
	"  consultation 協議要, incomplete 要確認, conforming 適合\n";

static int severity(int v)
{
	switch (v) {
	case V_INCOMPLETE: return 1;
	case V_CONSULTATION: return 2;
	case V_NONCONFORMING: return 3;
	case V_PROHIBITED: return 4;
	default: return 0;
	}
}

static int verdict_from_name(const char *s)
{
	int v;

	for (v = V_EXEMPT; v <= V_CONFORMING; v++)
		if (!strcmp(s, assess_verdict_name(v)))
			return v;
	return -1;
}

static void json_assessment(struct jw *w, const struct assessment *as, const struct profile_app *app)
{
	const struct policy *p = as->p;
	size_t i, j, t;

	jw_obj(w);
	jw_kstr(w, "policy", p->id);
	jw_kstr(w, "body", p->body);
	jw_kstr(w, "level", p->levels[as->level].id);
	jw_kstr(w, "verdict", assess_verdict_name(as->verdict));
	jw_kstr(w, "verdict_ja", assess_verdict_ja(as->verdict));
	jw_kstr(w, "reason", as->verdict_reason);
	if (app && (app->answered_by || app->answered_at)) {
		jw_kstr(w, "answered_by", app->answered_by);
		jw_kstr(w, "answered_at", app->answered_at);
	}
	jw_key(w, "findings");
	jw_arr(w);
	for (i = 0; i < as->nfindings; i++) {
		const struct assess_finding *f = &as->findings[i];

		jw_obj(w);
		jw_kstr(w, "id", f->c->id);
		jw_kstr(w, "category", f->c->category);
		jw_kstr(w, "title", f->c->title);
		jw_kstr(w, "status", assess_status_name(f->status));
		jw_kstr(w, "obligation", policy_obligation_name(f->obligation));
		jw_key(w, "topics");
		jw_arr(w);
		for (t = 0; t < policy_ntopics; t++)
			if (f->c->topics & (1u << t))
				jw_str(w, policy_topics[t]);
		jw_end_arr(w);
		jw_key(w, "facts");
		jw_obj(w);
		for (j = 0; j < f->nfacts; j++) {
			jw_key(w, f->facts[j].path);
			if (f->facts[j].value)
				jw_val(w, f->facts[j].value);
			else
				jw_null(w);
		}
		jw_end_obj(w);
		jw_key(w, "missing");
		jw_strs(w, f->missing, f->nmissing);
		jw_kstr(w, "reason", f->reason);
		if (f->answer)
			jw_kstr(w, "answer", f->answer);
		if (f->group)
			jw_kstr(w, "group", f->group->id);
		if (f->nnotes) {
			jw_key(w, "notes");
			jw_strs(w, f->notes, f->nnotes);
		}
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "groups");
	jw_arr(w);
	for (i = 0; i < as->ngroups; i++) {
		const struct assess_group *g = &as->groups[i];

		jw_obj(w);
		jw_kstr(w, "id", g->g->id);
		jw_kstr(w, "title", g->g->title);
		jw_kstr(w, "status", assess_status_name(g->status));
		jw_kstr(w, "obligation", policy_obligation_name(g->obligation));
		jw_key(w, "any_of");
		jw_arr(w);
		for (j = 0; j < g->g->nmembers; j++)
			jw_str(w, p->criteria[g->g->members[j]].id);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "risks");
	jw_arr(w);
	for (i = 0; i < as->nrisks; i++) {
		static const char *const rs[] = { "not-applicable", "pending", "accepted", "rejected" };
		const struct assess_risk *r = &as->risks[i];

		if (r->status == RS_NA)
			continue;
		jw_obj(w);
		jw_kstr(w, "id", r->r->id);
		jw_kstr(w, "title", r->r->title);
		jw_kstr(w, "obligation", policy_obligation_name(r->obligation));
		jw_kstr(w, "status", rs[r->status]);
		jw_kstr(w, "decision", r->decision);
		jw_key(w, "options");
		jw_strs(w, r->r->options, r->r->noptions);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "prohibitions");
	jw_arr(w);
	for (i = 0; i < as->nprohibited; i++) {
		jw_obj(w);
		jw_kstr(w, "id", as->prohibited[i]->id);
		jw_kstr(w, "text", as->prohibited[i]->text);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "exemptions");
	jw_arr(w);
	for (i = 0; i < as->nexempt; i++) {
		jw_obj(w);
		jw_kstr(w, "id", as->exempt[i]->id);
		jw_kstr(w, "text", as->exempt[i]->text);
		jw_key(w, "scope");
		if (as->exempt[i]->all)
			jw_str(w, "all");
		else
			jw_strs(w, as->exempt[i]->scope, as->exempt[i]->nscope);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "procedure");
	if (as->procedure) {
		static const char *const unmet[] = { "consultation", "reject", "accept-risk" };
		const struct policy_procedure *r = as->procedure;

		jw_obj(w);
		jw_kstr(w, "id", r->id);
		jw_key(w, "forms");
		jw_strs(w, r->forms, r->nforms);
		jw_kstr(w, "approver", r->approver);
		jw_key(w, "consultees");
		jw_strs(w, r->consultees, r->nconsultees);
		jw_kstr(w, "on_unmet", unmet[r->on_unmet]);
		jw_kstr(w, "note", r->note);
		jw_kstr(w, "next_step", as->next_step);
		jw_end_obj(w);
	} else {
		jw_null(w);
	}
	jw_end_obj(w);
}

/* Findings in the order a person reads them: by category, unmet first. */
static int status_rank(int s)
{
	static const int rank[] = { [FS_UNMET] = 0, [FS_UNKNOWN] = 1, [FS_MANUAL] = 2,
		[FS_ACCEPTED] = 3, [FS_MET] = 4, [FS_NA] = 5 };

	return rank[s];
}

static void table_assessment(struct arena *a, const struct assessment *as)
{
	static const char *head[] = { "状態", "ID", "項目", "義務", "理由" };
	const struct policy *p = as->p;
	size_t i, j, ncat = 0;
	const char **cats = arena_alloc(a, (as->nfindings ? as->nfindings : 1) * sizeof(*cats));
	struct table t;
	int rank;

	printf("%s「%s」 区分 %s（%s）\n", p->body, p->title, p->levels[as->level].id,
	       p->levels[as->level].name ? p->levels[as->level].name : "");
	printf("判定: %s（%s）— %s\n", assess_verdict_ja(as->verdict), assess_verdict_name(as->verdict), as->verdict_reason);
	if (as->verdict == V_EXEMPT) {
		printf("次の手続: %s\n\n", as->next_step);
		return;
	}
	for (i = 0; i < as->nfindings; i++) {
		const char *c = as->findings[i].c->category ? as->findings[i].c->category : "（区分なし）";

		for (j = 0; j < ncat && strcmp(cats[j], c); j++)
			;
		if (j == ncat)
			cats[ncat++] = c;
	}
	for (j = 0; j < ncat; j++) {
		int shown = 0;

		table_init(&t, 5, head);
		table_set_max(&t, 2, 30);
		table_set_max(&t, 4, 48);
		for (rank = 0; rank <= 5; rank++)
			for (i = 0; i < as->nfindings; i++) {
				const struct assess_finding *f = &as->findings[i];
				const char *c = f->c->category ? f->c->category : "（区分なし）";
				const char *row[5];

				if (strcmp(c, cats[j]) || status_rank(f->status) != rank)
					continue;
				row[0] = assess_status_ja(f->status);
				row[1] = f->c->id;
				row[2] = f->c->title;
				row[3] = f->group ? arena_printf(a, "%s の選択肢", f->group->id) : policy_obligation_ja(f->obligation);
				row[4] = f->reason;
				table_add(&t, row);
				shown++;
			}
		if (shown) {
			printf("\n■ %s\n", cats[j]);
			table_print(&t, stdout);
		}
		table_free(&t);
	}
	for (i = 0; i < as->ngroups; i++)
		if (as->groups[i].status != FS_NA)
			printf("%s選択肢 %s（%s）: %s — %s\n", i ? "" : "\n", as->groups[i].g->id, as->groups[i].g->title,
			       assess_status_ja(as->groups[i].status), as->groups[i].reason);
	for (i = 0; i < as->nrisks; i++) {
		const struct assess_risk *r = &as->risks[i];

		if (r->status == RS_PENDING)
			printf("%sリスク判断待ち %s: %s\n", "\n", r->r->id, r->r->title);
		else if (r->status == RS_REJECTED || r->status == RS_ACCEPTED)
			printf("リスク %s: %s（%s）\n", r->r->id, r->r->title, r->decision);
	}
	for (i = 0; i < as->nprohibited; i++)
		printf("\n禁止事項 %s: %s\n", as->prohibited[i]->id, as->prohibited[i]->text);
	if (as->procedure) {
		const struct policy_procedure *r = as->procedure;

		printf("\n手続: 承認 %s", r->approver);
		for (i = 0; i < r->nconsultees; i++)
			printf("%s%s", i ? "・" : "、協議先 ", r->consultees[i]);
		for (i = 0; i < r->nforms; i++)
			printf("%s%s", i ? "・" : "、様式 ", r->forms[i]);
		fputc('\n', stdout);
	}
	printf("次の手続: %s\n\n", as->next_step);
}

/* RFC 4180 field */
static void csv_field(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void csv_assessment(struct buf *b, const struct assessment *as)
{
	size_t i, j;

	for (i = 0; i < as->nfindings; i++) {
		const struct assess_finding *f = &as->findings[i];
		struct buf m = BUF_INIT;

		for (j = 0; j < f->nmissing; j++)
			buf_addf(&m, "%s%s", j ? " " : "", f->missing[j]);
		csv_field(b, as->p->id);
		buf_addc(b, ',');
		csv_field(b, as->p->levels[as->level].id);
		buf_addc(b, ',');
		csv_field(b, assess_verdict_name(as->verdict));
		buf_addc(b, ',');
		csv_field(b, f->c->id);
		buf_addc(b, ',');
		csv_field(b, f->c->category);
		buf_addc(b, ',');
		csv_field(b, f->c->title);
		buf_addc(b, ',');
		csv_field(b, assess_status_name(f->status));
		buf_addc(b, ',');
		csv_field(b, policy_obligation_name(f->obligation));
		buf_addc(b, ',');
		csv_field(b, f->reason);
		buf_addc(b, ',');
		csv_field(b, buf_str(&m));
		buf_adds(b, "\r\n");
		buf_free(&m);
	}
}

/* The application's answers for one pack: either {pack id: {id: answer}} or,
 * for an application meant for one standard, {id: answer} directly. */
static const struct lval *for_pack(const struct lval *all, const char *pack_id)
{
	const struct lval *v;

	if (!all || all->type != LV_OBJ || !all->n)
		return NULL;
	v = lval_get(all, pack_id, strlen(pack_id));
	if (v && v->type == LV_OBJ)
		return v;
	return lval_obj_val(all, 0)->type == LV_STR ? all : NULL;
}

/* Every answer names a criterion (or risk) of the pack and is one of its
 * options; otherwise the input is wrong and nothing is assessed. */
static int check_answers(const struct policy *p, const struct lval *ans, const struct lval *rsk,
                         const char *file)
{
	size_t i, j, k;
	int bad = 0;

	for (i = 0; ans && i < ans->n; i++) {
		const char *id = lval_obj_key(ans, i), *v = lval_obj_val(ans, i)->u.str;
		const struct policy_criterion *c = NULL;

		for (j = 0; j < p->ncriteria && !c; j++)
			if (!strcmp(p->criteria[j].id, id))
				c = &p->criteria[j];
		if (!c) {
			fprintf(stderr, "%1$s: answers.%2$s: %3$s に項目 '%2$s' はありません / %3$s has no criterion '%2$s'\n",
			        file, id, p->id);
			bad++;
			continue;
		}
		if (!c->manual) {
			fprintf(stderr, "%1$s: answers.%2$s: %3$s %2$s は事実から判定する項目で、回答は取りません"
			        " / %3$s %2$s is decided by the facts and takes no answer\n", file, id, p->id);
			bad++;
			continue;
		}
		for (k = 0; k < c->manual->noptions && strcmp(c->manual->options[k], v); k++)
			;
		if (k == c->manual->noptions) {
			fprintf(stderr, "%1$s: answers.%2$s: '%3$s' は %4$s %2$s の回答にありません / '%3$s' is not an answer"
			        " of %4$s %2$s (", file, id, v, p->id);
			for (k = 0; k < c->manual->noptions; k++)
				fprintf(stderr, "%s%s", k ? ", " : "", c->manual->options[k]);
			fputs(")\n", stderr);
			bad++;
		}
	}
	for (i = 0; rsk && i < rsk->n; i++) {
		const char *id = lval_obj_key(rsk, i), *v = lval_obj_val(rsk, i)->u.str;
		const struct policy_risk *r = NULL;

		for (j = 0; j < p->nrisks && !r; j++)
			if (!strcmp(p->risks[j].id, id))
				r = &p->risks[j];
		if (!r) {
			fprintf(stderr, "%1$s: risks.%2$s: %3$s にリスク '%2$s' はありません / %3$s has no risk '%2$s'\n",
			        file, id, p->id);
			bad++;
			continue;
		}
		for (k = 0; k < r->noptions && strcmp(r->options[k], v); k++)
			;
		if (k == r->noptions) {
			fprintf(stderr, "%1$s: risks.%2$s: '%3$s' は %4$s %2$s の対応にありません / '%3$s' is not a decision"
			        " of %4$s %2$s (", file, id, v, p->id);
			for (k = 0; k < r->noptions; k++)
				fprintf(stderr, "%s%s", k ? ", " : "", r->options[k]);
			fputs(")\n", stderr);
			bad++;
		}
	}
	return bad;
}

struct job {
	const struct policy *p;
	size_t level;
};

int cmd_evaluate(int argc, char **argv)
{
	const char *dir = policy_default_dir(), *format = "table", *policy = NULL, *level = NULL;
	const char *appfile = NULL, *profile_file = NULL, *fail_on = NULL;
	struct diag err = { 0 }, warn = { 0 };
	struct policy_set *set;
	struct profile_app app, *appp = NULL;
	const struct lval *profile;
	struct job *jobs;
	size_t njobs = 0, i, k;
	struct arena a;
	struct buf out = BUF_INIT;
	struct jw w;
	int rc = EXIT_OK, fail_v = -1, worst = 0;

	for (i = 1; i < (size_t)argc; i++) {
		const char **opt = NULL;

		if (cli_is_help(argv[i])) {
			fputs(evaluate_usage, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--format"))
			opt = &format;
		else if (!strcmp(argv[i], "--policy"))
			opt = &policy;
		else if (!strcmp(argv[i], "--level"))
			opt = &level;
		else if (!strcmp(argv[i], "--app"))
			opt = &appfile;
		else if (!strcmp(argv[i], "--fail-on"))
			opt = &fail_on;
		else if (!strcmp(argv[i], "--policies"))
			opt = &dir;
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			cli_error("evaluate: 不明なオプションです / unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		}
		if (opt) {
			if (i + 1 >= (size_t)argc) {
				cli_error("evaluate: %1$s には値が要ります / %1$s needs a value", argv[i]);
				return EXIT_USAGE;
			}
			*opt = argv[++i];
			continue;
		}
		if (profile_file) {
			cli_error("evaluate: プロファイルは一つだけです（複数なら shinsa matrix） / one PROFILE only (for many, use 'shinsa matrix')");
			return EXIT_USAGE;
		}
		profile_file = argv[i];
	}
	if (!profile_file || !policy) {
		cli_error("evaluate: PROFILE と --policy が要ります / PROFILE and --policy are needed (see 'shinsa evaluate --help')");
		return EXIT_USAGE;
	}
	if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv")) {
		cli_error("evaluate: --format は table, json, csv / --format is table, json or csv, not '%s'", format);
		return EXIT_USAGE;
	}
	if (fail_on && (fail_v = verdict_from_name(fail_on)) < 0) {
		cli_error("evaluate: --fail-on には総合判定を指定します / --fail-on takes a verdict (incomplete, consultation, nonconforming, "
		          "prohibited), not '%s'", fail_on);
		return EXIT_USAGE;
	}
	arena_init(&a, 1 << 16);
	if (policy_set_open(&a, dir, &set, &err) || policy_set_load_packs(&a, set, &err)) {
		for (i = 0; i < err.n; i++)
			fprintf(stderr, "%s\n", err.items[i].text);
		cli_error("evaluate: 基準ファイルに誤りがあり使えません / the policy packs cannot be used (shinsa policy lint)");
		rc = EXIT_USAGE;
		goto out;
	}
	if (profile_load(&a, set->vocab, NULL, profile_file, &profile, &err, &warn) == OK && appfile &&
	    profile_app_load(&a, set->vocab, appfile, &app, &err, &warn) == OK)
		appp = &app;
	for (i = 0; i < warn.n; i++)
		fprintf(stderr, "shinsa: 警告 / warning: %s\n", warn.items[i].text);
	if (err.n) {
		for (i = 0; i < err.n; i++)
			fprintf(stderr, "%s\n", err.items[i].text);
		cli_error("evaluate: 入力に誤りがあります / the input has mistakes (nothing was assessed)");
		rc = EXIT_USAGE;
		goto out;
	}
	jobs = arena_alloc(&a, (set->npacks * 8 + 1) * sizeof(*jobs));
	for (i = 0; i < set->npacks; i++) {
		const struct policy *p = set->packs[i];
		const char *lv = level ? level : profile_app_level(appp, p->id);

		if (strcmp(policy, "all") && strcmp(policy, p->id))
			continue;
		if (lv) {
			long li = policy_level_index(p, lv);

			if (li < 0) {
				if (strcmp(policy, "all")) {
					struct buf b = BUF_INIT;

					for (k = 0; k < p->nlevels; k++)
						buf_addf(&b, "%s%s", k ? ", " : "", p->levels[k].id);
					cli_error("evaluate: '%1$s' は %2$s の区分にありません / '%1$s' is not a level of %2$s"
					          " (levels: %3$s)", lv, p->id, buf_str(&b));
					buf_free(&b);
					rc = EXIT_USAGE;
					goto out;
				}
				continue;
			}
			jobs[njobs].p = p;
			jobs[njobs].level = (size_t)li;
			njobs++;
		} else if (!strcmp(policy, "all")) {
			for (k = 0; k < p->nlevels && k < 8; k++) {
				jobs[njobs].p = p;
				jobs[njobs].level = k;
				njobs++;
			}
		} else {
			struct buf b = BUF_INIT;

			for (k = 0; k < p->nlevels; k++)
				buf_addf(&b, "%s%s", k ? ", " : "", p->levels[k].id);
			cli_error("evaluate: 区分を --level で指定してください / give --level (levels of %s: %s), "
			          "or app.classification in the application", p->id, buf_str(&b));
			buf_free(&b);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (!njobs) {
		cli_error("evaluate: 基準 '%s' はありません / no pack '%s' (see 'shinsa policy list')", policy, policy);
		rc = EXIT_USAGE;
		goto out;
	}
	if (appp) {
		int bad = 0;

		for (i = 0; i < njobs; i++)
			if (i == 0 || jobs[i].p != jobs[i - 1].p)
				bad += check_answers(jobs[i].p, for_pack(appp->answers, jobs[i].p->id),
				                     for_pack(appp->risks, jobs[i].p->id), appfile);
		if (bad) {
			cli_error("evaluate: 回答に誤りがあります / the application's answers have mistakes "
			          "(nothing was assessed)");
			rc = EXIT_USAGE;
			goto out;
		}
	}
	jw_init(&w, &out);
	if (!strcmp(format, "json") && (njobs > 1 || !strcmp(policy, "all")))
		jw_arr(&w);
	if (!strcmp(format, "csv"))
		buf_adds(&out, "\xEF\xBB\xBF\"policy\",\"level\",\"verdict\",\"id\",\"category\",\"title\","
		               "\"status\",\"obligation\",\"reason\",\"missing\"\r\n");
	for (i = 0; i < njobs; i++) {
		struct assessment as;
		const struct lval *facts = profile_facts_for(&a, profile, appp, jobs[i].p->levels[jobs[i].level].id);
		const struct lval *ans = appp ? for_pack(appp->answers, jobs[i].p->id) : NULL;
		const struct lval *rsk = appp ? for_pack(appp->risks, jobs[i].p->id) : NULL;

		assess_run(&a, jobs[i].p, jobs[i].level, facts, ans, rsk, ASSESS_DETAIL, &as);
		if (severity(as.verdict) > worst)
			worst = severity(as.verdict);
		if (!strcmp(format, "json"))
			json_assessment(&w, &as, appp);
		else if (!strcmp(format, "csv"))
			csv_assessment(&out, &as);
		else
			table_assessment(&a, &as);
	}
	if (!strcmp(format, "json")) {
		if (njobs > 1 || !strcmp(policy, "all"))
			jw_end_arr(&w);
		buf_addc(&out, '\n');
	}
	fwrite(buf_str(&out), 1, out.len, stdout);
	if (fail_v >= 0 && severity(fail_v) > 0 && worst >= severity(fail_v))
		rc = EXIT_FAIL;
out:
	buf_free(&out);
	diag_free(&err);
	diag_free(&warn);
	arena_release(&a);
	return rc;
}
