/* Routing (app/binding.h): the bindings of a pack's parties to users, from
 * the store (`bind set`, records of kind "binding") over the config file,
 * resolved to the active users an application is routed to. */
#include "app/binding.h"

#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "logic/json.h"
#include "logic/jw.h"
#include "logic/vb.h"

#define BIND_TEXT_MAX 256
#define BIND_HINT "(--user LOGIN… | --dept DEPT [--title TITLE] | --applicant-dept [--title TITLE])"

static const char *const how_names[] = { "users", "dept", "applicant-dept" };

const char *app_bind_how_name(int how)
{
	return how >= BIND_USERS && how <= BIND_APPLICANT_DEPT ? how_names[how] : "";
}

static int how_of(const char *name)
{
	int i;

	for (i = BIND_USERS; i <= BIND_APPLICANT_DEPT; i++)
		if (!strcmp(name, how_names[i]))
			return i;
	return -1;
}

const char *app_party_id(struct arena *a, const char *party_text)
{
	return policy_party_id(a, party_text);
}

/* ---- the pack's parties ---- */

struct parties {
	struct policy_party *v;
	size_t n;
};

static void parties_of(struct arena *a, const struct policy *p, struct parties *ps)
{
	ps->n = policy_parties(a, p, &ps->v);
}

static int party_find(const struct parties *ps, const struct policy *p, const char *key,
                      const struct policy_party **out, struct err *e)
{
	if ((*out = policy_party_find(ps->v, ps->n, key)))
		return OK;
	if (!ps->n)
		return err_set(e, ERR_NOTFOUND, "基準 %1$s の手続は当事者を名指していません（割り当てるものはありません） / the "
		               "procedures of %1$s name no party: there is nothing to bind", p->id);
	return err_set(e, ERR_NOTFOUND, "基準 %1$s に当事者 '%2$s' はありません（shinsa bind list %1$s） / %1$s names no "
	               "party '%2$s' (shinsa bind list %1$s)", p->id, key);
}

/* ---- the file's bindings, checked against the packs ---- */

static int config_fail(struct app_deploy *dep, struct err *e)
{
	if (dep->cfg && dep->cfg->file)
		err_set_file(e, dep->cfg->file);
	return e ? e->code : ERR_INVALID;
}

static int check_pack_bindings(struct app_deploy *dep, struct arena *a, const struct policy *p, struct err *e)
{
	const struct app_config *c = dep->cfg;
	struct parties ps;
	const struct policy_party **seen;
	size_t i, j, k = 0;

	if (!c || !c->nbindings)
		return OK;
	parties_of(a, p, &ps);
	seen = arena_alloc(a, c->nbindings * sizeof(*seen));
	for (i = 0; i < c->nbindings; i++) {
		const struct app_config_binding *b = &c->bindings[i];
		const struct policy_party *pt;

		if (strcmp(b->pack, p->id))
			continue;
		if (!(pt = policy_party_find(ps.v, ps.n, b->party))) {
			err_set_at(e, ERR_INVALID, b->line, b->col,
			           "bindings.%1$s: '%2$s' はこの基準の当事者ではありません（shinsa bind list %1$s） / '%2$s' is "
			           "not a party of %1$s (shinsa bind list %1$s)", p->id, b->party);
			return config_fail(dep, e);
		}
		for (j = 0; j < k; j++)
			if (seen[j] == pt) {
				err_set_at(e, ERR_INVALID, b->line, b->col,
				           "bindings.%1$s: 「%2$s」（%3$s）が二度割り当てられています / %2$s (%3$s) is bound twice",
				           p->id, pt->text, pt->id);
				return config_fail(dep, e);
			}
		seen[k++] = pt;
	}
	return OK;
}

int app_bindings_check(struct app_deploy *dep, const struct policy *p, struct err *e)
{
	const struct app_config *c = dep->cfg;
	struct arena a;
	size_t i;
	int rc = OK;

	if (!c || !c->nbindings)
		return OK;
	arena_init(&a, 0);
	if (!dep->set) {
		rc = p ? check_pack_bindings(dep, &a, p, e) : OK;
		goto out;
	}
	for (i = 0; i < c->nbindings; i++)
		if (!policy_find(dep->set, c->bindings[i].pack)) {
			struct buf ids = BUF_INIT;
			size_t j;

			for (j = 0; j < dep->set->npacks; j++)
				buf_addf(&ids, "%s%s", j ? ", " : "", dep->set->packs[j]->id);
			err_set_at(e, ERR_INVALID, c->bindings[i].pack_line, c->bindings[i].pack_col,
			           "bindings: 基準 '%1$s' はありません（あるもの: %2$s） / there is no pack '%1$s' (the packs are: %2$s)",
			           c->bindings[i].pack, buf_done(&ids));
			buf_free(&ids);
			rc = config_fail(dep, e);
			goto out;
		}
	for (i = 0; i < dep->set->npacks && !rc; i++)
		rc = check_pack_bindings(dep, &a, dep->set->packs[i], e);
out:
	arena_release(&a);
	return rc;
}

static const struct app_config_binding *config_binding(const struct app_deploy *dep, const struct policy *p,
                                                       const struct policy_party *pt)
{
	const struct app_config *c = dep->cfg;
	size_t i;

	for (i = 0; c && i < c->nbindings; i++)
		if (!strcmp(c->bindings[i].pack, p->id) &&
		    (!strcmp(c->bindings[i].party, pt->id) || !strcmp(c->bindings[i].party, pt->text)))
			return &c->bindings[i];
	return NULL;
}

/* ---- the store's bindings ---- */

static const char *record_id(struct arena *a, const struct policy *p, const struct policy_party *pt)
{
	return arena_printf(a, "%s/%s", p->id, pt->id);
}

/* The newest version of the party's record: *found 0 when there is none. */
static int store_binding(struct app_deploy *dep, struct arena *a, const struct policy *p,
                         const struct policy_party *pt, struct store_record *r, const struct lval **doc,
                         int *found, struct err *e)
{
	int rc;

	*found = 0;
	*doc = NULL;
	rc = store_record_get(dep->s, a, "binding", record_id(a, p, pt), 0, r, e);
	if (rc == ERR_NOTFOUND) {
		err_clear(e);
		return OK;
	}
	if (rc)
		return rc;
	if (json_parse(a, r->body, r->body_len, doc, e) || (*doc)->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "binding %s: the stored record is not a JSON object", r->id);
	*found = 1;
	return OK;
}

static int from_record(struct arena *a, const struct store_record *r, const struct lval *doc,
                       struct app_binding *out, struct err *e)
{
	const struct lval *users = lval_get(doc, "users", 5);
	const char *t;
	uint32_t i;

	out->how = how_of(app_jstr(doc, "how"));
	if (out->how < 0)
		return err_set(e, ERR_INTERNAL, "binding %s: the stored form '%s' is not one of users, dept, applicant-dept",
		               r->id, app_jstr(doc, "how"));
	if (out->how == BIND_USERS) {
		const char **v;

		if (!users || users->type != LV_ARR || !users->n)
			return err_set(e, ERR_INTERNAL, "binding %s: the stored users are not a list of logins", r->id);
		v = arena_alloc(a, users->n * sizeof(*v));
		for (i = 0; i < users->n; i++) {
			if (users->u.arr[i]->type != LV_STR)
				return err_set(e, ERR_INTERNAL, "binding %s: the stored users are not a list of logins", r->id);
			v[i] = users->u.arr[i]->u.str;
		}
		out->users = v;
		out->nusers = users->n;
	}
	t = app_jstr(doc, "dept");
	out->dept = *t ? t : NULL;
	t = app_jstr(doc, "title");
	out->title = *t ? t : NULL;
	out->from_store = 1;
	out->version = r->version;
	out->at = r->at;
	out->by = r->actor;
	return OK;
}

static int unbound(const struct policy *p, const struct policy_party *pt, struct err *e)
{
	return err_set(e, ERR_NOTFOUND, "基準 %1$s の「%2$s」（%3$s）に利用者が割り当てられていません / nobody is bound to "
	               "%2$s (%3$s) of %1$s: shinsa bind set %1$s %3$s " BIND_HINT, p->id, pt->text, pt->id);
}

/* The binding of pt in force: *bound 0 when there is none (no error). */
static int binding_of(struct app_deploy *dep, struct arena *a, const struct policy *p, const struct policy_party *pt,
                      struct app_binding *out, int *bound, struct err *e)
{
	struct store_record r;
	const struct lval *doc;
	int found, rc;

	memset(out, 0, sizeof(*out));
	out->party = pt;
	out->config = config_binding(dep, p, pt);
	*bound = 0;
	if ((rc = store_binding(dep, a, p, pt, &r, &doc, &found, e)))
		return rc;
	if (found && !strcmp(r.keys.state ? r.keys.state : "", "bound")) {
		*bound = 1;
		return from_record(a, &r, doc, out, e);
	}
	if (out->config) {
		out->how = out->config->how;
		out->users = out->config->users;
		out->nusers = out->config->nusers;
		out->dept = out->config->dept;
		out->title = out->config->title;
		*bound = 1;
	}
	return OK;
}

int app_binding_get(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party,
                    struct app_binding *out, struct err *e)
{
	struct parties ps;
	const struct policy_party *pt;
	int rc, bound;

	memset(out, 0, sizeof(*out));
	if ((rc = app_bindings_check(dep, p, e)))
		return rc;
	parties_of(a, p, &ps);
	if ((rc = party_find(&ps, p, party, &pt, e))) {
		/* not a party of the pack: the caller's mistake, not an unbound party */
		if (e)
			e->code = ERR_INVALID;
		return ERR_INVALID;
	}
	if ((rc = binding_of(dep, a, p, pt, out, &bound, e)))
		return rc;
	return bound ? OK : unbound(p, pt, e);
}

/* ---- resolution ---- */

struct found {
	struct arena *a;
	const char *title;
	const char **v;
	size_t n, cap;
};

static void found_add(struct found *f, const char *login)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		const char **nv = arena_alloc(f->a, cap * sizeof(*nv));

		if (f->n)
			memcpy(nv, f->v, f->n * sizeof(*nv));
		f->v = nv;
		f->cap = cap;
	}
	f->v[f->n++] = login;
}

static int dept_user(void *arg, const struct store_record *r, struct err *e)
{
	struct found *f = arg;
	const struct lval *doc;

	if (json_parse(f->a, r->body, r->body_len, &doc, e))
		return err_set(e, ERR_INTERNAL, "user %s: the stored record is not JSON", r->id);
	if (f->title && strcmp(app_jstr(doc, "title"), f->title))
		return OK;
	found_add(f, arena_strdup(f->a, r->id));
	return OK;
}

/* The active users of dept (with title, those with it), in login order. */
static int dept_users(struct app_deploy *dep, struct found *f, const char *dept, const char *title, struct err *e)
{
	static const char *const active[] = { "active" };
	struct store_query q;

	memset(&q, 0, sizeof(q));
	q.kind = "user";
	q.eq.dept = dept;
	q.states = active;
	q.nstates = 1;
	f->title = title;
	return store_record_find(dep->s, &q, dept_user, f, e);
}

/* The binding's active users now; *inactive, the named users who are
 * unknown or disabled (BIND_USERS). applicant NULL: a binding to the
 * applicant's department gives nobody. */
static int binding_users(struct app_deploy *dep, struct arena *a, const struct app_binding *b,
                         const struct app_user *applicant, struct found *f, struct found *inactive, struct err *e)
{
	size_t i;
	int rc;

	memset(f, 0, sizeof(*f));
	f->a = a;
	if (inactive) {
		memset(inactive, 0, sizeof(*inactive));
		inactive->a = a;
	}
	switch (b->how) {
	case BIND_USERS:
		for (i = 0; i < b->nusers; i++) {
			struct app_user u;

			rc = app_user_get(dep->s, a, b->users[i], &u, e);
			if (rc && rc != ERR_NOTFOUND)
				return rc;
			if (!rc && !u.disabled)
				found_add(f, b->users[i]);
			else if (inactive)
				found_add(inactive, b->users[i]);
		}
		err_clear(e);
		return OK;
	case BIND_DEPT:
		return dept_users(dep, f, b->dept, b->title, e);
	case BIND_APPLICANT_DEPT:
		if (!applicant || !applicant->dept || !*applicant->dept)
			return OK;
		return dept_users(dep, f, applicant->dept, b->title, e);
	}
	return err_set(e, ERR_INTERNAL, "binding: form %d", b->how);
}

/* "利用者 a, b" / "部署 X、役職 Y" / "申請者の所属 X、役職 Y": for messages. */
static const char *binding_words(struct arena *a, const struct app_binding *b, const struct app_user *applicant)
{
	struct buf t = BUF_INIT;
	const char *s;
	size_t i;

	switch (b->how) {
	case BIND_USERS:
		buf_adds(&t, "users ");
		for (i = 0; i < b->nusers; i++)
			buf_addf(&t, "%s%s", i ? ", " : "", b->users[i]);
		break;
	case BIND_DEPT:
		buf_addf(&t, "dept %s", b->dept);
		break;
	default:
		buf_addf(&t, "applicant-dept %s", applicant && applicant->dept && *applicant->dept ? applicant->dept
		         : "(the applicant has no dept)");
		break;
	}
	if (b->title)
		buf_addf(&t, ", title %s", b->title);
	s = arena_strdup(a, buf_done(&t));
	buf_free(&t);
	return s;
}

int app_binding_resolve(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party_text,
                        const struct app_user *applicant, const char ***logins, size_t *n, struct err *e)
{
	struct app_binding b;
	struct found f;
	int rc;

	*logins = NULL;
	*n = 0;
	if ((rc = app_binding_get(dep, a, p, party_text, &b, e)))
		return rc;
	if ((rc = binding_users(dep, a, &b, applicant, &f, NULL, e)))
		return rc;
	if (!f.n)
		return err_set(e, ERR_NOTFOUND, "基準 %1$s の「%2$s」（%3$s）の割当て（%4$s）に有効な利用者がいません / the "
		               "binding of %2$s (%3$s) of %1$s (%4$s) finds no active user: shinsa bind set %1$s %3$s …, "
		               "or shinsa user add", p->id, b.party->text, b.party->id, binding_words(a, &b, applicant));
	*logins = f.v;
	*n = f.n;
	return OK;
}

int app_binding_has(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party_text,
                    const struct app_user *applicant, const char *login, struct err *e)
{
	const char **v;
	size_t n, i;
	struct app_binding b;
	struct buf who = BUF_INIT;

	if (app_binding_resolve(dep, a, p, party_text, applicant, &v, &n, e) ||
	    app_binding_get(dep, a, p, party_text, &b, e))
		return 0;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i], login))
			return 1;
	for (i = 0; i < n; i++)
		buf_addf(&who, "%s%s", i ? ", " : "", v[i]);
	err_set(e, ERR_FORBIDDEN, "'%1$s' は基準 %2$s の「%3$s」（%4$s）ではありません（割り当てられているのは %5$s） / "
	        "'%1$s' is not bound to %3$s (%4$s) of %2$s (who is: %5$s)", login, p->id, b.party->text, b.party->id,
	        buf_done(&who));
	buf_free(&who);
	return 0;
}

/* ---- what a procedure needs ---- */

static void need(const char **v, size_t *n, const char *text)
{
	size_t i;

	if (!text || !*text || !strcmp(text, "unspecified"))
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp(v[i], text))
			return;
	v[(*n)++] = text;
}

int app_binding_check_procedure(struct app_deploy *dep, struct arena *a, const struct policy *p,
                                const struct policy_procedure *r, const struct app_user *applicant,
                                const struct policy_proc_ctx *ctx, struct err *e)
{
	static const struct policy_proc_ctx none;
	const char **v;
	size_t n = 0, i, j, cap, nmissing = 0;
	struct buf names = BUF_INIT;
	struct err first = { 0 };
	long by;
	int rc = OK;

	if (!ctx)
		ctx = &none;
	if ((rc = app_bindings_check(dep, p, e)))
		return rc;
	cap = 1 + r->nconsultees + r->nsteps + r->nreviews + r->nend;
	for (i = 0; i < r->nconsults; i++)
		cap += r->consults[i].nwith;
	v = arena_alloc(a, cap * sizeof(*v));
	if (!r->approval.unspecified)
		need(v, &n, r->approval.who);
	if (r->nconsults) {
		for (i = 0; i < r->nconsults; i++) {
			const struct policy_consult *c = &r->consults[i];

			if (!policy_proc_taken(ctx, c->when_exempt, c->nwhen_exempt, c->unless_exempt, c->nunless_exempt, &by))
				continue;
			for (j = 0; j < c->nwith; j++)
				need(v, &n, c->with[j]);
		}
	} else {
		for (i = 0; i < r->nconsultees; i++)
			need(v, &n, r->consultees[i]);
	}
	for (i = 0; i < r->nsteps; i++) {
		const struct policy_step *s = &r->steps[i];

		if (policy_proc_taken(ctx, s->when_exempt, s->nwhen_exempt, s->unless_exempt, s->nunless_exempt, &by))
			need(v, &n, s->actor);
	}
	for (i = 0; i < r->nreviews; i++)
		need(v, &n, r->reviews[i].actor);
	for (i = 0; i < r->nend; i++)
		need(v, &n, r->end_of_use[i].actor);
	for (i = 0; i < n; i++) {
		const char **logins;
		size_t nl;

		rc = app_binding_resolve(dep, a, p, v[i], applicant, &logins, &nl, e);
		if (rc == ERR_NOTFOUND) {
			if (!nmissing++)
				first = *e;
			buf_addf(&names, "%s%s (%s)", nmissing > 1 ? ", " : "", v[i], app_party_id(a, v[i]));
			continue;
		}
		if (rc)
			goto out;
	}
	rc = OK;
	if (nmissing == 1) {
		*e = first;
		rc = ERR_NOTFOUND;
	} else if (nmissing) {
		rc = err_set(e, ERR_NOTFOUND, "基準 %1$s の手続 %2$s には割当てのない当事者が %3$zu あります: %4$s / procedure %2$s "
		             "of %1$s needs %3$zu parties that resolve to nobody: %4$s; bind each with shinsa bind set %1$s "
		             "PARTY " BIND_HINT " (shinsa bind list %1$s)", p->id, r->id, nmissing, buf_done(&names));
	}
out:
	buf_free(&names);
	return rc;
}

/* ---- models ---- */

static void strs_model(struct vb *b, const char *key, const struct found *f)
{
	vb_key(b, key);
	vb_strs(b, f->v, f->n);
}

/* {how, users, dept, title, source, …, resolves, inactive} */
static int binding_model(struct vb *vb, struct app_deploy *dep, struct arena *a, const struct app_binding *b,
                         struct err *e)
{
	const struct app_config_binding *c = b->config;
	struct found f, inactive;
	int rc;

	vb_obj(vb);
	vb_kstr(vb, "how", app_bind_how_name(b->how));
	vb_key(vb, "users");
	vb_strs(vb, b->users, b->nusers);
	vb_kstr(vb, "dept", b->dept);
	vb_kstr(vb, "title", b->title);
	vb_kstr(vb, "source", b->from_store ? "store" : "config");
	if (b->from_store) {
		vb_kint(vb, "version", b->version);
		vb_kstr(vb, "at", b->at);
		vb_kstr(vb, "by", b->by);
	}
	if (c) {
		vb_key(vb, b->from_store ? "overrides" : "config");
		vb_obj(vb);
		vb_kstr(vb, "file", dep->cfg->file);
		vb_kint(vb, "line", c->line);
		vb_kint(vb, "col", c->col);
		vb_end(vb);
	}
	if (b->how != BIND_APPLICANT_DEPT) {
		if ((rc = binding_users(dep, a, b, NULL, &f, &inactive, e)))
			return rc;
		strs_model(vb, "resolves", &f);
		if (b->how == BIND_USERS)
			strs_model(vb, "inactive", &inactive);
	}
	vb_end(vb);
	return OK;
}

static int party_model(struct vb *vb, struct app_deploy *dep, struct arena *a, const struct policy *p,
                       const struct policy_party *pt, struct err *e)
{
	struct app_binding b;
	int bound, rc;

	if ((rc = binding_of(dep, a, p, pt, &b, &bound, e)))
		return rc;
	vb_obj(vb);
	policy_party_model(vb, pt);
	vb_kbool(vb, "bound", bound);
	vb_key(vb, "binding");
	if (bound) {
		if ((rc = binding_model(vb, dep, a, &b, e)))
			return rc;
	} else {
		vb_null(vb);
	}
	vb_kstr(vb, "command", arena_printf(a, "shinsa bind set %s %s " BIND_HINT " --as LOGIN", p->id, pt->id));
	vb_end(vb);
	return OK;
}

int app_binding_list_model(struct app_deploy *dep, struct arena *a, const struct policy *p,
                           const struct lval **model, struct err *e)
{
	struct parties ps;
	struct vb vb;
	size_t i;
	int rc;

	*model = NULL;
	if ((rc = app_bindings_check(dep, p, e)))
		return rc;
	parties_of(a, p, &ps);
	vb_init(&vb, a);
	vb_obj(&vb);
	vb_kstr(&vb, "pack", p->id);
	vb_kstr(&vb, "body", p->body);
	vb_kstr(&vb, "title", p->title);
	vb_key(&vb, "parties");
	vb_arr(&vb);
	for (i = 0; i < ps.n; i++)
		if ((rc = party_model(&vb, dep, a, p, &ps.v[i], e)))
			return rc;
	vb_end(&vb);
	vb_end(&vb);
	*model = vb_done(&vb);
	return OK;
}

/* ---- bind set, bind unset ---- */

static int admin_only(const struct app_actor *who, const char *what, struct err *e)
{
	if (who && who->user.role == ROLE_ADMIN && !who->user.disabled)
		return OK;
	return err_set(e, ERR_FORBIDDEN, "%1$s は管理者（admin）だけが行えます（'%2$s' は %3$s） / only an administrator "
	               "(admin) may %1$s ('%2$s' is %4$s)", what, who ? who->user.login : "", who ? app_role_ja(who->user.role) : "",
	               who ? app_role_name(who->user.role) : "nobody");
}

static int spec_text(const char *what, const char *s, struct err *e)
{
	size_t i, n = s ? strlen(s) : 0, bad;

	if (!n)
		return err_set(e, ERR_INVALID, "%1$s: 空です / %1$s is empty", what);
	if (n > BIND_TEXT_MAX)
		return err_set(e, ERR_TOOLARGE, "%1$s: 長すぎます（%2$d バイトまで） / %1$s is longer than %2$d bytes", what,
		               BIND_TEXT_MAX);
	if (!utf8_valid(s, n, &bad))
		return err_set(e, ERR_INVALID, "%1$s: UTF-8 ではありません（%2$zu バイト目） / %1$s is not UTF-8 (at byte %2$zu)",
		               what, bad + 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_set(e, ERR_INVALID, "%1$s: 制御文字は使えません / %1$s has a control character", what);
	return OK;
}

static int spec_check(struct app_deploy *dep, struct arena *a, const struct app_binding_spec *sp, struct err *e)
{
	size_t i, j;
	int rc;

	switch (sp->how) {
	case BIND_USERS:
		if (!sp->nusers)
			return err_set(e, ERR_INVALID, "--user: 利用者を 1 人以上指定します / --user names one user or more");
		if (sp->dept || sp->title)
			return err_set(e, ERR_INVALID, "--user には --dept も --title も付けません / --user takes neither --dept "
			               "nor --title");
		for (i = 0; i < sp->nusers; i++) {
			struct app_user u;

			if ((rc = spec_text("--user", sp->users[i], e)))
				return rc;
			for (j = 0; j < i; j++)
				if (!strcmp(sp->users[i], sp->users[j]))
					return err_set(e, ERR_INVALID, "--user: '%1$s' が二度あります / '%1$s' is given twice",
					               sp->users[i]);
			if ((rc = app_user_get(dep->s, a, sp->users[i], &u, e)))
				return rc;
			if (u.disabled)
				return err_set(e, ERR_FORBIDDEN, "利用者 '%1$s' は無効にされています（割り当てられません） / the user "
				               "'%1$s' is disabled and cannot be bound", sp->users[i]);
		}
		return OK;
	case BIND_DEPT:
		if ((rc = spec_text("--dept", sp->dept, e)))
			return rc;
		break;
	case BIND_APPLICANT_DEPT:
		if (sp->dept)
			return err_set(e, ERR_INVALID, "--applicant-dept には --dept を付けません / --applicant-dept takes no --dept");
		break;
	default:
		return err_set(e, ERR_INVALID, "--user、--dept、--applicant-dept のどれか一つを指定します / give one of --user, "
		               "--dept and --applicant-dept");
	}
	if (sp->users && sp->nusers)
		return err_set(e, ERR_INVALID, "--user は --dept や --applicant-dept と一緒には使えません / --user goes with "
		               "neither --dept nor --applicant-dept");
	return sp->title ? spec_text("--title", sp->title, e) : OK;
}

static const char *record_body(struct arena *a, const struct policy *p, const struct policy_party *pt,
                               const struct app_binding_spec *sp, struct err *e)
{
	struct buf out = BUF_INIT;
	struct jw w;
	const char *s = NULL;

	jw_init(&w, &out);
	jw_obj(&w);
	jw_kstr(&w, "pack", p->id);
	jw_kstr(&w, "party", pt->id);
	jw_kstr(&w, "text", pt->text);
	jw_kstr(&w, "how", sp ? app_bind_how_name(sp->how) : NULL);
	jw_key(&w, "users");
	jw_strs(&w, sp ? sp->users : NULL, sp ? sp->nusers : 0);
	jw_kstr(&w, "dept", sp ? sp->dept : NULL);
	jw_kstr(&w, "title", sp ? sp->title : NULL);
	jw_end_obj(&w);
	if (buf_error(&out))
		err_set(e, ERR_TOOLARGE, "binding: the record is too large");
	else
		s = arena_strdup(a, buf_done(&out));
	buf_free(&out);
	return s;
}

static int write_binding(struct app_deploy *dep, const struct app_actor *who, const struct policy *p,
                         const struct policy_party *pt, const struct app_binding_spec *sp, const char *action,
                         const char **status, struct err *e)
{
	struct arena *a = dep->a;
	struct store_record old, rec;
	const struct lval *doc;
	const char *body;
	int found, rc;

	if ((rc = store_binding(dep, a, p, pt, &old, &doc, &found, e)))
		return rc;
	if (!(body = record_body(a, p, pt, sp, e)))
		return e->code;
	if (found && !strcmp(old.body, body)) {
		*status = "unchanged";
		return OK;
	}
	if (!found && !sp) {
		*status = "unchanged";
		return OK;
	}
	memset(&rec, 0, sizeof(rec));
	rec.kind = "binding";
	rec.id = record_id(a, p, pt);
	rec.version = found ? old.version + 1 : 1;
	rec.keys.pack = p->id;
	rec.keys.state = sp ? "bound" : "unbound";
	rec.body = body;
	rec.body_len = strlen(body);
	if ((rc = app_record_write(dep, who, NULL, action, &rec, found ? old.body : NULL, NULL, NULL, e)))
		return rc;
	*status = sp ? "set" : "unset";
	return OK;
}

static int set_model(struct app_deploy *dep, const struct policy *p, const struct policy_party *pt, const char *status,
                     const struct lval **model, struct err *e)
{
	struct vb vb;
	int rc;

	if (!model)
		return OK;
	vb_init(&vb, dep->a);
	vb_obj(&vb);
	vb_kstr(&vb, "status", status);
	vb_kstr(&vb, "pack", p->id);
	vb_key(&vb, "party");
	if ((rc = party_model(&vb, dep, dep->a, p, pt, e)))
		return rc;
	vb_end(&vb);
	*model = vb_done(&vb);
	return OK;
}

static int set_or_unset(struct app_deploy *dep, const struct app_actor *who, const struct policy *p, const char *party,
                        const struct app_binding_spec *spec, const struct lval **model, struct err *e)
{
	struct parties ps;
	const struct policy_party *pt;
	const char *status = NULL;
	int rc;

	if (model)
		*model = NULL;
	if ((rc = admin_only(who, spec ? "bind set" : "bind unset", e)) || (rc = app_bindings_check(dep, p, e)))
		return rc;
	parties_of(dep->a, p, &ps);
	if ((rc = party_find(&ps, p, party, &pt, e)))
		return rc;
	if (spec && (rc = spec_check(dep, dep->a, spec, e)))
		return rc;
	if ((rc = write_binding(dep, who, p, pt, spec, spec ? "binding.set" : "binding.unset", &status, e)))
		return rc;
	return set_model(dep, p, pt, status, model, e);
}

int app_binding_set(struct app_deploy *dep, const struct app_actor *who, const struct policy *p, const char *party,
                    const struct app_binding_spec *spec, const struct lval **model, struct err *e)
{
	if (!spec)
		return err_set(e, ERR_INVALID, "--user、--dept、--applicant-dept のどれか一つを指定します / give one of --user, "
		               "--dept and --applicant-dept");
	return set_or_unset(dep, who, p, party, spec, model, e);
}

int app_binding_unset(struct app_deploy *dep, const struct app_actor *who, const struct policy *p, const char *party,
                      const struct lval **model, struct err *e)
{
	return set_or_unset(dep, who, p, party, NULL, model, e);
}
