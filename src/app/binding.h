/* Routing: the parties a pack's procedures name in the body's own words
 * (各課の課長, デジタル推進課, 統括情報セキュリティ責任者 …), each with a
 * stable id, and the deployment's binding of each to users: named users, a
 * department and title, or the applicant's own department (its 課長).
 * Bindings come from the config file and from `shinsa bind set`; a stored
 * binding wins over the file's for the same party. docs/routing.md. */
#ifndef SHINSA_BINDING_H
#define SHINSA_BINDING_H

#include "app/deploy.h"
#include "app/user.h"
#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"
#include "policy/policy.h"

/* What a procedure needs a party for (the policy layer's enum policy_party_use). */
enum app_party_use {
	PARTY_APPROVER = PARTY_USE_APPROVER,       /* the procedure's approver: decides */
	PARTY_CONSULTEE = PARTY_USE_CONSULTEE,     /* a 協議先: comments before the decision */
	PARTY_STEP = PARTY_USE_STEP,               /* the actor of a step (指名, 登録, 個別確認 …): owns its task */
	PARTY_REVIEW = PARTY_USE_REVIEW,           /* the actor of a review */
	PARTY_END_OF_USE = PARTY_USE_END_OF_USE,   /* the actor of an end-of-use item (終了の報告, 消去の確認 …) */
	PARTY_APPLICANT = PARTY_USE_APPLICANT,     /* the applicant point's who: informative, binding it is optional */
	PARTY_THROUGH = PARTY_USE_THROUGH,         /* a consultation's go-between: informative, optional */
};

/* The users a party resolves to for an application made by applicant: ERR_NOTFOUND, with a message naming the pack, the
 * party and the command that binds it, when the party is unbound or binds
 * nobody who is active. *logins is an array of n logins in a. party_text:
 * the pack's words for the party (r->approval.who, a step's actor …) or its
 * id. applicant may be NULL when the binding does not need it (a binding to
 * the applicant's department then finds nobody). */
int app_binding_resolve(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party_text,
                        const struct app_user *applicant, const char ***logins, size_t *n, struct err *e);

/* Is login among the users party_text resolves to for applicant? 1 yes, 0 no
 * (an unbound party: 0 and e says why; a user not among them: 0, and e, with
 * ERR_FORBIDDEN, names who is). */
int app_binding_has(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party_text,
                    const struct app_user *applicant, const char *login, struct err *e);

/* A party's stable id from the body's words (the same text gives the same
 * id in every pack; docs/routing.md says how it is made). */
const char *app_party_id(struct arena *a, const char *party_text);

/* Does every party procedure r needs resolve, for applicant? The approver,
 * the consultees of each consultation taken, the actors of the steps taken,
 * of the reviews and of the end-of-use items; not the applicant point nor a
 * go-between. ctx says which exemptions apply (NULL: none), as for
 * policy_proc_taken. OK, or ERR_NOTFOUND naming each missing binding and
 * `shinsa bind set` (one missing: that party's own message). What submission
 * checks (issue #12 item 4). */
int app_binding_check_procedure(struct app_deploy *dep, struct arena *a, const struct policy *p,
                                const struct policy_procedure *r, const struct app_user *applicant,
                                const struct policy_proc_ctx *ctx, struct err *e);

/* ---- the bindings themselves: what `shinsa bind` reads and writes ---- */

const char *app_bind_how_name(int how);   /* "users", "dept", "applicant-dept" (enum app_bind_how) */

/* A binding in force. */
struct app_binding {
	const struct policy_party *party;
	int how;                              /* enum app_bind_how */
	const char *const *users;             /* BIND_USERS */
	size_t nusers;
	const char *dept, *title;             /* NULL when not given */
	int from_store;                       /* 1: `bind set` (the store), 0: the config file */
	long long version;                    /* the store's: its version, when and by whom */
	const char *at, *by;
	const struct app_config_binding *config;   /* the file's binding of this party: in force when
	                                            * !from_store, else overridden (NULL: none) */
};

/* The binding in force for party (its id or words) of p. ERR_NOTFOUND, the
 * message naming the party and the command, when it is unbound; ERR_INVALID
 * when p names no such party or the file's bindings are wrong. */
int app_binding_get(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party,
                    struct app_binding *out, struct err *e);

/* The file's bindings checked against the packs: each pack known, each party
 * one of that pack's, no party bound twice. ERR_INVALID at the file's line
 * and column otherwise. Every function here that reads bindings calls it (the
 * packs: dep->set; without it, the bindings of p only). */
int app_bindings_check(struct app_deploy *dep, const struct policy *p, struct err *e);

/* What `bind set` asks for: exactly one form. */
struct app_binding_spec {
	int how;                              /* enum app_bind_how */
	const char *const *users;             /* BIND_USERS: one or more, each an active user */
	size_t nusers;
	const char *dept;                     /* BIND_DEPT */
	const char *title;                    /* BIND_DEPT, BIND_APPLICANT_DEPT: optional */
};

/* Bind party (its id or words) of p as spec says, for the administrator who:
 * a new version of the record binding/PACK/PARTY and its audit entry
 * (binding.set), unless the store already holds the same binding. Refused,
 * with nothing written: a user who is not an administrator (ERR_FORBIDDEN), an
 * unknown party, a bad spec, an unknown or disabled user. *model (may be
 * NULL): {status: "set"|"unchanged", pack, party: {id, text, …, binding}}. */
int app_binding_set(struct app_deploy *dep, const struct app_actor *who, const struct policy *p, const char *party,
                    const struct app_binding_spec *spec, const struct lval **model, struct err *e);

/* Remove the store's binding of party (a version with state unbound, action
 * binding.unset): the file's binding, if any, is in force again. Admin only.
 * *model: {status: "unset"|"unchanged", pack, party}. */
int app_binding_unset(struct app_deploy *dep, const struct app_actor *who, const struct policy *p, const char *party,
                      const struct lval **model, struct err *e);

/* `bind list PACK`: {pack, body, title, parties: [{id, text, required, uses:
 * [{use, use_ja, procedure, item, ref}…], bound, binding: {how, users, dept,
 * title, source, …, resolves, inactive} | null, command}…]} (docs/routing.md). */
int app_binding_list_model(struct app_deploy *dep, struct arena *a, const struct policy *p,
                           const struct lval **model, struct err *e);

#endif
