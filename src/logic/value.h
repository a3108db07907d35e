/* JSON values as the JsonLogic engine sees them: immutable, arena-allocated,
 * with JavaScript's coercions (ToNumber, ToString, loose and strict equality,
 * relational comparison) so that results agree with json-logic-js. */
#ifndef SHINSA_VALUE_H
#define SHINSA_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

enum lval_type {
	LV_NULL,
	LV_BOOL,
	LV_NUM,
	LV_STR,
	LV_ARR,
	LV_OBJ,
};

struct lval {
	uint8_t type;             /* enum lval_type */
	uint8_t b;                /* LV_BOOL */
	uint16_t span;            /* a document packed as one block (LV_OBJ, LV_ARR): see lval_span */
	uint32_t n;               /* LV_STR bytes, LV_ARR items, LV_OBJ keys */
	union {
		double num;
		const char *str;      /* NUL-terminated, valid UTF-8 */
		const struct lval **arr;
		struct lobj *obj;
	} u;
};

/* An object is a shape and its values. The shape (the keys, in order, with
 * their hashes) is shared by every object with the same keys when they are
 * built through one registry (struct lshapes): fact documents all look alike,
 * so a thousand of them share a handful of shapes, take little memory, and a
 * var path that remembers (shape, position) finds a member with one compare. */
struct lkey {
	uint64_t kh;              /* lval_key_hash: length in the high half */
	uint64_t pre[2];          /* the key's first 16 bytes, zero-padded */
	const char *key;          /* NUL-terminated */
};

struct lshape {
	uint32_t id;              /* unique in the process */
	uint32_t n;
	uint32_t *slots;          /* open-addressing hash index (position + 1), for LOBJ_HASH_MIN+ keys */
	uint32_t mask;            /* slots has mask + 1 entries */
	struct lkey k[];
};

struct lobj {
	const struct lshape *shape;
	struct lval v[];          /* by value, in key order */
};

/* A registry of shapes, allocated in the arena given (which must outlive every
 * value built with it). Not for concurrent use: one parser at a time. */
struct lshapes;
struct lshapes *lshapes_new(struct arena *a);

/* A string value of at most LSHAPES_STR_MAX bytes kept once in the registry
 * (a copy in its arena), or a longer one copied into a. NUL-terminated. */
#define LSHAPES_STR_MAX 32
const char *lshapes_str(struct lshapes *r, struct arena *a, const char *s, size_t n);

#define LOBJ_HASH_MIN 9

extern const struct lval lval_null_v, lval_true_v, lval_false_v;
#define LV_NULLV (&lval_null_v)
#define LV_TRUEV (&lval_true_v)
#define LV_FALSEV (&lval_false_v)
#define LV_BOOLV(x) ((x) ? LV_TRUEV : LV_FALSEV)

const struct lval *lval_num(struct arena *a, double d);
const struct lval *lval_str(struct arena *a, const char *s, size_t n);   /* copies */
const struct lval *lval_str_ref(struct arena *a, const char *s, size_t n); /* s must outlive */
struct lval *lval_arr(struct arena *a, size_t n);     /* items to be filled by the caller */
/* An object from n keys/values; later duplicates replace earlier ones, as in JS. */
const struct lval *lval_obj(struct arena *a, size_t n, const char **keys,
                            const uint32_t *klen, const struct lval **vals);

static inline const char *lval_obj_key(const struct lval *o, size_t i)
{
	return o->u.obj->shape->k[i].key;
}

static inline uint32_t lval_obj_klen(const struct lval *o, size_t i)
{
	return (uint32_t)(o->u.obj->shape->k[i].kh >> 32);
}

static inline const struct lval *lval_obj_val(const struct lval *o, size_t i)
{
	return &o->u.obj->v[i];
}

/* The same with the values given by value (the JSON parser's way), sharing
 * shapes through reg (or not, when reg is NULL). */
const struct lval *lval_obj_v(struct arena *a, struct lshapes *reg, size_t n, const char **keys,
                              const uint32_t *klen, const struct lval *vals);

/* An object with like's keys (its shape) and vals[i] for key i. */
const struct lval *lval_obj_with(struct arena *a, const struct lval *like,
                                 const struct lval *const *vals);

/* Member lookup; NULL when absent. */
const struct lval *lval_get(const struct lval *obj, const char *key, size_t klen);
/* The same with the key's hash computed in advance (a compiled var path). */
const struct lval *lval_get_h(const struct lval *obj, const char *key, size_t klen, uint64_t kh);
/* Position of the key in obj (an LV_OBJ), or -1. */
int64_t lval_find_h(const struct lval *obj, const char *key, size_t klen, uint64_t kh);
int64_t lval_find_p(const struct lval *obj, const char *key, uint64_t kh, const uint64_t pre[2]);

/* Equality of two keys of the same length n. Keys are short, so two
 * overlapping word loads beat a call to memcmp; nothing is read past n. */
static inline int lval_key_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;

	if (n >= 8) {
		size_t i;

		for (i = 0; i + 8 < n; i += 8) {
			__builtin_memcpy(&x, a + i, 8);
			__builtin_memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		__builtin_memcpy(&x, a + n - 8, 8);
		__builtin_memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		__builtin_memcpy(&u, a, 4);
		__builtin_memcpy(&v, b, 4);
		if (u != v)
			return 0;
		__builtin_memcpy(&u, a + n - 4, 4);
		__builtin_memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}
/* Equality of two strings' bytes (a and b are LV_STR): one compare when
 * they are one copy, as short strings parsed through a registry are. */
static inline int lval_str_eq(const struct lval *a, const struct lval *b)
{
	return a->n == b->n && (a->u.str == b->u.str || lval_key_eq(a->u.str, b->u.str, a->n));
}

/* Hash of a key together with its length (FNV-1a in the low bits). */
uint64_t lval_key_hash(const char *key, size_t klen);

/* JsonLogic truthiness: 0, "", null, [] and false are false (so is NaN). */
static inline int lval_truthy(const struct lval *v)
{
	switch (v->type) {
	case LV_NULL: return 0;
	case LV_BOOL: return v->b;
	case LV_NUM: return v->u.num != 0 && v->u.num == v->u.num;
	case LV_STR: return v->n != 0;
	case LV_ARR: return v->n != 0;   /* unlike JS, [] is false */
	default: return 1;
	}
}

/* A document parsed through a registry (json_parse_shared) is packed: its
 * objects and lists lie in one block, in the order of a walk from the root
 * (an object's members before what they hold), starting at the root's
 * u.obj or u.arr. span is that block's size in LVAL_SPAN_UNIT bytes, 0 for
 * a value not packed this way or too large to say (so a copy of the root
 * lval by value still says it truly). Shapes and short strings live in the
 * registry, longer strings after the block. A binding reads the block in
 * one stream before it walks the document: far faster, on a document not in
 * cache, than fetching its objects one after another. */
#define LVAL_SPAN_UNIT 16
#define LVAL_SPAN_MAX ((size_t)UINT16_MAX * LVAL_SPAN_UNIT)

/* The packed block of v: its start, and its size in bytes (0: none). */
static inline size_t lval_span(const struct lval *v, const char **start)
{
	if (!v->span || (v->type != LV_OBJ && v->type != LV_ARR)) {
		*start = NULL;
		return 0;
	}
	*start = v->type == LV_OBJ ? (const char *)v->u.obj : (const char *)v->u.arr;
	return (size_t)v->span * LVAL_SPAN_UNIT;
}

/* An object of one member, built directly (thrown errors: {"type": …}). */
const struct lval *lval_obj1(struct arena *a, const char *key, const struct lval *val);
/* JavaScript ToNumber; NaN where JS gives NaN. Arrays and objects give NaN. */
double lval_to_number(const struct lval *v);
/* JavaScript parseFloat-free ToNumber of a string. */
double lval_str_to_number(const char *s, size_t n);
/* JavaScript ToString appended to b (arrays join with ",", objects "[object Object]"). */
int lval_to_string(struct buf *b, const struct lval *v) BUF_MUST_CHECK;
/* JavaScript Number::toString (shortest round trip); out needs 32 bytes. */
size_t lval_num_format(double d, char out[32]);

int lval_strict_eq(const struct lval *a, const struct lval *b);
/* Deep structural equality (for tests). */
int lval_deep_eq(const struct lval *a, const struct lval *b);

/* Serialize as JSON (compact; NaN and infinities as null). */
int lval_write_json(struct buf *b, const struct lval *v) BUF_MUST_CHECK;
/* The same as sticky appends (core/buf.h): a failure is kept in b->rc. */
void lval_add_json(struct buf *b, const struct lval *v);
void lval_add_string(struct buf *b, const struct lval *v);

/* The first 16 bytes of a key, zero-padded (see struct lent). */
static inline void lval_key_prefix(const char *key, size_t klen, uint64_t pre[2])
{
	char b[16] = { 0 };

	__builtin_memcpy(b, key, klen < 16 ? klen : 16);
	__builtin_memcpy(pre, b, 16);
}

/* Is entry e the key (kh, pre, key)? Lengths are equal when the hashes are. */
static inline int lval_key_is(const struct lkey *e, uint64_t kh, const uint64_t pre[2],
                              const char *key)
{
	size_t n = (size_t)(kh >> 32);

	if (e->kh != kh || e->pre[0] != pre[0] || e->pre[1] != pre[1])
		return 0;
	return n <= 16 || lval_key_eq(e->key + 16, key + 16, n - 16);
}

#endif
