/* Reviews: what approval schedules, and the pieces the rest of the reviews'
 * life shares (review_ops.c: list, done, event). A review is a record of
 * kind "review" (docs/records.md); its body says where it came from (the
 * pack's review, or shinsa's own for a certificate's expiry or the end of the
 * contract), its trigger, its due date and, once done, what was found. */
#include "app/review.h"
#include "app/packs.h"
#include "app/review_int.h"

#include <stdlib.h>
#include <string.h>

#include "app/recfacts.h"
#include "core/buf.h"
#include "core/fmt.h"
#include "core/isotime.h"
#include "logic/json.h"
#include "logic/logic.h"
#include "logic/vb.h"
#include "policy/policy.h"

static const char *const status_names[] = { "scheduled", "due", "overdue", "done", "stopped" };
static const char *const status_ja[] = { "予定", "実施時期", "期限超過", "実施済", "停止（利用終了）" };
static const char *const trigger_names[] = { "cycle", "personnel-move", "certificate-expiry", "contract-end",
	"event" };
static const char *const trigger_ja[] = { "定期", "人事異動（毎年）", "認証の有効期限", "契約期間の終了",
	"記録された契機" };

const char *app_review_status_name(int st) { return st >= 0 && st <= REVIEW_STOPPED ? status_names[st] : ""; }
const char *app_review_status_ja(int st) { return st >= 0 && st <= REVIEW_STOPPED ? status_ja[st] : ""; }
const char *app_review_trigger_name(int t) { return t >= 0 && t < TRIGGER_COUNT ? trigger_names[t] : ""; }
const char *app_review_trigger_ja(int t) { return t >= 0 && t < TRIGGER_COUNT ? trigger_ja[t] : ""; }

int review_trigger_of(const char *name)
{
	int t;

	for (t = 0; name && t < TRIGGER_COUNT; t++)
		if (!strcmp(name, trigger_names[t]))
			return t;
	return -1;
}

void app_review_settings_of(const struct app_config *c, struct app_review_settings *o)
{
	o->cycle_months = c && c->cycle_months > 0 ? c->cycle_months : POLICY_DEFAULT_CYCLE_MONTHS;
	if (c && c->personnel_month >= 1 && c->personnel_month <= 12 && c->personnel_day >= 1) {
		o->personnel_month = c->personnel_month;
		o->personnel_day = c->personnel_day;
	} else {
		const char *d = POLICY_DEFAULT_PERSONNEL_DATE;   /* "MM-DD" */

		o->personnel_month = (d[0] - '0') * 10 + (d[1] - '0');
		o->personnel_day = (d[3] - '0') * 10 + (d[4] - '0');
	}
	o->notice_days = c && c->review_notice_days ? c->notice_days : CONFIG_DEFAULT_NOTICE_DAYS;
	o->event_days = c && c->review_event_days ? c->event_days : CONFIG_DEFAULT_EVENT_DAYS;
}

int app_review_active_state(const char *state)
{
	return state && (!strcmp(state, "approved") || !strcmp(state, "in-use") || !strcmp(state, "notified"));
}

int app_review_parse_date(const char *s, int64_t *days)
{
	size_t n;

	if (!s)
		return -1;
	n = strlen(s);
	if (n > 10 && s[10] != 'T' && s[10] != ' ')
		return -1;
	return n < 10 ? -1 : isotime_parse_date(s, 10, days);
}

const char *review_date_text(struct arena *a, int64_t days)
{
	int64_t y;
	unsigned m, d;

	isotime_civil_from_days(days, &y, &m, &d);
	return arena_printf(a, "%04lld-%02u-%02u", (long long)y, m, d);
}

int app_review_status(const char *state, const char *due, const char *app_state, int64_t today,
                      const struct app_review_settings *set)
{
	int64_t d;

	if (state && !strcmp(state, "done"))
		return REVIEW_DONE;
	if (app_state && !app_review_active_state(app_state))
		return REVIEW_STOPPED;
	if (app_review_parse_date(due, &d))
		return REVIEW_DUE;   /* a review without a readable date is due now: never hidden */
	if (today > d)
		return REVIEW_OVERDUE;
	if (today + set->notice_days >= d)
		return REVIEW_DUE;
	return REVIEW_SCHEDULED;
}

/* The days of month m of year y. */
static unsigned month_days(int64_t y, unsigned m)
{
	int64_t a = isotime_days_from_civil(y, m, 1);
	int64_t b = m == 12 ? isotime_days_from_civil(y + 1, 1, 1) : isotime_days_from_civil(y, m + 1, 1);

	return (unsigned)(b - a);
}

int64_t review_next_yearly(int64_t from, int month, int day)
{
	int64_t y;
	unsigned m, d, k;

	isotime_civil_from_days(from, &y, &m, &d);
	for (k = 0; k < 2; k++) {
		unsigned md = month_days(y + k, (unsigned)month);
		int64_t t = isotime_days_from_civil(y + k, (unsigned)month, (unsigned)day > md ? md : (unsigned)day);

		if (t > from)
			return t;
	}
	return isotime_days_from_civil(y + 2, (unsigned)month, (unsigned)day > 28 ? 28 : (unsigned)day);
}

/* ---- the application a review belongs to ---- */

static const struct policy_procedure *procedure_for(const struct policy *p, long level)
{
	size_t i, j;

	for (i = 0; level >= 0 && i < p->nprocedures; i++)
		for (j = 0; j < p->procedures[i].nlevels; j++)
			if ((long)p->procedures[i].levels[j] == level)
				return &p->procedures[i];
	return NULL;
}

int review_app_from_body(struct app_deploy *dep, struct arena *a, const char *id, const struct lval *body,
                         struct review_app *x, struct err *e)
{
	const struct lval *m;

	memset(x, 0, sizeof(*x));
	x->id = id;
	x->body = body;
	if (!body || body->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "app %s: the record is not an object", id);
	x->pack = app_jstr(body, "pack");
	x->level = app_jstr(body, "level");
	x->state = app_jstr(body, "state");
	x->facts = vb_get(body, "facts");
	x->doc = app_facts_doc(a, x->facts);
	m = vb_get(body, "manager");
	x->manager = m && m->type == LV_OBJ ? app_jstr(m, "login") : m && m->type == LV_STR ? m->u.str : "";
	m = vb_get(body, "applicant");
	x->applicant.login = app_jstr(m, "login");
	x->applicant.name = app_jstr(m, "name");
	x->applicant.dept = app_jstr(m, "dept");
	x->applicant.title = app_jstr(m, "title");
	x->applicant.role = ROLE_APPLICANT;
	x->owner = *x->manager ? x->manager : x->applicant.login;
	if (!dep->set)
		return err_set(e, ERR_INTERNAL, "reviews: the deployment was opened without its policy packs");
	/* the pack as it was when the application was decided on (app/packs.h) */
	m = vb_get(vb_get(body, "snapshot"), "pack");
	if (app_pack_at(dep, x->pack, m && m->type == LV_OBJ ? app_jstr(m, "sha256") : NULL, &x->p, e))
		return err_set(e, ERR_NOTFOUND, "申請 %1$s の基準 '%2$s': %3$s / application %1$s's pack '%2$s': %3$s", id,
		               x->pack, e->msg);
	x->level_idx = *x->level ? policy_level_index(x->p, x->level) : policy_level_default(x->p);
	if (x->level_idx < 0)
		return err_set(e, ERR_INVALID, "申請 %1$s の区分 '%2$s' は基準 %3$s にありません / application %1$s's level "
		               "'%2$s' is not a level of %3$s", id, x->level, x->pack);
	x->proc = procedure_for(x->p, x->level_idx);
	return OK;
}

int review_app_load(struct app_deploy *dep, struct arena *a, const char *id, struct review_app *x, struct err *e)
{
	struct store_record r;
	const struct lval *body;
	int rc;

	rc = store_record_get(dep->s, a, "app", id, 0, &r, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "申請 '%1$s' はありません（shinsa app list） / there is no application '%1$s' "
		               "(shinsa app list)", id);
	if (rc)
		return rc;
	if (json_parse(a, r.body, r.body_len, &body, e))
		return err_set(e, ERR_INTERNAL, "app %s: the stored record is not JSON", id);
	if ((rc = review_app_from_body(dep, a, r.id, body, x, e)))
		return rc;
	x->rec = r;
	if (r.keys.state && *r.keys.state)
		x->state = r.keys.state;
	return OK;
}

/* ---- conditions ---- */

int review_when(struct arena *a, const struct policy_review *rv, const struct lval *doc, const char **note)
{
	struct logic_result3 res;
	struct buf b = BUF_INIT;
	size_t i;

	*note = NULL;
	if (!rv->when)
		return 2;
	if (logic_eval3(a, rv->when->rule, doc, &res, NULL)) {
		buf_adds(&b, "実施条件 ");
		lval_add_json(&b, rv->when->json);
		buf_adds(&b, " を評価できないため、点検を予定します / the review's condition cannot be evaluated: the "
		         "review is scheduled");
		*note = arena_strdup(a, buf_done(&b));
		buf_free(&b);
		return -1;
	}
	if (res.truth == LOGIC_TRUE)
		return 1;
	if (res.truth == LOGIC_FALSE)
		return 0;
	buf_adds(&b, "実施条件 ");
	lval_add_json(&b, rv->when->json);
	buf_adds(&b, " は未回答の事実（");
	for (i = 0; i < res.ndeciding; i++)
		buf_addf(&b, "%s%s", i ? "、" : "", res.deciding[i]);
	if (!res.ndeciding)
		for (i = 0; i < res.nmissing; i++)
			buf_addf(&b, "%s%s", i ? "、" : "", res.missing[i]);
	buf_adds(&b, "）により判定できないため、点検を予定します / the review's condition is unknown (facts not "
	         "answered): the review is scheduled");
	*note = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return -1;
}

/* ---- writing a review ---- */

/* The criteria of pack p whose check reads a fact starting with prefix: what
 * shinsa's own review of a certificate re-checks. */
static void criteria_reading(struct arena *a, const struct policy *p, const char *prefix, const char ***ids,
                             size_t *n)
{
	size_t i, j, k = 0, len = strlen(prefix);

	*ids = arena_alloc(a, (p->ncriteria ? p->ncriteria : 1) * sizeof(**ids));
	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_cond *c = p->criteria[i].check;

		for (j = 0; c && j < c->npaths; j++)
			if (!strncmp(c->paths[j], prefix, len)) {
				(*ids)[k++] = p->criteria[i].id;
				break;
			}
	}
	*n = k;
}

void review_plan_pack(struct review_plan *pl, const struct policy_review *rv)
{
	memset(pl, 0, sizeof(*pl));
	pl->rv = rv;
	pl->review = rv->id;
	pl->title = rv->title;
	pl->ref = rv->ref;
	pl->actor = rv->actor;
	pl->crit = NULL;
	pl->ncrit = rv->ncriteria;
	pl->crit_idx = rv->criteria;
	pl->cycle_months = rv->cycle_months;
	pl->event = -1;
	pl->when = 2;
}

/* The pack's words for a review's event (its text and ref), or NULL. */
static const struct policy_review_event *event_of(const struct policy_review *rv, int ev)
{
	size_t i;

	for (i = 0; rv && i < rv->nevents; i++)
		if (rv->events[i].event == ev)
			return &rv->events[i];
	return NULL;
}

int review_lists_event(const struct policy_review *rv, int ev)
{
	return event_of(rv, ev) != NULL;
}

const struct lval *review_body(struct arena *a, const struct review_app *x, const struct review_plan *pl,
                               const char *id, const char *at, const char *by,
                               const struct app_review_settings *set)
{
	struct vb b;
	size_t i;

	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "id", id);
	vb_kstr(&b, "app", x->id);
	vb_kstr(&b, "pack", x->pack);
	vb_kstr(&b, "level", x->level);
	vb_kstr(&b, "review", pl->review);
	vb_kbool(&b, "own", !pl->rv);
	vb_kstr(&b, "title", pl->title);
	vb_kstr(&b, "ref", pl->ref);
	vb_kstr(&b, "actor", pl->actor);
	vb_kstr(&b, "trigger", app_review_trigger_name(pl->trigger));
	vb_kstr(&b, "trigger_ja", app_review_trigger_ja(pl->trigger));
	vb_kstr(&b, "event", pl->event >= 0 ? policy_event_name(pl->event) : NULL);
	vb_kstr(&b, "trigger_text", pl->trigger_text);
	vb_kstr(&b, "trigger_ref", pl->trigger_ref);
	vb_kstr(&b, "due", review_date_text(a, pl->due));
	vb_kstr(&b, "state", "scheduled");
	vb_kstr(&b, "owner", x->owner);
	vb_key(&b, "criteria");
	vb_arr(&b);
	for (i = 0; i < pl->ncrit; i++)
		vb_str(&b, pl->crit ? pl->crit[i] : x->p->criteria[pl->crit_idx[i]].id);
	vb_end(&b);
	vb_key(&b, "cycle_months");
	if (pl->trigger == TRIGGER_CYCLE)
		vb_int(&b, pl->cycle_months > 0 ? pl->cycle_months : set->cycle_months);
	else if (pl->trigger == TRIGGER_PERSONNEL)
		vb_int(&b, 12);
	else
		vb_null(&b);
	vb_kbool(&b, "cycle_unspecified", pl->trigger == TRIGGER_CYCLE && pl->cycle_months < 0);
	vb_key(&b, "cycle_note");
	if (pl->trigger == TRIGGER_CYCLE && pl->cycle_months < 0)
		vb_str(&b, arena_printf(a, "周期の定めなし（本システムの設定: %dか月） / the pack sets no cycle (this "
		                        "deployment's setting: %d months)", set->cycle_months, set->cycle_months));
	else if (pl->trigger == TRIGGER_CYCLE)
		vb_str(&b, arena_printf(a, "%dか月ごと（基準の定め） / every %d months (the pack's)", pl->cycle_months,
		                        pl->cycle_months));
	else if (pl->trigger == TRIGGER_PERSONNEL)
		vb_str(&b, arena_printf(a, "毎年 %d月%d日（人事異動の日、本システムの設定） / every year on %02d-%02d (the "
		                        "personnel move, this deployment's setting)", set->personnel_month,
		                        set->personnel_day, set->personnel_month, set->personnel_day));
	else
		vb_null(&b);
	vb_key(&b, "when");
	if (pl->when == 1)
		vb_str(&b, "true");
	else if (pl->when == -1)
		vb_str(&b, "unknown");
	else
		vb_null(&b);
	vb_key(&b, "notes");
	vb_arr(&b);
	for (i = 0; i < pl->nnotes; i++)
		vb_str(&b, pl->notes[i]);
	vb_end(&b);
	vb_kstr(&b, "scheduled_at", at);
	vb_kstr(&b, "scheduled_by", by);
	vb_kstr(&b, "follows", pl->follows);
	vb_key(&b, "recorded_event");
	if (pl->recorded)
		vb_val(&b, pl->recorded);
	else
		vb_null(&b);
	vb_end(&b);
	return vb_done(&b);
}

const char *review_json(struct arena *a, const struct lval *v, struct err *e)
{
	struct buf b = BUF_INIT;
	const char *s = NULL;

	if (lval_write_json(&b, v) == OK)
		s = arena_strndup(a, b.data ? b.data : "", b.len);
	else
		err_set(e, ERR_TOOLARGE, "review: the record is too large");
	buf_free(&b);
	return s;
}

int review_put(struct app_deploy *dep, const struct app_actor *who, const char *action, const char *id,
               long long version, const struct review_app *x, const char *state, const char *due,
               const char *owner, const struct lval *body, const char *before, const char *comment,
               struct err *e)
{
	struct store_record rec;
	const char *text = review_json(dep->a, body, e);

	if (!text)
		return ERR_TOOLARGE;
	memset(&rec, 0, sizeof(rec));
	rec.kind = "review";
	rec.id = id;
	rec.number = strtoll(id, NULL, 10);   /* numbered: listed 1, 2, … 10, not as text */
	rec.version = version;
	rec.keys.state = state;
	rec.keys.owner = owner;
	rec.keys.pack = x->pack;
	rec.keys.parent = arena_printf(dep->a, "app:%s", x->id);
	rec.keys.due = due;
	rec.body = text;
	rec.body_len = strlen(text);
	return app_record_write(dep, who, who ? NULL : "system", action, &rec, before, NULL, comment, e);
}

int review_create(struct app_deploy *dep, const struct app_actor *who, const char *action,
                  const struct review_app *x, const struct review_plan *pl, const struct app_review_settings *set,
                  const char **id_out, const struct lval **body_out, struct err *e)
{
	char at[ISOTIME_BUFSZ];
	long long n;
	const char *id, *due;
	const struct lval *body;
	int rc;

	if ((rc = store_record_next_number(dep->s, "review", &n, e)))
		return rc;
	id = arena_printf(dep->a, "%lld", n);
	due = review_date_text(dep->a, pl->due);
	body = review_body(dep->a, x, pl, id, arena_strdup(dep->a, isotime_format_jst(isotime_now(), at)),
	                   who ? who->user.login : "", set);
	if ((rc = review_put(dep, who, action, id, 1, x, "scheduled", due, x->owner, body, NULL, NULL, e)))
		return rc;
	if (id_out)
		*id_out = id;
	if (body_out)
		*body_out = body;
	return OK;
}

/* ---- approval: the plan ---- */

/* A date fact (cert.ismap_expiry, app.period_end): 1 with *days, 0 absent,
 * -1 present but not a date. */
static int date_fact(const struct review_app *x, const char *path, int64_t *days)
{
	const struct lval *v = app_fact_get(x->facts, path);

	if (!v)
		v = app_fact_get(x->doc, path);
	if (!v)
		return 0;
	if (v->type != LV_STR || app_review_parse_date(v->u.str, days))
		return -1;
	return 1;
}

static void add_note(struct review_plan *pl, const char *note)
{
	if (note && pl->nnotes < REVIEW_PLAN_NOTES)
		pl->notes[pl->nnotes++] = note;
}

/* A review before a date fact: due on it, or on from when it has passed. */
static int before_date(struct arena *a, struct review_plan *pl, const struct review_app *x, const char *path,
                       const char *what_ja, int64_t from)
{
	int64_t d;
	int k = date_fact(x, path, &d);

	if (k == 0)
		return 0;
	if (k < 0) {
		pl->due = from;
		add_note(pl, arena_printf(a, "%1$s（%2$s）を日付として読めないため、承認日を期限とします / %2$s is not a "
		                          "date: due on the approval's day", what_ja, path));
		return 1;
	}
	pl->due = d;
	if (d < from) {
		pl->due = from;
		add_note(pl, arena_printf(a, "%1$s（%2$s: %3$s）は承認日より前です。承認日を期限とします / %2$s (%3$s) "
		                          "is before the approval: due on the approval's day", what_ja, path,
		                          review_date_text(a, d)));
	}
	return 1;
}

int review_plan_all(struct arena *a, const struct review_app *x, int64_t from, const struct app_review_settings *set,
                    struct review_plan **out, size_t *n)
{
	const struct policy_procedure *r = x->proc;
	size_t nr = r ? r->nreviews : 0, i, k = 0, cap = nr * 4 + 2;
	struct review_plan *pl = arena_zalloc(a, cap * sizeof(*pl));
	int cert_listed = 0, renewal_listed = 0;

	for (i = 0; i < nr; i++) {
		const struct policy_review *rv = &r->reviews[i];
		const char *note;
		int w = review_when(a, rv, x->doc, &note);
		const struct policy_review_event *ev;

		if (review_lists_event(rv, EV_CERTIFICATE_EXPIRY))
			cert_listed = 1;
		if (review_lists_event(rv, EV_CONTRACT_RENEWAL))
			renewal_listed = 1;
		if (w == 0)
			continue;   /* the condition is false: the review is not this application's */
		if (rv->cycle_months != 0) {
			review_plan_pack(&pl[k], rv);
			pl[k].when = w;
			add_note(&pl[k], note);
			pl[k].trigger = TRIGGER_CYCLE;
			pl[k].trigger_ref = rv->cycle_ref;
			pl[k].due = isotime_add_months(from, rv->cycle_months > 0 ? rv->cycle_months : set->cycle_months);
			k++;
		}
		if ((ev = event_of(rv, EV_PERSONNEL_MOVE))) {
			review_plan_pack(&pl[k], rv);
			pl[k].when = w;
			add_note(&pl[k], note);
			pl[k].trigger = TRIGGER_PERSONNEL;
			pl[k].event = EV_PERSONNEL_MOVE;
			pl[k].trigger_text = ev->text;
			pl[k].trigger_ref = ev->ref;
			pl[k].due = review_next_yearly(from, set->personnel_month, set->personnel_day);
			k++;
		}
		if ((ev = event_of(rv, EV_CERTIFICATE_EXPIRY))) {
			review_plan_pack(&pl[k], rv);
			pl[k].when = w;
			add_note(&pl[k], note);
			pl[k].trigger = TRIGGER_CERTIFICATE;
			pl[k].event = EV_CERTIFICATE_EXPIRY;
			pl[k].trigger_text = ev->text;
			pl[k].trigger_ref = ev->ref;
			if (before_date(a, &pl[k], x, "cert.ismap_expiry", "認証の有効期限", from))
				k++;
		}
		if ((ev = event_of(rv, EV_CONTRACT_RENEWAL))) {
			review_plan_pack(&pl[k], rv);
			pl[k].when = w;
			add_note(&pl[k], note);
			pl[k].trigger = TRIGGER_CONTRACT_END;
			pl[k].event = EV_CONTRACT_RENEWAL;
			pl[k].trigger_text = ev->text;
			pl[k].trigger_ref = ev->ref;
			if (before_date(a, &pl[k], x, "app.period_end", "利用期間の終了", from))
				k++;
		}
		/* the other events (a subcontractor's change, a provider's notice)
		 * wait for someone to record them: review event */
	}
	/* shinsa's own, where the pack names no review for them: before the
	 * certificate lapses, and before the contract period ends */
	if (!cert_listed) {
		memset(&pl[k], 0, sizeof(pl[k]));
		pl[k].review = "certificate-expiry";
		pl[k].title = "ISMAP 登録の有効期限前の確認（基準に定めのない、本システムによる確認）";
		pl[k].trigger = TRIGGER_CERTIFICATE;
		pl[k].event = -1;
		pl[k].when = 2;
		pl[k].trigger_text = "ISMAP クラウドサービスリストへの登録の有効期限（cert.ismap_expiry）";
		criteria_reading(a, x->p, "cert.ismap", &pl[k].crit, &pl[k].ncrit);
		if (before_date(a, &pl[k], x, "cert.ismap_expiry", "認証の有効期限", from))
			k++;
	}
	if (!renewal_listed) {
		memset(&pl[k], 0, sizeof(pl[k]));
		pl[k].review = "contract-end";
		pl[k].title = "契約期間の終了前の確認（更新又は利用終了の判断。基準に定めのない、本システムによる確認）";
		pl[k].trigger = TRIGGER_CONTRACT_END;
		pl[k].event = -1;
		pl[k].when = 2;
		pl[k].trigger_text = "利用期間の終了（app.period_end）";
		pl[k].crit = NULL;
		pl[k].ncrit = 0;
		if (before_date(a, &pl[k], x, "app.period_end", "利用期間の終了", from))
			k++;
	}
	*out = pl;
	*n = k;
	return OK;
}

int app_review_schedule(struct app_deploy *dep, const struct app_actor *who, const char *app_id,
                        const struct lval *app, const char *from_date, struct err *e)
{
	struct review_app x;
	struct app_review_settings set;
	struct review_plan *pl;
	int64_t from;
	size_t n, i;
	int rc;

	if (app_review_parse_date(from_date, &from))
		return err_set(e, ERR_INVALID, "承認日 '%1$s' は日付（YYYY-MM-DD）ではありません / the approval date '%1$s' "
		               "is not a date (YYYY-MM-DD)", from_date ? from_date : "");
	if ((rc = review_app_from_body(dep, dep->a, app_id, app, &x, e)))
		return rc;
	app_review_settings_of(dep->cfg, &set);
	if ((rc = review_plan_all(dep->a, &x, from, &set, &pl, &n)))
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = review_create(dep, who, "review.schedule", &x, &pl[i], &set, NULL, NULL, e)))
			return rc;
	return OK;
}
