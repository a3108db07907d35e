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

#endif
