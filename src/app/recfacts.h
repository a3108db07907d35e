/* The facts an application record keeps (docs/records.md: its body's
 * "facts", the merged facts the assessment used), read by reviews and the
 * ledger. They may be written flat ({"app.period_end": …}) or nested
 * ({"app": {"period_end": …}}); both read the same here. */
#ifndef SHINSA_RECFACTS_H
#define SHINSA_RECFACTS_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "logic/value.h"
#include "store/store.h"

/* The value at path ("cert.ismap_expiry"), or NULL when absent or null. */
const struct lval *app_fact_get(const struct lval *facts, const char *path);

/* The facts as one nested document (what a pack's conditions read with
 * {"var": "app.x"}): flat dotted keys spread into objects. NULL facts: an
 * empty object. */
const struct lval *app_facts_doc(struct arena *a, const struct lval *facts);

/* A fact's value as text for people (the ledger, messages): a string as it
 * is, a number as JSON writes it, true/false as はい/いいえ, a list joined
 * with "、", an object as JSON. Into a. */
const char *app_fact_text(struct arena *a, const struct lval *v);

/* The records a search finds, copied into a (texts and all), so that the
 * caller can read other records for each one after the search has ended
 * (a backend need not allow a search inside another's callback). */
int app_record_collect(struct store *s, struct arena *a, const struct store_query *q, struct store_record **out,
                       size_t *n, struct err *e);

#endif
