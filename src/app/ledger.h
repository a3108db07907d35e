/* The ledger (承認済外部サービス台帳): the services approved and in their
 * life after approval (approved, in use, end reported, deletion confirmed),
 * each with its pack's ledger fields (乙訓 5.2(4) ①〜⑧, 安城 第5条第2項
 * (1)〜(9)) filled from the application's facts; closed ones stay in its
 * history. Built once here as a model that the CLI prints as a table, JSON
 * or CSV. docs/ledger.md. */
#ifndef SHINSA_LEDGER_H
#define SHINSA_LEDGER_H

#include <stdint.h>

#include "app/deploy.h"
#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"

#define LEDGER_FILTER_MAX 256   /* bytes of a --dept, --level or --provider */

/* What `shinsa ledger` asks. NULL: no filter. */
struct app_ledger_query {
	const char *dept;            /* 所属, exactly */
	const char *level;           /* a level id, exactly */
	const char *provider;        /* part of service.provider */
	const char *state;           /* one of the ledger's states or closed */
	const char *expiring_before; /* YYYY-MM-DD: the period ends before it (app.period_end) */
	int history;                 /* with the closed ones */
	long long limit, offset;     /* paging (limit 0: all) */
	int64_t today;               /* for the next review's status (days since 1970-01-01) */
};

/* The states on the ledger, and closed (its history). */
const char *const *app_ledger_states(size_t *n);   /* approved, in-use, end-reported, deletion-confirmed */
const char *app_ledger_state_ja(const char *state);

/* The model: {filters: {…}, total, offset, limit, count, columns: [label…],
 * rows: [{id, state, state_ja, pack, pack_body, level, level_name, dept,
 * applicant, provider, service, approved_at, started_at, period_end,
 * next_review: {id, title, due, status, status_ja} | null, ledger: "listed"
 * | "copied" | "none", ledger_note, fields: [{id, label, value, facts,
 * source}…]}…]} (docs/ledger.md). A bad filter is ERR_INVALID naming it. */
int app_ledger_model(struct app_deploy *dep, struct arena *a, const struct app_ledger_query *q,
                     const struct lval **model, struct err *e);

#endif
