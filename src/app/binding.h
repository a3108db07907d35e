/* Routing: the parties a pack's procedures name in the body's own words
 * (各課の課長, デジタル推進課, 統括情報セキュリティ責任者 …), each with a
 * stable id, and the deployment's binding of each to users: named users, a
 * department and title, or the applicant's own department (its 課長).
 * Bindings come from the config file and from `shinsa bind set`. docs/routing.md. */
#ifndef SHINSA_BINDING_H
#define SHINSA_BINDING_H

#include "app/deploy.h"
#include "app/user.h"
#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"
#include "policy/policy.h"

/* What a procedure needs a party for. */
enum app_party_use {
	PARTY_APPROVER = 0,   /* the procedure's approver: decides */
	PARTY_CONSULTEE,      /* a 協議先: comments before the decision */
	PARTY_STEP,           /* the actor of a step (指名, 登録, 個別確認 …): owns its task */
	PARTY_REVIEW,         /* the actor of a review */
};

/* The users a party resolves to for an application made by applicant: ERR_NOTFOUND, with a message naming the pack, the
 * party and the command that binds it, when the party is unbound or binds
 * nobody who is active. *logins is an array of n logins in a. */
int app_binding_resolve(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party_text,
                        const struct app_user *applicant, const char ***logins, size_t *n, struct err *e);

/* Is login among the users party_text resolves to for applicant? 1 yes, 0 no
 * (an unbound party: 0 and e says why). */
int app_binding_has(struct app_deploy *dep, struct arena *a, const struct policy *p, const char *party_text,
                    const struct app_user *applicant, const char *login, struct err *e);

/* A party's stable id from the body's words (the same text gives the same
 * id in every pack; docs/routing.md says how it is made). */
const char *app_party_id(struct arena *a, const char *party_text);

#endif
