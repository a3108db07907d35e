/* Service profiles and applications as input: JSON or YAML, checked against
 * the fact vocabulary. An unknown fact path is a warning that names it; a
 * value of the wrong type is an error that names the path, the type and,
 * where the loader knows it, file:line:column. */
#ifndef SHINSA_PROFILE_H
#define SHINSA_PROFILE_H

#include "assess/country.h"
#include "core/arena.h"
#include "policy/policy.h"
#include "policy/ynode.h"
#include "logic/value.h"

/* Unknown facts counted over many profiles (a matrix reports each once, with
 * how many profiles had it, instead of once per profile). */
struct profile_unknowns {
	const char **paths;          /* arena copies */
	size_t *counts;
	size_t n, cap;
	struct arena *keep;          /* where the copies go (NULL: the load's arena), for a
	                              * caller that rewinds the load's arena between profiles */
};

/* What inputs are checked against. */
struct profile_env {
	const struct policy_set *set;            /* vocabulary; packs (for app.classification) */
	const struct country_list *countries;    /* assigned codes; NULL: only the shape AA */
	struct lshapes *reg;                     /* shares object shapes across profiles; may be NULL */
	struct profile_unknowns *unknowns;       /* count unknown facts here instead of warning */
};

struct profile_app {
	const struct lval *app;          /* the app.* facts (classification may be per pack) */
	const struct lval *answers;      /* pack id -> {criterion id -> answer} */
	const struct lval *risks;        /* pack id -> {risk id -> decision} */
	const char *answered_by, *answered_at;
	const char *file;                /* where it was read from, for messages */
	const struct ynode *doc;         /* the document with positions, or NULL */
};

/* Read a profile (facts, possibly with an app section). Errors go to err,
 * warnings to warn; returns OK when there are no errors. A document that is
 * an application (app:, answers:, risks: and nothing else) is a warning, and
 * *out is that document (profile_is_application says so). */
int profile_load(struct arena *a, const struct profile_env *env, const char *file,
                 const struct lval **out, struct diag *err, struct diag *warn);

int profile_app_load(struct arena *a, const struct profile_env *env, const char *file,
                     struct profile_app *out, struct diag *err, struct diag *warn);

/* The same from text in memory (size bytes, not necessarily NUL-terminated;
 * file names it in messages), checked as a file's would be: no NUL byte, at
 * most INPUT_MAX bytes. The CLI reads files; the fuzz targets and anything
 * that receives a document rather than a path use these. */
int profile_load_text(struct arena *a, const struct profile_env *env, const char *file, const char *data,
                      size_t size, const struct lval **out, struct diag *err, struct diag *warn);
int profile_app_load_text(struct arena *a, const struct profile_env *env, const char *file, const char *data,
                          size_t size, struct profile_app *out, struct diag *err, struct diag *warn);

/* How a document's text is written, as the loaders read it: "json" when its
 * first character after white space is '{', else "yaml". */
const char *profile_text_format(const char *text, size_t n);

/* Is doc an application rather than a profile: only the keys of an
 * application, and at least one that a profile never has? */
int profile_is_application(const struct lval *doc);

/* Where the application wrote section.pack.id (section "answers" or
 * "risks"; pack NULL or absent for the flat form), 0:0 when unknown. */
void profile_app_where(const struct profile_app *app, const char *section, const char *pack,
                       const char *id, uint32_t *line, uint32_t *col);

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
