/* The JsonLogic compiler: a rule (a parsed JSON value) becomes a tree of
 * nodes, each of a kind from the operator table (logic_ops.c), with its var
 * paths split in advance, its constants folded, and its evaluator chosen for
 * its shape. A compile error names the operator's position in the rule. */
#include "logic/logic_int.h"
#include "core/fmt.h"

#include <math.h>
#include <string.h>

static int compile_node(struct compiler *c, const struct lval *v, size_t depth,
                        struct lnode **out);

struct lnode *logic_node_new(struct compiler *c, uint8_t op)
{
	struct lnode *n = arena_zalloc(c->a, sizeof(*n));

	n->op = op;
	n->slot = -1;
	return n;
}

/* val's scope climb [[n], ...]: |n| levels, capped (the stack is never deeper). */
int32_t logic_scope_levels(double d)
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


void logic_path_add(struct lpath *p, const char *k, size_t n)
{
	p->keys[p->n] = k;
	p->klen[p->n] = (uint32_t)n;
	p->kh[p->n] = lval_key_hash(k, n);
	lval_key_prefix(k, n, p->pre[p->n]);
	if (!key_is_index(k, n, &p->index[p->n]))
		p->index[p->n] = -1;
	p->n++;
}

struct lpath *logic_path_alloc(struct arena *a, size_t cap)
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
struct lpath *logic_path_split(struct arena *a, const char *s, size_t n)
{
	size_t i, parts = 1, len = 0;
	struct lpath *p;
	char *cur;

	if (n == 0)
		return logic_path_alloc(a, 0);
	/* "." is the key "", ".." is ["", ""]: a path of only dots names that
	 * many empty keys (json-logic .github escaping tests). */
	for (i = 0; i < n && s[i] == '.'; i++)
		;
	if (i == n) {
		p = logic_path_alloc(a, n);
		for (i = 0; i < n; i++)
			logic_path_add(p, "", 0);
		return p;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '.')
			parts++;
	}
	p = logic_path_alloc(a, parts);
	cur = arena_alloc(a, n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			cur[len++] = s[++i];
		} else if (s[i] == '.') {
			cur[len] = '\0';
			logic_path_add(p, cur, len);
			cur += len + 1;
			len = 0;
		} else {
			cur[len++] = s[i];
		}
	}
	cur[len] = '\0';
	logic_path_add(p, cur, len);
	return p;
}


/* A literal list of strings made ready for lookup, or NULL when the list is
 * not one. */

const struct strset *logic_strset_new(struct arena *a, const struct lval *list)
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

int logic_cfail(struct compiler *c, int code, const char *msg)
{
	return err_set(c->e, code, "%s: %s", c->where[0] ? c->where : "(rule)", msg);
}

/* [], which every evaluation may share: values are never changed. */

/* In lenient mode a structural mistake becomes a node that throws, so that a
 * run-time engine reports it the way the community suites expect. */
int logic_invalid(struct compiler *c, struct lnode **out, const char *msg)
{
	if (c->flags & LOGIC_LENIENT) {
		struct lnode *n = logic_node_new(c, OP_THROWC);

		n->lit = lval_str_ref(c->a, "Invalid Arguments", 17);
		*out = n;
		return OK;
	}
	return logic_cfail(c, ERR_INVALID, msg);
}

/* A literal val/var/exists path: strings and numbers, with an optional scope
 * climb [[n], ...] at the head for val. */
struct lpath *logic_static_path(struct compiler *c, uint8_t op, struct lnode **args, size_t nargs)
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
			return logic_path_split(c->a, k->u.str, k->n);
		if (k->type == LV_NULL)
			return logic_path_alloc(c->a, 0);
		if (k->type == LV_NUM) {
			size_t n = lval_num_format(k->u.num, num);

			return logic_path_split(c->a, arena_strndup(c->a, num, n), n);
		}
		return NULL;
	}
	if (nargs && args[0]->lit->type == LV_ARR) {
		const struct lval *h = args[0]->lit;

		if (h->n != 1 || h->u.arr[0]->type != LV_NUM)
			return NULL;
		up = logic_scope_levels(h->u.arr[0]->u.num);
		first = 1;
	}
	p = logic_path_alloc(c->a, nargs);
	p->up = up;
	for (i = first; i < nargs; i++) {
		const struct lval *k = args[i]->lit;

		if (k->type == LV_STR) {
			logic_path_add(p, k->u.str, k->n);
		} else if (k->type == LV_NUM) {
			size_t n = lval_num_format(k->u.num, num);

			logic_path_add(p, arena_strndup(c->a, num, n), n);
		} else {
			return NULL;
		}
	}
	return p;
}

/* {"missing": ["a", "b.c"]} or {"missing": [["a", "b.c"]]} with literal keys:
 * split the paths now rather than at every evaluation. */
void logic_missing_paths(struct compiler *c, struct lnode *n)
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
		n->mpaths[i] = logic_path_split(c->a, keys->u.arr[i]->u.str, keys->u.arr[i]->n);
	n->mkeys = keys;
}


/* Is argument i of a node of kind k evaluated in a scope of its own (an
 * item, a caught error) rather than against the document? */
static int in_body(const struct logic_kind *k, size_t i)
{
	return (k->scope == SCOPE_ITEM && i == 1) || (k->scope == SCOPE_CATCH && i >= 1);
}

/* Compile n's arguments as kind k takes them, and check their number when
 * it is known (not spread from a value computed at run time). */
static int compile_args(struct compiler *c, const struct logic_kind *k, const struct lval *arg,
                        size_t depth, struct lnode *n, struct lnode **out)
{
	size_t i;
	int rc;

	if (arg->type == LV_ARR) {
		n->nargs = arg->n;
		n->args = arena_alloc(c->a, (arg->n ? arg->n : 1) * sizeof(*n->args));
		for (i = 0; i < arg->n; i++) {
			size_t mark = where_index(c, i);
			int body = in_body(k, i);

			c->body += body;
			rc = compile_node(c, arg->u.arr[i], depth + 1, &n->args[i]);
			c->body -= body;
			if (rc)
				return rc;
			c->where[mark] = '\0';
		}
	} else {
		if (k->form == AF_ARRAY)
			return logic_invalid(c, out, "arguments must be an array");
		n->nargs = 1;
		n->args = arena_alloc(c->a, sizeof(*n->args));
		rc = compile_node(c, arg, depth + 1, &n->args[0]);
		if (rc)
			return rc;
		if (k->form == AF_SPREAD) {
			if (!is_literal(n->args[0])) {
				n->spread = 1;
			} else if (n->args[0]->lit->type == LV_ARR) {
				/* {"+": {"preserve": [7, 8]}}: a literal list spreads now */
				const struct lval *l = n->args[0]->lit;

				n->nargs = l->n;
				n->args = arena_alloc(c->a, (l->n ? l->n : 1) * sizeof(*n->args));
				for (i = 0; i < l->n; i++) {
					n->args[i] = logic_node_new(c, OP_LIT);
					n->args[i]->lit = l->u.arr[i];
				}
			}
		}
	}
	if (n->spread)
		return OK;
	if ((int)n->nargs < k->min)
		return logic_invalid(c, out, k->arity ? k->arity : "too few arguments");
	if (k->max >= 0 && (int)n->nargs > k->max)
		return logic_invalid(c, out, k->arity ? k->arity : "too many arguments");
	return OK;
}

/* missing / missing_some with literal keys at the document's scope, in a
 * rule set: each key is a slot, so a bound document answers without walking. */
void logic_missing_slots(struct compiler *c, struct lnode *n, size_t nk)
{
	size_t i;

	if (!c->set || c->body)
		return;
	for (i = 0; i < nk; i++)
		if (n->mpaths[i]->n == 0)
			return;
	n->mslots = arena_alloc(c->a, (nk ? nk : 1) * sizeof(*n->mslots));
	for (i = 0; i < nk; i++)
		n->mslots[i] = logic_set_slot(c, n->mpaths[i]);
}


/* Constant folding: an operation whose arguments are all literals and which
 * reads nothing from the facts has the same value at every evaluation, so it
 * is computed once here. One that throws is left to throw at run time. */
static void fold(struct compiler *c, struct lnode *n)
{
	struct logic_ctx x;
	const struct lval *v;
	uint32_t i;

	if (n->spread)
		return;
	for (i = 0; i < n->nargs; i++)
		if (n->args[i]->op != OP_LIT)
			return;
	n->fn = logic_kinds[n->op].eval;
	logic_ctx_reset(&x, c->a, LV_NULLV, NULL);
	v = eval(&x, n);
	if (!v)
		return;
	n->op = OP_LIT;
	n->lit = v;
	n->nargs = 0;
}

static int compile_op(struct compiler *c, int kind, const struct lval *arg, size_t depth,
                      struct lnode **out)
{
	const struct logic_kind *k = &logic_kinds[kind];
	struct lnode *n = logic_node_new(c, (uint8_t)kind);
	int rc;

	*out = n;
	rc = compile_args(c, k, arg, depth, n, out);
	if (rc || *out != n)
		return rc;
	if (k->compile && ((rc = k->compile(c, n, out)) || *out != n))
		return rc;
	if (k->fold)
		fold(c, n);
	return OK;
}

/* ---------------------------------------------------------------- project operators */

static int name_is(const char *s, const char *name, size_t n)
{
	return strlen(s) == n && !memcmp(s, name, n);
}

/* The project operator name[0..n) of env, and the data its compile hook is
 * given; NULL when there is none. */
static const struct logic_project_op *project_find(const struct logic_env *env, const char *name,
                                                   size_t n, const void **data)
{
	size_t i;

	for (i = 0; env && i < env->nops; i++) {
		if (name_is(env->ops[i].name, name, n)) {
			*data = env->ops[i].data;
			return &env->ops[i];
		}
	}
	return NULL;
}

static int8_t arity_bound(int n)
{
	return n < 0 ? -1 : n > INT8_MAX ? INT8_MAX : (int8_t)n;
}

/* A call of a project operator: its arguments compiled as an array, their
 * number checked, then the operator's own compile hook given the literal
 * ones. Never folded (it may note). */
static int compile_project(struct compiler *c, const struct logic_project_op *op, const void *data,
                           const struct lval *arg, size_t depth, struct lnode **out)
{
	struct logic_kind k = logic_kinds[OP_PROJECT];
	struct lnode *n = logic_node_new(c, OP_PROJECT);
	struct project *pj = arena_zalloc(c->a, sizeof(*pj));
	const struct lval **lits;
	const char *why = "invalid arguments";
	size_t i;
	int rc;

	k.min = arity_bound(op->min_args);
	k.max = arity_bound(op->max_args);
	*out = n;
	rc = compile_args(c, &k, arg, depth, n, out);
	if (rc || *out != n)
		return rc;
	pj->op = op;
	n->proj = pj;
	if (!op->compile)
		return OK;
	lits = arena_alloc(c->a, (n->nargs ? n->nargs : 1) * sizeof(*lits));
	for (i = 0; i < n->nargs; i++)
		lits[i] = is_literal(n->args[i]) ? n->args[i]->lit : NULL;
	rc = op->compile(data, c->a, lits, n->nargs, &pj->state, &why);
	if (rc == OK)
		return OK;
	if (rc == ERR_INVALID)
		return logic_invalid(c, out, why);
	return logic_cfail(c, rc, why);
}

int logic_op_known(const char *name, size_t n)
{
	return logic_op_known_env(NULL, name, n);
}

int logic_op_known_env(const struct logic_env *env, const char *name, size_t n)
{
	const void *data;

	return logic_kind_find(name, n) >= 0 || (n == 8 && !memcmp(name, "preserve", 8)) ||
	       project_find(env, name, n, &data) != NULL;
}

/* ---------------------------------------------------------------- nodes */

static int compile_node_inner(struct compiler *c, const struct lval *v, size_t depth,
                              struct lnode **out)
{
	struct lnode *n;
	size_t i;
	int rc, all_lit = 1;

	if (++c->nodes > c->lim->max_nodes)
		return logic_cfail(c, ERR_TOOLARGE, "rule too large");
	if (depth > c->lim->max_depth)
		return logic_cfail(c, ERR_TOOLARGE, "rule nested too deeply");
	if (depth > c->maxdepth)
		c->maxdepth = depth;
	if (v->type == LV_OBJ && v->n == 1) {
		const char *k = lval_obj_key(v, 0);
		size_t kn = lval_obj_klen(v, 0);
		const struct logic_project_op *op;
		const void *data = NULL;
		size_t mark;
		int kind;

		if (kn == 8 && !memcmp(k, "preserve", 8)) {
			n = logic_node_new(c, OP_LIT);
			n->lit = lval_obj_val(v, 0);
			*out = n;
			return OK;
		}
		mark = where_key(c, k, kn);
		if ((kind = logic_kind_find(k, kn)) >= 0)
			rc = compile_op(c, kind, lval_obj_val(v, 0), depth, out);
		else if ((op = project_find(c->env, k, kn, &data)))
			rc = compile_project(c, op, data, lval_obj_val(v, 0), depth, out);
		else if (c->flags & LOGIC_LENIENT) {
			n = logic_node_new(c, OP_THROWC);
			n->lit = lval_str_ref(c->a, "Unknown Operator", 16);
			*out = n;
			rc = OK;
		} else {
			return logic_cfail(c, ERR_NOTFOUND, "unknown operator");
		}
		if (rc == OK)
			c->where[mark] = '\0';
		return rc;
	}
	if (v->type == LV_ARR && v->n) {
		n = logic_node_new(c, OP_ARRAY);
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
			/* the items' values: an item may be an operation folded to one
			 * ([{"+": [1, 2]}] is [3], not the rule's text) */
			struct lval *arr = lval_arr(c->a, v->n);

			for (i = 0; i < v->n; i++)
				arr->u.arr[i] = n->args[i]->lit;
			n->op = OP_LIT;
			n->lit = arr;
		}
		*out = n;
		return OK;
	}
	n = logic_node_new(c, OP_LIT);
	n->lit = v;
	*out = n;
	return OK;
}

/* A node, compiled with its arguments; then the evaluator its kind gives
 * for its shape (its children have theirs already). */
static int compile_node(struct compiler *c, const struct lval *v, size_t depth,
                        struct lnode **out)
{
	int rc = compile_node_inner(c, v, depth, out);

	if (rc == OK) {
		struct lnode *n = *out;
		const struct logic_kind *k = &logic_kinds[n->op];

		n->fn = k->shape ? k->shape(c, n) : k->eval;
	}
	return rc;
}

int logic_compile_rule(struct arena *a, const struct lval *rule, const struct logic_limits *lim,
                       int flags, const struct logic_env *env, struct logic_set *set,
                       struct logic_rule **out, struct err *e)
{
	static const struct logic_limits deflim = { LOGIC_DEFAULT_MAX_DEPTH, LOGIC_DEFAULT_MAX_NODES };
	struct compiler c;
	struct logic_rule *r;
	int rc;

	logic_kinds_check();
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

int logic_compile(struct arena *a, const struct lval *rule,
                  const struct logic_limits *lim, int flags,
                  struct logic_rule **out, struct err *e)
{
	return logic_compile_rule(a, rule, lim, flags, NULL, NULL, out, e);
}

int logic_compile_env(struct arena *a, const struct lval *rule,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_rule **out, struct err *e)
{
	return logic_compile_rule(a, rule, lim, flags, env, NULL, out, e);
}
