/* YAML to a positioned tree, through libyaml's event API. */
#include "policy/ynode.h"
#include "core/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct builder {
	struct arena *a;
	yaml_parser_t p;
	struct err *e;
	int depth;
	uint32_t end_line, end_col;   /* where the text ends (1-based) */
};

/* libyaml places a problem at the end of a text without a last newline on
 * the line after it: a position is never past where the text ends. */
static void mark_pos(const struct builder *b, yaml_mark_t m, uint32_t *line, uint32_t *col)
{
	*line = (uint32_t)m.line + 1;
	*col = (uint32_t)m.column + 1;
	if (*line > b->end_line || (*line == b->end_line && *col > b->end_col)) {
		*line = b->end_line;
		*col = b->end_col;
	}
}

static int fail_at(struct builder *b, yaml_mark_t m, const char *msg)
{
	uint32_t line, col;

	mark_pos(b, m, &line, &col);
	return err_set_at(b->e, ERR_INVALID, line, col, "%s", msg);
}

static int parser_fail(struct builder *b)
{
	const char *what = b->p.problem ? b->p.problem : "invalid YAML";
	uint32_t line, col;

	mark_pos(b, b->p.problem_mark, &line, &col);
	if (b->p.context)
		return err_set_at(b->e, ERR_INVALID, line, col, "YAML の書き方に誤りがあります / %s %s", what,
		                  b->p.context);
	return err_set_at(b->e, ERR_INVALID, line, col, "YAML の書き方に誤りがあります / %s", what);
}

static int next(struct builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->p, ev))
		return parser_fail(b);
	return OK;
}

static struct ynode *node_new(struct builder *b, int kind, yaml_mark_t m)
{
	struct ynode *y = arena_zalloc(b->a, sizeof(*y));

	y->kind = (uint8_t)kind;
	mark_pos(b, m, &y->line, &y->col);
	return y;
}

static int build(struct builder *b, yaml_event_t *ev, struct ynode **out);

/* Collect the children of a sequence or mapping until its end event. */
static int build_children(struct builder *b, struct ynode *y, yaml_event_type_t end)
{
	struct ynode **items = NULL;
	size_t n = 0, cap = 0, i;
	int rc = OK;

	for (;;) {
		yaml_event_t ev;
		struct ynode *child;

		if ((rc = next(b, &ev)))
			goto out;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		rc = build(b, &ev, &child);
		yaml_event_delete(&ev);
		if (rc)
			goto out;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct ynode **tmp = arena_alloc(b->a, ncap * sizeof(*tmp));

			if (n)
				memcpy(tmp, items, n * sizeof(*tmp));
			items = tmp;
			cap = ncap;
		}
		items[n++] = child;
	}
	if (y->kind == YN_MAP) {
		/* keys are scalars, once each */
		for (i = 0; i < n; i += 2) {
			size_t j;

			if (items[i]->kind != YN_SCALAR) {
				rc = err_set_at(b->e, ERR_INVALID, items[i]->line, items[i]->col,
				                "対応付けのキーは単純な値で書きます / a mapping key must be a plain value");
				goto out;
			}
			for (j = 0; j < i; j += 2)
				if (items[j]->len == items[i]->len && !memcmp(items[j]->str, items[i]->str, items[i]->len)) {
					rc = err_set_at(b->e, ERR_INVALID, items[i]->line, items[i]->col,
					                "キー '%1$s' が重複しています（最初は %2$u 行目） / duplicate key '%1$s' (first at line %2$u)",
					                items[i]->str, items[j]->line);
					goto out;
				}
		}
		y->n = n / 2;
	} else {
		y->n = n;
	}
	y->items = items;
out:
	return rc;
}

static int build(struct builder *b, yaml_event_t *ev, struct ynode **out)
{
	struct ynode *y;
	int rc;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return fail_at(b, ev->start_mark, "基準ファイルでは別名（*name）は使えません / aliases (*name) are not allowed in policy files");
	case YAML_SCALAR_EVENT: {
		size_t bad;

		if (ev->data.scalar.anchor)
			return fail_at(b, ev->start_mark, "基準ファイルではアンカー（&name）は使えません / anchors (&name) are not allowed in policy files");
		if (!utf8_valid((const char *)ev->data.scalar.value, ev->data.scalar.length, &bad))
			return fail_at(b, ev->start_mark, "UTF-8 として正しくありません / invalid UTF-8");
		y = node_new(b, YN_SCALAR, ev->start_mark);
		y->str = arena_strndup(b->a, (const char *)ev->data.scalar.value, ev->data.scalar.length);
		y->len = ev->data.scalar.length;
		y->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
		*out = y;
		return OK;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int map = ev->type == YAML_MAPPING_START_EVENT;

		if ((map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor))
			return fail_at(b, ev->start_mark, "基準ファイルではアンカー（&name）は使えません / anchors (&name) are not allowed in policy files");
		if (++b->depth > YNODE_MAX_DEPTH)
			return fail_at(b, ev->start_mark, "入れ子が深すぎます / nesting too deep");
		y = node_new(b, map ? YN_MAP : YN_SEQ, ev->start_mark);
		rc = build_children(b, y, map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT);
		b->depth--;
		if (rc)
			return rc;
		*out = y;
		return OK;
	}
	default:
		return fail_at(b, ev->start_mark, "YAML として読めません / unexpected YAML event");
	}
}

/* The line and column (1-based, in characters) of byte off of text. */
static void pos_at(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

int ynode_parse(struct arena *a, const char *text, size_t n, struct ynode **out, struct err *e)
{
	struct builder b;
	yaml_event_t ev;
	int rc, done = 0;
	const char *nul;
	uint32_t line, col;
	size_t bad;

	if (n > YNODE_MAX_BYTES)
		return err_set_at(e, ERR_TOOLARGE, 1, 1, "ファイルが大きすぎます（%1$zu バイトまで） / file larger than %1$zu bytes", YNODE_MAX_BYTES);
	/* A NUL byte would end the text early for every C string after this,
	 * and libyaml reports it without a position: say where it is. */
	if ((nul = memchr(text, '\0', n))) {
		pos_at(text, (size_t)(nul - text), &line, &col);
		return err_set_at(e, ERR_INVALID, line, col, "NUL 文字（0x00）は使えません / a NUL byte (0x00) is not allowed");
	}
	if (!utf8_valid(text, n, &bad)) {
		pos_at(text, bad, &line, &col);
		return err_set_at(e, ERR_INVALID, line, col, "UTF-8 として正しくありません / invalid UTF-8");
	}
	memset(&b, 0, sizeof(b));
	b.a = a;
	b.e = e;
	pos_at(text, n, &b.end_line, &b.end_col);
	if (!yaml_parser_initialize(&b.p))
		return err_set_at(e, ERR_INTERNAL, 1, 1, "YAML の読み取りを始められません / cannot start the YAML parser");
	yaml_parser_set_input_string(&b.p, (const unsigned char *)text, n);
	yaml_parser_set_encoding(&b.p, YAML_UTF8_ENCODING);
	*out = NULL;
	rc = OK;
	while (!done && rc == OK) {
		if ((rc = next(&b, &ev)))
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (*out)
				rc = fail_at(&b, ev.start_mark, "一つのファイルに YAML 文書は一つだけです / only one YAML document is allowed per file");
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			rc = build(&b, &ev, out);
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&b.p);
	if (rc == OK && !*out)
		rc = err_set_at(e, ERR_INVALID, 1, 1, "ファイルが空です / the file is empty");
	return rc;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	size_t i, kn = strlen(key);

	if (!map || map->kind != YN_MAP)
		return NULL;
	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i];

		if (k->len == kn && !memcmp(k->str, key, kn))
			return map->items[2 * i + 1];
	}
	return NULL;
}

int ynode_is_null(const struct ynode *y)
{
	if (y->kind != YN_SCALAR || y->quoted)
		return 0;
	return y->len == 0 || !strcmp(y->str, "~") || !strcmp(y->str, "null") ||
	       !strcmp(y->str, "Null") || !strcmp(y->str, "NULL");
}

/* YAML 1.2 core schema number: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ |
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.inf | \.nan */
static int core_number(const char *s, double *d)
{
	const char *p = s;
	char *end;
	int digits = 0;

	if (!strcmp(s, ".inf") || !strcmp(s, "+.inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF")) {
		*d = INFINITY;
		return 1;
	}
	if (!strcmp(s, "-.inf") || !strcmp(s, "-.Inf") || !strcmp(s, "-.INF")) {
		*d = -INFINITY;
		return 1;
	}
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		*d = NAN;
		return 1;
	}
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'x') && s[2]) {
		unsigned long long v = strtoull(s + 2, &end, s[1] == 'o' ? 8 : 16);

		if (*end)
			return 0;
		*d = (double)v;
		return 1;
	}
	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits++;
	}
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		int ed = 0;

		p++;
		if (*p == '-' || *p == '+')
			p++;
		while (*p >= '0' && *p <= '9')
			p++, ed++;
		if (!ed)
			return 0;
	}
	if (*p)
		return 0;
	*d = strtod(s, NULL);
	return 1;
}

const struct lval *ynode_to_lval(struct arena *a, const struct ynode *y)
{
	size_t i;

	switch (y->kind) {
	case YN_SCALAR: {
		double d;

		if (y->quoted)
			return lval_str_ref(a, y->str, y->len);
		if (ynode_is_null(y))
			return LV_NULLV;
		if (!strcmp(y->str, "true") || !strcmp(y->str, "True") || !strcmp(y->str, "TRUE"))
			return LV_TRUEV;
		if (!strcmp(y->str, "false") || !strcmp(y->str, "False") || !strcmp(y->str, "FALSE"))
			return LV_FALSEV;
		if (core_number(y->str, &d))
			return lval_num(a, d);
		return lval_str_ref(a, y->str, y->len);
	}
	case YN_SEQ: {
		struct lval *arr = lval_arr(a, y->n);

		for (i = 0; i < y->n; i++)
			arr->u.arr[i] = ynode_to_lval(a, y->items[i]);
		return arr;
	}
	default: {
		const char **keys = arena_alloc(a, (y->n ? y->n : 1) * sizeof(*keys));
		uint32_t *klen = arena_alloc(a, (y->n ? y->n : 1) * sizeof(*klen));
		const struct lval **vals = arena_alloc(a, (y->n ? y->n : 1) * sizeof(*vals));

		for (i = 0; i < y->n; i++) {
			keys[i] = y->items[2 * i]->str;
			klen[i] = (uint32_t)y->items[2 * i]->len;
			vals[i] = ynode_to_lval(a, y->items[2 * i + 1]);
		}
		return lval_obj(a, y->n, keys, klen, vals);
	}
	}
}
