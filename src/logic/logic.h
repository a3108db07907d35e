/* JsonLogic: compile a rule once into a tree with its var paths split in
 * advance, then evaluate it many times against facts. Semantics follow
 * json-logic-js and the JSON Logic community suites (errors such as NaN are
 * thrown, and try/throw can catch them). Evaluation records which var paths
 * were absent so a caller can say "unknown" rather than "false". */
#ifndef SHINSA_LOGIC_H
#define SHINSA_LOGIC_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"

struct logic_rule;

struct logic_limits {
	size_t max_depth;   /* nesting of operators; default 64 */
	size_t max_nodes;   /* operators + literals; default 10000 */
};

#define LOGIC_DEFAULT_MAX_DEPTH 64
#define LOGIC_DEFAULT_MAX_NODES 10000

/* An operator the engine does not know is a compile error unless this flag is
 * given, in which case it is kept and evaluates to an "Unknown Operator" error
 * (what the community suites expect of a run-time engine). */
#define LOGIC_LENIENT 1

/* Compile rule (a parsed JSON value that must outlive the result) into *out,
 * allocated from a. On error returns ERR_INVALID / ERR_TOOLARGE and e names the
 * operator and its position as a JSON path such as "and[1].>=". */
int logic_compile(struct arena *a, const struct lval *rule,
                  const struct logic_limits *lim, int flags,
                  struct logic_rule **out, struct err *e);

/* Is name an operator the engine knows: standard, extension, or (with env)
 * a project operator registered there? */
int logic_op_known(const char *name, size_t n);
struct logic_env;
int logic_op_known_env(const struct logic_env *env, const char *name, size_t n);

/* An evaluation in progress, as a project operator's evaluate callback sees it. */
struct logic_ctx;

/* A project operator: one the engine does not define, registered by a
 * higher layer through the env it compiles with (the policy layer's
 * {"shinsa.in_list": [NAMES, LIST]}). Its arguments are given as an array
 * ({"op": [a, b]}); each is evaluated, in order, before eval is called, and
 * an argument that throws throws for the call. A project operator is never
 * folded into a constant, so its notes are never lost. */
struct logic_project_op {
	const char *name;     /* as written in rules; a prefix ("shinsa.") keeps it apart */
	int min_args;         /* fewest arguments ("too few arguments" otherwise) */
	int max_args;         /* most, or -1 for no bound */
	/* Check a call when it is compiled (NULL: any arguments do). lits[i] is
	 * argument i's value when it is a literal, else NULL. Returns OK with
	 * *state (given to eval; may stay NULL); ERR_INVALID for a malformed
	 * call (with LOGIC_LENIENT it throws "Invalid Arguments" instead); or
	 * another code such as ERR_NOTFOUND, which fails the compile even when
	 * lenient. *why is then the message, for the rule's author. */
	int (*compile)(const void *data, struct arena *a, const struct lval *const *lits, size_t n,
	               const void **state, const char **why);
	/* The call's value, from its arguments' values; NULL after
	 * logic_ctx_throw. What it allocates goes to logic_ctx_arena(x). */
	const struct lval *(*eval)(struct logic_ctx *x, const void *state,
	                           const struct lval *const *args, size_t n);
	const void *data;     /* given to compile: what the operator refers to */
	/* Three-valued (logic_eval3), when an argument is unknown (NULL: the
	 * call is then unknown, decided by the unknown arguments' facts).
	 * args[i] is argument i's value, or NULL when it is unknown; truth[i]
	 * its truthiness (enum logic_truth: an unknown value's truth may be
	 * known, as {"or": [missing, true]}'s is). Returns the call's truth
	 * whatever the unknown arguments turn out to be: LOGIC_TRUE or
	 * LOGIC_FALSE only when every answer gives it (the call's value is
	 * then that boolean), else LOGIC_UNKNOWN. Called only when every
	 * known argument did not throw. */
	int (*eval3)(const void *state, const struct lval *const *args, const unsigned char *truth,
	             size_t n);
};

/* What a rule may use besides the standard operators: the project operators
 * by name. The engine itself defines none; a higher layer registers its own
 * (the policy layer's shinsa.in_list: policy/reflist.h). */
struct logic_env {
	const struct logic_project_op *ops;
	size_t nops;
};

/* For a project operator's eval: where to allocate; throw {"type": type}
 * (type must outlive the result; returns NULL, for "return
 * logic_ctx_throw(x, …)"); note what the evaluation could not judge (msg
 * must outlive the result: a literal or from the arena); note a var path
 * that was absent, which counts only at the document's scope, as var's do. */
struct arena *logic_ctx_arena(struct logic_ctx *x);
const struct lval *logic_ctx_throw(struct logic_ctx *x, const char *type);
void logic_ctx_note(struct logic_ctx *x, const char *msg);
void logic_ctx_missing(struct logic_ctx *x, const char *path);

int logic_compile_env(struct arena *a, const struct lval *rule,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_rule **out, struct err *e);

struct logic_result {
	const struct lval *value;  /* the result, when logic_eval returned OK */
	const struct lval *error;  /* the thrown error ({"type":…}), when it returned ERR_INVALID */
	const char **missing;      /* var paths that were absent or null in the facts */
	size_t nmissing;
	const char **notes;        /* what the evaluation could not judge, as project
	                            * operators note it (logic_ctx_note) */
	size_t nnotes;
};

/* Evaluate r against data. Everything allocated goes to a (rewind it to reuse).
 * Returns OK, or ERR_INVALID when the rule threw (res->error says what). */
int logic_eval(const struct logic_rule *r, const struct lval *data,
               struct arena *a, struct logic_result *res);

/* Three-valued evaluation (DESIGN §2.2): the same compiled rule, with a
 * fact that is missing (absent or null) taken as unknown rather than
 * coerced to null, by Kleene's rules: {"and": [a, b]} is false when a is
 * false whatever b is, a comparison that reads a missing fact is unknown.
 * docs/jsonlogic.md ("Three-valued evaluation") gives every operator's rule.
 * logic_eval stays the plain JsonLogic of `shinsa logic eval` and the
 * conformance suites. */
enum logic_truth {
	LOGIC_FALSE = 0,
	LOGIC_TRUE = 1,
	LOGIC_UNKNOWN = 2,
};

struct logic_result3 {
	enum logic_truth truth;    /* the value's truthiness; LOGIC_UNKNOWN also when it threw */
	const struct lval *value;  /* the value when it is known, else NULL (the truth may
	                            * still be known: {"or": [missing, true]} is true) */
	const struct lval *error;  /* the thrown error, when logic_eval3 returned ERR_INVALID */
	const char *const *deciding;  /* when the truth is unknown: the missing facts it
	                            * depends on, the ones that would decide it (never a
	                            * fact the answer does not need); empty otherwise */
	size_t ndeciding;
	const char **missing;      /* every missing var path the evaluation read, as in
	                            * struct logic_result (decisive or not) */
	size_t nmissing;
	const char **notes;        /* as in struct logic_result */
	size_t nnotes;
};

/* Evaluate r against data three-valued; everything allocated goes to a.
 * Returns OK (out->truth is true, false or unknown), or ERR_INVALID when the
 * rule certainly throws (out->error says what; e, which may be NULL, gets
 * "the rule threw TYPE"). An error that depends on a missing fact is not
 * certain: the result is then unknown. */
int logic_eval3(struct arena *a, const struct logic_rule *r, const struct lval *data,
                struct logic_result3 *out, struct err *e);

/* A rule set: rules compiled together to be evaluated against one document
 * at a time, as a policy's checks are against one service's facts. The var
 * paths the rules read at the document's scope are gathered into one trie;
 * binding a document finds each of them once, and every rule then reads its
 * facts by slot. Results are those of logic_eval, missing paths included.
 *
 * On a compile error, *failed is the index of the rule at fault. A set's rule
 * also works alone with logic_eval. */
struct logic_set;
int logic_set_compile(struct arena *a, const struct lval *const *rules, size_t n,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_set **out, size_t *failed, struct err *e);
size_t logic_set_size(const struct logic_set *s);
size_t logic_set_paths(const struct logic_set *s);   /* distinct var paths read */
const struct logic_rule *logic_set_rule(const struct logic_set *s, size_t i);

/* A document bound to a set, with caches of where members sit in the shapes
 * seen so far. One binding per thread; the set itself is only read. */
struct logic_binding;
struct logic_binding *logic_binding_new(struct arena *a, const struct logic_set *s);

/* Bind doc (which must outlive the evaluations); anything allocated (a
 * string's character, a list's length) goes to a. */
void logic_bind(struct logic_binding *b, const struct lval *doc, struct arena *a);

/* Evaluate rule i of the set against the bound document, as logic_eval. */
int logic_eval_bound(const struct logic_binding *b, size_t i, struct arena *a,
                     struct logic_result *res);

/* Evaluate rule i of the set against the bound document three-valued, as
 * logic_eval3. */
int logic_eval3_bound(struct arena *a, const struct logic_binding *b, size_t i,
                      struct logic_result3 *out, struct err *e);

/* A batch: up to LOGIC_BATCH documents bound to a set at once, each rule
 * then evaluated over all of them in one walk of its tree. For many
 * documents against one policy (a matrix, a ledger's review) this does the
 * same work as binding each document and evaluating rule by rule, with the
 * interpretation shared by the batch. Results are those of logic_eval, lane
 * by lane, missing paths and notes included. One batch per thread. */
#define LOGIC_BATCH 64

struct logic_batch;
struct logic_batch *logic_batch_new(struct arena *a, const struct logic_set *s);

/* Bind docs[0..n) (n at most LOGIC_BATCH; more are ignored), which must
 * outlive the evaluations; anything allocated goes to a. */
void logic_batch_bind(struct logic_batch *b, const struct lval *const *docs, size_t n,
                      struct arena *a);
size_t logic_batch_size(const struct logic_batch *b);   /* documents bound */

/* Evaluate rule i of the set against every bound document: res[k] (the
 * caller gives logic_batch_size() of them) is what logic_eval gives for
 * document k. Returns how many threw. */
size_t logic_batch_eval(struct logic_batch *b, size_t i, struct arena *a, struct logic_result *res);

/* The same when the values are what is wanted (a matrix's verdicts): rule
 * i's value for each bound document, by lane, NULL where it threw; valid
 * until the batch's next evaluation or binding. *more (when more is not
 * NULL) gets the lanes that may have more to say than a value, bit k for
 * lane k: every lane that threw or noted a missing path or a note is among
 * them. The evaluation is quiet: missing paths and notes are marked, not
 * kept, so a caller who wants values pays for no more. logic_batch_result gives a
 * lane's full result, the same as logic_batch_eval's, until the next
 * evaluation; for a lane with more to say it evaluates the lane again,
 * keeping everything, allocating from the arena of the last evaluation. */
const struct lval *const *logic_batch_values(struct logic_batch *b, size_t i, struct arena *a,
                                             uint64_t *more);
void logic_batch_result(struct logic_batch *b, size_t k, struct logic_result *res);

/* Rule i of the set against every bound document three-valued: out[k] (the
 * caller gives logic_batch_size() of them) is what logic_eval3 gives for
 * document k. The batch's quiet walk answers every lane that read no
 * missing fact; only the others are evaluated again, three-valued. Returns
 * how many lanes certainly threw. The batch's values (logic_batch_values)
 * are those of rule i afterwards. */
size_t logic_batch_eval3(struct logic_batch *b, size_t i, struct arena *a,
                         struct logic_result3 *out);

/* Write the thrown error's type as a string ("NaN", "Invalid Arguments", …). */
const char *logic_error_type(struct arena *a, const struct lval *error);

#endif
