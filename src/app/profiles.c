/* Service profiles as records (app/profiles.h): added and updated as whole
 * versions of kind "profile", each checked as evaluate reads a profile, and
 * read back as the document, one version, its history, or the list. */
#include "app/profiles.h"

#include <string.h>

#include "assess/profile.h"
#include "core/buf.h"
#include "logic/json.h"
#include "logic/jw.h"
#include "logic/vb.h"
#include "store/store.h"

#define KIND "profile"

/* An id as given: a profile's number, 1, 2, … (no sign, no leading zero). */
static int parse_id(const char *id, long long *n, struct err *e)
{
	size_t i, len = id ? strlen(id) : 0;

	*n = 0;
	if (len && len <= 15 && id[0] != '0') {
		for (i = 0; i < len && id[i] >= '0' && id[i] <= '9'; i++)
			*n = *n * 10 + (id[i] - '0');
		if (i == len)
			return OK;
	}
	return err_set(e, ERR_INVALID, "'%1$s' はプロファイルの番号ではありません（shinsa profile list） / '%1$s' is not "
	               "a profile's id (a number: see shinsa profile list)", id ? id : "");
}

int app_profile_may_write(const struct app_actor *who, struct err *e)
{
	const char *role;

	if (!who)
		return err_set(e, ERR_FORBIDDEN, "誰として行うかがわかりません / who acts is not known");
	role = app_role_name(who->user.role);
	if (who->user.role == ROLE_APPLICANT || who->user.role == ROLE_MANAGER || who->user.role == ROLE_ADMIN)
		return OK;
	return err_set(e, ERR_FORBIDDEN, "サービスのプロファイルを登録・更新できるのは申請者・管理責任者・管理者です"
	               "（'%1$s' は%2$s） / only an applicant, a manager or an admin may add or update a service profile "
	               "('%1$s' is %3$s %4$s)", who->user.login, app_role_ja(who->user.role),
	               role[0] && strchr("aeiou", role[0]) ? "an" : "a", role);
}

/* service.KEY of a profile document as text, "" when it is not. */
static const char *svc_str(const struct lval *doc, const char *key)
{
	return app_jstr(doc && doc->type == LV_OBJ ? lval_get(doc, "service", 7) : NULL, key);
}

/* The subcontractors a document lists, NULL for none (absent, null or []). */
static const struct lval *subs_of(const struct lval *doc)
{
	const struct lval *l = doc && doc->type == LV_OBJ ? lval_get(doc, "subcontractors", 14) : NULL;

	return l && l->type == LV_ARR && l->n ? l : NULL;
}

/* A stored version into p (its texts in a, as r's are). */
static int from_record(struct arena *a, const struct store_record *r, struct app_profile *p, struct err *e)
{
	const struct lval *body;

	memset(p, 0, sizeof(*p));
	if (json_parse(a, r->body, r->body_len, &body, e) || body->type != LV_OBJ ||
	    !(p->doc = lval_get(body, "doc", 3)) || p->doc->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "profile %s version %lld: the stored record is not a profile", r->id,
		               r->version);
	p->id = r->id;
	p->version = r->version;
	p->newest = r->version;
	p->at = r->at;
	p->actor = r->actor;
	p->file = app_jstr(body, "file");
	p->format = app_jstr(body, "format");
	p->source = app_jstr(body, "source");
	p->provider = svc_str(p->doc, "provider");
	p->name = svc_str(p->doc, "name");
	return OK;
}

static int not_found(struct err *e, const char *id)
{
	return err_set(e, ERR_NOTFOUND, "プロファイル %1$s はありません（shinsa profile list） / there is no profile %1$s "
	               "(see shinsa profile list)", id);
}

int app_profile_get(struct app_deploy *dep, struct arena *a, const char *id, long long version,
                    struct app_profile *out, struct err *e)
{
	struct store_record r, newest;
	long long n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = parse_id(id, &n, e)))
		return rc;
	if (version < 0)
		return err_set(e, ERR_INVALID, "版 %lld はありません（版は 1 から） / there is no version %lld (versions "
		               "count from 1)", version, version);
	rc = store_record_get(dep->s, a, KIND, id, 0, &newest, e);
	if (rc == ERR_NOTFOUND)
		return not_found(e, id);
	if (rc)
		return rc;
	if (version && version != newest.version) {
		rc = store_record_get(dep->s, a, KIND, id, version, &r, e);
		if (rc == ERR_NOTFOUND)
			return err_set(e, ERR_NOTFOUND, "プロファイル %1$s に版 %2$lld はありません（版 1〜%3$lld） / profile %1$s "
			               "has no version %2$lld (versions 1-%3$lld)", id, version, newest.version);
		if (rc)
			return rc;
	} else {
		r = newest;
	}
	if ((rc = from_record(a, &r, out, e)))
		return rc;
	out->newest = newest.version;
	return OK;
}

/* ---- add and update ---- */

/* The profile in text checked as evaluate reads it; an application refused. */
static int check_text(struct app_deploy *dep, const char *file, const char *text, size_t size,
                      const struct lval **doc, struct diag *err, struct diag *warn)
{
	struct profile_env env = { dep->set, dep->countries, NULL, NULL };
	struct diag w = { 0 };
	size_t before = err->n, i;
	int rc;

	if (size > APP_PROFILE_MAX) {
		diag_add(err, file, 0, 0, "保存するには大きすぎます（%1$zu バイトまで） / too large to keep: at most %1$zu bytes",
		         APP_PROFILE_MAX);
		return ERR_TOOLARGE;
	}
	rc = profile_load_text(dep->a, &env, file, text, size, doc, err, &w);
	if (rc == OK && profile_is_application(*doc)) {
		diag_add(err, file, 0, 0, "これは利用申請（app:, answers:, risks:）で、サービスのプロファイルではありません"
		         "（利用申請は shinsa app create で出します） / this is an application (app:, answers:, risks:), not a "
		         "service profile (an application is filed with shinsa app create)");
		rc = ERR_INVALID;
	} else {
		for (i = 0; i < w.n; i++)
			diag_add(warn, w.items[i].file, w.items[i].line, w.items[i].col, "%s", w.items[i].msg);
	}
	diag_free(&w);
	if (!rc && err->n > before)
		rc = ERR_INVALID;
	return rc;
}

/* The record's body: {file, format, source, doc}. JSON writes DEL (0x7f) as
 * itself, which the store refuses in a body: written as \u007f instead. */
static int make_body(struct arena *a, const char *file, const char *text, size_t size, const struct lval *doc,
                     const char **body, size_t *len, const struct lval **stored, struct err *e)
{
	struct buf b = BUF_INIT, c = BUF_INIT;
	const struct lval *v;
	struct jw w;
	size_t i;
	int rc = OK;

	buf_init(&b, STORE_BODY_MAX);
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "file", file);
	jw_kstr(&w, "format", profile_text_format(text, size));
	jw_kstr(&w, "source", arena_strndup(a, text, size));
	jw_key(&w, "doc");
	jw_val(&w, doc);
	jw_end_obj(&w);
	if (buf_error(&b)) {
		rc = err_set(e, ERR_TOOLARGE, "%s: 保存するには大きすぎます / too large to keep", file);
		goto out;
	}
	if (memchr(b.data, 0x7f, b.len)) {
		buf_init(&c, STORE_BODY_MAX);
		for (i = 0; i < b.len; i++) {
			if (b.data[i] == 0x7f)
				buf_adds(&c, "\\u007f");
			else
				buf_addc(&c, b.data[i]);
		}
		if (buf_error(&c)) {
			rc = err_set(e, ERR_TOOLARGE, "%s: 保存するには大きすぎます / too large to keep", file);
			goto out;
		}
		buf_free(&b);
		b = c;
		c = (struct buf)BUF_INIT;
	}
	*body = arena_strndup(a, b.data, b.len);
	*len = b.len;
	/* the document as it will be read back, for comparing versions */
	if (json_parse(a, *body, *len, &v, e) || !(*stored = lval_get(v, "doc", 3)))
		rc = err_set(e, ERR_INTERNAL, "%s: the profile does not read back as JSON", file);
out:
	buf_free(&b);
	buf_free(&c);
	return rc;
}

/* service.provider as an indexed key: control characters as spaces, cut at
 * STORE_KEY_MAX on a character's boundary (the document keeps it whole). */
static const char *provider_key(struct arena *a, const char *p)
{
	size_t n = strlen(p), i;
	char *k;

	if (n > STORE_KEY_MAX) {
		n = STORE_KEY_MAX;
		while (n && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	k = arena_strndup(a, p, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)k[i] < 0x20 || k[i] == 0x7f)
			k[i] = ' ';
	return k;
}

static void fill_result(struct app_profile_result *out, const struct store_record *rec, const char *file,
                        const char *text, size_t size, const struct lval *doc)
{
	struct app_profile *p = &out->p;

	p->id = rec->id;
	p->version = rec->version;
	p->newest = rec->version;
	p->at = rec->at;
	p->actor = rec->actor;
	p->file = file;
	p->doc = doc;
	p->format = profile_text_format(text, size);
	p->source = NULL;
	p->provider = svc_str(doc, "provider");
	p->name = svc_str(doc, "name");
}

int app_profile_add(struct app_deploy *dep, const struct app_actor *who, const char *file, const char *text,
                    size_t size, const char *comment, struct app_profile_result *out, struct diag *err,
                    struct diag *warn, struct err *e)
{
	struct store_record rec;
	const struct lval *doc, *stored;
	long long n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = app_profile_may_write(who, e)))
		return rc;
	if (!dep->set || !dep->log)
		return err_set(e, ERR_INTERNAL, "app_profile_add: the deployment was opened without its packs or audit log");
	if ((rc = check_text(dep, file, text, size, &doc, err, warn)))
		return err_set(e, rc, "%s: 入力に誤りがあります（何も登録していません） / the profile has mistakes (nothing "
		               "was stored)", file);
	memset(&rec, 0, sizeof(rec));
	if ((rc = make_body(dep->a, file, text, size, doc, &rec.body, &rec.body_len, &stored, e)))
		return rc;
	if ((rc = store_begin(dep->s, e)))
		return rc;
	if ((rc = store_record_next_number(dep->s, KIND, &n, e)))
		goto fail;
	rec.kind = KIND;
	rec.id = arena_printf(dep->a, "%lld", n);
	rec.number = n;
	rec.version = 1;
	rec.keys.state = "current";
	rec.keys.provider = provider_key(dep->a, svc_str(stored, "provider"));
	if ((rc = app_record_write(dep, who, NULL, "profile.add", &rec, NULL, NULL, comment, e)) ||
	    (rc = store_commit(dep->s, e)))
		goto fail;
	fill_result(out, &rec, file, text, size, stored);
	out->changed = 1;
	out->subcontractors_changed = subs_of(stored) != NULL;
	return OK;
fail:
	store_rollback(dep->s);
	return rc;
}

int app_profile_update(struct app_deploy *dep, const struct app_actor *who, const char *id, const char *file,
                       const char *text, size_t size, const char *comment, struct app_profile_result *out,
                       struct diag *err, struct diag *warn, struct err *e)
{
	struct store_record rec, old;
	struct app_profile prev;
	const struct lval *doc, *stored, *s1, *s2;
	long long n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = app_profile_may_write(who, e)) || (rc = parse_id(id, &n, e)))
		return rc;
	if (!dep->set || !dep->log)
		return err_set(e, ERR_INTERNAL, "app_profile_update: the deployment was opened without its packs or audit log");
	if ((rc = check_text(dep, file, text, size, &doc, err, warn)))
		return err_set(e, rc, "%s: 入力に誤りがあります（何も変えていません） / the profile has mistakes (nothing "
		               "was changed)", file);
	memset(&rec, 0, sizeof(rec));
	if ((rc = make_body(dep->a, file, text, size, doc, &rec.body, &rec.body_len, &stored, e)))
		return rc;
	if ((rc = store_begin(dep->s, e)))
		return rc;
	rc = store_record_get(dep->s, dep->a, KIND, id, 0, &old, e);
	if (rc == ERR_NOTFOUND)
		rc = not_found(e, id);
	if (rc || (rc = from_record(dep->a, &old, &prev, e)))
		goto fail;
	if (lval_deep_eq(prev.doc, stored)) {
		/* the same facts: no version, no audit entry */
		store_rollback(dep->s);
		out->p = prev;
		out->changed = 0;
		return OK;
	}
	rec.kind = KIND;
	rec.id = old.id;
	rec.number = old.number;
	rec.version = old.version + 1;
	rec.keys.state = "current";
	rec.keys.provider = provider_key(dep->a, svc_str(stored, "provider"));
	if ((rc = app_record_write(dep, who, NULL, "profile.update", &rec, old.body, NULL, comment, e)) ||
	    (rc = store_commit(dep->s, e)))
		goto fail;
	fill_result(out, &rec, file, text, size, stored);
	out->changed = 1;
	s1 = subs_of(prev.doc);
	s2 = subs_of(stored);
	out->subcontractors_changed = (s1 == NULL) != (s2 == NULL) || (s1 && !lval_deep_eq(s1, s2));
	return OK;
fail:
	store_rollback(dep->s);
	return rc;
}

/* ---- models ---- */

static long long subs_count(const struct lval *doc)
{
	const struct lval *l = subs_of(doc);

	return l ? (long long)l->n : 0;
}

/* A member as text, or null when it is absent or not text. */
static void kstr_or_null(struct vb *b, const char *k, const struct lval *obj)
{
	const struct lval *v = lval_get(obj, k, strlen(k));

	vb_key(b, k);
	vb_str(b, v && v->type == LV_STR ? v->u.str : NULL);
}

static void subs_model(struct vb *b, const struct lval *doc, const struct country_list *countries)
{
	const struct lval *l = subs_of(doc);
	size_t i;

	vb_key(b, "subcontractors");
	vb_arr(b);
	for (i = 0; l && i < l->n; i++) {
		const struct lval *s = l->u.arr[i];
		const struct lval *loc = s->type == LV_OBJ ? lval_get(s, "location", 8) : NULL;
		const struct country *c = loc && loc->type == LV_STR && countries ? country_find(countries, loc->u.str, loc->n)
		                                                                  : NULL;

		if (s->type != LV_OBJ)
			continue;
		vb_obj(b);
		kstr_or_null(b, "name", s);
		kstr_or_null(b, "role", s);
		kstr_or_null(b, "location", s);
		vb_key(b, "location_ja");
		vb_str(b, c ? c->ja : NULL);
		vb_key(b, "location_en");
		vb_str(b, c ? c->en : NULL);
		kstr_or_null(b, "region", s);
		kstr_or_null(b, "note", s);
		vb_end(b);
	}
	vb_end(b);
}

int app_profile_show(struct app_deploy *dep, struct arena *a, const char *id, long long version,
                     const struct country_list *countries, const struct lval **model, struct err *e)
{
	struct app_profile p;
	struct arena t;
	struct vb b;
	long long v;
	int rc;

	if ((rc = app_profile_get(dep, a, id, version, &p, e)))
		return rc;
	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "id", p.id);
	vb_kint(&b, "version", p.version);
	vb_kint(&b, "newest", p.newest);
	vb_kstr(&b, "at", p.at);
	vb_kstr(&b, "actor", p.actor);
	vb_kstr(&b, "file", p.file);
	vb_kstr(&b, "format", p.format);
	vb_kstr(&b, "name", p.name);
	vb_kstr(&b, "provider", p.provider);
	subs_model(&b, p.doc, countries);
	vb_key(&b, "doc");
	vb_val(&b, p.doc);
	vb_kstr(&b, "source", p.source);
	vb_key(&b, "versions");
	vb_arr(&b);
	arena_init(&t, 1 << 14);
	for (v = 1; v <= p.newest; v++) {
		struct store_record r;
		struct app_profile q;

		arena_reset(&t);
		if ((rc = store_record_get(dep->s, &t, KIND, p.id, v, &r, e)) || (rc = from_record(&t, &r, &q, e))) {
			arena_release(&t);
			return rc;
		}
		vb_obj(&b);
		vb_kint(&b, "version", v);
		vb_key(&b, "at");
		vb_strdup(&b, q.at);
		vb_key(&b, "actor");
		vb_strdup(&b, q.actor);
		vb_key(&b, "file");
		vb_strdup(&b, q.file);
		vb_key(&b, "name");
		vb_strdup(&b, q.name);
		vb_key(&b, "provider");
		vb_strdup(&b, q.provider);
		vb_end(&b);
	}
	arena_release(&t);
	vb_end(&b);
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
}

struct list_state {
	struct arena *a, t;
	struct vb *b;
};

static int list_one(void *arg, const struct store_record *r, struct err *e)
{
	struct list_state *x = arg;
	struct app_profile p;
	int rc;

	arena_reset(&x->t);
	if ((rc = from_record(&x->t, r, &p, e)))
		return rc;
	vb_obj(x->b);
	vb_key(x->b, "id");
	vb_strdup(x->b, r->id);
	vb_kint(x->b, "version", r->version);
	vb_key(x->b, "name");
	vb_strdup(x->b, p.name);
	vb_key(x->b, "provider");
	vb_strdup(x->b, p.provider);
	vb_kint(x->b, "subcontractors", subs_count(p.doc));
	vb_key(x->b, "file");
	vb_strdup(x->b, p.file);
	vb_key(x->b, "updated_at");
	vb_strdup(x->b, r->at);
	vb_key(x->b, "updated_by");
	vb_strdup(x->b, r->actor);
	vb_end(x->b);
	return OK;
}

int app_profile_list(struct app_deploy *dep, struct arena *a, const struct lval **model, struct err *e)
{
	struct store_query q;
	struct list_state x;
	struct vb b;
	int rc;

	memset(&q, 0, sizeof(q));
	q.kind = KIND;
	x.a = a;
	x.b = &b;
	arena_init(&x.t, 1 << 14);
	vb_init(&b, a);
	vb_arr(&b);
	rc = store_record_find(dep->s, &q, list_one, &x, e);
	arena_release(&x.t);
	if (rc)
		return rc;
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
}

const struct lval *app_profile_result_model(struct arena *a, const struct app_profile_result *r,
                                            const struct diag *warn)
{
	struct vb b;
	size_t i;

	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "id", r->p.id);
	vb_kint(&b, "version", r->p.version);
	vb_kbool(&b, "changed", r->changed);
	vb_kbool(&b, "subcontractors_changed", r->subcontractors_changed);
	vb_kstr(&b, "at", r->p.at);
	vb_kstr(&b, "actor", r->p.actor);
	vb_kstr(&b, "file", r->p.file);
	vb_kstr(&b, "format", r->p.format);
	vb_kstr(&b, "name", r->p.name);
	vb_kstr(&b, "provider", r->p.provider);
	vb_kint(&b, "subcontractors", subs_count(r->p.doc));
	vb_key(&b, "warnings");
	vb_arr(&b);
	for (i = 0; warn && i < warn->n; i++)
		vb_strdup(&b, warn->items[i].text);
	vb_end(&b);
	vb_end(&b);
	return vb_done(&b);
}
