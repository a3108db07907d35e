/* The value builder: frames of keys and values, each made into one object or
 * array when it ends. */
#include "logic/vb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vb_init(struct vb *b, struct arena *a)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
}

static void push(struct vb *b, const struct lval *v)
{
	struct vb_frame *f;

	if (b->depth == 0) {
		if (b->root)
			b->bad = 1;        /* two values at the top */
		b->root = v;
		return;
	}
	f = &b->f[b->depth - 1];
	if (f->is_obj && !f->pending_key) {
		b->bad = 1;
		return;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;

		f->vals = arena_realloc(b->a, f->vals, f->cap * sizeof(*f->vals), cap * sizeof(*f->vals));
		if (f->is_obj) {
			f->keys = arena_realloc(b->a, f->keys, f->cap * sizeof(*f->keys), cap * sizeof(*f->keys));
			f->klen = arena_realloc(b->a, f->klen, f->cap * sizeof(*f->klen), cap * sizeof(*f->klen));
		}
		f->cap = cap;
	}
	if (f->is_obj) {
		f->keys[f->n] = f->pending_key;
		f->klen[f->n] = (uint32_t)strlen(f->pending_key);
		f->pending_key = NULL;
	}
	f->vals[f->n++] = v;
}

static void open_frame(struct vb *b, int is_obj)
{
	struct vb_frame *f;

	if (b->depth == VB_MAX_DEPTH) {
		b->bad = 1;
		return;
	}
	/* the frame's slot in its parent is taken when it ends */
	f = &b->f[b->depth++];
	memset(f, 0, sizeof(*f));
	f->is_obj = is_obj;
}

void vb_obj(struct vb *b) { open_frame(b, 1); }
void vb_arr(struct vb *b) { open_frame(b, 0); }

void vb_end(struct vb *b)
{
	struct vb_frame *f;
	const struct lval *v;

	if (b->depth == 0) {
		b->bad = 1;
		return;
	}
	f = &b->f[b->depth - 1];
	if (f->pending_key)
		b->bad = 1;
	if (f->is_obj) {
		v = lval_obj(b->a, f->n, f->keys, f->klen, f->vals);
	} else {
		struct lval *arr = lval_arr(b->a, f->n);
		size_t i;

		for (i = 0; i < f->n; i++)
			arr->u.arr[i] = f->vals[i];
		v = arr;
	}
	b->depth--;
	push(b, v);
}

void vb_key(struct vb *b, const char *k)
{
	struct vb_frame *f;

	if (b->depth == 0 || !(f = &b->f[b->depth - 1])->is_obj || f->pending_key) {
		b->bad = 1;
		return;
	}
	f->pending_key = k;
}

void vb_str(struct vb *b, const char *s)
{
	push(b, s ? lval_str_ref(b->a, s, strlen(s)) : LV_NULLV);
}

void vb_strdup(struct vb *b, const char *s)
{
	push(b, s ? lval_str(b->a, s, strlen(s)) : LV_NULLV);
}

void vb_strs(struct vb *b, const char *const *s, size_t n)
{
	size_t i;

	vb_arr(b);
	for (i = 0; i < n; i++)
		vb_str(b, s[i]);
	vb_end(b);
}

void vb_bool(struct vb *b, int v) { push(b, LV_BOOLV(v)); }
void vb_int(struct vb *b, long long v) { push(b, lval_num(b->a, (double)v)); }
void vb_num(struct vb *b, double v) { push(b, lval_num(b->a, v)); }
void vb_null(struct vb *b) { push(b, LV_NULLV); }
void vb_val(struct vb *b, const struct lval *v) { push(b, v ? v : LV_NULLV); }

void vb_kstr(struct vb *b, const char *k, const char *s)
{
	vb_key(b, k);
	vb_str(b, s);
}

void vb_kint(struct vb *b, const char *k, long long v)
{
	vb_key(b, k);
	vb_int(b, v);
}

void vb_kbool(struct vb *b, const char *k, int v)
{
	vb_key(b, k);
	vb_bool(b, v);
}

const struct lval *vb_done(struct vb *b)
{
	if (b->bad || b->depth || !b->root) {
		fprintf(stderr, "shinsa: internal error: a model was built wrongly (%s)\n",
		        b->depth ? "a frame left open" : !b->root ? "no value" : "a value without a key, or two roots");
		abort();
	}
	return b->root;
}

const struct lval *vb_get(const struct lval *obj, const char *key)
{
	if (!obj || obj->type != LV_OBJ)
		return NULL;
	return lval_get(obj, key, strlen(key));
}

const char *vb_get_str(const struct lval *obj, const char *key, const char *def)
{
	const struct lval *v = vb_get(obj, key);

	return v && v->type == LV_STR ? v->u.str : def;
}
