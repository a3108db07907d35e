/* Three-valued evaluation (DESIGN §2.2): the compiled rule walked with a
 * missing fact (absent or null at the document's scope) taken as unknown,
 * by Kleene's rules, beside the plain evaluator that `shinsa logic eval` and
 * the conformance suites use. Each kind's rule is its row's .tri
 * (logic_ops.c); where every operand is known, the node's plain evaluator
 * computes the value, so the two never disagree on what they both know.
 * docs/jsonlogic.md ("Three-valued evaluation") is the table of the rules.
 *
 * What an unknown stands for: any value an answer could give the fact
 * (never null: null is unanswered). A true or false answer holds for every
 * such answer under which the plain evaluation does not throw; an answer
 * that would throw (a string where a number is compared) is foreseen only
 * where it matters, inside try, by thr. */
#include "logic/logic_int.h"
#include "core/buf.h"
#include "core/fmt.h"

#include <string.h>

/* ---------------------------------------------------------------- values */

static struct tv tv_val(const struct lval *v)
{
	return (struct tv){ .v = v, .k = TV_VAL };
}

static struct tv tv_err(void)
{
	return (struct tv){ .k = TV_ERR };
}

static struct tv tv_unk(const struct tdeps *d, uint8_t truth, int nonnull, const struct tdeps *thr)
{
	return (struct tv){ .d = d, .k = TV_UNK, .truth = truth, .nonnull = (uint8_t)nonnull,
	                    .thr = thr };
}

/* The truthiness of t (not TV_ERR): a value's, or what is known of an
 * unknown's (a list of known length is true when it has items). */
static uint8_t truth_of(const struct tv *t)
{
	if (t->k == TV_VAL)
		return lval_truthy(t->v) ? LOGIC_TRUE : LOGIC_FALSE;
	return t->truth;
}

static int never_null(const struct tv *t)
{
	return t->k == TV_VAL ? t->v->type != LV_NULL : t->k == TV_UNK && t->nonnull;
}

static const struct tdeps *deps_one(struct arena *a, const char *path)
{
	struct tdeps *d = arena_alloc(a, sizeof(*d) + sizeof(d->p[0]));

	d->n = 1;
	d->p[0] = path;
	return d;
}

static int deps_has(const struct tdeps *d, const char *p)
{
	uint32_t i;

	for (i = 0; i < d->n; i++)
		if (d->p[i] == p || !strcmp(d->p[i], p))
			return 1;
	return 0;
}

/* a's paths, then b's that a lacks. */
static const struct tdeps *deps_union(struct arena *a, const struct tdeps *x, const struct tdeps *y)
{
	struct tdeps *d;
	uint32_t i, extra = 0;

	if (!x || x == y)
		return y ? y : x;
	if (!y)
		return x;
	for (i = 0; i < y->n; i++)
		extra += !deps_has(x, y->p[i]);
	if (!extra)
		return x;
	d = arena_alloc(a, sizeof(*d) + (x->n + extra) * sizeof(d->p[0]));
	memcpy(d->p, x->p, x->n * sizeof(d->p[0]));
	d->n = x->n;
	for (i = 0; i < y->n; i++)
		if (!deps_has(x, y->p[i]))
			d->p[d->n++] = y->p[i];
	return d;
}

/* ---------------------------------------------------------------- dispatch */

static inline struct tv tri(struct logic_ctx *x, const struct lnode *n)
{
	if (n->op == OP_LIT)
		return tv_val(n->lit);
	return logic_kinds[n->op].tri(x, n);
}

struct tv logic_tri_lit(struct logic_ctx *x, const struct lnode *n)
{
	(void)x;
	return tv_val(n->lit);
}

/* The plain evaluator, for a node that reads no fact (or reads facts only
 * to say which are absent, as missing does) or throws before it reads. */
struct tv logic_tri_plain(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *v = eval(x, n);

	return v ? tv_val(v) : tv_err();
}

/* n's plain evaluator on known operands: a copy of n whose first k
 * arguments are the literals vals[0..k). The general evaluator of the kind,
 * never a specialised form (which would read the facts by slot again). */
static struct tv apply(struct logic_ctx *x, const struct lnode *n, const struct lval *const *vals,
                       size_t k)
{
	struct lnode syn = *n, lit_small[4], *lits = lit_small, *argv_small[4], **argv = argv_small;
	const struct lval *v;
	size_t i;

	if (k > 4) {
		lits = arena_alloc(x->a, k * sizeof(*lits));
		argv = arena_alloc(x->a, k * sizeof(*argv));
	}
	for (i = 0; i < k; i++) {
		memset(&lits[i], 0, sizeof(lits[i]));
		lits[i].op = OP_LIT;
		lits[i].fn = logic_ev_lit;
		lits[i].lit = vals[i];
		lits[i].slot = -1;
		argv[i] = &lits[i];
	}
	syn.args = argv;
	syn.nargs = (uint32_t)k;
	syn.fn = logic_kinds[n->op].eval;
	syn.slot = -1;
	v = syn.fn(x, &syn);
	return v ? tv_val(v) : tv_err();
}

/* Evaluate n's arguments [0, k) into vals (TV_VAL each), in order, as the
 * plain evaluator does. Returns TV_VAL when all are known, TV_ERR at the
 * first that throws (certain: the plain evaluation reaches it whatever the
 * facts), else TV_UNK with the unknown ones' facts. */
static struct tv args_known(struct logic_ctx *x, const struct lnode *n, size_t k,
                            const struct lval **vals)
{
	struct tv r = tv_val(NULL);
	size_t i;

	for (i = 0; i < k; i++) {
		struct tv t = tri(x, n->args[i]);

		if (t.k == TV_ERR)
			return t;
		r.thr = deps_union(x->a, r.thr, t.thr);
		if (t.k == TV_UNK) {
			r.k = TV_UNK;
			r.d = deps_union(x->a, r.d, t.d);
		} else {
			vals[i] = t.v;
		}
	}
	return r;
}

/* Does kind op always give a value other than null (on known operands)? */
static int gives_nonnull(uint8_t op)
{
	return op != OP_PROJECT && op != OP_REDUCE && op != OP_VAL && op != OP_VAR;
}

/* Every operator whose value is computed from all its operands' values
 * (arithmetic, cat, substr, missing, exists, project operators): unknown
 * when an operand is; else the plain evaluator's answer. */
struct tv logic_tri_strict(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *small[8], **vals = small;
	size_t k = n->spread ? 1 : n->op == OP_MISSING_SOME ? 2 : n->nargs, i;
	struct tv r;

	for (i = 0; i < k && is_literal(n->args[i]); i++)
		;
	if (i == k)
		return logic_tri_plain(x, n);
	if (k > 8)
		vals = arena_alloc(x->a, k * sizeof(*vals));
	r = args_known(x, n, k, vals);
	if (r.k == TV_ERR)
		return r;
	if (r.k == TV_UNK)
		return tv_unk(r.d, LOGIC_UNKNOWN, gives_nonnull(n->op), deps_union(x->a, r.d, r.thr));
	if (n->spread) {
		/* a spread's value is the argument list: the general evaluator takes
		 * it as one literal argument */
		struct tv t = apply(x, n, vals, 1);

		t.thr = deps_union(x->a, t.thr, r.thr);
		return t;
	}
	{
		struct tv t = apply(x, n, vals, k);

		t.thr = r.thr;
		return t;
	}
}

/* A project operator's call: its own three-valued rule when it registers
 * one (shinsa.at_least: true once K operands are known true, false once
 * fewer than K could be), else logic_tri_strict's. */
struct tv logic_tri_project(struct logic_ctx *x, const struct lnode *n)
{
	const struct logic_project_op *op = n->proj->op;
	const struct lval *small[8], **vals = small;
	unsigned char tsmall[8], *truth = tsmall;
	const struct tdeps *d = NULL, *mt = NULL;
	size_t i, k = n->nargs;
	int unk = 0, t;

	if (!op->eval3 || n->spread)
		return logic_tri_strict(x, n);
	if (k > 8) {
		vals = arena_alloc(x->a, k * sizeof(*vals));
		truth = arena_alloc(x->a, k);
	}
	for (i = 0; i < k; i++) {
		struct tv a = tri(x, n->args[i]);

		if (a.k == TV_ERR)
			return unk ? tv_unk(d, LOGIC_UNKNOWN, 0, deps_union(x->a, d, mt)) : a;
		mt = deps_union(x->a, mt, a.thr);
		truth[i] = truth_of(&a);
		vals[i] = a.k == TV_VAL ? a.v : NULL;
		if (a.k == TV_UNK) {
			unk = 1;
			d = deps_union(x->a, d, a.d);
		}
	}
	if (!unk) {
		struct tv r = apply(x, n, vals, k);

		r.thr = mt;
		return r;
	}
	t = op->eval3(n->proj->state, vals, truth, k);
	if (t == LOGIC_TRUE || t == LOGIC_FALSE) {
		struct tv r = tv_val(LV_BOOLV(t == LOGIC_TRUE));

		r.thr = mt;
		return r;
	}
	return tv_unk(d, LOGIC_UNKNOWN, 0, deps_union(x->a, d, mt));
}

/* ---------------------------------------------------------------- facts */

/* Walk p from data as the plain evaluator does: NULL when a step finds
 * nothing, and a null on the way ends the walk with nothing. */
static const struct lval *walk(struct logic_ctx *x, const struct lval *cur, const struct lpath *p)
{
	uint32_t i;

	for (i = 0; i < p->n; i++) {
		if (cur->type == LV_NULL)
			return NULL;
		if (!(cur = logic_step(x, cur, p, i)))
			return NULL;
	}
	return cur;
}

static const char *join_path(struct arena *a, const struct lpath *p)
{
	struct buf b = BUF_INIT;
	const char *s;
	uint32_t i;

	for (i = 0; i < p->n; i++) {
		if (i)
			buf_addc(&b, '.');
		buf_add(&b, p->keys[i], p->klen[i]);
	}
	s = buf_error(&b) ? "" : arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* A fact missing at the document's scope: noted, as the plain evaluator
 * notes it, and unknown (an answer is never null). */
static struct tv missing_fact(struct logic_ctx *x, const char *path)
{
	logic_note_missing(x, path);
	return tv_unk(deps_one(x->a, path), LOGIC_UNKNOWN, 1, 0);
}

/* var: a fact of the document that is absent or null is unknown, or its
 * default when it has one (the rule's author said what to assume, and a
 * null fact is as unanswered as an absent one). Inside an iteration the
 * item is read as the plain evaluator reads it. */
struct tv logic_tri_var(struct logic_ctx *x, const struct lnode *n)
{
	const struct lpath *p = n->path;
	const char *ps = n->pathstr;
	const struct lval *r;

	if (n->nargs == 0)
		return tv_val(x->scopes[x->nscopes - 1].data);
	if (!p) {
		struct tv k = tri(x, n->args[0]);
		struct buf b = BUF_INIT;

		if (k.k != TV_VAL)
			return k.k == TV_ERR ? k : tv_unk(k.d, LOGIC_UNKNOWN, 0, k.thr);
		if (!(p = logic_dynamic_path(x, OP_VAR, &k.v, 1)))
			return tv_val(LV_NULLV);
		if (lval_to_string(&b, k.v) == OK)
			ps = arena_strndup(x->a, buf_str(&b), b.len);
		buf_free(&b);
	}
	if (x->nscopes == 1 && p->n) {
		if (n->slot >= 0 && x->slots)
			r = x->slots[n->slot];
		else
			r = walk(x, x->scopes[0].data, p);
		if (r && r->type != LV_NULL)
			return tv_val(r);
		if (n->nargs > 1) {
			logic_note_missing(x, ps ? ps : join_path(x->a, p));
			return tri(x, n->args[1]);
		}
		return missing_fact(x, ps ? ps : join_path(x->a, p));
	}
	r = walk(x, x->scopes[x->nscopes - 1].data, p);
	if (r)
		return tv_val(r);
	return n->nargs > 1 ? tri(x, n->args[1]) : tv_val(LV_NULLV);
}

/* val: as var, without a default; a climb to the document's scope reads
 * the facts (unknown when missing), one to an iteration's reads its item. */
struct tv logic_tri_val(struct logic_ctx *x, const struct lnode *n)
{
	const struct lpath *p = n->path;
	const struct lval *r, *data;
	size_t top = x->nscopes - 1, at = top;

	if (!p) {
		const struct lval *small[8], **vals = small;
		struct tv k;

		if (n->nargs > 8)
			vals = arena_alloc(x->a, n->nargs * sizeof(*vals));
		k = args_known(x, n, n->nargs, vals);
		if (k.k != TV_VAL)
			return k.k == TV_ERR ? k : tv_unk(k.d, LOGIC_UNKNOWN, 0, k.thr);
		if (!(p = logic_dynamic_path(x, OP_VAL, vals, n->nargs)))
			return tv_val(LV_NULLV);
	}
	if (p->up) {
		at = (size_t)p->up > top ? 0 : top - (size_t)p->up;
		if (!x->scopes[at].data)
			return logic_tri_strict(x, n);   /* an iteration's metadata: {"index": i} */
	}
	data = x->scopes[at].data;
	r = walk(x, data, p);
	if (at == 0 && p->n && (!r || r->type == LV_NULL))
		return missing_fact(x, join_path(x->a, p));
	return tv_val(r ? r : LV_NULLV);
}

/* ---------------------------------------------------------------- logic */

/* What a node gives when it may give any of alts[0..n) (an if whose test is
 * unknown takes one of several branches): the value when they all give the
 * same known value, else unknown with the truth they agree on, if any.
 * d: the facts that choose among them. */
static struct tv alternatives(struct logic_ctx *x, const struct tv *alts, size_t n,
                              const struct tdeps *d, const struct tdeps *thr)
{
	struct tv r;
	uint8_t truth;
	size_t i;
	int same = alts[0].k == TV_VAL, nonnull = 1;

	if (n == 1) {
		r = alts[0];
		r.thr = deps_union(x->a, r.thr, thr);
		return r;
	}
	for (i = 0; i < n; i++) {
		thr = deps_union(x->a, thr, alts[i].thr);
		if (same && (alts[i].k != TV_VAL || !lval_deep_eq(alts[i].v, alts[0].v)))
			same = 0;
	}
	if (same) {
		r = alts[0];
		r.d = d;
		r.thr = thr;
		return r;
	}
	/* one could throw: the plain evaluation throws for some answers */
	truth = alts[0].k == TV_ERR ? LOGIC_UNKNOWN : truth_of(&alts[0]);
	for (i = 0; i < n; i++) {
		if (alts[i].k == TV_ERR || truth_of(&alts[i]) != truth)
			truth = LOGIC_UNKNOWN;
		nonnull &= never_null(&alts[i]);
		d = deps_union(x->a, d, alts[i].d);
	}
	return tv_unk(d, truth, nonnull, thr);
}

/* A growable list of alternatives, in the evaluation's arena. */
struct alts {
	struct tv small[4], *v;
	size_t n, cap;
};

static void alts_add(struct logic_ctx *x, struct alts *s, struct tv t)
{
	if (s->n == s->cap) {
		size_t cap = s->cap * 2;
		struct tv *v = arena_alloc(x->a, cap * sizeof(*v));

		memcpy(v, s->v, s->n * sizeof(*v));
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = t;
}

#define ALTS_INIT(s) do { (s).v = (s).small; (s).n = 0; (s).cap = 4; } while (0)

/* if / ?:: the branch of the first true test. A test that is unknown may go
 * either way, so its branch is one alternative and the tests after it
 * another; the answer is known when every alternative gives it. */
struct tv logic_tri_if(struct logic_ctx *x, const struct lnode *n)
{
	struct alts s;
	const struct tdeps *d = NULL;
	const struct tdeps *mt = NULL;
	size_t i;

	if (n->spread)
		return logic_tri_plain(x, n);
	ALTS_INIT(s);
	for (i = 0; i + 1 < n->nargs; i += 2) {
		struct tv c = tri(x, n->args[i]);
		uint8_t t;

		if (c.k == TV_ERR) {
			if (!s.n)
				return c;
			alts_add(x, &s, c);
			return alternatives(x, s.v, s.n, d, mt);
		}
		mt = deps_union(x->a, mt, c.thr);
		t = truth_of(&c);
		if (t == LOGIC_TRUE) {
			alts_add(x, &s, tri(x, n->args[i + 1]));
			return alternatives(x, s.v, s.n, d, mt);
		}
		if (t == LOGIC_UNKNOWN) {
			d = deps_union(x->a, d, c.d);
			alts_add(x, &s, tri(x, n->args[i + 1]));
		}
	}
	alts_add(x, &s, i < n->nargs ? tri(x, n->args[i]) : tv_val(LV_NULLV));
	return alternatives(x, s.v, s.n, d, mt);
}

/* and / or: false (for or, true) as soon as an operand is, whatever came
 * before; else unknown if an operand was; else the plain answer. The value
 * is the operand the plain evaluation stops at: known when no unknown
 * operand came before it. */
struct tv logic_tri_andor(struct logic_ctx *x, const struct lnode *n)
{
	uint8_t stop = n->op == OP_OR ? LOGIC_TRUE : LOGIC_FALSE;
	const struct tdeps *d = NULL;
	struct tv t = tv_val(LV_FALSEV);
	const struct tdeps *mt = NULL;
	int unk = 0, nonnull = 1;
	size_t i;

	if (n->spread)
		return logic_tri_plain(x, n);
	for (i = 0; i < n->nargs; i++) {
		uint8_t th;

		t = tri(x, n->args[i]);
		if (t.k == TV_ERR)
			return unk ? tv_unk(d, LOGIC_UNKNOWN, 0, deps_union(x->a, d, mt)) : t;
		mt = deps_union(x->a, mt, t.thr);
		th = truth_of(&t);
		if (th == LOGIC_UNKNOWN) {
			unk = 1;
			nonnull &= never_null(&t);
			d = deps_union(x->a, d, t.d);
			continue;
		}
		if (th == stop) {
			if (!unk) {
				t.thr = mt;
				return t;
			}
			/* decided, though by this operand or an unknown one before it */
			return tv_unk(deps_union(x->a, d, t.d), stop, nonnull && never_null(&t), mt);
		}
	}
	if (!unk) {
		t.thr = mt;
		return t;
	}
	return tv_unk(deps_union(x->a, d, t.d), LOGIC_UNKNOWN, nonnull && never_null(&t), mt);
}

/* ! and !!: of what is known of the operand's truth. */
struct tv logic_tri_not(struct logic_ctx *x, const struct lnode *n)
{
	struct tv t;
	uint8_t th;

	if (!n->nargs)
		return logic_tri_plain(x, n);
	t = tri(x, n->args[0]);
	if (t.k == TV_ERR)
		return t;
	th = truth_of(&t);
	if (th == LOGIC_UNKNOWN)
		return tv_unk(t.d, LOGIC_UNKNOWN, 1, t.thr);
	t.v = LV_BOOLV((th == LOGIC_TRUE) == (n->op == OP_NOTNOT));
	t.k = TV_VAL;
	t.l = NULL;
	return t;
}

/* ??: the first operand that is not null. An unknown one that is never null
 * (a missing fact: an answer is not null) is the answer; one that may be
 * null leaves the later operands as alternatives. */
struct tv logic_tri_coalesce(struct logic_ctx *x, const struct lnode *n)
{
	struct alts s;
	const struct tdeps *mt = NULL;
	size_t i;

	if (n->spread)
		return logic_tri_strict(x, n);
	ALTS_INIT(s);
	for (i = 0; i < n->nargs; i++) {
		struct tv t = tri(x, n->args[i]);

		if (t.k == TV_ERR) {
			if (!s.n)
				return t;
			alts_add(x, &s, t);
			return alternatives(x, s.v, s.n, NULL, mt);
		}
		mt = deps_union(x->a, mt, t.thr);
		if (t.k == TV_VAL && t.v->type == LV_NULL)
			continue;
		alts_add(x, &s, t);
		if (never_null(&t))
			return alternatives(x, s.v, s.n, NULL, mt);
	}
	alts_add(x, &s, tv_val(LV_NULLV));
	return alternatives(x, s.v, s.n, NULL, mt);
}

/* try: the first operand that does not throw. One that is unknown, or that
 * some answer could make throw, leaves the answer unknown: the catching
 * operands would see an error no one can name yet. */
struct tv logic_tri_try(struct logic_ctx *x, const struct lnode *n)
{
	struct tv t = tv_val(LV_NULLV);
	size_t i;

	for (i = 0; i < n->nargs; i++) {
		if (i == 0) {
			t = tri(x, n->args[0]);
		} else {
			push_scope(x, logic_error_value(x), 0);
			t = tri(x, n->args[i]);
			pop_scope(x);
		}
		if (t.k == TV_UNK || (t.k == TV_VAL && t.thr)) {
			const struct tdeps *d = deps_union(x->a, t.d, t.thr);

			return tv_unk(d, LOGIC_UNKNOWN, 0, d);
		}
		if (t.k == TV_VAL)
			return t;
	}
	return t;
}

/* throw of an unknown: it throws, but what it throws is unknown, so the
 * answer is unknown rather than an error that could be caught by type. */
struct tv logic_tri_throw(struct logic_ctx *x, const struct lnode *n)
{
	struct tv t = tri(x, n->args[0]);

	if (t.k == TV_ERR)
		return t;
	if (t.k == TV_UNK)
		return tv_unk(t.d, LOGIC_UNKNOWN, 0, deps_union(x->a, t.d, t.thr));
	return apply(x, n, &t.v, 1);
}

struct tv logic_tri_log(struct logic_ctx *x, const struct lnode *n)
{
	return n->nargs ? tri(x, n->args[0]) : tv_val(LV_NULLV);
}

/* Comparisons, chained as the plain evaluator chains them ({"<": [a, b,
 * c]} is a < b and b < c, stopping at the first false): a pair with an
 * unknown side is unknown, a known false pair makes the whole false. */
struct tv logic_tri_compare(struct logic_ctx *x, const struct lnode *n)
{
	const struct tdeps *d = NULL;
	struct tv a, b;
	const struct tdeps *mt;
	int unk = 0;
	size_t i;

	if (n->spread || n->nargs < 2)
		return logic_tri_plain(x, n);
	a = tri(x, n->args[0]);
	if (a.k == TV_ERR)
		return a;
	mt = a.thr;
	for (i = 1; i < n->nargs; i++) {
		b = tri(x, n->args[i]);
		if (b.k == TV_ERR)
			return unk ? tv_unk(d, LOGIC_UNKNOWN, 1, deps_union(x->a, d, mt)) : b;
		mt = deps_union(x->a, mt, b.thr);
		if (a.k == TV_UNK || b.k == TV_UNK) {
			unk = 1;
			d = deps_union(x->a, deps_union(x->a, d, a.d), b.d);
			/* strict equality never throws; the others may, on some answer */
			if (n->op != OP_SEQ && n->op != OP_SNE)
				mt = deps_union(x->a, mt, d);
		} else {
			const struct lval *pair[2] = { a.v, b.v };
			struct tv r = apply(x, n, pair, 2);

			if (r.k == TV_ERR)
				return unk ? tv_unk(d, LOGIC_UNKNOWN, 1, deps_union(x->a, d, mt)) : r;
			if (r.v == LV_FALSEV) {
				r.thr = mt;
				return r;
			}
		}
		a = b;
	}
	if (unk)
		return tv_unk(d, LOGIC_UNKNOWN, 1, mt);
	a = tv_val(LV_TRUEV);
	a.thr = mt;
	return a;
}

/* in: unknown when either side is, except a needle looked for in a list of
 * known length: found among its known items is true whatever the others. */
struct tv logic_tri_in(struct logic_ctx *x, const struct lnode *n)
{
	struct tv a, b;
	const struct tdeps *d = NULL;
	uint32_t i;
	int unk = 0;

	if (n->spread || n->nargs < 2)
		return logic_tri_plain(x, n);
	a = tri(x, n->args[0]);
	if (a.k == TV_ERR)
		return a;
	b = tri(x, n->args[1]);
	if (b.k == TV_ERR)
		return b;
	if (a.k == TV_VAL && b.k == TV_VAL) {
		const struct lval *v[2] = { a.v, b.v };
		struct tv r = apply(x, n, v, 2);

		r.thr = deps_union(x->a, a.thr, b.thr);
		return r;
	}
	if (a.k == TV_UNK || !b.l)
		return tv_unk(deps_union(x->a, a.d, b.d), LOGIC_UNKNOWN, 1, deps_union(x->a, a.thr, b.thr));
	for (i = 0; i < b.l->n; i++) {
		const struct tv *it = &b.l->it[i];

		if (it->k == TV_VAL && lval_strict_eq(a.v, it->v))
			return tv_val(LV_TRUEV);
		if (it->k == TV_UNK) {
			unk = 1;
			d = deps_union(x->a, d, it->d);
		}
	}
	return unk ? tv_unk(d, LOGIC_UNKNOWN, 1, b.thr) : tv_val(LV_FALSEV);
}

/* ---------------------------------------------------------------- lists */

/* A list of n three-valued items: known when every item is. */
static struct tv make_list(struct logic_ctx *x, struct tv *it, size_t n)
{
	struct tlist *l;
	struct tv r;
	const struct tdeps *d = NULL;
	struct lval *arr;
	size_t i;
	const struct tdeps *mt = NULL;
	int unk = 0;

	for (i = 0; i < n; i++) {
		mt = deps_union(x->a, mt, it[i].thr);
		if (it[i].k != TV_VAL) {
			unk = 1;
			d = deps_union(x->a, d, it[i].d);
		}
	}
	if (!unk) {
		arr = lval_arr(x->a, n);
		for (i = 0; i < n; i++)
			arr->u.arr[i] = it[i].v;
		if (!n)
			arr->u.arr = NULL;
		r = tv_val(arr);
		r.thr = mt;
		return r;
	}
	l = arena_alloc(x->a, sizeof(*l));
	l->n = (uint32_t)n;
	l->it = it;
	r = tv_unk(d, n ? LOGIC_TRUE : LOGIC_FALSE, 1, mt);
	r.l = l;
	return r;
}

struct tv logic_tri_array(struct logic_ctx *x, const struct lnode *n)
{
	struct tv *it = arena_alloc(x->a, (n->nargs ? n->nargs : 1) * sizeof(*it));
	size_t i;

	for (i = 0; i < n->nargs; i++) {
		it[i] = tri(x, n->args[i]);
		if (it[i].k == TV_ERR)
			return it[i];
	}
	return make_list(x, it, n->nargs);
}

/* merge: lists of known length (known, or with unknown items) and known
 * non-lists concatenate; an unknown that may or may not be a list leaves
 * even the length unknown. */
struct tv logic_tri_merge(struct logic_ctx *x, const struct lnode *n)
{
	struct tv *args, *it;
	const struct tdeps *d = NULL;
	size_t i, total = 0, k = 0;
	const struct tdeps *mt = NULL;
	int whole = 1;
	uint32_t j;

	if (n->spread)
		return logic_tri_strict(x, n);
	args = arena_alloc(x->a, (n->nargs ? n->nargs : 1) * sizeof(*args));
	for (i = 0; i < n->nargs; i++) {
		args[i] = tri(x, n->args[i]);
		if (args[i].k == TV_ERR)
			return args[i];
		mt = deps_union(x->a, mt, args[i].thr);
		if (args[i].k == TV_VAL)
			total += args[i].v->type == LV_ARR ? args[i].v->n : 1;
		else if (args[i].l)
			total += args[i].l->n;
		else
			whole = 0;
		d = deps_union(x->a, d, args[i].d);
	}
	if (!whole)   /* at least the known items: true when there are some */
		return tv_unk(d, total ? LOGIC_TRUE : LOGIC_UNKNOWN, 1, mt);
	it = arena_alloc(x->a, (total ? total : 1) * sizeof(*it));
	for (i = 0; i < n->nargs; i++) {
		if (args[i].k == TV_UNK) {
			memcpy(it + k, args[i].l->it, args[i].l->n * sizeof(*it));
			k += args[i].l->n;
		} else if (args[i].v->type == LV_ARR) {
			for (j = 0; j < args[i].v->n; j++)
				it[k++] = tv_val(args[i].v->u.arr[j]);
		} else {
			it[k++] = args[i];
		}
	}
	return make_list(x, it, total);
}

/* The body's answer for item i of a list: evaluated in the item's scope
 * when the item is known; unknown (by the item's facts) when it is not. */
static struct tv body_for(struct logic_ctx *x, const struct lnode *body, const struct tv *item,
                          size_t i)
{
	struct tv r;

	if (item->k != TV_VAL)
		return tv_unk(item->d, LOGIC_UNKNOWN, 0, item->d);
	push_scope(x, item->v, (int64_t)i);
	r = tri(x, body);
	pop_scope(x);
	return r;
}

static struct tv tri_reduce(struct logic_ctx *x, const struct lnode *n, const struct tv *items,
                            size_t m)
{
	static const char *keys[2] = { "current", "accumulator" };
	static const uint32_t klen[2] = { 7, 11 };
	struct tv acc = n->nargs > 2 ? tri(x, n->args[2]) : tv_val(LV_NULLV);
	size_t i;

	for (i = 0; i < m && acc.k != TV_ERR; i++) {
		const struct lval *kv[2];

		if (acc.k == TV_UNK || items[i].k == TV_UNK) {
			/* every step after depends on this one */
			const struct tdeps *d = acc.d;

			for (; i < m; i++)
				d = deps_union(x->a, d, items[i].d);
			return tv_unk(d, LOGIC_UNKNOWN, 0, d);
		}
		kv[0] = items[i].v;
		kv[1] = acc.v;
		push_scope(x, lval_obj(x->a, 2, keys, klen, kv), (int64_t)i);
		acc = tri(x, n->args[1]);
		pop_scope(x);
	}
	return acc;
}

/* map, filter, reduce, all, some, none. Over a missing list: unknown. Over
 * a known list, item by item as the plain evaluator goes, with Kleene's
 * rules for the item tests: all is false at a false test whatever the
 * unknown ones, some true at a true one; none dually. */
struct tv logic_tri_iterate(struct logic_ctx *x, const struct lnode *n)
{
	struct tv list, *items, *out = NULL;
	const struct tdeps *d = NULL;
	size_t m, i, k = 0;
	const struct tdeps *mt = NULL;
	int unk = 0, any_true = 0;

	if (n->spread || n->nargs < 2)
		return logic_tri_plain(x, n);
	list = tri(x, n->args[0]);
	if (list.k == TV_ERR)
		return list;
	if (list.k == TV_UNK && !list.l)
		return tv_unk(list.d, LOGIC_UNKNOWN, n->op != OP_REDUCE, list.d);
	if (list.k == TV_VAL && list.v->type != LV_ARR) {
		/* as the plain evaluator: [] from map and filter, reduce's initial
		 * value, and all, some and none throw */
		if (n->op == OP_MAP || n->op == OP_FILTER)
			return tv_val(lval_arr(x->a, 0));
		if (n->op == OP_REDUCE)
			return n->nargs > 2 ? tri(x, n->args[2]) : tv_val(LV_NULLV);
		return THROW_ARGS(x), tv_err();
	}
	if (list.k == TV_VAL) {
		m = list.v->n;
		items = arena_alloc(x->a, (m ? m : 1) * sizeof(*items));
		for (i = 0; i < m; i++)
			items[i] = tv_val(list.v->u.arr[i]);
	} else {
		m = list.l->n;
		items = list.l->it;
	}
	mt = list.thr;
	if (n->op == OP_REDUCE)
		return tri_reduce(x, n, items, m);
	if (n->op == OP_MAP || n->op == OP_FILTER)
		out = arena_alloc(x->a, (m ? m : 1) * sizeof(*out));
	for (i = 0; i < m; i++) {
		struct tv r = body_for(x, n->args[1], &items[i], i);
		uint8_t t;

		if (r.k == TV_ERR)
			return unk ? tv_unk(d, LOGIC_UNKNOWN, 1, deps_union(x->a, d, mt)) : r;
		mt = deps_union(x->a, mt, r.thr);
		if (n->op == OP_MAP) {
			out[k++] = r;
			continue;
		}
		t = truth_of(&r);
		if (t == LOGIC_UNKNOWN) {
			unk = 1;
			d = deps_union(x->a, d, r.d);
			continue;
		}
		switch (n->op) {
		case OP_FILTER:
			if (t == LOGIC_TRUE) {
				out[k++] = items[i];
				any_true = 1;
			}
			break;
		case OP_ALL:
			if (t == LOGIC_FALSE)
				goto decided;
			break;
		default:   /* OP_SOME, OP_NONE */
			if (t == LOGIC_TRUE)
				goto decided;
		}
		continue;
decided:
		r = tv_val(LV_BOOLV(n->op == OP_SOME));
		r.thr = mt;
		return r;
	}
	if (n->op == OP_MAP) {
		struct tv r = make_list(x, out, k);

		r.thr = deps_union(x->a, r.thr, mt);
		return r;
	}
	if (unk)
		return tv_unk(d, n->op == OP_FILTER && any_true ? LOGIC_TRUE : LOGIC_UNKNOWN, 1, mt);
	if (n->op == OP_FILTER) {
		struct tv r = make_list(x, out, k);

		r.thr = deps_union(x->a, r.thr, mt);
		return r;
	}
	list = tv_val(LV_BOOLV(n->op == OP_ALL ? m > 0 : n->op == OP_NONE));
	list.thr = mt;
	return list;
}

/* ---------------------------------------------------------------- entry points */

static int threw(struct arena *a, struct logic_result3 *out, struct err *e)
{
	out->truth = LOGIC_UNKNOWN;
	out->value = NULL;
	err_set(e, ERR_INVALID, "the rule threw %s", logic_error_type(a, out->error));
	return ERR_INVALID;
}

int logic_eval3_root(const struct lnode *root, const struct lval *data,
                     const struct lval *const *slots, struct arena *a, int walk_only,
                     struct logic_result3 *out, struct err *e)
{
	struct logic_ctx x;
	struct tv t;

	memset(out, 0, sizeof(*out));
	if (!data)
		data = LV_NULLV;
	if (!walk_only) {
		/* A plain evaluation that read no missing fact took every branch
		 * the three-valued one would take, with the same values: it is
		 * the answer, at the plain evaluator's speed. */
		struct logic_result res;
		int rc = const_root(root, &res) ? OK : logic_eval_root(root, data, slots, a, &res);

		if (!res.nmissing) {
			out->value = res.value;
			out->error = res.error;
			out->notes = res.notes;
			out->nnotes = res.nnotes;
			if (rc)
				return threw(a, out, e);
			out->truth = lval_truthy(res.value) ? LOGIC_TRUE : LOGIC_FALSE;
			return OK;
		}
	}
	logic_ctx_reset(&x, a, data, slots);
	t = tri(&x, root);
	out->missing = x.missing;
	out->nmissing = x.nmissing;
	out->notes = x.notes;
	out->nnotes = x.nnotes;
	if (t.k == TV_ERR) {
		out->error = logic_error_value(&x);
		return threw(a, out, e);
	}
	out->truth = truth_of(&t);
	out->value = t.k == TV_VAL ? t.v : NULL;
	if (out->truth == LOGIC_UNKNOWN && t.d) {
		out->deciding = t.d->p;
		out->ndeciding = t.d->n;
	}
	return OK;
}

int logic_eval3(struct arena *a, const struct logic_rule *r, const struct lval *data,
                struct logic_result3 *out, struct err *e)
{
	return logic_eval3_root(r->root, data, NULL, a, 0, out, e);
}
