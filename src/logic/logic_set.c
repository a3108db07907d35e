/* Rule sets: rules compiled together against one document at a time. The
 * var paths they read at the document's scope form one trie; binding a
 * document (or a batch's documents, one lane each) walks it once through
 * per-shape caches of member offsets, and every rule then reads its facts
 * by slot. */
#include "logic/logic_int.h"

static struct tnode *tnode_kid(struct compiler *c, struct tnode *t, const struct lpath *p, uint32_t i)
{
	struct logic_set *s = c->set;
	struct tnode *k;
	uint32_t j;

	for (j = 0; j < t->nkids; j++) {
		k = t->kids[j];
		if (k->p->klen[k->i] == p->klen[i] && !memcmp(k->p->keys[k->i], p->keys[i], p->klen[i]))
			return k;
	}
	if (t->nkids == 0) {
		/* t gets children: number it for the binding's caches */
		if (s->ntnodes == s->capbyid) {
			size_t cap = s->capbyid ? s->capbyid * 2 : 16;

			s->byid = arena_realloc(c->a, s->byid, s->capbyid * sizeof(*s->byid),
			                        cap * sizeof(*s->byid));
			s->capbyid = cap;
		}
		t->id = s->ntnodes;
		s->byid[s->ntnodes++] = t;
	}
	if (t->nkids == t->capkids) {
		uint32_t cap = t->capkids ? t->capkids * 2 : 4;

		t->kids = arena_realloc(c->a, t->kids, t->capkids * sizeof(*t->kids), cap * sizeof(*t->kids));
		t->capkids = cap;
	}
	k = arena_zalloc(c->a, sizeof(*k));
	k->p = p;
	k->i = i;
	k->slot = -1;
	t->kids[t->nkids++] = k;
	return k;
}

/* The set's slot for path p, added to the trie if new. */
int32_t logic_set_slot(struct compiler *c, const struct lpath *p)
{
	struct tnode *t = &c->set->root;
	uint32_t i;

	for (i = 0; i < p->n; i++)
		t = tnode_kid(c, t, p, i);
	if (t->slot < 0)
		t->slot = (int32_t)c->set->nslots++;
	return t->slot;
}


static void plan_group(struct logic_set *s, const struct tnode *t)
{
	struct bgroup *g = &s->groups[s->ngroups++];
	uint32_t k;

	g->t = t;
	g->first = (uint32_t)s->nkids;
	for (k = 0; k < t->nkids; k++) {
		struct bkid *kd = &s->kids[s->nkids++];

		kd->t = t->kids[k];
		kd->slot = t->kids[k]->slot >= 0 ? (uint32_t)t->kids[k]->slot : (uint32_t)s->nslots;
		kd->id = t->kids[k]->nkids ? t->kids[k]->id : s->ntnodes;
	}
	for (k = 0; k < t->nkids; k++)
		if (t->kids[k]->nkids)
			plan_group(s, t->kids[k]);
}

static size_t count_kids(const struct tnode *t)
{
	size_t n = t->nkids;
	uint32_t k;

	for (k = 0; k < t->nkids; k++)
		n += count_kids(t->kids[k]);
	return n;
}

/* The binding's plan, once the trie has every rule's paths. */
static void plan_set(struct arena *a, struct logic_set *s)
{
	s->groups = arena_alloc(a, (s->ntnodes ? s->ntnodes : 1) * sizeof(*s->groups));
	s->kids = arena_alloc(a, (count_kids(&s->root) + 1) * sizeof(*s->kids));
	s->ngroups = s->nkids = 0;
	if (s->root.nkids)
		plan_group(s, &s->root);
}

int logic_set_compile(struct arena *a, const struct lval *const *rules, size_t n,
                      const struct logic_limits *lim, int flags, const struct logic_env *env,
                      struct logic_set **out, size_t *failed, struct err *e)
{
	struct logic_set *s = arena_zalloc(a, sizeof(*s));
	size_t i;
	int rc;

	s->root.slot = -1;
	s->rules = arena_alloc(a, (n ? n : 1) * sizeof(*s->rules));
	for (i = 0; i < n; i++) {
		rc = logic_compile_rule(a, rules[i], lim, flags, env, s, &s->rules[i], e);
		if (rc) {
			if (failed)
				*failed = i;
			return rc;
		}
	}
	s->nrules = n;
	plan_set(a, s);
	*out = s;
	return OK;
}

size_t logic_set_size(const struct logic_set *s)
{
	return s->nrules;
}

const struct logic_rule *logic_set_rule(const struct logic_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i] : NULL;
}

size_t logic_set_paths(const struct logic_set *s)
{
	return s->nslots;
}

struct logic_binding {
	struct logic_batch b;         /* a batch of one */
};

void logic_batch_setup(struct logic_batch *b, struct arena *a, const struct logic_set *s,
                       size_t cap)
{
	size_t S = s->nslots + 1;
	uint32_t i;

	b->set = s;
	b->cap = cap;
	b->stride = S;
	b->n = 0;
	b->docs = arena_zalloc(a, cap * sizeof(*b->docs));
	b->vals = arena_zalloc(a, cap * S * sizeof(*b->vals));
	b->x = arena_zalloc(a, cap * sizeof(*b->x));
	b->out = arena_zalloc(a, cap * sizeof(*b->out));
	for (i = 0; i < cap && i < LOGIC_BATCH; i++)
		b->all[i] = (lane_t)i;
	b->caches = arena_zalloc(a, (s->ntnodes ? s->ntnodes : 1) * sizeof(*b->caches));
	for (i = 0; i < s->ntnodes; i++)
		b->caches[i].pos = arena_alloc(a, BIND_WAYS * s->byid[i]->nkids * sizeof(int32_t));
	b->found = arena_zalloc(a, ((size_t)s->ntnodes + 1) * sizeof(*b->found));
}

/* A step from something other than an object: an array's item or length, a
 * string's character or length, as a var's walk takes it. */
static const struct lval *bind_step(struct arena *a, const struct lval *cur, const struct tnode *t)
{
	struct logic_ctx x;

	x.a = a;
	return logic_step(&x, cur, t->p, t->i);
}

/* Where t's children sit in object v, as byte offsets from its first
 * member (-1: absent): the shape's row of t's cache, filled when the shape
 * is new to it. */
static inline const int32_t *bind_offsets(struct logic_batch *b, const struct tnode *t,
                                          const struct lval *v)
{
	const struct lobj *o = v->u.obj;
	struct bcache *c = &b->caches[t->id];
	uint32_t way = o->shape->id % BIND_WAYS, k;
	int32_t *pos = c->pos + (size_t)way * t->nkids;

	if (c->ids[way] != o->shape->id) {
		for (k = 0; k < t->nkids; k++) {
			const struct tnode *kt = t->kids[k];

			int64_t at = lval_find_p(v, kt->p->keys[kt->i], kt->p->kh[kt->i], kt->p->pre[kt->i]);

			pos[k] = at < 0 ? -1 : (int32_t)(at * (int64_t)sizeof(struct lval));
		}
		c->ids[way] = o->shape->id;
	}
	return pos;
}

/* Read a packed document's block (lval_span) in one stream, a load a cache
 * line in address order. The hardware runs ahead of a stream, so the walk
 * that follows finds the document in cache instead of waiting on each of
 * its objects in turn: on documents not in cache this is most of their cost,
 * and it did better than prefetching each object ahead of the walk. */
static inline void stream_doc(const struct lval *d)
{
	const char *p, *end;
	size_t n = lval_span(d, &p);

	if (!n)   /* not packed: nothing to stream, and p says nothing */
		return;
	for (end = p + n; p < end; p = (const char *)(((uintptr_t)p | 63) + 1))
		(void)*(const volatile char *)p;
}

/* One lane's document: the plan's groups in order, each from what its own
 * step found. A null on the way ends every path through it, as a var's
 * walk does. */
static void bind_doc(struct logic_batch *b, const struct lval **vals, const struct lval *doc,
                     struct arena *a)
{
	const struct logic_set *s = b->set;
	const struct lval **found = b->found;
	size_t g;

	found[s->root.id] = doc->type != LV_NULL ? doc : NULL;
	for (g = 0; g < s->ngroups; g++) {
		const struct tnode *t = s->groups[g].t;
		const struct bkid *kd = s->kids + s->groups[g].first;
		const struct lval *v = found[t->id], *m;
		uint32_t k;

		if (!v) {
			for (k = 0; k < t->nkids; k++) {
				vals[kd[k].slot] = NULL;
				found[kd[k].id] = NULL;
			}
			continue;
		}
		if (v->type == LV_OBJ) {
			const int32_t *off = bind_offsets(b, t, v);
			const char *mv = (const char *)v->u.obj->v;

			for (k = 0; k < t->nkids; k++) {
				m = off[k] < 0 ? NULL : (const struct lval *)(const void *)(mv + off[k]);
				vals[kd[k].slot] = m;
				found[kd[k].id] = m && m->type != LV_NULL ? m : NULL;
			}
			continue;
		}
		for (k = 0; k < t->nkids; k++) {
			m = bind_step(a, v, kd[k].t);
			vals[kd[k].slot] = m;
			found[kd[k].id] = m && m->type != LV_NULL ? m : NULL;
		}
	}
}

/* Every document of the batch is read in one stream first, then bound. */
void logic_batch_bind_docs(struct logic_batch *b, const struct lval *const *docs, size_t n,
                           struct arena *a)
{
	size_t S = b->stride, k;

	b->n = n < b->cap ? n : b->cap;
	b->dirty = lanes(b->n);   /* every lane's context is set up for its document */
	for (k = 0; k < b->n; k++)
		if (docs[k])
			stream_doc(docs[k]);
	for (k = 0; k < b->n; k++) {
		b->docs[k] = docs[k] ? docs[k] : LV_NULLV;
		if (b->set->root.nkids)
			bind_doc(b, b->vals + k * S, b->docs[k], a);
	}
}

struct logic_binding *logic_binding_new(struct arena *a, const struct logic_set *s)
{
	struct logic_binding *bd = arena_zalloc(a, sizeof(*bd));

	logic_batch_setup(&bd->b, a, s, 1);
	return bd;
}

void logic_bind(struct logic_binding *bd, const struct lval *doc, struct arena *a)
{
	logic_batch_bind_docs(&bd->b, &doc, 1, a);
}

int logic_eval_bound(const struct logic_binding *bd, size_t i, struct arena *a,
                     struct logic_result *res)
{
	const struct lnode *root = bd->b.set->rules[i]->root;

	if (const_root(root, res))
		return OK;
	return logic_eval_root(root, bd->b.docs[0], bd->b.vals, a, res);
}

int logic_eval3_bound(struct arena *a, const struct logic_binding *bd, size_t i,
                      struct logic_result3 *out, struct err *e)
{
	return logic_eval3_root(bd->b.set->rules[i]->root, bd->b.docs[0], bd->b.vals, a, 0, out, e);
}
