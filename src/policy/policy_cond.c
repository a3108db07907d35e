/* Condition analysis: a pack's when/check conditions are checked against
 * the vocabulary where they are written (each var/val/missing path at its
 * own line and column), compiled with the set's logic environment, and read
 * for what the assessment needs to know of them: the facts they read and
 * whether a true answer could be undone by a fact that is still missing. */
#include "policy/policy_int.h"

#include <string.h>

#include "core/fmt.h"

/* {"var": "param.NAME"}: a parameter of the criterion whose check this is
 * (policy_levels.c). 1 when p is such a path (an error when NAME is not one
 * of its params, or outside a check); 0 when it is not a param path. */
static int param_path(struct ld *l, const struct ynode *p)
{
	int k = policy_param_known(l->params_of, p->str, p->len);

	if (k < 0)
		return 0;
	if (k == 0)
		ERR_AT(l, p, "'%1$s' はこの項目の params にありません（params は 'check' で読みます） / "
		       "'%1$s' is not a parameter of this criterion (params are read in 'check')", p->str);
	return 1;
}

/* Check var/val/missing paths against the vocabulary and operator names,
 * with the position of each. Inside an iteration's expression paths are
 * relative to a list item and are not facts. */
static void walk_rule(struct ld *l, const struct ynode *y, int in_iter)
{
	static const char *const iters[] = { "all", "some", "none", "map", "filter", "reduce", NULL };
	const struct policy_vocab *v = l->set ? l->set->vocab : NULL;
	const struct ynode *k, *arg;
	size_t i;

	if (y->kind == YN_SEQ) {
		for (i = 0; i < y->n; i++)
			walk_rule(l, y->items[i], in_iter);
		return;
	}
	if (y->kind != YN_MAP || y->n != 1)
		return;             /* a literal, or an object of data */
	k = y->items[0];
	arg = y->items[1];
	if (!logic_op_known_env(policy_set_env(l->set), k->str, k->len)) {
		ERR_AT(l, k, "演算子 '%1$s' はありません / unknown operator '%1$s'", k->str);
		return;
	}
	if (!strcmp(k->str, "preserve"))
		return;
	if (v && !in_iter && (!strcmp(k->str, "var") || !strcmp(k->str, "missing") ||
	                      !strcmp(k->str, "missing_some"))) {
		const struct ynode *const *paths = &arg;
		size_t np = 1;

		if (!strcmp(k->str, "missing_some")) {
			if (arg->kind == YN_SEQ && arg->n == 2 && arg->items[1]->kind == YN_SEQ) {
				paths = (const struct ynode *const *)arg->items[1]->items;
				np = arg->items[1]->n;
			} else {
				np = 0;
			}
		} else if (arg->kind == YN_SEQ) {
			paths = (const struct ynode *const *)arg->items;
			np = !strcmp(k->str, "var") ? (arg->n ? 1 : 0) : arg->n;
		}
		for (i = 0; i < np; i++) {
			const struct ynode *p = paths[i];

			if (p->kind != YN_SCALAR || ynode_is_null(p) || p->len == 0)
				continue;
			if (param_path(l, p))
				continue;
			if (!policy_vocab_has_prefix(v, p->str, p->len))
				ERR_AT(l, p, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", p->str);
		}
	}
	if (v && !in_iter && (!strcmp(k->str, "val") || !strcmp(k->str, "exists"))) {
		char path[512];
		size_t len = 0, first = 0;

		if (arg->kind == YN_SEQ && arg->n && arg->items[0]->kind == YN_SEQ)
			first = arg->n;      /* a scope climb: not the facts */
		if (arg->kind == YN_SCALAR && arg->len) {
			if (!policy_vocab_has_prefix(v, arg->str, arg->len))
				ERR_AT(l, arg, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", arg->str);
		} else if (arg->kind == YN_SEQ && first < arg->n) {
			for (i = 0; i < arg->n && len < sizeof(path) - 1; i++) {
				const struct ynode *p = arg->items[i];
				int w;

				if (p->kind != YN_SCALAR)
					return;
				w = fmt_snprintf(path + len, sizeof(path) - len, "%s%s", i ? "." : "", p->str);
				if (w < 0 || (size_t)w >= sizeof(path) - len)
					return;
				len += (size_t)w;
			}
			if (len && !policy_vocab_has_prefix(v, path, len))
				ERR_AT(l, arg, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", path);
		}
	}
	if (policy_str_in(k->str, iters) && arg->kind == YN_SEQ) {
		for (i = 0; i < arg->n; i++)
			walk_rule(l, arg->items[i], in_iter || i > 0);
		return;
	}
	walk_rule(l, arg, in_iter);
}

static void add_path(struct ld *l, struct policy_cond *c, const char *path, size_t *cap)
{
	size_t i;

	if (!*path || !strncmp(path, "param.", 6))
		return;             /* a parameter is the pack's value, not a fact */
	for (i = 0; i < c->npaths; i++)
		if (!strcmp(c->paths[i], path))
			return;
	if (c->npaths == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;

		c->paths = arena_realloc(l->a, c->paths, *cap * sizeof(*c->paths), ncap * sizeof(*c->paths));
		*cap = ncap;
	}
	c->paths[c->npaths++] = path;
}

/* The facts a condition reads, and whether it is free of negation. */
static void cond_paths(struct ld *l, struct policy_cond *c, const struct lval *v, int in_iter, size_t *cap)
{
	static const char *const iters[] = { "all", "some", "none", "map", "filter", "reduce", NULL };
	static const char *const negs[] = { "!", "!=", "!==", "none", "missing", "missing_some", NULL };
	const char *op;
	const struct lval *arg;
	size_t i;

	if (v->type == LV_ARR) {
		for (i = 0; i < v->n; i++)
			cond_paths(l, c, v->u.arr[i], in_iter, cap);
		return;
	}
	if (v->type != LV_OBJ || v->n != 1)
		return;
	op = lval_obj_key(v, 0);
	arg = lval_obj_val(v, 0);
	if (policy_str_in(op, negs))
		c->positive = 0;
	if (!strcmp(op, "preserve"))
		return;
	if (!in_iter && !strcmp(op, "var")) {
		const struct lval *k = arg->type == LV_ARR ? (arg->n ? arg->u.arr[0] : NULL) : arg;

		if (k && k->type == LV_STR)
			add_path(l, c, k->u.str, cap);
	}
	if (!in_iter && (!strcmp(op, "missing") || !strcmp(op, "missing_some"))) {
		const struct lval *keys = arg;

		if (!strcmp(op, "missing_some") && arg->type == LV_ARR && arg->n == 2)
			keys = arg->u.arr[1];
		if (keys->type == LV_ARR)
			for (i = 0; i < keys->n; i++)
				if (keys->u.arr[i]->type == LV_STR)
					add_path(l, c, keys->u.arr[i]->u.str, cap);
	}
	if (policy_str_in(op, iters) && arg->type == LV_ARR) {
		for (i = 0; i < arg->n; i++)
			cond_paths(l, c, arg->u.arr[i], in_iter || i > 0, cap);
		return;
	}
	cond_paths(l, c, arg, in_iter, cap);
}

int policy_cond_load(struct ld *l, const struct ynode *y, struct policy_cond *c)
{
	struct err e;
	size_t before = l->errors;
	int rc;

	c->at = policy_ld_pos(y);
	c->json = ynode_to_lval(l->a, y);
	walk_rule(l, y, 0);
	if (l->errors != before)
		return ERR_INVALID;
	rc = logic_compile_env(l->a, c->json, NULL, 0, policy_set_env(l->set), &c->rule, &e);
	if (rc) {
		ERR_AT(l, y, "JsonLogic の誤り / invalid JsonLogic: %s", e.msg);
		return rc;
	}
	{
		size_t cap = 0;

		c->positive = 1;
		cond_paths(l, c, c->json, 0, &cap);
	}
	return OK;
}

