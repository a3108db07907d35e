/* Inside the reviews (review.c, review_ops.c): the application a review
 * belongs to, a planned review, and the writing of review records. */
#ifndef SHINSA_REVIEW_INT_H
#define SHINSA_REVIEW_INT_H

#include "app/review.h"
#include "policy/policy.h"

/* An application as the reviews read it. */
struct review_app {
	const char *id;
	const struct lval *body;
	const char *pack, *level, *state;
	const struct lval *facts;    /* the record's facts, as written */
	const struct lval *doc;      /* the same nested, for the pack's conditions */
	const char *manager;         /* the manager's login ("" when none) */
	struct app_user applicant;   /* from the record (login, name, dept, title) */
	const char *owner;           /* a review's owner: the manager, else the applicant */
	const struct policy *p;
	long level_idx;
	const struct policy_procedure *proc;   /* NULL: the level has none */
	struct store_record rec;     /* review_app_load: the stored version */
};

int review_app_from_body(struct app_deploy *dep, struct arena *a, const char *id, const struct lval *body,
                         struct review_app *x, struct err *e);
int review_app_load(struct app_deploy *dep, struct arena *a, const char *id, struct review_app *x, struct err *e);

#define REVIEW_PLAN_NOTES 4

/* A review to write. */
struct review_plan {
	const struct policy_review *rv;   /* the pack's, or NULL for shinsa's own */
	const char *review, *title, *ref, *actor;
	const char **crit;                /* criterion ids, or NULL: crit_idx */
	const size_t *crit_idx;
	size_t ncrit;
	int trigger;                      /* TRIGGER_* */
	int event;                        /* EV_*, or -1 */
	const char *trigger_text, *trigger_ref;
	int64_t due;
	int cycle_months;                 /* the pack's (-1 unspecified, 0 none) */
	int when;                         /* 1 true, -1 unknown, 2 no condition */
	const char *notes[REVIEW_PLAN_NOTES];
	size_t nnotes;
	const char *follows;              /* the review this one comes after */
	const struct lval *recorded;      /* the event recorded ({kind, date, note, by, at}) */
};

void review_plan_pack(struct review_plan *pl, const struct policy_review *rv);
int review_plan_all(struct arena *a, const struct review_app *x, int64_t from,
                    const struct app_review_settings *set, struct review_plan **out, size_t *n);
int review_lists_event(const struct policy_review *rv, int ev);
/* 1 true, 0 false, -1 unknown (note says why), 2 no condition. */
int review_when(struct arena *a, const struct policy_review *rv, const struct lval *doc, const char **note);
int review_trigger_of(const char *name);
const char *review_date_text(struct arena *a, int64_t days);
/* The first day after from that is month-day (02-29: the 28th in other years). */
int64_t review_next_yearly(int64_t from, int month, int day);

const struct lval *review_body(struct arena *a, const struct review_app *x, const struct review_plan *pl,
                               const char *id, const char *at, const char *by,
                               const struct app_review_settings *set);
const char *review_json(struct arena *a, const struct lval *v, struct err *e);
int review_put(struct app_deploy *dep, const struct app_actor *who, const char *action, const char *id,
               long long version, const struct review_app *x, const char *state, const char *due,
               const char *owner, const struct lval *body, const char *before, const char *comment,
               struct err *e);
int review_create(struct app_deploy *dep, const struct app_actor *who, const char *action,
                  const struct review_app *x, const struct review_plan *pl, const struct app_review_settings *set,
                  const char **id_out, const struct lval **body_out, struct err *e);

#endif
