/* JSON values with JavaScript's coercions, so that the C engine and a browser
 * running json-logic-js reach the same answer for the same rule. */
#include "logic/value.h"
#include "core/fmt.h"
#include "core/err.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct lval lval_null_v = { .type = LV_NULL };
const struct lval lval_true_v = { .type = LV_BOOL, .b = 1 };
const struct lval lval_false_v = { .type = LV_BOOL, .b = 0 };

const struct lval *lval_num(struct arena *a, double d)
{
	struct lval *v = arena_alloc(a, sizeof(*v));

	v->type = LV_NUM;
	v->b = 0;
	v->span = 0;
	v->n = 0;
	v->u.num = d;
	return v;
}

const struct lval *lval_str_ref(struct arena *a, const char *s, size_t n)
{
	struct lval *v = arena_alloc(a, sizeof(*v));

	v->type = LV_STR;
	v->b = 0;
	v->span = 0;
	v->n = (uint32_t)n;
	v->u.str = s;
	return v;
}

const struct lval *lval_str(struct arena *a, const char *s, size_t n)
{
	return lval_str_ref(a, arena_strndup(a, s, n), n);
}

struct lval *lval_arr(struct arena *a, size_t n)
{
	struct lval *v = arena_alloc(a, sizeof(*v));

	v->type = LV_ARR;
	v->b = 0;
	v->span = 0;
	v->n = (uint32_t)n;
	v->u.arr = n ? arena_alloc(a, n * sizeof(*v->u.arr)) : NULL;
	return v;
}

static int key_cmp(const char *a, uint32_t an, const char *b, uint32_t bn)
{
	if (an != bn)
		return an < bn ? -1 : 1;
	return memcmp(a, b, an);
}

/* qsort has no context argument in C11; the comparison reads this pair. */
struct sort_ctx {
	const char **keys;
	const uint32_t *klen;
};
static _Thread_local struct sort_ctx sort_ctx;

static int idx_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c = key_cmp(sort_ctx.keys[a], sort_ctx.klen[a], sort_ctx.keys[b], sort_ctx.klen[b]);

	if (c)
		return c;
	return a < b ? -1 : a > b;
}

struct lstr {
	uint64_t h;                  /* lval_key_hash: the length in the high half */
	const char *s;
};

struct lshapes {
	struct arena *a;
	const struct lshape **tab;   /* open addressing on the key sequence's hash */
	size_t cap, n;
	struct lstr *strs;           /* short strings, open addressing on their hash */
	size_t scap, sn;
};

static _Atomic uint32_t next_shape_id = 1;

struct lshapes *lshapes_new(struct arena *a)
{
	struct lshapes *r = arena_zalloc(a, sizeof(*r));

	r->a = a;
	r->cap = 256;
	r->tab = arena_zalloc(a, r->cap * sizeof(*r->tab));
	r->scap = 256;
	r->strs = arena_zalloc(a, r->scap * sizeof(*r->strs));
	return r;
}

/* Documents of one kind repeat the same short values ("JP", "saas",
 * "AES-256-GCM"): kept once, they cost no memory per document and stay in
 * cache for whoever compares them. */
const char *lshapes_str(struct lshapes *r, struct arena *a, const char *s, size_t n)
{
	uint64_t h;
	size_t at, i;

	if (n > LSHAPES_STR_MAX)
		return arena_strndup(a, s, n);
	h = lval_key_hash(s, n);
	for (at = h & (r->scap - 1); r->strs[at].s; at = (at + 1) & (r->scap - 1))
		if (r->strs[at].h == h && !memcmp(r->strs[at].s, s, n))
			return r->strs[at].s;
	if (2 * (r->sn + 1) > r->scap) {
		struct lstr *old = r->strs;
		size_t oldcap = r->scap;

		r->scap *= 2;
		r->strs = arena_zalloc(r->a, r->scap * sizeof(*r->strs));
		for (i = 0; i < oldcap; i++) {
			if (!old[i].s)
				continue;
			for (at = old[i].h & (r->scap - 1); r->strs[at].s; at = (at + 1) & (r->scap - 1))
				;
			r->strs[at] = old[i];
		}
		for (at = h & (r->scap - 1); r->strs[at].s; at = (at + 1) & (r->scap - 1))
			;
	}
	r->strs[at].h = h;
	r->strs[at].s = arena_strndup(r->a, s, n);
	r->sn++;
	return r->strs[at].s;
}

/* A new shape for the m keys kept[0..m) of keys/klen, in arena a. */
static const struct lshape *shape_new(struct arena *a, size_t m, const char **keys,
                                      const uint32_t *klen, const uint32_t *kept)
{
	struct lshape *sh = arena_alloc(a, sizeof(*sh) + m * sizeof(struct lkey));
	size_t i;

	sh->id = atomic_fetch_add_explicit(&next_shape_id, 1, memory_order_relaxed);
	sh->n = (uint32_t)m;
	sh->slots = NULL;
	sh->mask = 0;
	for (i = 0; i < m; i++) {
		size_t k = kept[i];

		sh->k[i].kh = lval_key_hash(keys[k], klen[k]);
		lval_key_prefix(keys[k], klen[k], sh->k[i].pre);
		sh->k[i].key = keys[k];
	}
	if (m >= LOBJ_HASH_MIN) {
		uint32_t size = 16;

		while (size < 2 * m)
			size *= 2;
		sh->mask = size - 1;
		sh->slots = arena_zalloc(a, size * sizeof(*sh->slots));
		for (i = 0; i < m; i++) {
			uint32_t h = (uint32_t)sh->k[i].kh & sh->mask;

			while (sh->slots[h])
				h = (h + 1) & sh->mask;
			sh->slots[h] = (uint32_t)i + 1;
		}
	}
	return sh;
}

static uint64_t seq_hash(size_t m, const char **keys, const uint32_t *klen, const uint32_t *kept)
{
	uint64_t h = 1469598103934665603ull ^ m;
	size_t i;

	for (i = 0; i < m; i++)
		h = (h ^ lval_key_hash(keys[kept[i]], klen[kept[i]])) * 1099511628211ull;
	return h;
}

static int shape_is(const struct lshape *sh, size_t m, const char **keys, const uint32_t *klen,
                    const uint32_t *kept)
{
	size_t i;

	if (sh->n != m)
		return 0;
	for (i = 0; i < m; i++) {
		const char *k = keys[kept[i]];
		uint32_t kn = klen[kept[i]];

		if ((uint32_t)(sh->k[i].kh >> 32) != kn || memcmp(sh->k[i].key, k, kn))
			return 0;
	}
	return 1;
}

/* The registry's shape for these keys, made (and its key text copied into
 * the registry's arena) the first time. */
static const struct lshape *shape_get(struct lshapes *r, size_t m, const char **keys,
                                      const uint32_t *klen, const uint32_t *kept)
{
	uint64_t h = seq_hash(m, keys, klen, kept);
	size_t at, i;
	const char **own;
	uint32_t *ownlen, *seq;
	const struct lshape *sh;

	for (at = h & (r->cap - 1); r->tab[at]; at = (at + 1) & (r->cap - 1))
		if (shape_is(r->tab[at], m, keys, klen, kept))
			return r->tab[at];
	if (2 * (r->n + 1) > r->cap) {
		const struct lshape **old = r->tab;
		size_t oldcap = r->cap;

		r->cap *= 2;
		r->tab = arena_zalloc(r->a, r->cap * sizeof(*r->tab));
		for (i = 0; i < oldcap; i++) {
			size_t j;

			if (!old[i])
				continue;
			{
				/* rehash by the stored keys */
				uint64_t hh = 1469598103934665603ull ^ old[i]->n;

				for (j = 0; j < old[i]->n; j++)
					hh = (hh ^ old[i]->k[j].kh) * 1099511628211ull;
				for (at = hh & (r->cap - 1); r->tab[at]; at = (at + 1) & (r->cap - 1))
					;
				r->tab[at] = old[i];
			}
		}
		for (at = h & (r->cap - 1); r->tab[at]; at = (at + 1) & (r->cap - 1))
			;
	}
	own = arena_alloc(r->a, (m ? m : 1) * sizeof(*own));
	ownlen = arena_alloc(r->a, (m ? m : 1) * sizeof(*ownlen));
	seq = arena_alloc(r->a, (m ? m : 1) * sizeof(*seq));
	for (i = 0; i < m; i++) {
		ownlen[i] = klen[kept[i]];
		own[i] = arena_strndup(r->a, keys[kept[i]], ownlen[i]);
		seq[i] = (uint32_t)i;
	}
	sh = shape_new(r->a, m, own, ownlen, seq);
	r->tab[at] = sh;
	r->n++;
	return sh;
}

/* Build an object from n members whose values are given either as pointers
 * (pv) or by value (vv). Later duplicates replace earlier ones, in the first
 * one's place, as in a JavaScript literal. */
/* An object of shape sh, its values to be filled: the lval and the object
 * in one block. */
static struct lval *obj_alloc(struct arena *a, const struct lshape *sh)
{
	char *block = arena_alloc(a, sizeof(struct lval) + sizeof(struct lobj) +
	                             sh->n * sizeof(struct lval));
	struct lval *v = (struct lval *)(void *)block;

	v->type = LV_OBJ;
	v->b = 0;
	v->span = 0;
	v->n = sh->n;
	v->u.obj = (struct lobj *)(void *)(block + sizeof(*v));
	v->u.obj->shape = sh;
	return v;
}

static struct lval *obj_build(struct arena *a, struct lshapes *reg, size_t n, const char **keys,
                              const uint32_t *klen, const struct lval *const *pv,
                              const struct lval *vv)
{
	uint32_t small[32], *keep = n <= 16 ? small : malloc(2 * n * sizeof(*keep)), *kept, *idx;
	const struct lshape *sh;
	struct lval *v;
	struct lobj *o;
	size_t i, j, m = 0;

	if (!keep)
		abort();
	kept = keep + (n <= 16 ? 16 : n);
	if (n >= LOBJ_HASH_MIN) {
		/* Sort an index; within a run of equal keys the first position
		 * keeps its place and the last value wins. */
		idx = malloc(n * sizeof(*idx));
		if (!idx)
			abort();
		for (i = 0; i < n; i++)
			idx[i] = (uint32_t)i;
		sort_ctx.keys = keys;
		sort_ctx.klen = klen;
		qsort(idx, n, sizeof(*idx), idx_cmp);
		for (i = 0; i < n; i++)
			keep[i] = UINT32_MAX;
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && !key_cmp(keys[idx[i]], klen[idx[i]], keys[idx[j]], klen[idx[j]]); j++)
				;
			keep[idx[i]] = idx[j - 1];
		}
		free(idx);
	} else {
		for (i = 0; i < n; i++) {
			keep[i] = (uint32_t)i;
			for (j = 0; j < i; j++) {
				if (keep[j] != UINT32_MAX && !key_cmp(keys[i], klen[i], keys[j], klen[j])) {
					keep[j] = (uint32_t)i;
					keep[i] = UINT32_MAX;
					break;
				}
			}
		}
	}
	for (i = 0; i < n; i++)
		if (keep[i] != UINT32_MAX)
			kept[m++] = (uint32_t)i;
	sh = reg ? shape_get(reg, m, keys, klen, kept) : shape_new(a, m, keys, klen, kept);
	v = obj_alloc(a, sh);
	o = v->u.obj;
	for (i = 0; i < m; i++)
		o->v[i] = pv ? *pv[keep[kept[i]]] : vv[keep[kept[i]]];
	if (keep != small)
		free(keep);
	return v;
}

const struct lval *lval_obj(struct arena *a, size_t n, const char **keys,
                            const uint32_t *klen, const struct lval **vals)
{
	return obj_build(a, NULL, n, keys, klen, vals, NULL);
}

const struct lval *lval_obj_v(struct arena *a, struct lshapes *reg, size_t n, const char **keys,
                              const uint32_t *klen, const struct lval *vals)
{
	return obj_build(a, reg, n, keys, klen, NULL, vals);
}

const struct lval *lval_obj_with(struct arena *a, const struct lval *like,
                                 const struct lval *const *vals)
{
	struct lval *v = obj_alloc(a, like->u.obj->shape);
	uint32_t i;

	for (i = 0; i < like->n; i++)
		v->u.obj->v[i] = *vals[i];
	return v;
}

const struct lval *lval_obj1(struct arena *a, const char *key, const struct lval *val)
{
	uint32_t kl = (uint32_t)strlen(key);

	return obj_build(a, NULL, 1, &key, &kl, &val, NULL);
}

uint64_t lval_key_hash(const char *key, size_t klen)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < klen; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	return ((uint64_t)klen << 32) | h;
}

int64_t lval_find_p(const struct lval *obj, const char *key, uint64_t kh, const uint64_t pre[2])
{
	const struct lshape *sh = obj->u.obj->shape;
	uint32_t i, h;

	if (!sh->slots) {
		for (i = 0; i < sh->n; i++)
			if (lval_key_is(&sh->k[i], kh, pre, key))
				return i;
		return -1;
	}
	for (h = (uint32_t)kh & sh->mask; (i = sh->slots[h]); h = (h + 1) & sh->mask)
		if (lval_key_is(&sh->k[i - 1], kh, pre, key))
			return i - 1;
	return -1;
}

int64_t lval_find_h(const struct lval *obj, const char *key, size_t klen, uint64_t kh)
{
	uint64_t pre[2];

	lval_key_prefix(key, klen, pre);
	return lval_find_p(obj, key, kh, pre);
}

const struct lval *lval_get_h(const struct lval *obj, const char *key, size_t klen, uint64_t kh)
{
	int64_t i;

	if (obj->type != LV_OBJ)
		return NULL;
	i = lval_find_h(obj, key, klen, kh);
	return i < 0 ? NULL : &obj->u.obj->v[i];
}

const struct lval *lval_get(const struct lval *obj, const char *key, size_t klen)
{
	return lval_get_h(obj, key, klen, lval_key_hash(key, klen));
}

/* JS StrWhiteSpaceChar: ASCII space and controls, NBSP, BOM, Zs, LS, PS. */
static size_t js_space(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;
	if (n >= 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

static double radix_number(const char *s, size_t n, int radix)
{
	double d = 0;
	size_t i;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return NAN;
		if (v >= radix)
			return NAN;
		d = d * radix + v;
	}
	return d;
}

double lval_str_to_number(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, start, digits = 0;
	char tmp[128], *copy;
	double d;

	while (i < n && (k = js_space(s + i, n - i)))
		i += k;
	while (n > i && ((k = js_space(s + n - 1, 1)) ||
	                 (n - i >= 2 && js_space(s + n - 2, 2) == 2) ||
	                 (n - i >= 3 && js_space(s + n - 3, 3) == 3))) {
		if (js_space(s + n - 1, 1))
			n -= 1;
		else if (n - i >= 2 && js_space(s + n - 2, 2) == 2)
			n -= 2;
		else
			n -= 3;
	}
	if (i == n)
		return 0;
	str += i;
	n -= i;
	if (n > 2 && str[0] == '0') {
		if (str[1] == 'x' || str[1] == 'X')
			return radix_number(str + 2, n - 2, 16);
		if (str[1] == 'o' || str[1] == 'O')
			return radix_number(str + 2, n - 2, 8);
		if (str[1] == 'b' || str[1] == 'B')
			return radix_number(str + 2, n - 2, 2);
	}
	/* StrDecimalLiteral: [+-] (Infinity | digits [. digits] | . digits) [e [+-] digits] */
	i = 0;
	if (str[i] == '+' || str[i] == '-')
		i++;
	if (n - i == 8 && !memcmp(str + i, "Infinity", 8))
		return str[0] == '-' ? -INFINITY : INFINITY;
	start = i;
	while (i < n && str[i] >= '0' && str[i] <= '9')
		i++, digits++;
	if (i < n && str[i] == '.') {
		i++;
		while (i < n && str[i] >= '0' && str[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return NAN;
	if (i < n && (str[i] == 'e' || str[i] == 'E')) {
		size_t e = 0;

		i++;
		if (i < n && (str[i] == '+' || str[i] == '-'))
			i++;
		while (i < n && str[i] >= '0' && str[i] <= '9')
			i++, e++;
		if (e == 0)
			return NAN;
	}
	if (i != n)
		return NAN;
	(void)start;
	if (n < sizeof(tmp)) {
		memcpy(tmp, str, n);
		tmp[n] = '\0';
		return strtod(tmp, NULL);
	}
	copy = malloc(n + 1);
	if (!copy)
		abort();
	memcpy(copy, str, n);
	copy[n] = '\0';
	d = strtod(copy, NULL);
	free(copy);
	return d;
}

double lval_to_number(const struct lval *v)
{
	switch (v->type) {
	case LV_NULL: return 0;
	case LV_BOOL: return v->b;
	case LV_NUM: return v->u.num;
	case LV_STR: return lval_str_to_number(v->u.str, v->n);
	default: return NAN;
	}
}

size_t lval_num_format(double d, char out[32])
{
	char tmp[40], digits[24];
	int prec, exp10, nd, i, k;
	size_t o = 0;
	char *e;

	if (isnan(d)) {
		memcpy(out, "NaN", 4);
		return 3;
	}
	if (isinf(d)) {
		if (d < 0) {
			memcpy(out, "-Infinity", 10);
			return 9;
		}
		memcpy(out, "Infinity", 9);
		return 8;
	}
	if (d == 0) {
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	/* Integers below 2^53 print exactly and are by far the common case. */
	if (fabs(d) < 9007199254740992.0 && d == (double)(long long)d) {
		int n = fmt_snprintf(out, 32, "%lld", (long long)d);
		return (size_t)n;
	}
	/* Shortest digit string that reads back as d (ECMA-262 Number::toString). */
	for (prec = 1; prec <= 17; prec++) {
		/* at most 17 digits, a sign, a point and e-308: tmp never cuts */
		if (fmt_snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d) < 0 || strtod(tmp, NULL) == d)
			break;
	}
	/* tmp = [-]D[.DDD]e[+-]XX */
	k = 0;
	nd = 0;
	if (tmp[k] == '-') {
		out[o++] = '-';
		k++;
	}
	for (; tmp[k] && tmp[k] != 'e'; k++)
		if (tmp[k] != '.')
			digits[nd++] = tmp[k];
	exp10 = (int)strtol(tmp + k + 1, &e, 10);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	/* n = exp10 + 1 is the position of the decimal point in JS terms. */
	{
		int n = exp10 + 1;

		if (nd <= n && n <= 21) {
			for (i = 0; i < nd; i++)
				out[o++] = digits[i];
			for (; i < n; i++)
				out[o++] = '0';
		} else if (0 < n && n <= 21) {
			for (i = 0; i < n; i++)
				out[o++] = digits[i];
			out[o++] = '.';
			for (; i < nd; i++)
				out[o++] = digits[i];
		} else if (-6 < n && n <= 0) {
			out[o++] = '0';
			out[o++] = '.';
			for (i = 0; i < -n; i++)
				out[o++] = '0';
			for (i = 0; i < nd; i++)
				out[o++] = digits[i];
		} else {
			out[o++] = digits[0];
			if (nd > 1) {
				out[o++] = '.';
				for (i = 1; i < nd; i++)
					out[o++] = digits[i];
			}
			o += (size_t)fmt_snprintf(out + o, 32 - o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
		}
	}
	out[o] = '\0';
	return o;
}

int lval_to_string(struct buf *b, const struct lval *v)
{
	char num[32];
	size_t i, n;
	int rc = OK;

	switch (v->type) {
	case LV_NULL: return buf_append(b, "null", 4);
	case LV_BOOL: return v->b ? buf_append(b, "true", 4) : buf_append(b, "false", 5);
	case LV_NUM:
		n = lval_num_format(v->u.num, num);
		return buf_append(b, num, n);
	case LV_STR: return buf_append(b, v->u.str, v->n);
	case LV_ARR:
		/* Array.prototype.join: null and undefined items become "" */
		for (i = 0; i < v->n && rc == OK; i++) {
			if (i)
				rc = buf_putc(b, ',');
			if (rc == OK && v->u.arr[i]->type != LV_NULL)
				rc = lval_to_string(b, v->u.arr[i]);
		}
		return rc;
	default:
		return buf_append(b, "[object Object]", 15);
	}
}

int lval_strict_eq(const struct lval *a, const struct lval *b)
{
	if (a == b)
		return a->type != LV_NUM || !isnan(a->u.num);
	if (a->type != b->type)
		return 0;
	/* Lists and objects are equal only to themselves; an object member is
	 * a copy of its value's header, so compare what the headers point to. */
	if (a->type == LV_ARR)
		return a->n && a->u.arr == b->u.arr;
	if (a->type == LV_OBJ)
		return a->u.obj == b->u.obj;
	switch (a->type) {
	case LV_NULL: return 1;
	case LV_BOOL: return a->b == b->b;
	case LV_NUM: return a->u.num == b->u.num;
	case LV_STR: return lval_str_eq(a, b);
	default: return 0;   /* objects compare by identity */
	}
}

int lval_deep_eq(const struct lval *a, const struct lval *b)
{
	size_t i;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case LV_NUM:
		if (isnan(a->u.num) && isnan(b->u.num))
			return 1;
		return a->u.num == b->u.num;
	case LV_ARR:
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++)
			if (!lval_deep_eq(a->u.arr[i], b->u.arr[i]))
				return 0;
		return 1;
	case LV_OBJ:
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++) {
			const struct lval *o = lval_get(b, lval_obj_key(a, i), lval_obj_klen(a, i));

			if (!o || !lval_deep_eq(lval_obj_val(a, i), o))
				return 0;
		}
		return 1;
	default:
		return lval_strict_eq(a, b);
	}
}

static int write_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	int rc = buf_putc(b, '"');

	for (i = 0; i < n && rc == OK; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = buf_append(b, s + run, i - run);
		run = i + 1;
		if (rc)
			break;
		switch (c) {
		case '"': rc = buf_append(b, "\\\"", 2); break;
		case '\\': rc = buf_append(b, "\\\\", 2); break;
		case '\n': rc = buf_append(b, "\\n", 2); break;
		case '\r': rc = buf_append(b, "\\r", 2); break;
		case '\t': rc = buf_append(b, "\\t", 2); break;
		case '\b': rc = buf_append(b, "\\b", 2); break;
		case '\f': rc = buf_append(b, "\\f", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			rc = buf_append(b, esc, 6);
		}
	}
	if (rc == OK)
		rc = buf_append(b, s + run, n - run);
	if (rc == OK)
		rc = buf_putc(b, '"');
	return rc;
}

int lval_write_json(struct buf *b, const struct lval *v)
{
	char num[32];
	size_t i, n;
	int rc = OK;

	switch (v->type) {
	case LV_NUM:
		if (!isfinite(v->u.num))
			return buf_append(b, "null", 4);
		n = lval_num_format(v->u.num, num);
		return buf_append(b, num, n);
	case LV_STR:
		return write_str(b, v->u.str, v->n);
	case LV_ARR:
		rc = buf_putc(b, '[');
		for (i = 0; i < v->n && rc == OK; i++) {
			if (i)
				rc = buf_putc(b, ',');
			if (rc == OK)
				rc = lval_write_json(b, v->u.arr[i]);
		}
		return rc ? rc : buf_putc(b, ']');
	case LV_OBJ:
		rc = buf_putc(b, '{');
		for (i = 0; i < v->n && rc == OK; i++) {
			if (i)
				rc = buf_putc(b, ',');
			if (rc == OK)
				rc = write_str(b, lval_obj_key(v, i), lval_obj_klen(v, i));
			if (rc == OK)
				rc = buf_putc(b, ':');
			if (rc == OK)
				rc = lval_write_json(b, lval_obj_val(v, i));
		}
		return rc ? rc : buf_putc(b, '}');
	default:
		return lval_to_string(b, v);
	}
}

void lval_add_json(struct buf *b, const struct lval *v)
{
	if (b->rc == OK)
		b->rc = lval_write_json(b, v);
}

void lval_add_string(struct buf *b, const struct lval *v)
{
	if (b->rc == OK)
		b->rc = lval_to_string(b, v);
}
