/* Specialised evaluators: shapes common in policies (a fact read by slot or
 * by a remembered path, a fact compared with a literal, a quantifier over a
 * literal test of the item) evaluated without the general evaluator's
 * calls. Each gives what the general evaluator of its kind would; the
 * kind's shape hook (logic_ops.c) picks it when compiling. */
#include "logic/logic_int.h"

/* The rest of a static var lookup from step i on, when the fast path below
 * met something other than a remembered object member. */
__attribute__((noinline)) const struct lval *logic_var_slow(struct logic_ctx *x, const struct lnode *n,
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
		if (cur->type == LV_NULL || !(cur = logic_step(x, cur, p, i)))
			goto absent;
	}
	if (cur->type == LV_NULL && x->nscopes == 1)
		logic_note_missing(x, n->pathstr);
	return cur;
absent:
	if (x->nscopes == 1)
		logic_note_missing(x, n->pathstr);
	return n->nargs > 1 ? n->args[1]->lit : LV_NULLV;
}

/* The common case: {"var": "a.b.c"}, or with a literal default, read from
 * the facts. When every step finds its key where the path last found it,
 * this touches one entry per step and calls nothing; anything else goes on
 * in logic_var_slow(). */
const struct lval *logic_ev_var_static(struct logic_ctx *x, const struct lnode *n)
{
	return var_fast(x, n);
}

const struct lval *logic_ev_var_slot(struct logic_ctx *x, const struct lnode *n)
{
	return var_slot(x, n);
}

/* A bound fact that is absent (v NULL) or null: noted as missing, as
 * logic_var_slow does at the root scope, where every slot is read. */
__attribute__((noinline)) const struct lval *logic_slot_miss(struct logic_ctx *x, const struct lnode *n,
                                                             const struct lval *v)
{
	logic_note_missing(x, n->pathstr);
	if (v)
		return v;
	return n->nargs > 1 ? n->args[1]->lit : LV_NULLV;
}

const struct lval *logic_ev_cmp2(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *a, *b;

	if (!(a = eval(x, n->args[0])) || !(b = eval(x, n->args[1])))
		return NULL;
	return cmp_vals(x, n->op, a, b);
}

/* A fact of a bound set read for its parent n, which holds the slot; var is
 * the var node, for its path and default when the fact is absent or null. */
static inline const struct lval *fact(struct logic_ctx *x, int32_t slot, const struct lnode *var)
{
	const struct lval *v = x->slots[slot];

	if (v && v->type != LV_NULL)
		return v;
	return logic_slot_miss(x, var, v);
}

/* {"op": [fact, literal]}, the commonest check of all: the fact read by slot,
 * and when it has the literal's type the answer is computed here; anything
 * else takes cmp_vals, so the result is the same either way. */
const struct lval *logic_ev_cmp_fact_lit(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *a, *b = n->lit;

	if (!x->slots)
		return logic_ev_cmp2(x, n);
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
const struct lval *logic_ev_in_fact_lit(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots)
		return logic_ev_in(x, n);
	v = fact(x, n->slot, n->args[0]);
	if (n->sset && v->type == LV_STR)
		return LV_BOOLV(strset_has(n->sset, v));
	return logic_in_vals(x, v, n->lit);
}

/* {"in": [literal, fact]}: a string looked for in a fact's string or list. */
const struct lval *logic_ev_in_lit_fact(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots || !(v = x->slots[n->slot]) || v->type == LV_NULL)
		return logic_ev_in(x, n);
	return logic_in_vals(x, n->lit, v);
}

/* {"<": [lo, fact, hi]} and {"<=": …} with numbers for bounds: a fact
 * that is a number is placed here; anything else as logic_ev_compare places it. */
static inline int between(uint8_t op, double lo, double d, double hi)
{
	return op == OP_LT ? lo < d && d < hi : lo <= d && d <= hi;
}

const struct lval *logic_ev_between_fact(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *v;

	if (!x->slots || !(v = x->slots[n->slot]) || v->type != LV_NUM || v->u.num != v->u.num)
		return logic_ev_compare(x, n);
	return LV_BOOLV(between(n->op, n->args[0]->lit->u.num, v->u.num, n->args[2]->lit->u.num));
}

/* all/some/none whose expression compares the item itself with a literal, or
 * looks the item up in a literal list — the usual shape of a policy check
 * ("every region is JP", "no algorithm is 3DES"): no scope, no calls per item. */
const struct lval *logic_ev_quant_fast(struct logic_ctx *x, const struct lnode *n)
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
			else if (!(r = lit_first ? logic_in_vals(x, lit, v) : logic_in_vals(x, v, lit)))
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
const struct lval *logic_ev_var_self(struct logic_ctx *x, const struct lnode *n)
{
	(void)n;
	return x->scopes[x->nscopes - 1].data;
}
