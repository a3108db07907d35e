/* shinsa init's work and its report (app/init.h). */
#include "app/init.h"

#include <string.h>

#include "app/audit.h"
#include "app/auditkey.h"
#include "logic/jw.h"
#include "logic/vb.h"
#include "store/store.h"

static void body_json(struct buf *b, const char *name)
{
	struct jw w;

	jw_init(&w, b);
	jw_obj(&w);
	jw_key(&w, "body_name");
	jw_str(&w, name);
	jw_end_obj(&w);
}

int app_init(struct arena *a, const struct app_init_req *r, const struct lval **model, struct err *e)
{
	struct store_open_info info;
	struct store *s;
	const char *body = NULL, *body_at = NULL, *created_at = NULL, *status, *old_body = NULL;
	int rc, key_missing, key_created = 0, body_changed = 0;
	long long count = 0, first, last, seq = 0;
	struct audit_log *log = NULL;
	struct audit_change c;
	struct vb b;

	/* the key first: an unfit one stops init before the store is touched */
	rc = auditkey_check(r->audit_key, e);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	key_missing = rc == ERR_NOTFOUND;
	err_clear(e);
	if ((rc = store_open(r->database, STORE_CREATE | STORE_MIGRATE, &s, &info, e)))
		return rc;
	if ((rc = store_audit_count(s, &count, &first, &last, e)))
		goto out;
	if (key_missing) {
		/* a new key would make every entry already there unverifiable */
		if (count) {
			rc = err_set(e, ERR_INVALID,
			             "%1$s: 監査鍵がありませんが、監査ログには %2$lld 件の記録があります。新しい鍵は作りません。"
			             "鍵を控えから戻してください / there is no audit key at %1$s, but the audit log has %2$lld "
			             "entries: no new key is made (restore the key from its backup)",
			             r->audit_key, count);
			goto out;
		}
		if ((rc = auditkey_create(r->audit_key, e)))
			goto out;
		key_created = 1;
	}
	if ((rc = audit_open(s, r->audit_key, &log, e)))
		goto out;
	memset(&c, 0, sizeof(c));
	c.actor = r->actor;
	c.channel = r->channel;
	if (info.created || info.applied) {
		c.action = info.created ? "store.init" : "store.migrate";
		c.object_type = "store";
		c.object_id = store_backend(s);
		c.before = info.created ? "" : arena_printf(a, "{\"schema\":%d}", info.version_before);
		c.after = arena_printf(a, "{\"schema\":%d}", info.version);
		if ((rc = audit_append(log, &c, &seq, e)))
			goto out;
	}
	/* the body's name and its entry in one transaction */
	if ((rc = store_begin(s, e)))
		goto out;
	rc = store_meta_get(s, a, STORE_META_BODY_NAME, &body, &body_at, e);
	if (rc && rc != ERR_NOTFOUND)
		goto tx_fail;
	if (r->body_name && (rc == ERR_NOTFOUND || strcmp(body, r->body_name))) {
		struct buf bj = BUF_INIT, aj = BUF_INIT;

		old_body = rc == ERR_NOTFOUND ? NULL : body;
		err_clear(e);
		if ((rc = store_meta_set(s, STORE_META_BODY_NAME, r->body_name, e)))
			goto tx_fail;
		body_changed = 1;
		if ((rc = store_meta_get(s, a, STORE_META_BODY_NAME, &body, &body_at, e)))
			goto tx_fail;
		if (old_body)
			body_json(&bj, old_body);
		body_json(&aj, body);
		c.action = "meta.set";
		c.object_type = "meta";
		c.object_id = STORE_META_BODY_NAME;
		c.before = arena_strdup(a, buf_done(&bj));
		c.after = arena_strdup(a, buf_done(&aj));
		buf_free(&bj);
		buf_free(&aj);
		if ((rc = audit_append(log, &c, &seq, e)))
			goto tx_fail;
	}
	if ((rc = store_commit(s, e)))
		goto out;
	if ((rc = store_meta_get(s, a, STORE_META_CREATED_AT, &created_at, NULL, e)))
		goto out;
	if ((rc = store_audit_count(s, &count, &first, &last, e)))
		goto out;
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
	vb_key(&b, "audit");
	vb_obj(&b);
	vb_key(&b, "seq");
	if (seq)
		vb_int(&b, seq);
	else
		vb_null(&b);
	vb_kint(&b, "count", count);
	vb_end(&b);
	vb_end(&b);
	*model = vb_done(&b);
	rc = OK;
	goto out;
tx_fail:
	store_rollback(s);
out:
	audit_close(log);
	store_close(s);
	return rc;
}
