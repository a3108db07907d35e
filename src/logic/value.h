/* JSON values as the JsonLogic engine sees them: immutable, arena-allocated,
 * with JavaScript's coercions (ToNumber, ToString, loose and strict equality,
 * relational comparison) so that results agree with json-logic-js. */
#ifndef SHINSA_VALUE_H
#define SHINSA_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

enum lval_type {
	LV_NULL,
	LV_BOOL,
	LV_NUM,
	LV_STR,
	LV_ARR,
	LV_OBJ,
};

struct lval;

struct lobj {
	const char **keys;        /* insertion order */
	uint32_t *klen;
	const struct lval **vals;
	uint32_t *sorted;         /* index by (len, bytes), for objects of LOBJ_SORT_MIN+ keys */
};

#define LOBJ_SORT_MIN 9

struct lval {
	uint8_t type;             /* enum lval_type */
	uint8_t b;                /* LV_BOOL */
	uint32_t n;               /* LV_STR bytes, LV_ARR items, LV_OBJ keys */
	union {
		double num;
		const char *str;      /* NUL-terminated, valid UTF-8 */
		const struct lval **arr;
		struct lobj *obj;
	} u;
};

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

/* Member lookup; NULL when absent. */
const struct lval *lval_get(const struct lval *obj, const char *key, size_t klen);

int lval_truthy(const struct lval *v);
/* JavaScript ToNumber; NaN where JS gives NaN. Arrays and objects give NaN. */
double lval_to_number(const struct lval *v);
/* JavaScript parseFloat-free ToNumber of a string. */
double lval_str_to_number(const char *s, size_t n);
/* JavaScript ToString appended to b (arrays join with ",", objects "[object Object]"). */
int lval_to_string(struct buf *b, const struct lval *v);
/* JavaScript Number::toString (shortest round trip); out needs 32 bytes. */
size_t lval_num_format(double d, char out[32]);

int lval_strict_eq(const struct lval *a, const struct lval *b);
/* Deep structural equality (for tests). */
int lval_deep_eq(const struct lval *a, const struct lval *b);

/* Serialize as JSON (compact; NaN and infinities as null). */
int lval_write_json(struct buf *b, const struct lval *v);

#endif
