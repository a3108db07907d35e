/* Reviews after approval: the list (due, overdue), a review done (findings,
 * the items judged, who; the next one of a cycle scheduled), and an event
 * someone records (a change of subcontractor, a provider's notice…), which
 * makes the reviews that list it due. */
#include "app/review.h"
#include "app/review_int.h"

#include <string.h>

#include "app/binding.h"
#include "app/recfacts.h"
#include "core/buf.h"
#include "core/isotime.h"
#include "logic/json.h"
#include "logic/vb.h"

/* ---- reading a stored review ---- */

struct review_rec {
	struct store_record r;
	const struct lval *body;
};

static int review_load(struct app_deploy *dep, struct arena *a, const char *id, struct review_rec *out,
                       struct err *e)
{
	int rc = store_record_get(dep->s, a, "review", id, 0, &out->r, e);

	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "点検 '%1$s' はありません（shinsa review list） / there is no review '%1$s' "
		               "(shinsa review list)", id);
	if (rc)
		return rc;
	if (json_parse(a, out->r.body, out->r.body_len, &out->body, e) || out->body->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "review %s: the stored record is not a JSON object", id);
	return OK;
}

/* obj with the members keys[i] = vals[i] set (replaced where it has them,
 * appended in order otherwise) and the members drop[] left out. */
static const struct lval *obj_set(struct arena *a, const struct lval *obj, const char *const *keys,
                                  const struct lval *const *vals, size_t n, const char *const *drop, size_t ndrop)
{
	size_t cap = obj->n + n, k = 0, i, j;
	const char **ks = arena_alloc(a, (cap ? cap : 1) * sizeof(*ks));
	uint32_t *kl = arena_alloc(a, (cap ? cap : 1) * sizeof(*kl));
	const struct lval **vs = arena_alloc(a, (cap ? cap : 1) * sizeof(*vs));

	for (i = 0; i < obj->n; i++) {
		const char *key = lval_obj_key(obj, i);
		const struct lval *v = lval_obj_val(obj, i);

		for (j = 0; j < ndrop && strcmp(drop[j], key); j++)
			;
		if (j < ndrop)
			continue;
		for (j = 0; j < n && strcmp(keys[j], key); j++)
			;
		ks[k] = key;
		kl[k] = lval_obj_klen(obj, i);
		vs[k] = j < n ? vals[j] : v;
		k++;
	}
	for (j = 0; j < n; j++) {
		for (i = 0; i < obj->n && strcmp(keys[j], lval_obj_key(obj, i)); i++)
			;
		if (i < obj->n)
			continue;
		ks[k] = keys[j];
		kl[k] = (uint32_t)strlen(keys[j]);
		vs[k] = vals[j];
		k++;
	}
	return lval_obj(a, k, ks, kl, vs);
}

static const struct lval *str_v(struct arena *a, const char *s)
{
	return s ? lval_str(a, s, strlen(s)) : LV_NULLV;
}

/* A review as list shows it: its body, its stored state and version, and its status today. */
static void review_row(struct vb *b, const struct store_record *r, const struct lval *body, int status)
{
	size_t i;

	vb_obj(b);
	for (i = 0; i < body->n; i++) {
		const char *k = lval_obj_key(body, i);

		if (!strcmp(k, "state") || !strcmp(k, "due") || !strcmp(k, "owner"))
			continue;
		vb_key(b, k);
		vb_val(b, lval_obj_val(body, i));
	}
	/* the record's texts live only while the search calls back: copied */
	vb_key(b, "state");
	vb_strdup(b, r->keys.state);
	vb_key(b, "due");
	vb_strdup(b, r->keys.due);
	vb_key(b, "owner");
	vb_strdup(b, r->keys.owner);
	vb_kint(b, "version", r->version);
	vb_kstr(b, "status", app_review_status_name(status));
	vb_kstr(b, "status_ja", app_review_status_ja(status));
	vb_end(b);
}

/* ---- list ---- */

struct app_state_cache {
	const char **ids, **states;
	size_t n, cap;
};

/* The state of application id ("" when it is gone). */
static const char *app_state_cached(struct app_deploy *dep, struct arena *a, struct app_state_cache *c,
                                    const char *id, struct err *e)
{
	struct store_record r;
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->ids[i], id))
			return c->states[i];
	rc = store_record_get(dep->s, a, "app", id, 0, &r, e);
	if (rc && rc != ERR_NOTFOUND)
		return NULL;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 32;

		c->ids = arena_realloc(a, c->ids, c->cap * sizeof(*c->ids), nc * sizeof(*c->ids));
		c->states = arena_realloc(a, c->states, c->cap * sizeof(*c->states), nc * sizeof(*c->states));
		c->cap = nc;
	}
	c->ids[c->n] = arena_strdup(a, id);
	c->states[c->n] = rc ? "" : arena_strdup(a, r.keys.state ? r.keys.state : "");
	return c->states[c->n++];
}

struct list_arg {
	struct app_deploy *dep;
	struct arena *a;
	const struct app_review_query *q;
	struct app_review_settings set;
	struct app_state_cache cache;
	struct vb *b;
	size_t n;
};

static int list_one(struct list_arg *l, const struct store_record *r, struct err *e)
{
	const struct lval *body;
	const char *app = r->keys.parent && !strncmp(r->keys.parent, "app:", 4) ? r->keys.parent + 4 : "";
	const char *app_state = app_state_cached(l->dep, l->a, &l->cache, app, e);
	int st;

	if (!app_state)
		return e->code ? e->code : ERR_INTERNAL;
	st = app_review_status(r->keys.state, r->keys.due, app_state, l->q->today, &l->set);
	if (l->q->overdue && st != REVIEW_OVERDUE)
		return OK;
	if (l->q->due && st != REVIEW_DUE && st != REVIEW_OVERDUE)
		return OK;
	if (json_parse(l->a, r->body, r->body_len, &body, e) || body->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "review %s: the stored record is not a JSON object", r->id);
	review_row(l->b, r, body, st);
	l->n++;
	return OK;
}

int app_review_list(struct app_deploy *dep, struct arena *a, const struct app_review_query *q,
                    const struct lval **model, struct err *e)
{
	static const char *const scheduled[] = { "scheduled" };
	struct store_query sq;
	struct list_arg l;
	struct vb b;
	int rc;

	memset(&l, 0, sizeof(l));
	l.dep = dep;
	l.a = a;
	l.q = q;
	l.b = &b;
	app_review_settings_of(dep->cfg, &l.set);
	memset(&sq, 0, sizeof(sq));
	sq.kind = "review";
	if (q->app)
		sq.eq.parent = arena_printf(a, "app:%s", q->app);
	if (q->due || q->overdue) {
		sq.states = scheduled;
		sq.nstates = 1;
	}
	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "today", review_date_text(a, q->today));
	vb_kint(&b, "notice_days", l.set.notice_days);
	vb_kstr(&b, "app", q->app);
	vb_kstr(&b, "filter", q->overdue ? "overdue" : q->due ? "due" : "all");
	vb_key(&b, "reviews");
	vb_arr(&b);
	{
		struct store_record *recs;
		size_t nrec, i;

		if ((rc = app_record_collect(dep->s, a, &sq, &recs, &nrec, e)))
			return rc;
		for (i = 0; i < nrec; i++)
			if ((rc = list_one(&l, &recs[i], e)))
				return rc;
	}
	vb_end(&b);
	vb_kint(&b, "count", (long long)l.n);
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
}

/* ---- who may ---- */

/* May who do (or record an event for) a review whose actor is the pack's
 * words actor? The bound actor, or the application's manager. OK, or
 * ERR_FORBIDDEN saying why. */
static int may_review(struct app_deploy *dep, struct arena *a, const struct review_app *x, const char *actor,
                      const struct app_actor *who, const char *what, struct err *e)
{
	struct err be;
	const char *login = who->user.login;

	memset(&be, 0, sizeof(be));
	if (*x->manager && !strcmp(x->manager, login))
		return OK;
	if (actor && *actor && strcmp(actor, "unspecified")) {
		if (app_binding_has(dep, a, x->p, actor, &x->applicant, login, &be) == 1)
			return OK;
		return err_set(e, ERR_FORBIDDEN, "%1$s を行えるのは、%2$s（基準の定める実施者）に割り当てられた利用者か、"
		               "申請 %3$s の管理責任者（%4$s）です。%5$s はどちらでもありません（%6$s） / %1$s is for the "
		               "users bound to %2$s (the pack's actor) or application %3$s's manager (%4$s); %5$s is "
		               "neither", what, actor, x->id, *x->manager ? x->manager : "未指定 / none", login,
		               be.msg[0] ? be.msg : "");
	}
	return err_set(e, ERR_FORBIDDEN, "%1$s を行えるのは申請 %2$s の管理責任者（%3$s）です（基準は実施者を定めていません）。"
	               "%4$s は管理責任者ではありません / %1$s is for application %2$s's manager (%3$s; the pack names no "
	               "actor); %4$s is not", what, x->id, *x->manager ? x->manager : "未指定 / none", login);
}

/* ---- done ---- */

static int item_value_ok(const char *v)
{
	return v && (!strcmp(v, "met") || !strcmp(v, "unmet") || !strcmp(v, "not-applicable"));
}

/* Does some review of the pack (at any level) re-check criterion index c? */
static int reviewed_anywhere(const struct policy *p, size_t c)
{
	size_t i, j, k;

	for (i = 0; i < p->nprocedures; i++)
		for (j = 0; j < p->procedures[i].nreviews; j++)
			for (k = 0; k < p->procedures[i].reviews[j].ncriteria; k++)
				if (p->procedures[i].reviews[j].criteria[k] == c)
					return 1;
	return 0;
}

/* The items a review judges: its criteria, or, for a review that names none
 * (shinsa's own, 安城 Ⅲ's), the pack's items of the operation stage: those
 * judged at reviews and those its reviews re-check. */
static int item_known(const struct review_app *x, const struct lval *criteria, const char *id)
{
	size_t i;
	long c;

	if (criteria && criteria->type == LV_ARR && criteria->n) {
		for (i = 0; i < criteria->n; i++)
			if (criteria->u.arr[i]->type == LV_STR && !strcmp(criteria->u.arr[i]->u.str, id))
				return 1;
		return 0;
	}
	c = policy_criterion_index(x->p, id);
	return c >= 0 && (x->p->criteria[c].stage == ST_REVIEW || reviewed_anywhere(x->p, (size_t)c));
}

static const char *criteria_list(struct arena *a, const struct review_app *x, const struct lval *criteria)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i, k = 0;

	if (criteria && criteria->type == LV_ARR && criteria->n) {
		for (i = 0; i < criteria->n; i++)
			if (criteria->u.arr[i]->type == LV_STR)
				buf_addf(&b, "%s%s", k++ ? ", " : "", criteria->u.arr[i]->u.str);
	} else {
		for (i = 0; i < x->p->ncriteria; i++)
			if (x->p->criteria[i].stage == ST_REVIEW || reviewed_anywhere(x->p, i))
				buf_addf(&b, "%s%s", k++ ? ", " : "", x->p->criteria[i].id);
	}
	s = k ? arena_strdup(a, buf_done(&b)) : "（なし / none）";
	buf_free(&b);
	return s;
}

/* The application's accepted risks (its "decisions" of kind risk,
 * accepted) with their until decided again: as --risk-until says, else until
 * the next review (which decides again) when there is one, else kept. Each
 * --risk-until must name an accepted risk and a date on or after the
 * review's (or none). *decisions: the new list, NULL when nothing changes;
 * *risks: what was decided, NULL when the application accepted none. */
static int redecide_risks(struct arena *a, const struct review_app *x, const struct app_review_done_in *in,
                          int64_t done_day, const char *next_due, const struct lval **decisions,
                          const struct lval **risks, struct err *e)
{
	const struct lval *ds = vb_get(x->body, "decisions");
	struct buf names = BUF_INIT;
	struct lval *nd;
	struct vb rb;
	size_t i, j, k, naccepted = 0, changed = 0;

	*decisions = NULL;
	*risks = NULL;
	for (i = 0; ds && ds->type == LV_ARR && i < ds->n; i++) {
		const struct lval *d = ds->u.arr[i];

		if (!strcmp(app_jstr(d, "kind"), "risk") && vb_get(d, "accepted") && lval_truthy(vb_get(d, "accepted"))) {
			buf_addf(&names, "%s%s", naccepted ? ", " : "", app_jstr(d, "id"));
			naccepted++;
		}
	}
	for (j = 0; j < in->nuntils; j++) {
		const char *risk = in->untils[j].risk, *until = in->untils[j].until;
		int64_t u;
		int found = 0;

		for (i = 0; ds && ds->type == LV_ARR && i < ds->n; i++) {
			const struct lval *d = ds->u.arr[i];

			if (!strcmp(app_jstr(d, "kind"), "risk") && !strcmp(app_jstr(d, "id"), risk) &&
			    lval_truthy(vb_get(d, "accepted") ? vb_get(d, "accepted") : LV_FALSEV))
				found = 1;
		}
		if (!found) {
			int rc = err_set(e, ERR_INVALID, "--risk-until %1$s: 申請 %2$s が受容したリスクではありません（受容したリスク: "
			                 "%3$s） / --risk-until %1$s: not a risk application %2$s accepted (those accepted: %3$s)",
			                 risk, x->id, naccepted ? buf_done(&names) : "なし / none");

			buf_free(&names);
			return rc;
		}
		for (k = 0; k < j; k++)
			if (!strcmp(in->untils[k].risk, risk)) {
				buf_free(&names);
				return err_set(e, ERR_INVALID, "--risk-until %1$s: 2 回指定されています / --risk-until %1$s is given "
				               "twice", risk);
			}
		if (strcmp(until, "none") && (strlen(until) != 10 || app_review_parse_date(until, &u))) {
			buf_free(&names);
			return err_set(e, ERR_INVALID, "--risk-until %1$s=%2$s: 日付（YYYY-MM-DD）か none です / --risk-until "
			               "%1$s=%2$s takes a date (YYYY-MM-DD) or none", risk, until);
		}
		if (strcmp(until, "none") && u < done_day) {
			buf_free(&names);
			return err_set(e, ERR_INVALID, "--risk-until %1$s=%2$s: 点検の日（%3$s）より前です / --risk-until "
			               "%1$s=%2$s is before the review's day (%3$s)", risk, until, review_date_text(a, done_day));
		}
	}
	buf_free(&names);
	if (!naccepted)
		return OK;
	nd = lval_arr(a, ds->n);
	vb_init(&rb, a);
	vb_arr(&rb);
	for (i = 0; i < ds->n; i++) {
		const struct lval *d = ds->u.arr[i];
		const char *id = app_jstr(d, "id"), *before, *until = NULL, *how = "kept";
		const struct lval *bv;

		nd->u.arr[i] = d;
		if (strcmp(app_jstr(d, "kind"), "risk") || !lval_truthy(vb_get(d, "accepted") ? vb_get(d, "accepted")
		                                                                              : LV_FALSEV))
			continue;
		bv = vb_get(d, "until");
		before = bv && bv->type == LV_STR ? bv->u.str : NULL;
		until = before;
		for (j = 0; j < in->nuntils; j++)
			if (!strcmp(in->untils[j].risk, id)) {
				until = strcmp(in->untils[j].until, "none") ? in->untils[j].until : NULL;
				how = "given";
			}
		if (!strcmp(how, "kept") && next_due) {
			until = next_due;
			how = "next-review";
		}
		if ((until ? 1 : 0) != (before ? 1 : 0) || (until && strcmp(until, before))) {
			const char *keys[1] = { "until" };
			const struct lval *vals[1] = { str_v(a, until) };

			nd->u.arr[i] = obj_set(a, d, keys, vals, 1, NULL, 0);
			changed++;
		}
		vb_obj(&rb);
		vb_kstr(&rb, "risk", id);
		vb_kstr(&rb, "before", before);
		vb_kstr(&rb, "until", until);
		vb_kstr(&rb, "how", how);
		vb_end(&rb);
	}
	vb_end(&rb);
	*risks = vb_done(&rb);
	if (changed)
		*decisions = nd;
	return OK;
}

struct done_tx {
	struct app_deploy *dep;
	const struct app_actor *who;
	struct review_app *x;
	struct review_rec *rr;
	const struct lval *done_body;
	int next;                        /* schedule the next one */
	int64_t next_due;
	const struct lval *next_body;
	const char *next_id;
	const char *comment;
	struct app_review_settings set;
	const struct lval *decisions;    /* the application's decisions with the new untils, or NULL */
	const struct lval *risks;        /* [{risk, before, until, how}…], into the review */
};

static int done_fn(struct store *s, void *arg, struct err *e)
{
	struct done_tx *t = arg;
	struct app_deploy *dep = t->dep;
	const struct lval *body = t->done_body;
	int rc;

	(void)s;
	if (t->next) {
		long long n;
		char at[ISOTIME_BUFSZ];
		static const char *const drop[] = { "findings", "done_by", "done_at", "done_date", "items", "risks",
			"next", "recorded_event" };
		const char *keys[6] = { "id", "due", "state", "follows", "scheduled_at", "scheduled_by" };
		const struct lval *vals[6];

		if ((rc = store_record_next_number(dep->s, "review", &n, e)))
			return rc;
		t->next_id = arena_printf(dep->a, "%lld", n);
		vals[0] = str_v(dep->a, t->next_id);
		vals[1] = str_v(dep->a, review_date_text(dep->a, t->next_due));
		vals[2] = str_v(dep->a, "scheduled");
		vals[3] = str_v(dep->a, t->rr->r.id);
		vals[4] = str_v(dep->a, isotime_format_jst(isotime_now(), at));
		vals[5] = str_v(dep->a, t->who->user.login);
		t->next_body = obj_set(dep->a, t->rr->body, keys, vals, 6, drop, 8);
		{
			const char *k1[1] = { "next" };
			const struct lval *v1[1] = { str_v(dep->a, t->next_id) };

			body = obj_set(dep->a, body, k1, v1, 1, NULL, 0);
		}
	}
	if (t->risks) {
		const char *k1[1] = { "risks" };
		const struct lval *v1[1] = { t->risks };

		body = obj_set(dep->a, body, k1, v1, 1, NULL, 0);
	}
	t->done_body = body;
	if (t->decisions) {
		struct store_record rec = t->x->rec;
		const char *k1[1] = { "decisions" };
		const struct lval *v1[1] = { t->decisions };
		const char *text = review_json(dep->a, obj_set(dep->a, t->x->body, k1, v1, 1, NULL, 0), e);

		if (!text)
			return ERR_TOOLARGE;
		rec.version++;
		rec.at = NULL;
		rec.actor = NULL;
		rec.body = text;
		rec.body_len = strlen(text);
		if ((rc = app_record_write(dep, t->who, NULL, "review.done", &rec, t->x->rec.body, NULL,
		                           arena_printf(dep->a, "点検 %s でリスク受容の期限を決め直した / review %s re-decided "
		                                        "the risk acceptances' until", t->rr->r.id, t->rr->r.id), e)))
			return rc;
	}
	if ((rc = review_put(dep, t->who, "review.done", t->rr->r.id, t->rr->r.version + 1, t->x, "done",
	                     t->rr->r.keys.due, t->rr->r.keys.owner, body, t->rr->r.body, t->comment, e)))
		return rc;
	if (t->next &&
	    (rc = review_put(dep, t->who, "review.schedule", t->next_id, 1, t->x, "scheduled",
	                     review_date_text(dep->a, t->next_due), t->rr->r.keys.owner, t->next_body, NULL,
	                     arena_printf(dep->a, "点検 %s の次回 / after review %s", t->rr->r.id, t->rr->r.id), e)))
		return rc;
	return OK;
}

int app_review_done(struct app_deploy *dep, const struct app_actor *who, const char *review_id,
                    const struct app_review_done_in *in, const struct lval **model, struct err *e)
{
	struct arena *a = dep->a;
	struct review_rec rr;
	struct review_app x;
	struct done_tx t;
	const char *app_id, *date, *trigger;
	const struct lval *criteria;
	int64_t done_day, due_day, approved_day;
	size_t i, j;
	int rc, trig;
	struct vb b;

	memset(&t, 0, sizeof(t));
	if ((rc = review_load(dep, a, review_id, &rr, e)))
		return rc;
	app_id = app_jstr(rr.body, "app");
	if (!strcmp(rr.r.keys.state ? rr.r.keys.state : "", "done"))
		return err_set(e, ERR_FORBIDDEN, "点検 %1$s は実施済みです（%2$s、%3$s） / review %1$s was done already (%2$s, "
		               "by %3$s)", review_id, app_jstr(rr.body, "done_date"), app_jstr(rr.body, "done_by"));
	if ((rc = review_app_load(dep, a, app_id, &x, e)))
		return rc;
	if (!app_review_active_state(x.state))
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s は利用中ではないため（状態 %2$s）、点検は停止しています / "
		               "application %1$s is no longer in use (state %2$s): its reviews have stopped", app_id, x.state);
	if ((rc = may_review(dep, a, &x, app_jstr(rr.body, "actor"), who, "点検の実施 / doing a review", e)))
		return rc;
	/* the items judged */
	criteria = vb_get(rr.body, "criteria");
	for (i = 0; i < in->nitems; i++) {
		const char *id = in->items[i].id, *v = in->items[i].value;

		if (!item_value_ok(v))
			return err_set(e, ERR_INVALID, "--item %1$s=%2$s: 判定は met（適合）、unmet（不適合）、not-applicable"
			               "（対象外）のいずれかです / --item %1$s=%2$s: the judgement is met, unmet or not-applicable",
			               id, v ? v : "");
		if (!item_known(&x, criteria, id))
			return err_set(e, ERR_INVALID, "--item %1$s: 点検 %2$s で判定する項目ではありません（項目: %3$s） / "
			               "--item %1$s: not an item of review %2$s (the items: %3$s)", id, review_id,
			               criteria_list(a, &x, criteria));
		for (j = 0; j < i; j++)
			if (!strcmp(in->items[j].id, id))
				return err_set(e, ERR_INVALID, "--item %1$s: 2 回指定されています / --item %1$s is given twice", id);
	}
	/* the day */
	date = in->date ? in->date : review_date_text(a, in->today);
	if (app_review_parse_date(date, &done_day) || strlen(date) != 10)
		return err_set(e, ERR_INVALID, "--date %1$s: 日付（YYYY-MM-DD）ではありません / --date %1$s is not a date "
		               "(YYYY-MM-DD)", date);
	if (done_day > in->today)
		return err_set(e, ERR_INVALID, "--date %1$s: 今日（%2$s）より後の日付です / --date %1$s is after today (%2$s)",
		               date, review_date_text(a, in->today));
	if (!app_review_parse_date(app_jstr(x.body, "approved_at"), &approved_day) && done_day < approved_day)
		return err_set(e, ERR_INVALID, "--date %1$s: 申請 %2$s の承認日（%3$s）より前です / --date %1$s is before "
		               "application %2$s's approval (%3$s)", date, app_id, review_date_text(a, approved_day));
	if (in->findings && strlen(in->findings) > 16000)
		return err_set(e, ERR_TOOLARGE, "--findings: 16000 バイトまでです / --findings is longer than 16000 bytes");
	/* the record done */
	{
		char at[ISOTIME_BUFSZ];
		const char *keys[6] = { "state", "findings", "done_by", "done_at", "done_date", "items" };
		const struct lval *vals[6];
		struct vb ib;

		vb_init(&ib, a);
		vb_arr(&ib);
		for (i = 0; i < in->nitems; i++) {
			long c = policy_criterion_index(x.p, in->items[i].id);

			vb_obj(&ib);
			vb_kstr(&ib, "id", in->items[i].id);
			vb_kstr(&ib, "judgement", in->items[i].value);
			vb_kstr(&ib, "title", c >= 0 ? x.p->criteria[c].title : NULL);
			vb_kstr(&ib, "ref", c >= 0 ? x.p->criteria[c].ref : NULL);
			vb_end(&ib);
		}
		vb_end(&ib);
		vals[0] = str_v(a, "done");
		vals[1] = str_v(a, in->findings ? in->findings : "");
		vals[2] = str_v(a, who->user.login);
		vals[3] = str_v(a, isotime_format_jst(isotime_now(), at));
		vals[4] = str_v(a, date);
		vals[5] = vb_done(&ib);
		t.done_body = obj_set(a, rr.body, keys, vals, 6, NULL, 0);
	}
	/* the next one of a cycle */
	app_review_settings_of(dep->cfg, &t.set);
	trigger = app_jstr(rr.body, "trigger");
	trig = review_trigger_of(trigger);
	if (app_review_parse_date(rr.r.keys.due, &due_day))
		due_day = done_day;
	if (trig == TRIGGER_CYCLE) {
		const struct lval *m = vb_get(rr.body, "cycle_months");
		int months = m && m->type == LV_NUM && m->u.num >= 1 && m->u.num <= 1200 ? (int)m->u.num : t.set.cycle_months;

		/* a cycle whose pack leaves it to the deployment follows today's setting */
		if (vb_get(rr.body, "cycle_unspecified") && vb_get(rr.body, "cycle_unspecified")->type == LV_BOOL &&
		    vb_get(rr.body, "cycle_unspecified")->b)
			months = t.set.cycle_months;
		t.next = 1;
		t.next_due = isotime_add_months(due_day, months);
		if (t.next_due <= done_day)
			t.next_due = isotime_add_months(done_day, months);
	} else if (trig == TRIGGER_PERSONNEL) {
		t.next = 1;
		t.next_due = review_next_yearly(due_day > done_day ? due_day : done_day, t.set.personnel_month,
		                                t.set.personnel_day);
	}
	if ((rc = redecide_risks(a, &x, in, done_day, t.next ? review_date_text(a, t.next_due) : NULL, &t.decisions,
	                         &t.risks, e)))
		return rc;
	t.dep = dep;
	t.who = who;
	t.x = &x;
	t.rr = &rr;
	t.comment = in->findings;
	if ((rc = store_tx(dep->s, done_fn, &t, e)))
		return rc;
	vb_init(&b, a);
	vb_obj(&b);
	vb_key(&b, "review");
	{
		struct store_record r2 = rr.r;

		r2.keys.state = "done";
		r2.version++;
		review_row(&b, &r2, t.done_body, REVIEW_DONE);
	}
	vb_key(&b, "next");
	if (t.next) {
		struct store_record r3 = rr.r;

		r3.id = t.next_id;
		r3.version = 1;
		r3.keys.state = "scheduled";
		r3.keys.due = review_date_text(a, t.next_due);
		review_row(&b, &r3, t.next_body,
		           app_review_status("scheduled", r3.keys.due, x.state, in->today, &t.set));
	} else {
		vb_null(&b);
	}
	vb_key(&b, "risks");
	if (t.risks)
		vb_val(&b, t.risks);
	else
		vb_null(&b);
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
}

/* ---- event ---- */

struct event_tx {
	struct app_deploy *dep;
	const struct app_actor *who;
	struct review_app *x;
	struct review_plan *pl;
	size_t n;
	struct app_review_settings set;
	const char **ids;
	const struct lval **bodies;
};

static int event_fn(struct store *s, void *arg, struct err *e)
{
	struct event_tx *t = arg;
	size_t i;
	int rc;

	(void)s;
	for (i = 0; i < t->n; i++)
		if ((rc = review_create(t->dep, t->who, "review.event", t->x, &t->pl[i], &t->set, &t->ids[i],
		                        &t->bodies[i], e)))
			return rc;
	return OK;
}

static int event_of_name(const char *kind)
{
	int ev;

	for (ev = 0; kind && ev < EV_COUNT; ev++)
		if (!strcmp(kind, policy_event_name(ev)))
			return ev;
	return -1;
}

static const char *event_names_list(struct arena *a)
{
	struct buf b = BUF_INIT;
	const char *s;
	int ev;

	for (ev = 0; ev < EV_COUNT; ev++)
		buf_addf(&b, "%s%s（%s）", ev ? ", " : "", policy_event_name(ev), policy_event_ja(ev));
	s = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return s;
}

/* "service-status: （なし）; change-notice: provider-change-notice": what each review lists. */
static const char *reviews_events_list(struct arena *a, const struct review_app *x)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i, j;

	for (i = 0; x->proc && i < x->proc->nreviews; i++) {
		const struct policy_review *rv = &x->proc->reviews[i];

		buf_addf(&b, "%s%s: ", i ? "; " : "", rv->id);
		if (!rv->nevents)
			buf_adds(&b, "契機なし / none");
		for (j = 0; j < rv->nevents; j++)
			buf_addf(&b, "%s%s", j ? ", " : "", policy_event_name(rv->events[j].event));
	}
	if (!b.len)
		buf_adds(&b, "この区分の手続に点検の定めはありません / the level's procedure defines no reviews");
	s = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return s;
}

int app_review_event(struct app_deploy *dep, const struct app_actor *who, const char *app_id, const char *kind,
                     const char *date, const char *note, int64_t today, const struct lval **model,
                     struct err *e)
{
	struct arena *a = dep->a;
	struct review_app x;
	struct event_tx t;
	struct vb b, sk;
	const struct lval *recorded;
	int64_t day;
	int ev, rc, allowed = 0;
	size_t i, nr, nlisted = 0;
	char at[ISOTIME_BUFSZ];
	struct err why;

	memset(&t, 0, sizeof(t));
	memset(&why, 0, sizeof(why));
	ev = event_of_name(kind);
	if (ev < 0)
		return err_set(e, ERR_INVALID, "--kind %1$s: 契機の種類ではありません（%2$s） / --kind %1$s is not an event "
		               "(one of: %2$s)", kind ? kind : "", event_names_list(a));
	if (!date)
		date = review_date_text(a, today);
	if (app_review_parse_date(date, &day) || strlen(date) != 10)
		return err_set(e, ERR_INVALID, "--date %1$s: 日付（YYYY-MM-DD）ではありません / --date %1$s is not a date "
		               "(YYYY-MM-DD)", date);
	if (day > today)
		return err_set(e, ERR_INVALID, "--date %1$s: 今日（%2$s）より後の日付です / --date %1$s is after today (%2$s)",
		               date, review_date_text(a, today));
	if (note && strlen(note) > 4000)
		return err_set(e, ERR_TOOLARGE, "--note: 4000 バイトまでです / --note is longer than 4000 bytes");
	if ((rc = review_app_load(dep, a, app_id, &x, e)))
		return rc;
	if (!app_review_active_state(x.state))
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s は承認済み・利用中ではないため（状態 %2$s）、契機を記録できません / "
		               "application %1$s is not approved or in use (state %2$s): no event can be recorded",
		               app_id, x.state);
	app_review_settings_of(dep->cfg, &t.set);
	nr = x.proc ? x.proc->nreviews : 0;
	t.pl = arena_zalloc(a, (nr + 1) * sizeof(*t.pl));
	vb_init(&b, a);
	vb_init(&sk, a);
	vb_arr(&sk);
	{
		struct vb rb;

		vb_init(&rb, a);
		vb_obj(&rb);
		vb_kstr(&rb, "kind", policy_event_name(ev));
		vb_kstr(&rb, "kind_ja", policy_event_ja(ev));
		vb_kstr(&rb, "date", date);
		vb_kstr(&rb, "note", note);
		vb_kstr(&rb, "by", who->user.login);
		vb_kstr(&rb, "at", arena_strdup(a, isotime_format_jst(isotime_now(), at)));
		vb_end(&rb);
		recorded = vb_done(&rb);
	}
	for (i = 0; i < nr; i++) {
		const struct policy_review *rv = &x.proc->reviews[i];
		const char *wnote;
		int w;
		size_t j;

		if (!review_lists_event(rv, ev))
			continue;
		nlisted++;
		w = review_when(a, rv, x.doc, &wnote);
		if (w == 0) {
			vb_obj(&sk);
			vb_kstr(&sk, "review", rv->id);
			vb_kstr(&sk, "reason", "実施条件がこの申請に当てはまりません / the review's condition does not hold for "
			        "this application");
			vb_end(&sk);
			continue;
		}
		if (!allowed && may_review(dep, a, &x, rv->actor, who, "契機の記録 / recording an event", &why) == OK)
			allowed = 1;
		review_plan_pack(&t.pl[t.n], rv);
		t.pl[t.n].when = w;
		if (wnote)
			t.pl[t.n].notes[t.pl[t.n].nnotes++] = wnote;
		t.pl[t.n].trigger = TRIGGER_EVENT;
		t.pl[t.n].event = ev;
		for (j = 0; j < rv->nevents; j++)
			if (rv->events[j].event == ev) {
				t.pl[t.n].trigger_text = rv->events[j].text;
				t.pl[t.n].trigger_ref = rv->events[j].ref;
			}
		t.pl[t.n].due = day + t.set.event_days;
		t.pl[t.n].recorded = recorded;
		t.n++;
	}
	/* a certificate's or a contract's event where the pack names no review
	 * of it: shinsa's own review, as at approval */
	if (!t.n && (ev == EV_CERTIFICATE_EXPIRY || ev == EV_CONTRACT_RENEWAL)) {
		int listed = 0;

		for (i = 0; i < nr; i++)
			listed |= review_lists_event(&x.proc->reviews[i], ev);
		if (!listed) {
			struct review_plan *p = &t.pl[0];

			memset(p, 0, sizeof(*p));
			p->review = ev == EV_CERTIFICATE_EXPIRY ? "certificate-expiry" : "contract-end";
			p->title = ev == EV_CERTIFICATE_EXPIRY
			           ? "ISMAP 登録の有効期限前の確認（基準に定めのない、本システムによる確認）"
			           : "契約期間の終了前の確認（更新又は利用終了の判断。基準に定めのない、本システムによる確認）";
			p->trigger = TRIGGER_EVENT;
			p->event = ev;
			p->when = 2;
			p->due = day + t.set.event_days;
			p->recorded = recorded;
			t.n = 1;
			if (may_review(dep, a, &x, NULL, who, "契機の記録 / recording an event", &why) == OK)
				allowed = 1;
		}
	}
	vb_end(&sk);
	if (!t.n && nlisted)
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s の点検のうち「%2$s」を契機とするものは、実施条件がこの申請に当てはまり"
		               "ません / the reviews of application %1$s that list %3$s do not apply to it (their "
		               "condition does not hold)", app_id, policy_event_ja(ev), policy_event_name(ev));
	if (!t.n)
		return err_set(e, ERR_NOTFOUND, "申請 %1$s（%2$s、区分 %3$s）の点検に「%4$s」（%5$s）を契機とするものはありません"
		               "（各点検の契機: %6$s） / no review of application %1$s (%2$s, level %3$s) lists the event "
		               "%5$s (the reviews' events: %6$s)", app_id, x.pack, x.level, policy_event_ja(ev),
		               policy_event_name(ev), reviews_events_list(a, &x));
	if (!allowed) {
		*e = why;
		return why.code ? why.code : ERR_FORBIDDEN;
	}
	t.dep = dep;
	t.who = who;
	t.x = &x;
	t.ids = arena_zalloc(a, t.n * sizeof(*t.ids));
	t.bodies = arena_zalloc(a, t.n * sizeof(*t.bodies));
	if ((rc = store_tx(dep->s, event_fn, &t, e)))
		return rc;
	vb_obj(&b);
	vb_kstr(&b, "app", app_id);
	vb_kstr(&b, "kind", policy_event_name(ev));
	vb_kstr(&b, "kind_ja", policy_event_ja(ev));
	vb_kstr(&b, "date", date);
	vb_kstr(&b, "note", note);
	vb_key(&b, "created");
	vb_arr(&b);
	for (i = 0; i < t.n; i++) {
		struct store_record r;

		memset(&r, 0, sizeof(r));
		r.id = t.ids[i];
		r.version = 1;
		r.keys.state = "scheduled";
		r.keys.due = review_date_text(a, t.pl[i].due);
		r.keys.owner = x.owner;
		review_row(&b, &r, t.bodies[i], app_review_status("scheduled", r.keys.due, x.state, today, &t.set));
	}
	vb_end(&b);
	vb_key(&b, "skipped");
	vb_val(&b, vb_done(&sk));
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
}
