/* Users and roles (app/user.h): reading a user and resolving the actor. */
#include "app/user.h"

#include <string.h>

#include "app/deploy.h"
#include "logic/json.h"

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
