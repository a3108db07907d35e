/* Reference lists (such as the CRYPTREC e-Government recommended ciphers)
 * and the tolerant matching of vendors' spellings against them: a vendor
 * writes "AES-256-GCM" or "TLS_AES_128_GCM_SHA256", the list says AES, GCM,
 * SHA-256. A name is placed when every algorithm in it is on the list; key
 * sizes are parameters, not names. */
#ifndef SHINSA_POLICY_REFLIST_H
#define SHINSA_POLICY_REFLIST_H

#include <stddef.h>

#include "core/arena.h"
#include "logic/logic.h"

struct reflist {
	const char *name;          /* "cryptrec.recommended" */
	const char *source;        /* where the list comes from, for reports */
	const char **entries;      /* canonical names on the list */
	size_t nentries;
	/* Aliases: a spelling (any case, any separators) and the canonical name
	 * it means. A canonical name that is not an entry makes a name that uses
	 * it unplaced (e.g. SHA-1). A family alias (RSA) maps to each member. */
	const char **alias_from, **alias_to;
	size_t naliases;
	const char **noise;        /* tokens that name no algorithm: TLS, WITH, … */
	size_t nnoise;
	/* Families: a name (RSA) that stands for several entries; it is on the
	 * list when any member is. */
	const char **fam_names;
	const char *const *const *fam_members;
	const size_t *fam_nmembers;
	size_t nfam;
};

/* Build the lookup form of a list (normalized keys) in a; call once. */
struct reflist_index;
struct reflist_index *reflist_index(struct arena *a, const struct reflist *l);

/* Place one vendor name. Returns 1 when every algorithm token of name is on
 * the list; else 0, with *bad (if given) set to the first token that is not
 * (allocated in a). */
int reflist_place(struct arena *a, const struct reflist_index *x, const char *name, size_t n,
                  const char **bad);

const struct reflist *reflist_of(const struct reflist_index *x);

/* The list's name ("cryptrec.recommended"). */
const char *reflist_name(const struct reflist_index *x);

/* {"shinsa.in_list": [NAMES, LIST]}: every name is on the reference list
 * named LIST. It is a project operator, registered through a logic
 * environment: re holds the lists it may name, the operator's row and the
 * environment a rule is compiled with (&re->env). re must not move after
 * reflist_env_init. */
struct reflist_env {
	const struct reflist_index *const *lists;
	size_t n;
	struct logic_project_op op;
	struct logic_env env;
};
void reflist_env_init(struct reflist_env *re, const struct reflist_index *const *lists, size_t n);

#endif
