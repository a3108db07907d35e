/* The ledger's model (app/ledger.h): one search of the application records
 * by their indexed keys (state, dept, level, provider, the period's end),
 * paged, each row filled from the record's facts with its pack's ledger
 * fields, and the next review looked up among the application's reviews. */
#include "app/ledger.h"
#include "app/packs.h"

#include <string.h>

#include "app/recfacts.h"
#include "app/review.h"
#include "core/buf.h"
#include "core/isotime.h"
#include "core/utf8.h"
#include "logic/json.h"
#include "logic/vb.h"
#include "policy/policy.h"

static const char *const ledger_states[] = { "approved", "in-use", "end-reported", "deletion-confirmed" };
static const char *const with_closed[] = { "approved", "in-use", "end-reported", "deletion-confirmed", "closed" };
static const char *const states_ja[] = { "承認済", "利用中", "利用終了報告済", "削除確認済", "完了（履歴）" };

const char *const *app_ledger_states(size_t *n)
{
	*n = sizeof(ledger_states) / sizeof(ledger_states[0]);
	return ledger_states;
}

const char *app_ledger_state_ja(const char *state)
{
	size_t i;

	for (i = 0; state && i < sizeof(with_closed) / sizeof(with_closed[0]); i++)
		if (!strcmp(state, with_closed[i]))
			return states_ja[i];
	return "";
}

static int check_filter(const char *what, const char *v, struct err *e)
{
	size_t i, n;

	if (!v)
		return OK;
	n = strlen(v);
	if (!n)
		return err_set(e, ERR_INVALID, "%1$s: 空です / %1$s is empty", what);
	if (n > LEDGER_FILTER_MAX)
		return err_set(e, ERR_INVALID, "%1$s: %2$d バイトまでです / %1$s is longer than %2$d bytes", what,
		               LEDGER_FILTER_MAX);
	if (!utf8_valid(v, n, NULL))
		return err_set(e, ERR_INVALID, "%1$s: UTF-8 ではありません / %1$s is not UTF-8", what);
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return err_set(e, ERR_INVALID, "%1$s: 制御文字は使えません / %1$s has a control character", what);
	return OK;
}

/* ---- one row ---- */

/* The text of a ledger field from the facts: one fact's value, a period as
 * "開始〜終了", several joined with "、"; NULL when none is answered. */
static const char *field_value(struct arena *a, const struct policy_labeled *f, const struct lval *facts)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i, answered = 0;
	int period = f->nfacts == 2 && strstr(f->facts[0], "_start") && strstr(f->facts[1], "_end");

	for (i = 0; i < f->nfacts; i++) {
		const struct lval *v = app_fact_get(facts, f->facts[i]);

		if (i)
			buf_adds(&b, period ? "〜" : "、");
		if (v) {
			buf_adds(&b, app_fact_text(a, v));
			answered++;
		}
	}
	if (!answered) {
		buf_free(&b);
		return NULL;
	}
	s = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return s;
}

/* 所属・役職・氏名 from the record's applicant or manager object. */
static const char *person_text(struct arena *a, const struct lval *o)
{
	const char *dept = app_jstr(o, "dept"), *title = app_jstr(o, "title"), *name = app_jstr(o, "name"),
	           *login = app_jstr(o, "login");

	if (!o || o->type != LV_OBJ || (!*dept && !*title && !*name && !*login))
		return NULL;
	return arena_printf(a, "%s%s%s%s%s", dept, *dept && (*title || *name) ? "・" : "", title,
	                    *title && *name ? "・" : "", *name ? name : login);
}

struct next_arg {
	struct arena *a;
	const char *id, *due, *body;   /* copies: the earliest due so far */
};

static int next_one(void *arg, const struct store_record *r, struct err *e)
{
	struct next_arg *n = arg;
	int64_t d, best;

	(void)e;
	if (app_review_parse_date(r->keys.due, &d))
		return OK;
	if (n->due && !app_review_parse_date(n->due, &best) && best <= d)
		return OK;
	n->id = arena_strdup(n->a, r->id);
	n->due = arena_strdup(n->a, r->keys.due);
	n->body = arena_strndup(n->a, r->body, r->body_len);
	return OK;
}

struct ledger_arg {
	struct app_deploy *dep;
	struct arena *a;
	const struct app_ledger_query *q;
	struct app_review_settings set;
	struct vb *b;
	const char **labels;         /* the columns: every ledger field's label, in order of first sight */
	size_t nlabels, cap;
	size_t n;
};

static void add_label(struct ledger_arg *l, const char *label)
{
	size_t i;

	for (i = 0; i < l->nlabels; i++)
		if (!strcmp(l->labels[i], label))
			return;
	if (l->nlabels == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;

		l->labels = arena_realloc(l->a, l->labels, l->cap * sizeof(*l->labels), nc * sizeof(*l->labels));
		l->cap = nc;
	}
	l->labels[l->nlabels++] = label;
}

static const struct policy_procedure *procedure_for(const struct policy *p, long level)
{
	size_t i, j;

	for (i = 0; p && level >= 0 && i < p->nprocedures; i++)
		for (j = 0; j < p->procedures[i].nlevels; j++)
			if ((long)p->procedures[i].levels[j] == level)
				return &p->procedures[i];
	return NULL;
}

static int row_one(struct ledger_arg *l, const struct store_record *r, struct err *e)
{
	struct arena *a = l->a;
	struct vb *b = l->b;
	const struct lval *body, *facts, *v;
	const struct policy *p;
	const struct policy_procedure *proc = NULL;
	const char *pack, *level, *state = arena_strdup(a, r->keys.state ? r->keys.state : "");
	const char *id = arena_strdup(a, r->id);
	long li = -1;
	size_t i;
	int rc;

	if (json_parse(a, r->body, r->body_len, &body, e) || body->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "app %s: the stored record is not a JSON object", r->id);
	facts = vb_get(body, "facts");
	/* the record's texts live only while the search calls back: copied */
	pack = r->keys.pack && *r->keys.pack ? arena_strdup(a, r->keys.pack) : app_jstr(body, "pack");
	level = r->keys.level && *r->keys.level ? arena_strdup(a, r->keys.level) : app_jstr(body, "level");
	/* the pack as it was when the application was decided on (app/packs.h) */
	v = vb_get(vb_get(body, "snapshot"), "pack");
	if (app_pack_at(l->dep, pack, v && v->type == LV_OBJ ? app_jstr(v, "sha256") : NULL, &p, e)) {
		p = NULL;
		err_clear(e);
	}
	if (p) {
		li = policy_level_index(p, level);
		proc = procedure_for(p, li);
	}
	vb_obj(b);
	vb_kstr(b, "id", id);
	vb_kstr(b, "state", state);
	vb_kstr(b, "state_ja", app_ledger_state_ja(state));
	vb_kstr(b, "pack", pack);
	vb_kstr(b, "pack_body", p ? p->body : NULL);
	vb_kstr(b, "level", level);
	vb_kstr(b, "level_name", p && li >= 0 ? p->levels[li].name : NULL);
	vb_key(b, "dept");
	vb_strdup(b, r->keys.dept);
	vb_key(b, "applicant");
	vb_strdup(b, r->keys.owner);
	vb_key(b, "provider");
	vb_strdup(b, r->keys.provider);
	v = app_fact_get(facts, "service.name");
	vb_kstr(b, "service", v && v->type == LV_STR ? v->u.str : NULL);
	vb_kstr(b, "approved_at", *app_jstr(body, "approved_at") ? app_jstr(body, "approved_at") : NULL);
	vb_kstr(b, "started_at", *app_jstr(body, "started_at") ? app_jstr(body, "started_at") : NULL);
	vb_key(b, "period_end");
	v = app_fact_get(facts, "app.period_end");
	vb_strdup(b, r->keys.due && *r->keys.due ? r->keys.due : v && v->type == LV_STR ? v->u.str : NULL);
	/* the next review */
	vb_key(b, "next_review");
	if (app_review_active_state(state)) {
		static const char *const scheduled[] = { "scheduled" };
		struct store_query rq;
		struct next_arg na = { a, NULL, NULL, NULL };

		memset(&rq, 0, sizeof(rq));
		rq.kind = "review";
		rq.eq.parent = arena_printf(a, "app:%s", id);
		rq.states = scheduled;
		rq.nstates = 1;
		if ((rc = store_record_find(l->dep->s, &rq, next_one, &na, e)))
			return rc;
		if (na.id) {
			const struct lval *rb = NULL;
			int st = app_review_status("scheduled", na.due, state, l->q->today, &l->set);

			vb_obj(b);
			vb_kstr(b, "id", na.id);
			vb_kstr(b, "due", na.due);
			if (json_parse(a, na.body, strlen(na.body), &rb, NULL))
				rb = NULL;
			vb_kstr(b, "title", rb ? app_jstr(rb, "title") : NULL);
			vb_kstr(b, "status", app_review_status_name(st));
			vb_kstr(b, "status_ja", app_review_status_ja(st));
			vb_end(b);
		} else {
			vb_null(b);
		}
	} else {
		vb_null(b);
	}
	/* the pack's ledger fields */
	if (!p) {
		vb_kstr(b, "ledger", "none");
		vb_kstr(b, "ledger_note", arena_printf(a, "基準 '%1$s' が読み込まれていないため台帳項目を示せません / the pack "
		                                       "'%1$s' is not loaded: no ledger fields", pack));
	} else if (!proc || proc->ledger_unspecified || !proc->nledger) {
		vb_kstr(b, "ledger", "none");
		vb_kstr(b, "ledger_note", p->paper.text && !p->paper.ledger
		        ? arena_printf(a, "この基準（%s）に台帳の定めはありません。%s / the pack defines no ledger", p->body,
		                       p->paper.text)
		        : arena_printf(a, "この基準（%s）のこの区分に台帳の項目の定めはありません / the pack defines no ledger "
		                       "fields at this level", p->body));
	} else {
		vb_kstr(b, "ledger", p->paper.ledger ? "listed" : "copied");
		vb_kstr(b, "ledger_note", p->paper.ledger ? NULL
		        : arena_printf(a, "この基準（%s）に台帳の定めはなく、項目は届出事項を写したものです / the pack "
		                       "defines no ledger: the fields copy what the application states", p->body));
	}
	vb_key(b, "fields");
	vb_arr(b);
	for (i = 0; proc && !proc->ledger_unspecified && i < proc->nledger; i++) {
		const struct policy_labeled *f = &proc->ledger[i];
		const char *val = field_value(a, f, facts), *source = val ? "facts" : NULL;
		const char *label = f->label ? f->label : f->id;

		if (!val && f->nfacts == 1 && !strcmp(f->facts[0], "app.applicant") &&
		    (val = person_text(a, vb_get(body, "applicant"))))
			source = "record";
		if (!val && f->nfacts == 1 && !strcmp(f->facts[0], "app.manager") &&
		    (val = person_text(a, vb_get(body, "manager"))))
			source = "record";
		add_label(l, label);
		vb_obj(b);
		vb_kstr(b, "id", f->id);
		vb_kstr(b, "label", label);
		vb_kstr(b, "value", val);
		vb_key(b, "facts");
		vb_strs(b, f->facts, f->nfacts);
		vb_kstr(b, "source", source);
		vb_kstr(b, "input", f->input);
		vb_end(b);
	}
	vb_end(b);
	vb_end(b);
	l->n++;
	return OK;
}

int app_ledger_model(struct app_deploy *dep, struct arena *a, const struct app_ledger_query *q,
                     const struct lval **model, struct err *e)
{
	struct store_query sq;
	struct ledger_arg l;
	struct vb b, cb;
	const char *one[1];
	long long total = 0;
	int64_t d;
	size_t i, nstates;
	int rc;

	if ((rc = check_filter("--dept", q->dept, e)) || (rc = check_filter("--level", q->level, e)) ||
	    (rc = check_filter("--provider", q->provider, e)))
		return rc;
	if (q->expiring_before &&
	    (strlen(q->expiring_before) != 10 || isotime_parse_date(q->expiring_before, 10, &d)))
		return err_set(e, ERR_INVALID, "--expiring-before %1$s: 日付（YYYY-MM-DD）ではありません / --expiring-before "
		               "%1$s is not a date (YYYY-MM-DD)", q->expiring_before);
	if (q->limit < 0 || q->offset < 0)
		return err_set(e, ERR_INVALID, "--limit, --offset: 0 以上です / --limit and --offset are 0 or more");
	memset(&sq, 0, sizeof(sq));
	sq.kind = "app";
	if (q->state) {
		for (i = 0; i < sizeof(with_closed) / sizeof(with_closed[0]) && strcmp(with_closed[i], q->state); i++)
			;
		if (i == sizeof(with_closed) / sizeof(with_closed[0]))
			return err_set(e, ERR_INVALID, "--state %1$s: 台帳の状態ではありません（approved, in-use, end-reported, "
			               "deletion-confirmed, closed） / --state %1$s is not a ledger state (approved, in-use, "
			               "end-reported, deletion-confirmed, closed)", q->state);
		one[0] = q->state;
		sq.states = one;
		sq.nstates = 1;
	} else {
		sq.states = q->history ? with_closed : ledger_states;
		nstates = q->history ? 5 : 4;
		sq.nstates = nstates;
	}
	sq.eq.dept = q->dept;
	sq.eq.level = q->level;
	sq.provider_part = q->provider;
	sq.due_before = q->expiring_before;
	if ((rc = store_record_count(dep->s, &sq, &total, e)))
		return rc;
	sq.offset = q->offset;
	sq.limit = q->limit;
	memset(&l, 0, sizeof(l));
	l.dep = dep;
	l.a = a;
	l.q = q;
	l.b = &b;
	app_review_settings_of(dep->cfg, &l.set);
	vb_init(&b, a);
	vb_obj(&b);
	vb_key(&b, "filters");
	vb_obj(&b);
	vb_kstr(&b, "dept", q->dept);
	vb_kstr(&b, "level", q->level);
	vb_kstr(&b, "provider", q->provider);
	vb_kstr(&b, "state", q->state);
	vb_kstr(&b, "expiring_before", q->expiring_before);
	vb_kbool(&b, "history", q->history);
	vb_end(&b);
	vb_key(&b, "states");
	vb_strs(&b, sq.states, sq.nstates);
	vb_kint(&b, "total", total);
	vb_kint(&b, "offset", q->offset);
	vb_kint(&b, "limit", q->limit);
	vb_key(&b, "rows");
	vb_arr(&b);
	{
		struct store_record *recs;
		size_t nrec;

		if ((rc = app_record_collect(dep->s, a, &sq, &recs, &nrec, e)))
			return rc;
		for (i = 0; i < nrec; i++)
			if ((rc = row_one(&l, &recs[i], e)))
				return rc;
	}
	vb_end(&b);
	vb_kint(&b, "count", (long long)l.n);
	vb_init(&cb, a);
	vb_arr(&cb);
	for (i = 0; i < l.nlabels; i++)
		vb_str(&cb, l.labels[i]);
	vb_end(&cb);
	vb_key(&b, "columns");
	vb_val(&b, vb_done(&cb));
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
}
