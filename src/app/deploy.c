/* A deployment opened for one command or request (app/deploy.h). */
#include "app/deploy.h"

#include <string.h>

#include "app/audit.h"
#include "core/isotime.h"

int app_deploy_open(struct app_deploy *dep, struct arena *a, const struct app_config *cfg,
                    const char *policies_dir, unsigned need, struct diag *d, struct err *e)
{
	int rc;

	memset(dep, 0, sizeof(*dep));
	dep->a = a;
	dep->cfg = cfg;
	if ((rc = store_open(cfg->database, 0, &dep->s, NULL, e)))
		return rc;
	if ((need & DEPLOY_AUDIT) && (rc = audit_open(dep->s, cfg->audit_key, &dep->log, e)))
		goto fail;
	if (need & DEPLOY_POLICIES) {
		const char *dir = policies_dir ? policies_dir : policy_default_dir();

		if ((rc = policy_set_open(a, dir, &dep->set, d)) || (rc = policy_set_load_packs(a, dep->set, d)) ||
		    (rc = country_load(a, dep->set->dir, &dep->countries, d))) {
			err_set(e, rc, "%1$s: 基準を読めません / the policy packs in %1$s do not load", dir);
			goto fail;
		}
	}
	return OK;
fail:
	app_deploy_close(dep);
	return rc;
}

void app_deploy_close(struct app_deploy *dep)
{
	if (dep->log)
		audit_close(dep->log);
	if (dep->s)
		store_close(dep->s);
	dep->log = NULL;
	dep->s = NULL;
}

struct write_arg {
	struct app_deploy *dep;
	const struct app_actor *who;
	const char *channel, *action, *before, *after, *comment;
	struct store_record *rec;
};

static int write_tx(struct store *s, void *arg, struct err *e)
{
	struct write_arg *w = arg;
	struct audit_change c;
	int rc;

	if ((rc = store_record_put(s, w->rec, e)))
		return rc;
	memset(&c, 0, sizeof(c));
	c.actor = w->rec->actor;
	c.channel = w->who ? w->who->channel : w->channel;
	c.action = w->action;
	c.object_type = w->rec->kind;
	c.object_id = w->rec->id;
	c.before = w->before;
	c.after = w->after ? w->after : w->rec->body;
	c.comment = w->comment;
	c.at = w->rec->at;
	return audit_append(w->dep->log, &c, NULL, e);
}

int app_record_write(struct app_deploy *dep, const struct app_actor *who, const char *channel,
                     const char *action, struct store_record *rec, const char *before,
                     const char *after, const char *comment, struct err *e)
{
	struct write_arg w = { dep, who, channel, action, before, after, comment, rec };
	char at[ISOTIME_BUFSZ];

	if (!dep->log)
		return err_set(e, ERR_INTERNAL, "app_record_write: the deployment was opened without its audit log");
	if (!rec->at)
		rec->at = arena_strdup(dep->a, isotime_format_jst(isotime_now(), at));
	if (!rec->actor)
		rec->actor = who ? who->user.login : "";
	if (store_in_tx(dep->s))
		return write_tx(dep->s, &w, e);
	return store_tx(dep->s, write_tx, &w, e);
}

const char *app_jstr(const struct lval *obj, const char *key)
{
	const struct lval *v = obj && obj->type == LV_OBJ ? lval_get(obj, key, strlen(key)) : NULL;

	return v && v->type == LV_STR ? v->u.str : "";
}
