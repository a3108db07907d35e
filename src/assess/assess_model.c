/* The models of an assessment and of a matrix, built once as value trees, and
 * the checks of an application's answers that need the pack or the outcome:
 * an answer must name something that takes it, and must change something. */
#include "assess/assess_model.h"

#include <pthread.h>
#include <string.h>

#include "core/buf.h"
#include "logic/vb.h"

/* ------------------------------------------------------------ one assessment */

static void facts_model(struct vb *b, const struct assess_fact *facts, size_t n)
{
	size_t j;

	vb_obj(b);
	for (j = 0; j < n; j++) {
		vb_key(b, facts[j].path);
		if (facts[j].value)
			vb_val(b, facts[j].value);
		else
			vb_null(b);
	}
	vb_end(b);
}

/* Where a person reads a finding within its category: unmet first, then
 * unknown, awaiting a person, accepted, met, not applicable, deferred. */
static int display_rank(int status)
{
	switch (status) {
	case FS_UNMET: return 0;
	case FS_UNKNOWN: return 1;
	case FS_MANUAL: return 2;
	case FS_ACCEPTED: return 3;
	case FS_MET: return 4;
	case FS_NA: return 5;
	default: return 6;
	}
}

static void finding_model(struct vb *b, const struct assessment *as, const struct assess_finding *f)
{
	vb_obj(b);
	vb_kstr(b, "id", f->c->id);
	vb_kstr(b, "category", f->c->category);
	vb_kstr(b, "title", f->c->title);
	vb_kstr(b, "status", assess_status_name(f->status));
	vb_kstr(b, "status_ja", assess_status_ja(f->status));
	vb_kint(b, "rank", display_rank(f->status));
	/* an alternative of an any-of group counts through its group: it is
	 * not itself required (group_obligation is the group's) */
	vb_kstr(b, "obligation", f->group ? "alternative" : policy_obligation_name(f->obligation));
	vb_kstr(b, "obligation_ja", f->group ? "選択肢" : policy_obligation_ja(f->obligation));
	vb_key(b, "topics");
	policy_topics_model(b, f->c->topics);
	vb_key(b, "facts");
	facts_model(b, f->facts, f->nfacts);
	vb_key(b, "missing");
	vb_strs(b, f->missing, f->nmissing);
	/* the missing facts that decide an unknown (three-valued): [] otherwise */
	vb_key(b, "deciding");
	vb_strs(b, (const char **)f->deciding, f->ndeciding);
	vb_kstr(b, "reason", f->reason);
	if (f->answer)
		vb_kstr(b, "answer", f->answer);
	if (f->group) {
		vb_kstr(b, "group", f->group->id);
		vb_kstr(b, "group_obligation", policy_obligation_name(f->obligation));
	}
	if (f->when_unknown)
		vb_kstr(b, "applicability", "unknown");
	if (f->exempt_possible >= 0)
		vb_kstr(b, "exemption_possible", as->p->exemptions[f->exempt_possible].id);
	vb_kstr(b, "stage", policy_stage_name(f->c->stage));
	if (f->nnotes) {
		vb_key(b, "notes");
		vb_strs(b, f->notes, f->nnotes);
	}
	/* obligation_when: what set the obligation, or the unanswered
	 * application facts it still depends on */
	if (f->ob_by) {
		vb_key(b, "obligation_by");
		vb_obj(b);
		vb_key(b, "when");
		vb_val(b, f->ob_by->when.json);
		vb_kstr(b, "note", f->ob_by->note);
		vb_end(b);
	}
	if (f->ob_open) {
		vb_key(b, "obligation_depends_on");
		vb_strs(b, f->ob_missing, f->nob_missing);
	}
	vb_end(b);
}

static const struct lval *ledger_value(const struct assessment *as, const char *path)
{
	size_t i;

	for (i = 0; i < as->nledger; i++)
		if (!strcmp(as->ledger[i].path, path))
			return as->ledger[i].value;
	return NULL;
}

/* What the assessment adds to the procedure: the forms' titles, the next
 * step, the items left for later, and the ledger with this application's values. */
static void procedure_extra(struct vb *b, const void *arg)
{
	const struct assessment *as = arg;
	const struct policy_procedure *r = as->procedure;
	size_t i, j;

	/* set aside whole, the standard asks for none of its forms */
	vb_kbool(b, "applies", !as->whole_exempt);
	vb_key(b, "form_titles");
	vb_arr(b);
	for (i = 0; !as->whole_exempt && i < r->nforms; i++)
		vb_str(b, policy_form_title(as->p, r->forms[i]));
	vb_end(b);
	vb_kstr(b, "on_unmet_applied", as->unmet_action >= 0 ? policy_unmet_name(as->unmet_action) : NULL);
	vb_kbool(b, "gives_no_path", as->unmet_action == UNMET_UNSPECIFIED);
	vb_key(b, "ledger");
	vb_arr(b);
	for (i = 0; i < r->nledger; i++) {
		const struct policy_labeled *e = &r->ledger[i];

		vb_obj(b);
		vb_kstr(b, "id", e->id);
		vb_kstr(b, "label", e->label);
		vb_kstr(b, "input", e->input);
		vb_key(b, "values");
		vb_obj(b);
		for (j = 0; j < e->nfacts; j++) {
			const struct lval *v = ledger_value(as, e->facts[j]);

			vb_key(b, e->facts[j]);
			if (v)
				vb_val(b, v);
			else
				vb_null(b);
		}
		vb_end(b);
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "scheduled_reviews");     /* what approval schedules: the reviews whose condition is not false */
	vb_arr(b);
	for (i = 0; i < r->nreviews; i++)
		if (!as->review_when || as->review_when[i] != 0)
			vb_str(b, r->reviews[i].id);
	vb_end(b);
	vb_kstr(b, "next_step", as->next_step);
}

static void procedure_model(struct vb *b, const struct assessment *as)
{
	struct policy_proc_ctx ctx = { as->exempt_flags, as->review_when, procedure_extra, as, 0, 0 };

	if (as->whole_exempt) {
		ctx.whole = 1;
		ctx.whole_by = (size_t)(as->whole_exempt - as->p->exemptions);
	}
	if (!as->procedure) {
		vb_null(b);
		return;
	}
	policy_procedure_model(b, as->p, as->procedure, &ctx);
}

/* The items left for a review or the end of use, with their stage. */
static void deferred_model(struct vb *b, const struct assessment *as)
{
	size_t i;

	vb_key(b, "deferred");
	vb_arr(b);
	for (i = 0; i < as->nfindings; i++) {
		const struct assess_finding *f = &as->findings[i];

		if (f->status != FS_DEFERRED)
			continue;
		vb_obj(b);
		vb_kstr(b, "id", f->c->id);
		vb_kstr(b, "title", f->c->title);
		vb_kstr(b, "stage", policy_stage_name(f->c->stage));
		vb_kstr(b, "stage_ja", policy_stage_ja(f->c->stage));
		vb_kstr(b, "obligation", policy_obligation_name(f->obligation));
		vb_kstr(b, "obligation_ja", policy_obligation_ja(f->obligation));
		vb_end(b);
	}
	vb_end(b);
}

static void assessment_model(struct vb *b, const struct assessment *as, const struct profile_app *app)
{
	const struct policy *p = as->p;
	const struct policy_level *lv = &p->levels[as->level];
	size_t i, j;

	vb_obj(b);
	vb_kstr(b, "policy", p->id);
	vb_kstr(b, "body", p->body);
	vb_kstr(b, "policy_title", p->title);
	vb_kstr(b, "level", lv->id);
	vb_kstr(b, "level_name", lv->name);
	vb_kstr(b, "verdict", assess_verdict_name(as->verdict));
	vb_kstr(b, "verdict_ja", assess_verdict_ja(as->verdict));
	vb_kstr(b, "reason", as->verdict_reason);
	if (app && (app->answered_by || app->answered_at)) {
		vb_kstr(b, "answered_by", app->answered_by);
		vb_kstr(b, "answered_at", app->answered_at);
	}
	vb_key(b, "findings");
	vb_arr(b);
	for (i = 0; i < as->nfindings; i++)
		finding_model(b, as, &as->findings[i]);
	vb_end(b);
	/* the categories in the pack's order, as every view groups the findings */
	vb_key(b, "categories");
	vb_arr(b);
	for (i = 0; i < as->nfindings; i++) {
		const char *c = as->findings[i].c->category;

		for (j = 0; j < i && strcmp(as->findings[j].c->category ? as->findings[j].c->category : "",
		                             c ? c : ""); j++)
			;
		if (j == i)
			vb_str(b, c);
	}
	vb_end(b);
	vb_key(b, "groups");
	vb_arr(b);
	for (i = 0; i < as->ngroups; i++) {
		const struct assess_group *g = &as->groups[i];

		vb_obj(b);
		vb_kstr(b, "id", g->g->id);
		vb_kstr(b, "title", g->g->title);
		vb_kstr(b, "status", assess_status_name(g->status));
		vb_kstr(b, "status_ja", assess_status_ja(g->status));
		vb_kstr(b, "obligation", policy_obligation_name(g->obligation));
		vb_kstr(b, "obligation_ja", policy_obligation_ja(g->obligation));
		vb_key(b, "any_of");
		vb_arr(b);
		for (j = 0; j < g->g->nmembers; j++)
			if (policy_group_has(p, g->g, j, as->level))   /* the alternatives at this level */
				vb_str(b, p->criteria[g->g->members[j]].id);
		vb_end(b);
		vb_kstr(b, "reason", g->reason);
		vb_key(b, "deciding");
		vb_strs(b, (const char **)g->deciding, g->ndeciding);
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "risks");
	vb_arr(b);
	for (i = 0; i < as->nrisks; i++) {
		const struct assess_risk *r = &as->risks[i];

		if (r->status == RS_NA)
			continue;
		vb_obj(b);
		vb_kstr(b, "id", r->r->id);
		vb_kstr(b, "title", r->r->title);
		vb_kstr(b, "obligation", policy_obligation_name(r->obligation));
		vb_kstr(b, "status", assess_risk_status_name(r->status));
		vb_kstr(b, "decision", r->decision);
		vb_key(b, "options");
		vb_strs(b, r->r->options, r->r->noptions);
		vb_end(b);
	}
	vb_end(b);
	/* every prohibition that holds or cannot be decided, with its status
	 * and the facts that decide it */
	vb_key(b, "prohibitions");
	vb_arr(b);
	for (i = 0; i < as->nprohibitions; i++) {
		const struct assess_item *it = &as->prohibitions[i];
		const struct policy_prohibition *h = &p->prohibitions[it->index];

		vb_obj(b);
		vb_kstr(b, "id", h->id);
		vb_kstr(b, "text", h->text);
		vb_kstr(b, "status", it->status == AI_HOLDS ? "holds" : "unknown");
		vb_key(b, "deciding");
		vb_strs(b, (const char **)it->deciding, it->ndeciding);
		vb_key(b, "facts");
		facts_model(b, it->facts, it->nfacts);
		vb_end(b);
	}
	vb_end(b);
	/* the exemptions that apply (their condition is true), then, apart, those
	 * that may apply (undecided): neither kind is the other */
	for (j = 0; j < 2; j++) {
		vb_key(b, j ? "exemptions_possible" : "exemptions");
		vb_arr(b);
		for (i = 0; i < as->nexemptions; i++) {
			const struct assess_item *it = &as->exemptions[i];
			const struct policy_exemption *x = &p->exemptions[it->index];

			if ((it->status == AI_UNKNOWN) != (j == 1))
				continue;
			vb_obj(b);
			vb_kstr(b, "id", x->id);
			vb_kstr(b, "text", x->text);
			vb_key(b, "scope");
			if (x->all)
				vb_str(b, "all");
			else
				vb_strs(b, x->scope, x->nscope);
			if (x->instead == INSTEAD_NOTIFICATION)
				vb_kstr(b, "instead", "notification");
			vb_kstr(b, "status", j ? "possible" : "applies");
			vb_key(b, "deciding");
			vb_strs(b, (const char **)it->deciding, it->ndeciding);
			vb_key(b, "facts");
			facts_model(b, it->facts, it->nfacts);
			vb_end(b);
		}
		vb_end(b);
	}
	/* an exemption that leads to a notification (届出) instead of the application */
	vb_key(b, "notification");
	if (as->notification) {
		vb_obj(b);
		vb_kstr(b, "exemption", as->notification->id);
		vb_kstr(b, "to", as->notification->notify_to);
		vb_kstr(b, "form", as->notification->notify_form);
		vb_kstr(b, "form_title", as->notification->notify_form ?
		        policy_form_title(p, as->notification->notify_form) : NULL);
		vb_kstr(b, "note", as->notification->notify_note);
		vb_end(b);
	} else {
		vb_null(b);
	}
	vb_key(b, "procedure");
	procedure_model(b, as);
	deferred_model(b, as);
	vb_end(b);
}

const struct lval *assess_model(struct arena *a, const struct assessment *as, const struct profile_app *app)
{
	struct vb b;

	vb_init(&b, a);
	assessment_model(&b, as, app);
	return vb_done(&b);
}

/* ------------------------------------------------------------ answers */

const struct lval *assess_answers_for(const struct lval *all, const char *pack_id)
{
	const struct lval *v;

	if (!all || all->type != LV_OBJ || !all->n)
		return NULL;
	v = lval_get(all, pack_id, strlen(pack_id));
	if (v && v->type == LV_OBJ)
		return v;
	return lval_obj_val(all, 0)->type == LV_STR ? all : NULL;
}

/* Where section.[pack.]id is written, for a message: per is the pack's
 * answers, or the section itself in the flat form ({id: answer}). */
static void where(const struct profile_app *app, const char *section, const struct lval *per,
                  const char *pack, const char *id, uint32_t *line, uint32_t *col)
{
	const struct lval *all = strcmp(section, "risks") ? app->answers : app->risks;

	profile_app_where(app, section, per == all ? NULL : pack, id, line, col);
}

/* The path of an answer or a risk decision as the file writes it: under the
 * pack's id when the application gives one section per pack. */
static const char *answer_path(struct arena *a, const struct profile_app *app, const char *section,
                               const struct lval *per, const char *pack, const char *id)
{
	const struct lval *all = strcmp(section, "risks") ? app->answers : app->risks;

	return per == all ? arena_printf(a, "%s.%s", section, id) : arena_printf(a, "%s.%s.%s", section, pack, id);
}

static const char *options_text(struct arena *a, const char *const *o, size_t n)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_adds(&b, i ? ", " : "");
		buf_adds(&b, o[i]);
	}
	s = buf_error(&b) ? "…" : arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int in_strs(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

size_t assess_answers_check(const struct policy *p, const struct profile_app *app, struct diag *err)
{
	const struct lval *ans = app ? assess_answers_for(app->answers, p->id) : NULL;
	const struct lval *rsk = app ? assess_answers_for(app->risks, p->id) : NULL;
	struct arena a;
	size_t i, bad = 0;
	uint32_t line, col;

	arena_init(&a, 4096);
	for (i = 0; ans && i < ans->n; i++) {
		const char *id = lval_obj_key(ans, i), *v = lval_obj_val(ans, i)->u.str;
		long ci = policy_criterion_index(p, id);
		const struct policy_criterion *c = ci < 0 ? NULL : &p->criteria[ci];

		where(app, "answers", ans, p->id, id, &line, &col);
		if (!c) {
			diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "answers", ans, p->id, id),
		         arena_printf(&a, "%2$s に項目 '%1$s' はありません / %2$s has no "
			         "criterion '%1$s'", id, p->id));
			bad++;
		} else if (!c->manual) {
			diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "answers", ans, p->id, id),
		         arena_printf(&a, "%2$s %1$s は事実から判定する項目で、回答は取りません"
			         " / %2$s %1$s is decided by the facts and takes no answer", id, p->id));
			bad++;
		} else if (!in_strs(v, c->manual->options, c->manual->noptions)) {
			const char *o = options_text(&a, c->manual->options, c->manual->noptions);

			diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "answers", ans, p->id, id),
		         arena_printf(&a, "'%2$s' は %3$s %1$s の回答にありません（%4$s） / '%2$s' "
			         "is not an answer of %3$s %1$s (%4$s)", id, v, p->id, o));
			bad++;
		}
	}
	for (i = 0; rsk && i < rsk->n; i++) {
		const char *id = lval_obj_key(rsk, i), *v = lval_obj_val(rsk, i)->u.str;
		long ri = policy_risk_index(p, id);
		const struct policy_risk *r = ri < 0 ? NULL : &p->risks[ri];

		where(app, "risks", rsk, p->id, id, &line, &col);
		if (!r) {
			diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "risks", rsk, p->id, id),
		         arena_printf(&a, "%2$s にリスク '%1$s' はありません / %2$s has no risk "
			         "'%1$s'", id, p->id));
			bad++;
		} else if (!in_strs(v, r->options, r->noptions)) {
			const char *o = options_text(&a, r->options, r->noptions);

			diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "risks", rsk, p->id, id),
		         arena_printf(&a, "'%2$s' は %3$s %1$s の対応にありません（%4$s） / '%2$s' "
			         "is not a decision of %3$s %1$s (%4$s)", id, v, p->id, o));
			bad++;
		}
	}
	arena_release(&a);
	return bad;
}

/* Why an answer to f changed nothing, as "ja / en". */
static void why_no_effect(struct arena *a, const struct assessment *as, const struct assess_finding *f,
                          const char *ans, const char **ja, const char **en)
{
	const struct profile_answers *m = f->c->manual;
	const char *lv = as->p->levels[as->level].id;

	switch (f->status) {
	case FS_NA:
		if (f->obligation == OB_NA) {
			*ja = arena_printf(a, "区分 %s では対象外の項目です", lv);
			*en = arena_printf(a, "the criterion does not apply at level %s", lv);
		} else {
			*ja = arena_printf(a, "この項目は適用されません（%s）", f->reason && *f->reason ? f->reason : "対象外");
			*en = "the criterion does not apply (its condition is false, or an exemption covers it)";
		}
		return;
	case FS_MET:
		*ja = "事実からすでに満たしていると判定される項目です";
		*en = in_strs(ans, m->accepted, m->naccepted)
			? "the facts already meet it, so an option that accepts its being unmet changes nothing"
			: "the facts already meet it";
		return;
	case FS_UNMET:
		*ja = arena_printf(a, "事実から満たしていないと判定され、「%s」では変わりません（受容するなら: %s）", ans,
		                   m->naccepted ? options_text(a, m->accepted, m->naccepted) : "選択肢なし");
		*en = arena_printf(a, "the facts decide it is unmet and '%s' does not change that (to accept it: %s)", ans,
		                   m->naccepted ? options_text(a, m->accepted, m->naccepted) : "no option");
		return;
	case FS_UNKNOWN:
		*ja = arena_printf(a, "事実が未回答で判定できず、回答は使われません（未回答: %s）。先に事実に答えてください",
		                   f->nmissing ? options_text(a, f->missing, f->nmissing) : "—");
		*en = arena_printf(a, "the facts do not decide it yet (missing: %s), and the answer is not used until they "
		                   "do: answer the facts first", f->nmissing ? options_text(a, f->missing, f->nmissing) : "-");
		return;
	case FS_DEFERRED:
		*ja = arena_printf(a, "%sに確認する項目で、申請時には判定しません", policy_stage_ja(f->c->stage));
		*en = arena_printf(a, "the criterion is judged at its stage (%s), not at application",
		                   policy_stage_name(f->c->stage));
		return;
	default:
		*ja = "回答は判定を変えません";
		*en = "the answer changes nothing";
		return;
	}
}

size_t assess_answers_effect(const struct assessment *as, size_t n, const struct profile_app *app,
                             struct diag *err)
{
	const struct policy *p = n ? as[0].p : NULL;
	const struct assessment *first;
	const struct lval *ans, *rsk;
	size_t i, k, bad = 0;
	uint32_t line, col;
	struct arena a;

	if (!p || !app)
		return 0;
	ans = assess_answers_for(app->answers, p->id);
	rsk = assess_answers_for(app->risks, p->id);
	arena_init(&a, 4096);
	for (i = 0; ans && i < ans->n; i++) {
		const char *id = lval_obj_key(ans, i), *v = lval_obj_val(ans, i)->u.str, *ja, *en;
		long ci = policy_criterion_index(p, id);

		if (ci < 0)
			continue;          /* assess_answers_check said so */
		/* an assessment that stopped early (the standard or the level does not
		 * apply) assessed nothing: the answer is moot there, not wrong */
		for (k = 0, first = NULL; k < n; k++) {
			if (!as[k].nfindings)
				continue;
			if (as[k].findings[ci].answer)
				break;
			if (!first)
				first = &as[k];
		}
		if (k < n || !first)
			continue;
		why_no_effect(&a, first, &first->findings[ci], v, &ja, &en);
		where(app, "answers", ans, p->id, id, &line, &col);
		diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "answers", ans, p->id, id),
		         arena_printf(&a, "%2$s %1$s への回答「%3$s」は判定を変えません: %4$s / the "
		         "answer '%3$s' to %2$s %1$s has no effect: %5$s", id, p->id, v, ja, en));
		bad++;
	}
	for (i = 0; rsk && i < rsk->n; i++) {
		const char *id = lval_obj_key(rsk, i), *v = lval_obj_val(rsk, i)->u.str;
		long ri = policy_risk_index(p, id);

		if (ri < 0)
			continue;
		for (k = 0, first = NULL; k < n; k++) {
			if (!as[k].nrisks)
				continue;
			if (as[k].risks[ri].status != RS_NA)
				break;
			if (!first)
				first = &as[k];
		}
		if (k < n || !first)
			continue;
		where(app, "risks", rsk, p->id, id, &line, &col);
		diag_add(err, app->file, line, col, "%s: %s", answer_path(&a, app, "risks", rsk, p->id, id),
		         arena_printf(&a, "%2$s %1$s への判断「%3$s」は判定を変えません: 区分 %4$s では"
		         "対象外のリスクです / the decision '%3$s' on %2$s %1$s has no effect: the risk does not apply at "
		         "level %4$s", id, p->id, v, p->levels[first->level].id));
		bad++;
	}
	arena_release(&a);
	return bad;
}

/* ------------------------------------------------------------ evaluate */

struct job {
	const struct policy *p;
	size_t level;
};

/* Which packs at which levels rq asks for; mistakes to err. */
static int select_jobs(struct arena *a, const struct assess_request *rq, struct job **out, size_t *nout,
                       struct diag *err, struct diag *warn)
{
	const struct policy_set *set = rq->set;
	int all = !strcmp(rq->policy, "all");
	struct job *jobs;
	struct buf skipped = BUF_INIT;
	size_t i, k, n = 0, cap = 0, nskipped = 0;
	const char *skipped_level = NULL;
	int rc = OK;

	for (i = 0; i < set->npacks; i++)
		cap += set->packs[i]->nlevels;
	jobs = arena_alloc(a, (cap ? cap : 1) * sizeof(*jobs));
	for (i = 0; i < set->npacks; i++) {
		const struct policy *p = set->packs[i];
		const char *lv = rq->level ? rq->level : profile_app_level(rq->app, p->id);

		if (!all && strcmp(rq->policy, p->id))
			continue;
		if (lv) {
			long li = policy_level_index(p, lv);

			if (li >= 0) {
				jobs[n].p = p;
				jobs[n++].level = (size_t)li;
			} else if (!all) {
				diag_add(err, "", 0, 0, "'%1$s' は %2$s の区分にありません（区分: %3$s） / '%1$s' is not a level of "
				         "%2$s (levels: %3$s)", lv, p->id, policy_level_ids(a, p));
				rc = ERR_INVALID;
			} else {
				buf_addf(&skipped, "%s%s (%s)", nskipped++ ? ", " : "", p->id, policy_level_ids(a, p));
				skipped_level = lv;
			}
		} else if (all) {
			for (k = 0; k < p->nlevels; k++) {
				jobs[n].p = p;
				jobs[n++].level = k;
			}
		} else {
			diag_add(err, "", 0, 0, "区分を --level で指定してください（%1$s の区分: %2$s） / give --level (levels "
			         "of %1$s: %2$s), or app.classification in the application", p->id, policy_level_ids(a, p));
			rc = ERR_INVALID;
		}
	}
	if (nskipped && n)
		diag_add(warn, "", 0, 0, "区分 %1$s のない基準は審査していません: %2$s / skipped the packs that have no level "
		         "%1$s: %2$s", skipped_level, buf_error(&skipped) ? "…" : buf_str(&skipped));
	if (!rc && !n) {
		if (!all && !policy_find(set, rq->policy)) {
			const char **ids = arena_alloc(a, (set->npacks ? set->npacks : 1) * sizeof(*ids));

			for (i = 0; i < set->npacks; i++)
				ids[i] = set->packs[i]->id;
			diag_add(err, "", 0, 0, "基準 '%1$s' はありません（基準: %2$s） / no pack '%1$s' (packs: %2$s; see "
			         "'shinsa policy list')", rq->policy, options_text(a, ids, set->npacks));
		} else if (skipped_level) {
			diag_add(err, "", 0, 0, "区分 %1$s を持つ基準がありません（各基準の区分: %2$s） / no pack has the level "
			         "%1$s (the packs' levels: %2$s)", skipped_level, buf_error(&skipped) ? "…" : buf_str(&skipped));
		} else {
			diag_add(err, "", 0, 0, "審査する基準と区分がありません / no pack and level to assess");
		}
		rc = ERR_INVALID;
	}
	buf_free(&skipped);
	*out = jobs;
	*nout = n;
	return rc;
}

int assess_evaluate(struct arena *a, const struct assess_request *rq, const struct lval **out,
                    struct diag *err, struct diag *warn)
{
	struct assessment *as;
	struct job *jobs;
	size_t njobs, i, j, bad = 0;
	struct vb b;
	int many;

	*out = NULL;
	if (select_jobs(a, rq, &jobs, &njobs, err, warn))
		return ERR_INVALID;
	for (i = 0; rq->app && i < njobs; i++)
		if (i == 0 || jobs[i].p != jobs[i - 1].p)
			bad += assess_answers_check(jobs[i].p, rq->app, err);
	if (bad)
		return ERR_INVALID;
	as = arena_alloc(a, njobs * sizeof(*as));
	for (i = 0; i < njobs; i++) {
		const struct policy *p = jobs[i].p;
		const struct lval *facts = profile_facts_for(a, rq->profile, rq->app, p->levels[jobs[i].level].id);
		const struct lval *ans = rq->app ? assess_answers_for(rq->app->answers, p->id) : NULL;
		const struct lval *rsk = rq->app ? assess_answers_for(rq->app->risks, p->id) : NULL;

		assess_run(a, p, jobs[i].level, facts, ans, rsk, ASSESS_DETAIL, &as[i]);
	}
	/* an answer must change something in one of its pack's assessments */
	for (i = 0; rq->app && i < njobs; i = j) {
		for (j = i; j < njobs && jobs[j].p == jobs[i].p; j++)
			;
		bad += assess_answers_effect(&as[i], j - i, rq->app, err);
	}
	if (bad)
		return ERR_INVALID;
	many = njobs > 1 || !strcmp(rq->policy, "all");
	vb_init(&b, a);
	if (many)
		vb_arr(&b);
	for (i = 0; i < njobs; i++)
		assessment_model(&b, &as[i], rq->app);
	if (many)
		vb_end(&b);
	*out = vb_done(&b);
	return OK;
}

/* ------------------------------------------------------------ matrix */

struct col {
	const struct policy *p;
	size_t level;
	const char *name;            /* "pack:level" */
	size_t count[V_CONFORMING + 1];
};

/* One profile's verdicts, by column, while its batch is assessed. */
struct row {
	const char *file;
	const struct lval *facts;
	uint8_t *verdict;
};

/* Assess rows[0..n) (at most LOGIC_BATCH) at every column, pack by pack:
 * the pack's conditions are evaluated once per batch (assess_batch.c). */
static void matrix_batch(struct arena *per, struct assess_batch **batches, const struct col *cols, size_t ncols,
                         const struct policy_set *set, struct row *rows, size_t n, struct assess_matrix_stats *st)
{
	const struct lval *docs[LOGIC_BATCH];
	size_t i, j, k, c = 0;

	for (k = 0; k < n; k++)
		docs[k] = rows[k].facts;
	for (i = 0; i < set->npacks; i++) {
		const struct policy *p = set->packs[i];

		assess_batch_bind(batches[i], docs, n);
		for (j = 0; j < p->nlevels; j++, c++) {
			for (k = 0; k < n; k++)
				profile_facts_set_level(per, rows[k].facts, p->levels[j].id);
			assess_batch_level(batches[i]);
			for (k = 0; k < n; k++) {
				struct assessment as;
				struct arena_mark m = arena_mark(per);

				assess_run_batch(per, batches[i], k, j, NULL, NULL, 0, &as);
				rows[k].verdict[c] = (uint8_t)as.verdict;
				st->assessments++;
				st->checks += as.checks;
				arena_rewind(per, m);
			}
		}
	}
	(void)ncols;
}

/* The profiles are read on a thread of their own, a batch at a time, while
 * the batches read before are assessed: the reader and the assessor each go
 * through the files in order, so the result is the same as one thread's. */
#define MATRIX_SLOTS 3

struct slot {
	struct arena arena;          /* the batch's profiles and facts */
	struct row rows[LOGIC_BATCH];
	size_t n;
};

struct reader {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slots[MATRIX_SLOTS];
	size_t produced, consumed;   /* batches */
	int done;
	/* the reader's own */
	struct profile_env env;
	const char *const *files;
	size_t nfiles, next, bad;
	assess_progress_fn *progress;
	void *pctx;
	struct assess_matrix_stats *st;
	struct diag *err, *warn;
};

/* Read the next batch of profiles into s (n = 0 at the end). */
static void read_batch(struct reader *r, struct slot *s)
{
	arena_reset(&s->arena);
	s->n = 0;
	while (s->n < LOGIC_BATCH && r->next < r->nfiles) {
		const char *file = r->files[r->next++];
		const struct lval *profile;

		if (r->progress)
			r->progress(r->pctx, r->next - 1, r->nfiles, file);
		if (profile_load(&s->arena, &r->env, file, &profile, r->err, r->warn)) {
			r->bad++;
			r->st->rejected++;
			continue;
		}
		if (profile_is_application(profile))
			continue;          /* profile_load warned */
		r->st->profiles++;
		s->rows[s->n].file = file;
		s->rows[s->n].facts = profile_facts_for(&s->arena, profile, NULL, "");
		s->n++;
	}
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	for (;;) {
		struct slot *s;

		pthread_mutex_lock(&r->mu);
		while (r->produced - r->consumed == MATRIX_SLOTS)
			pthread_cond_wait(&r->cv, &r->mu);
		s = &r->slots[r->produced % MATRIX_SLOTS];
		pthread_mutex_unlock(&r->mu);
		read_batch(r, s);
		pthread_mutex_lock(&r->mu);
		if (s->n)
			r->produced++;
		else
			r->done = 1;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (!s->n)
			return NULL;
	}
}

int assess_matrix(struct arena *a, const struct policy_set *set, const struct country_list *countries,
                  const char *const *files, size_t nfiles, assess_progress_fn *progress, void *pctx,
                  const struct lval **out, struct assess_matrix_stats *st, struct diag *err, struct diag *warn)
{
	struct profile_unknowns unknowns = { 0 };
	struct assess_batch **batches;
	struct assess_rules **rules;
	struct reader *rd;
	struct col *cols;
	size_t ncols = 0, i, j, k;
	struct arena per, work, keep;
	pthread_t thread;
	int threaded;
	struct vb b;
	struct err e;
	int v;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < set->npacks; i++)
		ncols += set->packs[i]->nlevels;
	cols = arena_zalloc(a, (ncols ? ncols : 1) * sizeof(*cols));
	ncols = 0;
	for (i = 0; i < set->npacks; i++)
		for (j = 0; j < set->packs[i]->nlevels; j++) {
			cols[ncols].p = set->packs[i];
			cols[ncols].level = j;
			cols[ncols].name = arena_printf(a, "%s:%s", set->packs[i]->id, set->packs[i]->levels[j].id);
			ncols++;
		}
	/* each pack's conditions as one rule set, evaluated over batches of profiles */
	batches = arena_zalloc(a, (set->npacks ? set->npacks : 1) * sizeof(*batches));
	rules = arena_zalloc(a, (set->npacks ? set->npacks : 1) * sizeof(*rules));
	for (i = 0; i < set->npacks; i++)
		if (assess_rules_new(a, set, set->packs[i], &rules[i], &e)) {
			diag_add(err, set->packs[i]->file, 0, 0, "%s", e.msg);
			return ERR_INVALID;
		}
	arena_init(&per, 1 << 16);
	arena_init(&work, 1 << 20);
	arena_init(&keep, 1 << 16);
	for (i = 0; i < set->npacks; i++)
		batches[i] = assess_batch_new(a, rules[i], &work);
	/* the reader keeps its shapes and the unknown facts in an arena of its own */
	unknowns.keep = &keep;
	rd = arena_zalloc(a, sizeof(*rd));
	rd->env = (struct profile_env){ set, countries, lshapes_new(&keep), &unknowns };
	rd->files = files;
	rd->nfiles = nfiles;
	rd->progress = progress;
	rd->pctx = pctx;
	rd->st = st;
	rd->err = err;
	rd->warn = warn;
	for (i = 0; i < MATRIX_SLOTS; i++) {
		arena_init(&rd->slots[i].arena, 1 << 18);
		for (k = 0; k < LOGIC_BATCH; k++)
			rd->slots[i].rows[k].verdict = arena_alloc(a, ncols ? ncols : 1);
	}
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	threaded = pthread_create(&thread, NULL, reader_main, rd) == 0;

	vb_init(&b, a);
	vb_obj(&b);
	vb_key(&b, "profiles");
	vb_arr(&b);
	for (;;) {
		struct slot *s;

		if (threaded) {
			pthread_mutex_lock(&rd->mu);
			while (rd->consumed == rd->produced && !rd->done)
				pthread_cond_wait(&rd->cv, &rd->mu);
			s = rd->consumed < rd->produced ? &rd->slots[rd->consumed % MATRIX_SLOTS] : NULL;
			pthread_mutex_unlock(&rd->mu);
		} else {
			s = &rd->slots[0];    /* no thread: read, then assess */
			read_batch(rd, s);
			if (!s->n)
				s = NULL;
		}
		if (!s)
			break;
		matrix_batch(&per, batches, cols, ncols, set, s->rows, s->n, st);
		arena_reset(&per);
		for (k = 0; k < s->n; k++) {
			vb_obj(&b);
			vb_kstr(&b, "profile", s->rows[k].file);
			vb_key(&b, "verdicts");
			vb_obj(&b);
			for (j = 0; j < ncols; j++) {
				cols[j].count[s->rows[k].verdict[j]]++;
				vb_kstr(&b, cols[j].name, assess_verdict_name(s->rows[k].verdict[j]));
			}
			vb_end(&b);
			vb_end(&b);
		}
		if (threaded) {
			pthread_mutex_lock(&rd->mu);
			rd->consumed++;
			pthread_cond_broadcast(&rd->cv);
			pthread_mutex_unlock(&rd->mu);
		}
	}
	if (threaded)
		pthread_join(thread, NULL);
	pthread_cond_destroy(&rd->cv);
	pthread_mutex_destroy(&rd->mu);
	for (i = 0; i < MATRIX_SLOTS; i++)
		arena_release(&rd->slots[i].arena);
	arena_release(&work);
	arena_release(&per);
	vb_end(&b);
	vb_key(&b, "summary");
	vb_obj(&b);
	for (j = 0; j < ncols; j++) {
		vb_key(&b, cols[j].name);
		vb_obj(&b);
		for (v = V_EXEMPT; v <= V_CONFORMING; v++)
			vb_kint(&b, assess_verdict_name(v), (long long)cols[j].count[v]);
		vb_end(&b);
	}
	vb_end(&b);
	/* the facts no pack reads, with how many profiles gave each: in the
	 * model, so every view can show them (the CLI also warns) */
	vb_key(&b, "unknown_facts");
	vb_arr(&b);
	for (i = 0; i < unknowns.n; i++) {
		vb_obj(&b);
		vb_key(&b, "fact");
		vb_strdup(&b, unknowns.paths[i]);    /* the reader's arena goes below */
		vb_kint(&b, "profiles", (long long)unknowns.counts[i]);
		vb_end(&b);
	}
	vb_end(&b);
	vb_end(&b);
	*out = vb_done(&b);
	/* once per fact, not once per profile: a generator's typo in 10,000 files is one line */
	for (i = 0; i < unknowns.n; i++)
		diag_add(warn, "", 0, 0, "語彙にない事実 '%1$s' は無視しました（%2$zu 件のプロファイル） / unknown fact '%1$s' "
		         "in %2$zu profile%3$s (not in the vocabulary; it is ignored)", unknowns.paths[i], unknowns.counts[i],
		         unknowns.counts[i] == 1 ? "" : "s");
	arena_release(&keep);
	return rd->bad ? ERR_INVALID : OK;
}
