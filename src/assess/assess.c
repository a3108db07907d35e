/* Assessment of one service and one use against one standard at one level.
 * An absent fact is unknown, never false: every condition is evaluated
 * three-valued (logic_eval3, Kleene's rules), so a criterion is met only
 * when its check is true, unmet only when it is false, and unknown
 * otherwise, with the missing facts that decide it; the same for `when`,
 * satisfied_by, groups, prohibitions and exemptions. */
#include "assess/assess.h"

#include <string.h>

#include "core/buf.h"
#include "logic/logic.h"

static const char *const fs_names[] = { "met", "unmet", "unknown", "manual", "accepted", "not-applicable",
	"deferred" };
static const char *const fs_ja[] = { "適合", "不適合", "不明", "確認待ち", "受容", "対象外", "後日確認" };
static const char *const v_names[] = { "exempt", "prohibited", "nonconforming", "consultation",
	"incomplete", "conforming" };
static const char *const v_ja[] = { "適用除外", "利用不可", "不適合", "協議要", "要確認", "適合" };

const char *assess_status_name(int s) { return fs_names[s]; }
const char *assess_status_ja(int s) { return fs_ja[s]; }
const char *assess_verdict_name(int v) { return v_names[v]; }
const char *assess_verdict_ja(int v) { return v_ja[v]; }

static const char *const rs_names[] = { "not-applicable", "pending", "accepted", "rejected" };
static const char *const rs_ja[] = { "対象外", "判断待ち", "受容", "受容しない" };

const char *assess_risk_status_name(int s) { return rs_names[s]; }
const char *assess_risk_status_ja(int s) { return rs_ja[s]; }

int assess_verdict_from_name(const char *s)
{
	int v;

	for (v = V_EXEMPT; v <= V_CONFORMING; v++)
		if (!strcmp(s, v_names[v]))
			return v;
	return -1;
}

int assess_verdict_severity(int v)
{
	switch (v) {
	case V_INCOMPLETE: return 1;
	case V_CONSULTATION: return 2;
	case V_NONCONFORMING: return 3;
	case V_PROHIBITED: return 4;
	default: return 0;
	}
}

/* Outcome of a condition, three-valued: true, false, or unknown (its
 * answer depends on missing facts: deciding), or an error (the rule throws
 * whatever the facts: a mistake in the pack, taken as not satisfied). */
enum { C_FALSE = 0, C_TRUE = 1, C_UNKNOWN = -1, C_ERROR = -2 };

struct cres {
	int v;
	const char **missing;          /* every missing fact it read */
	size_t nmissing;
	const char *const *deciding;   /* C_UNKNOWN: the ones that decide it */
	size_t ndeciding;
	const char **notes;
	size_t nnotes;
	const char *error;
};

static void cond_run(struct arena *a, struct assessment *as, const struct policy_cond *c,
                     const struct lval *facts, struct cres *r)
{
	struct logic_result3 res;
	int rc = as->batch ? assess_batch_cond(as->batch, as->lane, c, a, &res)
	                   : logic_eval3(a, c->rule, facts, &res, NULL);

	as->checks++;
	r->missing = res.missing;
	r->nmissing = res.nmissing;
	r->deciding = res.deciding;
	r->ndeciding = res.ndeciding;
	r->notes = res.notes;
	r->nnotes = res.nnotes;
	r->error = NULL;
	if (rc) {
		r->v = C_ERROR;
		r->error = logic_error_type(a, res.error);
		return;
	}
	r->v = res.truth == LOGIC_TRUE ? C_TRUE : res.truth == LOGIC_FALSE ? C_FALSE : C_UNKNOWN;
	if (r->v == C_UNKNOWN && !r->ndeciding) {
		/* unknown only through what an answer could make throw: every
		 * missing fact it read may decide it */
		r->deciding = (const char *const *)r->missing;
		r->ndeciding = r->nmissing;
	}
}

/* The union of two lists of fact paths (a's first), into a. */
static const char *const *paths_union(struct arena *a, const char *const *x, size_t nx,
                                      const char *const *y, size_t ny, size_t *n)
{
	const char **u;
	size_t i, j, k;

	if (!ny) {
		*n = nx;
		return x;
	}
	if (!nx) {
		*n = ny;
		return y;
	}
	u = arena_alloc(a, (nx + ny) * sizeof(*u));
	memcpy(u, x, nx * sizeof(*u));
	k = nx;
	for (i = 0; i < ny; i++) {
		for (j = 0; j < k && strcmp(u[j], y[i]); j++)
			;
		if (j == k)
			u[k++] = y[i];
	}
	*n = k;
	return u;
}

static const struct lval *fact_at(const struct lval *facts, const char *path)
{
	const struct lval *cur = facts;
	const char *p = path;

	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (cur->type != LV_OBJ)
			return NULL;
		cur = lval_get(cur, p, n);
		p += n + (dot ? 1 : 0);
		if (!dot)
			break;
	}
	return cur && cur->type != LV_NULL ? cur : NULL;
}

static int in_strs(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

/* A reason is written only when someone will read it. */
#define REASON(as, a, ...) (((as)->flags & ASSESS_DETAIL) ? arena_printf((a), __VA_ARGS__) : "")
#define DETAIL_OR(as, quiet, text) (((as)->flags & ASSESS_DETAIL) ? (text) : (quiet))

static const char *answer_of(const struct lval *answers, const char *id)
{
	const struct lval *v;

	if (!answers || answers->type != LV_OBJ)
		return NULL;
	v = lval_get(answers, id, strlen(id));
	return v && v->type == LV_STR ? v->u.str : NULL;
}

/* "cert.ismap = true、log.retention_days = 90" */
static const char *facts_text(struct arena *a, const struct assess_finding *f)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < f->nfacts && i < 4; i++) {
		buf_addf(&b, "%s%s = ", i ? "、" : "", f->facts[i].path);
		if (f->facts[i].value)
			lval_add_json(&b, f->facts[i].value);
		else
			buf_adds(&b, "未回答");
	}
	if (f->nfacts > 4)
		buf_addf(&b, " ほか %zu 件", f->nfacts - 4);
	s = arena_strndup(a, buf_done(&b), b.len);
	buf_free(&b);
	return s;
}

static const char *join(struct arena *a, const char *const *s, size_t n)
{
	struct buf b = BUF_INIT;
	const char *r;
	size_t i;

	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "、" : "", s[i]);
	r = arena_strndup(a, buf_done(&b), b.len);
	buf_free(&b);
	return r;
}

static void add_facts(struct arena *a, const struct assessment *as, struct assess_finding *f,
                      const struct policy_cond *c, const struct lval *facts)
{
	size_t i, j;

	if (!c || !(as->flags & ASSESS_DETAIL))
		return;
	f->facts = arena_realloc(a, f->facts, f->nfacts * sizeof(*f->facts),
	                         (f->nfacts + c->npaths) * sizeof(*f->facts));
	for (i = 0; i < c->npaths; i++) {
		for (j = 0; j < f->nfacts; j++)
			if (!strcmp(f->facts[j].path, c->paths[i]))
				break;
		if (j < f->nfacts)
			continue;
		f->facts[f->nfacts].path = c->paths[i];
		f->facts[f->nfacts].value = fact_at(facts, c->paths[i]);
		f->nfacts++;
	}
}

static void take_missing(struct assess_finding *f, const struct cres *r)
{
	f->missing = r->missing;
	f->nmissing = r->nmissing;
	f->notes = r->notes;
	f->nnotes = r->nnotes;
}

static int exempted(const struct assessment *as, const char *id, const struct policy_exemption **by)
{
	size_t i, j;

	for (i = 0; i < as->nexempt; i++) {
		const struct policy_exemption *x = as->exempt[i];

		for (j = 0; j < x->nscope; j++)
			if (!strcmp(x->scope[j], id)) {
				*by = x;
				return 1;
			}
	}
	return 0;
}

/* An exemption whose condition cannot be decided yet that would cover id
 * (its scope names it, or is all): the item in as->exemptions, or NULL. */
static const struct assess_item *maybe_exempted(const struct assessment *as, const char *id)
{
	size_t i, j;

	for (i = 0; i < as->nexemptions; i++) {
		const struct assess_item *it = &as->exemptions[i];
		const struct policy_exemption *x = &as->p->exemptions[it->index];

		if (it->status != AI_UNKNOWN)
			continue;
		if (x->all)
			return it;
		for (j = 0; j < x->nscope; j++)
			if (!strcmp(x->scope[j], id))
				return it;
	}
	return NULL;
}

/* The facts a condition reads with their values, for the JSON (detail only). */
static void cond_facts(struct arena *a, const struct assessment *as, const struct policy_cond *c,
                       const struct lval *facts, struct assess_fact **out, size_t *n)
{
	struct assess_finding tmp;

	memset(&tmp, 0, sizeof(tmp));
	add_facts(a, as, &tmp, c, facts);
	*out = tmp.facts;
	*n = tmp.nfacts;
}

/* The obligation of c at the level (issue #11 (7)): the first
 * obligation_when entry whose condition holds gives it, else the level's
 * own. An entry whose condition is unknown leaves the obligation open: the
 * stricter of the possibilities stands, and f->ob_open says so. */
static int obligation_at(struct arena *a, struct assessment *as, const struct policy_criterion *c,
                         struct assess_finding *f, const struct lval *facts)
{
	int base = c->ob[as->level], best = OB_NA, open = 0;
	size_t i;

	for (i = 0; i < c->nob_when; i++) {
		const struct policy_ob_when *e = &c->ob_when[i];
		int ob = e->ob[as->level];
		struct cres r;

		if (ob == base)
			continue;           /* no difference here: nothing to decide */
		add_facts(a, as, f, &e->when, facts);
		cond_run(a, as, &e->when, facts, &r);
		if (r.v == C_TRUE) {
			f->ob_by = e;
			return open && best > ob ? best : ob;
		}
		if (r.v != C_FALSE) {
			open = 1;
			f->ob_open = 1;
			f->ob_missing = (const char **)r.deciding;
			f->nob_missing = r.ndeciding;
			if (ob > best)
				best = ob;
		}
	}
	return open && best > base ? best : base;
}

static void assess_criterion(struct arena *a, struct assessment *as, const struct policy_criterion *c,
                             struct assess_finding *f, const struct lval *facts, const struct lval *answers)
{
	const struct policy *p = as->p;
	const struct policy_exemption *by;
	const char *ans = answer_of(answers, c->id);
	struct cres r;
	size_t i;

	f->c = c;
	f->obligation = (uint8_t)(c->nob_when ? obligation_at(a, as, c, f, facts) : c->ob[as->level]);
	if (f->obligation == OB_NA) {
		f->status = FS_NA;
		f->reason = REASON(as, a, "区分 %s では対象外", p->levels[as->level].id);
		return;
	}
	if (exempted(as, c->id, &by)) {
		f->status = FS_NA;
		f->reason = REASON(as, a, "適用除外（%s）:「%s」", by->ref ? by->ref : by->id, by->text);
		return;
	}
	if (c->when) {
		add_facts(a, as, f, c->when, facts);
		cond_run(a, as, c->when, facts, &r);
		/* an item whose condition is false is not applicable at any stage */
		if (r.v == C_FALSE) {
			f->status = FS_NA;
			f->reason = REASON(as, a, "適用条件に当たらないため対象外（%s）", facts_text(a, f));
			return;
		}
	}
	if (c->stage != ST_APPLICATION) {
		/* a later stage's item: listed, not judged at application */
		f->status = FS_DEFERRED;
		as->ndeferred++;
		f->reason = REASON(as, a, "%sに確認する項目（申請時には判定しない）", policy_stage_ja(c->stage));
		return;
	}
	if (c->when) {
		if (r.v != C_TRUE) {
			/* applicability unknown: said so, with the facts that decide it */
			take_missing(f, &r);
			f->deciding = r.deciding;
			f->ndeciding = r.ndeciding;
			f->when_unknown = 1;
			f->status = FS_UNKNOWN;
			f->reason = REASON(as, a, "適用されるかが不明（適用条件を判定できない）: 未回答の事実 %s",
			                   join(a, r.deciding, r.ndeciding));
			return;
		}
	}
	/* A person's answer that accepts or sets aside the item decides it. */
	if (ans && c->manual) {
		const struct profile_answers *m = c->manual;

		if (!in_strs(ans, m->options, m->noptions)) {
			f->status = c->check ? FS_UNKNOWN : FS_MANUAL;
			f->answer = ans;
			f->reason = REASON(as, a, "回答「%s」はこの項目の選択肢にありません", ans);
			if (!c->check)
				return;
		} else if (in_strs(ans, m->na, m->nna)) {
			f->status = FS_NA;
			f->answer = ans;
			f->reason = REASON(as, a, "「%s」と回答済み", ans);
			return;
		} else if (!c->check) {
			f->answer = ans;
			if (in_strs(ans, m->met, m->nmet)) {
				f->status = FS_MET;
				f->reason = REASON(as, a, "「%s」と回答済み", ans);
			} else if (in_strs(ans, m->accepted, m->naccepted)) {
				f->status = FS_ACCEPTED;
				f->reason = REASON(as, a, "「%s」と回答済み（満たさないことを受容）", ans);
			} else {
				f->status = FS_UNMET;
				f->reason = REASON(as, a, "「%s」と回答済み", ans);
			}
			return;
		}
	}
	if (!c->check) {
		f->status = FS_MANUAL;
		f->reason = REASON(as, a, "担当者の確認が必要:「%s」",
		                         c->manual && c->manual->prompt ? c->manual->prompt : c->title);
		return;
	}
	add_facts(a, as, f, policy_check_at(c, as->level), facts);
	cond_run(a, as, policy_check_at(c, as->level), facts, &r);
	take_missing(f, &r);
	if (r.v == C_TRUE) {
		f->status = FS_MET;
		f->reason = REASON(as, a, "満たしている（%s）", facts_text(a, f));
		return;
	}
	/* met when the check or one of its satisfied_by alternatives is true
	 * (Kleene's or): unknown when none is true and one is unknown */
	if (r.v == C_UNKNOWN) {
		f->deciding = r.deciding;
		f->ndeciding = r.ndeciding;
	}
	for (i = 0; i < c->nalts; i++) {
		struct cres ar;

		add_facts(a, as, f, &c->alts[i].check, facts);
		cond_run(a, as, &c->alts[i].check, facts, &ar);
		if (ar.v == C_TRUE) {
			f->status = FS_MET;
			f->deciding = NULL;
			f->ndeciding = 0;
			f->reason = REASON(as, a, "「%s」により満たしている（%s）", c->alts[i].note, facts_text(a, f));
			return;
		}
		if (ar.v == C_UNKNOWN) {
			if (r.v != C_UNKNOWN)
				r = ar;
			f->deciding = paths_union(a, f->deciding, f->ndeciding, ar.deciding, ar.ndeciding, &f->ndeciding);
			f->missing = (const char **)paths_union(a, (const char *const *)f->missing, f->nmissing,
			                                        (const char *const *)ar.missing, ar.nmissing,
			                                        &f->nmissing);
		}
	}
	if (r.v == C_UNKNOWN) {
		f->status = FS_UNKNOWN;
		f->reason = REASON(as, a, "判定できない: 未回答の事実 %s", join(a, f->deciding, f->ndeciding));
		return;
	}
	f->deciding = NULL;
	f->ndeciding = 0;
	if (ans && c->manual && in_strs(ans, c->manual->accepted, c->manual->naccepted)) {
		f->status = FS_ACCEPTED;
		f->answer = ans;
		f->reason = REASON(as, a, "満たしていないが「%s」と回答済み（%s）", ans, facts_text(a, f));
		return;
	}
	f->status = FS_UNMET;
	if (r.v == C_ERROR)
		f->reason = REASON(as, a, "満たしていない: 条件を評価できない（%s）", r.error);
	else if (r.nnotes)
		f->reason = REASON(as, a, "満たしていない: %s", join(a, r.notes, r.nnotes));
	else
		f->reason = REASON(as, a, "満たしていない（%s）", facts_text(a, f));
}

/* The titles of a procedure's forms (様式第１（第５条関係）), as the pack gives them. */
static const char **form_titles(struct arena *a, const struct policy *p, const struct policy_procedure *r)
{
	const char **t = arena_alloc(a, (r->nforms ? r->nforms : 1) * sizeof(*t));
	size_t i;

	for (i = 0; i < r->nforms; i++)
		t[i] = policy_form_title(p, r->forms[i]);
	return t;
}

/* "申請に代えて、情報政策課に届け出てください（様式第３）。利用開始の前に届け出る" */
static const char *notification_step(struct arena *a, const struct policy *p, const struct policy_exemption *x)
{
	return arena_printf(a, "申請に代えて、%sに届け出てください%s%s%s。%s", x->notify_to,
	                    x->notify_form ? "（" : "", x->notify_form ? policy_form_title(p, x->notify_form) : "",
	                    x->notify_form ? "）" : "", x->notify_note ? x->notify_note : "");
}

static const struct policy_procedure *procedure_for(const struct policy *p, size_t level)
{
	size_t i, j;

	for (i = 0; i < p->nprocedures; i++)
		for (j = 0; j < p->procedures[i].nlevels; j++)
			if (p->procedures[i].levels[j] == level)
				return &p->procedures[i];
	return NULL;
}

/* Each review's condition (乙訓's drill only for 自治体可用性2): 1, 0, -1 unknown. */
static void reviews_when(struct arena *a, struct assessment *as, const struct lval *facts)
{
	const struct policy_procedure *r = as->procedure;
	size_t i;

	if (!r)
		return;
	as->review_when = arena_alloc(a, (r->nreviews ? r->nreviews : 1) * sizeof(*as->review_when));
	for (i = 0; i < r->nreviews; i++) {
		struct cres c;

		as->review_when[i] = 1;
		if (!r->reviews[i].when)
			continue;
		cond_run(a, as, r->reviews[i].when, facts, &c);
		as->review_when[i] = (int8_t)(c.v == C_TRUE ? 1 : c.v == C_FALSE ? 0 : -1);
	}
}

/* The facts the ledger fields name, with their values (NULL: not answered). */
static void ledger_facts(struct arena *a, struct assessment *as, const struct lval *facts)
{
	const struct policy_procedure *r = as->procedure;
	size_t i, j, n = 0;

	for (i = 0; r && i < r->nledger; i++)
		n += r->ledger[i].nfacts;
	if (!n)
		return;
	as->ledger = arena_alloc(a, n * sizeof(*as->ledger));
	for (i = 0; i < r->nledger; i++)
		for (j = 0; j < r->ledger[i].nfacts; j++) {
			as->ledger[as->nledger].path = r->ledger[i].facts[j];
			as->ledger[as->nledger].value = fact_at(facts, r->ledger[i].facts[j]);
			as->nledger++;
		}
}

/* The steps this application takes at `at`, in the pack's words: "…（ref）". */
static const char *steps_text(struct arena *a, const struct assessment *as, int at)
{
	const struct policy_procedure *r = as->procedure;
	struct policy_proc_ctx ctx = { as->exempt_flags, NULL, NULL, NULL, 0, 0 };
	const char *s = "";
	size_t i;
	long by;

	for (i = 0; r && i < r->nsteps; i++) {
		const struct policy_step *st = &r->steps[i];

		if (st->at != at || !policy_proc_taken(&ctx, st->when_exempt, st->nwhen_exempt, st->unless_exempt,
		                                       st->nunless_exempt, &by))
			continue;
		s = arena_printf(a, "%s%s%s%s%s%s%s", s, *s ? " " : "", st->optional && strncmp(st->text, "必要に応じて", strlen("必要に応じて")) ? "必要に応じて: " : "",
		                 st->text, st->ref ? "（" : "", st->ref ? st->ref : "", st->ref ? "）" : "");
	}
	return s;
}

static const char *exempt_next_step(struct arena *a, const struct assessment *as)
{
	const char *s = steps_text(a, as, AT_APPLICATION);

	return *s ? arena_printf(a, "この基準は適用されません。%s", s) : "この基準は適用されません。";
}

/* The consultations this application goes through (those its exemptions
 * skip are left out): "情報セキュリティ管理者を通じてCIO補佐官と企画段階・予算要求段階に協議し、". */
static const char *consult_text(struct arena *a, const struct assessment *as)
{
	const struct policy_procedure *r = as->procedure;
	struct policy_proc_ctx ctx = { as->exempt_flags, NULL, NULL, NULL, 0, 0 };
	const char *s = "";
	size_t i;
	long by;

	for (i = 0; r && i < r->nconsults; i++) {
		const struct policy_consult *c = &r->consults[i];

		if (!policy_proc_taken(&ctx, c->when_exempt, c->nwhen_exempt, c->unless_exempt, c->nunless_exempt, &by))
			continue;
		s = arena_printf(a, "%s%s%s%s%s%s%s%s", s, c->through ? c->through : "", c->through ? "を通じて" : "",
		                 join(a, c->with, c->nwith), c->nstages ? "と" : "を協議先として",
		                 c->nstages ? join(a, c->stages, c->nstages) : "", c->nstages ? "に協議し" : "", "、");
	}
	return s;
}

/* What the applicant does when nothing required is unmet. */
static const char *approval_next_step(struct arena *a, const struct assessment *as)
{
	const struct policy_procedure *r = as->procedure;
	const struct policy_point *ap;
	const char *forms, *who, *after;

	if (!r)
		return "所定の手続に進んでください。";
	ap = &r->approval;
	after = steps_text(a, as, AT_AFTER_APPROVAL);
	if (ap->unspecified) {
		/* the standard gives no path: say so, and nothing the body has not written */
		forms = r->nforms ? arena_printf(a, "（確認の記録には %s を用います。）",
		                                 join(a, form_titles(a, as->p, r), r->nforms)) : "";
		return arena_printf(a, "この基準は申請・承認の手続を定めていません（基準に定めなし）。"
		                    "団体の所定の手続によってください。%s%s%s", forms, *after ? " 承認後: " : "", after);
	}
	forms = r->nforms ? arena_printf(a, "%s を作成し、", join(a, form_titles(a, as->p, r), r->nforms)) : "";
	who = arena_printf(a, "%sの%sを受けてください。", ap->who, ap->act ? ap->act : "決裁");
	return arena_printf(a, "%s%s%s%s%s", forms, consult_text(a, as), who, *after ? " 承認後: " : "", after);
}

/* The unmet required criteria the pack lets an answer accept ("4(7)-1 は
 * 回答「…」により受容できます"), so that a way the standard gives is not hidden. */
static const char *acceptable_text(struct arena *a, const struct assessment *as)
{
	const char *s = "";
	size_t i;

	for (i = 0; i < as->nfindings; i++) {
		const struct assess_finding *f = &as->findings[i];

		if (f->status != FS_UNMET || f->obligation != OB_REQUIRED || f->group || !f->c->manual ||
		    !f->c->manual->naccepted)
			continue;
		s = arena_printf(a, "%s %s は回答「%s」により受容できます。", s, f->c->id, f->c->manual->accepted[0]);
	}
	return s;
}

/* What an unmet required criterion leads to: its own on_unmet, else the level's. */
static int unmet_action(const struct assessment *as, const struct policy_criterion *c)
{
	if (c && c->on_unmet >= 0)
		return c->on_unmet;
	return as->procedure ? as->procedure->on_unmet : UNMET_UNSPECIFIED;
}

/* Several unmet items: the one that leaves the least way through decides
 * (reject and no path over accept-risk over consultation). */
static int worse_action(int cur, int next)
{
	static const int rank[] = { 0, 3, 1, 2 };   /* consultation, reject, accept-risk, unspecified */

	return cur < 0 || rank[next] > rank[cur] ? next : cur;
}

/* The prohibitions that cannot be decided yet, and the exemptions that may
 * apply, for the next step: "禁止事項（…）に当たるかは未確認です（未回答の事実 …）。" */
static const char *undecided_text(struct arena *a, const struct assessment *as)
{
	const char *s = "";
	size_t i;

	if (!(as->flags & ASSESS_DETAIL))
		return "";
	for (i = 0; i < as->nprohibitions; i++) {
		const struct assess_item *it = &as->prohibitions[i];
		const struct policy_prohibition *h = &as->p->prohibitions[it->index];

		if (it->status == AI_UNKNOWN)
			s = arena_printf(a, "%s 禁止事項（%s）「%s」に当たるかは未確認です（未回答の事実 %s）。", s,
			                 h->ref ? h->ref : h->id, h->text, join(a, it->deciding, it->ndeciding));
	}
	for (i = 0; i < as->nexemptions; i++) {
		const struct assess_item *it = &as->exemptions[i];
		const struct policy_exemption *x = &as->p->exemptions[it->index];

		if (it->status == AI_UNKNOWN)
			s = arena_printf(a, "%s 適用除外（%s）に当たる可能性があります（未回答の事実 %s）。", s,
			                 x->ref ? x->ref : x->id, join(a, it->deciding, it->ndeciding));
	}
	return s;
}

static int run(struct arena *a, struct assess_batch *batch, size_t lane, const struct policy *p,
               size_t level, const struct lval *facts, const struct lval *answers,
               const struct lval *risks, int flags, struct assessment *out)
{
	struct assessment *as = out;
	size_t i, j, unmet = 0, pending = 0, rejected = 0;
	const char *first_unmet = NULL, *first_pending = NULL;

	memset(as, 0, sizeof(*as));
	as->batch = batch;
	as->lane = lane;
	as->flags = flags;
	as->p = p;
	as->level = level;
	as->procedure = procedure_for(p, level);

	/* exemptions first: one that covers everything decides alone. Only one
	 * whose condition is true applies; one that cannot be decided is kept
	 * as possible, with the facts that decide it */
	as->exempt = arena_alloc(a, (p->nexemptions ? p->nexemptions : 1) * sizeof(*as->exempt));
	as->exemptions = arena_alloc(a, (p->nexemptions ? p->nexemptions : 1) * sizeof(*as->exemptions));
	as->exempt_flags = arena_zalloc(a, p->nexemptions ? p->nexemptions : 1);
	as->unmet_action = -1;
	for (i = 0; i < p->nexemptions; i++) {
		struct assess_item *it;
		struct cres r;

		if (!policy_exemption_at(&p->exemptions[i], level))
			continue;           /* limited to other levels */
		cond_run(a, as, &p->exemptions[i].when, facts, &r);
		if (r.v != C_TRUE && r.v != C_UNKNOWN)
			continue;
		it = &as->exemptions[as->nexemptions++];
		memset(it, 0, sizeof(*it));
		it->index = i;
		if (flags & ASSESS_DETAIL)
			cond_facts(a, as, &p->exemptions[i].when, facts, &it->facts, &it->nfacts);
		if (r.v == C_UNKNOWN) {
			it->status = AI_UNKNOWN;
			it->deciding = r.deciding;
			it->ndeciding = r.ndeciding;
			as->nexempt_possible++;
			continue;
		}
		as->exempt[as->nexempt++] = &p->exemptions[i];
		if (p->exemptions[i].instead == INSTEAD_NOTIFICATION && !as->notification)
			as->notification = &p->exemptions[i];
		as->exempt_flags[i] = 1;
	}
	reviews_when(a, as, facts);
	ledger_facts(a, as, facts);
	for (i = 0; i < as->nexempt; i++)
		if (as->exempt[i]->all) {
			size_t k;

			as->whole_exempt = as->exempt[i];
			/* the standard is set aside: approval schedules none of its reviews */
			for (k = 0; as->procedure && as->review_when && k < as->procedure->nreviews; k++)
				as->review_when[k] = 0;
			as->verdict = V_EXEMPT;
			as->verdict_reason = REASON(as, a, "%s:「%s」", as->exempt[i]->ref ? as->exempt[i]->ref
			                                  : as->exempt[i]->id, as->exempt[i]->text);
			as->next_step = as->notification ? DETAIL_OR(as, "", notification_step(a, p, as->notification))
			                                 : DETAIL_OR(as, "", exempt_next_step(a, as));
			return OK;
		}

	if (!p->levels[level].governed) {
		as->verdict = V_EXEMPT;
		as->verdict_reason = REASON(as, a, "区分 %s はこの基準の対象外", p->levels[level].id);
		as->next_step = "この基準は適用されません。";
		return OK;
	}

	/* prohibitions: one that holds decides; one that cannot be decided is
	 * reported, and keeps the verdict from conforming */
	as->prohibited = arena_alloc(a, (p->nprohibitions ? p->nprohibitions : 1) * sizeof(*as->prohibited));
	as->prohibitions = arena_alloc(a, (p->nprohibitions ? p->nprohibitions : 1) * sizeof(*as->prohibitions));
	for (i = 0; i < p->nprohibitions; i++) {
		struct assess_item *it;
		struct cres r;

		if (p->prohibitions[i].ob[level] == OB_NA)
			continue;
		cond_run(a, as, &p->prohibitions[i].when, facts, &r);
		if (r.v != C_TRUE && r.v != C_UNKNOWN)
			continue;
		it = &as->prohibitions[as->nprohibitions++];
		memset(it, 0, sizeof(*it));
		it->index = i;
		if (flags & ASSESS_DETAIL)
			cond_facts(a, as, &p->prohibitions[i].when, facts, &it->facts, &it->nfacts);
		if (r.v == C_UNKNOWN) {
			it->status = AI_UNKNOWN;
			it->deciding = r.deciding;
			it->ndeciding = r.ndeciding;
			as->nprohibited_unknown++;
			continue;
		}
		as->prohibited[as->nprohibited++] = &p->prohibitions[i];
	}

	as->findings = arena_zalloc(a, (p->ncriteria ? p->ncriteria : 1) * sizeof(*as->findings));
	as->nfindings = p->ncriteria;
	for (i = 0; i < p->ncriteria; i++) {
		struct assess_finding *f = &as->findings[i];

		f->exempt_possible = -1;
		assess_criterion(a, as, &p->criteria[i], f, facts, answers);
		if ((f->status == FS_UNMET || f->status == FS_UNKNOWN || f->status == FS_MANUAL) && as->nexempt_possible) {
			/* an exemption applies only when its condition is true: one
			 * that cannot be decided yet leaves the item as it is, and is
			 * named as possibly covering it */
			const struct assess_item *it = maybe_exempted(as, f->c->id);

			if (it) {
				const struct policy_exemption *x = &p->exemptions[it->index];

				f->exempt_possible = (long)it->index;
				f->reason = REASON(as, a, "%s。適用除外（%s）に当たる可能性がある: 未回答の事実 %s", f->reason,
				                   x->ref ? x->ref : x->id, join(a, it->deciding, it->ndeciding));
			}
		}
		if (f->ob_open && f->status == FS_UNMET && (flags & ASSESS_DETAIL))
			f->reason = arena_printf(a, "%s。必須かどうかは未回答の申請事実 %s による", f->reason,
			                         join(a, f->ob_missing, f->nob_missing));
	}

	as->groups = arena_zalloc(a, (p->ngroups ? p->ngroups : 1) * sizeof(*as->groups));
	as->ngroups = p->ngroups;
	for (i = 0; i < p->ngroups; i++) {
		const struct policy_group *g = &p->groups[i];
		struct assess_group *gr = &as->groups[i];
		int met = 0, open = 0, any = 0;

		gr->g = g;
		gr->obligation = g->ob[level];
		for (j = 0; j < g->nmembers; j++) {
			struct assess_finding *f = &as->findings[g->members[j]];

			if (!policy_group_has(p, g, j, level))
				continue;       /* not an alternative at this level */
			if (gr->obligation != OB_NA)
				f->group = g;
			if (f->status == FS_NA || f->status == FS_DEFERRED)
				continue;
			any = 1;
			if (f->status == FS_MET || f->status == FS_ACCEPTED)
				met = 1;
			else if (f->status == FS_UNKNOWN || f->status == FS_MANUAL) {
				open = 1;
				gr->deciding = paths_union(a, gr->deciding, gr->ndeciding, f->deciding, f->ndeciding,
				                           &gr->ndeciding);
			}
		}
		if (gr->obligation == OB_NA || !any) {
			/* not applicable: it waits for no fact, whatever its alternatives wait for */
			gr->status = FS_NA;
			gr->deciding = NULL;
			gr->ndeciding = 0;
			gr->reason = "対象外";
		} else if (met) {
			gr->status = FS_MET;
			gr->deciding = NULL;
			gr->ndeciding = 0;
			gr->reason = "選択肢のいずれかを満たしている";
		} else if (open) {
			gr->status = FS_UNKNOWN;
			gr->reason = "選択肢のいずれかが未確認";
		} else {
			gr->status = FS_UNMET;
			gr->deciding = NULL;
			gr->ndeciding = 0;
			gr->reason = "どの選択肢も満たしていない";
		}
	}

	as->risks = arena_zalloc(a, (p->nrisks ? p->nrisks : 1) * sizeof(*as->risks));
	as->nrisks = p->nrisks;
	for (i = 0; i < p->nrisks; i++) {
		const struct policy_risk *rk = &p->risks[i];
		struct assess_risk *rr = &as->risks[i];

		rr->r = rk;
		rr->obligation = rk->ob[level];
		rr->decision = answer_of(risks, rk->id);
		if (rr->obligation == OB_NA)
			rr->status = RS_NA;
		else if (!rr->decision || !in_strs(rr->decision, rk->options, rk->noptions))
			rr->status = RS_PENDING;
		else
			rr->status = in_strs(rr->decision, rk->accept, rk->naccept) ? RS_ACCEPTED : RS_REJECTED;
	}

	/* the verdict, in DESIGN §2.4's order */
	for (i = 0; i < p->ncriteria; i++) {
		const struct assess_finding *f = &as->findings[i];

		if (f->obligation != OB_REQUIRED || f->group)
			continue;           /* a group's alternatives count through the group */
		if (f->status == FS_UNMET && !f->ob_open) {
			unmet++;
			as->unmet_action = worse_action(as->unmet_action, unmet_action(as, f->c));
			if (!first_unmet)
				first_unmet = f->c->id;
		} else if (f->status == FS_UNMET || f->status == FS_UNKNOWN || f->status == FS_MANUAL) {
			/* unmet, but required only if an unanswered application fact says so */
			pending++;
			if (!first_pending)
				first_pending = f->c->id;
		}
	}
	for (i = 0; i < as->ngroups; i++) {
		const struct assess_group *gr = &as->groups[i];

		if (gr->obligation != OB_REQUIRED)
			continue;
		if (gr->status == FS_UNMET) {
			unmet++;
			as->unmet_action = worse_action(as->unmet_action, unmet_action(as, NULL));
			if (!first_unmet)
				first_unmet = gr->g->id;
		} else if (gr->status == FS_UNKNOWN) {
			pending++;
			if (!first_pending)
				first_pending = gr->g->id;
		}
	}
	for (i = 0; i < as->nrisks; i++) {
		if (as->risks[i].obligation != OB_REQUIRED)
			continue;
		if (as->risks[i].status == RS_REJECTED) {
			rejected++;
			as->unmet_action = worse_action(as->unmet_action, unmet_action(as, NULL));
		} else if (as->risks[i].status == RS_PENDING) {
			pending++;
			if (!first_pending)
				first_pending = as->risks[i].r->id;
		}
	}
	for (i = 0; i < as->nprohibitions; i++)
		if (as->prohibitions[i].status == AI_UNKNOWN) {
			pending++;
			if (!first_pending)
				first_pending = p->prohibitions[as->prohibitions[i].index].id;
		}
	if (as->nprohibited) {
		as->verdict = V_PROHIBITED;
		as->verdict_reason = REASON(as, a, "禁止事項に当たる:「%s」", as->prohibited[0]->text);
		as->next_step = "この区分の情報をこのサービスで取り扱うことはできません。";
	} else if (unmet || rejected) {
		int consult = as->unmet_action == UNMET_CONSULT;

		as->verdict = consult ? V_CONSULTATION : V_NONCONFORMING;
		if (unmet)
			as->verdict_reason = REASON(as, a, "必須の項目 %zu 件を満たしていない（最初: %s）", unmet, first_unmet);
		else
			as->verdict_reason = REASON(as, a, "受容できないと判断したリスクが %zu 件ある", rejected);
		if (consult && as->procedure && as->procedure->nconsultees)
			as->next_step = REASON(as, a, "%sと協議してください。", join(a, as->procedure->consultees,
			                                                                   as->procedure->nconsultees));
		else if (consult)
			as->next_step = "満たせない項目について協議してください。";
		else if (as->unmet_action == UNMET_UNSPECIFIED)
			as->next_step = "この基準は、必須項目を満たさない場合の手続（協議・リスク受容など）を定めていません。"
			                "満たしていない必須項目があるため、このままでは利用できません。";
		else
			as->next_step = "満たしていない必須項目があるため、このままでは利用できません。";
		if (!consult)
			as->next_step = REASON(as, a, "%s%s", as->next_step, acceptable_text(a, as));
		if (as->nprohibited_unknown)
			as->next_step = REASON(as, a, "%s%s", as->next_step, undecided_text(a, as));
	} else if (pending) {
		as->verdict = V_INCOMPLETE;
		as->verdict_reason = REASON(as, a, "不適合はないが、未確認の必須項目・リスク判断が %zu 件ある（最初: %s）",
		                                  pending, first_pending);
		as->next_step = REASON(as, a, "未回答の事実と確認項目に答えてください。%s", undecided_text(a, as));
	} else {
		as->verdict = V_CONFORMING;
		as->verdict_reason = "必須の項目をすべて満たしている";
		as->next_step = as->notification ? DETAIL_OR(as, "", notification_step(a, p, as->notification))
		                                 : DETAIL_OR(as, "", approval_next_step(a, as));
	}
	return OK;
}

int assess_run(struct arena *a, const struct policy *p, size_t level, const struct lval *facts,
               const struct lval *answers, const struct lval *risks, int flags,
               struct assessment *out)
{
	return run(a, NULL, 0, p, level, facts, answers, risks, flags, out);
}

int assess_run_batch(struct arena *a, struct assess_batch *b, size_t k, size_t level,
                     const struct lval *answers, const struct lval *risks, int flags,
                     struct assessment *out)
{
	return run(a, b, k, assess_batch_policy(b), level, assess_batch_doc(b, k), answers, risks, flags, out);
}
