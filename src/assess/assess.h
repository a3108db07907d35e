/* Assessment: what one standard says of one service for one use, criterion by
 * criterion, with the reason, the verdict and the procedure (DESIGN §2.4).
 * Deterministic, and no I/O: the caller gives the facts and the answers. */
#ifndef SHINSA_ASSESS_H
#define SHINSA_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "policy.h"
#include "value.h"

enum fstatus {
	FS_MET,
	FS_UNMET,
	FS_UNKNOWN,      /* a fact it needs is not known */
	FS_MANUAL,       /* waiting for a person's answer */
	FS_ACCEPTED,     /* unmet, and accepted with one of the pack's answers */
	FS_NA,           /* not applicable: level, condition or exemption */
};

enum verdict {
	V_EXEMPT,
	V_PROHIBITED,
	V_NONCONFORMING,
	V_CONSULTATION,
	V_INCOMPLETE,
	V_CONFORMING,
};

const char *fstatus_name(int s);      /* "met", "unmet", … */
const char *fstatus_ja(int s);        /* "適合", "不適合", … */
const char *verdict_name(int v);      /* "conforming", … */
const char *verdict_ja(int v);        /* "適合", … */

struct fact_value {
	const char *path;
	const struct lval *value;         /* NULL when absent */
};

struct finding {
	const struct criterion *c;
	uint8_t status, obligation;
	struct fact_value *facts;         /* the facts its conditions read, with their values */
	size_t nfacts;
	const char **missing;             /* of those, the ones not known */
	size_t nmissing;
	const char **notes;               /* e.g. algorithm names not on the CRYPTREC list */
	size_t nnotes;
	const char *answer;               /* a person's answer, when there is one */
	const char *reason;               /* one line, in Japanese */
	const struct group *group;        /* the any-of group it is an alternative of, if any */
};

struct group_result {
	const struct group *g;
	uint8_t status, obligation;
	const char *reason;
};

enum { RS_NA, RS_PENDING, RS_ACCEPTED, RS_REJECTED };

struct risk_result {
	const struct risk *r;
	uint8_t obligation, status;
	const char *decision;
};

struct assessment {
	const struct policy *p;
	size_t level;
	int verdict;
	const char *verdict_reason;       /* one line, in Japanese */
	struct finding *findings;
	size_t nfindings;
	struct group_result *groups;
	size_t ngroups;
	struct risk_result *risks;
	size_t nrisks;
	const struct prohibition **prohibited;
	size_t nprohibited;
	const struct exemption **exempt;  /* exemptions that apply (all or in part) */
	size_t nexempt;
	const struct procedure *procedure;
	const char *next_step;            /* what the applicant does next, in Japanese */
	size_t checks;                    /* conditions evaluated, for statistics */
	int flags;
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
