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

/* Is name an operator the engine knows (standard, extension or project)? */
int logic_op_known(const char *name, size_t n);

/* What project operators may refer to: the reference lists by name, for
 * {"shinsa.in_list": [NAMES, "cryptrec.recommended"]}. */
struct reflist_index;
struct logic_env {
	const struct reflist_index *const *lists;
	size_t nlists;
};

int logic_compile_env(struct arena *a, const struct lval *rule,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_rule **out, struct err *e);

struct logic_result {
	const struct lval *value;  /* the result, when logic_eval returned OK */
	const struct lval *error;  /* the thrown error ({"type":…}), when it returned ERR_INVALID */
	const char **missing;      /* var paths that were absent or null in the facts */
	size_t nmissing;
	const char **notes;        /* what the evaluation could not judge, e.g. an algorithm
	                            * name shinsa.in_list could not place on its list */
	size_t nnotes;
};

/* Evaluate r against data. Everything allocated goes to a (rewind it to reuse).
 * Returns OK, or ERR_INVALID when the rule threw (res->error says what). */
int logic_eval(const struct logic_rule *r, const struct lval *data,
               struct arena *a, struct logic_result *res);

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

/* Write the thrown error's type as a string ("NaN", "Invalid Arguments", …). */
const char *logic_error_type(struct arena *a, const struct lval *error);

#endif
