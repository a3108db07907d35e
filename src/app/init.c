/* shinsa init's work and its report (app/init.h). */
#include "app/init.h"

#include <string.h>

#include "app/auditkey.h"
#include "logic/vb.h"
#include "store/store.h"

int app_init(struct arena *a, const struct app_init_req *r, const struct lval **model, struct err *e)
{
	struct store_open_info info;
	struct store *s;
	const char *body = NULL, *body_at = NULL, *created_at = NULL, *status;
	int rc, key_missing, key_created = 0, body_changed = 0;
	struct vb b;

	/* the key first: an unfit one stops init before the store is touched */
	rc = auditkey_check(r->audit_key, e);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	key_missing = rc == ERR_NOTFOUND;
	err_clear(e);
	if ((rc = store_open(r->database, STORE_CREATE | STORE_MIGRATE, &s, &info, e)))
		return rc;
	rc = store_meta_get(s, a, STORE_META_BODY_NAME, &body, &body_at, e);
	if (rc && rc != ERR_NOTFOUND)
		goto out;
	if (r->body_name && (rc == ERR_NOTFOUND || strcmp(body, r->body_name))) {
		if ((rc = store_meta_set(s, STORE_META_BODY_NAME, r->body_name, e)))
			goto out;
		body_changed = 1;
		if ((rc = store_meta_get(s, a, STORE_META_BODY_NAME, &body, &body_at, e)))
			goto out;
	}
	if ((rc = store_meta_get(s, a, STORE_META_CREATED_AT, &created_at, NULL, e)))
		goto out;
	if (key_missing) {
		if ((rc = auditkey_create(r->audit_key, e)))
			goto out;
		key_created = 1;
	}
	status = info.created ? "created" : info.applied ? "migrated" : body_changed || key_created ? "updated"
	                                                                                              : "unchanged";
	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "status", status);
	vb_key(&b, "database");
	vb_obj(&b);
	vb_kstr(&b, "target", arena_strdup(a, r->database));
	vb_kstr(&b, "backend", store_backend(s));
	vb_kstr(&b, "location", arena_strdup(a, store_location(s)));
	vb_kbool(&b, "created", info.created);
	vb_kstr(&b, "created_at", created_at);
	vb_end(&b);
	vb_key(&b, "schema");
	vb_obj(&b);
	vb_kint(&b, "before", info.version_before);
	vb_kint(&b, "version", info.version);
	vb_kint(&b, "latest", info.latest);
	vb_kint(&b, "applied", (long long)info.applied);
	vb_end(&b);
	vb_key(&b, "body_name");
	vb_obj(&b);
	vb_kstr(&b, "value", body);
	vb_kbool(&b, "changed", body_changed);
	vb_kstr(&b, "updated_at", body_at);
	vb_end(&b);
	vb_key(&b, "audit_key");
	vb_obj(&b);
	vb_kstr(&b, "path", arena_strdup(a, r->audit_key));
	vb_kbool(&b, "created", key_created);
	vb_end(&b);
	vb_end(&b);
	*model = vb_done(&b);
	rc = OK;
out:
	store_close(s);
	return rc;
}
