/* Assessment: what one standard says of one service for one use, criterion by
 * criterion, with the reason, the verdict and the procedure (DESIGN §2.4).
 * Deterministic, and no I/O: the caller gives the facts and the answers. */
#ifndef SHINSA_ASSESS_H
#define SHINSA_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
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
	/* when the status is unknown: the missing facts that decide it (an
	 * answer to any of them could settle it; never one it does not need),
	 * from the three-valued evaluation (logic_eval3) */
	const char *const *deciding;
	size_t ndeciding;
	uint8_t when_unknown;             /* its `when` cannot be decided yet */
	long exempt_possible;             /* unmet, but an undecided exemption may cover it:
	                                   * index into p->exemptions, or -1 */
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
	const char *const *deciding;      /* unknown: the facts its undecided alternatives wait for */
	size_t ndeciding;
};

/* A prohibition or an exemption as this assessment finds it: it holds
 * (applies), or its condition cannot be decided yet (unknown: the
 * prohibition may hold, the exemption may apply). */
enum { AI_HOLDS = 0, AI_UNKNOWN };

struct assess_item {
	size_t index;                     /* into p->prohibitions or p->exemptions */
	uint8_t status;                   /* AI_HOLDS, AI_UNKNOWN */
	const char *const *deciding;      /* AI_UNKNOWN: the missing facts that decide it */
	size_t ndeciding;
	struct assess_fact *facts;        /* the facts its condition reads, with their values
	                                   * (ASSESS_DETAIL only) */
	size_t nfacts;
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
	const struct policy_exemption *whole_exempt;   /* the exemption that sets the whole standard aside */
	size_t ndeferred;                 /* findings left for a review or the end of use */
	int unmet_action;                 /* UNMET_* that decided a nonconforming/consultation verdict, or -1 */
	struct assess_fact *ledger;       /* the facts the procedure's ledger fields name, with their values */
	size_t nledger;
	/* three-valued (issue #11 (2)): every prohibition that holds or cannot
	 * be decided (an undecided one keeps the verdict from conforming), and
	 * every exemption that applies or may apply (only one that applies
	 * takes effect; the others are shown as possible) */
	struct assess_item *prohibitions;
	size_t nprohibitions;
	struct assess_item *exemptions;
	size_t nexemptions;
	size_t nprohibited_unknown, nexempt_possible;
	/* set by assess_run_batch: the pack's conditions evaluated ahead for a
	 * batch of documents, and this document's lane in it */
	struct assess_batch *batch;
	size_t lane;
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

/* ---- batches (assess_batch.c): many documents against one pack ----
 *
 * A pack's conditions (exemptions, prohibitions, when, check and every
 * per-level check_at, satisfied_by, obligation_when, reviews) compiled as
 * one rule set, and evaluated three-valued over up to LOGIC_BATCH
 * documents at a time (logic_batch_eval3), each rule once per batch and
 * only when an assessment first asks for it. An assessment run on a batch
 * lane gives exactly what assess_run gives for that document alone. */
struct assess_rules;
struct assess_batch;

/* The pack's rule set (from a, which must outlive it), compiled with the
 * set's logic environment as the pack's conditions were. */
int assess_rules_new(struct arena *a, const struct policy_set *set, const struct policy *p,
                     struct assess_rules **out, struct err *e);

/* A batch over the rule set; what its evaluations allocate goes to work,
 * which assess_batch_bind rewinds to where it was when the batch was made. */
struct assess_batch *assess_batch_new(struct arena *a, const struct assess_rules *r, struct arena *work);

/* Bind docs[0..n) (n <= LOGIC_BATCH), which must outlive the batch's use.
 * A document may change app.classification in place between levels
 * (profile_facts_set_level): the rules that read it are evaluated again. */
void assess_batch_bind(struct assess_batch *b, const struct lval *const *docs, size_t n);
/* Forget the results of the rules that depend on the level (after a
 * document's app.classification changed). */
void assess_batch_level(struct assess_batch *b);

/* For assess.c: condition c's three-valued result for lane k (evaluated for
 * the whole batch when first asked), as logic_eval3 gives it; the pack and
 * lane k's document. */
int assess_batch_cond(struct assess_batch *b, size_t k, const struct policy_cond *c, struct arena *a,
                      struct logic_result3 *out);
const struct policy *assess_batch_policy(const struct assess_batch *b);
const struct lval *assess_batch_doc(const struct assess_batch *b, size_t k);

/* assess_run for lane k of the batch (facts: that lane's document). */
int assess_run_batch(struct arena *a, struct assess_batch *b, size_t k, size_t level,
                     const struct lval *answers, const struct lval *risks, int flags,
                     struct assessment *out);

#endif
