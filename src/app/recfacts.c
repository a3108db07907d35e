/* Reading an application record's facts (app/recfacts.h). */
#include "app/recfacts.h"

#include <string.h>

const struct lval *app_fact_get(const struct lval *facts, const char *path)
{
	const struct lval *cur = facts, *v;
	const char *p = path;

	if (!facts || facts->type != LV_OBJ)
		return NULL;
	/* flat: the whole path as one key */
	v = lval_get(facts, path, strlen(path));
	if (v)
		return v->type == LV_NULL ? NULL : v;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (cur->type != LV_OBJ)
			return NULL;
		/* a partly flat document: {"app": {"x.y": …}} */
		if (dot && (v = lval_get(cur, p, strlen(p))))
			return v->type == LV_NULL ? NULL : v;
		cur = lval_get(cur, p, n);
		if (!dot)
			break;
		p += n + 1;
	}
	return cur && cur->type != LV_NULL ? cur : NULL;
}

/* One member to place: its path below the object being built, and its value. */
struct member {
	const char *path;
	size_t len;
	const struct lval *v;
};

static const struct lval *nest(struct arena *a, struct member *m, size_t n, int depth);

/* The members of an object value, appended as members to place. */
static size_t spread(struct arena *a, struct member **m, size_t n, size_t *cap, const struct lval *obj)
{
	size_t i;

	for (i = 0; i < obj->n; i++) {
		if (n == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;

			*m = arena_realloc(a, *m, *cap * sizeof(**m), nc * sizeof(**m));
			*cap = nc;
		}
		(*m)[n].path = lval_obj_key(obj, i);
		(*m)[n].len = lval_obj_klen(obj, i);
		(*m)[n].v = lval_obj_val(obj, i);
		n++;
	}
	return n;
}

static const struct lval *nest(struct arena *a, struct member *m, size_t n, int depth)
{
	const char **keys = arena_alloc(a, (n ? n : 1) * sizeof(*keys));
	uint32_t *klen = arena_alloc(a, (n ? n : 1) * sizeof(*klen));
	const struct lval **vals = arena_alloc(a, (n ? n : 1) * sizeof(*vals));
	unsigned char *taken = arena_zalloc(a, n ? n : 1);
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		const char *dot;
		size_t head;
		struct member *sub = NULL;
		size_t nsub = 0, cap = 0;
		const struct lval *leaf = NULL;

		if (taken[i])
			continue;
		dot = memchr(m[i].path, '.', m[i].len);
		head = dot && depth < 16 ? (size_t)(dot - m[i].path) : m[i].len;
		for (j = i; j < n; j++) {
			const char *d2;
			size_t h2;

			if (taken[j])
				continue;
			d2 = memchr(m[j].path, '.', m[j].len);
			h2 = d2 && depth < 16 ? (size_t)(d2 - m[j].path) : m[j].len;
			if (h2 != head || memcmp(m[j].path, m[i].path, head))
				continue;
			taken[j] = 1;
			if (h2 == m[j].len) {
				if (m[j].v->type == LV_OBJ)
					nsub = spread(a, &sub, nsub, &cap, m[j].v);
				else if (!leaf)
					leaf = m[j].v;   /* a value and a dotted path under it: the value wins */
			} else {
				if (nsub == cap) {
					size_t nc = cap ? cap * 2 : 16;

					sub = arena_realloc(a, sub, cap * sizeof(*sub), nc * sizeof(*sub));
					cap = nc;
				}
				sub[nsub].path = m[j].path + h2 + 1;
				sub[nsub].len = m[j].len - h2 - 1;
				sub[nsub].v = m[j].v;
				nsub++;
			}
		}
		keys[k] = arena_strndup(a, m[i].path, head);
		klen[k] = (uint32_t)head;
		vals[k] = leaf ? leaf : nest(a, sub, nsub, depth + 1);
		k++;
	}
	return lval_obj(a, k, keys, klen, vals);
}

const struct lval *app_facts_doc(struct arena *a, const struct lval *facts)
{
	struct member *m = NULL;
	size_t n = 0, cap = 0;

	if (facts && facts->type == LV_OBJ)
		n = spread(a, &m, 0, &cap, facts);
	return nest(a, m, n, 0);
}

const char *app_fact_text(struct arena *a, const struct lval *v)
{
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	if (!v || v->type == LV_NULL)
		return "";
	switch (v->type) {
	case LV_STR:
		return v->u.str;
	case LV_BOOL:
		return v->b ? "はい" : "いいえ";
	case LV_ARR:
		for (i = 0; i < v->n; i++) {
			if (i)
				buf_adds(&b, "、");
			buf_adds(&b, app_fact_text(a, v->u.arr[i]));
		}
		break;
	default:
		lval_add_json(&b, v);
		break;
	}
	out = arena_strdup(a, buf_done(&b));
	buf_free(&b);
	return out;
}

struct collect {
	struct arena *a;
	struct store_record *v;
	size_t n, cap;
};

static const char *dup_or_null(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static int collect_one(void *arg, const struct store_record *r, struct err *e)
{
	struct collect *c = arg;
	struct store_record *o;

	(void)e;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 32;

		c->v = arena_realloc(c->a, c->v, c->cap * sizeof(*c->v), nc * sizeof(*c->v));
		c->cap = nc;
	}
	o = &c->v[c->n++];
	*o = *r;
	o->kind = dup_or_null(c->a, r->kind);
	o->id = dup_or_null(c->a, r->id);
	o->at = dup_or_null(c->a, r->at);
	o->actor = dup_or_null(c->a, r->actor);
	o->keys.state = dup_or_null(c->a, r->keys.state);
	o->keys.owner = dup_or_null(c->a, r->keys.owner);
	o->keys.dept = dup_or_null(c->a, r->keys.dept);
	o->keys.level = dup_or_null(c->a, r->keys.level);
	o->keys.provider = dup_or_null(c->a, r->keys.provider);
	o->keys.pack = dup_or_null(c->a, r->keys.pack);
	o->keys.parent = dup_or_null(c->a, r->keys.parent);
	o->keys.due = dup_or_null(c->a, r->keys.due);
	o->body = arena_strndup(c->a, r->body, r->body_len);
	return OK;
}

int app_record_collect(struct store *s, struct arena *a, const struct store_query *q, struct store_record **out,
                       size_t *n, struct err *e)
{
	struct collect c = { a, NULL, 0, 0 };
	int rc = store_record_find(s, q, collect_one, &c, e);

	*out = c.v;
	*n = c.n;
	return rc;
}
