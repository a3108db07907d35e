/* Reviews of a service in use (点検): approval schedules the reviews the
 * pack's procedure defines, from their triggers (a cycle — the deployment's
 * setting where the pack leaves it unspecified —, the yearly personnel move,
 * the certificate's expiry, the end of the contract period, and the events
 * someone records). A review is due, then overdue, then done. docs/reviews.md. */
#ifndef SHINSA_REVIEW_H
#define SHINSA_REVIEW_H

#include <stdint.h>

#include "app/deploy.h"
#include "app/user.h"
#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"

/* Schedule the reviews of the application app_id, just approved: app is its
 * record body (docs/records.md: pack, level, facts, approved_at …) and from
 * the approval's date (YYYY-MM-DD, JST). Runs inside the approval's
 * transaction (the caller's store_tx), each review a record of kind "review"
 * written with app_record_write. */
int app_review_schedule(struct app_deploy *dep, const struct app_actor *who, const char *app_id,
                        const struct lval *app, const char *from_date, struct err *e);

/* ---- the rest of the reviews' life (docs/reviews.md) ---- */

/* The settings reviews use (the config file's, app_config_resolve's
 * defaults where a field is 0 or unset). */
struct app_review_settings {
	int cycle_months;                   /* where the pack says only 定期的 */
	int personnel_month, personnel_day; /* the yearly personnel move */
	int notice_days;                    /* listed as due this many days before its due date */
	int event_days;                     /* a recorded event's review falls due this many days after it */
};
void app_review_settings_of(const struct app_config *c, struct app_review_settings *out);

/* A review on a given day. */
enum app_review_status { REVIEW_SCHEDULED = 0, REVIEW_DUE, REVIEW_OVERDUE, REVIEW_DONE, REVIEW_STOPPED };
const char *app_review_status_name(int st);   /* "scheduled", "due", "overdue", "done", "stopped" */
const char *app_review_status_ja(int st);     /* 予定, 実施時期, 期限超過, 実施済, 停止（利用終了） */

/* The application states in which its reviews run (approved, in-use,
 * notified); elsewhere (ended, closed…) they stop. */
int app_review_active_state(const char *state);

/* The status of a review with this stored state and due date on today
 * (days since 1970-01-01), its application in app_state. */
int app_review_status(const char *state, const char *due, const char *app_state, int64_t today,
                      const struct app_review_settings *set);

/* The triggers a review comes from. */
enum app_review_trigger {
	TRIGGER_CYCLE = 0,           /* the pack's cycle, or the deployment's where it is unspecified */
	TRIGGER_PERSONNEL,           /* the yearly personnel move (personnel_move_date) */
	TRIGGER_CERTIFICATE,         /* before the certificate's expiry (cert.ismap_expiry) */
	TRIGGER_CONTRACT_END,        /* before the end of the contract period (app.period_end) */
	TRIGGER_EVENT,               /* an event someone recorded (review event) */
	TRIGGER_COUNT
};
const char *app_review_trigger_name(int t);   /* "cycle", "personnel-move", "certificate-expiry", "contract-end", "event" */
const char *app_review_trigger_ja(int t);

/* "YYYY-MM-DD" (or a longer ISO time, its date) → days; -1 when it is not one. */
int app_review_parse_date(const char *s, int64_t *days);

/* `review list`: the reviews (newest version each), in id order. */
struct app_review_query {
	const char *app;     /* only this application's (NULL: all) */
	int due;             /* only those due or overdue */
	int overdue;         /* only those overdue */
	int64_t today;       /* days since 1970-01-01 (JST) */
};
/* {today, notice_days, reviews: [{id, app, pack, level, review, title, ref,
 * actor, trigger, trigger_ja, trigger_text, due, state, status, status_ja,
 * owner, criteria, cycle_months, cycle_unspecified, cycle_note, when,
 * notes, event, done_at, done_by, done_date, findings, items, next}…]}
 * (docs/reviews.md). */
int app_review_list(struct app_deploy *dep, struct arena *a, const struct app_review_query *q,
                    const struct lval **model, struct err *e);

/* `review done`: findings, the items judged, and the risk acceptances'
 * new until, by who (the review's bound actor or the application's
 * manager). */
struct app_review_judged {
	const char *id;      /* a criterion of the pack */
	const char *value;   /* met, unmet, not-applicable */
};
struct app_review_until {
	const char *risk;    /* a risk id the application accepted */
	const char *until;   /* YYYY-MM-DD, or "" to keep it open-ended */
};
struct app_review_done_in {
	const char *findings;             /* may be NULL */
	const struct app_review_judged *items;
	size_t nitems;
	const struct app_review_until *untils;
	size_t nuntils;
	const char *date;                 /* the day it was done (NULL: today) */
	int64_t today;
};
/* The model: {review: {…as in list}, next: {…} or null, app_risks: [{risk,
 * until, before}…]}. A refusal (who may not, a review already done or
 * stopped, a bad item) changes nothing and says why. */
int app_review_done(struct app_deploy *dep, const struct app_actor *who, const char *review_id,
                    const struct app_review_done_in *in, const struct lval **model, struct err *e);

/* `review event`: kind one of policy_event_name()'s; each of the app's
 * pack reviews that lists it gets a due review. The model: {app, kind,
 * kind_ja, date, note, created: [{…review}…], skipped: [{review, reason}…]}.
 * No review listing the kind: ERR_NOTFOUND, naming the reviews and the
 * events they list, nothing written. */
int app_review_event(struct app_deploy *dep, const struct app_actor *who, const char *app_id, const char *kind,
                     const char *date, const char *note, int64_t today, const struct lval **model,
                     struct err *e);

#endif
