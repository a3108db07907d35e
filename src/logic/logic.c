/* JsonLogic compiler and evaluator. A rule is compiled once into a tree of
 * nodes whose var paths are already split; evaluation walks the tree with an
 * explicit scope stack (for map/filter/reduce and val's scope climbing) and
 * signals a thrown error by returning NULL with ctx->err set. */
#include "logic/logic.h"
#include "core/fmt.h"
#include "logic/reflist.h"
#include "core/utf8.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op {
	OP_LIT, OP_ARRAY, OP_THROWC,
	OP_VAR, OP_VAL, OP_EXISTS, OP_MISSING, OP_MISSING_SOME,
	OP_IF, OP_AND, OP_OR, OP_NOT, OP_NOTNOT, OP_COALESCE, OP_TRY, OP_THROW,
	OP_EQ, OP_NE, OP_SEQ, OP_SNE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_MIN, OP_MAX,
	OP_CAT, OP_SUBSTR, OP_IN, OP_MERGE,
	OP_MAP, OP_FILTER, OP_REDUCE, OP_ALL, OP_SOME, OP_NONE,
	OP_LOG,
	OP_IN_LIST,
};

/* How an operator takes its arguments. */
enum argform {
	AF_SPREAD,  /* {"op": x}: x's value (an array spreads) is the argument list */
	AF_ARRAY,   /* {"op": [...]} only: anything else is Invalid Arguments */
	AF_SINGLE,  /* {"op": x} means {"op": [x]} */
};

struct opdef {
	const char *name;
	uint8_t op;
	uint8_t form;
	int8_t min;    /* fewest arguments, checked when they are known */
};

static const struct opdef ops[] = {
	{ "var", OP_VAR, AF_SINGLE, 0 },
	{ "val", OP_VAL, AF_SINGLE, 0 },
	{ "exists", OP_EXISTS, AF_SINGLE, 0 },
	{ "missing", OP_MISSING, AF_SPREAD, 0 },
	{ "missing_some", OP_MISSING_SOME, AF_ARRAY, 2 },
	{ "if", OP_IF, AF_ARRAY, 0 },
	{ "?:", OP_IF, AF_ARRAY, 0 },
	{ "and", OP_AND, AF_ARRAY, 0 },
	{ "or", OP_OR, AF_ARRAY, 0 },
	{ "!", OP_NOT, AF_SINGLE, 0 },
	{ "!!", OP_NOTNOT, AF_SINGLE, 0 },
	{ "??", OP_COALESCE, AF_SPREAD, 0 },
	{ "try", OP_TRY, AF_SINGLE, 0 },
	{ "throw", OP_THROW, AF_SINGLE, 0 },
	{ "==", OP_EQ, AF_ARRAY, 2 },
	{ "!=", OP_NE, AF_ARRAY, 2 },
	{ "===", OP_SEQ, AF_ARRAY, 2 },
	{ "!==", OP_SNE, AF_ARRAY, 2 },
	{ "<", OP_LT, AF_ARRAY, 2 },
	{ "<=", OP_LE, AF_ARRAY, 2 },
	{ ">", OP_GT, AF_ARRAY, 2 },
	{ ">=", OP_GE, AF_ARRAY, 2 },
	{ "+", OP_ADD, AF_SPREAD, 0 },
	{ "-", OP_SUB, AF_SPREAD, 1 },
	{ "*", OP_MUL, AF_SPREAD, 0 },
	{ "/", OP_DIV, AF_SPREAD, 1 },
	{ "%", OP_MOD, AF_SPREAD, 2 },
	{ "min", OP_MIN, AF_SPREAD, 0 },
	{ "max", OP_MAX, AF_SPREAD, 0 },
	{ "cat", OP_CAT, AF_SPREAD, 0 },
	{ "substr", OP_SUBSTR, AF_SINGLE, 0 },
	{ "in", OP_IN, AF_SINGLE, 0 },
	{ "merge", OP_MERGE, AF_SPREAD, 0 },
	{ "map", OP_MAP, AF_ARRAY, 0 },
	{ "filter", OP_FILTER, AF_ARRAY, 0 },
	{ "reduce", OP_REDUCE, AF_ARRAY, 0 },
	{ "all", OP_ALL, AF_ARRAY, 0 },
	{ "some", OP_SOME, AF_ARRAY, 0 },
	{ "none", OP_NONE, AF_ARRAY, 0 },
	{ "log", OP_LOG, AF_SINGLE, 0 },
	/* project operators: the "shinsa." prefix keeps them apart from standard ones */
	{ "shinsa.in_list", OP_IN_LIST, AF_ARRAY, 2 },
};

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

struct ectx;
struct lnode;
typedef const struct lval *(*evalfn)(struct ectx *x, const struct lnode *n);

struct lnode {
	evalfn fn;           /* set when compiling is done: one small function per operation */
	uint8_t op;
	uint8_t spread;      /* args[0]'s value is the argument list */
	uint32_t nargs;
	struct lnode **args;
	const struct lval *lit;   /* OP_LIT value; OP_THROWC error type */
	struct lpath *path;       /* OP_VAR/OP_VAL/OP_EXISTS with a literal path */
	struct lpath **mpaths;    /* OP_MISSING with literal keys: each key's path */
	const struct lval *mkeys; /* ... and the keys themselves */
	const struct reflist_index *ref;  /* OP_IN_LIST: the list */
	const char *pathstr;      /* OP_VAR: the path as written, for "missing" */
	int32_t slot;             /* in a rule set, the slot of the fact read: an OP_VAR's own,
	                           * or its fact's for a comparison or "in" specialised on it
	                           * (specialize()); else -1 */
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

static int strset_has(const struct strset *set, const struct lval *v)
{
	uint64_t w = str_word(v->u.str, v->n);
	uint32_t i;

	for (i = 0; i < set->n; i++)
		if (set->e[i].len == v->n && set->e[i].w == w &&
		    (v->n <= 8 || lval_key_eq(set->e[i].s + 8, v->u.str + 8, v->n - 8)))
			return 1;
	return 0;
}

static const struct strset *strset_new(struct arena *a, const struct lval *list)
{
	struct strset *set;
	uint32_t i;

	if (list->type != LV_ARR)
		return NULL;
	for (i = 0; i < list->n; i++)
		if (list->u.arr[i]->type != LV_STR)
			return NULL;
	set = arena_alloc(a, sizeof(*set) + (size_t)list->n * sizeof(set->e[0]));
	set->n = list->n;
	for (i = 0; i < list->n; i++) {
		set->e[i].len = list->u.arr[i]->n;
		set->e[i].w = str_word(list->u.arr[i]->u.str, list->u.arr[i]->n);
		set->e[i].s = list->u.arr[i]->u.str;
	}
	return set;
}

struct logic_rule {
	struct lnode *root;
	size_t depth;
};

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
 * set's rules are compiled (plan_set). */
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

static int compile_node(struct compiler *c, const struct lval *v, size_t depth,
                        struct lnode **out);

static struct lnode *new_node(struct compiler *c, uint8_t op)
{
	struct lnode *n = arena_zalloc(c->a, sizeof(*n));

	n->op = op;
	n->slot = -1;
	return n;
}

/* val's scope climb [[n], ...]: |n| levels, capped (the stack is never deeper). */
static int32_t scope_levels(double d)
{
	d = fabs(d);
	if (!(d < 1e6))
		return 1000000;
	return (int32_t)d;
}

static int key_is_index(const char *k, size_t n, int64_t *idx)
{
	int64_t v = 0;
	size_t i;

	if (n == 0 || n > 15 || (n > 1 && k[0] == '0'))
		return 0;
	for (i = 0; i < n; i++) {
		if (k[i] < '0' || k[i] > '9')
			return 0;
		v = v * 10 + (k[i] - '0');
	}
	*idx = v;
	return 1;
}

static void path_add(struct arena *a, struct lpath *p, size_t cap, const char *k, size_t n)
{
	(void)cap;
	p->keys[p->n] = k;
	p->klen[p->n] = (uint32_t)n;
	p->kh[p->n] = lval_key_hash(k, n);
	lval_key_prefix(k, n, p->pre[p->n]);
	if (!key_is_index(k, n, &p->index[p->n]))
		p->index[p->n] = -1;
	p->n++;
	(void)a;
}

static struct lpath *path_alloc(struct arena *a, size_t cap)
{
	struct lpath *p = arena_zalloc(a, sizeof(*p));

	if (cap == 0)
		cap = 1;
	p->keys = arena_alloc(a, cap * sizeof(*p->keys));
	p->klen = arena_alloc(a, cap * sizeof(*p->klen));
	p->kh = arena_alloc(a, cap * sizeof(*p->kh));
	p->pre = arena_alloc(a, cap * sizeof(*p->pre));
	p->hint = arena_zalloc(a, cap * sizeof(*p->hint));
	p->index = arena_alloc(a, cap * sizeof(*p->index));
	return p;
}

/* Split a dotted var path. A backslash escapes the next character (so "\."
 * is a literal dot); "" is the whole document. */
static struct lpath *path_split(struct arena *a, const char *s, size_t n)
{
	size_t i, parts = 1, len = 0;
	struct lpath *p;
	char *cur;

	if (n == 0)
		return path_alloc(a, 0);
	/* "." is the key "", ".." is ["", ""]: a path of only dots names that
	 * many empty keys (json-logic .github escaping tests). */
	for (i = 0; i < n && s[i] == '.'; i++)
		;
	if (i == n) {
		p = path_alloc(a, n);
		for (i = 0; i < n; i++)
			path_add(a, p, n, "", 0);
		return p;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '.')
			parts++;
	}
	p = path_alloc(a, parts);
	cur = arena_alloc(a, n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			cur[len++] = s[++i];
		} else if (s[i] == '.') {
			cur[len] = '\0';
			path_add(a, p, parts, cur, len);
			cur += len + 1;
			len = 0;
		} else {
			cur[len++] = s[i];
		}
	}
	cur[len] = '\0';
	path_add(a, p, parts, cur, len);
	return p;
}

static const struct opdef *find_op(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strlen(ops[i].name) == n && !memcmp(ops[i].name, name, n))
			return &ops[i];
	return NULL;
}

int logic_op_known(const char *name, size_t n)
{
	return find_op(name, n) != NULL || (n == 8 && !memcmp(name, "preserve", 8));
}

static int is_literal(const struct lnode *n)
{
	return n->op == OP_LIT;
}

/* The position in the rule, for messages: "and[1].or[0].frob". A path too
 * long for the buffer is cut and ends in "..."; each call returns the length
 * to cut back to when the node is done. */
static void where_append(struct compiler *c, const char *s, size_t n)
{
	size_t len = strlen(c->where), room = sizeof(c->where) - len - 1;

	if (n > room) {
		memcpy(c->where + sizeof(c->where) - 4, "...", 4);
		return;
	}
	memcpy(c->where + len, s, n);
	c->where[len + n] = '\0';
}

static size_t where_key(struct compiler *c, const char *k, size_t kn)
{
	size_t len = strlen(c->where);

	if (len)
		where_append(c, ".", 1);
	where_append(c, k, kn);
	return len;
}

static size_t where_index(struct compiler *c, size_t i)
{
	size_t len = strlen(c->where);
	char tmp[32];
	int k = fmt_snprintf(tmp, sizeof(tmp), "[%zu]", i);

	if (k > 0 && (size_t)k < sizeof(tmp))
		where_append(c, tmp, (size_t)k);
	return len;
}

static int cfail(struct compiler *c, int code, const char *msg)
{
	return err_set(c->e, code, "%s: %s", c->where[0] ? c->where : "(rule)", msg);
}

/* [], which every evaluation may share: values are never changed. */
static const struct lval empty_list = { .type = LV_ARR };

static const struct lval *type_error(struct arena *a, const char *type);

/* In lenient mode a structural mistake becomes a node that throws, so that a
 * run-time engine reports it the way the community suites expect. */
static int invalid(struct compiler *c, struct lnode **out, const char *msg)
{
	if (c->flags & LOGIC_LENIENT) {
		struct lnode *n = new_node(c, OP_THROWC);

		n->lit = lval_str_ref(c->a, "Invalid Arguments", 17);
		*out = n;
		return OK;
	}
	return cfail(c, ERR_INVALID, msg);
}

/* A literal val/var/exists path: strings and numbers, with an optional scope
 * climb [[n], ...] at the head for val. */
static struct lpath *static_path(struct compiler *c, uint8_t op, struct lnode **args, size_t nargs)
{
	char num[32];
	struct lpath *p;
	size_t i, first = 0;
	int32_t up = 0;

	for (i = 0; i < nargs; i++)
		if (!is_literal(args[i]))
			return NULL;
	if (op == OP_VAR) {
		const struct lval *k = nargs ? args[0]->lit : LV_NULLV;

		if (k->type == LV_STR)
			return path_split(c->a, k->u.str, k->n);
		if (k->type == LV_NULL)
			return path_alloc(c->a, 0);
		if (k->type == LV_NUM) {
			size_t n = lval_num_format(k->u.num, num);

			return path_split(c->a, arena_strndup(c->a, num, n), n);
		}
		return NULL;
	}
	if (nargs && args[0]->lit->type == LV_ARR) {
		const struct lval *h = args[0]->lit;

		if (h->n != 1 || h->u.arr[0]->type != LV_NUM)
			return NULL;
		up = scope_levels(h->u.arr[0]->u.num);
		first = 1;
	}
	p = path_alloc(c->a, nargs);
	p->up = up;
	for (i = first; i < nargs; i++) {
		const struct lval *k = args[i]->lit;

		if (k->type == LV_STR) {
			path_add(c->a, p, nargs, k->u.str, k->n);
		} else if (k->type == LV_NUM) {
			size_t n = lval_num_format(k->u.num, num);

			path_add(c->a, p, nargs, arena_strndup(c->a, num, n), n);
		} else {
			return NULL;
		}
	}
	return p;
}

/* {"missing": ["a", "b.c"]} or {"missing": [["a", "b.c"]]} with literal keys:
 * split the paths now rather than at every evaluation. */
static void precompile_missing(struct compiler *c, struct lnode *n)
{
	const struct lval *keys;
	struct lval *arr;
	size_t i;

	if (n->spread)
		return;
	for (i = 0; i < n->nargs; i++)
		if (!is_literal(n->args[i]))
			return;
	if (n->nargs == 1 && n->args[0]->lit->type == LV_ARR) {
		keys = n->args[0]->lit;
	} else {
		arr = lval_arr(c->a, n->nargs);
		for (i = 0; i < n->nargs; i++)
			arr->u.arr[i] = n->args[i]->lit;
		keys = arr;
	}
	for (i = 0; i < keys->n; i++)
		if (keys->u.arr[i]->type != LV_STR)
			return;
	n->mpaths = arena_alloc(c->a, (keys->n ? keys->n : 1) * sizeof(*n->mpaths));
	for (i = 0; i < keys->n; i++)
		n->mpaths[i] = path_split(c->a, keys->u.arr[i]->u.str, keys->u.arr[i]->n);
	n->mkeys = keys;
}

/* Is argument i of op evaluated in a scope of its own (an item, a caught
 * error) rather than against the document? */
static int in_body(uint8_t op, size_t i)
{
	switch (op) {
	case OP_MAP: case OP_FILTER: case OP_REDUCE:
	case OP_ALL: case OP_SOME: case OP_NONE:
		return i == 1;
	case OP_TRY:
		return i >= 1;
	}
	return 0;
}

static int compile_args(struct compiler *c, const struct opdef *d, const struct lval *arg,
                        size_t depth, struct lnode *n, struct lnode **out)
{
	size_t i;
	int rc;

	if (arg->type == LV_ARR) {
		n->nargs = arg->n;
		n->args = arena_alloc(c->a, (arg->n ? arg->n : 1) * sizeof(*n->args));
		for (i = 0; i < arg->n; i++) {
			size_t mark = where_index(c, i);
			int body = in_body(d->op, i);

			c->body += body;
			rc = compile_node(c, arg->u.arr[i], depth + 1, &n->args[i]);
			c->body -= body;
			if (rc)
				return rc;
			c->where[mark] = '\0';
		}
		if ((int)n->nargs < d->min)
			return invalid(c, out, "too few arguments");
		return OK;
	}
	if (d->form == AF_ARRAY)
		return invalid(c, out, "arguments must be an array");
	n->nargs = 1;
	n->args = arena_alloc(c->a, sizeof(*n->args));
	rc = compile_node(c, arg, depth + 1, &n->args[0]);
	if (rc)
		return rc;
	if (d->form == AF_SPREAD) {
		if (!is_literal(n->args[0]))
			n->spread = 1;
		else if (n->args[0]->lit->type == LV_ARR) {
			/* {"+": {"preserve": [7, 8]}}: a literal list spreads now */
			const struct lval *l = n->args[0]->lit;

			n->nargs = l->n;
			n->args = arena_alloc(c->a, (l->n ? l->n : 1) * sizeof(*n->args));
			for (i = 0; i < l->n; i++) {
				n->args[i] = new_node(c, OP_LIT);
				n->args[i]->lit = l->u.arr[i];
			}
		}
	}
	if (!n->spread && (int)n->nargs < d->min)
		return invalid(c, out, "too few arguments");
	return OK;
}

static void fold(struct compiler *c, struct lnode *n);

static struct tnode *tnode_kid(struct compiler *c, struct tnode *t, const struct lpath *p, uint32_t i)
{
	struct logic_set *s = c->set;
	struct tnode *k;
	uint32_t j;

	for (j = 0; j < t->nkids; j++) {
		k = t->kids[j];
		if (k->p->klen[k->i] == p->klen[i] && !memcmp(k->p->keys[k->i], p->keys[i], p->klen[i]))
			return k;
	}
	if (t->nkids == 0) {
		/* t gets children: number it for the binding's caches */
		if (s->ntnodes == s->capbyid) {
			size_t cap = s->capbyid ? s->capbyid * 2 : 16;

			s->byid = arena_realloc(c->a, s->byid, s->capbyid * sizeof(*s->byid),
			                        cap * sizeof(*s->byid));
			s->capbyid = cap;
		}
		t->id = s->ntnodes;
		s->byid[s->ntnodes++] = t;
	}
	if (t->nkids == t->capkids) {
		uint32_t cap = t->capkids ? t->capkids * 2 : 4;

		t->kids = arena_realloc(c->a, t->kids, t->capkids * sizeof(*t->kids), cap * sizeof(*t->kids));
		t->capkids = cap;
	}
	k = arena_zalloc(c->a, sizeof(*k));
	k->p = p;
	k->i = i;
	k->slot = -1;
	t->kids[t->nkids++] = k;
	return k;
}

/* The set's slot for path p, added to the trie if new. */
static int32_t set_slot(struct compiler *c, const struct lpath *p)
{
	struct tnode *t = &c->set->root;
	uint32_t i;

	for (i = 0; i < p->n; i++)
		t = tnode_kid(c, t, p, i);
	if (t->slot < 0)
		t->slot = (int32_t)c->set->nslots++;
	return t->slot;
}

/* missing / missing_some with literal keys at the document's scope, in a
 * rule set: each key is a slot, so a bound document answers without walking. */
static void missing_slots(struct compiler *c, struct lnode *n, size_t nk)
{
	size_t i;

	if (!c->set || c->body)
		return;
	for (i = 0; i < nk; i++)
		if (n->mpaths[i]->n == 0)
			return;
	n->mslots = arena_alloc(c->a, (nk ? nk : 1) * sizeof(*n->mslots));
	for (i = 0; i < nk; i++)
		n->mslots[i] = set_slot(c, n->mpaths[i]);
}

static int compile_op(struct compiler *c, const struct opdef *d, const struct lval *arg,
                      size_t depth, struct lnode **out)
{
	struct lnode *n = new_node(c, d->op);
	int rc;

	*out = n;
	rc = compile_args(c, d, arg, depth, n, out);
	if (rc || *out != n)
		return rc;
	switch (d->op) {
	case OP_VAR:
		if (n->nargs > 2)
			return invalid(c, out, "var takes a path and an optional default");
		n->path = static_path(c, d->op, n->args, n->nargs ? 1 : 0);
		if (n->nargs && is_literal(n->args[0]) && n->args[0]->lit->type == LV_STR)
			n->pathstr = n->args[0]->lit->u.str;
		else if (n->nargs && is_literal(n->args[0]) && n->args[0]->lit->type == LV_NUM) {
			char num[32];
			size_t k = lval_num_format(n->args[0]->lit->u.num, num);

			n->pathstr = arena_strndup(c->a, num, k);
		}
		if (c->set && !c->body && n->path && n->pathstr && n->path->n &&
		    (n->nargs == 1 || (n->nargs == 2 && is_literal(n->args[1]))))
			n->slot = set_slot(c, n->path);
		break;
	case OP_VAL:
	case OP_EXISTS:
		n->path = static_path(c, d->op, n->args, n->nargs);
		break;
	case OP_MISSING:
		precompile_missing(c, n);
		if (n->mpaths)
			missing_slots(c, n, n->mkeys->n);
		break;
	case OP_MISSING_SOME:
		if (is_literal(n->args[1]) && n->args[1]->lit->type == LV_ARR) {
			const struct lval *opts = n->args[1]->lit;
			size_t i;

			for (i = 0; i < opts->n && opts->u.arr[i]->type == LV_STR; i++)
				;
			if (i == opts->n) {
				n->mpaths = arena_alloc(c->a, (opts->n ? opts->n : 1) * sizeof(*n->mpaths));
				for (i = 0; i < opts->n; i++)
					n->mpaths[i] = path_split(c->a, opts->u.arr[i]->u.str, opts->u.arr[i]->n);
				missing_slots(c, n, opts->n);
			}
		}
		break;
	case OP_MAP: case OP_FILTER: case OP_REDUCE:
	case OP_ALL: case OP_SOME: case OP_NONE:
		if (n->nargs < 2)
			return invalid(c, out, "needs a list and an expression");
		if (is_literal(n->args[0]) && n->args[0]->lit->type != LV_ARR)
			return invalid(c, out, "the first argument must be a list");
		/* map and filter of a null expression are refused (community suites);
		 * reduce, all, some and none take it as a value */
		if ((d->op == OP_MAP || d->op == OP_FILTER) && is_literal(n->args[1]) &&
		    n->args[1]->lit->type == LV_NULL)
			return invalid(c, out, "the expression must not be null");
		break;
	case OP_THROW:
		if (n->nargs < 1)
			return invalid(c, out, "throw needs an error");
		break;
	case OP_IN_LIST: {
		const struct lval *name = is_literal(n->args[1]) ? n->args[1]->lit : NULL;
		size_t i;

		if (!name || name->type != LV_STR)
			return invalid(c, out, "the second argument must name a reference list");
		for (i = 0; c->env && i < c->env->nlists; i++)
			if (!strcmp(reflist_of(c->env->lists[i])->name, name->u.str))
				n->ref = c->env->lists[i];
		if (!n->ref)
			return cfail(c, ERR_NOTFOUND, "unknown reference list");
		return OK;
	}
	}
	fold(c, n);
	return OK;
}

static evalfn node_fn(const struct lnode *n);
static void specialize(struct lnode *n);

static int compile_node_inner(struct compiler *c, const struct lval *v, size_t depth,
                              struct lnode **out);

static int compile_node(struct compiler *c, const struct lval *v, size_t depth,
                        struct lnode **out)
{
	int rc = compile_node_inner(c, v, depth, out);

	if (rc == OK) {
		struct lnode *n = *out;

		n->fn = node_fn(n);
		specialize(n);
		if (n->op == OP_IN && n->nargs == 2 && !n->spread && n->args[1]->op == OP_LIT)
			n->sset = strset_new(c->a, n->args[1]->lit);
	}
	return rc;
}

static int compile_node_inner(struct compiler *c, const struct lval *v, size_t depth,
                              struct lnode **out)
{
	struct lnode *n;
	size_t i;
	int rc, all_lit = 1;

	if (++c->nodes > c->lim->max_nodes)
		return cfail(c, ERR_TOOLARGE, "rule too large");
	if (depth > c->lim->max_depth)
		return cfail(c, ERR_TOOLARGE, "rule nested too deeply");
	if (depth > c->maxdepth)
		c->maxdepth = depth;
	if (v->type == LV_OBJ && v->n == 1) {
		const char *k = lval_obj_key(v, 0);
		size_t kn = lval_obj_klen(v, 0);
		const struct opdef *d;
		size_t mark;

		if (kn == 8 && !memcmp(k, "preserve", 8)) {
			n = new_node(c, OP_LIT);
			n->lit = lval_obj_val(v, 0);
			*out = n;
			return OK;
		}
		mark = where_key(c, k, kn);
		d = find_op(k, kn);
		if (!d) {
			if (c->flags & LOGIC_LENIENT) {
				n = new_node(c, OP_THROWC);
				n->lit = lval_str_ref(c->a, "Unknown Operator", 16);
				*out = n;
				c->where[mark] = '\0';
				return OK;
			}
			return cfail(c, ERR_NOTFOUND, "unknown operator");
		}
		rc = compile_op(c, d, lval_obj_val(v, 0), depth, out);
		if (rc == OK)
			c->where[mark] = '\0';
		return rc;
	}
	if (v->type == LV_ARR && v->n) {
		n = new_node(c, OP_ARRAY);
		n->nargs = v->n;
		n->args = arena_alloc(c->a, v->n * sizeof(*n->args));
		for (i = 0; i < v->n; i++) {
			size_t mark = where_index(c, i);

			rc = compile_node(c, v->u.arr[i], depth + 1, &n->args[i]);
			if (rc)
				return rc;
			c->where[mark] = '\0';
			if (!is_literal(n->args[i]))
				all_lit = 0;
		}
		if (all_lit) {
			n->op = OP_LIT;
			n->lit = v;
		}
		*out = n;
		return OK;
	}
	n = new_node(c, OP_LIT);
	n->lit = v;
	*out = n;
	return OK;
}

int logic_compile(struct arena *a, const struct lval *rule,
                  const struct logic_limits *lim, int flags,
                  struct logic_rule **out, struct err *e)
{
	return logic_compile_env(a, rule, lim, flags, NULL, out, e);
}

/* Compile one rule, alone (set NULL) or as a member of a rule set. */
static int compile_rule(struct arena *a, const struct lval *rule, const struct logic_limits *lim,
                        int flags, const struct logic_env *env, struct logic_set *set,
                        struct logic_rule **out, struct err *e)
{
	static const struct logic_limits deflim = { LOGIC_DEFAULT_MAX_DEPTH, LOGIC_DEFAULT_MAX_NODES };
	struct compiler c;
	struct logic_rule *r;
	int rc;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.lim = lim ? lim : &deflim;
	c.flags = flags;
	c.env = env;
	c.set = set;
	c.e = e;
	r = arena_zalloc(a, sizeof(*r));
	rc = compile_node(&c, rule, 0, &r->root);
	if (rc)
		return rc;
	r->depth = c.maxdepth;
	*out = r;
	return OK;
}

int logic_compile_env(struct arena *a, const struct lval *rule,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_rule **out, struct err *e)
{
	return compile_rule(a, rule, lim, flags, env, NULL, out, e);
}

/* ---------------------------------------------------------------- evaluate */

struct scope {
	const struct lval *data;   /* NULL for an iteration's metadata level */
	int64_t index;
};

struct ectx {
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

/* The context is no longer as ectx_init left it (a batch sets it up again). */
static inline void ectx_used(struct ectx *x)
{
	*x->used |= x->bit;
	*x->more |= x->bit;
}

/* Literals are the commonest node: answer them without a call. */
static const struct lval *var_slow(struct ectx *x, const struct lnode *n,
                                   const struct lval *cur, uint32_t i);
static const struct lval *ev_var_static(struct ectx *x, const struct lnode *n);
static const struct lval *ev_var_slot(struct ectx *x, const struct lnode *n);
static const struct lval *slot_miss(struct ectx *x, const struct lnode *n, const struct lval *v);

/* A static var whose every step finds its key where the path last found it
 * (the shape it remembers): one compare per step, nothing called. */
static inline const struct lval *var_fast(struct ectx *x, const struct lnode *n)
{
	const struct lpath *p = n->path;
	const struct lval *cur = x->scopes[x->nscopes - 1].data;
	uint32_t i;

	for (i = 0; i < p->n; i++) {
		uint64_t h = __atomic_load_n(&p->hint[i], __ATOMIC_RELAXED);

		if (cur->type != LV_OBJ || cur->u.obj->shape->id != (uint32_t)(h >> 32))
			return var_slow(x, n, cur, i);
		cur = &cur->u.obj->v[(uint32_t)h];
	}
	if (cur->type == LV_NULL)
		return var_slow(x, n, cur, i);
	return cur;
}

/* A root-scope var of a bound rule set: the binding found it already. */
static inline const struct lval *var_slot(struct ectx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots)
		return var_fast(x, n);
	v = x->slots[n->slot];
	if (v && v->type != LV_NULL)
		return v;
	return slot_miss(x, n, v);
}

/* Literals and facts are most of a policy rule's nodes: both are answered
 * here without an indirect call. */
static inline const struct lval *eval(struct ectx *x, const struct lnode *n)
{
	if (n->op == OP_LIT)
		return n->lit;
	if (n->fn == ev_var_slot)
		return var_slot(x, n);
	if (n->fn == ev_var_static)
		return var_fast(x, n);
	return n->fn(x, n);
}

static const struct lval *type_error(struct arena *a, const char *type)
{
	return lval_obj1(a, "type", lval_str_ref(a, type, strlen(type)));
}

/* The engine's own errors, built once for the process: values never change,
 * and an evaluation that throws need not build an object each time. */
static const char E_NAN[] = "NaN", E_ARGS[] = "Invalid Arguments", E_LONG[] = "String Too Long",
	E_ERROR[] = "Error";
static const char *const own_error_types[] = { E_NAN, E_ARGS, E_LONG, E_ERROR };
static const struct lval *own_errors[sizeof(own_error_types) / sizeof(*own_error_types)];
static struct arena own_errors_arena;   /* as long as the process */
static pthread_once_t own_errors_once = PTHREAD_ONCE_INIT;

static void own_errors_init(void)
{
	size_t i;

	arena_init(&own_errors_arena, 1024);
	for (i = 0; i < sizeof(own_errors) / sizeof(*own_errors); i++)
		own_errors[i] = type_error(&own_errors_arena, own_error_types[i]);
}

/* {"type": type}: one of the engine's own, or built in a. */
static const struct lval *error_of(struct arena *a, const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(own_errors) / sizeof(*own_errors); i++) {
		if (type == own_error_types[i]) {
			pthread_once(&own_errors_once, own_errors_init);
			return own_errors[i];
		}
	}
	return type_error(a, type);
}

/* Throwing is common (a list fact that is missing, a NaN), catching rare:
 * the error object is built only when someone looks at it. */
static const struct lval *throw_type(struct ectx *x, const char *type)
{
	ectx_used(x);
	x->err = NULL;
	x->err_type = type;
	return NULL;
}

static const struct lval *error_value(struct ectx *x)
{
	ectx_used(x);
	if (!x->err)
		x->err = error_of(x->a, x->err_type ? x->err_type : E_ERROR);
	return x->err;
}

#define THROW_NAN(x) throw_type((x), E_NAN)
#define THROW_ARGS(x) throw_type((x), E_ARGS)

/* Append s to a growable array of strings kept in the evaluation's arena. */
static void strs_push(struct arena *a, const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;

		*v = arena_realloc(a, *v, *cap * sizeof(**v), ncap * sizeof(**v));
		*cap = ncap;
	}
	(*v)[(*n)++] = s;
}

static void note_missing(struct ectx *x, const char *path)
{
	size_t i;

	if (x->quiet) {
		*x->more |= x->bit;
		return;
	}
	for (i = 0; i < x->nmissing; i++)
		if (x->missing[i] == path || !strcmp(x->missing[i], path))
			return;
	ectx_used(x);
	strs_push(x->a, &x->missing, &x->nmissing, &x->capmissing, path);
}

static inline int push_scope(struct ectx *x, const struct lval *data, int64_t index)
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

static inline void pop_scope(struct ectx *x)
{
	x->nscopes -= 2;
}

/* One step of a path: the member, item or character named by key i of p, or
 * NULL when there is none (JavaScript's undefined). */
static const struct lval *step(struct ectx *x, const struct lval *cur, const struct lpath *p,
                               uint32_t i)
{
	const char *k = p->keys[i];
	uint32_t kn = p->klen[i];
	int64_t idx = p->index[i];

	switch (cur->type) {
	case LV_OBJ: {
		const struct lobj *o = cur->u.obj;
		uint64_t h = __atomic_load_n(&p->hint[i], __ATOMIC_RELAXED);
		int64_t at;

		if (o->shape->id == (uint32_t)(h >> 32))
			return &o->v[(uint32_t)h];
		at = lval_find_p(cur, k, p->kh[i], p->pre[i]);
		if (at < 0)
			return NULL;
		__atomic_store_n(&p->hint[i], ((uint64_t)o->shape->id << 32) | (uint64_t)at, __ATOMIC_RELAXED);
		return &o->v[at];
	}
	case LV_ARR:
		if (idx >= 0)
			return idx < (int64_t)cur->n ? cur->u.arr[idx] : NULL;
		if (kn == 6 && !memcmp(k, "length", 6))
			return lval_num(x->a, cur->n);
		return NULL;
	case LV_STR:
		if (kn == 6 && !memcmp(k, "length", 6))
			return lval_num(x->a, (double)utf8_utf16_len(cur->u.str, cur->n));
		if (idx >= 0) {
			size_t from = utf8_utf16_offset(cur->u.str, cur->n, (size_t)idx);
			size_t to = utf8_utf16_offset(cur->u.str, cur->n, (size_t)idx + 1);

			if (from >= cur->n)
				return NULL;
			return lval_str_ref(x->a, cur->u.str + from, to - from);
		}
		return NULL;
	default:
		return NULL;
	}
}

/* Walk path p from data; NULL when a step finds nothing. A null on the way
 * ends the walk with "not found" (var) or null (val). */
static const struct lval *walk(struct ectx *x, const struct lval *data, const struct lpath *p,
                               int *hit_null)
{
	const struct lval *cur = data;
	uint32_t i;

	*hit_null = 0;
	for (i = 0; i < p->n; i++) {
		if (cur->type == LV_NULL) {
			*hit_null = 1;
			return NULL;
		}
		cur = step(x, cur, p, i);
		if (!cur)
			return NULL;
	}
	return cur;
}

static const struct lval *scope_data(struct ectx *x, int32_t up)
{
	size_t top = x->nscopes - 1;
	size_t at = (size_t)up > top ? 0 : top - (size_t)up;

	return x->scopes[at].data;
}

/* Evaluate every argument of n into a fresh array (spreading a chained one). */
static const struct lval **eval_args(struct ectx *x, const struct lnode *n, size_t *count)
{
	const struct lval **vals;
	size_t i;

	if (n->spread) {
		const struct lval *v = eval(x, n->args[0]);

		if (!v)
			return NULL;
		if (v->type == LV_ARR) {
			*count = v->n;
			return v->n ? v->u.arr : (const struct lval **)&v->u.arr;
		}
		vals = arena_alloc(x->a, sizeof(*vals));
		vals[0] = v;
		*count = 1;
		return vals;
	}
	vals = arena_alloc(x->a, (n->nargs ? n->nargs : 1) * sizeof(*vals));
	for (i = 0; i < n->nargs; i++) {
		vals[i] = eval(x, n->args[i]);
		if (!vals[i])
			return NULL;
	}
	*count = n->nargs;
	return vals;
}

static struct lpath *dynamic_path(struct ectx *x, uint8_t op, const struct lval **v, size_t nv)
{
	char num[32];
	struct lpath *p;
	size_t i, first = 0;
	struct buf b = BUF_INIT;

	if (op == OP_VAR) {
		const struct lval *k = nv ? v[0] : LV_NULLV;
		char *s;
		size_t len;

		if (k->type == LV_NULL)
			return path_alloc(x->a, 0);
		if (lval_to_string(&b, k))
			goto fail;
		len = b.len;
		s = arena_strndup(x->a, buf_str(&b), len);
		buf_free(&b);
		return path_split(x->a, s, len);
	}
	p = path_alloc(x->a, nv);
	if (nv && v[0]->type == LV_ARR) {
		if (v[0]->n == 1 && v[0]->u.arr[0]->type == LV_NUM)
			p->up = scope_levels(v[0]->u.arr[0]->u.num);
		first = 1;
	}
	for (i = first; i < nv; i++) {
		if (v[i]->type == LV_STR) {
			path_add(x->a, p, nv, v[i]->u.str, v[i]->n);
		} else if (v[i]->type == LV_NUM) {
			size_t n = lval_num_format(v[i]->u.num, num);

			path_add(x->a, p, nv, arena_strndup(x->a, num, n), n);
		} else {
			return NULL;
		}
	}
	return p;
fail:
	buf_free(&b);
	return NULL;
}

static const struct lval *op_var(struct ectx *x, const struct lnode *n)
{
	const struct lpath *p = n->path;
	const struct lval *dflt = LV_NULLV, *r, *data;
	int hit_null;

	if (!p) {
		const struct lval *k;

		if (!(k = eval(x, n->args[0])))
			return NULL;
		if (!(p = dynamic_path(x, OP_VAR, &k, 1)))
			return LV_NULLV;
	}
	data = x->scopes[x->nscopes - 1].data;
	r = walk(x, data, p, &hit_null);
	if (x->nscopes == 1 && (!r || r->type == LV_NULL) && p->n) {
		const char *ps = n->pathstr;

		if (!ps) {
			const struct lval *k = eval(x, n->args[0]);
			struct buf b = BUF_INIT;

			if (k && lval_to_string(&b, k) == OK)
				ps = arena_strndup(x->a, buf_str(&b), b.len);
			buf_free(&b);
		}
		if (ps)
			note_missing(x, ps);
	}
	if (r)
		return r;
	if (n->nargs > 1)
		dflt = eval(x, n->args[1]);
	return dflt;
}

static const struct lval *op_val(struct ectx *x, const struct lnode *n, int exists)
{
	const struct lpath *p = n->path;
	const struct lval *r, *data;
	int hit_null;

	if (!p) {
		size_t nv;
		const struct lval **v = eval_args(x, n, &nv);

		if (!v)
			return NULL;
		if (!(p = dynamic_path(x, OP_VAL, v, nv)))
			return exists ? LV_FALSEV : LV_NULLV;
	}
	if (p->up) {
		size_t top = x->nscopes - 1;
		size_t at = (size_t)p->up > top ? 0 : top - (size_t)p->up;

		if (!x->scopes[at].data) {
			/* an iteration's metadata: {"index": i} */
			if (p->n == 1 && p->klen[0] == 5 && !memcmp(p->keys[0], "index", 5))
				return exists ? LV_TRUEV : lval_num(x->a, (double)x->scopes[at].index);
			return exists ? LV_FALSEV : LV_NULLV;
		}
		data = x->scopes[at].data;
	} else {
		data = scope_data(x, 0);
	}
	r = walk(x, data, p, &hit_null);
	if (exists)
		return LV_BOOLV(r != NULL);
	if (x->nscopes == 1 && (!r || r->type == LV_NULL) && p->n) {
		struct buf b = BUF_INIT;
		uint32_t i;

		for (i = 0; i < p->n; i++) {
			if (i)
				buf_addc(&b, '.');
			buf_add(&b, p->keys[i], p->klen[i]);
		}
		note_missing(x, arena_strndup(x->a, buf_str(&b), b.len));
		buf_free(&b);
	}
	return r ? r : LV_NULLV;
}

static const struct lval *op_missing(struct ectx *x, const struct lval **keys, size_t nk,
                                     struct lpath **paths, const int32_t *slots)
{
	const struct lval *small[16], **out = small;
	struct lval *arr;
	size_t i, m = 0;

	if (nk == 1 && keys[0]->type == LV_ARR) {
		nk = keys[0]->n;
		keys = keys[0]->u.arr;
	}
	if (nk > sizeof(small) / sizeof(*small))
		out = arena_alloc(x->a, nk * sizeof(*out));
	for (i = 0; i < nk; i++) {
		struct lpath *p = paths ? paths[i] : dynamic_path(x, OP_VAR, &keys[i], 1);
		const struct lval *r;
		int hit_null;

		if (slots && x->slots)
			r = x->slots[slots[i]];
		else
			r = p ? walk(x, x->scopes[x->nscopes - 1].data, p, &hit_null) : NULL;
		if (!r || r->type == LV_NULL || (r->type == LV_STR && r->n == 0)) {
			out[m++] = keys[i];
			if (x->nscopes == 1 && keys[i]->type == LV_STR)
				note_missing(x, keys[i]->u.str);
		}
	}
	if (!m)
		return &empty_list;
	arr = lval_arr(x->a, m);
	if (m)
		memcpy(arr->u.arr, out, m * sizeof(*out));
	return arr;
}

/* Comparison as json-logic-engine does it (the community suites' reference).
 * Two operands that are each a string or null compare as JavaScript would
 * (strings by code units; null against a string through ToNumber, where NaN
 * makes every relation false). Anything else compares as numbers, and an
 * operand that is a list, an object or not a number is an error: comparing
 * [1] with 5 is a mistake in the rule, not a quiet false. Returns -2 when
 * unordered (a NaN in the string-or-null case), else -1, 0 or 1; -3 on throw. */
static int compare(struct ectx *x, const struct lval *a, const struct lval *b)
{
	double da, db;

	if ((a->type == LV_STR || a->type == LV_NULL) && (b->type == LV_STR || b->type == LV_NULL)) {
		if (a->type == LV_STR && b->type == LV_STR) {
			size_t m = a->n < b->n ? a->n : b->n;
			int c = memcmp(a->u.str, b->u.str, m);

			return c ? (c < 0 ? -1 : 1) : (a->n < b->n ? -1 : a->n > b->n);
		}
		da = lval_to_number(a);
		db = lval_to_number(b);
		if (isnan(da) || isnan(db))
			return -2;
		return da < db ? -1 : da > db;
	}
	if (a->type == LV_ARR || a->type == LV_OBJ || b->type == LV_ARR || b->type == LV_OBJ)
		goto nan;
	da = lval_to_number(a);
	db = lval_to_number(b);
	if (isnan(da))
		goto nan;
	if (isnan(db)) {
		if (a->type != LV_NULL)
			goto nan;
		return -2;
	}
	return da < db ? -1 : da > db;
nan:
	THROW_NAN(x);
	return -3;
}

/* Loose equality: null equals only null among strings and booleans (as in
 * JavaScript: null == "" and null == false are false), otherwise equal order. */
static int loose_eq(struct ectx *x, const struct lval *a, const struct lval *b, int *res)
{
	int c;

	if (a->type == LV_NULL || b->type == LV_NULL) {
		if (a->type == b->type) {
			*res = 1;
			return 0;
		}
		/* null is not equal to a string or to false: a fact that is
		 * missing must not pass {"==": [{"var": "x"}, false]} */
		if (a->type == LV_STR || b->type == LV_STR || a->type == LV_BOOL || b->type == LV_BOOL) {
			*res = 0;
			return 0;
		}
	}
	if (a->type == LV_BOOL && b->type == LV_BOOL) {
		*res = a->b == b->b;
		return 0;
	}
	c = compare(x, a, b);
	if (c == -3)
		return -1;
	*res = c == 0;
	return 0;
}

static const struct lval *op_compare(struct ectx *x, const struct lnode *n)
{
	const struct lval *a, *b;
	size_t i;
	int c, r = 1;

	if (n->spread || n->nargs < 2)
		return THROW_ARGS(x);
	if (!(a = eval(x, n->args[0])))
		return NULL;
	for (i = 1; i < n->nargs && r; i++) {
		if (!(b = eval(x, n->args[i])))
			return NULL;
		switch (n->op) {
		case OP_EQ:
			if (loose_eq(x, a, b, &c))
				return NULL;
			r = c;
			break;
		case OP_NE:
			if (loose_eq(x, a, b, &c))
				return NULL;
			r = !c;
			break;
		case OP_SEQ: r = lval_strict_eq(a, b); break;
		case OP_SNE: r = !lval_strict_eq(a, b); break;
		default:
			c = compare(x, a, b);
			if (c == -3)
				return NULL;
			if (c == -2)
				r = 0;
			else
				r = n->op == OP_LT ? c < 0 : n->op == OP_LE ? c <= 0 :
				    n->op == OP_GT ? c > 0 : c >= 0;
		}
		a = b;
	}
	return LV_BOOLV(r);
}

static const struct lval *number(struct ectx *x, double d)
{
	if (isnan(d))
		return THROW_NAN(x);
	return lval_num(x->a, d);
}

static const struct lval *op_arith(struct ectx *x, const struct lnode *n)
{
	const struct lval **v;
	size_t nv, i;
	double acc, d;

	if (!(v = eval_args(x, n, &nv)))
		return NULL;
	switch (n->op) {
	case OP_ADD:
	case OP_MUL:
		acc = n->op == OP_ADD ? 0 : 1;
		for (i = 0; i < nv; i++) {
			d = lval_to_number(v[i]);
			if (isnan(d))
				return THROW_NAN(x);
			acc = n->op == OP_ADD ? acc + d : acc * d;
		}
		return number(x, acc);
	case OP_SUB:
	case OP_DIV:
		if (nv == 0)
			return THROW_ARGS(x);
		acc = lval_to_number(v[0]);
		if (isnan(acc))
			return THROW_NAN(x);
		if (nv == 1)
			acc = n->op == OP_SUB ? -acc : 1 / acc;
		for (i = 1; i < nv; i++) {
			d = lval_to_number(v[i]);
			if (isnan(d))
				return THROW_NAN(x);
			acc = n->op == OP_SUB ? acc - d : acc / d;
		}
		if (n->op == OP_DIV && !isfinite(acc))
			return THROW_NAN(x);
		return number(x, acc);
	case OP_MOD:
		if (nv < 2)
			return THROW_ARGS(x);
		acc = lval_to_number(v[0]);
		for (i = 1; i < nv; i++) {
			d = lval_to_number(v[i]);
			acc = fmod(acc, d);
		}
		return number(x, acc);
	default: /* OP_MIN, OP_MAX */
		if (nv == 0)
			return THROW_ARGS(x);
		acc = n->op == OP_MIN ? INFINITY : -INFINITY;
		for (i = 0; i < nv; i++) {
			if (v[i]->type != LV_NUM)
				return THROW_ARGS(x);
			d = v[i]->u.num;
			if (n->op == OP_MIN ? d < acc : d > acc)
				acc = d;
		}
		return number(x, acc);
	}
}

static const struct lval *op_cat(struct ectx *x, const struct lnode *n)
{
	const struct lval **v;
	struct buf b = BUF_INIT;
	const struct lval *r;
	size_t nv, i;

	if (!(v = eval_args(x, n, &nv)))
		return NULL;
	for (i = 0; i < nv; i++) {
		if (v[i]->type == LV_NULL)
			continue;
		if (lval_to_string(&b, v[i])) {
			buf_free(&b);
			return throw_type(x, E_LONG);
		}
	}
	r = lval_str(x->a, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

static double to_integer(double d)
{
	if (isnan(d))
		return 0;
	return trunc(d);
}

static const struct lval *op_substr(struct ectx *x, const struct lnode *n)
{
	const struct lval **v;
	struct buf b = BUF_INIT;
	const struct lval *r;
	size_t nv, units, from, to;
	double start, len;
	const char *s;

	if (!(v = eval_args(x, n, &nv)))
		return NULL;
	if (nv == 0)
		return lval_str_ref(x->a, "undefined", 9);
	if (lval_to_string(&b, v[0])) {
		buf_free(&b);
		return throw_type(x, E_LONG);
	}
	s = buf_str(&b);
	units = utf8_utf16_len(s, b.len);
	start = nv > 1 ? to_integer(lval_to_number(v[1])) : 0;
	if (start < 0)
		start = fmax(0, (double)units + start);
	if (start > (double)units)
		start = (double)units;
	if (nv > 2 && v[2]->type != LV_NULL) {
		len = to_integer(lval_to_number(v[2]));
		if (len < 0)
			len = fmax(0, (double)units - start + len);
	} else {
		len = (double)units - start;
	}
	if (start + len > (double)units)
		len = (double)units - start;
	from = utf8_utf16_offset(s, b.len, (size_t)start);
	to = utf8_utf16_offset(s, b.len, (size_t)(start + len));
	r = lval_str(x->a, s + from, to - from);
	buf_free(&b);
	return r;
}

static int str_contains(const char *h, size_t hn, const char *nd, size_t nn)
{
	size_t i;

	if (nn == 0)
		return 1;
	if (nn > hn)
		return 0;
	if (hn > 64)
		return memmem(h, hn, nd, nn) != NULL;
	/* a fact's string is short: a call's set-up would cost more than the search */
	for (i = 0; i + nn <= hn; i++)
		if (h[i] == nd[0] && lval_key_eq(h + i, nd, nn))
			return 1;
	return 0;
}

static const struct lval *in_vals(struct ectx *x, const struct lval *a, const struct lval *b)
{
	size_t i;

	(void)x;
	if (b->type == LV_ARR) {
		if (a->type == LV_STR) {
			for (i = 0; i < b->n; i++) {
				const struct lval *e = b->u.arr[i];

				if (e->type == LV_STR && lval_str_eq(e, a))
					return LV_TRUEV;
			}
			return LV_FALSEV;
		}
		for (i = 0; i < b->n; i++)
			if (lval_strict_eq(a, b->u.arr[i]))
				return LV_TRUEV;
		return LV_FALSEV;
	}
	if (b->type == LV_STR) {
		struct buf s = BUF_INIT;
		int r;

		if (a->type == LV_STR)
			return LV_BOOLV(str_contains(b->u.str, b->n, a->u.str, a->n));
		if (lval_to_string(&s, a)) {
			buf_free(&s);
			return LV_FALSEV;
		}
		r = str_contains(b->u.str, b->n, buf_str(&s), s.len);
		buf_free(&s);
		return LV_BOOLV(r);
	}
	return LV_FALSEV;
}

static const struct lval *op_in(struct ectx *x, const struct lnode *n)
{
	const struct lval *a, *b;

	if (n->nargs < 2)
		return LV_FALSEV;
	if (!(a = eval(x, n->args[0])) || !(b = eval(x, n->args[1])))
		return NULL;
	return in_vals(x, a, b);
}

static const struct lval *op_merge(struct ectx *x, const struct lnode *n)
{
	const struct lval **v;
	size_t nv, i, total = 0, k = 0;
	struct lval *arr;

	if (!(v = eval_args(x, n, &nv)))
		return NULL;
	for (i = 0; i < nv; i++)
		total += v[i]->type == LV_ARR ? v[i]->n : 1;
	arr = lval_arr(x->a, total);
	for (i = 0; i < nv; i++) {
		if (v[i]->type == LV_ARR) {
			if (v[i]->n)
				memcpy(arr->u.arr + k, v[i]->u.arr, v[i]->n * sizeof(*arr->u.arr));
			k += v[i]->n;
		} else {
			arr->u.arr[k++] = v[i];
		}
	}
	return arr;
}

static const struct lval *op_iterate(struct ectx *x, const struct lnode *n)
{
	const struct lval *list, *r, **out = NULL;
	struct lval *arr = NULL;
	size_t i, m = 0;

	if (n->spread || n->nargs < 2)
		return THROW_ARGS(x);
	if (!(list = eval(x, n->args[0])))
		return NULL;
	if (list->type != LV_ARR) {
		switch (n->op) {
		case OP_MAP:
		case OP_FILTER:
			return lval_arr(x->a, 0);
		case OP_REDUCE:
			return n->nargs > 2 ? eval(x, n->args[2]) : LV_NULLV;
		default:
			return THROW_ARGS(x);
		}
	}
	if (n->op == OP_MAP || n->op == OP_FILTER) {
		/* the result, as long as the list; filter's ends where its items do */
		arr = lval_arr(x->a, list->n);
		out = arr->u.arr;
	}
	if (n->op == OP_REDUCE) {
		static const char *keys[2] = { "current", "accumulator" };
		static const uint32_t klen[2] = { 7, 11 };
		const struct lval *acc = n->nargs > 2 ? eval(x, n->args[2]) : LV_NULLV, *step = NULL;

		if (!acc)
			return NULL;
		for (i = 0; i < list->n; i++) {
			const struct lval *kv[2] = { list->u.arr[i], acc };

			/* one shape for every step, so the body's vars find their keys at once */
			step = step ? lval_obj_with(x->a, step, kv) : lval_obj(x->a, 2, keys, klen, kv);
			push_scope(x, step, (int64_t)i);
			acc = eval(x, n->args[1]);
			pop_scope(x);
			if (!acc)
				return NULL;
		}
		return acc;
	}
	for (i = 0; i < list->n; i++) {
		push_scope(x, list->u.arr[i], (int64_t)i);
		r = eval(x, n->args[1]);
		pop_scope(x);
		if (!r)
			return NULL;
		switch (n->op) {
		case OP_MAP: out[m++] = r; break;
		case OP_FILTER:
			if (lval_truthy(r))
				out[m++] = list->u.arr[i];
			break;
		case OP_ALL:
			if (!lval_truthy(r))
				return LV_FALSEV;
			break;
		case OP_SOME:
			if (lval_truthy(r))
				return LV_TRUEV;
			break;
		case OP_NONE:
			if (lval_truthy(r))
				return LV_FALSEV;
			break;
		}
	}
	switch (n->op) {
	case OP_ALL: return LV_BOOLV(list->n > 0);
	case OP_SOME: return LV_FALSEV;
	case OP_NONE: return LV_TRUEV;
	}
	arr->n = (uint32_t)m;
	if (!m)
		arr->u.arr = NULL;
	return arr;
}

static const struct lval *op_try(struct ectx *x, const struct lnode *n)
{
	const struct lval *r = NULL;
	size_t i;

	for (i = 0; i < n->nargs; i++) {
		if (i == 0) {
			r = eval(x, n->args[0]);
		} else {
			push_scope(x, error_value(x), 0);
			r = eval(x, n->args[i]);
			pop_scope(x);
		}
		if (r)
			return r;
	}
	if (n->nargs == 0)
		return LV_NULLV;
	return NULL;
}

static const struct lval *op_throw(struct ectx *x, const struct lnode *n)
{
	const struct lval *v = eval(x, n->args[0]);
	struct buf b = BUF_INIT;

	if (!v)
		return NULL;
	ectx_used(x);
	if (v->type == LV_OBJ) {
		x->err = v;
		return NULL;
	}
	if (v->type == LV_STR) {
		const char *key = "type";
		uint32_t klen = 4;

		x->err = lval_obj(x->a, 1, &key, &klen, &v);
		return NULL;
	}
	lval_to_string(&b, v);
	x->err = type_error(x->a, arena_strndup(x->a, buf_str(&b), b.len));
	buf_free(&b);
	return NULL;
}

static const struct lval *ev_lit(struct ectx *x, const struct lnode *n)
{
	(void)x;
	return n->lit;
}

static const struct lval *ev_throwc(struct ectx *x, const struct lnode *n)
{
	return throw_type(x, n->lit->u.str);
}

static const struct lval *ev_array(struct ectx *x, const struct lnode *n)
{
	struct lval *arr = lval_arr(x->a, n->nargs);
	size_t i;

	for (i = 0; i < n->nargs; i++)
		if (!(arr->u.arr[i] = eval(x, n->args[i])))
			return NULL;
	return arr;
}

static const struct lval *ev_var(struct ectx *x, const struct lnode *n)
{
	if (n->nargs == 0)
		return x->scopes[x->nscopes - 1].data;
	return op_var(x, n);
}

/* The rest of a static var lookup from step i on, when the fast path below
 * met something other than a remembered object member. */
static __attribute__((noinline)) const struct lval *var_slow(struct ectx *x, const struct lnode *n,
                                                            const struct lval *cur, uint32_t i)
{
	const struct lpath *p = n->path;

	for (; i < p->n; i++) {
		if (cur->type == LV_OBJ) {
			int64_t at = lval_find_p(cur, p->keys[i], p->kh[i], p->pre[i]);

			if (at < 0)
				goto absent;
			__atomic_store_n(&p->hint[i], ((uint64_t)cur->u.obj->shape->id << 32) | (uint64_t)at,
			                 __ATOMIC_RELAXED);
			cur = &cur->u.obj->v[at];
			continue;
		}
		if (cur->type == LV_NULL || !(cur = step(x, cur, p, i)))
			goto absent;
	}
	if (cur->type == LV_NULL && x->nscopes == 1)
		note_missing(x, n->pathstr);
	return cur;
absent:
	if (x->nscopes == 1)
		note_missing(x, n->pathstr);
	return n->nargs > 1 ? n->args[1]->lit : LV_NULLV;
}

/* The common case: {"var": "a.b.c"}, or with a literal default, read from
 * the facts. When every step finds its key where the path last found it,
 * this touches one entry per step and calls nothing; anything else goes on
 * in var_slow(). */
static const struct lval *ev_var_static(struct ectx *x, const struct lnode *n)
{
	return var_fast(x, n);
}

static const struct lval *ev_var_slot(struct ectx *x, const struct lnode *n)
{
	return var_slot(x, n);
}

/* A bound fact that is absent (v NULL) or null: noted as missing, as var_slow
 * does at the root scope, where every slot is read. */
static __attribute__((noinline)) const struct lval *slot_miss(struct ectx *x, const struct lnode *n,
                                                              const struct lval *v)
{
	note_missing(x, n->pathstr);
	if (v)
		return v;
	return n->nargs > 1 ? n->args[1]->lit : LV_NULLV;
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
static const struct lval *cmp_vals(struct ectx *x, uint8_t op, const struct lval *a,
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
		if (loose_eq(x, a, b, &c))
			return NULL;
		return LV_BOOLV(c == (op == OP_EQ));
	default:
		c = compare(x, a, b);
		if (c == -3)
			return NULL;
		if (c == -2)
			return LV_FALSEV;
		return LV_BOOLV(op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0);
	}
}

static const struct lval *ev_cmp2(struct ectx *x, const struct lnode *n)
{
	const struct lval *a, *b;

	if (!(a = eval(x, n->args[0])) || !(b = eval(x, n->args[1])))
		return NULL;
	return cmp_vals(x, n->op, a, b);
}

/* A fact of a bound set read for its parent n, which holds the slot; var is
 * the var node, for its path and default when the fact is absent or null. */
static inline const struct lval *fact(struct ectx *x, int32_t slot, const struct lnode *var)
{
	const struct lval *v = x->slots[slot];

	if (v && v->type != LV_NULL)
		return v;
	return slot_miss(x, var, v);
}

/* {"op": [fact, literal]}, the commonest check of all: the fact read by slot,
 * and when it has the literal's type the answer is computed here; anything
 * else takes cmp_vals, so the result is the same either way. */
static const struct lval *ev_cmp_fact_lit(struct ectx *x, const struct lnode *n)
{
	const struct lval *a, *b = n->lit;

	if (!x->slots)
		return ev_cmp2(x, n);
	a = fact(x, n->slot, n->args[0]);
	if (a->type == b->type) {
		int eq;

		switch (a->type) {
		case LV_STR:
			if (n->op >= OP_LT)
				break;
			eq = lval_str_eq(a, b);
			return LV_BOOLV(eq == (n->op == OP_EQ || n->op == OP_SEQ));
		case LV_NUM:
			return cmp_vals(x, n->op, a, b);
		case LV_BOOL:
			if (n->op >= OP_LT)
				break;
			return LV_BOOLV((a->b == b->b) == (n->op == OP_EQ || n->op == OP_SEQ));
		}
	}
	return cmp_vals(x, n->op, a, b);
}

/* {"in": [fact, literal list or string]}. */
static const struct lval *ev_in_fact_lit(struct ectx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots)
		return op_in(x, n);
	v = fact(x, n->slot, n->args[0]);
	if (n->sset && v->type == LV_STR)
		return LV_BOOLV(strset_has(n->sset, v));
	return in_vals(x, v, n->lit);
}

/* {"in": [literal, fact]}: a string looked for in a fact's string or list. */
static const struct lval *ev_in_lit_fact(struct ectx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots || !(v = x->slots[n->slot]) || v->type == LV_NULL)
		return op_in(x, n);
	return in_vals(x, n->lit, v);
}

/* {"<": [lo, fact, hi]} and {"<=": …} with numbers for bounds: a fact
 * that is a number is placed here; anything else as op_compare places it. */
static inline int between(uint8_t op, double lo, double d, double hi)
{
	return op == OP_LT ? lo < d && d < hi : lo <= d && d <= hi;
}

static const struct lval *ev_between_fact(struct ectx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots || !(v = x->slots[n->slot]) || v->type != LV_NUM || v->u.num != v->u.num)
		return op_compare(x, n);
	return LV_BOOLV(between(n->op, n->args[0]->lit->u.num, v->u.num, n->args[2]->lit->u.num));
}

/* all/some/none whose expression compares the item itself with a literal, or
 * looks the item up in a literal list — the usual shape of a policy check
 * ("every region is JP", "no algorithm is 3DES"): no scope, no calls per item. */
static const struct lval *ev_quant_fast(struct ectx *x, const struct lnode *n)
{
	const struct lnode *body = n->args[1];
	int lit_first = body->args[0]->op == OP_LIT;   /* {"in": [literal, {"var": ""}]} */
	const struct lval *list = eval(x, n->args[0]), *lit = body->args[lit_first ? 0 : 1]->lit, *r;
	size_t i;

	if (!list)
		return NULL;
	if (list->type != LV_ARR)
		return THROW_ARGS(x);
	for (i = 0; i < list->n; i++) {
		const struct lval *v = list->u.arr[i];
		int t;

		if (body->op == OP_IN) {
			if (body->sset && v->type == LV_STR)
				r = LV_BOOLV(strset_has(body->sset, v));
			else if (!(r = lit_first ? in_vals(x, lit, v) : in_vals(x, v, lit)))
				return NULL;
		} else if (!(r = cmp_vals(x, body->op, v, lit))) {
			return NULL;
		}
		t = r == LV_TRUEV;
		if (n->op == OP_ALL ? !t : t)
			return LV_BOOLV(n->op == OP_SOME);
	}
	return LV_BOOLV(n->op == OP_ALL ? list->n > 0 : n->op == OP_NONE);
}

/* {"var": ""}: the current item, the usual body of all/some/none. */
static const struct lval *ev_var_self(struct ectx *x, const struct lnode *n)
{
	(void)n;
	return x->scopes[x->nscopes - 1].data;
}

static const struct lval *ev_val(struct ectx *x, const struct lnode *n)
{
	return op_val(x, n, 0);
}

static const struct lval *ev_exists(struct ectx *x, const struct lnode *n)
{
	return op_val(x, n, 1);
}

static const struct lval *ev_missing(struct ectx *x, const struct lnode *n)
{
	const struct lval **keys;
	size_t nk;

	if (n->mpaths)
		return op_missing(x, n->mkeys->u.arr, n->mkeys->n, n->mpaths, n->mslots);
	if (!(keys = eval_args(x, n, &nk)))
		return NULL;
	return op_missing(x, keys, nk, NULL, NULL);
}

static const struct lval *ev_missing_some(struct ectx *x, const struct lnode *n)
{
	const struct lval *need, *opts, *m;

	if (!(need = eval(x, n->args[0])) || !(opts = eval(x, n->args[1])))
		return NULL;
	if (opts->type != LV_ARR)
		return THROW_ARGS(x);
	m = n->args[1]->op == OP_LIT ? op_missing(x, &opts, 1, n->mpaths, n->mslots)
	                             : op_missing(x, &opts, 1, NULL, NULL);
	if ((double)(opts->n - m->n) >= lval_to_number(need))
		return &empty_list;
	return m;
}

static const struct lval *ev_if(struct ectx *x, const struct lnode *n)
{
	const struct lval *v;
	size_t i;

	if (n->spread)
		return THROW_ARGS(x);
	for (i = 0; i + 1 < n->nargs; i += 2) {
		if (!(v = eval(x, n->args[i])))
			return NULL;
		if (lval_truthy(v))
			return eval(x, n->args[i + 1]);
	}
	if (i < n->nargs)
		return eval(x, n->args[i]);
	return LV_NULLV;
}

static const struct lval *ev_andor(struct ectx *x, const struct lnode *n)
{
	const struct lval *v = LV_FALSEV;
	size_t i;

	if (n->spread)
		return THROW_ARGS(x);
	for (i = 0; i < n->nargs; i++) {
		if (!(v = eval(x, n->args[i])))
			return NULL;
		if (lval_truthy(v) == (n->op == OP_OR))
			return v;
	}
	return v;
}

static const struct lval *ev_not(struct ectx *x, const struct lnode *n)
{
	const struct lval *v = LV_NULLV;

	if (n->nargs && !(v = eval(x, n->args[0])))
		return NULL;
	return LV_BOOLV(lval_truthy(v) == (n->op == OP_NOTNOT));
}

static const struct lval *ev_coalesce(struct ectx *x, const struct lnode *n)
{
	const struct lval **vals, *v;
	size_t nv, i;

	if (n->spread) {
		if (!(vals = eval_args(x, n, &nv)))
			return NULL;
		for (i = 0; i < nv; i++)
			if (vals[i]->type != LV_NULL)
				return vals[i];
		return LV_NULLV;
	}
	for (i = 0; i < n->nargs; i++) {
		if (!(v = eval(x, n->args[i])))
			return NULL;
		if (v->type != LV_NULL)
			return v;
	}
	return LV_NULLV;
}

static void note(struct ectx *x, const char *msg)
{
	if (x->quiet) {
		*x->more |= x->bit;
		return;
	}
	ectx_used(x);
	strs_push(x->a, &x->notes, &x->nnotes, &x->capnotes, msg);
}

/* {"shinsa.in_list": [NAMES, LIST]}: every name (a string or a list of them)
 * is on the reference list. Names that cannot be placed make it false and are
 * noted; no names at all is false too (nothing shows the requirement met). */
static const struct lval *ev_in_list(struct ectx *x, const struct lnode *n)
{
	const struct lval *v = eval(x, n->args[0]), *const *names;
	size_t nn, i;
	int ok = 1;

	if (!v)
		return NULL;
	if (v->type == LV_NULL)
		return LV_FALSEV;
	if (v->type == LV_STR) {
		names = &v;
		nn = 1;
	} else if (v->type == LV_ARR) {
		names = v->u.arr;
		nn = v->n;
	} else {
		return THROW_ARGS(x);
	}
	for (i = 0; i < nn; i++) {
		const char *bad = NULL;

		if (names[i]->type != LV_STR)
			return THROW_ARGS(x);
		if (!reflist_place(x->a, n->ref, names[i]->u.str, names[i]->n, &bad)) {
			ok = 0;
			note(x, arena_printf(x->a, "%s: '%s' is not on the list (%s)",
			                     reflist_of(n->ref)->name, names[i]->u.str, bad ? bad : "?"));
		}
	}
	return LV_BOOLV(ok && nn > 0);
}

static const struct lval *ev_log(struct ectx *x, const struct lnode *n)
{
	/* No I/O inside the evaluator: log is the identity. */
	return n->nargs ? eval(x, n->args[0]) : LV_NULLV;
}

static evalfn node_fn(const struct lnode *n)
{
	switch (n->op) {
	case OP_LIT: return ev_lit;
	case OP_THROWC: return ev_throwc;
	case OP_ARRAY: return ev_array;
	case OP_VAR:
		if (n->slot >= 0)
			return ev_var_slot;
		if (n->path && n->pathstr && n->path->n &&
		    (n->nargs == 1 || (n->nargs == 2 && n->args[1]->op == OP_LIT)))
			return ev_var_static;
		if (n->path && n->path->n == 0 && n->nargs == 1)
			return ev_var_self;
		return ev_var;
	case OP_VAL: return ev_val;
	case OP_EXISTS: return ev_exists;
	case OP_MISSING: return ev_missing;
	case OP_MISSING_SOME: return ev_missing_some;
	case OP_IF: return ev_if;
	case OP_AND: case OP_OR: return ev_andor;
	case OP_NOT: case OP_NOTNOT: return ev_not;
	case OP_COALESCE: return ev_coalesce;
	case OP_TRY: return op_try;
	case OP_THROW: return op_throw;
	case OP_EQ: case OP_NE: case OP_SEQ: case OP_SNE:
	case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		return n->nargs == 2 && !n->spread ? ev_cmp2 : op_compare;
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
	case OP_MIN: case OP_MAX:
		return op_arith;
	case OP_CAT: return op_cat;
	case OP_SUBSTR: return op_substr;
	case OP_IN: return op_in;
	case OP_MERGE: return op_merge;
	case OP_IN_LIST: return ev_in_list;
	case OP_ALL: case OP_SOME: case OP_NONE:
		if (n->nargs == 2 && !n->spread && n->args[1]->nargs == 2 && !n->args[1]->spread &&
		    ((n->args[1]->args[0]->fn == ev_var_self && n->args[1]->args[1]->op == OP_LIT &&
		      (n->args[1]->fn == ev_cmp2 || n->args[1]->op == OP_IN)) ||
		     (n->args[1]->op == OP_IN && n->args[1]->args[0]->op == OP_LIT &&
		      n->args[1]->args[1]->fn == ev_var_self)))
			return ev_quant_fast;
		return op_iterate;
	case OP_MAP: case OP_FILTER: case OP_REDUCE:
		return op_iterate;
	default: return ev_log;
	}
}

/* Patterns common in policies get a function of their own once compiled:
 * a comparison or an "in" of a bound fact with a literal. The parent keeps
 * the fact's slot and the literal, so evaluating it reads no child node. */
static void specialize(struct lnode *n)
{
	if (n->spread)
		return;
	if (n->nargs == 3 && n->fn == op_compare && (n->op == OP_LT || n->op == OP_LE) &&
	    n->args[1]->fn == ev_var_slot &&
	    n->args[0]->op == OP_LIT && n->args[0]->lit->type == LV_NUM &&
	    n->args[2]->op == OP_LIT && n->args[2]->lit->type == LV_NUM &&
	    n->args[0]->lit->u.num == n->args[0]->lit->u.num &&
	    n->args[2]->lit->u.num == n->args[2]->lit->u.num) {
		n->slot = n->args[1]->slot;
		n->fn = ev_between_fact;
		return;
	}
	if (n->nargs == 2 && n->op == OP_IN && n->fn == op_in && n->args[0]->op == OP_LIT &&
	    n->args[0]->lit->type == LV_STR && n->args[1]->fn == ev_var_slot) {
		n->slot = n->args[1]->slot;
		n->lit = n->args[0]->lit;
		n->fn = ev_in_lit_fact;
		return;
	}
	if (n->nargs != 2 || n->args[0]->fn != ev_var_slot || n->args[1]->op != OP_LIT)
		return;
	if (n->fn == ev_cmp2 || n->fn == op_in) {
		n->slot = n->args[0]->slot;
		n->lit = n->args[1]->lit;
		n->fn = n->fn == ev_cmp2 ? ev_cmp_fact_lit : ev_in_fact_lit;
	}
}

/* A fresh evaluation against data, at the document's scope. */
static void ectx_init(struct ectx *x, struct arena *a, const struct lval *data,
                      const struct lval *const *slots)
{
	x->a = a;
	x->err = NULL;
	x->missing = NULL;
	x->nmissing = x->capmissing = 0;
	x->notes = NULL;
	x->nnotes = x->capnotes = 0;
	x->err_type = NULL;
	x->slots = slots;
	x->capscopes = sizeof(x->inl) / sizeof(x->inl[0]);
	x->scopes = x->inl;
	x->scopes[0].data = data;
	x->scopes[0].index = 0;
	x->nscopes = 1;
	x->used = x->more = &x->own;
	x->bit = 1;
	x->quiet = 0;
}

/* Constant folding: an operation whose arguments are all literals and which
 * reads nothing from the facts has the same value at every evaluation, so it
 * is computed once here. One that throws is left to throw at run time. */
static void fold(struct compiler *c, struct lnode *n)
{
	struct ectx x;
	const struct lval *v;
	uint32_t i;

	switch (n->op) {
	case OP_VAR: case OP_VAL: case OP_EXISTS: case OP_MISSING: case OP_MISSING_SOME:
	case OP_THROW: case OP_THROWC: case OP_LIT: case OP_ARRAY: case OP_IN_LIST:
		return;
	}
	if (n->spread)
		return;
	for (i = 0; i < n->nargs; i++)
		if (n->args[i]->op != OP_LIT)
			return;
	n->fn = node_fn(n);
	ectx_init(&x, c->a, LV_NULLV, NULL);
	v = eval(&x, n);
	if (!v)
		return;
	n->op = OP_LIT;
	n->lit = v;
	n->nargs = 0;
}

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

/* Its callers answer a constant rule first (const_root). */
static int eval_root(const struct lnode *root, const struct lval *data,
                     const struct lval *const *slots, struct arena *a, struct logic_result *res)
{
	struct ectx x;
	const struct lval *v;

	ectx_init(&x, a, data ? data : LV_NULLV, slots);
	v = eval(&x, root);
	res->value = v;
	res->error = v ? NULL : error_value(&x);
	res->missing = x.missing;
	res->nmissing = x.nmissing;
	res->notes = x.notes;
	res->nnotes = x.nnotes;
	return v ? OK : ERR_INVALID;
}

int logic_eval(const struct logic_rule *r, const struct lval *data,
               struct arena *a, struct logic_result *res)
{
	if (const_root(r->root, res))
		return OK;
	return eval_root(r->root, data, NULL, a, res);
}

/* ---------------------------------------------------------------- rule sets */

static void plan_group(struct logic_set *s, const struct tnode *t)
{
	struct bgroup *g = &s->groups[s->ngroups++];
	uint32_t k;

	g->t = t;
	g->first = (uint32_t)s->nkids;
	for (k = 0; k < t->nkids; k++) {
		struct bkid *kd = &s->kids[s->nkids++];

		kd->t = t->kids[k];
		kd->slot = t->kids[k]->slot >= 0 ? (uint32_t)t->kids[k]->slot : (uint32_t)s->nslots;
		kd->id = t->kids[k]->nkids ? t->kids[k]->id : s->ntnodes;
	}
	for (k = 0; k < t->nkids; k++)
		if (t->kids[k]->nkids)
			plan_group(s, t->kids[k]);
}

static size_t count_kids(const struct tnode *t)
{
	size_t n = t->nkids;
	uint32_t k;

	for (k = 0; k < t->nkids; k++)
		n += count_kids(t->kids[k]);
	return n;
}

/* The binding's plan, once the trie has every rule's paths. */
static void plan_set(struct arena *a, struct logic_set *s)
{
	s->groups = arena_alloc(a, (s->ntnodes ? s->ntnodes : 1) * sizeof(*s->groups));
	s->kids = arena_alloc(a, (count_kids(&s->root) + 1) * sizeof(*s->kids));
	s->ngroups = s->nkids = 0;
	if (s->root.nkids)
		plan_group(s, &s->root);
}

int logic_set_compile(struct arena *a, const struct lval *const *rules, size_t n,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_set **out, size_t *failed, struct err *e)
{
	struct logic_set *s = arena_zalloc(a, sizeof(*s));
	size_t i;
	int rc;

	s->root.slot = -1;
	s->rules = arena_alloc(a, (n ? n : 1) * sizeof(*s->rules));
	for (i = 0; i < n; i++) {
		rc = compile_rule(a, rules[i], lim, flags, env, s, &s->rules[i], e);
		if (rc) {
			if (failed)
				*failed = i;
			return rc;
		}
	}
	s->nrules = n;
	plan_set(a, s);
	*out = s;
	return OK;
}

size_t logic_set_size(const struct logic_set *s)
{
	return s->nrules;
}

const struct logic_rule *logic_set_rule(const struct logic_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i] : NULL;
}

size_t logic_set_paths(const struct logic_set *s)
{
	return s->nslots;
}

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
	struct ectx *x;               /* lane k's evaluation */
	uint64_t dirty;               /* lanes whose evaluation left more than a value in x (a
	                               * missing path, a note, an error, scopes of its own: see
	                               * ectx_used), set up again before the next rule */
	uint64_t more;                /* lanes with more to say than the last rule's value */
	uint64_t full;                /* ... whose x holds all of it (missing paths, notes) */
	int quiet;                    /* the contexts' mode (see struct ectx) */
	size_t rule;                  /* the last rule evaluated */
	struct arena *a;              /* the arena the clean lanes' contexts have */
	const struct lval **out;      /* the last rule's values, by lane */
	lane_t all[LOGIC_BATCH];      /* every lane, in order */
	struct bcache *caches;        /* by trie node id, shared by the lanes */
	const struct lval **found;    /* by group id, in the lane being bound: what its step
	                               * found (NULL: absent or null) */
};

struct logic_binding {
	struct logic_batch b;         /* a batch of one */
};

static void batch_init(struct logic_batch *b, struct arena *a, const struct logic_set *s,
                       size_t cap)
{
	size_t S = s->nslots + 1;
	uint32_t i;

	b->set = s;
	b->cap = cap;
	b->stride = S;
	b->n = 0;
	b->docs = arena_zalloc(a, cap * sizeof(*b->docs));
	b->vals = arena_zalloc(a, cap * S * sizeof(*b->vals));
	b->x = arena_zalloc(a, cap * sizeof(*b->x));
	b->out = arena_zalloc(a, cap * sizeof(*b->out));
	for (i = 0; i < cap && i < LOGIC_BATCH; i++)
		b->all[i] = (lane_t)i;
	b->caches = arena_zalloc(a, (s->ntnodes ? s->ntnodes : 1) * sizeof(*b->caches));
	for (i = 0; i < s->ntnodes; i++)
		b->caches[i].pos = arena_alloc(a, BIND_WAYS * s->byid[i]->nkids * sizeof(int32_t));
	b->found = arena_zalloc(a, ((size_t)s->ntnodes + 1) * sizeof(*b->found));
}

/* A step from something other than an object: an array's item or length, a
 * string's character or length, as a var's walk takes it. */
static const struct lval *bind_step(struct arena *a, const struct lval *cur, const struct tnode *t)
{
	struct ectx x;

	x.a = a;
	return step(&x, cur, t->p, t->i);
}

/* Where t's children sit in object v, as byte offsets from its first
 * member (-1: absent): the shape's row of t's cache, filled when the shape
 * is new to it. */
static inline const int32_t *bind_offsets(struct logic_batch *b, const struct tnode *t,
                                          const struct lval *v)
{
	const struct lobj *o = v->u.obj;
	struct bcache *c = &b->caches[t->id];
	uint32_t way = o->shape->id % BIND_WAYS, k;
	int32_t *pos = c->pos + (size_t)way * t->nkids;

	if (c->ids[way] != o->shape->id) {
		for (k = 0; k < t->nkids; k++) {
			const struct tnode *kt = t->kids[k];

			int64_t at = lval_find_p(v, kt->p->keys[kt->i], kt->p->kh[kt->i], kt->p->pre[kt->i]);

			pos[k] = at < 0 ? -1 : (int32_t)(at * (int64_t)sizeof(struct lval));
		}
		c->ids[way] = o->shape->id;
	}
	return pos;
}

/* Read a packed document's block (lval_span) in one stream, a load a cache
 * line in address order. The hardware runs ahead of a stream, so the walk
 * that follows finds the document in cache instead of waiting on each of
 * its objects in turn: on documents not in cache this is most of their cost,
 * and it did better than prefetching each object ahead of the walk. */
static inline void stream_doc(const struct lval *d)
{
	const char *p, *end;
	size_t n = lval_span(d, &p);

	if (!n)   /* not packed: nothing to stream, and p says nothing */
		return;
	for (end = p + n; p < end; p = (const char *)(((uintptr_t)p | 63) + 1))
		(void)*(const volatile char *)p;
}

/* One lane's document: the plan's groups in order, each from what its own
 * step found. A null on the way ends every path through it, as a var's
 * walk does. */
static void bind_doc(struct logic_batch *b, const struct lval **vals, const struct lval *doc,
                     struct arena *a)
{
	const struct logic_set *s = b->set;
	const struct lval **found = b->found;
	size_t g;

	found[s->root.id] = doc->type != LV_NULL ? doc : NULL;
	for (g = 0; g < s->ngroups; g++) {
		const struct tnode *t = s->groups[g].t;
		const struct bkid *kd = s->kids + s->groups[g].first;
		const struct lval *v = found[t->id], *m;
		uint32_t k;

		if (!v) {
			for (k = 0; k < t->nkids; k++) {
				vals[kd[k].slot] = NULL;
				found[kd[k].id] = NULL;
			}
			continue;
		}
		if (v->type == LV_OBJ) {
			const int32_t *off = bind_offsets(b, t, v);
			const char *mv = (const char *)v->u.obj->v;

			for (k = 0; k < t->nkids; k++) {
				m = off[k] < 0 ? NULL : (const struct lval *)(const void *)(mv + off[k]);
				vals[kd[k].slot] = m;
				found[kd[k].id] = m && m->type != LV_NULL ? m : NULL;
			}
			continue;
		}
		for (k = 0; k < t->nkids; k++) {
			m = bind_step(a, v, kd[k].t);
			vals[kd[k].slot] = m;
			found[kd[k].id] = m && m->type != LV_NULL ? m : NULL;
		}
	}
}

/* Every document of the batch is read in one stream first, then bound. */
static void batch_bind(struct logic_batch *b, const struct lval *const *docs, size_t n,
                       struct arena *a)
{
	size_t S = b->stride, k;

	b->n = n < b->cap ? n : b->cap;
	b->dirty = lanes(b->n);   /* every lane's context is set up for its document */
	for (k = 0; k < b->n; k++)
		if (docs[k])
			stream_doc(docs[k]);
	for (k = 0; k < b->n; k++) {
		b->docs[k] = docs[k] ? docs[k] : LV_NULLV;
		if (b->set->root.nkids)
			bind_doc(b, b->vals + k * S, b->docs[k], a);
	}
}

struct logic_binding *logic_binding_new(struct arena *a, const struct logic_set *s)
{
	struct logic_binding *bd = arena_zalloc(a, sizeof(*bd));

	batch_init(&bd->b, a, s, 1);
	return bd;
}

void logic_bind(struct logic_binding *bd, const struct lval *doc, struct arena *a)
{
	batch_bind(&bd->b, &doc, 1, a);
}

int logic_eval_bound(const struct logic_binding *bd, size_t i, struct arena *a,
                     struct logic_result *res)
{
	const struct lnode *root = bd->b.set->rules[i]->root;

	if (const_root(root, res))
		return OK;
	return eval_root(root, bd->b.docs[0], bd->b.vals, a, res);
}

/* ---------------------------------------------------------------- batches */

/* A batch evaluates one rule over every lane at once: the tree is walked
 * once, and each node does its work for all the lanes that reach it (a
 * selection of lane indexes, in order). and/or/if narrow the selection as
 * lanes decide, so a lane evaluates exactly the nodes it would alone, in
 * the same order, and notes the same missing paths; a lane that throws
 * leaves the selection. Nodes without a form of their own here run the
 * ordinary evaluator lane by lane, so every operator works in a batch. */

/* Deeper rules run lane by lane: each level here keeps a few selections on
 * the stack. */
#define BATCH_MAX_DEPTH 64

static void veval(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                  const struct lval **out);

static void veval_andor(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                        const struct lval **out)
{
	lane_t live[LOGIC_BATCH];
	size_t nl = ns, i, j, m;
	int stop_if = n->op == OP_OR;

	memcpy(live, sel, ns * sizeof(*sel));
	for (j = 0; j < ns; j++)
		out[sel[j]] = LV_FALSEV;   /* no arguments at all */
	for (i = 0; i < n->nargs && nl; i++) {
		veval(b, n->args[i], live, nl, out);
		for (j = m = 0; j < nl; j++) {
			const struct lval *v = out[live[j]];

			if (v && lval_truthy(v) != stop_if)
				live[m++] = live[j];
		}
		nl = m;
	}
}

static void veval_if(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                     const struct lval **out)
{
	lane_t live[LOGIC_BATCH], yes[LOGIC_BATCH];
	const struct lval *c[LOGIC_BATCH];
	size_t nl = ns, ny, i, j, m;

	memcpy(live, sel, ns * sizeof(*sel));
	for (i = 0; i + 1 < n->nargs && nl; i += 2) {
		veval(b, n->args[i], live, nl, c);
		for (j = m = ny = 0; j < nl; j++) {
			lane_t k = live[j];

			if (!c[k])
				out[k] = NULL;
			else if (lval_truthy(c[k]))
				yes[ny++] = k;
			else
				live[m++] = k;
		}
		if (ny)
			veval(b, n->args[i + 1], yes, ny, out);
		nl = m;
	}
	if (!nl)
		return;
	if (i < n->nargs) {
		veval(b, n->args[i], live, nl, out);
		return;
	}
	for (j = 0; j < nl; j++)
		out[live[j]] = LV_NULLV;
}

static void veval_not(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                      const struct lval **out)
{
	int want = n->op == OP_NOTNOT;
	size_t j;

	if (!n->nargs) {
		for (j = 0; j < ns; j++)
			out[sel[j]] = LV_BOOLV(want == 0);
		return;
	}
	veval(b, n->args[0], sel, ns, out);
	for (j = 0; j < ns; j++) {
		const struct lval *v = out[sel[j]];

		out[sel[j]] = v ? LV_BOOLV(lval_truthy(v) == want) : NULL;
	}
}

/* A comparison of two operands that are not a fact and a literal. */
static void veval_cmp2(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                       const struct lval **out)
{
	lane_t live[LOGIC_BATCH];
	const struct lval *l[LOGIC_BATCH];
	size_t nl = 0, j;

	veval(b, n->args[0], sel, ns, l);
	for (j = 0; j < ns; j++) {
		if (l[sel[j]])
			live[nl++] = sel[j];
		else
			out[sel[j]] = NULL;
	}
	if (!nl)
		return;
	veval(b, n->args[1], live, nl, out);
	for (j = 0; j < nl; j++) {
		lane_t k = live[j];

		if (out[k])
			out[k] = cmp_vals(&b->x[k], n->op, l[k], out[k]);
	}
}

/* {"op": [fact, literal]} over the lanes: a lane whose fact has the
 * literal's type (a number; a string or a boolean compared for equality) is
 * answered here as ev_cmp_fact_lit answers it, any other (absent, null,
 * another type) by ev_cmp_fact_lit itself. */
static void veval_cmp_fact_lit(struct logic_batch *b, const struct lnode *n, const lane_t *sel,
                               size_t ns, const struct lval **out)
{
	const struct lval *lit = n->lit, *const *vals = b->vals + n->slot;
	size_t S = b->stride, j;
	int same = n->op == OP_EQ || n->op == OP_SEQ;
	int order = n->op >= OP_LT;
	/* the facts' type answered here, if any */
	uint8_t here = lit->type == LV_NUM || (!order && (lit->type == LV_STR || lit->type == LV_BOOL))
	               ? lit->type : UINT8_MAX;

	for (j = 0; j < ns; j++) {
		lane_t k = sel[j];
		const struct lval *v = vals[k * S];

		if (!v || v->type != here)
			out[k] = ev_cmp_fact_lit(&b->x[k], n);
		else if (here == LV_NUM)
			out[k] = cmp_nums(n->op, v->u.num, lit->u.num);
		else if (here == LV_STR)
			out[k] = LV_BOOLV(lval_str_eq(v, lit) == same);
		else
			out[k] = LV_BOOLV((v->b == lit->b) == same);
	}
}

/* ev_quant_fast over the lanes, on a list read by slot: items that are
 * strings looked up in a literal list, or of the literal's type compared
 * with it, are decided here; a lane with anything else (no list, an item
 * of another type) is evaluated by ev_quant_fast from the start, which
 * this loop's reading of items leaves as it was. */
static void veval_quant(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                        const struct lval **out)
{
	const struct lnode *body = n->args[1];
	int lit_first = body->args[0]->op == OP_LIT;   /* {"in": [literal, {"var": ""}]} */
	const struct lval *lit = body->args[lit_first ? 0 : 1]->lit;
	const struct lval *const *vals = b->vals + n->args[0]->slot;
	size_t S = b->stride, j;
	uint8_t op = body->op;
	int all = n->op == OP_ALL, stop = n->op == OP_ALL ? 0 : 1;
	int same = op == OP_EQ || op == OP_SEQ;
	int eqop = op == OP_EQ || op == OP_NE || op == OP_SEQ || op == OP_SNE;

	for (j = 0; j < ns; j++) {
		lane_t k = sel[j];
		const struct lval *list = vals[k * S];
		uint32_t i;
		int t = 0;

		if (!list || list->type != LV_ARR)
			goto alone;
		for (i = 0; i < list->n; i++) {
			const struct lval *v = list->u.arr[i];

			if (op == OP_IN) {
				if (v->type != LV_STR)
					goto alone;
				if (body->sset)
					t = strset_has(body->sset, v);
				else if (lit_first && lit->type == LV_STR)
					t = str_contains(v->u.str, v->n, lit->u.str, lit->n);
				else
					goto alone;
			} else if (v->type == LV_STR && lit->type == LV_STR && eqop) {
				t = lval_str_eq(v, lit) == same;
			} else if (v->type == LV_NUM && lit->type == LV_NUM) {
				t = cmp_nums(op, v->u.num, lit->u.num) == LV_TRUEV;
			} else {
				goto alone;
			}
			if (t == stop)
				break;
		}
		if (i < list->n)
			out[k] = LV_BOOLV(n->op == OP_SOME);
		else
			out[k] = LV_BOOLV(all ? list->n > 0 : n->op == OP_NONE);
		continue;
	alone:
		out[k] = ev_quant_fast(&b->x[k], n);
	}
}

static void veval(struct logic_batch *b, const struct lnode *n, const lane_t *sel, size_t ns,
                  const struct lval **out)
{
	evalfn fn = n->fn;
	size_t j;

	if (n->op == OP_LIT) {
		for (j = 0; j < ns; j++)
			out[sel[j]] = n->lit;
	} else if (fn == ev_var_slot) {
		size_t S = b->stride;
		int32_t slot = n->slot;

		for (j = 0; j < ns; j++) {
			lane_t k = sel[j];
			const struct lval *v = b->vals[k * S + (size_t)slot];

			out[k] = v && v->type != LV_NULL ? v : slot_miss(&b->x[k], n, v);
		}
	} else if (fn == ev_cmp_fact_lit) {
		veval_cmp_fact_lit(b, n, sel, ns, out);
	} else if (fn == ev_in_fact_lit) {
		for (j = 0; j < ns; j++)
			out[sel[j]] = ev_in_fact_lit(&b->x[sel[j]], n);
	} else if (fn == ev_quant_fast && n->args[0]->fn == ev_var_slot) {
		veval_quant(b, n, sel, ns, out);
	} else if (fn == ev_andor && !n->spread) {
		veval_andor(b, n, sel, ns, out);
	} else if (fn == ev_if && !n->spread) {
		veval_if(b, n, sel, ns, out);
	} else if (fn == ev_not) {
		veval_not(b, n, sel, ns, out);
	} else if (fn == ev_cmp2) {
		veval_cmp2(b, n, sel, ns, out);
	} else {
		for (j = 0; j < ns; j++)
			out[sel[j]] = fn(&b->x[sel[j]], n);
	}
}

struct logic_batch *logic_batch_new(struct arena *a, const struct logic_set *s)
{
	struct logic_batch *b = arena_zalloc(a, sizeof(*b));

	batch_init(b, a, s, LOGIC_BATCH);
	return b;
}

void logic_batch_bind(struct logic_batch *b, const struct lval *const *docs, size_t n,
                      struct arena *a)
{
	batch_bind(b, docs, n, a);
}

size_t logic_batch_size(const struct logic_batch *b)
{
	return b->n;
}

/* Rule i over the batch into b->out. Quiet, the lanes note that they have
 * missing paths or notes without keeping them: a caller who wants only the
 * values does not pay for them, and logic_batch_result evaluates a lane
 * again, not quietly, when asked for all of it. */
static void batch_run(struct logic_batch *b, size_t i, struct arena *a, int quiet)
{
	const struct logic_rule *r = b->set->rules[i];
	size_t S = b->stride, k;
	uint64_t m;

	if (quiet != b->quiet) {
		b->dirty = lanes(b->n);
		b->quiet = quiet;
	}
	/* a context left as it was set up needs only the arena, if that changed */
	if (a != b->a) {
		for (k = 0; k < b->n; k++)
			b->x[k].a = a;
		b->a = a;
	}
	for (m = b->dirty; m; m &= m - 1) {
		k = (size_t)__builtin_ctzll(m);
		ectx_init(&b->x[k], a, b->docs[k], b->vals + k * S);
		b->x[k].used = &b->dirty;
		b->x[k].more = &b->more;
		b->x[k].bit = (uint64_t)1 << k;
		b->x[k].quiet = quiet;
	}
	b->dirty = b->more = 0;
	b->rule = i;
	if (r->depth <= BATCH_MAX_DEPTH) {
		veval(b, r->root, b->all, b->n, b->out);
	} else {
		for (k = 0; k < b->n; k++)
			b->out[k] = eval(&b->x[k], r->root);
	}
	/* a lane that threw is named whichever way it threw (its error is built
	 * when asked for, by logic_batch_result) */
	for (m = 0, k = 0; k < b->n; k++)
		m |= (uint64_t)!b->out[k] << k;
	b->dirty |= m;
	b->more |= m;
	b->full = quiet ? 0 : b->more;
}

const struct lval *const *logic_batch_values(struct logic_batch *b, size_t i, struct arena *a,
                                             uint64_t *more)
{
	batch_run(b, i, a, 1);
	if (more)
		*more = b->more;
	return b->out;
}

void logic_batch_result(struct logic_batch *b, size_t k, struct logic_result *res)
{
	struct ectx *x = &b->x[k];
	uint64_t bit = (uint64_t)1 << k;

	memset(res, 0, sizeof(*res));
	if (k >= b->n)
		return;
	res->value = b->out[k];
	if (!(b->more & bit))
		return;
	if (!(b->full & bit)) {
		/* evaluated quietly: again, alone, keeping everything */
		ectx_init(x, b->a, b->docs[k], b->vals + k * b->stride);
		x->used = &b->dirty;
		x->more = &b->more;
		x->bit = bit;
		b->dirty |= bit;   /* set up again, in the batch's mode, before the next rule */
		(void)eval(x, b->set->rules[b->rule]->root);   /* the same value, or throw */
		b->full |= bit;
	}
	res->error = b->out[k] ? NULL : error_value(x);
	res->missing = x->missing;
	res->nmissing = x->nmissing;
	res->notes = x->notes;
	res->nnotes = x->nnotes;
}

size_t logic_batch_eval(struct logic_batch *b, size_t i, struct arena *a, struct logic_result *res)
{
	size_t k, thrown = 0;

	batch_run(b, i, a, 0);
	for (k = 0; k < b->n; k++) {
		logic_batch_result(b, k, &res[k]);
		thrown += !b->out[k];
	}
	return thrown;
}

const char *logic_error_type(struct arena *a, const struct lval *error)
{
	const struct lval *t;
	struct buf b = BUF_INIT;
	const char *s;

	if (!error)
		return "";
	t = lval_get(error, "type", 4);
	if (!t)
		t = error;
	if (t->type == LV_STR)
		return t->u.str;
	lval_write_json(&b, t);
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}
