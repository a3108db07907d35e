/* Users and roles (app/user.h): the checks on a login, a role and a
 * password; passwords kept as PBKDF2-HMAC-SHA256 with a salt of their own;
 * who may add, change and disable users; each change one version of the
 * user's record with its audit entry, which never holds the hash or salt. */
#include "app/user.h"

#include <string.h>

#include "app/deploy.h"
#include "core/crypto.h"
#include "core/isotime.h"
#include "core/utf8.h"
#include "logic/json.h"
#include "logic/jw.h"
#include "logic/vb.h"

static const char *const role_names[ROLE_COUNT] = {
	"applicant", "approver", "consultee", "manager", "admin", "auditor",
};
static const char *const role_ja[ROLE_COUNT] = {
	"申請者", "承認者", "協議先", "管理責任者", "管理者", "監査者",
};

const char *app_role_name(int role)
{
	return role >= 0 && role < ROLE_COUNT ? role_names[role] : "";
}

const char *app_role_ja(int role)
{
	return role >= 0 && role < ROLE_COUNT ? role_ja[role] : "";
}

int app_role_of(const char *name)
{
	int i;

	for (i = 0; name && i < ROLE_COUNT; i++)
		if (!strcmp(name, role_names[i]))
			return i;
	return -1;
}

int app_user_get(struct store *s, struct arena *a, const char *login, struct app_user *out, struct err *e)
{
	struct store_record r;
	const struct lval *doc;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_record_get(s, a, "user", login, 0, &r, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "利用者 '%1$s' はいません（shinsa user list） / there is no user '%1$s' "
		               "(shinsa user list)", login);
	if (rc)
		return rc;
	if ((rc = json_parse(a, r.body, r.body_len, &doc, e)))
		return err_set(e, ERR_INTERNAL, "user %s: the stored record is not JSON", login);
	out->login = arena_strdup(a, login);
	out->name = app_jstr(doc, "name");
	out->dept = app_jstr(doc, "dept");
	out->title = app_jstr(doc, "title");
	out->role = app_role_of(app_jstr(doc, "role"));
	out->disabled = !strcmp(r.keys.state, "disabled");
	out->version = r.version;
	if (out->role < 0)
		return err_set(e, ERR_INTERNAL, "user %s: the stored role '%s' is not a role", login, app_jstr(doc, "role"));
	return OK;
}

int app_actor_as(struct store *s, struct arena *a, const char *login, const char *channel,
                 struct app_actor *out, struct err *e)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = app_user_get(s, a, login, &out->user, e)))
		return rc;
	if (out->user.disabled)
		return err_set(e, ERR_FORBIDDEN, "利用者 '%1$s' は無効にされています / the user '%1$s' is disabled", login);
	out->channel = channel;
	return OK;
}

/* ---- checks ---- */

static const char *role_list(void)
{
	return "applicant（申請者）, approver（承認者）, consultee（協議先）, manager（管理責任者）, admin（管理者）, "
	       "auditor（監査者）";
}

int app_user_login_check(const char *login, struct err *e)
{
	size_t i, n = login ? strlen(login) : 0;

	if (!n)
		return err_set(e, ERR_INVALID, "ログイン名が空です / the login is empty");
	if (n > USER_LOGIN_MAX)
		return err_set(e, ERR_INVALID, "ログイン名 '%.64s…' が長すぎます（%d 文字まで） / the login is longer than %d "
		               "characters", login, USER_LOGIN_MAX, USER_LOGIN_MAX);
	for (i = 0; i < n; i++) {
		char c = login[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return err_set(e, ERR_INVALID,
			               "ログイン名 '%1$s' に使えない文字があります（英小文字・数字・. _ - で、英小文字か数字で始まる "
			               "%2$d 文字まで） / the login '%1$s' may hold only a-z, 0-9, '.', '_' and '-', start with a "
			               "letter or a digit, and have at most %2$d characters",
			               utf8_valid(login, n, NULL) ? login : "?", USER_LOGIN_MAX);
	}
	return OK;
}

int app_user_role_check(const char *name, int *role, struct err *e)
{
	int r = app_role_of(name);

	if (r < 0)
		return err_set(e, ERR_INVALID, "役割 '%1$s' はありません（%2$s のいずれか） / there is no role '%1$s' (one of: "
		               "applicant, approver, consultee, manager, admin, auditor)",
		               name && utf8_valid(name, strlen(name), NULL) ? name : "", role_list());
	if (role)
		*role = r;
	return OK;
}

/* UTF-8 with no control character (none is allowed in a user's texts). */
static int plain_text(const char *t, size_t n)
{
	size_t i;

	if (!utf8_valid(t, n, NULL))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return 0;
	return 1;
}

int app_user_text_check(const char *what, const char *text, struct err *e)
{
	size_t n = text ? strlen(text) : 0;

	if (n > USER_TEXT_MAX)
		return err_set(e, ERR_INVALID, "--%1$s が長すぎます（%2$d バイトまで） / --%1$s is longer than %2$d bytes", what,
		               USER_TEXT_MAX);
	if (!plain_text(text ? text : "", n))
		return err_set(e, ERR_INVALID, "--%1$s が UTF-8 でないか、制御文字を含みます / --%1$s is not UTF-8 or holds a "
		               "control character", what);
	return OK;
}

int app_user_password_check(const char *pw, size_t n, struct err *e)
{
	size_t i, chars = 0;

	if (!n)
		return err_set(e, ERR_INVALID, "パスワードが空です / the password is empty");
	if (n > USER_PASSWORD_MAX)
		return err_set(e, ERR_INVALID, "パスワードが長すぎます（%1$d バイトまで） / the password is longer than %1$d "
		               "bytes", USER_PASSWORD_MAX);
	if (memchr(pw, '\0', n) || !plain_text(pw, n))
		return err_set(e, ERR_INVALID, "パスワードが UTF-8 でないか、制御文字を含みます / the password is not UTF-8 "
		               "or holds a control character");
	for (i = 0; i < n; i++)
		if (((unsigned char)pw[i] & 0xc0) != 0x80)
			chars++;
	if (chars < USER_PASSWORD_MIN)
		return err_set(e, ERR_INVALID, "パスワードが短すぎます（%1$d 文字以上） / the password is shorter than %1$d "
		               "characters", USER_PASSWORD_MIN);
	return OK;
}

/* ---- passwords ---- */

int app_password_make(const char *pw, size_t n, unsigned iterations, struct app_password *out, struct err *e)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->iterations = iterations ? iterations : USER_PBKDF2_ITERATIONS;
	out->salt_len = USER_SALT_BYTES;
	if ((rc = crypto_random(out->salt, out->salt_len, e)))
		return rc;
	crypto_pbkdf2_sha256(pw, n, out->salt, out->salt_len, out->iterations, out->hash, USER_HASH_BYTES);
	return OK;
}

int app_password_match(const struct app_password *p, const char *pw, size_t n)
{
	unsigned char h[USER_HASH_BYTES];
	int same;

	crypto_pbkdf2_sha256(pw, n, p->salt, p->salt_len, p->iterations, h, sizeof(h));
	same = crypto_equal(h, p->hash, sizeof(h));
	explicit_bzero(h, sizeof(h));
	return same;
}

int app_password_of(const struct lval *body, struct app_password *out, struct err *e)
{
	const struct lval *pw = body && body->type == LV_OBJ ? lval_get(body, "password", 8) : NULL;
	const struct lval *it = pw && pw->type == LV_OBJ ? lval_get(pw, "iterations", 10) : NULL;
	const char *salt = app_jstr(pw, "salt"), *hash = app_jstr(pw, "hash");
	size_t sn = strlen(salt);

	memset(out, 0, sizeof(*out));
	if (!pw || pw->type != LV_OBJ)
		return err_set(e, ERR_INVALID, "the record holds no password");
	if (strcmp(app_jstr(pw, "algorithm"), USER_PASSWORD_ALGORITHM))
		return err_set(e, ERR_INVALID, "the password's algorithm '%s' is not " USER_PASSWORD_ALGORITHM,
		               app_jstr(pw, "algorithm"));
	if (!it || it->type != LV_NUM || it->u.num < 1 || it->u.num > USER_PBKDF2_ITERATIONS_MAX ||
	    it->u.num != (double)(unsigned)it->u.num)
		return err_set(e, ERR_INVALID, "the password's iteration count is not a whole number from 1 to %d",
		               USER_PBKDF2_ITERATIONS_MAX);
	out->iterations = (unsigned)it->u.num;
	if (sn % 2 || sn / 2 < USER_SALT_BYTES || sn / 2 > USER_SALT_MAX ||
	    crypto_unhex(salt, out->salt, sn / 2) < 0)
		return err_set(e, ERR_INVALID, "the password's salt is not %d to %d bytes in hex", USER_SALT_BYTES,
		               USER_SALT_MAX);
	out->salt_len = sn / 2;
	if (strlen(hash) != 2 * USER_HASH_BYTES || crypto_unhex(hash, out->hash, USER_HASH_BYTES) < 0)
		return err_set(e, ERR_INVALID, "the password's hash is not %d bytes in hex", USER_HASH_BYTES);
	return OK;
}

/* ---- a user's record ---- */

/* A user's record body, read or to write. */
struct user_doc {
	const char *login, *name, *dept, *title;
	int role, disabled;
	struct app_password pw;
	const char *pw_set_at;     /* when the password was set */
	long long version;         /* the record's; 0 for a new user */
};

static int read_doc(struct store *s, struct arena *a, const char *login, struct user_doc *d, struct err *e)
{
	struct store_record r;
	const struct lval *doc, *pw;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = store_record_get(s, a, "user", login, 0, &r, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "利用者 '%1$s' はいません（shinsa user list） / there is no user '%1$s' "
		               "(shinsa user list)", login);
	if (rc)
		return rc;
	if (json_parse(a, r.body, r.body_len, &doc, e) || doc->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "user %s: the stored record is not a JSON object", login);
	d->login = arena_strdup(a, login);
	d->name = app_jstr(doc, "name");
	d->dept = app_jstr(doc, "dept");
	d->title = app_jstr(doc, "title");
	d->role = app_role_of(app_jstr(doc, "role"));
	d->disabled = !strcmp(r.keys.state, "disabled");
	d->version = r.version;
	pw = lval_get(doc, "password", 8);
	d->pw_set_at = app_jstr(pw, "set_at");
	if (d->role < 0)
		return err_set(e, ERR_INTERNAL, "user %s: the stored role '%s' is not a role", login, app_jstr(doc, "role"));
	if ((rc = app_password_of(doc, &d->pw, e))) {
		err_prefix(e, "user %s", login);
		return ERR_INTERNAL;
	}
	return OK;
}

/* The body's JSON; with secret, the password's salt and hash, which only the
 * record holds (the audit texts are written without them). */
static const char *doc_json(struct arena *a, const struct user_doc *d, int secret)
{
	char salt[2 * USER_SALT_MAX + 1], hash[2 * USER_HASH_BYTES + 1];
	struct buf b = BUF_INIT;
	struct jw w;
	const char *t;

	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "login", d->login);
	jw_kstr(&w, "name", d->name);
	jw_kstr(&w, "dept", d->dept);
	jw_kstr(&w, "title", d->title);
	jw_kstr(&w, "role", app_role_name(d->role));
	jw_key(&w, "disabled");
	jw_bool(&w, d->disabled);
	jw_key(&w, "password");
	jw_obj(&w);
	jw_kstr(&w, "algorithm", USER_PASSWORD_ALGORITHM);
	jw_key(&w, "iterations");
	jw_int(&w, d->pw.iterations);
	if (secret) {
		jw_kstr(&w, "salt", crypto_hex(d->pw.salt, d->pw.salt_len, salt));
		jw_kstr(&w, "hash", crypto_hex(d->pw.hash, USER_HASH_BYTES, hash));
	}
	jw_kstr(&w, "set_at", d->pw_set_at);
	jw_end_obj(&w);
	jw_end_obj(&w);
	if (buf_error(&b))
		abort();   /* a few hundred bytes: only out of memory */
	t = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	explicit_bzero(salt, sizeof(salt));
	explicit_bzero(hash, sizeof(hash));
	return t;
}

static void user_of(const struct user_doc *d, struct app_user *u)
{
	memset(u, 0, sizeof(*u));
	u->login = d->login;
	u->name = d->name;
	u->dept = d->dept;
	u->title = d->title;
	u->role = d->role;
	u->disabled = d->disabled;
	u->version = d->version;
}

/* Write after as the record's next version, before (NULL for a new user)
 * being the one it follows, with the audit entry for action. */
static int put_doc(struct app_deploy *dep, const struct app_actor *who, const char *channel, const char *action,
                   struct user_doc *after, const struct user_doc *before, const char *at, struct err *e)
{
	struct store_record r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.kind = "user";
	r.id = after->login;
	r.version = before ? before->version + 1 : 1;
	r.at = at;
	r.keys.state = after->disabled ? "disabled" : "active";
	r.keys.owner = after->login;
	r.keys.dept = after->dept;
	r.body = doc_json(dep->a, after, 1);
	r.body_len = strlen(r.body);
	rc = app_record_write(dep, who, channel, action, &r, before ? doc_json(dep->a, before, 0) : NULL,
	                      doc_json(dep->a, after, 0), NULL, e);
	if (!rc)
		after->version = r.version;
	return rc;
}

/* How many active users are admins. */
struct count_arg {
	struct arena *a;
	long long n;
};

static int count_admin(void *arg, const struct store_record *r, struct err *e)
{
	struct count_arg *c = arg;
	const struct lval *doc;

	if (json_parse(c->a, r->body, r->body_len, &doc, e))
		return err_set(e, ERR_INTERNAL, "user %s: the stored record is not JSON", r->id);
	if (app_role_of(app_jstr(doc, "role")) == ROLE_ADMIN)
		c->n++;
	return OK;
}

static int active_admins(struct store *s, struct arena *a, long long *n, struct err *e)
{
	static const char *const active[] = { "active" };
	struct count_arg c = { a, 0 };
	struct store_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.kind = "user";
	q.states = active;
	q.nstates = 1;
	rc = store_record_find(s, &q, count_admin, &c, e);
	*n = c.n;
	return rc;
}

static const char *op_name(enum app_user_op op)
{
	switch (op) {
	case USER_OP_ADD: return "user add";
	case USER_OP_SET_ROLE: return "user set-role";
	case USER_OP_DISABLE: return "user disable";
	case USER_OP_PASSWD: return "user passwd";
	}
	return "user";
}

int app_user_may(struct app_deploy *dep, const struct app_actor *who, enum app_user_op op, const char *login,
                 const char *role, struct err *e)
{
	struct app_actor me;
	struct user_doc t;
	long long admins;
	int rc, new_role = -1, is_admin;

	if ((rc = app_user_login_check(login, e)))
		return rc;
	if ((op == USER_OP_ADD || op == USER_OP_SET_ROLE) && (rc = app_user_role_check(role, &new_role, e)))
		return rc;
	if (!who) {
		if (op != USER_OP_ADD)
			return err_set(e, ERR_FORBIDDEN, "%1$s: 誰として行うかを --as LOGIN で指定してください / %1$s: say who "
			               "acts with --as LOGIN", op_name(op));
		if ((rc = active_admins(dep->s, dep->a, &admins, e)))
			return rc;
		if (admins)
			return err_set(e, ERR_FORBIDDEN, "利用者の追加は管理者（admin）が --as LOGIN で行います / adding a user "
			               "takes an admin: say who with --as LOGIN");
		if (new_role != ROLE_ADMIN)
			return err_set(e, ERR_FORBIDDEN, "まだ管理者がいません。最初の利用者は --role admin で追加してください / "
			               "there is no admin yet: the first user must be added with --role admin");
	} else {
		/* read again: the actor may have been disabled or changed meanwhile */
		if ((rc = app_actor_as(dep->s, dep->a, who->user.login, who->channel, &me, e)))
			return rc;
		is_admin = me.user.role == ROLE_ADMIN;
		if (op == USER_OP_PASSWD ? !is_admin && strcmp(me.user.login, login) : !is_admin)
			return err_set(e, ERR_FORBIDDEN,
			               "%1$s: '%2$s' は%3$sのため行えません（管理者 admin%4$s だけが行えます） / %1$s: '%2$s' "
			               "is %5$s; only an admin%6$s may",
			               op_name(op), me.user.login, app_role_ja(me.user.role),
			               op == USER_OP_PASSWD ? " か本人" : "", app_role_name(me.user.role),
			               op == USER_OP_PASSWD ? " or the user themselves" : "");
	}
	rc = read_doc(dep->s, dep->a, login, &t, e);
	if (op == USER_OP_ADD) {
		if (rc == OK)
			return t.disabled
			       ? err_set(e, ERR_EXISTS, "利用者 '%1$s' は無効にされています。ログイン名は使い回せません / the user "
			                 "'%1$s' exists, disabled: a login is never given to anyone else", login)
			       : err_set(e, ERR_EXISTS, "利用者 '%1$s' はすでにいます / the user '%1$s' exists", login);
		if (rc != ERR_NOTFOUND)
			return rc;
		err_clear(e);
		return OK;
	}
	if (rc)
		return rc;
	if (t.disabled)
		return err_set(e, ERR_INVALID, "利用者 '%1$s' は無効にされています（変更できません） / the user '%1$s' is "
		               "disabled and cannot be changed", login);
	switch (op) {
	case USER_OP_SET_ROLE:
		if (t.role == new_role)
			return err_set(e, ERR_INVALID, "'%1$s' の役割はすでに %2$s（%3$s）です / '%1$s' has the role %2$s already",
			               login, app_role_name(new_role), app_role_ja(new_role));
		if (t.role == ROLE_ADMIN) {
			if ((rc = active_admins(dep->s, dep->a, &admins, e)))
				return rc;
			if (admins <= 1)
				return err_set(e, ERR_FORBIDDEN,
				               "'%1$s' は最後の有効な管理者です。管理者がいなくなると利用者を管理できないため、先に別の"
				               "管理者を追加してください / '%1$s' is the last active admin: without one nobody could "
				               "manage the users; make another admin first", login);
		}
		break;
	case USER_OP_DISABLE:
		if (!strcmp(login, who->user.login))
			return err_set(e, ERR_FORBIDDEN, "自分自身は無効にできません（別の管理者が行います） / an admin cannot "
			               "disable themselves: another admin must");
		if (t.role == ROLE_ADMIN) {
			if ((rc = active_admins(dep->s, dep->a, &admins, e)))
				return rc;
			if (admins <= 1)
				return err_set(e, ERR_FORBIDDEN, "'%1$s' は最後の有効な管理者です / '%1$s' is the last active "
				               "admin", login);
		}
		break;
	default:
		break;
	}
	return OK;
}

static const struct lval *op_model(struct arena *a, const char *action, const struct user_doc *after,
                                   const struct user_doc *before)
{
	struct app_user u;
	struct vb b;

	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "action", action);
	user_of(after, &u);
	vb_key(&b, "user");
	vb_val(&b, app_user_model(a, &u));
	vb_key(&b, "before");
	if (before) {
		user_of(before, &u);
		vb_val(&b, app_user_model(a, &u));
	} else {
		vb_null(&b);
	}
	vb_end(&b);
	return vb_done(&b);
}

/* One operation, in one transaction: ask may, read the user, change, write. */
struct op_arg {
	struct app_deploy *dep;
	const struct app_actor *who;
	const char *channel;
	enum app_user_op op;
	const char *login, *role;
	const struct app_user_new *add;
	const struct app_password *pw;   /* add, passwd: made before the transaction */
	const struct lval **model;
};

static int op_tx(struct store *s, void *arg, struct err *e)
{
	static const char *const actions[] = { "user.add", "user.set-role", "user.disable", "user.passwd" };
	struct op_arg *x = arg;
	struct user_doc before, after;
	char at[ISOTIME_BUFSZ];
	int rc;

	(void)s;
	if ((rc = app_user_may(x->dep, x->who, x->op, x->login, x->role, e)))
		return rc;
	isotime_format_jst(isotime_now(), at);
	if (x->op == USER_OP_ADD) {
		memset(&after, 0, sizeof(after));
		after.login = x->add->login;
		after.name = x->add->name ? x->add->name : "";
		after.dept = x->add->dept ? x->add->dept : "";
		after.title = x->add->title ? x->add->title : "";
		after.role = app_role_of(x->add->role);
		after.pw = *x->pw;
		after.pw_set_at = at;
		if ((rc = put_doc(x->dep, x->who, x->channel, actions[x->op], &after, NULL, at, e)))
			return rc;
		*x->model = op_model(x->dep->a, actions[x->op], &after, NULL);
		return OK;
	}
	if ((rc = read_doc(x->dep->s, x->dep->a, x->login, &before, e)))
		return rc;
	after = before;
	switch (x->op) {
	case USER_OP_SET_ROLE:
		after.role = app_role_of(x->role);
		break;
	case USER_OP_DISABLE:
		after.disabled = 1;
		break;
	case USER_OP_PASSWD:
		after.pw = *x->pw;
		after.pw_set_at = at;
		break;
	default:
		return err_set(e, ERR_INTERNAL, "user: operation %d", (int)x->op);
	}
	if ((rc = put_doc(x->dep, x->who, x->channel, actions[x->op], &after, &before, at, e)))
		return rc;
	*x->model = op_model(x->dep->a, actions[x->op], &after, &before);
	return OK;
}

static int run_op(struct op_arg *x, struct err *e)
{
	*x->model = NULL;
	return store_tx(x->dep->s, op_tx, x, e);
}

int app_user_add(struct app_deploy *dep, const struct app_actor *who, const char *channel,
                 const struct app_user_new *u, const struct lval **model, struct err *e)
{
	struct app_password pw;
	struct op_arg x;
	int rc;

	if ((rc = app_user_login_check(u->login, e)) || (rc = app_user_role_check(u->role, NULL, e)) ||
	    (rc = app_user_text_check("name", u->name, e)) || (rc = app_user_text_check("dept", u->dept, e)) ||
	    (rc = app_user_text_check("title", u->title, e)))
		return rc;
	if (!u->password)
		return err_set(e, ERR_INVALID, "パスワードが要ります（既定のパスワードはありません） / a password is required "
		               "(there is no default password)");
	if ((rc = app_user_password_check(u->password, u->password_len, e)))
		return rc;
	/* refused before the work of hashing, and asked again in the transaction */
	if ((rc = app_user_may(dep, who, USER_OP_ADD, u->login, u->role, e)))
		return rc;
	if ((rc = app_password_make(u->password, u->password_len, 0, &pw, e)))
		return rc;
	x = (struct op_arg){ dep, who, channel, USER_OP_ADD, u->login, u->role, u, &pw, model };
	rc = run_op(&x, e);
	explicit_bzero(&pw, sizeof(pw));
	return rc;
}

int app_user_set_role(struct app_deploy *dep, const struct app_actor *who, const char *login, const char *role,
                      const struct lval **model, struct err *e)
{
	struct op_arg x = { dep, who, NULL, USER_OP_SET_ROLE, login, role, NULL, NULL, model };

	return run_op(&x, e);
}

int app_user_disable(struct app_deploy *dep, const struct app_actor *who, const char *login,
                     const struct lval **model, struct err *e)
{
	struct op_arg x = { dep, who, NULL, USER_OP_DISABLE, login, NULL, NULL, NULL, model };

	return run_op(&x, e);
}

int app_user_passwd(struct app_deploy *dep, const struct app_actor *who, const char *login, const char *pw,
                    size_t n, const struct lval **model, struct err *e)
{
	struct app_password p;
	struct op_arg x = { dep, who, NULL, USER_OP_PASSWD, login, NULL, NULL, &p, model };
	int rc;

	if ((rc = app_user_password_check(pw, n, e)) || (rc = app_user_may(dep, who, USER_OP_PASSWD, login, NULL, e)))
		return rc;
	if ((rc = app_password_make(pw, n, 0, &p, e)))
		return rc;
	rc = run_op(&x, e);
	explicit_bzero(&p, sizeof(p));
	return rc;
}

/* ---- sign-in ---- */

int app_user_sign_in(struct store *s, struct arena *a, const char *login, const char *pw, size_t n,
                     struct app_user *out, struct err *e)
{
	/* the same work when there is no such user, so the time does not tell */
	static const struct app_password dummy = { USER_PBKDF2_ITERATIONS, { 0 }, USER_SALT_BYTES, { 0 } };
	struct user_doc d;
	struct err local = { 0 };
	int rc = ERR_NOTFOUND, good;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if (!pw || n > USER_PASSWORD_MAX) {
		pw = "";
		n = 0;
	} else if (login && !app_user_login_check(login, &local))
		rc = read_doc(s, a, login, &d, e);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if (rc == ERR_NOTFOUND) {
		(void)app_password_match(&dummy, pw, n);
		good = 0;
	} else
		good = app_password_match(&d.pw, pw, n) && !d.disabled;
	if (!good)
		return err_set(e, ERR_FORBIDDEN, "ログイン名またはパスワードが違います / the login or the password is wrong");
	err_clear(e);
	user_of(&d, out);
	return OK;
}

/* ---- list and models ---- */

struct list_arg {
	struct arena *a;
	struct app_user *v;
	size_t n, cap;
};

static int list_one(void *arg, const struct store_record *r, struct err *e)
{
	struct list_arg *l = arg;
	const struct lval *doc;
	struct app_user *u;

	if (json_parse(l->a, r->body, r->body_len, &doc, e))
		return err_set(e, ERR_INTERNAL, "user %s: the stored record is not JSON", r->id);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;

		l->v = arena_realloc(l->a, l->v, l->cap * sizeof(*l->v), cap * sizeof(*l->v));
		l->cap = cap;
	}
	u = &l->v[l->n++];
	memset(u, 0, sizeof(*u));
	u->login = arena_strdup(l->a, r->id);
	u->name = app_jstr(doc, "name");
	u->dept = app_jstr(doc, "dept");
	u->title = app_jstr(doc, "title");
	u->role = app_role_of(app_jstr(doc, "role"));
	u->disabled = !strcmp(r->keys.state, "disabled");
	u->version = r->version;
	if (u->role < 0)
		return err_set(e, ERR_INTERNAL, "user %s: the stored role '%s' is not a role", r->id,
		               app_jstr(doc, "role"));
	return OK;
}

int app_user_list(struct store *s, struct arena *a, struct app_user **out, size_t *n, struct err *e)
{
	struct list_arg l = { a, NULL, 0, 0 };
	struct store_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.kind = "user";
	rc = store_record_find(s, &q, list_one, &l, e);
	*out = l.v;
	*n = rc ? 0 : l.n;
	return rc;
}

static void user_model(struct vb *b, const struct app_user *u)
{
	vb_obj(b);
	vb_kstr(b, "login", u->login);
	vb_kstr(b, "name", u->name ? u->name : "");
	vb_kstr(b, "dept", u->dept ? u->dept : "");
	vb_kstr(b, "title", u->title ? u->title : "");
	vb_kstr(b, "role", app_role_name(u->role));
	vb_kstr(b, "role_ja", app_role_ja(u->role));
	vb_kstr(b, "state", u->disabled ? "disabled" : "active");
	vb_kint(b, "version", u->version);
	vb_end(b);
}

const struct lval *app_user_model(struct arena *a, const struct app_user *u)
{
	struct vb b;

	vb_init(&b, a);
	user_model(&b, u);
	return vb_done(&b);
}

const struct lval *app_user_list_model(struct arena *a, const struct app_user *u, size_t n)
{
	struct vb b;
	size_t i;

	vb_init(&b, a);
	vb_arr(&b);
	for (i = 0; i < n; i++)
		user_model(&b, &u[i]);
	vb_end(&b);
	return vb_done(&b);
}
