/* A strict JSON parser (RFC 8259) producing struct lval in an arena. Errors
 * give line and column, since a policy author or a script needs to find them. */
#include "logic/json.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

struct parser {
	struct arena *a;          /* where values are built: the caller's, or with a registry
	                           * a scratch arena the document is then packed from */
	struct lshapes *reg;
	const char *s, *p, *end;
	int depth;
	struct err *e;
	const char *err_at;
	const char *err_msg;
};

static int fail(struct parser *ps, const char *at, const char *msg)
{
	ps->err_at = at;
	ps->err_msg = msg;
	return ERR_INVALID;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* Values are built in place (by value): an object member's value lives in
 * its entry and a list's items in one block, so a parsed document is compact
 * and a lookup touches few cache lines. */
static int parse_value(struct parser *ps, struct lval *out);

static int hex4(const char *p, unsigned *v)
{
	unsigned x = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* Parse a string at ps->p (on the opening quote) into arena memory. */
static int parse_string(struct parser *ps, const char **str, uint32_t *len)
{
	const char *p = ps->p + 1, *run;
	size_t n = 0, cap;
	char *out;

	/* First pass: find the end and whether there are escapes. */
	run = p;
	while (p < ps->end && *p != '"') {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20)
			return fail(ps, p, "control character in string (escape it)");
		if (c == '\\') {
			p++;
			if (p >= ps->end)
				break;
		}
		p++;
	}
	if (p >= ps->end)
		return fail(ps, ps->p, "unterminated string");
	cap = (size_t)(p - run);
	if (cap > UINT32_MAX - 1)
		return fail(ps, ps->p, "string too long");
	out = arena_alloc_bytes(ps->a, cap + 1);
	for (p = run; *p != '"'; ) {
		unsigned char c = (unsigned char)*p;
		uint32_t cp;
		size_t k;

		if (c != '\\') {
			if (c < 0x80) {
				out[n++] = (char)c;
				p++;
				continue;
			}
			k = utf8_decode(p, (size_t)(ps->end - p), &cp);
			if (!k)
				return fail(ps, p, "invalid UTF-8 in string");
			memcpy(out + n, p, k);
			n += k;
			p += k;
			continue;
		}
		p++;
		switch (*p) {
		case '"': out[n++] = '"'; p++; break;
		case '\\': out[n++] = '\\'; p++; break;
		case '/': out[n++] = '/'; p++; break;
		case 'b': out[n++] = '\b'; p++; break;
		case 'f': out[n++] = '\f'; p++; break;
		case 'n': out[n++] = '\n'; p++; break;
		case 'r': out[n++] = '\r'; p++; break;
		case 't': out[n++] = '\t'; p++; break;
		case 'u': {
			unsigned hi, lo;

			if (ps->end - p < 5 || hex4(p + 1, &hi))
				return fail(ps, p - 1, "bad \\u escape (needs four hex digits)");
			p += 5;
			if (hi >= 0xD800 && hi <= 0xDBFF) {
				if (ps->end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return fail(ps, p - 6, "unpaired surrogate in \\u escape");
				p += 6;
				cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
			} else if (hi >= 0xDC00 && hi <= 0xDFFF) {
				return fail(ps, p - 6, "unpaired surrogate in \\u escape");
			} else {
				cp = hi;
			}
			/* An escape is at least 6 bytes and encodes to at most 4. */
			n += utf8_encode(cp, out + n);
			break;
		}
		default:
			return fail(ps, p - 1, "bad escape in string");
		}
	}
	out[n] = '\0';
	*str = out;
	*len = (uint32_t)n;
	ps->p = p + 1;
	return OK;
}

static int parse_number(struct parser *ps, struct lval *out)
{
	const char *p = ps->p, *start = p;
	char tmp[64], *copy = tmp;
	size_t n;

	if (p < ps->end && *p == '-')
		p++;
	if (p >= ps->end || !(*p >= '0' && *p <= '9'))
		return fail(ps, start, "invalid number");
	if (*p == '0') {
		p++;
		if (p < ps->end && *p >= '0' && *p <= '9')
			return fail(ps, start, "invalid number (leading zero)");
	} else {
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < ps->end && *p == '.') {
		p++;
		if (p >= ps->end || !(*p >= '0' && *p <= '9'))
			return fail(ps, start, "invalid number (digit expected after '.')");
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= ps->end || !(*p >= '0' && *p <= '9'))
			return fail(ps, start, "invalid number (digit expected in exponent)");
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	n = (size_t)(p - start);
	if (n >= sizeof(tmp)) {
		copy = malloc(n + 1);
		if (!copy)
			abort();
	}
	memcpy(copy, start, n);
	copy[n] = '\0';
	out->type = LV_NUM;
	out->b = 0;
	out->span = 0;
	out->n = 0;
	out->u.num = strtod(copy, NULL);
	if (copy != tmp)
		free(copy);
	ps->p = p;
	return OK;
}

/* Growable scratch vectors for one array or object under construction. */
struct vec {
	void *items;
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void *p = realloc(v->items, cap * v->size);

		if (!p)
			abort();
		v->items = p;
		v->cap = cap;
	}
	return (char *)v->items + v->n++ * v->size;
}

/* After a member of a list or object: 1 when another follows (',' eaten),
 * 0 at the closing character (eaten), or an error. */
static int list_next(struct parser *ps, char close, const char *what)
{
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ',') {
		ps->p++;
		return 1;
	}
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	if (ps->p >= ps->end)
		return fail(ps, ps->p, close == ']' ? "unexpected end of input in array"
		                                    : "unexpected end of input in object");
	return fail(ps, ps->p, what);
}

static int parse_array(struct parser *ps, struct lval *out)
{
	struct vec items = { NULL, 0, 0, sizeof(struct lval) };
	const struct lval **ptrs;
	struct lval *vals;
	size_t i;
	int rc;

	ps->p++;
	skip_ws(ps);
	out->type = LV_ARR;
	out->b = 0;
	out->span = 0;
	out->n = 0;
	out->u.arr = NULL;
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return OK;
	}
	for (;;) {
		struct lval v;

		skip_ws(ps);
		if ((rc = parse_value(ps, &v)))
			goto out;
		*(struct lval *)vec_push(&items) = v;
		if ((rc = list_next(ps, ']', "expected ',' or ']'")) < 0)
			goto out;
		if (rc == 0)
			break;
	}
	if (items.n > UINT32_MAX) {
		rc = fail(ps, ps->p, "array too long");
		goto out;
	}
	/* one block: the item pointers, then the items */
	ptrs = arena_alloc(ps->a, items.n * (sizeof(*ptrs) + sizeof(*vals)));
	vals = (struct lval *)(ptrs + items.n);
	memcpy(vals, items.items, items.n * sizeof(*vals));
	for (i = 0; i < items.n; i++)
		ptrs[i] = &vals[i];
	out->n = (uint32_t)items.n;
	out->u.arr = ptrs;
	rc = OK;
out:
	free(items.items);
	return rc;
}

static int parse_object(struct parser *ps, struct lval *out)
{
	struct vec keys = { NULL, 0, 0, sizeof(const char *) };
	struct vec klen = { NULL, 0, 0, sizeof(uint32_t) };
	struct vec vals = { NULL, 0, 0, sizeof(struct lval) };
	int rc;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		*out = *lval_obj_v(ps->a, ps->reg, 0, NULL, NULL, NULL);
		return OK;
	}
	for (;;) {
		const char *k;
		uint32_t kl;
		struct lval v;

		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"') {
			rc = fail(ps, ps->p, ps->p < ps->end ? "expected a string key" : "unexpected end of input in object");
			goto out;
		}
		if ((rc = parse_string(ps, &k, &kl)))
			goto out;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			rc = fail(ps, ps->p, "expected ':' after key");
			goto out;
		}
		ps->p++;
		skip_ws(ps);
		if ((rc = parse_value(ps, &v)))
			goto out;
		*(const char **)vec_push(&keys) = k;
		*(uint32_t *)vec_push(&klen) = kl;
		*(struct lval *)vec_push(&vals) = v;
		if ((rc = list_next(ps, '}', "expected ',' or '}'")) < 0)
			goto out;
		if (rc == 0)
			break;
	}
	*out = *lval_obj_v(ps->a, ps->reg, keys.n, keys.items, klen.items, vals.items);
	rc = OK;
out:
	free(keys.items);
	free(klen.items);
	free(vals.items);
	return rc;
}

static int literal(struct parser *ps, const char *word, size_t n)
{
	return (size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, word, n);
}

static int parse_value(struct parser *ps, struct lval *out)
{
	int rc;

	if (ps->p >= ps->end)
		return fail(ps, ps->p, "unexpected end of input");
	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > JSON_MAX_DEPTH)
			return fail(ps, ps->p, "nesting too deep");
		rc = *ps->p == '{' ? parse_object(ps, out) : parse_array(ps, out);
		ps->depth--;
		return rc;
	case '"': {
		const char *s;
		uint32_t n;

		if ((rc = parse_string(ps, &s, &n)))
			return rc;
		if (ps->reg)
			s = lshapes_str(ps->reg, ps->a, s, n);
		out->type = LV_STR;
		out->b = 0;
		out->span = 0;
		out->n = n;
		out->u.str = s;
		return OK;
	}
	case 't':
		if (!literal(ps, "true", 4))
			break;
		ps->p += 4;
		*out = lval_true_v;
		return OK;
	case 'f':
		if (!literal(ps, "false", 5))
			break;
		ps->p += 5;
		*out = lval_false_v;
		return OK;
	case 'n':
		if (!literal(ps, "null", 4))
			break;
		ps->p += 4;
		*out = lval_null_v;
		return OK;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, out);
	}
	return fail(ps, ps->p, "unexpected character");
}

/* Packing a document parsed through a registry (see lval_span): the
 * parse builds it in scratch memory, then it is copied into one block of
 * a, its objects and lists first in the order of a walk from the root, its
 * strings other than the registry's after them. */
struct pack {
	char *p;                  /* the next object or list */
	char *s;                  /* the next string */
};

static void pack_size(const struct lval *v, size_t *blocks, size_t *strs)
{
	uint32_t i;

	switch (v->type) {
	case LV_OBJ:
		*blocks += sizeof(struct lobj) + (size_t)v->n * sizeof(struct lval);
		for (i = 0; i < v->n; i++)
			pack_size(&v->u.obj->v[i], blocks, strs);
		break;
	case LV_ARR:
		*blocks += (size_t)v->n * (sizeof(struct lval *) + sizeof(struct lval));
		for (i = 0; i < v->n; i++)
			pack_size(v->u.arr[i], blocks, strs);
		break;
	case LV_STR:
		if (v->n > LSHAPES_STR_MAX)
			*strs += (size_t)v->n + 1;
		break;
	}
}

static void pack_copy(struct pack *pk, const struct lval *v, struct lval *to)
{
	uint32_t i;

	*to = *v;
	to->span = 0;
	switch (v->type) {
	case LV_OBJ: {
		struct lobj *o = (struct lobj *)(void *)pk->p;

		pk->p += sizeof(*o) + (size_t)v->n * sizeof(struct lval);
		o->shape = v->u.obj->shape;
		to->u.obj = o;
		for (i = 0; i < v->n; i++)
			pack_copy(pk, &v->u.obj->v[i], &o->v[i]);
		break;
	}
	case LV_ARR: {
		const struct lval **ptrs = (const struct lval **)(void *)pk->p;
		struct lval *items = (struct lval *)(ptrs + v->n);

		if (!v->n)
			break;
		pk->p += (size_t)v->n * (sizeof(*ptrs) + sizeof(*items));
		to->u.arr = ptrs;
		for (i = 0; i < v->n; i++) {
			ptrs[i] = &items[i];
			pack_copy(pk, v->u.arr[i], &items[i]);
		}
		break;
	}
	case LV_STR:
		if (v->n > LSHAPES_STR_MAX) {
			memcpy(pk->s, v->u.str, (size_t)v->n + 1);
			to->u.str = pk->s;
			pk->s += (size_t)v->n + 1;
		}
		break;
	}
}

/* The root lval, then the block, then the strings. */
static const struct lval *pack(struct arena *a, const struct lval *v)
{
	size_t blocks = 0, strs = 0, round;
	struct lval *top;
	struct pack pk;

	pack_size(v, &blocks, &strs);
	round = (blocks + LVAL_SPAN_UNIT - 1) / LVAL_SPAN_UNIT * LVAL_SPAN_UNIT;
	top = arena_alloc(a, sizeof(*top) + round + strs);
	pk.p = (char *)(top + 1);
	pk.s = pk.p + round;
	pack_copy(&pk, v, top);
	if (blocks && round <= LVAL_SPAN_MAX)
		top->span = (uint16_t)(round / LVAL_SPAN_UNIT);
	return top;
}

int json_parse(struct arena *a, const char *s, size_t n,
               const struct lval **out, struct err *e)
{
	return json_parse_shared(a, NULL, s, n, out, e);
}

int json_parse_shared(struct arena *a, struct lshapes *reg, const char *s, size_t n,
                      const struct lval **out, struct err *e)
{
	struct parser ps = { a, reg, s, s, s + n, 0, e, NULL, NULL };
	struct arena scratch;
	struct lval v;
	int rc;

	if (reg) {
		arena_init(&scratch, 4096);
		ps.a = &scratch;
	}
	skip_ws(&ps);
	rc = parse_value(&ps, &v);
	if (rc == OK) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			rc = fail(&ps, ps.p, "unexpected text after the JSON value");
	}
	if (rc == OK) {
		if (v.type == LV_NULL)
			*out = LV_NULLV;
		else if (v.type == LV_BOOL)
			*out = LV_BOOLV(v.b);
		else if (reg)
			*out = pack(a, &v);
		else {
			struct lval *top = arena_alloc(a, sizeof(*top));

			*top = v;
			*out = top;
		}
	}
	if (reg)
		arena_release(&scratch);
	if (rc) {
		/* Count lines and characters only on failure: the fast path pays nothing. */
		size_t line = 1, col = 1;
		const char *p = s;

		while (p < ps.err_at) {
			uint32_t cp;
			size_t k;

			if (*p == '\n') {
				line++;
				col = 1;
				p++;
				continue;
			}
			k = utf8_decode(p, (size_t)(ps.err_at - p), &cp);
			p += k ? k : 1;
			col++;
		}
		return err_set_at(e, ERR_INVALID, (uint32_t)line, (uint32_t)col, "%s", ps.err_msg);
	}
	return OK;
}
