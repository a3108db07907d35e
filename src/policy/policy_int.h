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
	const struct policy_criterion *params_of;  /* whose params a condition may read (check) */
};

#define ERR_AT(L, Y, ...) \
	do { (L)->errors++; diag_add((L)->d, (L)->file, (Y)->line, (Y)->col, __VA_ARGS__); } while (0)

/* The fixed names, in enum order (policy_names.c). */
extern const char *const policy_ob_names[4];
extern const char *const policy_phase_names[PH_TERMINATION + 1];
extern const char *const policy_unmet_names[4];

/* ---- reading helpers (policy_read.c) ---- */

int policy_ld_is_map(struct ld *l, const struct ynode *y, const char *what);
int policy_ld_is_seq(struct ld *l, const struct ynode *y, const char *what);
/* Is s one of the NULL-terminated list? */
int policy_str_in(const char *s, const char *const *list);
/* Unknown keys of a mapping, and required ones that are missing. */
void policy_ld_check_keys(struct ld *l, const struct ynode *y, const char *what,
                   const char *const *allowed, const char *const *required);
/* The scalar at key as text; NULL when absent or null (and a mistake when
 * required and empty, or when not a scalar). */
const char *policy_ld_text(struct ld *l, const struct ynode *map, const char *key, int required);
/* A list of scalars (NULL y: none). */
const char **policy_ld_text_list(struct ld *l, const struct ynode *y, const char *what, size_t *n);
int policy_ld_int(struct ld *l, const struct ynode *y, const char *what, int lo, int hi);
int policy_ld_bool(struct ld *l, const struct ynode *y, const char *what);
struct policy_pos policy_ld_pos(const struct ynode *y);

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

/* ---- forms (policy_forms.c) ---- */

/* forms: each 様式 (after the criteria, groups and risks, which rows name). */
void policy_forms_load(struct ld *l, const struct ynode *y);
/* paper: what the seed files when it has no form or no ledger. */
void policy_paper_load(struct ld *l, const struct ynode *y);
/* After the procedures: every decision the pack asks for at a level has a
 * row on that level's body form; paper agrees with the forms. */
void policy_forms_check(struct ld *l);
/* paper and forms, as members of the show model being built. */
struct vb;
void policy_forms_model(struct vb *b, const struct policy *p);
/* ---- the constructs of issue #11 (7) (policy_levels.c, policy_ops.c) ---- */

/* shinsa.date and shinsa.at_least beside shinsa.in_list, in set->env. */
void policy_ops_env_init(struct policy_set *set);
/* The top-level level_order: [ID…] lowest first, ascending or descending. */
void policy_level_order_load(struct ld *l, const struct ynode *y);
/* A level selector (">= 3B", "<= 2", "2A..3A", "3B以上", "2以下", "3B", all, or
 * a list of ids) into in[level] = 1; 0 after a mistake (reported). */
int policy_level_sel(struct ld *l, const struct ynode *y, uint8_t *in);
/* obligation: {required: SEL, recommended: SEL, …} into ob (zeroed: the
 * levels not named are not-applicable); named[level] = 1 where given. */
void policy_ob_ranges(struct ld *l, const struct ynode *y, uint8_t *ob, uint8_t *named);
/* A criterion's params (before its check is loaded), and after it the check
 * compiled per level; its obligation_when (after its obligations). */
void policy_params_load(struct ld *l, const struct ynode *v, struct policy_criterion *c);
void policy_params_compile(struct ld *l, const struct ynode *check, struct policy_criterion *c);
void policy_ob_when_load(struct ld *l, const struct ynode *y, struct policy_criterion *c);
/* any_of: {SEL: [ID…], …}: the union into g->members, and g->member_at. */
void policy_group_by_level(struct ld *l, const struct ynode *y, struct policy_group *g);
/* An exemption's levels, instead and notify. */
void policy_exemption_extra(struct ld *l, const struct ynode *v, struct policy_exemption *x);
/* Is path "param.NAME" with NAME one of c's params? -1: not a param path. */
int policy_param_known(const struct policy_criterion *c, const char *path, size_t n);
/* ---- procedures, reviews and stages (policy_proc.c) ---- */

/* A criterion's stage: and on_unmet: keys. */
void policy_proc_criterion(struct ld *l, const struct ynode *v, struct policy_criterion *c);
/* The procedure keys beyond id/levels/forms (applicant, approver, consultations,
 * steps, lead_time, on_unmet, reviews, ledger_fields, end_of_use), after the
 * criteria and exemptions are loaded. */
void policy_proc_load(struct ld *l, const struct ynode *v, struct policy_procedure *r);
/* Is the value the word 'unspecified'? */
int policy_ld_unspecified(const struct ynode *y);

#endif
