/* Batches: one rule over up to LOGIC_BATCH bound documents in one walk of
 * its tree, each node doing its work for every lane that reaches it. */
#include "logic/logic_int.h"


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
 * answered here as logic_ev_cmp_fact_lit answers it, any other (absent, null,
 * another type) by logic_ev_cmp_fact_lit itself. */
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
			out[k] = logic_ev_cmp_fact_lit(&b->x[k], n);
		else if (here == LV_NUM)
			out[k] = cmp_nums(n->op, v->u.num, lit->u.num);
		else if (here == LV_STR)
			out[k] = LV_BOOLV(lval_str_eq(v, lit) == same);
		else
			out[k] = LV_BOOLV((v->b == lit->b) == same);
	}
}

/* logic_ev_quant_fast over the lanes, on a list read by slot: items that are
 * strings looked up in a literal list, or of the literal's type compared
 * with it, are decided here; a lane with anything else (no list, an item
 * of another type) is evaluated by logic_ev_quant_fast from the start, which
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
					t = logic_str_contains(v->u.str, v->n, lit->u.str, lit->n);
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
		out[k] = logic_ev_quant_fast(&b->x[k], n);
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
	} else if (fn == logic_ev_var_slot) {
		size_t S = b->stride;
		int32_t slot = n->slot;

		for (j = 0; j < ns; j++) {
			lane_t k = sel[j];
			const struct lval *v = b->vals[k * S + (size_t)slot];

			out[k] = v && v->type != LV_NULL ? v : logic_slot_miss(&b->x[k], n, v);
		}
	} else if (fn == logic_ev_cmp_fact_lit) {
		veval_cmp_fact_lit(b, n, sel, ns, out);
	} else if (fn == logic_ev_in_fact_lit) {
		for (j = 0; j < ns; j++)
			out[sel[j]] = logic_ev_in_fact_lit(&b->x[sel[j]], n);
	} else if (fn == logic_ev_quant_fast && n->args[0]->fn == logic_ev_var_slot) {
		veval_quant(b, n, sel, ns, out);
	} else if (fn == logic_ev_andor && !n->spread) {
		veval_andor(b, n, sel, ns, out);
	} else if (fn == logic_ev_if && !n->spread) {
		veval_if(b, n, sel, ns, out);
	} else if (fn == logic_ev_not) {
		veval_not(b, n, sel, ns, out);
	} else if (fn == logic_ev_cmp2) {
		veval_cmp2(b, n, sel, ns, out);
	} else {
		for (j = 0; j < ns; j++)
			out[sel[j]] = fn(&b->x[sel[j]], n);
	}
}

struct logic_batch *logic_batch_new(struct arena *a, const struct logic_set *s)
{
	struct logic_batch *b = arena_zalloc(a, sizeof(*b));

	logic_batch_setup(b, a, s, LOGIC_BATCH);
	return b;
}

void logic_batch_bind(struct logic_batch *b, const struct lval *const *docs, size_t n,
                      struct arena *a)
{
	logic_batch_bind_docs(b, docs, n, a);
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
		logic_ctx_reset(&b->x[k], a, b->docs[k], b->vals + k * S);
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
	struct logic_ctx *x = &b->x[k];
	uint64_t bit = (uint64_t)1 << k;

	memset(res, 0, sizeof(*res));
	if (k >= b->n)
		return;
	res->value = b->out[k];
	if (!(b->more & bit))
		return;
	if (!(b->full & bit)) {
		/* evaluated quietly: again, alone, keeping everything */
		logic_ctx_reset(x, b->a, b->docs[k], b->vals + k * b->stride);
		x->used = &b->dirty;
		x->more = &b->more;
		x->bit = bit;
		b->dirty |= bit;   /* set up again, in the batch's mode, before the next rule */
		(void)eval(x, b->set->rules[b->rule]->root);   /* the same value, or throw */
		b->full |= bit;
	}
	res->error = b->out[k] ? NULL : logic_error_value(x);
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

/* The batch's quiet walk gives every lane's plain value; a lane that read
 * no missing fact has its three-valued answer there (as logic_eval3's own
 * plain first pass), and only the others are walked three-valued. */
size_t logic_batch_eval3(struct logic_batch *b, size_t i, struct arena *a,
                         struct logic_result3 *out)
{
	const struct lval *const *vals;
	const struct lnode *root = b->set->rules[i]->root;
	uint64_t more;
	size_t k, thrown = 0;

	vals = logic_batch_values(b, i, a, &more);
	for (k = 0; k < b->n; k++) {
		struct logic_result res;

		memset(&out[k], 0, sizeof(out[k]));
		if (more >> k & 1) {
			logic_batch_result(b, k, &res);
			if (res.nmissing) {
				thrown += logic_eval3_root(root, b->docs[k], b->vals + k * b->stride, a, 1,
				                           &out[k], NULL) != OK;
				continue;
			}
			out[k].error = res.error;
			out[k].notes = res.notes;
			out[k].nnotes = res.nnotes;
		}
		out[k].value = vals[k];
		if (!vals[k]) {
			out[k].truth = LOGIC_UNKNOWN;
			thrown++;
			continue;
		}
		out[k].truth = lval_truthy(vals[k]) ? LOGIC_TRUE : LOGIC_FALSE;
	}
	return thrown;
}
