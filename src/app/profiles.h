/* Service profiles kept in the store, versioned: a vendor's profile file,
 * made once, serves every application; an update makes a new version and
 * the old ones stay, so an assessment names the version it used. A profile
 * lists its subcontractors (再委託先) with their role and location.
 * docs/profiles.md. */
#ifndef SHINSA_PROFILES_H
#define SHINSA_PROFILES_H

#include <stddef.h>

#include "app/deploy.h"
#include "app/user.h"
#include "assess/country.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/err.h"
#include "logic/value.h"

/* The largest profile file kept (the record holds the text and the parsed
 * document, the audit entry both again; the store takes 16 MiB a version). */
#define APP_PROFILE_MAX ((size_t)4 << 20)

struct app_profile {
	const char *id;
	long long version;
	const char *at, *actor;      /* when and by whom this version was written */
	const char *file;            /* the file it was read from */
	const struct lval *doc;      /* the profile, as profile_load reads it */
	const char *provider, *name; /* service.provider, service.name ("" when not given) */
	const char *format;          /* "yaml" or "json": how the file was written */
	const char *source;          /* the file's text as it was given */
	long long newest;            /* the record's newest version */
};

/* A profile's version (0: the newest), its document parsed into a.
 * ERR_INVALID for an id that is not a profile's number, ERR_NOTFOUND for a
 * profile or a version that does not exist (the message names it). */
int app_profile_get(struct app_deploy *dep, struct arena *a, const char *id, long long version,
                    struct app_profile *out, struct err *e);

/* What an add or an update did. */
struct app_profile_result {
	struct app_profile p;        /* the version written; unchanged: the newest as it was */
	int changed;                 /* 0: an update whose document equals the newest version's
	                              * wrote nothing (no version, no audit entry) */
	int subcontractors_changed;  /* an update whose subcontractors differ from the version
	                              * before (a review event for the reviews to take up) */
};

/* Can who add or update profiles? applicant, manager and admin can (a
 * vendor's profile is entered by staff); approver, consultee and auditor
 * cannot: ERR_FORBIDDEN with the message. */
int app_profile_may_write(const struct app_actor *who, struct err *e);

/* Add the profile in text (size bytes; file names it in messages and in the
 * record) as profile N, version 1: checked exactly as evaluate reads a
 * profile (the deployment's packs' vocabulary and countries: opened with
 * DEPLOY_POLICIES and DEPLOY_AUDIT), and refused when it is an application
 * or larger than APP_PROFILE_MAX. Mistakes go to err (file:line:col) and
 * ERR_INVALID is returned; warnings (unknown facts) go to warn and do not
 * stop it. Action "profile.add"; comment may be NULL. */
int app_profile_add(struct app_deploy *dep, const struct app_actor *who, const char *file, const char *text,
                    size_t size, const char *comment, struct app_profile_result *out, struct diag *err,
                    struct diag *warn, struct err *e);

/* The same for a new version of profile id (action "profile.update"). A
 * document equal to the newest version's (the same facts and subcontractors,
 * whatever the comments, order or format) writes nothing: OK with
 * out->changed = 0. */
int app_profile_update(struct app_deploy *dep, const struct app_actor *who, const char *id, const char *file,
                       const char *text, size_t size, const char *comment, struct app_profile_result *out,
                       struct diag *err, struct diag *warn, struct err *e);

/* The models the views read (docs/profiles.md has their fields).
 *
 * One version: id, version, newest, at, actor, file, format, name, provider,
 * subcontractors [{name, role, location, location_ja, location_en, region,
 * note}] (the country's names when countries is not NULL), doc, source, and
 * versions [{version, at, actor, file, name, provider}] oldest first. */
int app_profile_show(struct app_deploy *dep, struct arena *a, const char *id, long long version,
                     const struct country_list *countries, const struct lval **model, struct err *e);

/* Every profile's newest version, by id: [{id, version, name, provider,
 * subcontractors (how many), file, updated_at, updated_by}]. */
int app_profile_list(struct app_deploy *dep, struct arena *a, const struct lval **model, struct err *e);

/* What an add or update did: {id, version, changed, subcontractors_changed,
 * at, actor, file, format, name, provider, subcontractors (how many),
 * warnings [text]} (warn: what the add or update warned, or NULL). */
const struct lval *app_profile_result_model(struct arena *a, const struct app_profile_result *r,
                                            const struct diag *warn);

#endif
