/* Assessment: what one standard says of one service for one use, criterion by
 * criterion, with the reason, the verdict and the procedure (DESIGN §2.4).
 * Deterministic, and no I/O: the caller gives the facts and the answers. */
#ifndef SHINSA_ASSESS_H
#define SHINSA_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "policy/policy.h"
#include "logic/value.h"

enum assess_status {
	FS_MET,
	FS_UNMET,
	FS_UNKNOWN,      /* a fact it needs is not known */
	FS_MANUAL,       /* waiting for a person's answer */
	FS_ACCEPTED,     /* unmet, and accepted with one of the pack's answers */
	FS_NA,           /* not applicable: level, condition or exemption */
	FS_DEFERRED,     /* judged later: at a review or at the end of use (its stage) */
};

enum assess_verdict {
	V_EXEMPT,
	V_PROHIBITED,
	V_NONCONFORMING,
	V_CONSULTATION,
	V_INCOMPLETE,
	V_CONFORMING,
};

const char *assess_status_name(int s);      /* "met", "unmet", … */
const char *assess_status_ja(int s);        /* "適合", "不適合", … */
const char *assess_verdict_name(int v);      /* "conforming", … */
const char *assess_verdict_ja(int v);        /* "適合", … */
int assess_verdict_from_name(const char *s); /* V_*, or -1 */
int assess_verdict_severity(int v);          /* 0 (exempt, conforming), incomplete 1 … prohibited 4 */
const char *assess_risk_status_name(int s);  /* "pending", … */
const char *assess_risk_status_ja(int s);    /* "判断待ち", … */

struct assess_fact {
	const char *path;
	const struct lval *value;         /* NULL when absent */
};

struct assess_finding {
	const struct policy_criterion *c;
	uint8_t status, obligation;
	struct assess_fact *facts;         /* the facts its conditions read, with their values */
	size_t nfacts;
	const char **missing;             /* of those, the ones not known */
	size_t nmissing;
	const char **notes;               /* e.g. algorithm names not on the CRYPTREC list */
	size_t nnotes;
	const char *answer;               /* a person's answer, when there is one */
	const char *reason;               /* one line, in Japanese */
	const struct policy_group *group;        /* the any-of group it is an alternative of, if any */
	/* obligation_when (issue #11 (7)): the entry that set the obligation,
	 * or, when an application fact it depends on is unanswered, ob_open
	 * with those facts (the stricter obligation is shown; an unmet item
	 * then waits for the fact instead of making the service nonconforming) */
	const struct policy_ob_when *ob_by;
	uint8_t ob_open;
	const char **ob_missing;
	size_t nob_missing;
};

struct assess_group {
	const struct policy_group *g;
	uint8_t status, obligation;
	const char *reason;
};

enum { RS_NA, RS_PENDING, RS_ACCEPTED, RS_REJECTED };

struct assess_risk {
	const struct policy_risk *r;
	uint8_t obligation, status;
	const char *decision;
};

struct assessment {
	const struct policy *p;
	size_t level;
	int verdict;
	const char *verdict_reason;       /* one line, in Japanese */
	struct assess_finding *findings;
	size_t nfindings;
	struct assess_group *groups;
	size_t ngroups;
	struct assess_risk *risks;
	size_t nrisks;
	const struct policy_prohibition **prohibited;
	size_t nprohibited;
	const struct policy_exemption **exempt;  /* exemptions that apply (all or in part) */
	size_t nexempt;
	const struct policy_procedure *procedure;
	const struct policy_exemption *notification;  /* an exemption that applies: 届出 instead of 申請 */
	const char *next_step;            /* what the applicant does next, in Japanese */
	size_t checks;                    /* conditions evaluated, for statistics */
	int flags;
	/* the procedure's parts this application takes (docs/assessment.md) */
	uint8_t *exempt_flags;            /* per p->exemptions: 1 when it applies */
	int8_t *review_when;              /* per procedure review: its condition 1, 0, -1 unknown */
	size_t ndeferred;                 /* findings left for a review or the end of use */
	int unmet_action;                 /* UNMET_* that decided a nonconforming/consultation verdict, or -1 */
	struct assess_fact *ledger;       /* the facts the procedure's ledger fields name, with their values */
	size_t nledger;
};

/* What to fill in besides the statuses and the verdict: the reasons and the
 * facts each finding read (a person reads them; a matrix of thousands does not). */
#define ASSESS_DETAIL 1

/* Assess facts (a profile merged with the application's app.* facts, with
 * app.classification set to the level) against pack p at level.
 * answers and risks are the application's objects for this pack (criterion
 * id -> answer, risk id -> decision), or NULL. Everything goes into a. */
int assess_run(struct arena *a, const struct policy *p, size_t level, const struct lval *facts,
               const struct lval *answers, const struct lval *risks, int flags,
               struct assessment *out);

#endif
