/* What the files of src/policy share and nobody else sees: the loader's
 * context, the helpers that check a YAML tree against the format and record
 * each mistake with its position, and the pieces of policy_set_open. */
#ifndef SHINSA_POLICY_INT_H
#define SHINSA_POLICY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "policy/policy.h"
#include "policy/ynode.h"

/* One file being loaded: where its mistakes go and how many there were. A
 * loader records every mistake and goes on, so that one lint run shows an
 * author all of them; only the count decides whether the file is refused. */
struct ld {
	struct arena *a;
	const char *file;
	struct diag *d;
	size_t errors;
	const struct policy_set *set;   /* the vocabulary and lists checks read (may be NULL) */
	struct policy *p;               /* the pack being built (pack files only) */
};

#define ERR_AT(L, Y, ...) \
	do { (L)->errors++; diag_add((L)->d, (L)->file, (Y)->line, (Y)->col, __VA_ARGS__); } while (0)

/* The fixed names, in enum order (policy_names.c). */
extern const char *const policy_ob_names[4];
extern const char *const policy_phase_names[PH_TERMINATION + 1];
extern const char *const policy_unmet_names[4];

/* ---- reading helpers (policy_read.c) ---- */

int ld_is_map(struct ld *l, const struct ynode *y, const char *what);
int ld_is_seq(struct ld *l, const struct ynode *y, const char *what);
/* Is s one of the NULL-terminated list? */
int policy_str_in(const char *s, const char *const *list);
/* Unknown keys of a mapping, and required ones that are missing. */
void ld_check_keys(struct ld *l, const struct ynode *y, const char *what,
                   const char *const *allowed, const char *const *required);
/* The scalar at key as text; NULL when absent or null (and a mistake when
 * required and empty, or when not a scalar). */
const char *ld_text(struct ld *l, const struct ynode *map, const char *key, int required);
/* A list of scalars (NULL y: none). */
const char **ld_text_list(struct ld *l, const struct ynode *y, const char *what, size_t *n);
int ld_int(struct ld *l, const struct ynode *y, const char *what, int lo, int hi);
int ld_bool(struct ld *l, const struct ynode *y, const char *what);
struct policy_pos ld_pos(const struct ynode *y);

/* Read and parse file into *out; a mistake (no such file, a directory, too
 * large, bad YAML) goes to d at its position. */
int policy_read_yaml(struct arena *a, const char *file, struct ynode **out, struct diag *d);
/* The *.yaml names in dir, sorted; those starting with prefix only (or all). */
char **policy_list_yaml(struct arena *a, const char *dir, const char *prefix, size_t *n);

/* ---- the pieces of policy_set_open ---- */

/* dir/vocabulary.yaml and dir/facts-*.yaml; *nfiles counts the files read. */
int policy_vocab_load(struct arena *a, const char *dir, struct policy_vocab **out,
                      struct diag *d, size_t *nfiles);
/* Each YAML file in dir/reference into set->lists, and set->env from them. */
void policy_lists_load(struct arena *a, struct policy_set *set, struct diag *d, size_t *errors);

/* ---- conditions (policy_cond.c) ---- */

/* A when/check/satisfied_by condition: its paths checked against the
 * vocabulary with their positions, compiled, and analysed (the facts it
 * reads, whether it is free of negation). */
int policy_cond_load(struct ld *l, const struct ynode *y, struct policy_cond *c);

/* ---- procedures, reviews and stages (policy_proc.c) ---- */

/* A criterion's stage: and on_unmet: keys. */
void policy_proc_criterion(struct ld *l, const struct ynode *v, struct policy_criterion *c);
/* The procedure keys beyond id/levels/forms (applicant, approver, consultations,
 * steps, lead_time, on_unmet, reviews, ledger_fields, end_of_use), after the
 * criteria and exemptions are loaded. */
void policy_proc_load(struct ld *l, const struct ynode *v, struct policy_procedure *r);
/* Is the value the word 'unspecified'? */
int ld_unspecified(const struct ynode *y);

#endif
