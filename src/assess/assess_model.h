/* The models of `shinsa evaluate` and `shinsa matrix`: what one service is
 * judged for one use against the standards, and many services against every
 * standard and level, each built once as a value tree (logic/vb.h). The CLI's
 * JSON is the tree written out; its tables and CSV read the same tree, and so
 * will the API and the HTML pages. Field by field: docs/assess-module.md. */
#ifndef SHINSA_ASSESS_MODEL_H
#define SHINSA_ASSESS_MODEL_H

#include <stddef.h>

#include "assess/assess.h"
#include "assess/profile.h"
#include "core/diag.h"

/* The model of one assessment: {policy, body, title, level, level_name,
 * verdict, verdict_ja, reason, answered_by?, answered_at?, findings[], groups[],
 * risks[], prohibitions[], exemptions[], procedure | null}. app may be NULL. */
const struct lval *assess_model(struct arena *a, const struct assessment *as, const struct profile_app *app);

/* The application's answers (or risk decisions) for one pack: either
 * {pack id: {id: answer}} or, for an application to one standard, {id: answer}. */
const struct lval *assess_answers_for(const struct lval *all, const char *pack_id);

/* Every answer names a criterion (or risk) of p that takes answers and is one
 * of its options. Mistakes go to err, positioned in the application's file
 * where it says; returns how many. */
size_t assess_answers_check(const struct policy *p, const struct profile_app *app, struct diag *err);

/* After assessing with the answers: an answer that changed nothing in any of
 * the n assessments of one pack (the facts decide the criterion, it is not
 * applicable, an accept option for a criterion that is met…) is refused with
 * the reason. Returns how many. */
size_t assess_answers_effect(const struct assessment *as, size_t n, const struct profile_app *app,
                             struct diag *err);

/* What `evaluate` is asked to do. */
struct assess_request {
	const struct policy_set *set;
	const struct lval *profile;
	const struct profile_app *app;    /* NULL without an application */
	const char *policy;               /* a pack id, or "all" */
	const char *level;                /* NULL: the application's; with "all", every level */
};

/* Assess as rq says. *out is one assessment's model for one pack at one level
 * asked by id, else an array of them (policy "all"). A request that cannot be
 * met (no such pack or level, answers with mistakes) goes to err and returns
 * ERR_INVALID with nothing assessed; what was left out (packs without the
 * level asked) goes to warn. */
int assess_evaluate(struct arena *a, const struct assess_request *rq, const struct lval **out,
                    struct diag *err, struct diag *warn);

/* Counts for --stats. */
struct assess_matrix_stats {
	size_t profiles, assessments, checks;
	size_t rejected;             /* profiles left out for their mistakes */
};

/* Called before each profile of a matrix (for a progress line). */
typedef void assess_progress_fn(void *ctx, size_t i, size_t n, const char *file);

/* Every profile against every pack at every level: {profiles: [{profile,
 * verdicts: {"pack:level": verdict}}], summary: {"pack:level": {verdict: n}}}.
 * A profile with mistakes is left out with its mistakes in err; unknown facts
 * are reported once each in warn with how many profiles had them; an
 * application given as a profile is a warning, and left out. */
int assess_matrix(struct arena *a, const struct policy_set *set, const struct country_list *countries,
                  const char *const *files, size_t nfiles, assess_progress_fn *progress, void *pctx,
                  const struct lval **out, struct assess_matrix_stats *st, struct diag *err, struct diag *warn);

#endif
