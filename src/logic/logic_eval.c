/* The scalar evaluator: a compiled rule walked against one document, with
 * an explicit scope stack (for map/filter/reduce and val's scope climbing);
 * a thrown error is NULL returned with the context's error set. Here are
 * the engine's errors, paths walked at run time, and the general evaluator
 * of every node kind; specialised forms are in logic_forms.c. */
#include "logic/logic_int.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* [], which every evaluation may share: values are never changed. */
static const struct lval empty_list = { .type = LV_ARR };

static const struct lval *type_error(struct arena *a, const char *type)
{
	return lval_obj1(a, "type", lval_str_ref(a, type, strlen(type)));
}

/* The engine's own errors, built once for the process: values never change,
 * and an evaluation that throws need not build an object each time. */
const char logic_e_nan[] = "NaN", logic_e_args[] = "Invalid Arguments",
	logic_e_long[] = "String Too Long", logic_e_error[] = "Error";
static const char *const own_error_types[] = { logic_e_nan, logic_e_args, logic_e_long, logic_e_error };
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
const struct lval *logic_throw(struct logic_ctx *x, const char *type)
{
	ectx_used(x);
	x->err = NULL;
	x->err_type = type;
	return NULL;
}

const struct lval *logic_error_value(struct logic_ctx *x)
{
	ectx_used(x);
	if (!x->err)
		x->err = error_of(x->a, x->err_type ? x->err_type : logic_e_error);
	return x->err;
}

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

void logic_note_missing(struct logic_ctx *x, const char *path)
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

/* One step of a path: the member, item or character named by key i of p, or
 * NULL when there is none (JavaScript's undefined). */
const struct lval *logic_step(struct logic_ctx *x, const struct lval *cur, const struct lpath *p,
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
static const struct lval *walk(struct logic_ctx *x, const struct lval *data, const struct lpath *p,
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
		cur = logic_step(x, cur, p, i);
		if (!cur)
			return NULL;
	}
	return cur;
}

static const struct lval *scope_data(struct logic_ctx *x, int32_t up)
{
	size_t top = x->nscopes - 1;
	size_t at = (size_t)up > top ? 0 : top - (size_t)up;

	return x->scopes[at].data;
}

/* Evaluate every argument of n into a fresh array (spreading a chained one). */
const struct lval **logic_eval_args(struct logic_ctx *x, const struct lnode *n, size_t *count)
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

/* A path computed at run time from var's key or val's parts (NULL: a part
 * that is neither a string nor a number). */
struct lpath *logic_dynamic_path(struct logic_ctx *x, uint8_t op, const struct lval **v, size_t nv)
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
			return logic_path_alloc(x->a, 0);
		if (lval_to_string(&b, k))
			goto fail;
		len = b.len;
		s = arena_strndup(x->a, buf_str(&b), len);
		buf_free(&b);
		return logic_path_split(x->a, s, len);
	}
	p = logic_path_alloc(x->a, nv);
	if (nv && v[0]->type == LV_ARR) {
		if (v[0]->n == 1 && v[0]->u.arr[0]->type == LV_NUM)
			p->up = logic_scope_levels(v[0]->u.arr[0]->u.num);
		first = 1;
	}
	for (i = first; i < nv; i++) {
		if (v[i]->type == LV_STR) {
			logic_path_add(p, v[i]->u.str, v[i]->n);
		} else if (v[i]->type == LV_NUM) {
			size_t n = lval_num_format(v[i]->u.num, num);

			logic_path_add(p, arena_strndup(x->a, num, n), n);
		} else {
			return NULL;
		}
	}
	return p;
fail:
	buf_free(&b);
	return NULL;
}

static const struct lval *op_var(struct logic_ctx *x, const struct lnode *n)
{
	const struct lpath *p = n->path;
	const struct lval *dflt = LV_NULLV, *r, *data;
	int hit_null;

	if (!p) {
		const struct lval *k;

		if (!(k = eval(x, n->args[0])))
			return NULL;
		if (!(p = logic_dynamic_path(x, OP_VAR, &k, 1)))
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
			logic_note_missing(x, ps);
	}
	if (r)
		return r;
	if (n->nargs > 1)
		dflt = eval(x, n->args[1]);
	return dflt;
}

static const struct lval *op_val(struct logic_ctx *x, const struct lnode *n, int exists)
{
	const struct lpath *p = n->path;
	const struct lval *r, *data;
	size_t at = x->nscopes - 1;
	int hit_null;

	if (!p) {
		size_t nv;
		const struct lval **v = logic_eval_args(x, n, &nv);

		if (!v)
			return NULL;
		if (!(p = logic_dynamic_path(x, OP_VAL, v, nv)))
			return exists ? LV_FALSEV : LV_NULLV;
	}
	if (p->up) {
		size_t top = x->nscopes - 1;

		at = (size_t)p->up > top ? 0 : top - (size_t)p->up;
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
	/* the document's scope, also climbed to from inside an iteration: a fact */
	if (at == 0 && (!r || r->type == LV_NULL) && p->n) {
		struct buf b = BUF_INIT;
		uint32_t i;

		for (i = 0; i < p->n; i++) {
			if (i)
				buf_addc(&b, '.');
			buf_add(&b, p->keys[i], p->klen[i]);
		}
		logic_note_missing(x, arena_strndup(x->a, buf_done(&b), b.len));
		buf_free(&b);
	}
	return r ? r : LV_NULLV;
}

static const struct lval *op_missing(struct logic_ctx *x, const struct lval **keys, size_t nk,
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
		struct lpath *p = paths ? paths[i] : logic_dynamic_path(x, OP_VAR, &keys[i], 1);
		const struct lval *r;
		int hit_null;

		if (slots && x->slots)
			r = x->slots[slots[i]];
		else
			r = p ? walk(x, x->scopes[x->nscopes - 1].data, p, &hit_null) : NULL;
		if (!r || r->type == LV_NULL || (r->type == LV_STR && r->n == 0)) {
			out[m++] = keys[i];
			if (x->nscopes == 1 && keys[i]->type == LV_STR)
				logic_note_missing(x, keys[i]->u.str);
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
int logic_compare(struct logic_ctx *x, const struct lval *a, const struct lval *b)
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
int logic_loose_eq(struct logic_ctx *x, const struct lval *a, const struct lval *b, int *res)
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
	c = logic_compare(x, a, b);
	if (c == -3)
		return -1;
	*res = c == 0;
	return 0;
}

const struct lval *logic_ev_compare(struct logic_ctx *x, const struct lnode *n)
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
			if (logic_loose_eq(x, a, b, &c))
				return NULL;
			r = c;
			break;
		case OP_NE:
			if (logic_loose_eq(x, a, b, &c))
				return NULL;
			r = !c;
			break;
		case OP_SEQ: r = lval_strict_eq(a, b); break;
		case OP_SNE: r = !lval_strict_eq(a, b); break;
		default:
			c = logic_compare(x, a, b);
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

static const struct lval *number(struct logic_ctx *x, double d)
{
	if (isnan(d))
		return THROW_NAN(x);
	return lval_num(x->a, d);
}

const struct lval *logic_ev_arith(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval **v;
	size_t nv, i;
	double acc, d;

	if (!(v = logic_eval_args(x, n, &nv)))
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

const struct lval *logic_ev_cat(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval **v;
	struct buf b = BUF_INIT;
	const struct lval *r;
	size_t nv, i;

	if (!(v = logic_eval_args(x, n, &nv)))
		return NULL;
	for (i = 0; i < nv; i++) {
		if (v[i]->type == LV_NULL)
			continue;
		if (lval_to_string(&b, v[i])) {
			buf_free(&b);
			return logic_throw(x, logic_e_long);
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

const struct lval *logic_ev_substr(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval **v;
	struct buf b = BUF_INIT;
	const struct lval *r;
	size_t nv, units, from, to;
	double start, len;
	const char *s;

	if (!(v = logic_eval_args(x, n, &nv)))
		return NULL;
	if (nv == 0)
		return lval_str_ref(x->a, "undefined", 9);
	if (lval_to_string(&b, v[0])) {
		buf_free(&b);
		return logic_throw(x, logic_e_long);
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

int logic_str_contains(const char *h, size_t hn, const char *nd, size_t nn)
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

const struct lval *logic_in_vals(struct logic_ctx *x, const struct lval *a, const struct lval *b)
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
			return LV_BOOLV(logic_str_contains(b->u.str, b->n, a->u.str, a->n));
		if (lval_to_string(&s, a)) {
			buf_free(&s);
			return LV_FALSEV;
		}
		r = logic_str_contains(b->u.str, b->n, buf_str(&s), s.len);
		buf_free(&s);
		return LV_BOOLV(r);
	}
	return LV_FALSEV;
}

const struct lval *logic_ev_in(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *a, *b;

	if (n->nargs < 2)
		return LV_FALSEV;
	if (!(a = eval(x, n->args[0])) || !(b = eval(x, n->args[1])))
		return NULL;
	return logic_in_vals(x, a, b);
}

const struct lval *logic_ev_merge(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval **v;
	size_t nv, i, total = 0, k = 0;
	struct lval *arr;

	if (!(v = logic_eval_args(x, n, &nv)))
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

const struct lval *logic_ev_iterate(struct logic_ctx *x, const struct lnode *n)
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

const struct lval *logic_ev_try(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *r = NULL;
	size_t i;

	for (i = 0; i < n->nargs; i++) {
		if (i == 0) {
			r = eval(x, n->args[0]);
		} else {
			push_scope(x, logic_error_value(x), 0);
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

const struct lval *logic_ev_throw(struct logic_ctx *x, const struct lnode *n)
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
	lval_add_string(&b, v);
	x->err = type_error(x->a, arena_strndup(x->a, buf_done(&b), b.len));
	buf_free(&b);
	return NULL;
}

const struct lval *logic_ev_lit(struct logic_ctx *x, const struct lnode *n)
{
	(void)x;
	return n->lit;
}

const struct lval *logic_ev_throwc(struct logic_ctx *x, const struct lnode *n)
{
	return logic_throw(x, n->lit->u.str);
}

const struct lval *logic_ev_array(struct logic_ctx *x, const struct lnode *n)
{
	struct lval *arr = lval_arr(x->a, n->nargs);
	size_t i;

	for (i = 0; i < n->nargs; i++)
		if (!(arr->u.arr[i] = eval(x, n->args[i])))
			return NULL;
	return arr;
}

const struct lval *logic_ev_var(struct logic_ctx *x, const struct lnode *n)
{
	if (n->nargs == 0)
		return x->scopes[x->nscopes - 1].data;
	return op_var(x, n);
}

const struct lval *logic_ev_val(struct logic_ctx *x, const struct lnode *n)
{
	return op_val(x, n, 0);
}

const struct lval *logic_ev_exists(struct logic_ctx *x, const struct lnode *n)
{
	return op_val(x, n, 1);
}

const struct lval *logic_ev_missing(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval **keys;
	size_t nk;

	if (n->mpaths)
		return op_missing(x, n->mkeys->u.arr, n->mkeys->n, n->mpaths, n->mslots);
	if (!(keys = logic_eval_args(x, n, &nk)))
		return NULL;
	return op_missing(x, keys, nk, NULL, NULL);
}

const struct lval *logic_ev_missing_some(struct logic_ctx *x, const struct lnode *n)
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

const struct lval *logic_ev_if(struct logic_ctx *x, const struct lnode *n)
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

const struct lval *logic_ev_andor(struct logic_ctx *x, const struct lnode *n)
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

const struct lval *logic_ev_not(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *v = LV_NULLV;

	if (n->nargs && !(v = eval(x, n->args[0])))
		return NULL;
	return LV_BOOLV(lval_truthy(v) == (n->op == OP_NOTNOT));
}

const struct lval *logic_ev_coalesce(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval **vals, *v;
	size_t nv, i;

	if (n->spread) {
		if (!(vals = logic_eval_args(x, n, &nv)))
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

void logic_note(struct logic_ctx *x, const char *msg)
{
	if (x->quiet) {
		*x->more |= x->bit;
		return;
	}
	ectx_used(x);
	strs_push(x->a, &x->notes, &x->nnotes, &x->capnotes, msg);
}

/* A project operator's call: its arguments evaluated in order, then its
 * own evaluator (logic.h, struct logic_project_op). */
const struct lval *logic_ev_project(struct logic_ctx *x, const struct lnode *n)
{
	const struct lval *small[8], **args = small;
	size_t i;

	if (n->nargs > sizeof(small) / sizeof(*small))
		args = arena_alloc(x->a, n->nargs * sizeof(*args));
	for (i = 0; i < n->nargs; i++)
		if (!(args[i] = eval(x, n->args[i])))
			return NULL;
	return n->proj->op->eval(x, n->proj->state, args, n->nargs);
}

struct arena *logic_ctx_arena(struct logic_ctx *x)
{
	return x->a;
}

/* The engine's own types by their own pointers, so that their error
 * objects are the ones built once. */
const struct lval *logic_ctx_throw(struct logic_ctx *x, const char *type)
{
	static const char *const own[] = { logic_e_nan, logic_e_args, logic_e_long, logic_e_error };
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(*own); i++)
		if (!strcmp(type, own[i]))
			return logic_throw(x, own[i]);
	return logic_throw(x, type);
}

void logic_ctx_note(struct logic_ctx *x, const char *msg)
{
	logic_note(x, msg);
}

void logic_ctx_missing(struct logic_ctx *x, const char *path)
{
	if (x->nscopes == 1)
		logic_note_missing(x, path);
}

const struct lval *logic_ev_log(struct logic_ctx *x, const struct lnode *n)
{
	/* No I/O inside the evaluator: log is the identity. */
	return n->nargs ? eval(x, n->args[0]) : LV_NULLV;
}

/* A fresh evaluation against data, at the document's scope. */
void logic_ctx_reset(struct logic_ctx *x, struct arena *a, const struct lval *data,
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


/* Its callers answer a constant rule first (const_root). */
int logic_eval_root(const struct lnode *root, const struct lval *data,
                    const struct lval *const *slots, struct arena *a, struct logic_result *res)
{
	struct logic_ctx x;
	const struct lval *v;

	logic_ctx_reset(&x, a, data ? data : LV_NULLV, slots);
	v = eval(&x, root);
	res->value = v;
	res->error = v ? NULL : logic_error_value(&x);
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
	return logic_eval_root(r->root, data, NULL, a, res);
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
	lval_add_json(&b, t);
	s = arena_strndup(a, buf_done(&b), b.len);
	buf_free(&b);
	return s;
}
