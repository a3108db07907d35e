/* Procedures as the standards write them (docs/policy-format.md
 * "Procedures"): who applies, who approves, whom to consult at which stage
 * and by when, the steps, lead times, what an unmet required item leads to,
 * the reviews the workflow schedules, the ledger and the end of use; and a
 * criterion's stage (application, review, end-of-use) and its own on_unmet.
 * Where a seed is silent the pack writes `unspecified`, and the loader keeps
 * that as such, so no output presents an invented rule as the body's. */
#include "policy/policy_int.h"

#include <string.h>

#include "logic/vb.h"

static const char *const stage_names[] = { "application", "review", "end-of-use", NULL };
static const char *const stage_ja[] = { "申請時", "点検時（定期又は契機による）", "利用終了時" };
static const char *const at_names[] = { "before-application", "application", "after-approval", "in-use",
	"end-of-use", NULL };
static const char *const at_ja[] = { "申請前", "申請時", "承認後", "利用中", "利用終了時" };
static const char *const event_names[] = { "personnel-move", "subcontractor-change", "provider-change-notice",
	"contract-renewal", "certificate-expiry", NULL };
static const char *const event_ja[] = { "人事異動（異動時・退職時）", "委託先の変更", "提供者からの変更通知",
	"契約の更新", "認証の有効期限" };

const char *policy_stage_name(int st) { return st >= 0 && st <= ST_END_OF_USE ? stage_names[st] : ""; }
const char *policy_stage_ja(int st) { return st >= 0 && st <= ST_END_OF_USE ? stage_ja[st] : ""; }
const char *policy_step_at_name(int at) { return at >= 0 && at <= AT_END_OF_USE ? at_names[at] : ""; }
const char *policy_step_at_ja(int at) { return at >= 0 && at <= AT_END_OF_USE ? at_ja[at] : ""; }
const char *policy_event_name(int ev) { return ev >= 0 && ev < EV_COUNT ? event_names[ev] : ""; }
const char *policy_event_ja(int ev) { return ev >= 0 && ev < EV_COUNT ? event_ja[ev] : ""; }
const char *policy_unmet_name(int u) { return u >= 0 && u <= UNMET_UNSPECIFIED ? policy_unmet_names[u] : ""; }

int policy_ld_unspecified(const struct ynode *y)
{
	return y && y->kind == YN_SCALAR && !y->quoted && !strcmp(y->str, "unspecified");
}

/* The index of y's word in names (NULL-terminated), or -1 with a mistake
 * that lists the words. */
static int word_of(struct ld *l, const struct ynode *y, const char *key, const char *const *names,
                   const char *list)
{
	int i;

	for (i = 0; y->kind == YN_SCALAR && names[i]; i++)
		if (!strcmp(y->str, names[i]))
			return i;
	ERR_AT(l, y, "'%1$s' は %2$s のいずれかです（'%3$s' ではありません） / '%1$s' is one of %2$s, not '%3$s'",
	       key, list, y->kind == YN_SCALAR ? y->str : "?");
	return -1;
}

/* One of the five `on_unmet` words at y. */
static int unmet_of(struct ld *l, const struct ynode *y, int allow_unspecified)
{
	int k;

	for (k = 0; k < 4; k++)
		if (y->kind == YN_SCALAR && !strcmp(y->str, policy_unmet_names[k]))
			break;
	if (k == 4 || (k == UNMET_UNSPECIFIED && !allow_unspecified)) {
		if (allow_unspecified)
			ERR_AT(l, y, "'on_unmet' は consultation, reject, accept-risk, unspecified のいずれかです / 'on_unmet' is consultation, reject, accept-risk or unspecified");
		else
			ERR_AT(l, y, "項目の 'on_unmet' は consultation, reject, accept-risk のいずれかです（unspecified は手続に書きます） / a criterion's 'on_unmet' is consultation, reject or accept-risk (unspecified belongs to the procedure)");
		return -1;
	}
	return k;
}

void policy_proc_criterion(struct ld *l, const struct ynode *v, struct policy_criterion *c)
{
	const struct ynode *t;
	int k;

	c->stage = ST_APPLICATION;
	c->on_unmet = -1;
	if ((t = ynode_get(v, "stage")) && (k = word_of(l, t, "stage", stage_names, "application, review, end-of-use")) >= 0)
		c->stage = (uint8_t)k;
	if ((t = ynode_get(v, "on_unmet"))) {
		/* a word, or {action, ref, text}: the seed line it rests on */
		if (t->kind == YN_MAP) {
			static const char *const ukeys[] = { "action", "ref", "text", NULL };
			static const char *const ureq[] = { "action", NULL };

			policy_ld_check_keys(l, t, "on_unmet", ukeys, ureq);
			c->on_unmet_ref = policy_ld_text(l, t, "ref", 0);
			c->on_unmet_text = policy_ld_text(l, t, "text", 0);
			t = ynode_get(t, "action");
		}
		if (t && (k = unmet_of(l, t, 0)) >= 0)
			c->on_unmet = (int8_t)k;
	}
}

/* when_exempt / unless_exempt: exemption ids, as indexes. */
static size_t *exemptions_of(struct ld *l, const struct ynode *owner, const char *key, size_t *n)
{
	const struct ynode *y = ynode_get(owner, key);
	const char **ids;
	size_t *out, i, m;

	*n = 0;
	if (!y)
		return NULL;
	ids = policy_ld_text_list(l, y, key, &m);
	out = arena_alloc(l->a, (m ? m : 1) * sizeof(*out));
	for (i = 0; i < m; i++) {
		long at = policy_exemption_index(l->p, ids[i]);

		if (at < 0)
			ERR_AT(l, y, "'%1$s' の '%2$s' はこの基準の適用除外にありません / '%1$s' names '%2$s', which is not an exemption of this pack",
			       key, ids[i]);
		else
			out[(*n)++] = (size_t)at;
	}
	return out;
}

/* A point: `unspecified`, the seed's words, or {who, act, ref, note}
 * (a lead time: {days, before, ref, note}). */
static void point_of(struct ld *l, const struct ynode *owner, const char *key, struct policy_point *pt,
                     int required, int lead)
{
	static const char *const keys[] = { "who", "act", "ref", "note", NULL };
	static const char *const req[] = { "who", NULL };
	static const char *const lkeys[] = { "days", "before", "ref", "note", NULL };
	static const char *const lreq[] = { "before", NULL };
	const struct ynode *y = ynode_get(owner, key), *t;

	memset(pt, 0, sizeof(*pt));
	if (!y) {
		pt->unspecified = !required;  /* absent: the pack does not say (required ones are reported) */
		return;
	}
	if (policy_ld_unspecified(y)) {
		pt->unspecified = 1;
		return;
	}
	if (y->kind == YN_SCALAR && !lead) {
		pt->who = policy_ld_text(l, owner, key, 1);
		return;
	}
	if (!policy_ld_is_map(l, y, key))
		return;
	if (lead) {
		policy_ld_check_keys(l, y, key, lkeys, lreq);
		if ((t = ynode_get(y, "days")))
			pt->days = policy_ld_int(l, t, "days", 1, 3650);
		pt->before = policy_ld_text(l, y, "before", 1);
	} else {
		policy_ld_check_keys(l, y, key, keys, req);
		if (policy_ld_unspecified(ynode_get(y, "who"))) {
			/* {who: unspecified, note: …}: the seed names no one, and the
			 * note says what it does say (神戸: the 情報管理者 judges) */
			pt->unspecified = 1;
			if (ynode_get(y, "act"))
				ERR_AT(l, ynode_get(y, "act"), "'who' が unspecified のときは 'act' を書きません / no 'act' when 'who' is unspecified");
		} else {
			pt->who = policy_ld_text(l, y, "who", 1);
			pt->act = policy_ld_text(l, y, "act", 0);
		}
	}
	pt->ref = policy_ld_text(l, y, "ref", 0);
	pt->note = policy_ld_text(l, y, "note", 0);
}

/* A list of text, or `unspecified` (*unspec = 1). */
static const char **text_list_or(struct ld *l, const struct ynode *y, const char *what, size_t *n, int *unspec)
{
	*n = 0;
	*unspec = 0;
	if (policy_ld_unspecified(y)) {
		*unspec = 1;
		return NULL;
	}
	if (y && y->kind == YN_SCALAR && !ynode_is_null(y)) {
		const char **one = arena_alloc(l->a, sizeof(*one));

		one[0] = y->str;
		*n = 1;
		return one;
	}
	return policy_ld_text_list(l, y, what, n);
}

static void load_consults(struct ld *l, const struct ynode *y, struct policy_procedure *r)
{
	static const char *const keys[] = { "id", "with", "through", "stage", "deadline", "ref", "note",
		"when_exempt", "unless_exempt", NULL };
	static const char *const req[] = { "id", "with", "stage", "deadline", NULL };
	size_t i;

	if (policy_ld_unspecified(y)) {
		r->consults_unspecified = 1;
		return;
	}
	if (!policy_ld_is_seq(l, y, "consultations"))
		return;
	r->consults = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*r->consults));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_consult *c = &r->consults[r->nconsults];
		int dummy;

		if (!policy_ld_is_map(l, v, "a consultation"))
			continue;
		policy_ld_check_keys(l, v, "a consultation", keys, req);
		c->id = policy_ld_text(l, v, "id", 1);
		c->with = text_list_or(l, ynode_get(v, "with"), "with", &c->nwith, &dummy);
		if (dummy)
			ERR_AT(l, ynode_get(v, "with"), "協議先が定めにないなら 'consultations: unspecified' と書きます / when the seed names nobody to consult, write 'consultations: unspecified'");
		c->through = policy_ld_text(l, v, "through", 0);
		if ((t = ynode_get(v, "stage")))
			c->stages = text_list_or(l, t, "stage", &c->nstages, &c->stages_unspecified);
		t = ynode_get(v, "deadline");
		if (policy_ld_unspecified(t))
			c->deadline_unspecified = 1;
		else if (t)
			c->deadline = policy_ld_text(l, v, "deadline", 1);
		c->ref = policy_ld_text(l, v, "ref", 0);
		c->note = policy_ld_text(l, v, "note", 0);
		c->when_exempt = exemptions_of(l, v, "when_exempt", &c->nwhen_exempt);
		c->unless_exempt = exemptions_of(l, v, "unless_exempt", &c->nunless_exempt);
		r->nconsults++;
	}
}

static void load_steps(struct ld *l, const struct ynode *y, struct policy_procedure *r)
{
	static const char *const keys[] = { "id", "text", "actor", "at", "ref", "optional", "when_exempt",
		"unless_exempt", NULL };
	static const char *const req[] = { "id", "text", "actor", "at", NULL };
	size_t i, j;

	if (!policy_ld_is_seq(l, y, "steps"))
		return;
	r->steps = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*r->steps));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_step *s = &r->steps[r->nsteps];
		int k;

		if (!policy_ld_is_map(l, v, "a step"))
			continue;
		policy_ld_check_keys(l, v, "a step", keys, req);
		s->id = policy_ld_text(l, v, "id", 1);
		for (j = 0; s->id && j < r->nsteps; j++)
			if (r->steps[j].id && !strcmp(r->steps[j].id, s->id))
				ERR_AT(l, v, "手順の ID '%1$s' が重複しています / duplicate step id '%1$s'", s->id);
		s->text = policy_ld_text(l, v, "text", 1);
		if (!policy_ld_unspecified(ynode_get(v, "actor")))
			s->actor = policy_ld_text(l, v, "actor", 1);
		if ((t = ynode_get(v, "at")) &&
		    (k = word_of(l, t, "at", at_names, "before-application, application, after-approval, in-use, end-of-use")) >= 0)
			s->at = (uint8_t)k;
		s->ref = policy_ld_text(l, v, "ref", 0);
		if ((t = ynode_get(v, "optional")))
			s->optional = policy_ld_bool(l, t, "optional");
		s->when_exempt = exemptions_of(l, v, "when_exempt", &s->nwhen_exempt);
		s->unless_exempt = exemptions_of(l, v, "unless_exempt", &s->nunless_exempt);
		r->nsteps++;
	}
}

static void load_events(struct ld *l, const struct ynode *y, struct policy_review *rv)
{
	static const char *const keys[] = { "event", "text", "ref", NULL };
	static const char *const req[] = { "event", NULL };
	static const char *const list = "personnel-move, subcontractor-change, provider-change-notice, contract-renewal, certificate-expiry";
	size_t i;

	if (!policy_ld_is_seq(l, y, "events"))
		return;
	rv->events = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*rv->events));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *w = v;
		struct policy_review_event *e = &rv->events[rv->nevents];
		int k;

		if (v->kind == YN_MAP) {
			policy_ld_check_keys(l, v, "an event", keys, req);
			if (!(w = ynode_get(v, "event")))
				continue;
			e->text = policy_ld_text(l, v, "text", 0);
			e->ref = policy_ld_text(l, v, "ref", 0);
		}
		if ((k = word_of(l, w, "event", event_names, list)) < 0)
			continue;
		e->event = (uint8_t)k;
		rv->nevents++;
	}
}

static void load_reviews(struct ld *l, const struct ynode *y, struct policy_procedure *r)
{
	static const char *const keys[] = { "id", "title", "ref", "actor", "cycle", "events", "criteria", "when", NULL };
	static const char *const req[] = { "id", "title", NULL };
	static const char *const ckeys[] = { "months", "ref", NULL };
	size_t i, j;

	if (policy_ld_unspecified(y)) {
		r->reviews_unspecified = 1;
		return;
	}
	if (!policy_ld_is_seq(l, y, "reviews"))
		return;
	r->reviews = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*r->reviews));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_review *rv = &r->reviews[r->nreviews];
		size_t e0 = l->errors;

		if (!policy_ld_is_map(l, v, "a review"))
			continue;
		policy_ld_check_keys(l, v, "a review", keys, req);
		rv->id = policy_ld_text(l, v, "id", 1);
		for (j = 0; rv->id && j < r->nreviews; j++)
			if (r->reviews[j].id && !strcmp(r->reviews[j].id, rv->id))
				ERR_AT(l, v, "定期確認の ID '%1$s' が重複しています / duplicate review id '%1$s'", rv->id);
		rv->title = policy_ld_text(l, v, "title", 1);
		rv->ref = policy_ld_text(l, v, "ref", 0);
		if (!policy_ld_unspecified(ynode_get(v, "actor")))
			rv->actor = policy_ld_text(l, v, "actor", 0);
		if ((t = ynode_get(v, "cycle"))) {
			if (policy_ld_unspecified(t)) {
				rv->cycle_months = -1;
			} else if (policy_ld_is_map(l, t, "cycle")) {
				policy_ld_check_keys(l, t, "cycle", ckeys, ckeys);
				if (ynode_get(t, "months"))
					rv->cycle_months = policy_ld_int(l, ynode_get(t, "months"), "months", 1, 120);
				rv->cycle_ref = policy_ld_text(l, t, "ref", 1);
			}
		}
		if ((t = ynode_get(v, "events")))
			load_events(l, t, rv);
		if (!rv->cycle_months && !rv->nevents && l->errors == e0)
			ERR_AT(l, v, "定期確認 '%1$s' にはきっかけ（'cycle' か 'events'）が要ります。原文が「定期的」とだけ言うなら 'cycle: unspecified' と書きます"
			       " / review '%1$s' needs a trigger ('cycle' or 'events'); where the seed says only 定期的, write 'cycle: unspecified'",
			       rv->id ? rv->id : "?");
		if ((t = ynode_get(v, "criteria"))) {
			const char **ids;
			size_t n;

			ids = policy_ld_text_list(l, t, "criteria", &n);
			rv->criteria = arena_alloc(l->a, (n ? n : 1) * sizeof(*rv->criteria));
			for (j = 0; j < n; j++) {
				long at = policy_criterion_index(l->p, ids[j]);

				if (at < 0)
					ERR_AT(l, t, "定期確認の '%1$s' はこの基準の項目にありません / review names '%1$s', which is not a criterion of this pack", ids[j]);
				else
					rv->criteria[rv->ncriteria++] = (size_t)at;
			}
		}
		if ((t = ynode_get(v, "when"))) {
			rv->when = arena_zalloc(l->a, sizeof(*rv->when));
			policy_cond_load(l, t, rv->when);
		}
		r->nreviews++;
	}
}

static struct policy_labeled *labeled_list(struct ld *l, const struct ynode *y, const char *what,
                                           const char *const *keys, const char *const *req, size_t *n)
{
	struct policy_labeled *out;
	size_t i;

	*n = 0;
	if (!y || !policy_ld_is_seq(l, y, what))
		return NULL;
	out = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*out));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_labeled *e = &out[*n];

		if (!policy_ld_is_map(l, v, what))
			continue;
		policy_ld_check_keys(l, v, what, keys, req);
		e->id = policy_ld_text(l, v, "id", 1);
		e->label = policy_ld_text(l, v, "label", 0);
		e->text = policy_ld_text(l, v, "text", 0);
		e->ref = policy_ld_text(l, v, "ref", 0);
		if (!policy_ld_unspecified(ynode_get(v, "actor")))
			e->actor = policy_ld_text(l, v, "actor", 0);
		e->fact = policy_ld_text(l, v, "fact", 0);
		if (e->fact && l->set && !policy_vocab_find(l->set->vocab, e->fact, strlen(e->fact)))
			ERR_AT(l, ynode_get(v, "fact"), "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", e->fact);
		if ((t = ynode_get(v, "facts"))) {
			size_t k;

			e->facts = policy_ld_text_list(l, t, "facts", &e->nfacts);
			for (k = 0; k < e->nfacts && l->set; k++)
				if (!policy_vocab_find(l->set->vocab, e->facts[k], strlen(e->facts[k])))
					ERR_AT(l, t, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", e->facts[k]);
		}
		if (e->fact && !e->nfacts) {
			e->facts = arena_alloc(l->a, sizeof(*e->facts));
			e->facts[0] = e->fact;
			e->nfacts = 1;
		}
		e->input = policy_ld_text(l, v, "input", 0);
		(*n)++;
	}
	return out;
}

void policy_proc_load(struct ld *l, const struct ynode *v, struct policy_procedure *r)
{
	static const char *const lkeys[] = { "id", "label", "fact", "facts", "input", NULL };
	static const char *const lreq[] = { "id", "label", NULL };
	static const char *const ekeys[] = { "id", "text", "actor", "ref", NULL };
	static const char *const ereq[] = { "id", "text", NULL };
	static const char *const ukeys[] = { "action", "ref", "text", NULL };
	static const char *const ureq[] = { "action", NULL };
	const struct ynode *t;
	size_t i;
	int k;

	point_of(l, v, "applicant", &r->applicant, 0, 0);
	point_of(l, v, "approver", &r->approval, 1, 0);
	r->approver = r->approval.unspecified ? "unspecified" : r->approval.who;
	point_of(l, v, "lead_time", &r->lead_time, 0, 1);
	if ((t = ynode_get(v, "on_unmet"))) {
		const struct ynode *w = t;

		if (t->kind == YN_MAP) {
			policy_ld_check_keys(l, t, "on_unmet", ukeys, ureq);
			w = ynode_get(t, "action");
			r->on_unmet_ref = policy_ld_text(l, t, "ref", 0);
			r->on_unmet_text = policy_ld_text(l, t, "text", 0);
		}
		if (w && (k = unmet_of(l, w, 1)) >= 0)
			r->on_unmet = (uint8_t)k;
	}
	if ((t = ynode_get(v, "consultations")))
		load_consults(l, t, r);
	if ((t = ynode_get(v, "consultees")))
		r->consultees = policy_ld_text_list(l, t, "consultees", &r->nconsultees);
	if (ynode_get(v, "consultations") && ynode_get(v, "consultees"))
		ERR_AT(l, ynode_get(v, "consultees"), "'consultees' と 'consultations' は一方だけを書きます（consultees は consultations から作られます） / write 'consultations' or 'consultees', not both (consultees is made from consultations)");
	if (r->nconsults) {              /* consultees: everyone consulted, in order, once */
		size_t n = 0, j, m;

		for (i = 0; i < r->nconsults; i++)
			n += r->consults[i].nwith;
		r->consultees = arena_alloc(l->a, (n ? n : 1) * sizeof(*r->consultees));
		r->nconsultees = 0;
		for (i = 0; i < r->nconsults; i++)
			for (j = 0; j < r->consults[i].nwith; j++) {
				for (m = 0; m < r->nconsultees && strcmp(r->consultees[m], r->consults[i].with[j]); m++)
					;
				if (m == r->nconsultees)
					r->consultees[r->nconsultees++] = r->consults[i].with[j];
			}
	}
	if ((t = ynode_get(v, "steps")))
		load_steps(l, t, r);
	if ((t = ynode_get(v, "reviews")))
		load_reviews(l, t, r);
	t = ynode_get(v, "ledger_fields");
	if (policy_ld_unspecified(t))
		r->ledger_unspecified = 1;
	else
		r->ledger = labeled_list(l, t, "a ledger field", lkeys, lreq, &r->nledger);
	t = ynode_get(v, "end_of_use");
	if (policy_ld_unspecified(t))
		r->end_unspecified = 1;
	else
		r->end_of_use = labeled_list(l, t, "an end-of-use step", ekeys, ereq, &r->nend);
}

/* ------------------------------------------------------------ the model */

static void point_model(struct vb *b, const struct policy_point *pt, int lead)
{
	vb_obj(b);
	vb_kbool(b, "unspecified", pt->unspecified);
	if (pt->unspecified) {
		vb_kstr(b, lead ? "before" : "who", "unspecified");
	} else if (lead) {
		if (pt->days)
			vb_kint(b, "days", pt->days);
		else {
			vb_key(b, "days");
			vb_null(b);
		}
		vb_kstr(b, "before", pt->before);
	} else {
		vb_kstr(b, "who", pt->who);
		vb_kstr(b, "act", pt->act);
	}
	vb_kstr(b, "ref", pt->ref);
	vb_kstr(b, "note", pt->note);
	vb_end(b);
}

static void exempt_ids(struct vb *b, const struct policy *p, const char *key, const size_t *ix, size_t n)
{
	size_t i;

	vb_key(b, key);
	vb_arr(b);
	for (i = 0; i < n; i++)
		vb_str(b, p->exemptions[ix[i]].id);
	vb_end(b);
}

/* Is one of the exemptions ix applying (ctx->exempt[i] != 0)? The first, or -1. */
static long exempt_hit(const struct policy_proc_ctx *ctx, const size_t *ix, size_t n)
{
	size_t i;

	for (i = 0; ctx && ctx->exempt && i < n; i++)
		if (ctx->exempt[ix[i]])
			return (long)ix[i];
	return -1;
}

int policy_proc_taken(const struct policy_proc_ctx *ctx, const size_t *when, size_t nwhen,
                      const size_t *unless, size_t nunless, long *by)
{
	long u = exempt_hit(ctx, unless, nunless);

	if (ctx->whole && !nwhen) {
		/* the standard does not apply: nothing of its procedure is taken */
		*by = (long)ctx->whole_by;
		return 0;
	}
	*by = u;
	if (u >= 0)
		return 0;
	if (nwhen) {
		*by = exempt_hit(ctx, when, nwhen);
		return *by >= 0;
	}
	return 1;
}

static void review_model(struct vb *b, const struct policy *p, const struct policy_review *rv, int applies)
{
	size_t i;

	vb_obj(b);
	vb_kstr(b, "id", rv->id);
	vb_kstr(b, "title", rv->title);
	vb_kstr(b, "ref", rv->ref);
	vb_kstr(b, "actor", rv->actor ? rv->actor : "unspecified");
	vb_key(b, "criteria");
	vb_arr(b);
	for (i = 0; i < rv->ncriteria; i++)
		vb_str(b, p->criteria[rv->criteria[i]].id);
	vb_end(b);
	vb_key(b, "trigger");
	vb_obj(b);
	vb_key(b, "cycle");
	if (rv->cycle_months < 0) {
		/* 定期的, no cycle in the seed: the deployment sets it, from this default */
		vb_str(b, "unspecified");
		vb_kint(b, "default_months", POLICY_DEFAULT_CYCLE_MONTHS);
		vb_kstr(b, "default_is", "deployment");
	} else if (rv->cycle_months > 0) {
		vb_obj(b);
		vb_kint(b, "months", rv->cycle_months);
		vb_kstr(b, "ref", rv->cycle_ref);
		vb_end(b);
	} else {
		vb_null(b);
	}
	vb_key(b, "events");
	vb_arr(b);
	for (i = 0; i < rv->nevents; i++) {
		const struct policy_review_event *e = &rv->events[i];

		vb_obj(b);
		vb_kstr(b, "event", policy_event_name(e->event));
		vb_kstr(b, "label", policy_event_ja(e->event));
		vb_kstr(b, "text", e->text);
		vb_kstr(b, "ref", e->ref);
		if (e->event == EV_PERSONNEL_MOVE) {
			/* moves are known when they happen; a yearly date stands in
			 * until the deployment says otherwise */
			vb_key(b, "default");
			vb_obj(b);
			vb_kstr(b, "every", "year");
			vb_kstr(b, "on", POLICY_DEFAULT_PERSONNEL_DATE);
			vb_kstr(b, "default_is", "deployment");
			vb_end(b);
		}
		vb_end(b);
	}
	vb_end(b);
	vb_end(b);
	vb_key(b, "when");
	if (rv->when)
		vb_val(b, rv->when->json);
	else
		vb_null(b);
	if (applies != 2) {
		vb_key(b, "applies");
		if (applies < 0)
			vb_null(b);
		else
			vb_bool(b, applies);
	}
	vb_end(b);
}

void policy_procedure_model(struct vb *b, const struct policy *p, const struct policy_procedure *r,
                            const struct policy_proc_ctx *ctx)
{
	size_t i, j;
	long by;

	vb_obj(b);
	vb_kstr(b, "id", r->id);
	vb_key(b, "levels");
	vb_arr(b);
	for (j = 0; j < r->nlevels; j++)
		vb_str(b, p->levels[r->levels[j]].id);
	vb_end(b);
	vb_key(b, "forms");
	vb_strs(b, r->forms, r->nforms);
	vb_key(b, "form_titles");           /* as the paper names them, for every view */
	vb_arr(b);
	for (j = 0; j < r->nforms; j++)
		vb_str(b, policy_form_title(p, r->forms[j]));
	vb_end(b);
	vb_kstr(b, "approver", r->approver);
	vb_key(b, "consultees");
	if (ctx && ctx->exempt && (r->nconsults || ctx->whole)) {
		/* for an assessment: those this application consults, not those its
		 * exemptions skip */
		vb_arr(b);
		for (i = 0; i < r->nconsults; i++) {
			const struct policy_consult *c = &r->consults[i];

			if (policy_proc_taken(ctx, c->when_exempt, c->nwhen_exempt, c->unless_exempt,
			                      c->nunless_exempt, &by))
				for (j = 0; j < c->nwith; j++)
					vb_str(b, c->with[j]);
		}
		vb_end(b);
	} else {
		vb_strs(b, r->consultees, r->nconsultees);
	}
	vb_key(b, "applicant");
	point_model(b, &r->applicant, 0);
	vb_key(b, "approval");
	point_model(b, &r->approval, 0);
	vb_kstr(b, "on_unmet", policy_unmet_name(r->on_unmet));
	vb_kstr(b, "on_unmet_ref", r->on_unmet_ref);
	vb_kstr(b, "on_unmet_text", r->on_unmet_text);
	vb_key(b, "criteria_on_unmet");     /* criteria whose own on_unmet differs from the level's */
	vb_obj(b);
	for (i = 0; i < p->ncriteria; i++)
		if (p->criteria[i].on_unmet >= 0)
			vb_kstr(b, p->criteria[i].id, policy_unmet_name(p->criteria[i].on_unmet));
	vb_end(b);
	vb_key(b, "criteria_on_unmet_ref"); /* the seed line each of those rests on */
	vb_obj(b);
	for (i = 0; i < p->ncriteria; i++)
		if (p->criteria[i].on_unmet >= 0 && p->criteria[i].on_unmet_ref)
			vb_kstr(b, p->criteria[i].id, p->criteria[i].on_unmet_ref);
	vb_end(b);
	vb_key(b, "consultations");
	if (r->consults_unspecified) {
		vb_str(b, "unspecified");
	} else {
		vb_arr(b);
		for (i = 0; i < r->nconsults; i++) {
			const struct policy_consult *c = &r->consults[i];

			vb_obj(b);
			vb_kstr(b, "id", c->id);
			vb_key(b, "with");
			vb_strs(b, c->with, c->nwith);
			vb_kstr(b, "through", c->through);
			vb_key(b, "stage");
			if (c->stages_unspecified)
				vb_str(b, "unspecified");
			else
				vb_strs(b, c->stages, c->nstages);
			vb_kstr(b, "deadline", c->deadline_unspecified ? "unspecified" : c->deadline);
			vb_kstr(b, "ref", c->ref);
			vb_kstr(b, "note", c->note);
			exempt_ids(b, p, "when_exempt", c->when_exempt, c->nwhen_exempt);
			exempt_ids(b, p, "unless_exempt", c->unless_exempt, c->nunless_exempt);
			if (ctx && ctx->exempt) {
				int taken = policy_proc_taken(ctx, c->when_exempt, c->nwhen_exempt, c->unless_exempt,
				                              c->nunless_exempt, &by);

				vb_kbool(b, "skipped", !taken);
				vb_kstr(b, "skipped_by", !taken && by >= 0 ? p->exemptions[by].id : NULL);
			}
			vb_end(b);
		}
		vb_end(b);
	}
	vb_key(b, "steps");
	vb_arr(b);
	for (i = 0; i < r->nsteps; i++) {
		const struct policy_step *s = &r->steps[i];

		vb_obj(b);
		vb_kstr(b, "id", s->id);
		vb_kstr(b, "text", s->text);
		vb_kstr(b, "actor", s->actor ? s->actor : "unspecified");
		vb_kstr(b, "at", policy_step_at_name(s->at));
		vb_kstr(b, "at_ja", policy_step_at_ja(s->at));
		vb_kstr(b, "ref", s->ref);
		vb_kbool(b, "optional", s->optional);
		exempt_ids(b, p, "when_exempt", s->when_exempt, s->nwhen_exempt);
		exempt_ids(b, p, "unless_exempt", s->unless_exempt, s->nunless_exempt);
		if (ctx && ctx->exempt)
			vb_kbool(b, "applies", policy_proc_taken(ctx, s->when_exempt, s->nwhen_exempt, s->unless_exempt,
			                                         s->nunless_exempt, &by));
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "lead_time");
	point_model(b, &r->lead_time, 1);
	vb_key(b, "reviews");
	if (r->reviews_unspecified) {
		vb_str(b, "unspecified");
	} else {
		vb_arr(b);
		for (i = 0; i < r->nreviews; i++)
			review_model(b, p, &r->reviews[i], ctx && ctx->review_when ? ctx->review_when[i] : 2);
		vb_end(b);
	}
	vb_key(b, "ledger_fields");
	if (r->ledger_unspecified) {
		vb_str(b, "unspecified");
	} else {
		vb_arr(b);
		for (i = 0; i < r->nledger; i++) {
			const struct policy_labeled *e = &r->ledger[i];

			vb_obj(b);
			vb_kstr(b, "id", e->id);
			vb_kstr(b, "label", e->label);
			vb_key(b, "facts");
			vb_strs(b, e->facts, e->nfacts);
			vb_kstr(b, "input", e->input);
			vb_end(b);
		}
		vb_end(b);
	}
	vb_key(b, "end_of_use");
	if (r->end_unspecified) {
		vb_str(b, "unspecified");
	} else {
		vb_arr(b);
		for (i = 0; i < r->nend; i++) {
			vb_obj(b);
			vb_kstr(b, "id", r->end_of_use[i].id);
			vb_kstr(b, "text", r->end_of_use[i].text);
			vb_kstr(b, "actor", r->end_of_use[i].actor ? r->end_of_use[i].actor : "unspecified");
			vb_kstr(b, "ref", r->end_of_use[i].ref);
			vb_end(b);
		}
		vb_end(b);
	}
	vb_kstr(b, "note", r->note);
	if (ctx && ctx->extra)
		ctx->extra(b, ctx->arg);
	vb_end(b);
}
