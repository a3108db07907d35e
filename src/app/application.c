/* Applications through their life (app/application.h, docs/applications.md):
 * the state machine as one table of transitions, each with its states, who
 * may take it and what it checks and changes; the record's body kept as an
 * ordered list of members that each transition rewrites whole, as a new
 * version, with its audit entry, in one transaction. */
#include "app/application.h"

#include <string.h>

#include "app/binding.h"
#include "app/packs.h"
#include "app/profiles.h"
#include "app/recfacts.h"
#include "app/review.h"
#include "assess/assess.h"
#include "assess/assess_model.h"
#include "assess/profile.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/file.h"
#include "core/isotime.h"
#include "core/utf8.h"
#include "logic/json.h"
#include "logic/vb.h"

/* ------------------------------------------------------------ names */

static const char *const state_names[AS_COUNT] = {
	"draft", "submitted", "in-consultation", "approved", "returned", "rejected",
	"in-use", "end-reported", "deletion-confirmed", "closed", "notified",
};
static const char *const state_ja[AS_COUNT] = {
	"下書き", "提出済", "協議中", "承認済", "差戻し", "却下",
	"利用中", "終了報告済", "削除確認済", "完了", "届出済",
};
static const char *const action_names[AA_COUNT] = {
	"create", "update", "submit", "comment", "approve", "return", "reject",
	"start", "end", "confirm-deletion", "close",
};
static const char *const action_ja[AA_COUNT] = {
	"作成", "修正", "提出", "意見", "承認", "差戻し", "却下",
	"利用開始", "利用終了の報告", "データ削除の確認", "完了",
};

const char *app_state_name(int s) { return s >= 0 && s < AS_COUNT ? state_names[s] : ""; }
const char *app_state_ja(int s) { return s >= 0 && s < AS_COUNT ? state_ja[s] : ""; }
const char *app_action_name(int act) { return act >= 0 && act < AA_COUNT ? action_names[act] : ""; }
const char *app_action_ja(int act) { return act >= 0 && act < AA_COUNT ? action_ja[act] : ""; }

int app_state_of(const char *name)
{
	char norm[32];
	size_t i, n;
	int s;

	if (!name || (n = strlen(name)) >= sizeof(norm))
		return -1;
	for (i = 0; i <= n; i++)
		norm[i] = name[i] == '_' ? '-' : name[i];
	for (s = 0; s < AS_COUNT; s++)
		if (!strcmp(norm, state_names[s]))
			return s;
	return -1;
}

const char *app_state_list(void)
{
	return "draft, submitted, in-consultation, approved, returned, rejected, in-use, end-reported, "
	       "deletion-confirmed, closed, notified";
}

/* ------------------------------------------------------------ the transaction's context */

struct new_task {
	const struct lval *step;     /* the step of the snapshot's procedure */
	const char **owners;
	size_t nowners;
};

struct app_tx {
	struct app_deploy *dep;
	struct arena *a;
	const struct app_actor *who;
	const struct app_request *rq;
	const struct app_transition *tr;
	struct diag *why;
	struct app_result *res;
	/* the record */
	const char *id;
	struct store_record rec;     /* the newest version (not for create) */
	const char *before;          /* its body, for the audit entry */
	const char **keys;           /* the body's members, in order */
	const struct lval **vals;
	size_t n, cap;
	int state, to;
	struct app_user applicant;
	const struct policy *p;      /* the pack as loaded now (for the bindings) */
	const struct lval *snap;     /* the snapshot of the submission, or NULL */
	const struct lval *proc;     /* the snapshot's procedure, or NULL */
	const char *now, *today;
	/* what the transition adds */
	struct new_task *tasks;
	size_t ntasks, tcap;
	const char **as;             /* the parties a comment speaks for */
	size_t nas;
	const char *date;            /* the date the action names (start, end, confirm-deletion) */
};

/* ------------------------------------------------------------ the body */

static const struct lval *str_v(struct arena *a, const char *s)
{
	return s ? lval_str(a, s, strlen(s)) : LV_NULLV;
}

static const struct lval *member(const struct app_tx *t, const char *k)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->keys[i], k))
			return t->vals[i];
	return NULL;
}

static const char *member_str(const struct app_tx *t, const char *k)
{
	const struct lval *v = member(t, k);

	return v && v->type == LV_STR ? v->u.str : "";
}

static void set(struct app_tx *t, const char *k, const struct lval *v)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->keys[i], k)) {
			t->vals[i] = v ? v : LV_NULLV;
			return;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;

		t->keys = arena_realloc(t->a, t->keys, t->cap * sizeof(*t->keys), cap * sizeof(*t->keys));
		t->vals = arena_realloc(t->a, t->vals, t->cap * sizeof(*t->vals), cap * sizeof(*t->vals));
		t->cap = cap;
	}
	t->keys[t->n] = arena_strdup(t->a, k);
	t->vals[t->n++] = v ? v : LV_NULLV;
}

static void set_str(struct app_tx *t, const char *k, const char *s)
{
	set(t, k, str_v(t->a, s));
}

static const struct lval *body_model(const struct app_tx *t)
{
	struct vb b;
	size_t i;

	vb_init(&b, t->a);
	vb_obj(&b);
	for (i = 0; i < t->n; i++) {
		vb_key(&b, t->keys[i]);
		vb_val(&b, t->vals[i]);
	}
	vb_end(&b);
	return vb_done(&b);
}

static const char *json_text(struct arena *a, const struct lval *v, struct err *e)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (lval_write_json(&b, v)) {
		buf_free(&b);
		err_set(e, ERR_TOOLARGE, "申請の記録が大きすぎます / the application's record is too large");
		return NULL;
	}
	s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

static const struct lval *push(struct arena *a, const struct lval *arr, const struct lval *v)
{
	size_t n = arr && arr->type == LV_ARR ? arr->n : 0, i;
	struct lval *x = lval_arr(a, n + 1);

	for (i = 0; i < n; i++)
		x->u.arr[i] = arr->u.arr[i];
	x->u.arr[n] = v;
	return x;
}

static const struct lval *arr_of(const struct lval *o, const char *k)
{
	const struct lval *v = vb_get(o, k);

	return v && v->type == LV_ARR ? v : NULL;
}

#define EACH(i, arr) for (i = 0; (arr) && i < (arr)->n; i++)

/* ------------------------------------------------------------ inputs */

/* A text argument: UTF-8, at most APP_TEXT_MAX bytes, no control character
 * but a line break or a tab. */
static int check_text(const char *what, const char *s, int required, struct err *e)
{
	size_t i, n, bad;

	if (!s || !*s)
		return required ? err_set(e, ERR_INVALID, "%1$s が要ります / %1$s is required", what) : OK;
	n = strlen(s);
	if (n > APP_TEXT_MAX)
		return err_set(e, ERR_INVALID, "%1$s が長すぎます（%2$d バイトまで） / %1$s is longer than %2$d bytes", what,
		               APP_TEXT_MAX);
	if (!utf8_valid(s, n, &bad))
		return err_set(e, ERR_INVALID, "%1$s が UTF-8 ではありません（%2$zu バイト目） / %1$s is not UTF-8 (byte %2$zu)",
		               what, bad + 1);
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f)
			return err_set(e, ERR_INVALID, "%1$s に制御文字があります / %1$s has a control character", what);
	return OK;
}

/* A date YYYY-MM-DD, checked as a calendar date. */
static int check_date(const char *what, const char *s, int64_t *days, struct err *e)
{
	int64_t d;

	if (!s || strlen(s) != 10 || isotime_parse_date(s, 10, &d))
		return err_set(e, ERR_INVALID, "%1$s '%2$s' は日付（YYYY-MM-DD）ではありません / %1$s '%2$s' is not a date "
		               "(YYYY-MM-DD)", what, s ? s : "");
	if (days)
		*days = d;
	return OK;
}

/* The date part of a date or an ISO time, as days; -1 when there is none. */
static int64_t days_of(const char *s)
{
	int64_t d;

	if (!s || strlen(s) < 10 || isotime_parse_date(s, 10, &d))
		return -1;
	return d;
}

/* ------------------------------------------------------------ the parties */

static int unspecified(const char *s)
{
	return !s || !*s || !strcmp(s, "unspecified");
}

/* The approver the snapshot's procedure names ("" when none: the pack
 * leaves it unspecified). */
static const char *approver_text(const struct app_tx *t)
{
	const char *s = t->proc ? vb_get_str(t->proc, "approver", "") : "";

	return unspecified(s) ? "" : s;
}

/* The parties consulted, each once: the procedure's consultees as the
 * assessment gives them (those of the consultations this application takes,
 * not those an exemption skips). */
static const char **consult_parties(struct arena *a, const struct lval *proc, size_t *n)
{
	const struct lval *cs = proc ? arr_of(proc, "consultees") : NULL;
	const char **out;
	size_t i, k, m = 0;

	out = arena_alloc(a, (cs && cs->n ? cs->n : 1) * sizeof(*out));
	EACH(i, cs) {
		const char *w = cs->u.arr[i]->type == LV_STR ? cs->u.arr[i]->u.str : "";

		for (k = 0; k < m && strcmp(out[k], w); k++)
			;
		if (k == m && !unspecified(w))
			out[m++] = w;
	}
	*n = m;
	return out;
}

/* Is login among those party resolves to? 1, 0; unbound: 0 and the reason in e. */
static int party_has(struct app_tx *t, const char *party, const char *login, struct err *e)
{
	int r;

	if (!t->p) {
		err_set(e, ERR_NOTFOUND, "基準 '%1$s' が読み込まれていません / the pack '%1$s' is not loaded",
		        member_str(t, "pack"));
		return 0;
	}
	err_clear(e);
	r = app_binding_has(t->dep, t->a, t->p, party, &t->applicant, login, e);
	return r > 0;
}

/* The logins party resolves to, as "a, b" (or the reason it resolves to nobody). */
static const char *party_users(struct app_tx *t, const char *party, int *ok)
{
	const char **logins;
	size_t n, i;
	struct err e = { 0 };
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32];
	const char *s = "";

	*ok = 0;
	if (!t->p)
		return "";
	if (app_binding_resolve(t->dep, t->a, t->p, party, &t->applicant, &logins, &n, &e))
		return arena_strdup(t->a, err_text(&e, text, sizeof(text)));
	for (i = 0; i < n; i++)
		s = arena_printf(t->a, "%s%s%s", s, i ? ", " : "", logins[i]);
	*ok = 1;
	return s;
}

static const char *manager_login(const struct app_tx *t)
{
	const struct lval *m = member(t, "manager");

	return m && m->type == LV_OBJ ? app_jstr(m, "login") : "";
}

/* ------------------------------------------------------------ who may */

static int rel_holds(struct app_tx *t, const struct app_who *w, struct err *e)
{
	const char *login = t->who->user.login;
	const char **cs;
	size_t i, n;

	if (w->role >= 0 && t->who->user.role != w->role)
		return 0;
	switch (w->rel) {
	case REL_ANY:
		return 1;
	case REL_OWNER:
		return t->rec.id ? !strcmp(login, t->rec.keys.owner) : 1;
	case REL_MANAGER:
		return *manager_login(t) && !strcmp(login, manager_login(t));
	case REL_APPROVER:
		if (!*approver_text(t))
			return 1;   /* the pack names no approver: the deployment's approvers decide */
		return party_has(t, approver_text(t), login, e);
	case REL_CONSULTEE:
		cs = consult_parties(t->a, t->proc, &n);
		for (i = 0; i < n; i++)
			if (party_has(t, cs[i], login, e))
				return 1;
		return 0;
	default:
		return 0;
	}
}

static int who_may(struct app_tx *t, int stage, struct err *e)
{
	const struct app_transition *tr = t->tr;
	const struct app_user *u = &t->who->user;
	struct err last = { 0 };
	size_t i;
	int possible = 0;

	for (i = 0; i < APP_WHO_MAX && tr->who[i].rel; i++)
		if (tr->who[i].role < 0 || tr->who[i].role == u->role)
			possible = 1;
	if (stage == 0) {
		if (possible)
			return OK;
		return err_set(e, ERR_FORBIDDEN, "%1$s（%2$s）は「%3$s」できません。できるのは %4$s です / %1$s (%5$s) may "
		               "not %6$s: %7$s may", u->login, app_role_ja(u->role), app_action_ja(tr->action), tr->who_ja,
		               app_role_name(u->role), app_action_name(tr->action), tr->who_en);
	}
	for (i = 0; i < APP_WHO_MAX && tr->who[i].rel; i++) {
		struct err one = { 0 };

		if (rel_holds(t, &tr->who[i], &one))
			return OK;
		if (one.msg[0])
			last = one;
	}
	if (last.msg[0])
		diag_add(t->why, "", 0, 0, "%s", last.msg);
	if (possible && *approver_text(t) && (tr->who[0].rel == REL_APPROVER)) {
		int ok;
		const char *users = party_users(t, approver_text(t), &ok);

		return err_set(e, ERR_FORBIDDEN, "%1$s は申請 %2$s の決裁者「%3$s」に割り当てられていません（%4$s） / %1$s is "
		               "not bound to application %2$s's approver '%3$s' (%5$s)", u->login, t->id, approver_text(t),
		               ok ? arena_printf(t->a, "割り当て: %s", users) : users,
		               ok ? arena_printf(t->a, "bound: %s", users) : users);
	}
	return err_set(e, ERR_FORBIDDEN, "%1$s は申請 %2$s を「%3$s」できません。できるのは %4$s です / %1$s may not %5$s "
	               "application %2$s: %6$s may", u->login, t->id, app_action_ja(tr->action), tr->who_ja,
	               app_action_name(tr->action), tr->who_en);
}

static int state_ok(struct app_tx *t, struct err *e)
{
	const struct app_transition *tr = t->tr;
	const char *ja = "", *en = "";
	int s;

	if (tr->from & (1u << t->state))
		return OK;
	for (s = 0; s < AS_COUNT; s++)
		if (tr->from & (1u << s)) {
			ja = arena_printf(t->a, "%s%s%s", ja, *ja ? "・" : "", state_ja[s]);
			en = arena_printf(t->a, "%s%s%s", en, *en ? ", " : "", state_names[s]);
		}
	return err_set(e, ERR_FORBIDDEN, "申請 %1$s は「%2$s」のため「%3$s」できません（できるのは %4$s のとき） / "
	               "application %1$s is %5$s: %6$s is taken only when it is %7$s", t->id, state_ja[t->state],
	               app_action_ja(tr->action), ja, state_names[t->state], app_action_name(tr->action), en);
}

/* ------------------------------------------------------------ assessing */

struct assessed {
	const struct lval *model;    /* assess_model: the whole assessment */
	const struct lval *facts;
	const struct lval *application;
	struct app_profile prof;
	struct profile_app app;
};

static void why_diag(struct app_tx *t, const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		diag_add(t->why, "", 0, 0, "%s", d->items[i].text);
}

/* Assess the application text against the pack at the level (NULL: the
 * application's app.classification, else fallback), with the profile's
 * version (0: the newest). */
static int assess_text(struct app_tx *t, const char *profile_id, long long version, const char *pack,
                       const char *level, const char *fallback, const char *file, const char *text, size_t len,
                       struct assessed *out, struct err *e)
{
	struct app_deploy *dep = t->dep;
	struct profile_env env = { dep->set, dep->countries, NULL, NULL };
	struct assess_request rq = { 0 };
	struct diag err = { 0 }, warn = { 0 };
	struct vb b;
	const char *lv;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!policy_find(dep->set, pack)) {
		const char *ids = "";
		size_t i;

		for (i = 0; i < dep->set->npacks; i++)
			ids = arena_printf(t->a, "%s%s%s", ids, i ? ", " : "", dep->set->packs[i]->id);
		return err_set(e, ERR_NOTFOUND, "基準 '%1$s' はありません（基準: %2$s） / no pack '%1$s' (packs: %2$s)", pack, ids);
	}
	rc = app_profile_get(dep, t->a, profile_id, version, &out->prof, e);
	if (rc)
		return rc;
	if (profile_app_load_text(t->a, &env, file, text, len, &out->app, &err, &warn) || err.n) {
		why_diag(t, &err);
		diag_free(&err);
		diag_free(&warn);
		return err_set(e, ERR_INVALID, "%1$s: 申請ファイルに誤りがあります（何も変えていません） / %1$s: the application "
		               "file has mistakes (nothing was changed)", file);
	}
	diag_free(&warn);
	rq.set = dep->set;
	rq.profile = out->prof.doc;
	rq.app = &out->app;
	rq.policy = pack;
	rq.level = level ? level : profile_app_level(&out->app, pack) ? NULL : fallback;
	if ((rc = assess_evaluate(t->a, &rq, &out->model, &err, &warn))) {
		why_diag(t, &err);
		diag_free(&err);
		diag_free(&warn);
		return err_set(e, ERR_INVALID, "%1$s: 審査できません（何も変えていません） / %1$s cannot be assessed (nothing was "
		               "changed)", file);
	}
	diag_free(&err);
	diag_free(&warn);
	lv = vb_get_str(out->model, "level", "");
	out->facts = profile_facts_for(t->a, out->prof.doc, &out->app, lv);
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_key(&b, "app");
	vb_val(&b, out->app.app ? out->app.app : LV_NULLV);
	vb_key(&b, "answers");
	vb_val(&b, out->app.answers ? out->app.answers : LV_NULLV);
	vb_key(&b, "risks");
	vb_val(&b, out->app.risks ? out->app.risks : LV_NULLV);
	vb_kstr(&b, "answered_by", out->app.answered_by);
	vb_kstr(&b, "answered_at", out->app.answered_at);
	vb_end(&b);
	out->application = vb_done(&b);
	return OK;
}

static int is_status(const struct lval *o, const char *const *names)
{
	const char *s = vb_get_str(o, "status", "");
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return 1;
	return 0;
}

/* The items that keep the assessment from conforming: required criteria and
 * groups not met, required risks not decided, prohibitions that hold or may. */
static const struct lval *open_items(struct arena *a, const struct lval *m)
{
	static const char *const open[] = { "unmet", "unknown", "manual", NULL };
	const struct lval *fs = arr_of(m, "findings"), *gs = arr_of(m, "groups"), *rs = arr_of(m, "risks");
	const struct lval *ps = arr_of(m, "prohibitions");
	struct vb b;
	size_t i;

	vb_init(&b, a);
	vb_arr(&b);
	EACH(i, fs) {
		const struct lval *f = fs->u.arr[i];

		if (strcmp(vb_get_str(f, "obligation", ""), "required") || !is_status(f, open))
			continue;
		vb_obj(&b);
		vb_kstr(&b, "kind", "criterion");
		vb_kstr(&b, "id", vb_get_str(f, "id", ""));
		vb_kstr(&b, "title", vb_get_str(f, "title", ""));
		vb_kstr(&b, "status", vb_get_str(f, "status", ""));
		vb_kstr(&b, "status_ja", vb_get_str(f, "status_ja", ""));
		vb_kstr(&b, "reason", vb_get_str(f, "reason", ""));
		vb_key(&b, "deciding");
		vb_val(&b, arr_of(f, "deciding") ? arr_of(f, "deciding") : lval_arr(a, 0));
		vb_end(&b);
	}
	EACH(i, gs) {
		const struct lval *g = gs->u.arr[i];

		if (strcmp(vb_get_str(g, "obligation", ""), "required") || !is_status(g, open))
			continue;
		vb_obj(&b);
		vb_kstr(&b, "kind", "group");
		vb_kstr(&b, "id", vb_get_str(g, "id", ""));
		vb_kstr(&b, "title", vb_get_str(g, "title", ""));
		vb_kstr(&b, "status", vb_get_str(g, "status", ""));
		vb_kstr(&b, "status_ja", vb_get_str(g, "status_ja", ""));
		vb_kstr(&b, "reason", vb_get_str(g, "reason", ""));
		vb_key(&b, "deciding");
		vb_val(&b, arr_of(g, "deciding") ? arr_of(g, "deciding") : lval_arr(a, 0));
		vb_end(&b);
	}
	EACH(i, rs) {
		const struct lval *r = rs->u.arr[i];

		if (strcmp(vb_get_str(r, "obligation", ""), "required") ||
		    (strcmp(vb_get_str(r, "status", ""), "pending") && strcmp(vb_get_str(r, "status", ""), "rejected")))
			continue;
		vb_obj(&b);
		vb_kstr(&b, "kind", "risk");
		vb_kstr(&b, "id", vb_get_str(r, "id", ""));
		vb_kstr(&b, "title", vb_get_str(r, "title", ""));
		vb_kstr(&b, "status", vb_get_str(r, "status", ""));
		vb_kstr(&b, "status_ja", !strcmp(vb_get_str(r, "status", ""), "pending") ? "判断待ち" : "受容しない");
		vb_kstr(&b, "reason", !strcmp(vb_get_str(r, "status", ""), "pending") ? "リスクの判断が要ります（risks:）"
		                                                                      : "リスクを受容しないと判断された");
		vb_key(&b, "deciding");
		vb_val(&b, lval_arr(a, 0));
		vb_end(&b);
	}
	EACH(i, ps) {
		const struct lval *h = ps->u.arr[i];

		vb_obj(&b);
		vb_kstr(&b, "kind", "prohibition");
		vb_kstr(&b, "id", vb_get_str(h, "id", ""));
		vb_kstr(&b, "title", vb_get_str(h, "text", ""));
		vb_kstr(&b, "status", vb_get_str(h, "status", "holds"));
		vb_kstr(&b, "status_ja", !strcmp(vb_get_str(h, "status", "holds"), "unknown") ? "未確認" : "該当");
		vb_kstr(&b, "reason", vb_get_str(h, "text", ""));
		vb_key(&b, "deciding");
		vb_val(&b, arr_of(h, "deciding") ? arr_of(h, "deciding") : lval_arr(a, 0));
		vb_end(&b);
	}
	vb_end(&b);
	return vb_done(&b);
}

/* The body's "assessment": what the last create or update found. */
static const struct lval *summary(struct app_tx *t, const struct assessed *x)
{
	const struct lval *m = x->model, *proc = vb_get(m, "procedure"), *xs = arr_of(m, "exemptions");
	struct vb b;
	size_t i;

	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "verdict", vb_get_str(m, "verdict", ""));
	vb_kstr(&b, "verdict_ja", vb_get_str(m, "verdict_ja", ""));
	vb_kstr(&b, "reason", vb_get_str(m, "reason", ""));
	vb_kstr(&b, "level", vb_get_str(m, "level", ""));
	vb_kstr(&b, "level_name", vb_get_str(m, "level_name", ""));
	vb_key(&b, "open");
	vb_val(&b, open_items(t->a, m));
	vb_key(&b, "exemptions");
	vb_arr(&b);
	EACH(i, xs)
		vb_str(&b, vb_get_str(xs->u.arr[i], "id", ""));
	vb_end(&b);
	vb_key(&b, "notification");
	vb_val(&b, vb_get(m, "notification") ? vb_get(m, "notification") : LV_NULLV);
	vb_kstr(&b, "procedure", proc && proc->type == LV_OBJ ? vb_get_str(proc, "id", "") : NULL);
	vb_kstr(&b, "next_step", proc && proc->type == LV_OBJ ? vb_get_str(proc, "next_step", "") : NULL);
	vb_key(&b, "profile");
	vb_obj(&b);
	vb_kstr(&b, "id", x->prof.id);
	vb_kint(&b, "version", x->prof.version);
	vb_end(&b);
	vb_kstr(&b, "at", t->now);
	vb_kstr(&b, "by", t->who->user.login);
	vb_end(&b);
	return vb_done(&b);
}

/* Is value one of the risk's accept options in pack p? */
static int risk_accepts(const struct policy *p, const char *risk, const char *value)
{
	long ri = p ? policy_risk_index(p, risk) : -1;
	size_t i;

	for (i = 0; ri >= 0 && i < p->risks[ri].naccept; i++)
		if (!strcmp(p->risks[ri].accept[i], value))
			return 1;
	return 0;
}

/* The manual answers and risk decisions, each with who gave it and when:
 * kept from the version before when unchanged, else the actor and now. */
static const struct lval *decisions(struct app_tx *t, const struct assessed *x)
{
	const struct lval *prev = member(t, "decisions");
	const char *pack = member_str(t, "pack");
	const struct policy *p = policy_find(t->dep->set, pack);
	struct vb b;
	int k;
	size_t i, j;

	vb_init(&b, t->a);
	vb_arr(&b);
	for (k = 0; k < 2; k++) {
		const struct lval *per = assess_answers_for(k ? x->app.risks : x->app.answers, pack);

		for (i = 0; per && per->type == LV_OBJ && i < per->n; i++) {
			const char *id = lval_obj_key(per, i);
			const struct lval *v = lval_obj_val(per, i);
			const char *value = v->type == LV_STR ? v->u.str : "";
			const struct lval *old = NULL;

			EACH(j, prev && prev->type == LV_ARR ? prev : NULL) {
				const struct lval *d = prev->u.arr[j];

				if (!strcmp(app_jstr(d, "kind"), k ? "risk" : "answer") && !strcmp(app_jstr(d, "id"), id) &&
				    !strcmp(app_jstr(d, "value"), value))
					old = d;
			}
			if (old) {
				vb_val(&b, old);
				continue;
			}
			vb_obj(&b);
			vb_kstr(&b, "kind", k ? "risk" : "answer");
			vb_kstr(&b, "id", id);
			vb_kstr(&b, "value", value);
			if (k) {
				vb_kbool(&b, "accepted", risk_accepts(p, id, value));
				vb_key(&b, "until");     /* set at approval: the first review, where it is decided again */
				vb_null(&b);
			}
			vb_kstr(&b, "by", t->who->user.login);
			vb_kstr(&b, "at", t->now);
			vb_kstr(&b, "answered_by", x->app.answered_by);
			vb_kstr(&b, "answered_at", x->app.answered_at);
			vb_end(&b);
		}
	}
	vb_end(&b);
	return vb_done(&b);
}

/* The members a create or update takes from the assessment. */
static void take_assessment(struct app_tx *t, const struct assessed *x)
{
	set_str(t, "level", vb_get_str(x->model, "level", ""));
	set_str(t, "level_name", vb_get_str(x->model, "level_name", ""));
	{
		struct vb b;

		vb_init(&b, t->a);
		vb_obj(&b);
		vb_kstr(&b, "id", x->prof.id);
		vb_kint(&b, "version", x->prof.version);
		vb_kstr(&b, "provider", x->prof.provider);
		vb_kstr(&b, "name", x->prof.name);
		vb_end(&b);
		set(t, "profile", vb_done(&b));
	}
	set_str(t, "file", t->rq->file);
	set(t, "application", x->application);
	set(t, "source", lval_str(t->a, t->rq->text, t->rq->len));
	set(t, "facts", x->facts);
	set(t, "assessment", summary(t, x));
	set(t, "decisions", decisions(t, x));
}

/* ------------------------------------------------------------ history */

/* The comments on the consultation since the last submission: for each
 * party consulted, the comments that speak for it. */
static int commented(const struct app_tx *t, const char *party)
{
	const struct lval *h = member(t, "history");
	size_t i, j;

	for (i = h && h->type == LV_ARR ? h->n : 0; i-- > 0;) {
		const struct lval *en = h->u.arr[i], *as = arr_of(en, "as");

		if (!strcmp(app_jstr(en, "action"), "submit"))
			return 0;
		if (strcmp(app_jstr(en, "action"), "comment"))
			continue;
		EACH(j, as)
			if (as->u.arr[j]->type == LV_STR && !strcmp(as->u.arr[j]->u.str, party))
				return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ ready: what the application must be */

static int verdict_is(const char *v, const char *name)
{
	return !strcmp(v, name);
}

static int ready_submit(struct app_tx *t, struct err *e)
{
	const struct lval *as = member(t, "assessment"), *open = arr_of(as, "open");
	const char *v = vb_get_str(as, "verdict", "");
	size_t i;

	if (!verdict_is(v, "incomplete"))
		return OK;
	EACH(i, open) {
		const struct lval *it = open->u.arr[i];

		diag_add(t->why, "", 0, 0, "%s %s（%s）: %s", app_jstr(it, "id"), app_jstr(it, "title"), app_jstr(it, "status_ja"),
		         app_jstr(it, "reason"));
	}
	return err_set(e, ERR_FORBIDDEN, "申請 %1$s は判定が「要確認」のため提出できません。未確認の項目 %2$zu 件に答えて（app "
	               "update）から提出してください / application %1$s is incomplete: answer its %2$zu open items (app update) "
	               "before submitting it", t->id, open ? (size_t)open->n : 0);
}

/* The profile must not have changed since the assessment the snapshot holds. */
static int profile_unchanged(struct app_tx *t, const struct lval *prof, struct err *e)
{
	struct app_profile now;
	const char *id = app_jstr(prof, "id");
	long long v = (long long)lval_to_number(vb_get(prof, "version"));
	int rc;

	if ((rc = app_profile_get(t->dep, t->a, id, 0, &now, e)))
		return rc;
	if (now.version == v)
		return OK;
	return err_set(e, ERR_FORBIDDEN, "サービスのプロファイル %1$s が審査の後に更新されています（版 %2$lld → %3$lld）。申請を"
	               "修正して審査し直してください（提出後なら差し戻してから） / profile %1$s changed after the assessment "
	               "(version %2$lld → %3$lld): update the application to assess it again (after submission: return it "
	               "first)", id, v, now.version);
}

static int ready_approve(struct app_tx *t, struct err *e)
{
	const struct lval *m = t->snap ? vb_get(t->snap, "assessment") : NULL;
	const char *v = vb_get_str(m, "verdict", "");
	const char **cs;
	size_t i, n, missing = 0;
	int rc;

	if (!m)
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s には提出時の記録がありません / application %1$s has no snapshot of "
		               "its submission", t->id);
	cs = consult_parties(t->a, t->proc, &n);
	if (verdict_is(v, "consultation") && (!n || t->state != AS_IN_CONSULTATION))
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s の判定は「協議要」ですが、手続に協議がありません。差し戻すか却下して"
		               "ください / application %1$s needs a consultation that its procedure does not hold: return or "
		               "reject it", t->id);
	if (!verdict_is(v, "conforming") && !verdict_is(v, "exempt") && !verdict_is(v, "consultation"))
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s の提出時の判定は「%2$s」のため承認できません。差し戻すか却下して"
		               "ください / application %1$s was submitted %3$s: it can only be returned or rejected, never "
		               "approved", t->id, vb_get_str(m, "verdict_ja", v), v);
	if (t->state == AS_IN_CONSULTATION)
		for (i = 0; i < n; i++)
			if (!commented(t, cs[i])) {
				diag_add(t->why, "", 0, 0, "協議先「%s」の意見がまだありません / no comment yet from '%s'", cs[i],
				         cs[i]);
				missing++;
			}
	if (missing)
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s の協議が済んでいません: 協議先 %2$zu 者の意見がありません（app comment） "
		               "/ application %1$s is still in consultation: %2$zu consulted parties have not commented (app "
		               "comment)", t->id, missing);
	if ((rc = profile_unchanged(t, vb_get(t->snap, "profile"), e)))
		return rc;
	return OK;
}

/* ------------------------------------------------------------ tasks */

static void add_task(struct app_tx *t, const struct lval *step, const char **owners, size_t n)
{
	if (t->ntasks == t->tcap) {
		size_t cap = t->tcap ? 2 * t->tcap : 8;

		t->tasks = arena_realloc(t->a, t->tasks, t->tcap * sizeof(*t->tasks), cap * sizeof(*t->tasks));
		t->tcap = cap;
	}
	t->tasks[t->ntasks].step = step;
	t->tasks[t->ntasks].owners = owners;
	t->tasks[t->ntasks++].nowners = n;
}

/* The steps of the procedure taken at `at` that apply to this application. */
static int step_applies(const struct lval *s, const char *at)
{
	const struct lval *ap = vb_get(s, "applies");

	return !strcmp(vb_get_str(s, "at", ""), at) && (!ap || lval_truthy(ap));
}

/* Who owns a step's task: those its actor is bound to, or the applicant
 * where the pack does not say who (the department's own step). */
static int step_owners(struct app_tx *t, const struct lval *s, const char ***owners, size_t *n, struct err *e)
{
	const char *actor = vb_get_str(s, "actor", "");

	if (unspecified(actor)) {
		*owners = arena_alloc(t->a, sizeof(**owners));
		(*owners)[0] = t->applicant.login;
		*n = 1;
		return OK;
	}
	if (!t->p)
		return err_set(e, ERR_NOTFOUND, "基準 '%1$s' が読み込まれていません / the pack '%1$s' is not loaded",
		               member_str(t, "pack"));
	return app_binding_resolve(t->dep, t->a, t->p, actor, &t->applicant, owners, n, e);
}

/* Open a task for each step at `at` (skipping a step whose task is still open). */
static int open_tasks(struct app_tx *t, const char *at, struct err *e)
{
	const struct lval *ss = t->proc ? arr_of(t->proc, "steps") : NULL;
	size_t i;
	int rc;

	EACH(i, ss) {
		const struct lval *s = ss->u.arr[i];
		const char **owners;
		size_t n;

		if (!step_applies(s, at))
			continue;
		if ((rc = step_owners(t, s, &owners, &n, e)))
			return rc;
		add_task(t, s, owners, n);
	}
	return OK;
}

struct task_scan {
	const char *step;            /* count the open tasks of this step (NULL: per `any`) */
	int any;                     /* with step NULL: 1 every required task, 0 the application stage's */
	long long open;
	struct buf *ids;             /* when set: "ID（step）" of each counted task, joined by "、" */
};

static int task_scan_one(void *arg, const struct store_record *r, struct err *e)
{
	struct task_scan *x = arg;
	struct arena a;
	const struct lval *doc;

	(void)e;
	arena_init(&a, 1 << 12);
	if (!json_parse(&a, r->body, r->body_len, &doc, NULL)) {
		int required = !lval_truthy(vb_get(doc, "optional"));
		int hit = x->step  ? !strcmp(app_jstr(doc, "step"), x->step)
		          : x->any ? required
		                   : required && !strcmp(app_jstr(doc, "stage"), "application");

		if (hit) {
			if (x->ids)
				buf_addf(x->ids, "%s%s（%s）", x->open ? "、" : "", r->id, app_jstr(doc, "step"));
			x->open++;
		}
	}
	arena_release(&a);
	return OK;
}

static long long open_tasks_scan(struct app_tx *t, struct task_scan *x, struct err *e)
{
	static const char *const open[] = { "open" };
	struct store_query q = { 0 };

	q.kind = "task";
	q.eq.parent = arena_printf(t->a, "app:%s", t->id);
	q.states = open;
	q.nstates = 1;
	if (store_record_find(t->dep->s, &q, task_scan_one, x, e))
		return -1;
	return x->open;
}

static long long open_task_count(struct app_tx *t, const char *step, struct err *e)
{
	struct task_scan x = { step, 0, 0, NULL };

	return open_tasks_scan(t, &x, e);
}

static int write_tasks(struct app_tx *t, struct err *e)
{
	char due[ISOTIME_BUFSZ];
	size_t i;
	int rc;
	/* the pack states no date for a step: the deployment's task_due_days */
	long long days = t->dep->cfg && t->dep->cfg->task_due_days ? t->dep->cfg->task_days : CONFIG_DEFAULT_TASK_DAYS;

	t->res->tasks = arena_alloc(t->a, (t->ntasks ? t->ntasks : 1) * sizeof(*t->res->tasks));
	isotime_date_jst(isotime_now() + days * 86400, due);
	for (i = 0; i < t->ntasks; i++) {
		const struct lval *s = t->tasks[i].step;
		struct store_record r = { 0 };
		long long num;
		const char *body;
		struct vb b;
		long long open;

		open = open_task_count(t, vb_get_str(s, "id", ""), e);
		if (open < 0)
			return ERR_INTERNAL;
		if (open > 0)
			continue;   /* still open from an earlier submission */
		if ((rc = store_record_next_number(t->dep->s, "task", &num, e)))
			return rc;
		r.kind = "task";
		r.id = arena_printf(t->a, "%lld", num);
		r.number = num;
		r.version = 1;
		vb_init(&b, t->a);
		vb_obj(&b);
		vb_kstr(&b, "id", r.id);
		vb_kstr(&b, "app", t->id);
		vb_kstr(&b, "pack", member_str(t, "pack"));
		vb_kstr(&b, "step", vb_get_str(s, "id", ""));
		vb_kstr(&b, "text", vb_get_str(s, "text", ""));
		vb_kstr(&b, "ref", vb_get_str(s, "ref", NULL));
		vb_kstr(&b, "stage", vb_get_str(s, "at", ""));
		vb_kbool(&b, "optional", lval_truthy(vb_get(s, "optional")));
		vb_kstr(&b, "actor", vb_get_str(s, "actor", "unspecified"));
		vb_kstr(&b, "owner", t->tasks[i].owners[0]);
		vb_key(&b, "owners");
		vb_strs(&b, t->tasks[i].owners, t->tasks[i].nowners);
		vb_kstr(&b, "due", due);
		vb_kstr(&b, "due_basis", "deployment");   /* the pack states no date: the deployment's task_due_days */
		vb_kstr(&b, "state", "open");
		vb_kstr(&b, "created_at", t->now);
		vb_kstr(&b, "created_by", t->who->user.login);
		vb_kstr(&b, "done_at", NULL);
		vb_kstr(&b, "done_by", NULL);
		vb_kstr(&b, "comment", NULL);
		vb_end(&b);
		if (!(body = json_text(t->a, vb_done(&b), e)))
			return ERR_TOOLARGE;
		r.body = body;
		r.body_len = strlen(body);
		r.keys.state = "open";
		r.keys.owner = t->tasks[i].owners[0];
		r.keys.parent = arena_printf(t->a, "app:%s", t->id);
		r.keys.pack = member_str(t, "pack");
		r.keys.due = due;
		r.at = t->now;
		rc = app_record_write(t->dep, t->who, NULL, arena_printf(t->a, "app.%s", app_action_name(t->tr->action)),
		                      &r, NULL, NULL, NULL, e);
		if (rc)
			return rc;
		t->res->tasks[t->res->ntasks++] = r.id;
	}
	return OK;
}

/* ------------------------------------------------------------ apply: each action */

static int apply_create(struct app_tx *t, struct err *e)
{
	const struct app_request *rq = t->rq;
	struct assessed x;
	long long num;
	struct vb b;
	int rc;

	if (!rq->profile || !*rq->profile)
		return err_set(e, ERR_INVALID, "--profile ID が要ります / --profile ID is required");
	if (!rq->pack || !*rq->pack)
		return err_set(e, ERR_INVALID, "--policy PACK が要ります / --policy PACK is required");
	if ((rc = assess_text(t, rq->profile, 0, rq->pack, rq->level, NULL, rq->file, rq->text, rq->len, &x, e)))
		return rc;
	if ((rc = store_record_next_number(t->dep->s, "app", &num, e)))
		return rc;
	t->id = arena_printf(t->a, "%lld", num);
	t->applicant = t->who->user;
	set_str(t, "id", t->id);
	set_str(t, "state", "draft");
	set_str(t, "route", "application");
	set_str(t, "pack", rq->pack);
	set_str(t, "level", "");
	set_str(t, "level_name", "");
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "login", t->who->user.login);
	vb_kstr(&b, "name", t->who->user.name);
	vb_kstr(&b, "dept", t->who->user.dept);
	vb_kstr(&b, "title", t->who->user.title);
	vb_end(&b);
	set(t, "applicant", vb_done(&b));
	set(t, "profile", NULL);
	set(t, "file", NULL);
	set(t, "application", NULL);
	set(t, "source", NULL);
	set(t, "facts", NULL);
	set(t, "assessment", NULL);
	set(t, "decisions", lval_arr(t->a, 0));
	set(t, "snapshot", NULL);
	set(t, "manager", NULL);
	set(t, "notification", NULL);
	set_str(t, "created_at", t->now);
	set(t, "submitted_at", NULL);
	set(t, "approved_at", NULL);
	set(t, "notified_at", NULL);
	set(t, "started_at", NULL);
	set(t, "ended_at", NULL);
	set(t, "closed_at", NULL);
	set(t, "end_report", NULL);
	set(t, "deletion", NULL);
	set(t, "history", lval_arr(t->a, 0));
	take_assessment(t, &x);
	return OK;
}

static int apply_update(struct app_tx *t, struct err *e)
{
	struct assessed x;
	const struct lval *prof = member(t, "profile");
	int rc;

	/* the level the new file names, else the one the application has */
	if ((rc = assess_text(t, app_jstr(prof, "id"), 0, member_str(t, "pack"), NULL, member_str(t, "level"),
	                      t->rq->file, t->rq->text, t->rq->len, &x, e)))
		return rc;
	take_assessment(t, &x);
	return OK;
}

/* The bindings the procedure of assessment m needs (app_binding_check_procedure),
 * with the exemptions the assessment found applying. */
static int check_bindings(struct app_tx *t, const struct lval *m, struct err *e)
{
	const struct lval *xs = arr_of(m, "exemptions");
	const char *pid = t->proc ? vb_get_str(t->proc, "id", "") : "";
	const struct policy *p = t->p;
	const struct policy_procedure *r = NULL;
	struct policy_proc_ctx ctx = { 0 };
	uint8_t *ex;
	size_t i;

	for (i = 0; i < p->nprocedures; i++)
		if (!strcmp(p->procedures[i].id, pid))
			r = &p->procedures[i];
	if (!r)
		return OK;   /* the level has no procedure: nobody to bind */
	ex = arena_zalloc(t->a, p->nexemptions ? p->nexemptions : 1);
	EACH(i, xs) {
		long x = policy_exemption_index(p, vb_get_str(xs->u.arr[i], "id", ""));

		if (x < 0)
			continue;
		ex[x] = 1;
		if (!ctx.whole && verdict_is(vb_get_str(m, "verdict", ""), "exempt") && p->exemptions[x].all) {
			ctx.whole = 1;
			ctx.whole_by = (size_t)x;
		}
	}
	ctx.exempt = ex;
	return app_binding_check_procedure(t->dep, t->a, p, r, &t->applicant, &ctx, e);
}

/* The pack's reviews for the application, from today (app/review.h), in
 * this transaction: at approval, and at a notification (届出), whose
 * service is in use as an approved one is. */
static int schedule_reviews(struct app_tx *t, int to, struct err *e)
{
	struct store_query q = { 0 };
	long long before = 0, after = 0;
	int rc;

	set_str(t, "state", state_names[to]);
	q.kind = "review";
	q.eq.parent = arena_printf(t->a, "app:%s", t->id);
	if ((rc = store_record_count(t->dep->s, &q, &before, e)))
		return rc;
	if ((rc = app_review_schedule(t->dep, t->who, t->id, body_model(t), t->today, e)))
		return rc;
	if ((rc = store_record_count(t->dep->s, &q, &after, e)))
		return rc;
	t->res->reviews = after - before;
	return OK;
}

/* The submission's snapshot (the assessment as decided on, the pack's id,
 * version and SHA-256, the profile's version) is a record of its own, kind
 * "snapshot", written once: the application's versions hold a reference to
 * it (its id and the SHA-256 of its text), so that each later step of the
 * application writes a few kilobytes, not the whole assessment again. */
static int write_snapshot(struct app_tx *t, struct err *e)
{
	struct store_record r = { 0 };
	unsigned char h[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];
	const char *body;
	long long n;
	struct vb b;
	int rc;

	if (!(body = json_text(t->a, t->snap, e)))
		return ERR_TOOLARGE;
	if ((rc = store_record_next_number(t->dep->s, "snapshot", &n, e)))
		return rc;
	r.kind = "snapshot";
	r.id = arena_printf(t->a, "%lld", n);
	r.number = n;
	r.version = 1;
	r.body = body;
	r.body_len = strlen(body);
	r.at = t->now;
	r.keys.state = "submitted";
	r.keys.owner = t->applicant.login;
	r.keys.pack = member_str(t, "pack");
	r.keys.level = member_str(t, "level");
	r.keys.parent = arena_printf(t->a, "app:%s", t->id);
	if ((rc = app_record_write(t->dep, t->who, NULL, "app.snapshot", &r, NULL, NULL, NULL, e)))
		return rc;
	crypto_sha256(body, r.body_len, h);
	crypto_hex(h, CRYPTO_SHA256_LEN, hex);
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "id", r.id);
	vb_kstr(&b, "sha256", arena_strdup(t->a, hex));
	vb_kstr(&b, "at", t->now);
	vb_kstr(&b, "by", t->who->user.login);
	vb_key(&b, "pack");
	vb_val(&b, vb_get(t->snap, "pack"));
	vb_kstr(&b, "verdict", vb_get_str(vb_get(t->snap, "assessment"), "verdict", ""));
	vb_kstr(&b, "verdict_ja", vb_get_str(vb_get(t->snap, "assessment"), "verdict_ja", ""));
	vb_end(&b);
	set(t, "snapshot", vb_done(&b));
	return OK;
}

/* The snapshot an application's version refers to, read and checked
 * against the SHA-256 the reference keeps. */
static int read_snapshot(struct app_tx *t, const struct lval *ref, struct err *e)
{
	unsigned char h[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];
	struct store_record r;
	const struct lval *doc;
	int rc;

	if ((rc = store_record_get(t->dep->s, t->a, "snapshot", app_jstr(ref, "id"), 1, &r, e)))
		return rc;
	crypto_sha256(r.body, r.body_len, h);
	crypto_hex(h, CRYPTO_SHA256_LEN, hex);
	if (strcmp(hex, app_jstr(ref, "sha256")))
		return err_set(e, ERR_INTERNAL, "申請 %1$s の審査の控え（snapshot %2$s）が、申請の記録と一致しません / the snapshot "
		               "%2$s of application %1$s does not match the SHA-256 its record keeps", t->id, r.id);
	if (json_parse(t->a, r.body, r.body_len, &doc, e) || doc->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "snapshot %s: the stored record is not a JSON object", r.id);
	t->snap = doc;
	return OK;
}

static int apply_submit(struct app_tx *t, struct err *e)
{
	const struct lval *prof = member(t, "profile"), *src = member(t, "source"), *m, *note;
	const char *sha, *v;
	struct assessed x;
	struct vb b;
	size_t n;
	int rc;

	if ((rc = profile_unchanged(t, prof, e)))
		return rc;
	/* assessed again under the pack as it is now: the snapshot is what is decided on */
	if ((rc = assess_text(t, app_jstr(prof, "id"), (long long)lval_to_number(vb_get(prof, "version")),
	                      member_str(t, "pack"), member_str(t, "level"), NULL, member_str(t, "file"),
	                      src && src->type == LV_STR ? src->u.str : "", src && src->type == LV_STR ? src->n : 0,
	                      &x, e)))
		return rc;
	m = x.model;
	set(t, "assessment", summary(t, &x));
	set(t, "facts", x.facts);
	if ((rc = ready_submit(t, e)))
		return rc;
	/* the pack's file kept once per version: what follows the decision reads it by its SHA-256 */
	if ((rc = app_pack_keep(t->dep, t->a, t->who, t->p, &sha, e)))
		return rc;
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "at", t->now);
	vb_kstr(&b, "by", t->who->user.login);
	vb_key(&b, "pack");
	vb_obj(&b);
	vb_kstr(&b, "id", t->p->id);
	vb_kstr(&b, "version", t->p->version);
	vb_kstr(&b, "sha256", sha);
	vb_kstr(&b, "level", vb_get_str(m, "level", ""));
	vb_end(&b);
	vb_key(&b, "profile");
	vb_val(&b, prof);
	vb_key(&b, "assessment");
	vb_val(&b, m);
	vb_end(&b);
	t->snap = vb_done(&b);
	t->proc = vb_get(m, "procedure");
	if (t->proc && t->proc->type != LV_OBJ)
		t->proc = NULL;
	if ((rc = write_snapshot(t, e)))
		return rc;
	set_str(t, "submitted_at", t->now);
	v = vb_get_str(m, "verdict", "");
	note = vb_get(m, "notification");
	if (note && note->type == LV_OBJ && (verdict_is(v, "exempt") || verdict_is(v, "conforming"))) {
		/* 届出: the notification takes the place of the application */
		set_str(t, "route", "notification");
		set(t, "notification", note);
		set_str(t, "notified_at", t->now);
		t->to = AS_NOTIFIED;
		return schedule_reviews(t, AS_NOTIFIED, e);
	}
	set_str(t, "route", "application");
	/* every party the procedure needs must be bound: the approver, those
	 * consulted, the actors of its steps, reviews and end-of-use items */
	if ((rc = check_bindings(t, m, e)))
		return rc == ERR_NOTFOUND ? ERR_FORBIDDEN : rc;
	consult_parties(t->a, t->proc, &n);
	t->to = n ? AS_IN_CONSULTATION : AS_SUBMITTED;
	return open_tasks(t, "application", e);
}

static int apply_comment(struct app_tx *t, struct err *e)
{
	const char **cs, *login = t->who->user.login;
	size_t i, n;
	struct err ignore = { 0 };

	(void)e;
	cs = consult_parties(t->a, t->proc, &n);
	t->as = arena_alloc(t->a, (n + 1) * sizeof(*t->as));
	for (i = 0; i < n; i++)
		if (t->who->user.role == ROLE_CONSULTEE && party_has(t, cs[i], login, &ignore))
			t->as[t->nas++] = cs[i];
	if (t->who->user.role == ROLE_APPROVER)
		t->as[t->nas++] = *approver_text(t) ? approver_text(t) : "approver";
	return OK;
}

/* The earliest due date among the application's scheduled reviews ("" when none). */
struct first_due {
	const char *due;
	struct arena *a;
};

static int first_due_one(void *arg, const struct store_record *r, struct err *e)
{
	struct first_due *x = arg;

	(void)e;
	if (r->keys.due && *r->keys.due && (!*x->due || strcmp(r->keys.due, x->due) < 0))
		x->due = arena_strdup(x->a, r->keys.due);
	return OK;
}

static int apply_approve(struct app_tx *t, struct err *e)
{
	const struct lval *ds = member(t, "decisions");
	struct first_due fd = { "", t->a };
	struct store_query q = { 0 };
	struct vb b;
	size_t i;
	int rc;

	if ((rc = open_task_count(t, NULL, e)) < 0)
		return ERR_INTERNAL;
	if (rc > 0)
		return err_set(e, ERR_FORBIDDEN, "申請 %1$s には申請時の手順のタスクが残っています（app show） / application %1$s "
		               "has open tasks of the application's steps (app show)", t->id);
	set_str(t, "approved_at", t->now);
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "login", t->applicant.login);   /* 外部サービス管理者: the applicant (乙訓 5.2(3)) */
	vb_kstr(&b, "name", t->applicant.name);
	vb_kstr(&b, "since", t->now);
	vb_end(&b);
	set(t, "manager", vb_done(&b));
	set_str(t, "state", state_names[AS_APPROVED]);
	if ((rc = open_tasks(t, "after-approval", e)))
		return rc;
	if ((rc = schedule_reviews(t, AS_APPROVED, e)))
		return rc;
	q.kind = "review";
	q.eq.parent = arena_printf(t->a, "app:%s", t->id);
	if ((rc = store_record_find(t->dep->s, &q, first_due_one, &fd, e)))
		return rc;
	/* a risk accepted holds until the first review decides it again (or the
	 * end of the period when there is no review) */
	if (ds && ds->type == LV_ARR) {
		struct lval *nd = lval_arr(t->a, ds->n);
		const char *until = *fd.due ? fd.due : NULL;
		const struct lval *facts = member(t, "facts");
		const struct lval *pe = app_fact_get(facts, "app.period_end");

		if (!until && pe && pe->type == LV_STR)
			until = pe->u.str;
		for (i = 0; i < ds->n; i++) {
			const struct lval *d = ds->u.arr[i];
			size_t k;

			nd->u.arr[i] = d;
			if (strcmp(app_jstr(d, "kind"), "risk") || !lval_truthy(vb_get(d, "accepted")))
				continue;
			vb_init(&b, t->a);
			vb_obj(&b);
			for (k = 0; k < d->n; k++) {
				vb_key(&b, lval_obj_key(d, k));
				if (!strcmp(lval_obj_key(d, k), "until"))
					vb_str(&b, until);
				else
					vb_val(&b, lval_obj_val(d, k));
			}
			vb_kstr(&b, "accepted_by", t->who->user.login);   /* the approval accepts the risk */
			vb_kstr(&b, "accepted_at", t->now);
			vb_end(&b);
			nd->u.arr[i] = vb_done(&b);
		}
		set(t, "decisions", nd);
	}
	return OK;
}

static int apply_nothing(struct app_tx *t, struct err *e)
{
	(void)t;
	(void)e;
	return OK;
}

static int apply_start(struct app_tx *t, struct err *e)
{
	int64_t d, from;
	int rc;

	t->date = t->rq->date && *t->rq->date ? t->rq->date : t->today;
	if ((rc = check_date("--date", t->date, &d, e)))
		return rc;
	from = days_of(member_str(t, t->state == AS_NOTIFIED ? "notified_at" : "approved_at"));
	if (from >= 0 && d < from)
		return err_set(e, ERR_INVALID, "利用開始日 %1$s が%2$sの日（%3$.10s）より前です / the start %1$s is before the %4$s "
		               "(%3$.10s)", t->date, t->state == AS_NOTIFIED ? "届出" : "承認",
		               member_str(t, t->state == AS_NOTIFIED ? "notified_at" : "approved_at"),
		               t->state == AS_NOTIFIED ? "notification" : "approval");
	set_str(t, "started_at", t->date);
	return OK;
}

static int apply_end(struct app_tx *t, struct err *e)
{
	const struct lval *items = t->proc ? vb_get(t->proc, "end_of_use") : NULL;
	int64_t d, from;
	struct vb b;
	int rc;

	t->date = t->rq->date;
	if (!t->date || !*t->date)
		return err_set(e, ERR_INVALID, "--date D（利用を終える日）が要ります / --date D (the day the use ends) is required");
	if ((rc = check_date("--date", t->date, &d, e)))
		return rc;
	from = days_of(member_str(t, "started_at"));
	if (from >= 0 && d < from)
		return err_set(e, ERR_INVALID, "利用終了日 %1$s が利用開始日 %2$s より前です / the end %1$s is before the start %2$s",
		               t->date, member_str(t, "started_at"));
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "date", t->date);
	vb_kstr(&b, "by", t->who->user.login);
	vb_kstr(&b, "at", t->now);
	/* what the pack asks at the end of use (安城 第5条第4項, 乙訓 5.2(5)…), as the snapshot has it */
	vb_key(&b, "items");
	vb_val(&b, items ? items : str_v(t->a, "unspecified"));
	vb_end(&b);
	set(t, "end_report", vb_done(&b));
	set_str(t, "ended_at", t->date);
	return OK;
}

/* The items judged at the end of use: the criteria the assessment left for
 * that stage (乙訓 3.5 ア〜ウ). */
static const struct lval *end_items(const struct app_tx *t)
{
	const struct lval *m = t->snap ? vb_get(t->snap, "assessment") : NULL;

	return arr_of(m, "deferred");
}

static int apply_confirm(struct app_tx *t, struct err *e)
{
	const struct app_request *rq = t->rq;
	const struct lval *items = end_items(t);
	static const char *const methods[] = { "clear", "purge", "destroy", NULL };
	static const char *const judgements[] = { "met", "unmet", "not-applicable", NULL };
	const char *method = rq->method, *contract = NULL, *valid = "";
	int64_t d, from;
	size_t i, j, k, unjudged = 0, unmet = 0;
	struct vb b;
	int rc;

	if (!method || !*method)
		return err_set(e, ERR_INVALID, "--method M（clear、purge、destroy、または contract:契約の定め）が要ります / --method M "
		               "(clear, purge, destroy, or contract:TEXT) is required");
	if (!strncmp(method, "contract:", 9)) {
		contract = method + 9;
		method = "contract";
		if ((rc = check_text("--method contract:TEXT", contract, 1, e)))
			return rc;
	} else {
		for (i = 0; methods[i] && strcmp(methods[i], method); i++)
			;
		if (!methods[i])
			return err_set(e, ERR_INVALID, "--method '%1$s' は消去の方法ではありません（NIST SP 800-88 の clear、purge、"
			               "destroy、または contract:契約の定め） / --method '%1$s' is not a method of deletion (NIST SP 800-88 "
			               "clear, purge, destroy, or contract:TEXT for what the contract says)", method);
	}
	if ((rc = check_text("--certificate", rq->certificate, 1, e)))
		return rc;
	if (!rq->date || !*rq->date)
		return err_set(e, ERR_INVALID, "--date D（消去を確かめた日）が要ります / --date D (the day of the deletion) is "
		               "required");
	if ((rc = check_date("--date", rq->date, &d, e)))
		return rc;
	from = days_of(member_str(t, "ended_at"));
	if (from >= 0 && d < from)
		return err_set(e, ERR_INVALID, "消去の日 %1$s が利用終了日 %2$s より前です / the deletion %1$s is before the end of "
		               "use %2$s", rq->date, member_str(t, "ended_at"));
	if (rq->nitems > APP_ITEMS_MAX)
		return err_set(e, ERR_INVALID, "--item が多すぎます（%1$d まで） / too many --item (at most %1$d)", APP_ITEMS_MAX);
	EACH(k, items)
		if (!strcmp(app_jstr(items->u.arr[k], "stage"), "end-of-use"))
			valid = arena_printf(t->a, "%s%s%s", valid, *valid ? ", " : "", app_jstr(items->u.arr[k], "id"));
	for (i = 0; i < rq->nitems; i++) {
		const struct app_judgement *it = &rq->items[i];

		for (k = 0; judgements[k] && strcmp(judgements[k], it->judgement ? it->judgement : ""); k++)
			;
		if (!judgements[k])
			return err_set(e, ERR_INVALID, "--item %1$s=%2$s: 判定は met、unmet、not-applicable のいずれかです / --item "
			               "%1$s=%2$s: the judgement is met, unmet or not-applicable", it->id, it->judgement);
		EACH(k, items)
			if (!strcmp(app_jstr(items->u.arr[k], "stage"), "end-of-use") &&
			    !strcmp(app_jstr(items->u.arr[k], "id"), it->id))
				break;
		if (!items || k == items->n)
			return err_set(e, ERR_INVALID, "--item %1$s: 利用終了時に確認する項目ではありません（項目: %2$s） / --item %1$s is "
			               "not an end-of-use item of this application (items: %3$s)", it->id,
			               *valid ? valid : "なし", *valid ? valid : "none");
		for (j = 0; j < i; j++)
			if (!strcmp(rq->items[j].id, it->id))
				return err_set(e, ERR_INVALID, "--item %1$s が二度あります / --item %1$s is given twice", it->id);
	}
	EACH(k, items) {
		const struct lval *it = items->u.arr[k];
		const char *id = app_jstr(it, "id"), *judged = NULL;

		if (strcmp(app_jstr(it, "stage"), "end-of-use") || strcmp(app_jstr(it, "obligation"), "required"))
			continue;
		for (i = 0; i < rq->nitems; i++)
			if (!strcmp(rq->items[i].id, id))
				judged = rq->items[i].judgement;
		if (!judged) {
			diag_add(t->why, "", 0, 0, "%s %s: 未判定 / not judged", id, app_jstr(it, "title"));
			unjudged++;
		} else if (!strcmp(judged, "unmet")) {
			diag_add(t->why, "", 0, 0, "%s %s: 満たしていない / unmet", id, app_jstr(it, "title"));
			unmet++;
		}
	}
	if (unjudged)
		return err_set(e, ERR_FORBIDDEN, "利用終了時に確認する必須の項目 %1$zu 件が未判定です（--item ID=met|unmet|"
		               "not-applicable） / %1$zu required end-of-use items are not judged (--item ID=met|unmet|"
		               "not-applicable)", unjudged);
	if (unmet)
		return err_set(e, ERR_FORBIDDEN, "利用終了時に確認する必須の項目 %1$zu 件が満たされていないため、削除を確認できません"
		               "。対応の後に確かめてください / %1$zu required end-of-use items are unmet: the deletion cannot be "
		               "confirmed until they are met", unmet);
	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "method", method);
	vb_kstr(&b, "contract", contract);
	vb_kstr(&b, "standard", contract ? NULL : "NIST SP 800-88");
	vb_kstr(&b, "certificate", rq->certificate);
	vb_kstr(&b, "date", rq->date);
	vb_kstr(&b, "by", t->who->user.login);
	vb_kstr(&b, "at", t->now);
	vb_key(&b, "items");
	vb_arr(&b);
	EACH(k, items) {
		const struct lval *it = items->u.arr[k];
		const char *judged = NULL;

		if (strcmp(app_jstr(it, "stage"), "end-of-use"))
			continue;
		for (i = 0; i < rq->nitems; i++)
			if (!strcmp(rq->items[i].id, app_jstr(it, "id")))
				judged = rq->items[i].judgement;
		vb_obj(&b);
		vb_kstr(&b, "id", app_jstr(it, "id"));
		vb_kstr(&b, "title", app_jstr(it, "title"));
		vb_kstr(&b, "obligation", app_jstr(it, "obligation"));
		vb_kstr(&b, "judgement", judged);
		vb_end(&b);
	}
	vb_end(&b);
	vb_end(&b);
	set(t, "deletion", vb_done(&b));
	t->date = rq->date;
	return OK;
}

/* A record is closed only when every step the procedure requires of it is
 * done: an open task would otherwise stay open on a closed application. */
static int apply_close(struct app_tx *t, struct err *e)
{
	struct buf ids;
	struct task_scan x = { NULL, 1, 0, &ids };
	long long n;

	buf_init(&ids, BUF_DEFAULT_MAX);
	n = open_tasks_scan(t, &x, e);
	if (n > 0)
		err_set(e, ERR_FORBIDDEN, "申請 %1$s には済んでいない手順のタスクがあります: %2$s（app task done TASK） / application "
		        "%1$s has open tasks of its procedure: %2$s (app task done TASK)", t->id, buf_str(&ids));
	buf_free(&ids);
	if (n)
		return n < 0 ? ERR_INTERNAL : ERR_FORBIDDEN;
	set_str(t, "closed_at", t->now);
	return OK;
}

/* ------------------------------------------------------------ the table */

#define S(x) (1u << (x))

static const struct app_transition transitions[AA_COUNT] = {
	{ AA_CREATE, 0, AS_DRAFT, { { ROLE_APPLICANT, REL_ANY } }, "申請者", "an applicant", 0, NULL, apply_create },
	{ AA_UPDATE, S(AS_DRAFT) | S(AS_RETURNED), APP_TO_SAME, { { -1, REL_OWNER } }, "申請者本人",
	  "the application's applicant", 0, NULL, apply_update },
	{ AA_SUBMIT, S(AS_DRAFT) | S(AS_RETURNED), APP_TO_ROUTE, { { -1, REL_OWNER } }, "申請者本人",
	  "the application's applicant", 0, ready_submit, apply_submit },
	{ AA_COMMENT, S(AS_SUBMITTED) | S(AS_IN_CONSULTATION), APP_TO_SAME,
	  { { ROLE_CONSULTEE, REL_CONSULTEE }, { ROLE_APPROVER, REL_APPROVER } },
	  "協議先に割り当てられた協議先の利用者、または決裁者", "a consultee bound to a party consulted, or the approver", 1,
	  NULL, apply_comment },
	{ AA_APPROVE, S(AS_SUBMITTED) | S(AS_IN_CONSULTATION), AS_APPROVED, { { ROLE_APPROVER, REL_APPROVER } },
	  "決裁者に割り当てられた承認者", "the approver bound to the procedure's approver", 1, ready_approve, apply_approve },
	{ AA_RETURN, S(AS_SUBMITTED) | S(AS_IN_CONSULTATION), AS_RETURNED, { { ROLE_APPROVER, REL_APPROVER } },
	  "決裁者に割り当てられた承認者", "the approver bound to the procedure's approver", 1, NULL, apply_nothing },
	{ AA_REJECT, S(AS_SUBMITTED) | S(AS_IN_CONSULTATION), AS_REJECTED, { { ROLE_APPROVER, REL_APPROVER } },
	  "決裁者に割り当てられた承認者", "the approver bound to the procedure's approver", 1, NULL, apply_nothing },
	{ AA_START, S(AS_APPROVED) | S(AS_NOTIFIED), AS_IN_USE,
	  { { -1, REL_OWNER }, { -1, REL_MANAGER }, { ROLE_MANAGER, REL_ANY } },
	  "申請者本人・この申請の管理者・管理責任者", "the applicant, the application's manager or a manager", 0, NULL,
	  apply_start },
	{ AA_END, S(AS_IN_USE), AS_END_REPORTED, { { -1, REL_OWNER }, { -1, REL_MANAGER }, { ROLE_MANAGER, REL_ANY } },
	  "申請者本人・この申請の管理者・管理責任者", "the applicant, the application's manager or a manager", 0, NULL,
	  apply_end },
	{ AA_CONFIRM_DELETION, S(AS_END_REPORTED), AS_DELETION_CONFIRMED,
	  { { -1, REL_OWNER }, { -1, REL_MANAGER }, { ROLE_MANAGER, REL_ANY } },
	  "申請者本人・この申請の管理者・管理責任者", "the applicant, the application's manager or a manager", 0, NULL,
	  apply_confirm },
	{ AA_CLOSE, S(AS_DELETION_CONFIRMED), AS_CLOSED, { { ROLE_ADMIN, REL_ANY }, { ROLE_MANAGER, REL_ANY } },
	  "管理者・管理責任者", "an administrator or a manager", 0, NULL, apply_close },
};

const struct app_transition *app_transitions(size_t *n)
{
	*n = AA_COUNT;
	return transitions;
}

/* ------------------------------------------------------------ running one */

static int load(struct app_tx *t, const char *id, struct err *e)
{
	const struct lval *doc, *m, *ref;
	int rc;
	size_t i;

	if (!id || !*id)
		return err_set(e, ERR_INVALID, "申請の ID が要ります / the application's id is required");
	rc = store_record_get(t->dep->s, t->a, "app", id, 0, &t->rec, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "申請 '%1$s' はありません（shinsa app list） / there is no application '%1$s' "
		               "(shinsa app list)", id);
	if (rc)
		return rc;
	if (json_parse(t->a, t->rec.body, t->rec.body_len, &doc, e) || doc->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "app %s: the stored record is not a JSON object", id);
	t->id = t->rec.id;
	t->before = t->rec.body;
	for (i = 0; i < doc->n; i++)
		set(t, lval_obj_key(doc, i), lval_obj_val(doc, i));
	t->state = app_state_of(t->rec.keys.state);
	if (t->state < 0)
		return err_set(e, ERR_INTERNAL, "app %s: the stored state '%s' is not a state", id, t->rec.keys.state);
	if ((rc = app_user_get(t->dep->s, t->a, t->rec.keys.owner, &t->applicant, e)))
		return rc;
	t->p = t->dep->set ? policy_find(t->dep->set, member_str(t, "pack")) : NULL;
	t->snap = NULL;
	ref = member(t, "snapshot");
	if (ref && ref->type == LV_OBJ && (rc = read_snapshot(t, ref, e)))
		return rc;
	m = t->snap ? vb_get(t->snap, "assessment") : NULL;
	t->proc = m ? vb_get(m, "procedure") : NULL;
	if (t->proc && t->proc->type != LV_OBJ)
		t->proc = NULL;
	return OK;
}

static int write_app(struct app_tx *t, struct err *e)
{
	struct store_record r = { 0 };
	const struct lval *facts = member(t, "facts"), *pe, *prof = member(t, "profile");
	const char *body, *comment = t->rq->comment && *t->rq->comment ? t->rq->comment : NULL;
	struct vb b;
	int rc;

	vb_init(&b, t->a);
	vb_obj(&b);
	vb_kstr(&b, "action", app_action_name(t->tr->action));
	vb_kstr(&b, "from", t->tr->action == AA_CREATE ? NULL : state_names[t->state]);
	vb_kstr(&b, "to", state_names[t->to]);
	vb_kstr(&b, "actor", t->who->user.login);
	vb_kstr(&b, "role", app_role_name(t->who->user.role));
	vb_kstr(&b, "at", t->now);
	vb_kstr(&b, "channel", t->who->channel);
	vb_kstr(&b, "comment", comment);
	if (t->date)
		vb_kstr(&b, "date", t->date);
	if (t->tr->action == AA_COMMENT) {
		vb_key(&b, "as");
		vb_strs(&b, t->as, t->nas);
	}
	vb_end(&b);
	set(t, "history", push(t->a, member(t, "history"), vb_done(&b)));
	set_str(t, "state", state_names[t->to]);
	if (!(body = json_text(t->a, body_model(t), e)))
		return ERR_TOOLARGE;
	r.kind = "app";
	r.id = t->id;
	r.number = strtoll(t->id, NULL, 10);
	r.version = t->tr->action == AA_CREATE ? 1 : t->rec.version + 1;
	r.body = body;
	r.body_len = strlen(body);
	r.at = t->now;
	r.keys.state = state_names[t->to];
	r.keys.owner = t->applicant.login;
	r.keys.dept = t->applicant.dept;
	r.keys.level = member_str(t, "level");
	r.keys.provider = prof && prof->type == LV_OBJ ? app_jstr(prof, "provider") : "";
	r.keys.pack = member_str(t, "pack");
	r.keys.parent = prof && prof->type == LV_OBJ ? arena_printf(t->a, "profile:%s", app_jstr(prof, "id")) : NULL;
	pe = app_fact_get(facts, "app.period_end");
	r.keys.due = pe && pe->type == LV_STR && days_of(pe->u.str) >= 0 ? arena_strndup(t->a, pe->u.str, 10) : NULL;
	rc = app_record_write(t->dep, t->who, NULL, arena_printf(t->a, "app.%s", app_action_name(t->tr->action)), &r,
	                      t->tr->action == AA_CREATE ? NULL : t->before, NULL, comment, e);
	if (rc == ERR_EXISTS)
		return err_set(e, ERR_EXISTS, "申請 %1$s はこの間に変更されました。もう一度確かめてください / application %1$s was "
		               "changed meanwhile: look at it again", t->id);
	if (rc)
		return rc;
	t->res->id = t->id;
	t->res->from = t->tr->action == AA_CREATE ? -1 : t->state;
	t->res->to = t->to;
	t->res->version = r.version;
	return OK;
}

static int apply_tx(struct store *s, void *arg, struct err *e)
{
	struct app_tx *t = arg;
	const struct app_transition *tr = t->tr;
	int rc;

	(void)s;
	if ((rc = who_may(t, 0, e)))
		return rc;
	if (tr->action != AA_CREATE) {
		if ((rc = load(t, t->rq->id, e)))
			return rc;
		if ((rc = state_ok(t, e)) || (rc = who_may(t, 1, e)))
			return rc;
	} else {
		t->state = -1;
	}
	t->to = tr->to == APP_TO_SAME ? t->state : tr->to;
	if (tr->action != AA_SUBMIT && tr->ready && (rc = tr->ready(t, e)))
		return rc;
	if ((rc = tr->apply(t, e)))
		return rc;
	if (t->to < 0)
		return err_set(e, ERR_INTERNAL, "app %s: %s decided no state", t->id, app_action_name(tr->action));
	if ((rc = write_app(t, e)))
		return rc;
	return write_tasks(t, e);
}

static void tx_init(struct app_tx *t, struct app_deploy *dep, const struct app_actor *who, struct diag *why)
{
	char now[ISOTIME_BUFSZ], today[ISOTIME_BUFSZ];
	int64_t n = isotime_now();

	memset(t, 0, sizeof(*t));
	t->dep = dep;
	t->a = dep->a;
	t->who = who;
	t->why = why;
	t->now = arena_strdup(t->a, isotime_format_jst(n, now));
	t->today = arena_strdup(t->a, isotime_date_jst(n, today));
}

int app_apply(struct app_deploy *dep, const struct app_actor *who, const struct app_request *rq,
              struct app_result *out, struct diag *why, struct err *e)
{
	struct app_tx t;
	struct app_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	if (out)
		*out = res;
	if (!dep->set || !dep->log)
		return err_set(e, ERR_INTERNAL, "app_apply: the deployment needs its packs and audit log");
	if (rq->action < 0 || rq->action >= AA_COUNT)
		return err_set(e, ERR_INVALID, "no such action %d", rq->action);
	if (!who)
		return err_set(e, ERR_INVALID, "誰として行うかを --as LOGIN で指定してください / say who acts with --as LOGIN");
	tx_init(&t, dep, who, why);
	t.rq = rq;
	t.tr = &transitions[rq->action];
	t.res = &res;
	if (t.tr->needs_comment && (rc = check_text(rq->action == AA_COMMENT ? "--text" : "--comment", rq->comment, 1, e)))
		return rc;
	if (!t.tr->needs_comment && (rc = check_text("--comment", rq->comment, 0, e)))
		return rc;
	if ((rq->action == AA_CREATE || rq->action == AA_UPDATE) && (!rq->file || !rq->text))
		return err_set(e, ERR_INVALID, "申請ファイル（FILE）が要ります / the application FILE is required");
	rc = store_tx(dep->s, apply_tx, &t, e);
	if (!rc && out)
		*out = res;
	return rc;
}

/* ------------------------------------------------------------ tasks done */

struct task_arg {
	struct app_deploy *dep;
	const struct app_actor *who;
	const char *id, *comment;
};

static int task_done_tx(struct store *s, void *arg, struct err *e)
{
	struct task_arg *x = arg;
	struct arena *a = x->dep->a;
	struct store_record r, w;
	const struct lval *doc, *owners;
	char now[ISOTIME_BUFSZ];
	const char *body;
	struct vb b;
	size_t i;
	int rc, mine = 0;

	rc = store_record_get(s, a, "task", x->id, 0, &r, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "タスク '%1$s' はありません（app show APP） / there is no task '%1$s' (app show "
		               "APP)", x->id);
	if (rc)
		return rc;
	if (json_parse(a, r.body, r.body_len, &doc, e) || doc->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "task %s: the stored record is not a JSON object", x->id);
	if (strcmp(r.keys.state, "open"))
		return err_set(e, ERR_FORBIDDEN, "タスク %1$s は済んでいます（%2$s） / task %1$s is already done (%2$s)", x->id,
		               app_jstr(doc, "done_at"));
	if (!strncmp(r.keys.parent ? r.keys.parent : "", "app:", 4)) {
		struct store_record ar;
		int st;

		if ((rc = store_record_get(s, a, "app", r.keys.parent + 4, 0, &ar, e)))
			return rc;
		st = app_state_of(ar.keys.state);
		if (st == AS_CLOSED || st == AS_REJECTED)
			return err_set(e, ERR_FORBIDDEN, "タスク %1$s の申請 %2$s は%3$sです。手順のタスクはもう済みにできません / "
			               "task %1$s belongs to application %2$s, which is %4$s: its tasks can no longer be done",
			               x->id, r.keys.parent + 4, st == AS_CLOSED ? "完了" : "却下", ar.keys.state);
	}
	owners = arr_of(doc, "owners");
	EACH(i, owners)
		if (owners->u.arr[i]->type == LV_STR && !strcmp(owners->u.arr[i]->u.str, x->who->user.login))
			mine = 1;
	if (!mine && !strcmp(r.keys.owner, x->who->user.login))
		mine = 1;
	if (!mine)
		return err_set(e, ERR_FORBIDDEN, "タスク %1$s の担当は %2$s です（%3$s ではありません） / task %1$s is %2$s's, not "
		               "%3$s's", x->id, r.keys.owner, x->who->user.login);
	isotime_format_jst(isotime_now(), now);
	vb_init(&b, a);
	vb_obj(&b);
	for (i = 0; i < doc->n; i++) {
		const char *k = lval_obj_key(doc, i);

		vb_key(&b, k);
		if (!strcmp(k, "state"))
			vb_str(&b, "done");
		else if (!strcmp(k, "done_at"))
			vb_strdup(&b, now);
		else if (!strcmp(k, "done_by"))
			vb_str(&b, x->who->user.login);
		else if (!strcmp(k, "comment"))
			vb_str(&b, x->comment);
		else
			vb_val(&b, lval_obj_val(doc, i));
	}
	vb_end(&b);
	if (!(body = json_text(a, vb_done(&b), e)))
		return ERR_TOOLARGE;
	w = r;
	w.version = r.version + 1;
	w.body = body;
	w.body_len = strlen(body);
	w.keys.state = "done";
	w.at = NULL;
	w.actor = NULL;
	return app_record_write(x->dep, x->who, NULL, "app.task.done", &w, r.body, NULL, x->comment, e);
}

int app_task_done(struct app_deploy *dep, const struct app_actor *who, const char *task_id, const char *comment,
                  struct err *e)
{
	struct task_arg x = { dep, who, task_id, comment && *comment ? comment : NULL };
	int rc;

	if (!dep->log)
		return err_set(e, ERR_INTERNAL, "app_task_done: the deployment needs its audit log");
	if (!task_id || !*task_id)
		return err_set(e, ERR_INVALID, "タスクの ID が要ります / the task's id is required");
	if ((rc = check_text("--comment", comment, 0, e)))
		return rc;
	return store_tx(dep->s, task_done_tx, &x, e);
}

/* ------------------------------------------------------------ show and list */

struct collect {
	struct arena *a;
	const struct lval **docs;
	size_t n, cap;
};

static int collect_one(void *arg, const struct store_record *r, struct err *e)
{
	struct collect *c = arg;
	const struct lval *doc;

	if (json_parse(c->a, r->body, r->body_len, &doc, e))
		return err_set(e, ERR_INTERNAL, "%s %s: the stored record is not JSON", r->kind, r->id);
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		c->docs = arena_realloc(c->a, c->docs, c->cap * sizeof(*c->docs), cap * sizeof(*c->docs));
		c->cap = cap;
	}
	c->docs[c->n++] = doc;
	return OK;
}

/* Is item one of the ", "-separated items of list? */
static int in_list(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;

	while ((p = strstr(p, item))) {
		if ((p == list || (p >= list + 2 && p[-2] == ',' && p[-1] == ' ')) && (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

/* Who may take a transition now, in words and by login where the binding says. */
static void next_model(struct vb *b, struct app_tx *t)
{
	size_t i, j, k;

	vb_key(b, "next");
	vb_arr(b);
	for (i = 0; i < AA_COUNT; i++) {
		const struct app_transition *tr = &transitions[i];
		struct err e = { 0 };
		const char *users = "";

		if (!(tr->from & (1u << t->state)))
			continue;
		t->tr = tr;
		vb_obj(b);
		vb_kstr(b, "action", action_names[i]);
		vb_kstr(b, "action_ja", action_ja[i]);
		vb_kstr(b, "who_ja", tr->who_ja);
		vb_kstr(b, "who_en", tr->who_en);
		for (j = 0; j < APP_WHO_MAX && tr->who[j].rel; j++) {
			const char *u = NULL;
			int ok = 0;

			switch (tr->who[j].rel) {
			case REL_OWNER:
				u = t->applicant.login;
				break;
			case REL_MANAGER:
				u = *manager_login(t) ? manager_login(t) : NULL;
				break;
			case REL_ANY:
				u = arena_printf(t->a, "(%s)", app_role_name(tr->who[j].role));
				break;
			case REL_APPROVER:
				if (*approver_text(t)) {
					u = party_users(t, approver_text(t), &ok);
					u = ok ? u : arena_printf(t->a, "(%s: %s)", approver_text(t), "unbound");
				} else {
					u = "(approver)";
				}
				break;
			case REL_CONSULTEE: {
				size_t n;
				const char **cs = consult_parties(t->a, t->proc, &n);

				for (k = 0; k < n; k++) {
					const char *one = party_users(t, cs[k], &ok);

					u = arena_printf(t->a, "%s%s%s", u ? u : "", u ? ", " : "",
					                 ok ? one : arena_printf(t->a, "(%s: unbound)", cs[k]));
				}
				break;
			}
			default:
				break;
			}
			if (u && *u && !in_list(users, u))
				users = arena_printf(t->a, "%s%s%s", users, *users ? ", " : "", u);
		}
		vb_kstr(b, "users", users);
		if (tr->ready && tr->ready(t, &e))
			vb_kstr(b, "blocked", arena_strdup(t->a, e.msg));
		else
			vb_kstr(b, "blocked", NULL);
		vb_end(b);
	}
	vb_end(b);
}

static void consultation_model(struct vb *b, struct app_tx *t)
{
	const struct lval *h = member(t, "history");
	const char **cs;
	size_t n, i, j, k;

	cs = consult_parties(t->a, t->proc, &n);
	vb_key(b, "consultation");
	if (!n) {
		vb_null(b);
		return;
	}
	vb_obj(b);
	vb_key(b, "parties");
	vb_arr(b);
	for (i = 0; i < n; i++) {
		int ok;
		const char *users = party_users(t, cs[i], &ok);

		vb_obj(b);
		vb_kstr(b, "party", cs[i]);
		vb_kstr(b, "party_id", app_party_id(t->a, cs[i]));
		vb_kstr(b, "users", ok ? users : NULL);
		vb_kstr(b, "unbound", ok ? NULL : users);
		vb_kbool(b, "commented", commented(t, cs[i]));
		vb_key(b, "comments");
		vb_arr(b);
		EACH(j, h) {
			const struct lval *en = h->u.arr[j], *as = arr_of(en, "as");

			if (strcmp(app_jstr(en, "action"), "comment"))
				continue;
			EACH(k, as)
				if (as->u.arr[k]->type == LV_STR && !strcmp(as->u.arr[k]->u.str, cs[i])) {
					vb_obj(b);
					vb_kstr(b, "by", app_jstr(en, "actor"));
					vb_kstr(b, "at", app_jstr(en, "at"));
					vb_kstr(b, "text", app_jstr(en, "comment"));
					vb_end(b);
				}
		}
		vb_end(b);
		vb_end(b);
	}
	vb_end(b);
	vb_end(b);
}

static void snapshot_model(struct vb *b, struct app_tx *t)
{
	const struct lval *s = t->snap, *m, *pk;
	const struct policy *kept;
	struct err e = { 0 };

	vb_key(b, "snapshot");
	if (!s) {
		vb_null(b);
		return;
	}
	m = vb_get(s, "assessment");
	pk = vb_get(s, "pack");
	vb_obj(b);
	vb_kstr(b, "at", app_jstr(s, "at"));
	vb_kstr(b, "by", app_jstr(s, "by"));
	vb_kstr(b, "verdict", vb_get_str(m, "verdict", ""));
	vb_kstr(b, "verdict_ja", vb_get_str(m, "verdict_ja", ""));
	vb_kstr(b, "reason", vb_get_str(m, "reason", ""));
	vb_key(b, "pack");
	vb_val(b, pk ? pk : LV_NULLV);
	/* the pack as loaded now: has it changed since? (the snapshot decides either way) */
	if (t->p && !app_pack_at(t->dep, t->p->id, app_jstr(pk, "sha256"), &kept, &e))
		vb_kbool(b, "pack_changed", kept != t->p);
	else
		vb_kbool(b, "pack_changed", 1);
	vb_key(b, "profile");
	vb_val(b, vb_get(s, "profile") ? vb_get(s, "profile") : LV_NULLV);
	vb_key(b, "open");
	vb_val(b, open_items(t->a, m));
	vb_kstr(b, "procedure", t->proc ? vb_get_str(t->proc, "id", "") : NULL);
	vb_kstr(b, "approver", t->proc ? vb_get_str(t->proc, "approver", "") : NULL);
	vb_key(b, "end_of_use_items");
	vb_arr(b);
	{
		const struct lval *ds = end_items(t);
		size_t i;

		EACH(i, ds)
			if (!strcmp(app_jstr(ds->u.arr[i], "stage"), "end-of-use"))
				vb_val(b, ds->u.arr[i]);
	}
	vb_end(b);
	vb_end(b);
}

int app_show_model(struct app_deploy *dep, struct arena *a, const char *id, const struct lval **out,
                   struct err *e)
{
	static const struct app_actor nobody = { { "", "", "", "", ROLE_AUDITOR, 0, 0 }, "" };
	static const char *const plain[] = { "route", "pack", "level", "level_name", "applicant", "profile",
		"assessment", "decisions", "manager", "notification", "end_report", "deletion", "history", NULL };
	static const char *const dates[] = { "created_at", "submitted_at", "notified_at", "approved_at", "started_at",
		"ended_at", "closed_at", NULL };
	struct app_tx t;
	struct app_result res;
	struct app_request rq = { 0 };
	struct diag why = { 0 };
	struct collect c = { a, NULL, 0, 0 };
	struct store_query q = { 0 };
	struct vb b;
	size_t i;
	int rc;

	tx_init(&t, dep, &nobody, &why);
	t.a = a;
	t.rq = &rq;
	t.res = &res;
	if ((rc = load(&t, id, e)))
		goto out;
	q.kind = "task";
	q.eq.parent = arena_printf(a, "app:%s", t.id);
	if ((rc = store_record_find(dep->s, &q, collect_one, &c, e)))
		goto out;
	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "id", t.id);
	vb_kstr(&b, "state", state_names[t.state]);
	vb_kstr(&b, "state_ja", state_ja[t.state]);
	vb_kint(&b, "version", t.rec.version);
	vb_kstr(&b, "updated_at", t.rec.at);
	for (i = 0; plain[i]; i++) {
		vb_key(&b, plain[i]);
		vb_val(&b, member(&t, plain[i]) ? member(&t, plain[i]) : LV_NULLV);
	}
	vb_kstr(&b, "pack_title", t.p ? t.p->title : NULL);
	vb_kstr(&b, "body", t.p ? t.p->body : NULL);
	vb_key(&b, "dates");
	vb_obj(&b);
	for (i = 0; dates[i]; i++) {
		vb_key(&b, dates[i]);
		vb_val(&b, member(&t, dates[i]) ? member(&t, dates[i]) : LV_NULLV);
	}
	vb_end(&b);
	snapshot_model(&b, &t);
	consultation_model(&b, &t);
	vb_key(&b, "tasks");
	vb_arr(&b);
	for (i = 0; i < c.n; i++)
		vb_val(&b, c.docs[i]);
	vb_end(&b);
	next_model(&b, &t);
	vb_end(&b);
	*out = vb_done(&b);
out:
	diag_free(&why);
	return rc;
}

int app_list_model(struct app_deploy *dep, struct arena *a, const char *state, const struct lval **out,
                   struct err *e)
{
	struct collect c = { a, NULL, 0, 0 };
	struct store_query q = { 0 };
	const char *states[1];
	struct vb b;
	size_t i;
	int rc, s = -1;

	if (state && (s = app_state_of(state)) < 0)
		return err_set(e, ERR_INVALID, "--state '%1$s' は申請の状態ではありません（状態: %2$s） / --state '%1$s' is not a "
		               "state (states: %2$s)", state, app_state_list());
	q.kind = "app";
	if (s >= 0) {
		states[0] = state_names[s];
		q.states = states;
		q.nstates = 1;
	}
	if ((rc = store_record_find(dep->s, &q, collect_one, &c, e)))
		return rc;
	vb_init(&b, a);
	vb_arr(&b);
	for (i = 0; i < c.n; i++) {
		const struct lval *d = c.docs[i], *ap = vb_get(d, "applicant"), *pr = vb_get(d, "profile");
		const struct lval *sn = vb_get(d, "snapshot"), *as = vb_get(d, "assessment"), *h = arr_of(d, "history");
		/* a submitted one: the verdict its snapshot was decided on (the
		 * reference keeps it); a draft: its latest assessment */
		const struct lval *m = sn && sn->type == LV_OBJ ? sn : as;
		int st = app_state_of(app_jstr(d, "state"));

		vb_obj(&b);
		vb_kstr(&b, "id", app_jstr(d, "id"));
		vb_kstr(&b, "state", app_jstr(d, "state"));
		vb_kstr(&b, "state_ja", app_state_ja(st));
		vb_kstr(&b, "pack", app_jstr(d, "pack"));
		vb_kstr(&b, "level", app_jstr(d, "level"));
		vb_kstr(&b, "applicant", app_jstr(ap, "login"));
		vb_kstr(&b, "dept", app_jstr(ap, "dept"));
		vb_kstr(&b, "provider", app_jstr(pr, "provider"));
		vb_kstr(&b, "service", app_jstr(pr, "name"));
		vb_kstr(&b, "verdict", app_jstr(m, "verdict"));
		vb_kstr(&b, "verdict_ja", app_jstr(m, "verdict_ja"));
		vb_kbool(&b, "snapshot", sn && sn->type == LV_OBJ);
		vb_kstr(&b, "updated_at", h && h->n ? app_jstr(h->u.arr[h->n - 1], "at") : app_jstr(d, "created_at"));
		vb_end(&b);
	}
	vb_end(&b);
	*out = vb_done(&b);
	return OK;
}
