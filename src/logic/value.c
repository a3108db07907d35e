/* JSON values with JavaScript's coercions, so that the C engine and a browser
 * running json-logic-js reach the same answer for the same rule. */
#include "value.h"
#include "err.h"

#include <math.h>
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
	v->n = 0;
	v->u.num = d;
	return v;
}

const struct lval *lval_str_ref(struct arena *a, const char *s, size_t n)
{
	struct lval *v = arena_alloc(a, sizeof(*v));

	v->type = LV_STR;
	v->b = 0;
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

/* Build an object from n members whose values are given either as pointers
 * (pv) or by value (vv). Later duplicates replace earlier ones, in the first
 * one's place, as in a JavaScript literal. */
static struct lval *obj_build(struct arena *a, size_t n, const char **keys, const uint32_t *klen,
                              const struct lval *const *pv, const struct lval *vv)
{
	uint32_t small[16], *keep = n <= 16 ? small : malloc(n * sizeof(*keep)), *idx;
	struct lval *v;
	struct lobj *o;
	size_t i, j, m = 0;
	char *block;

	if (!keep)
		abort();
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
		m += keep[i] != UINT32_MAX;
	block = arena_alloc(a, sizeof(*v) + sizeof(*o) + m * sizeof(struct lent));
	v = (struct lval *)block;
	o = (struct lobj *)(block + sizeof(*v));
	v->type = LV_OBJ;
	v->b = 0;
	v->u.obj = o;
	o->slots = NULL;
	o->mask = 0;
	m = 0;
	for (i = 0; i < n; i++) {
		if (keep[i] == UINT32_MAX)
			continue;
		o->e[m].kh = lval_key_hash(keys[i], klen[i]);
		lval_key_prefix(keys[i], klen[i], o->e[m].pre);
		o->e[m].key = keys[i];
		o->e[m].val = pv ? *pv[keep[i]] : vv[keep[i]];
		m++;
	}
	if (keep != small)
		free(keep);
	v->n = (uint32_t)m;
	if (m >= LOBJ_HASH_MIN) {
		uint32_t size = 16;

		while (size < 2 * m)
			size *= 2;
		o->mask = size - 1;
		o->slots = arena_zalloc(a, size * sizeof(*o->slots));
		for (i = 0; i < m; i++) {
			uint32_t h = (uint32_t)o->e[i].kh & o->mask;

			while (o->slots[h])
				h = (h + 1) & o->mask;
			o->slots[h] = (uint32_t)i + 1;
		}
	}
	return v;
}

const struct lval *lval_obj(struct arena *a, size_t n, const char **keys,
                            const uint32_t *klen, const struct lval **vals)
{
	return obj_build(a, n, keys, klen, vals, NULL);
}

const struct lval *lval_obj_v(struct arena *a, size_t n, const char **keys,
                              const uint32_t *klen, const struct lval *vals)
{
	return obj_build(a, n, keys, klen, NULL, vals);
}

const struct lval *lval_obj1(struct arena *a, const char *key, const struct lval *val)
{
	char *block = arena_alloc(a, sizeof(struct lval) + sizeof(struct lobj) + sizeof(struct lent));
	struct lval *v = (struct lval *)block;
	struct lobj *o = (struct lobj *)(block + sizeof(*v));
	size_t kn = strlen(key);

	v->type = LV_OBJ;
	v->b = 0;
	v->n = 1;
	v->u.obj = o;
	o->slots = NULL;
	o->mask = 0;
	o->e[0].kh = lval_key_hash(key, kn);
	lval_key_prefix(key, kn, o->e[0].pre);
	o->e[0].key = key;
	o->e[0].val = *val;
	return v;
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

int64_t lval_find_h(const struct lval *obj, const char *key, size_t klen, uint64_t kh)
{
	const struct lobj *o = obj->u.obj;
	uint32_t i, h;

	if (!o->slots) {
		for (i = 0; i < obj->n; i++)
			if (o->e[i].kh == kh && lval_key_eq(o->e[i].key, key, klen))
				return i;
		return -1;
	}
	for (h = (uint32_t)kh & o->mask; (i = o->slots[h]); h = (h + 1) & o->mask)
		if (o->e[i - 1].kh == kh && lval_key_eq(o->e[i - 1].key, key, klen))
			return i - 1;
	return -1;
}

int64_t lval_find_p(const struct lval *obj, const char *key, uint64_t kh, const uint64_t pre[2])
{
	const struct lobj *o = obj->u.obj;
	uint32_t i, h;

	if (!o->slots) {
		for (i = 0; i < obj->n; i++)
			if (lval_ent_is(&o->e[i], kh, pre, key))
				return i;
		return -1;
	}
	for (h = (uint32_t)kh & o->mask; (i = o->slots[h]); h = (h + 1) & o->mask)
		if (lval_ent_is(&o->e[i - 1], kh, pre, key))
			return i - 1;
	return -1;
}

const struct lval *lval_get_h(const struct lval *obj, const char *key, size_t klen, uint64_t kh)
{
	int64_t i;

	if (obj->type != LV_OBJ)
		return NULL;
	i = lval_find_h(obj, key, klen, kh);
	return i < 0 ? NULL : &obj->u.obj->e[i].val;
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
		int n = snprintf(out, 32, "%lld", (long long)d);
		return (size_t)n;
	}
	/* Shortest digit string that reads back as d (ECMA-262 Number::toString). */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
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
			o += (size_t)snprintf(out + o, 32 - o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
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
	case LV_STR: return a->n == b->n && !memcmp(a->u.str, b->u.str, a->n);
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
