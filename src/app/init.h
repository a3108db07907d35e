/* Setting a deployment up (shinsa init): the store created or migrated, the
 * body's name recorded, the audit key made once. Running it again changes
 * nothing and its report says so. */
#ifndef SHINSA_INIT_H
#define SHINSA_INIT_H

#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"

struct app_init_req {
	const char *database;    /* a target for store_open */
	const char *body_name;   /* recorded when given and different; may be NULL */
	const char *audit_key;   /* the key's file */
	const char *actor;       /* for the audit entries: the login ("" for now) */
	const char *channel;     /* "cli:OSUSER" */
};

/* Do it, and build the report's model (in a):
 *   { "status": "created" | "migrated" | "updated" | "unchanged",
 *     "database": { "target", "backend", "location", "created", "created_at" },
 *     "schema": { "before", "version", "latest", "applied" },
 *     "body_name": { "value" (or null), "changed", "updated_at" (or null) },
 *     "audit_key": { "path", "created" } }
 *     "audit": { "seq" (the last entry init appended, or null), "count" } }
 * An audit key that is unfit (open to others, not a key) is refused before
 * anything is changed; so is a missing key when the log has entries (a new
 * key would leave them unverifiable). Each change init makes is an audit
 * entry: store.init (created), store.migrate (schema versions), meta.set
 * (the body's name). */
int app_init(struct arena *a, const struct app_init_req *r, const struct lval **model, struct err *e);

#endif
