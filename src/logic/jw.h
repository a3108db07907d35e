/* A small JSON writer: objects and arrays with the commas placed for the
 * caller, strings always escaped. Used for the CLI's and the API's output. */
#ifndef SHINSA_JW_H
#define SHINSA_JW_H

#include <stddef.h>

#include "core/buf.h"
#include "logic/value.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct buf *b;
	int depth;
	unsigned char count[JW_MAX_DEPTH];   /* items written at each level (capped at 1) */
};

void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w);               /* { */
void jw_arr(struct jw *w);               /* [ */
void jw_end_obj(struct jw *w);           /* } */
void jw_end_arr(struct jw *w);           /* ] */
void jw_key(struct jw *w, const char *k);             /* "k": (inside an object) */
void jw_str(struct jw *w, const char *s);             /* a string, or null for NULL */
void jw_strs(struct jw *w, const char *const *s, size_t n);   /* an array of strings */
void jw_bool(struct jw *w, int v);
void jw_int(struct jw *w, long long v);
void jw_null(struct jw *w);
void jw_val(struct jw *w, const struct lval *v);      /* any value */

/* key and value in one call */
void jw_kstr(struct jw *w, const char *k, const char *s);

#endif
