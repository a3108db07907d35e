/* Applications through their life (DESIGN §3, docs/applications.md): made
 * from a stored service profile and an application file, assessed against a
 * pack, submitted with a snapshot of that assessment and of the pack, routed
 * to the parties the pack's procedure names (consultees, the approver) as the
 * deployment binds them, then in use, ended, its data's deletion confirmed,
 * and closed. An exempt service that the pack sends to a notification (届出)
 * goes draft → notified → in use instead. The state machine is one table
 * (app_transitions): each action's states, who may take it, and what it
 * checks; every transition is one new version of the "app" record and its
 * audit entry "app.ACTION", in one transaction with the tasks it opens. */
#ifndef SHINSA_APPLICATION_H
#define SHINSA_APPLICATION_H

#include <stddef.h>

#include "app/deploy.h"
#include "app/user.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/err.h"
#include "logic/value.h"

enum app_state {
	AS_DRAFT = 0,
	AS_SUBMITTED,
	AS_IN_CONSULTATION,
	AS_APPROVED,
	AS_RETURNED,
	AS_REJECTED,
	AS_IN_USE,
	AS_END_REPORTED,
	AS_DELETION_CONFIRMED,
	AS_CLOSED,
	AS_NOTIFIED,            /* 届出済: the notification path */
	AS_COUNT
};

const char *app_state_name(int s);     /* "in-consultation", … ("" out of range) */
const char *app_state_ja(int s);       /* 協議中, … */
/* AS_*, or -1; "in_use" is read as "in-use" (every '_' as '-'). */
int app_state_of(const char *name);
/* "draft, submitted, …": the state names, for messages. */
const char *app_state_list(void);

enum app_action {
	AA_CREATE = 0,
	AA_UPDATE,
	AA_SUBMIT,
	AA_COMMENT,
	AA_APPROVE,
	AA_RETURN,
	AA_REJECT,
	AA_START,
	AA_END,
	AA_CONFIRM_DELETION,
	AA_CLOSE,
	AA_COUNT
};

const char *app_action_name(int act);  /* "confirm-deletion", … */
const char *app_action_ja(int act);    /* 削除確認, … */

/* Who may take an action: a role (or any, -1) in a relation to the
 * application. One of a row's entries must hold. */
enum app_relation {
	REL_NONE = 0,            /* ends the list */
	REL_ANY,                 /* any user of the role */
	REL_OWNER,               /* the application's applicant (its owner) */
	REL_MANAGER,             /* the application's manager (set at approval: the applicant) */
	REL_APPROVER,            /* bound to the procedure's approver (any approver where the pack names none) */
	REL_CONSULTEE,           /* bound to a party the procedure consults (協議先) */
};

#define APP_WHO_MAX 3

struct app_who {
	int role;                /* ROLE_*, or -1: any role */
	int rel;                 /* enum app_relation */
};

struct app_tx;

/* One action of the state machine. */
struct app_transition {
	int action;                            /* enum app_action */
	unsigned from;                         /* the states it is taken in (1u << AS_*); 0: none (create) */
	int to;                                /* AS_*, or APP_TO_SAME, or APP_TO_ROUTE (the pack decides) */
	struct app_who who[APP_WHO_MAX];       /* ending with REL_NONE */
	const char *who_ja, *who_en;           /* the same in words, for messages and `app show` */
	int needs_comment;                     /* --text / --comment is required */
	/* what the application itself must be for the action (the verdict, the
	 * consultation, the profile…): NULL or a function that says why not
	 * (ERR_FORBIDDEN in e) — `app show` asks it too */
	int (*ready)(struct app_tx *t, struct err *e);
	/* what the action checks of its arguments and changes in the record */
	int (*apply)(struct app_tx *t, struct err *e);
};

#define APP_TO_SAME (-1)
#define APP_TO_ROUTE (-2)

/* The table, in action order (app_transitions()[i].action == i). */
const struct app_transition *app_transitions(size_t *n);

/* An end-of-use item judged at the deletion's confirmation: --item ID=J. */
struct app_judgement {
	const char *id;
	const char *judgement;                 /* "met", "unmet", "not-applicable" */
};

/* What one command asks. Only the members its action reads are used. */
struct app_request {
	int action;                            /* enum app_action */
	const char *id;                        /* the application (every action but create) */
	/* create */
	const char *profile;                   /* the stored profile's id (its newest version is used) */
	const char *pack, *level;              /* level NULL: the application's app.classification */
	/* create, update: the application file (as `evaluate --app` reads it) */
	const char *file;
	const char *text;
	size_t len;
	/* comment (--text), approve/return/reject (--comment) */
	const char *comment;
	/* start (optional: today), end, confirm-deletion: YYYY-MM-DD */
	const char *date;
	/* confirm-deletion */
	const char *method;                    /* clear | purge | destroy | contract:TEXT */
	const char *certificate;
	const struct app_judgement *items;
	size_t nitems;
};

struct app_result {
	const char *id;                        /* the application */
	int from, to;                          /* states (from -1 for create) */
	long long version;                     /* the record's new version */
	const char **tasks;                    /* the tasks the transition opened (ids) */
	size_t ntasks;
	long long reviews;                     /* reviews scheduled (approval) */
};

/* Take rq's action as who. Refused (ERR_FORBIDDEN: the role, the binding,
 * the state or a check; ERR_INVALID: an argument; ERR_NOTFOUND: no such
 * application or profile) with the reason in e, its details one a line in
 * why (the open items, the missing bindings…), and nothing changed. */
int app_apply(struct app_deploy *dep, const struct app_actor *who, const struct app_request *rq,
              struct app_result *out, struct diag *why, struct err *e);

/* Mark a task done (its owner only), with an optional comment. */
int app_task_done(struct app_deploy *dep, const struct app_actor *who, const char *task_id, const char *comment,
                  struct err *e);

/* The model of `app show`: {id, state, state_ja, route, pack, level, applicant, profile, assessment,
 * snapshot, consultation, decisions, manager, dates, end_report, deletion, history, tasks, next}.
 * docs/applications.md lists the fields. */
int app_show_model(struct app_deploy *dep, struct arena *a, const char *id, const struct lval **out,
                   struct err *e);

/* The model of `app list`: [{id, state, state_ja, pack, level, applicant, dept, provider, service,
 * verdict, verdict_ja, updated_at}…]; state NULL: every state. */
int app_list_model(struct app_deploy *dep, struct arena *a, const char *state, const struct lval **out,
                   struct err *e);

/* The most --item arguments one confirmation takes, and the longest text
 * argument (a comment, a certificate reference). */
#define APP_ITEMS_MAX 256
#define APP_TEXT_MAX 4000

#endif
