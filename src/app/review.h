/* Reviews of a service in use (点検): approval schedules the reviews the
 * pack's procedure defines, from their triggers (a cycle — the deployment's
 * setting where the pack leaves it unspecified —, the yearly personnel move,
 * the certificate's expiry, the end of the contract period, and the events
 * someone records). A review is due, then overdue, then done. docs/reviews.md. */
#ifndef SHINSA_REVIEW_H
#define SHINSA_REVIEW_H

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

#endif
