/* Service profiles and applications as input: JSON or YAML, checked against
 * the fact vocabulary. An unknown fact path is a warning that names it; a
 * value of the wrong type is an error that names the path and the type. */
#ifndef SHINSA_PROFILE_H
#define SHINSA_PROFILE_H

#include "core/arena.h"
#include "policy/policy.h"
#include "logic/value.h"

struct profile_app {
	const struct lval *app;          /* the app.* facts (classification may be per pack) */
	const struct lval *answers;      /* pack id -> {criterion id -> answer} */
	const struct lval *risks;        /* pack id -> {risk id -> decision} */
	const char *answered_by, *answered_at;
};

/* Read a profile (facts, possibly with an app section). Errors go to err,
 * warnings to warn; returns OK when there are no errors. reg (may be NULL)
 * shares object shapes across many profiles. */
int profile_load(struct arena *a, const struct policy_vocab *v, struct lshapes *reg, const char *file,
                 const struct lval **out, struct diag *err, struct diag *warn);

int profile_app_load(struct arena *a, const struct policy_vocab *v, const char *file,
                     struct profile_app *out, struct diag *err, struct diag *warn);

/* The facts for one pack and level: the profile's, with the app section of the
 * profile and of the application merged, and app.classification = level. */
const struct lval *profile_facts_for(struct arena *a, const struct lval *profile,
                             const struct profile_app *app, const char *level_id);

/* Set app.classification in facts made by facts_for to another level: a
 * matrix builds the facts of a profile once and assesses it at every level. */
void profile_facts_set_level(struct arena *a, const struct lval *facts, const char *level_id);

/* The level an application names for a pack (app.classification as a string,
 * or as an object of pack id -> level), or NULL. */
const char *profile_app_level(const struct profile_app *app, const char *pack_id);

#endif
