/* Users and roles (DESIGN §1): each user has a login, one role, the 所属
 * (department) and 役職 (title) that routing and the forms need, and a
 * password kept only as PBKDF2-HMAC-SHA256 with a per-user salt and its
 * iteration count. A user is a record of kind "user" (id: the login); a
 * disabled user stays, so that what they did keeps its name. docs/users.md. */
#ifndef SHINSA_USER_H
#define SHINSA_USER_H

#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"
#include "store/store.h"

struct audit_log;
struct app_deploy;

enum app_role {
	ROLE_APPLICANT = 0,   /* 原課の職員 / 利用申請者 / 情報セキュリティ責任者 */
	ROLE_APPROVER,        /* 課長 / 統括情報セキュリティ責任者 (許可権限者) */
	ROLE_CONSULTEE,       /* 協議先: デジタル推進課, 行政課, CIO補佐官 */
	ROLE_MANAGER,         /* 情報システムの管理責任者 / 外部サービス管理者 */
	ROLE_ADMIN,           /* users, roles, bindings, backups */
	ROLE_AUDITOR,         /* reads everything, changes nothing */
	ROLE_COUNT
};

const char *app_role_name(int role);   /* "applicant", … */
const char *app_role_ja(int role);     /* 申請者, … */
int app_role_of(const char *name);     /* ROLE_*, or -1 */

#define USER_PBKDF2_ITERATIONS 600000  /* at least (OWASP 2023 for PBKDF2-HMAC-SHA256) */
#define USER_LOGIN_MAX 64

struct app_user {
	const char *login, *name, *dept, *title;   /* "" when not given */
	int role;
	int disabled;
	long long version;                          /* the record's version */
};

/* Who acts: a user who is not disabled, through a channel ("cli:OSUSER",
 * "web"). Every change the app layer makes takes one. */
struct app_actor {
	struct app_user user;
	const char *channel;
};

/* The user with this login, into a; ERR_NOTFOUND naming the login. */
int app_user_get(struct store *s, struct arena *a, const char *login, struct app_user *out, struct err *e);

/* The actor for --as LOGIN: ERR_NOTFOUND for an unknown login, ERR_FORBIDDEN
 * for a disabled one. */
int app_actor_as(struct store *s, struct arena *a, const char *login, const char *channel,
                 struct app_actor *out, struct err *e);

/* ---- checks: what a login, a role, a user's texts and a password may be ---- */

#define USER_TEXT_MAX 256              /* name, dept, title: bytes */
#define USER_PASSWORD_MIN 8            /* characters (code points) */
#define USER_PASSWORD_MAX 1024         /* bytes */
#define USER_SALT_BYTES 16             /* a new salt (a stored one may be 16 to 64) */
#define USER_SALT_MAX 64
#define USER_HASH_BYTES 32
#define USER_PBKDF2_ITERATIONS_MAX 10000000   /* a stored count above this is refused, not run */
#define USER_PASSWORD_ALGORITHM "pbkdf2-sha256"

/* 1–64 characters of [a-z0-9._-], starting with a letter or a digit. */
int app_user_login_check(const char *login, struct err *e);
/* ROLE_* of name into *role, or ERR_INVALID listing the roles. */
int app_user_role_check(const char *name, int *role, struct err *e);
/* A name, 所属 or 役職 (what: the option's name, for the message): UTF-8,
 * no control characters, at most USER_TEXT_MAX bytes; NULL is "". */
int app_user_text_check(const char *what, const char *text, struct err *e);
/* A new password: UTF-8, no control characters, at least USER_PASSWORD_MIN
 * characters, at most USER_PASSWORD_MAX bytes. */
int app_user_password_check(const char *pw, size_t n, struct err *e);

/* ---- passwords ---- */

/* A password as it is kept: never the password itself. */
struct app_password {
	unsigned iterations;
	unsigned char salt[USER_SALT_MAX];
	size_t salt_len;
	unsigned char hash[USER_HASH_BYTES];
};

/* A new salt (USER_SALT_BYTES from the kernel) and the PBKDF2-HMAC-SHA256
 * hash of pw under it, iterations rounds (0: USER_PBKDF2_ITERATIONS). */
int app_password_make(const char *pw, size_t n, unsigned iterations, struct app_password *out, struct err *e);
/* 1 when pw is the password p was made from (the hashes compared in constant
 * time), else 0. */
int app_password_match(const struct app_password *p, const char *pw, size_t n);
/* The "password" member of a user's record body into out; ERR_INVALID when it
 * is missing or not what app_password_make writes (an unknown algorithm, a
 * count above USER_PBKDF2_ITERATIONS_MAX, a salt or hash of the wrong size). */
int app_password_of(const struct lval *body, struct app_password *out, struct err *e);

/* The web sign-in (issue #13): the active user login whose password pw is,
 * into out. A wrong password, an unknown login and a disabled user are all
 * ERR_FORBIDDEN with one message, and take the same time (an unknown login
 * still runs PBKDF2), so a caller cannot learn which logins exist. */
int app_user_sign_in(struct store *s, struct arena *a, const char *login, const char *pw, size_t n,
                     struct app_user *out, struct err *e);

/* ---- the operations (each one app_record_write: a version and its audit entry) ---- */

enum app_user_op {
	USER_OP_ADD = 0,     /* user.add */
	USER_OP_SET_ROLE,    /* user.set-role */
	USER_OP_DISABLE,     /* user.disable */
	USER_OP_PASSWD,      /* user.passwd */
};

/* May who do op on login (with role, for add and set-role)? OK, or the
 * refusal that says why: ERR_FORBIDDEN (who is not an active admin; passwd:
 * nor the user themselves; an admin disabling themselves; the last active
 * admin losing the role; no --as once an admin exists; a first user who is
 * not an admin), ERR_EXISTS (add: the login is taken, by a disabled user
 * too: logins are never reused), ERR_NOTFOUND (no such user), ERR_INVALID
 * (a bad login or role; the user is disabled; set-role to the role they
 * have). who NULL: no user acts, which only the first admin's add allows
 * (the bootstrap: while the store has no active admin). The operations ask
 * again inside their transaction; the CLI asks first, before it reads a
 * password. */
int app_user_may(struct app_deploy *dep, const struct app_actor *who, enum app_user_op op, const char *login,
                 const char *role, struct err *e);

struct app_user_new {
	const char *login, *role;      /* checked */
	const char *name, *dept, *title;   /* NULL: "" */
	const char *password;          /* required: there is no default password */
	size_t password_len;
};

/* Each builds, into dep->a, the model of what it did:
 *   { "action": "user.add", "user": USER, "before": USER | null }
 * with USER as in app_user_model. channel is the channel when who is NULL. */
int app_user_add(struct app_deploy *dep, const struct app_actor *who, const char *channel,
                 const struct app_user_new *u, const struct lval **model, struct err *e);
int app_user_set_role(struct app_deploy *dep, const struct app_actor *who, const char *login, const char *role,
                      const struct lval **model, struct err *e);
/* The user stays (what they did keeps its name) but can no longer act or
 * sign in, and the login is never given to anyone else. */
int app_user_disable(struct app_deploy *dep, const struct app_actor *who, const char *login,
                     const struct lval **model, struct err *e);
/* A new salt and hash. who: an admin, or the user themselves. */
int app_user_passwd(struct app_deploy *dep, const struct app_actor *who, const char *login, const char *pw,
                    size_t n, const struct lval **model, struct err *e);

/* Every user, by login, into a (*out an array of *n). */
int app_user_list(struct store *s, struct arena *a, struct app_user **out, size_t *n, struct err *e);

/* { "login", "name", "dept", "title", "role", "role_ja", "state": "active" | "disabled",
 *   "version" }: never the password. */
const struct lval *app_user_model(struct arena *a, const struct app_user *u);
/* [USER, …] */
const struct lval *app_user_list_model(struct arena *a, const struct app_user *u, size_t n);

#endif
