/* Service profiles kept in the store, versioned: a vendor's profile file,
 * made once, serves every application; an update makes a new version and
 * the old ones stay, so an assessment names the version it used. A profile
 * lists its subcontractors (再委託先) with their role and location.
 * docs/profiles.md. */
#ifndef SHINSA_PROFILES_H
#define SHINSA_PROFILES_H

#include "app/deploy.h"
#include "app/user.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/err.h"
#include "logic/value.h"

struct app_profile {
	const char *id;
	long long version;
	const char *at, *actor;      /* when and by whom this version was written */
	const char *file;            /* the file it was read from */
	const struct lval *doc;      /* the profile, as profile_load reads it */
	const char *provider, *name; /* service.provider, service.name ("" when not given) */
};

/* A profile's version (0: the newest), its document parsed into a. */
int app_profile_get(struct app_deploy *dep, struct arena *a, const char *id, long long version,
                    struct app_profile *out, struct err *e);

#endif
