/* The operator table: one row per node kind says everything the engine
 * knows of it — its name, how it takes its arguments and how many, what it
 * reads, whether it folds, its compile hook, its general evaluator and the
 * hook that picks a specialised form for a node's shape. Adding an operator
 * is one row of logic_ops.def, made into this table. */
#include "logic/logic_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- compile hooks */

static int compile_var(struct compiler *c, struct lnode *n, struct lnode **out)
{
	(void)out;
	n->path = logic_static_path(c, OP_VAR, n->args, n->nargs ? 1 : 0);
	if (n->nargs && is_literal(n->args[0]) && n->args[0]->lit->type == LV_STR) {
		n->pathstr = n->args[0]->lit->u.str;
	} else if (n->nargs && is_literal(n->args[0]) && n->args[0]->lit->type == LV_NUM) {
		char num[32];
		size_t k = lval_num_format(n->args[0]->lit->u.num, num);

		n->pathstr = arena_strndup(c->a, num, k);
	}
	if (c->set && !c->body && n->path && n->pathstr && n->path->n &&
	    (n->nargs == 1 || (n->nargs == 2 && is_literal(n->args[1]))))
		n->slot = logic_set_slot(c, n->path);
	return OK;
}

static int compile_path(struct compiler *c, struct lnode *n, struct lnode **out)
{
	(void)out;
	n->path = logic_static_path(c, n->op, n->args, n->nargs);
	return OK;
}

static int compile_missing(struct compiler *c, struct lnode *n, struct lnode **out)
{
	(void)out;
	logic_missing_paths(c, n);
	if (n->mpaths)
		logic_missing_slots(c, n, n->mkeys->n);
	return OK;
}

static int compile_missing_some(struct compiler *c, struct lnode *n, struct lnode **out)
{
	const struct lval *opts;
	size_t i;

	(void)out;
	if (!is_literal(n->args[1]) || n->args[1]->lit->type != LV_ARR)
		return OK;
	opts = n->args[1]->lit;
	for (i = 0; i < opts->n && opts->u.arr[i]->type == LV_STR; i++)
		;
	if (i < opts->n)
		return OK;
	n->mpaths = arena_alloc(c->a, (opts->n ? opts->n : 1) * sizeof(*n->mpaths));
	for (i = 0; i < opts->n; i++)
		n->mpaths[i] = logic_path_split(c->a, opts->u.arr[i]->u.str, opts->u.arr[i]->n);
	logic_missing_slots(c, n, opts->n);
	return OK;
}

/* map, filter, reduce, all, some, none. */
static int compile_iter(struct compiler *c, struct lnode *n, struct lnode **out)
{
	if (is_literal(n->args[0]) && n->args[0]->lit->type != LV_ARR)
		return logic_invalid(c, out, "the first argument must be a list");
	/* map and filter of a null expression are refused (community suites);
	 * reduce, all, some and none take it as a value */
	if ((n->op == OP_MAP || n->op == OP_FILTER) && is_literal(n->args[1]) &&
	    n->args[1]->lit->type == LV_NULL)
		return logic_invalid(c, out, "the expression must not be null");
	return OK;
}

/* ---------------------------------------------------------------- shapes */

/* Patterns common in policies get a function of their own once compiled:
 * a fact read by slot or by a remembered path, a comparison or an "in" of a
 * bound fact with a literal (the parent keeps the fact's slot and the
 * literal, so evaluating it reads no child node), a quantifier over a
 * literal test of the item. */

static evalfn shape_var(struct compiler *c, struct lnode *n)
{
	(void)c;
	if (n->slot >= 0)
		return logic_ev_var_slot;
	if (n->path && n->pathstr && n->path->n &&
	    (n->nargs == 1 || (n->nargs == 2 && n->args[1]->op == OP_LIT)))
		return logic_ev_var_static;
	if (n->path && n->path->n == 0 && n->nargs == 1)
		return logic_ev_var_self;
	return logic_ev_var;
}

static evalfn shape_compare(struct compiler *c, struct lnode *n)
{
	(void)c;
	if (n->spread)
		return logic_ev_compare;
	if (n->nargs == 3 && (n->op == OP_LT || n->op == OP_LE) &&
	    n->args[1]->fn == logic_ev_var_slot &&
	    n->args[0]->op == OP_LIT && n->args[0]->lit->type == LV_NUM &&
	    n->args[2]->op == OP_LIT && n->args[2]->lit->type == LV_NUM &&
	    n->args[0]->lit->u.num == n->args[0]->lit->u.num &&
	    n->args[2]->lit->u.num == n->args[2]->lit->u.num) {
		n->slot = n->args[1]->slot;
		return logic_ev_between_fact;
	}
	if (n->nargs != 2)
		return logic_ev_compare;
	if (n->args[0]->fn == logic_ev_var_slot && n->args[1]->op == OP_LIT) {
		n->slot = n->args[0]->slot;
		n->lit = n->args[1]->lit;
		return logic_ev_cmp_fact_lit;
	}
	return logic_ev_cmp2;
}

static evalfn shape_in(struct compiler *c, struct lnode *n)
{
	evalfn fn = logic_ev_in;

	if (n->spread || n->nargs != 2)
		return fn;
	if (n->args[0]->op == OP_LIT && n->args[0]->lit->type == LV_STR &&
	    n->args[1]->fn == logic_ev_var_slot) {
		n->slot = n->args[1]->slot;
		n->lit = n->args[0]->lit;
		fn = logic_ev_in_lit_fact;
	} else if (n->args[0]->fn == logic_ev_var_slot && n->args[1]->op == OP_LIT) {
		n->slot = n->args[0]->slot;
		n->lit = n->args[1]->lit;
		fn = logic_ev_in_fact_lit;
	}
	if (n->args[1]->op == OP_LIT)
		n->sset = logic_strset_new(c->a, n->args[1]->lit);
	return fn;
}

/* all/some/none whose expression compares the item itself with a literal,
 * or looks it up in a literal list (or a literal in it). */
static evalfn shape_quant(struct compiler *c, struct lnode *n)
{
	const struct lnode *body;

	(void)c;
	if (n->nargs != 2 || n->spread)
		return logic_ev_iterate;
	body = n->args[1];
	if (body->nargs != 2 || body->spread)
		return logic_ev_iterate;
	if (body->args[0]->fn == logic_ev_var_self && body->args[1]->op == OP_LIT &&
	    (body->fn == logic_ev_cmp2 || body->op == OP_IN))
		return logic_ev_quant_fast;
	if (body->op == OP_IN && body->args[0]->op == OP_LIT && body->args[1]->fn == logic_ev_var_self)
		return logic_ev_quant_fast;
	return logic_ev_iterate;
}

/* ---------------------------------------------------------------- the table */

#define CMP(nm) .name = nm, .form = AF_ARRAY, .min = 2, .max = -1, .fold = 1, \
	.eval = logic_ev_compare, .shape = shape_compare, .tri = logic_tri_compare
#define ARITH(nm, lo) .name = nm, .form = AF_SPREAD, .min = lo, .max = -1, .fold = 1, \
	.eval = logic_ev_arith, .tri = logic_tri_strict
#define ITER(nm, sh) .name = nm, .form = AF_ARRAY, .min = 2, .max = -1, \
	.arity = "needs a list and an expression", .fold = 1, .scope = SCOPE_ITEM, \
	.compile = compile_iter, .eval = logic_ev_iterate, .shape = sh, .tri = logic_tri_iterate

const struct logic_kind logic_kinds[] = {
#define LOGIC_OP(k, ...) [OP_##k] = { __VA_ARGS__ },
#include "logic/logic_ops.def"
#undef LOGIC_OP
};

/* The table and the enum come from one list: a row for every kind. */
_Static_assert(sizeof(logic_kinds) / sizeof(logic_kinds[0]) == NK_COUNT,
               "logic_kinds must have a row for every node kind (logic_ops.def)");

const char *const logic_kind_names[NK_COUNT] = {
#define LOGIC_OP(k, ...) "OP_" #k,
#include "logic/logic_ops.def"
#undef LOGIC_OP
};

int logic_kind_find(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NK_COUNT; i++) {
		const struct logic_kind *k = &logic_kinds[i];

		if (k->name && strlen(k->name) == n && !memcmp(k->name, name, n))
			return (int)i;
		if (k->alias && strlen(k->alias) == n && !memcmp(k->alias, name, n))
			return (int)i;
	}
	return -1;
}

const char *logic_kinds_missing(const struct logic_kind *t, size_t n)
{
	size_t i;

	for (i = 0; i < NK_COUNT; i++) {
		/* a row left out in the middle is all zeros: no evaluator (plain or
		 * three-valued) */
		if (i >= n || !t[i].eval || !t[i].tri)
			return logic_kind_names[i];
		/* a constant is computed from its arguments alone */
		if (t[i].fold && t[i].reads != READS_NOTHING)
			return logic_kind_names[i];
	}
	return NULL;
}

static void kinds_check_once(void)
{
	const char *bad = logic_kinds_missing(logic_kinds, NK_COUNT);

	if (bad) {
		fprintf(stderr, "shinsa: logic: node kind %s has no sound row in logic_kinds\n", bad);
		abort();
	}
}

void logic_kinds_check(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, kinds_check_once);
}

/* At start-up, before main: a program that links the engine stops at once
 * on a kind without a sound row, not at its first compile. */
__attribute__((constructor)) static void kinds_check_at_start(void)
{
	logic_kinds_check();
}
