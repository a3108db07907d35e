/* A value builder: the models every output reads (an assessment, a pack, a
 * diff, the matrix) are value trees (struct lval), built by the layer that
 * owns the data with calls shaped like the JSON writer's (jw.h), so one model
 * feeds the CLI's JSON, its tables, and later the API and the HTML pages.
 * Everything is allocated in the arena given. */
#ifndef SHINSA_VB_H
#define SHINSA_VB_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "logic/value.h"

#define VB_MAX_DEPTH 32

struct vb_frame {
	int is_obj;
	const char **keys;          /* is_obj: one per value */
	uint32_t *klen;
	const struct lval **vals;
	size_t n, cap;
	const char *pending_key;    /* is_obj: the key of the value that comes next */
};

struct vb {
	struct arena *a;
	struct vb_frame f[VB_MAX_DEPTH];
	int depth;                  /* frames open */
	const struct lval *root;    /* the finished value, once the outermost ends */
	int bad;                    /* misuse (unbalanced, a value without a key…): abort in vb_done */
};

void vb_init(struct vb *b, struct arena *a);
void vb_obj(struct vb *b);                      /* { */
void vb_arr(struct vb *b);                      /* [ */
void vb_end(struct vb *b);                      /* } or ] */
void vb_key(struct vb *b, const char *k);       /* the key of the next value (k must outlive the model) */
void vb_str(struct vb *b, const char *s);       /* a string (referenced, must outlive), or null for NULL */
void vb_strdup(struct vb *b, const char *s);    /* a string copied into the arena, or null */
void vb_strs(struct vb *b, const char *const *s, size_t n);   /* an array of strings */
void vb_bool(struct vb *b, int v);
void vb_int(struct vb *b, long long v);
void vb_num(struct vb *b, double v);
void vb_null(struct vb *b);
void vb_val(struct vb *b, const struct lval *v); /* any value, shared */

/* key and value in one call */
void vb_kstr(struct vb *b, const char *k, const char *s);
void vb_kint(struct vb *b, const char *k, long long v);
void vb_kbool(struct vb *b, const char *k, int v);

/* The finished tree. A builder used wrongly (frames left open, a value in an
 * object without a key) is a programming error: it aborts, naming it. */
const struct lval *vb_done(struct vb *b);

/* Reading a model: a member, or NULL when absent; a string member or def. */
const struct lval *vb_get(const struct lval *obj, const char *key);
const char *vb_get_str(const struct lval *obj, const char *key, const char *def);

#endif
