/* One deployment opened for a command or a request: its settings, its store,
 * its audit log and (when asked) its policy packs. Every record change of the
 * app layer goes through app_record_write, which writes the new version and
 * its audit entry in one transaction. */
#ifndef SHINSA_DEPLOY_H
#define SHINSA_DEPLOY_H

#include "app/config.h"
#include "app/user.h"
#include "assess/country.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/err.h"
#include "policy/policy.h"
#include "store/store.h"

struct audit_log;
struct app_pack_cache;

enum app_deploy_need {
	DEPLOY_AUDIT = 1u << 0,      /* open the audit log (every command that changes something) */
	DEPLOY_POLICIES = 1u << 1,   /* load the packs and the country list */
};

struct app_deploy {
	struct arena *a;             /* the caller's; the deployment's memory */
	const struct app_config *cfg;
	struct store *s;
	struct audit_log *log;       /* NULL without DEPLOY_AUDIT */
	struct policy_set *set;      /* NULL without DEPLOY_POLICIES */
	struct country_list *countries;
	struct app_pack_cache *packs;   /* app/packs.c: the packs by SHA-256 */
};

/* Open what need asks for. The store must exist at the newest schema (else
 * the message says to run shinsa init). policies_dir NULL: the default
 * folder. A pack that does not load is in d (diag) and the code returned. */
int app_deploy_open(struct app_deploy *dep, struct arena *a, const struct app_config *cfg,
                    const char *policies_dir, unsigned need, struct diag *d, struct err *e);
void app_deploy_close(struct app_deploy *dep);

/* Write rec as its kind's next version and append the audit entry for it
 * (action, the record before and after as JSON text, comment), both in the
 * transaction the caller has open, or in one of their own when none is.
 * before NULL: none (a new record); after NULL: rec's body. A body that holds
 * a secret (a password hash) passes after and before without it: secrets
 * never reach the audit log. rec's at and actor are filled from now and who
 * when NULL. who NULL: no user (the first administrator, made before any
 * user exists); channel is then used. */
int app_record_write(struct app_deploy *dep, const struct app_actor *who, const char *channel,
                     const char *action, struct store_record *rec, const char *before,
                     const char *after, const char *comment, struct err *e);

/* A string member of a JSON object, "" when it is absent or not a string. */
const char *app_jstr(const struct lval *obj, const char *key);

#endif
