/* A small JSON writer with the commas placed for the caller. */
#include "logic/jw.h"

#include <string.h>

void jw_init(struct jw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* Before a value: a comma unless it is the first at this level, or the
 * value of a key just written. */
static void before(struct jw *w)
{
	if (w->count[w->depth] == 1)
		buf_addc(w->b, ',');
	w->count[w->depth] = 1;
}

static void value_start(struct jw *w);

static void nest(struct jw *w, char c)
{
	value_start(w);
	buf_addc(w->b, c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->count[w->depth] = 0;
}

static void unnest(struct jw *w, char c)
{
	buf_addc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(struct jw *w) { nest(w, '{'); }
void jw_arr(struct jw *w) { nest(w, '['); }
void jw_end_obj(struct jw *w) { unnest(w, '}'); }
void jw_end_arr(struct jw *w) { unnest(w, ']'); }

void jw_key(struct jw *w, const char *k)
{
	struct lval s = { .type = LV_STR };

	before(w);
	s.n = (uint32_t)strlen(k);
	s.u.str = k;
	lval_add_json(w->b, &s);
	buf_addc(w->b, ':');
	w->count[w->depth] = 2;      /* the value that follows takes no comma */
}

static void value_start(struct jw *w)
{
	if (w->count[w->depth] == 2)
		w->count[w->depth] = 1;
	else
		before(w);
}

void jw_str(struct jw *w, const char *s)
{
	struct lval v = { .type = LV_STR };

	value_start(w);
	if (!s) {
		buf_adds(w->b, "null");
		return;
	}
	v.n = (uint32_t)strlen(s);
	v.u.str = s;
	lval_add_json(w->b, &v);
}

void jw_strs(struct jw *w, const char *const *s, size_t n)
{
	size_t i;

	jw_arr(w);
	for (i = 0; i < n; i++)
		jw_str(w, s[i]);
	jw_end_arr(w);
}

void jw_bool(struct jw *w, int v)
{
	value_start(w);
	buf_adds(w->b, v ? "true" : "false");
}

void jw_int(struct jw *w, long long v)
{
	value_start(w);
	buf_addf(w->b, "%lld", v);
}

void jw_null(struct jw *w)
{
	value_start(w);
	buf_adds(w->b, "null");
}

void jw_val(struct jw *w, const struct lval *v)
{
	value_start(w);
	lval_add_json(w->b, v);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}
