/* Terminal tables aligned by East Asian display width. */
#include "cli/table.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, size_t ncols, const char **head)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->head = head;
	t->maxw = calloc(ncols, sizeof(*t->maxw));
	if (!t->maxw)
		abort();
}

void table_set_max(struct table *t, size_t col, size_t width)
{
	t->maxw[col] = width;
}

void table_add(struct table *t, const char **row)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		const char **p = realloc(t->cells, cap * t->ncols * sizeof(*p));

		if (!p)
			abort();
		t->cells = p;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = row[i] ? row[i] : "";
	t->nrows++;
}

void table_free(struct table *t)
{
	free(t->cells);
	free(t->maxw);
	memset(t, 0, sizeof(*t));
}

void table_pad(FILE *f, const char *s, size_t width)
{
	size_t w = utf8_width(s, strlen(s));

	fputs(s, f);
	for (; w < width; w++)
		fputc(' ', f);
}

/* Bytes of s that fit in width columns (at least one character), breaking
 * at a newline. */
static size_t fit(const char *s, size_t width, size_t *used)
{
	size_t i = 0, w = 0, n = strlen(s);

	while (i < n && s[i] != '\n') {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		int cw;

		if (!k) {
			k = 1;
			cp = '?';
		}
		cw = utf8_cp_width(cp);
		if (width && w + (size_t)cw > width && i > 0)
			break;
		w += (size_t)cw;
		i += k;
	}
	*used = w;
	return i;
}

static size_t cell_width(const char *s, size_t maxw)
{
	size_t best = 0, used, k;

	while (*s) {
		k = fit(s, maxw, &used);
		if (used > best)
			best = used;
		s += k;
		if (*s == '\n')
			s++;
	}
	return best;
}

void table_print(const struct table *t, FILE *f)
{
	size_t *w = calloc(t->ncols, sizeof(*w)), r, c;
	const char **pos = calloc(t->ncols, sizeof(*pos));

	if (!w || !pos)
		abort();
	for (c = 0; c < t->ncols; c++) {
		w[c] = cell_width(t->head[c], 0);
		for (r = 0; r < t->nrows; r++) {
			size_t cw = cell_width(t->cells[r * t->ncols + c], t->maxw[c]);

			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (c = 0; c < t->ncols; c++) {
		if (c == t->ncols - 1)
			fputs(t->head[c], f);
		else
			table_pad(f, t->head[c], w[c] + 2);
	}
	fputc('\n', f);
	for (c = 0; c < t->ncols; c++) {
		size_t i;

		for (i = 0; i < w[c]; i++)
			fputc('-', f);
		if (c != t->ncols - 1)
			fputs("  ", f);
	}
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++) {
		int more = 1;

		for (c = 0; c < t->ncols; c++)
			pos[c] = t->cells[r * t->ncols + c];
		while (more) {
			more = 0;
			for (c = 0; c < t->ncols; c++) {
				size_t used = 0, k = fit(pos[c], t->maxw[c], &used), i;

				fwrite(pos[c], 1, k, f);
				pos[c] += k;
				if (*pos[c] == '\n')
					pos[c]++;
				if (*pos[c])
					more = 1;
				if (c != t->ncols - 1)
					for (i = used; i < w[c] + 2; i++)
						fputc(' ', f);
			}
			fputc('\n', f);
		}
	}
	free(w);
	free(pos);
}
