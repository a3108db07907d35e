/* What the pieces of the JsonLogic engine share: the compiled node, the
 * operator table (one row per node kind), the compiler's and the
 * evaluation's contexts, and the small inline helpers every evaluator calls
 * on its hot path. Private to src/logic/logic_*.c (and the unit tests); the
 * interface is logic.h.
 *
 *   logic_ops.c      the operator table: every kind's name, arity, compile
 *                    hook, evaluator and specialised forms
 *   logic_compile.c  rule → tree of nodes; paths split, constants folded
 *   logic_eval.c     the scalar evaluator: errors, paths, the general
 *                    evaluator of every operator
 *   logic_forms.c    specialised evaluators for shapes common in policies
 *   logic_set.c      rule sets: the trie of var paths and binding documents
 *   logic_batch.c    a rule over up to LOGIC_BATCH documents in one walk */
#ifndef SHINSA_LOGIC_INT_H
#define SHINSA_LOGIC_INT_H

#include <stdint.h>
#include <string.h>

#include "logic/logic.h"

/* Nothing here leaves the library: hidden symbols let the evaluators call
 * and compare one another's addresses directly, not through the GOT. */
#pragma GCC visibility push(hidden)

/* Every node kind, in the order of logic_ops.def, where each has its one
 * row (the order matters where that file says). */
enum op {
#define LOGIC_OP(k, ...) OP_##k,
#include "logic/logic_ops.def"
#undef LOGIC_OP
	NK_COUNT
};
_Static_assert(NK_COUNT <= UINT8_MAX, "a node's kind must fit in its uint8_t op");

/* ---------------------------------------------------------------- nodes */

/* A var/val path split at compile time. */
struct lpath {
	uint32_t n;
	int32_t up;          /* val: scope levels to climb ([[n], ...]) */
	const char **keys;
	uint32_t *klen;
	uint64_t *kh;        /* lval_key_hash of each key */
	uint64_t (*pre)[2];  /* lval_key_prefix of each key */
	int64_t *index;      /* canonical array index of the key, or -1 */
	uint64_t *hint;      /* where each key was last found, as (shape id << 32 |
	                      * position): fact documents share shapes, so the next
	                      * one is likely the same. Read and written with relaxed
	                      * atomics: threads may share a compiled rule, and one
	                      * 64-bit word keeps the pair consistent. */
};

struct logic_ctx;
struct lnode;
struct compiler;
typedef const struct lval *(*evalfn)(struct logic_ctx *x, const struct lnode *n);
struct tv;
typedef struct tv (*trifn)(struct logic_ctx *x, const struct lnode *n);

/* A project operator's call: the operator registered through the env and
 * what its compile hook made of the arguments. */
struct project {
	const struct logic_project_op *op;
	const void *state;
};

struct lnode {
	evalfn fn;           /* set when compiling is done: one small function per operation */
	uint8_t op;          /* enum op */
	uint8_t spread;      /* args[0]'s value is the argument list */
	uint32_t nargs;
	struct lnode **args;
	const struct lval *lit;   /* OP_LIT value; OP_THROWC error type */
	struct lpath *path;       /* OP_VAR/OP_VAL/OP_EXISTS with a literal path */
	struct lpath **mpaths;    /* OP_MISSING with literal keys: each key's path */
	const struct lval *mkeys; /* ... and the keys themselves */
	const struct project *proj;  /* OP_PROJECT: the operator and its state */
	const char *pathstr;      /* OP_VAR: the path as written, for "missing" */
	int32_t slot;             /* in a rule set, the slot of the fact read: an OP_VAR's own,
	                           * or its fact's for a comparison or "in" specialised on it
	                           * (the kind's shape hook); else -1 */
	int32_t *mslots;          /* OP_MISSING(_SOME) in a rule set: each key's slot */
	const struct strset *sset;  /* OP_IN whose list is literal strings: the list, for lookup */
};

/* A literal list of strings made ready for lookup: each string's length and
 * a word that, for strings of one length up to 8 bytes, is equal exactly
 * when the strings are (str_word). */
struct strset {
	uint32_t n;
	struct sentry {
		uint32_t len;
		uint64_t w;
		const char *s;
	} e[];
};

/* A word of the string's bytes that says, between strings of one length up
 * to 8 bytes, whether they are equal: windows that together cover every
 * byte, read without going past the string's terminating NUL. Longer
 * strings get their first 8 bytes. */
static inline uint64_t str_word(const char *s, size_t n)
{
	uint32_t lo, hi;
	uint64_t w;

	if (n >= 8) {
		memcpy(&w, s, 8);
		return w;
	}
	if (n >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		return lo | (uint64_t)hi << 32;
	}
	if (!n)
		return 0;
	return (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
	       (uint64_t)(unsigned char)s[n - 1] << 16;
}

static inline int strset_has(const struct strset *set, const struct lval *v)
{
	uint64_t w = str_word(v->u.str, v->n);
	uint32_t i;

	for (i = 0; i < set->n; i++)
		if (set->e[i].len == v->n && set->e[i].w == w &&
		    (v->n <= 8 || lval_key_eq(set->e[i].s + 8, v->u.str + 8, v->n - 8)))
			return 1;
	return 0;
}

struct logic_rule {
	struct lnode *root;
	size_t depth;
};

/* ---------------------------------------------------------------- the operator table */

/* How an operator takes its arguments. */
enum argform {
	AF_SPREAD,  /* {"op": x}: x's value (an array spreads) is the argument list */
	AF_ARRAY,   /* {"op": [...]} only: anything else is Invalid Arguments */
	AF_SINGLE,  /* {"op": x} means {"op": [x]} */
};

/* What an operator's value depends on besides its arguments' values. */
enum reads {
	READS_NOTHING,  /* only its arguments: a constant when they are */
	READS_PATH,     /* a var path of the facts or of an iteration's scope */
	READS_ENV,      /* what the environment gives (a project operator; it may note) */
};

/* Which arguments are evaluated in a scope of their own rather than
 * against the document (so a root-scope var there is no fact of a set). */
enum argscope {
	SCOPE_NONE,
	SCOPE_ITEM,     /* argument 1, once per item of argument 0's list */
	SCOPE_CATCH,    /* arguments 1 on, in the caught error */
};

/* One node kind: an operator as the compiler and the evaluator know it. */
struct logic_kind {
	const char *name;     /* as written in a rule; NULL: not an operator (literals, arrays, …) */
	const char *alias;    /* another spelling, or NULL ("?:" for "if") */
	uint8_t form;         /* enum argform */
	int8_t min, max;      /* arity, checked when the arguments are known; max -1: no bound */
	const char *arity;    /* the message when the arity is wrong; NULL: "too few/many arguments" */
	uint8_t reads;        /* enum reads */
	uint8_t fold;         /* 1: with literal arguments, computed once when compiled */
	uint8_t scope;        /* enum argscope */
	/* Checks and precomputation once the arguments are compiled (NULL: none):
	 * returns OK, or what invalid() / cfail() return; *out may be replaced. */
	int (*compile)(struct compiler *c, struct lnode *n, struct lnode **out);
	evalfn eval;          /* the general evaluator: right for every node of the kind */
	/* The evaluator for this node's shape, once compiled (NULL: eval): a
	 * specialised form, which may keep what it needs in the node (its
	 * fact's slot, a literal, a string set). */
	evalfn (*shape)(struct compiler *c, struct lnode *n);
	/* The three-valued evaluator (logic_tri.c): the kind's rule when an
	 * operand may be unknown. */
	trifn tri;
};

extern const struct logic_kind logic_kinds[];
extern const char *const logic_kind_names[NK_COUNT];   /* "OP_EQ", … */

/* The kind whose name or alias is name[0..n), or -1 (operators only). */
int logic_kind_find(const char *name, size_t n);

/* The first kind of table t[0..n) with no evaluator, or whose row is
 * otherwise inconsistent, by name; NULL when every row is sound. */
const char *logic_kinds_missing(const struct logic_kind *t, size_t n);

/* Abort, naming the kind, if logic_kinds has a hole (once per process). */
void logic_kinds_check(void);

/* ---------------------------------------------------------------- compile */

struct compiler {
	struct arena *a;
	const struct logic_limits *lim;
	const struct logic_env *env;
	int flags;
	size_t nodes, maxdepth;
	struct logic_set *set;    /* compiling a rule set: root-scope vars read its slots */
	size_t body;              /* inside an iteration's or a catch's body (another scope) */
	struct err *e;
	char where[256];
};

struct lnode *logic_node_new(struct compiler *c, uint8_t op);
int logic_cfail(struct compiler *c, int code, const char *msg);
int logic_invalid(struct compiler *c, struct lnode **out, const char *msg);
struct lpath *logic_static_path(struct compiler *c, uint8_t op, struct lnode **args, size_t nargs);
void logic_missing_paths(struct compiler *c, struct lnode *n);
void logic_missing_slots(struct compiler *c, struct lnode *n, size_t nk);
const struct strset *logic_strset_new(struct arena *a, const struct lval *list);

static inline int is_literal(const struct lnode *n)
{
	return n->op == OP_LIT;
}

/* Paths: split at compile time, or at run time for a computed one. */
int32_t logic_scope_levels(double d);
struct lpath *logic_path_alloc(struct arena *a, size_t cap);
void logic_path_add(struct lpath *p, const char *k, size_t n);
struct lpath *logic_path_split(struct arena *a, const char *s, size_t n);

/* The set's slot for path p, added to its trie if new (logic_set.c). */
int32_t logic_set_slot(struct compiler *c, const struct lpath *p);

/* Compile one rule, alone (set NULL) or as a member of a rule set. */
int logic_compile_rule(struct arena *a, const struct lval *rule, const struct logic_limits *lim,
                       int flags, const struct logic_env *env, struct logic_set *set,
                       struct logic_rule **out, struct err *e);

/* ---------------------------------------------------------------- evaluate */

struct scope {
	const struct lval *data;   /* NULL for an iteration's metadata level */
	int64_t index;
};

/* An evaluation in progress (what a project operator sees as struct logic_ctx). */
struct logic_ctx {
	struct arena *a;
	struct scope inl[8];      /* enough for three nested iterations without allocating */
	struct scope *scopes;
	size_t nscopes, capscopes;
	const struct lval *err;
	const char **missing;
	size_t nmissing, capmissing;
	const char **notes;
	size_t nnotes, capnotes;
	const char *err_type;     /* a thrown {"type": err_type} not yet built (err == NULL) */
	const struct lval *const *slots;  /* a bound rule set's facts, by slot (NULL: absent) */
	uint64_t *used, bit;      /* *used |= bit once the evaluation leaves more than a value
	                           * here: a missing path, a note, an error, scopes of its own */
	uint64_t *more;           /* *more |= bit once there is more to say than the value */
	uint64_t own;             /* used and more, outside a batch */
	int quiet;                /* missing paths and notes are not kept, only *more marked */
};

/* The engine's own error types: thrown by pointer, so that the error
 * object is one built once for the process. */
extern const char logic_e_nan[], logic_e_args[], logic_e_long[], logic_e_error[];

const struct lval *logic_throw(struct logic_ctx *x, const char *type);
const struct lval *logic_error_value(struct logic_ctx *x);
#define THROW_NAN(x) logic_throw((x), logic_e_nan)
#define THROW_ARGS(x) logic_throw((x), logic_e_args)

void logic_ctx_reset(struct logic_ctx *x, struct arena *a, const struct lval *data,
                     const struct lval *const *slots);
void logic_note_missing(struct logic_ctx *x, const char *path);
void logic_note(struct logic_ctx *x, const char *msg);
const struct lval *logic_step(struct logic_ctx *x, const struct lval *cur, const struct lpath *p,
                              uint32_t i);
const struct lval **logic_eval_args(struct logic_ctx *x, const struct lnode *n, size_t *count);
int logic_compare(struct logic_ctx *x, const struct lval *a, const struct lval *b);
int logic_loose_eq(struct logic_ctx *x, const struct lval *a, const struct lval *b, int *res);
const struct lval *logic_in_vals(struct logic_ctx *x, const struct lval *a, const struct lval *b);
int logic_str_contains(const char *h, size_t hn, const char *nd, size_t nn);

/* A rule that is a constant (folded when compiled) has nothing to evaluate
 * and nothing missing: its result without an evaluation's set-up. */
static inline int const_root(const struct lnode *root, struct logic_result *res)
{
	if (root->op != OP_LIT)
		return 0;
	memset(res, 0, sizeof(*res));
	res->value = root->lit;
	return 1;
}

/* Evaluate root against data (slots: a bound set's facts, or NULL); its
 * callers answer a constant rule first (const_root). */
int logic_eval_root(const struct lnode *root, const struct lval *data,
                    const struct lval *const *slots, struct arena *a, struct logic_result *res);

/* The general evaluators (logic_eval.c), by kind. */
const struct lval *logic_ev_lit(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_throwc(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_array(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_project(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_var(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_val(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_exists(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_missing(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_missing_some(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_if(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_andor(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_not(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_coalesce(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_try(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_throw(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_compare(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_arith(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_cat(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_substr(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_in(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_merge(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_iterate(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_log(struct logic_ctx *x, const struct lnode *n);

/* The specialised forms (logic_forms.c). The batch tells them apart by
 * address, so each is one function, never a static copy. */
const struct lval *logic_ev_var_static(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_var_slot(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_var_self(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_cmp2(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_cmp_fact_lit(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_in_fact_lit(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_in_lit_fact(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_between_fact(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_ev_quant_fast(struct logic_ctx *x, const struct lnode *n);
const struct lval *logic_var_slow(struct logic_ctx *x, const struct lnode *n,
                                  const struct lval *cur, uint32_t i);
const struct lval *logic_slot_miss(struct logic_ctx *x, const struct lnode *n,
                                   const struct lval *v);

/* ---------------------------------------------------------------- three-valued */

/* What a node evaluates to three-valued (logic_tri.c): a value, unknown (a
 * missing fact, or what depends on one), or a throw (the context's error,
 * as the plain evaluator's NULL). */
enum { TV_VAL, TV_UNK, TV_ERR };

/* The missing facts something depends on: paths in the order first read,
 * each once. Never changed once made (unions make new ones). */
struct tdeps {
	uint32_t n;
	const char *p[];
};

/* A list of known length whose items are three-valued ({"merge": [[1],
 * {"var": "a"}]} with a missing). */
struct tlist {
	uint32_t n;
	struct tv *it;
};

struct tv {
	const struct lval *v;       /* TV_VAL */
	const struct tdeps *d;      /* the missing facts the value depends on (NULL: none) */
	const struct tlist *l;      /* TV_UNK: a list of n items, some unknown, or NULL */
	uint8_t k;                  /* TV_VAL, TV_UNK, TV_ERR */
	uint8_t truth;              /* TV_UNK: enum logic_truth of the value */
	uint8_t nonnull;            /* TV_UNK: the value is never null (a missing fact,
	                             * once answered, is not) */
	const struct tdeps *thr;    /* the missing facts some answer of which could make it
	                             * throw (NULL: none could) */
};

/* The three-valued evaluators by kind (logic_tri.c). */
struct tv logic_tri_lit(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_plain(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_strict(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_project(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_array(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_var(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_val(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_if(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_andor(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_not(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_coalesce(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_try(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_throw(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_compare(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_in(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_merge(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_iterate(struct logic_ctx *x, const struct lnode *n);
struct tv logic_tri_log(struct logic_ctx *x, const struct lnode *n);

/* Evaluate root three-valued against data (slots: a bound set's facts, or
 * NULL). walk: always walk the tree three-valued, never answering first from
 * a plain evaluation that read no missing fact (the tests compare the two). */
int logic_eval3_root(const struct lnode *root, const struct lval *data,
                     const struct lval *const *slots, struct arena *a, int walk,
                     struct logic_result3 *out, struct err *e);

/* The path of a var key or val parts computed at run time (logic_eval.c). */
struct lpath *logic_dynamic_path(struct logic_ctx *x, uint8_t op, const struct lval **v, size_t nv);

/* ---------------------------------------------------------------- hot helpers */

/* The context is no longer as logic_ctx_reset left it (a batch sets it up again). */
static inline void ectx_used(struct logic_ctx *x)
{
	*x->used |= x->bit;
	*x->more |= x->bit;
}

/* A static var whose every step finds its key where the path last found it
 * (the shape it remembers): one compare per step, nothing called. */
static inline const struct lval *var_fast(struct logic_ctx *x, const struct lnode *n)
{
	const struct lpath *p = n->path;
	const struct lval *cur = x->scopes[x->nscopes - 1].data;
	uint32_t i;

	for (i = 0; i < p->n; i++) {
		uint64_t h = __atomic_load_n(&p->hint[i], __ATOMIC_RELAXED);

		if (cur->type != LV_OBJ || cur->u.obj->shape->id != (uint32_t)(h >> 32))
			return logic_var_slow(x, n, cur, i);
		cur = &cur->u.obj->v[(uint32_t)h];
	}
	if (cur->type == LV_NULL)
		return logic_var_slow(x, n, cur, i);
	return cur;
}

/* A root-scope var of a bound rule set: the binding found it already. */
static inline const struct lval *var_slot(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots)
		return var_fast(x, n);
	v = x->slots[n->slot];
	if (v && v->type != LV_NULL)
		return v;
	return logic_slot_miss(x, n, v);
}

/* Literals and facts are most of a policy rule's nodes: both are answered
 * here without an indirect call. */
static inline const struct lval *eval(struct logic_ctx *x, const struct lnode *n)
{
	if (n->op == OP_LIT)
		return n->lit;
	if (n->fn == logic_ev_var_slot)
		return var_slot(x, n);
	if (n->fn == logic_ev_var_static)
		return var_fast(x, n);
	return n->fn(x, n);
}

static inline int push_scope(struct logic_ctx *x, const struct lval *data, int64_t index)
{
	if (x->nscopes + 2 > x->capscopes) {
		size_t cap = x->capscopes * 2 + 8;

		ectx_used(x);
		x->scopes = arena_realloc(x->a, x->scopes, x->capscopes * sizeof(*x->scopes),
		                          cap * sizeof(*x->scopes));
		x->capscopes = cap;
	}
	x->scopes[x->nscopes].data = NULL;
	x->scopes[x->nscopes].index = index;
	x->scopes[x->nscopes + 1].data = data;
	x->scopes[x->nscopes + 1].index = index;
	x->nscopes += 2;
	return 0;
}

static inline void pop_scope(struct logic_ctx *x)
{
	x->nscopes -= 2;
}

/* Two numbers compared (JavaScript's relations; NaN is unordered). */
static inline const struct lval *cmp_nums(uint8_t op, double a, double b)
{
	switch (op) {
	case OP_EQ: case OP_SEQ: return LV_BOOLV(a == b);
	case OP_NE: case OP_SNE: return LV_BOOLV(a != b);
	case OP_LT: return LV_BOOLV(a < b);
	case OP_LE: return LV_BOOLV(a <= b);
	case OP_GT: return LV_BOOLV(a > b);
	default: return LV_BOOLV(a >= b);
	}
}

/* Two operands, the usual shape of a comparison. */
static inline const struct lval *cmp_vals(struct logic_ctx *x, uint8_t op, const struct lval *a,
                                          const struct lval *b)
{
	int c;

	if (a->type == LV_NUM && b->type == LV_NUM)
		return cmp_nums(op, a->u.num, b->u.num);
	switch (op) {
	case OP_SEQ: return LV_BOOLV(lval_strict_eq(a, b));
	case OP_SNE: return LV_BOOLV(!lval_strict_eq(a, b));
	case OP_EQ:
	case OP_NE:
		if (logic_loose_eq(x, a, b, &c))
			return NULL;
		return LV_BOOLV(c == (op == OP_EQ));
	default:
		c = logic_compare(x, a, b);
		if (c == -3)
			return NULL;
		if (c == -2)
			return LV_FALSEV;
		return LV_BOOLV(op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0);
	}
}

/* ---------------------------------------------------------------- rule sets and batches */

/* The var paths of a rule set as a trie: paths that share a prefix share its
 * steps, so binding a document walks each member once for the whole set. */
struct tnode {
	const struct lpath *p;    /* the step is key i of path p (the first path to take it) */
	uint32_t i;
	int32_t slot;             /* the path ending at this step, or -1 */
	uint32_t id;              /* the binding's cache for this node's children */
	uint32_t nkids, capkids;
	struct tnode **kids;
};

/* The binding's plan: the trie's nodes with children (groups) in the
 * order of a walk from the root, each after its parent, so that one loop
 * over them binds a document; and each group's children. Made once the
 * set's rules are compiled. */
struct bkid {
	const struct tnode *t;
	uint32_t slot;                /* t's slot (nslots: none, a place for nothing) */
	uint32_t id;                  /* t's id when it has children (a group; ntnodes: none) */
};

struct bgroup {
	const struct tnode *t;
	uint32_t first;               /* t's children are kids[first, first + t->nkids) */
};

struct logic_set {
	size_t nrules;
	struct logic_rule **rules;
	size_t nslots;
	struct tnode root;
	uint32_t ntnodes;         /* nodes with children, numbered by id */
	struct tnode **byid;
	size_t capbyid;
	struct bgroup *groups;    /* the binding's plan: the root first, every group after its parent */
	struct bkid *kids;
	size_t ngroups, nkids;
};

/* Where a trie node's children sit in the objects it meets, for the last
 * BIND_WAYS shapes (direct-mapped by shape id): pos[way * nkids + k] is the
 * member's position, or -1 when the shape lacks it. */
#define BIND_WAYS 16

struct bcache {
	uint32_t ids[BIND_WAYS];
	int32_t *pos;
};

typedef uint8_t lane_t;       /* a lane's index */
_Static_assert(LOGIC_BATCH <= 64, "a lane's index must fit in lane_t, a lane in a 64-bit mask");

/* Lanes 0 to n - 1 as a mask. */
static inline uint64_t lanes(size_t n)
{
	return n < 64 ? ((uint64_t)1 << n) - 1 : ~(uint64_t)0;
}

/* Documents bound to a set, one lane each (a binding is a batch of one). */
struct logic_batch {
	const struct logic_set *set;
	size_t cap, n;                /* lanes allocated, lanes bound */
	const struct lval **docs;     /* by lane */
	size_t stride;                /* nslots + 1: the last is where a step without a slot goes */
	const struct lval **vals;     /* lane k's facts by slot at vals + k * stride (NULL: absent) */
	struct logic_ctx *x;          /* lane k's evaluation */
	uint64_t dirty;               /* lanes whose evaluation left more than a value in x (a
	                               * missing path, a note, an error, scopes of its own: see
	                               * ectx_used), set up again before the next rule */
	uint64_t more;                /* lanes with more to say than the last rule's value */
	uint64_t full;                /* ... whose x holds all of it (missing paths, notes) */
	int quiet;                    /* the contexts' mode (see struct logic_ctx) */
	size_t rule;                  /* the last rule evaluated */
	struct arena *a;              /* the arena the clean lanes' contexts have */
	const struct lval **out;      /* the last rule's values, by lane */
	lane_t all[LOGIC_BATCH];      /* every lane, in order */
	struct bcache *caches;        /* by trie node id, shared by the lanes */
	const struct lval **found;    /* by group id, in the lane being bound: what its step
	                               * found (NULL: absent or null) */
};

/* Set up batch b of cap lanes for set s; bind docs[0..n) to it (logic_set.c). */
void logic_batch_setup(struct logic_batch *b, struct arena *a, const struct logic_set *s,
                       size_t cap);
void logic_batch_bind_docs(struct logic_batch *b, const struct lval *const *docs, size_t n,
                           struct arena *a);

#pragma GCC visibility pop

#endif
