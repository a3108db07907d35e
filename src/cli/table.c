/* Terminal tables: column widths from the cells, fitted to the width
 * available, and lines broken by the rules of Japanese text (JIS X 4051's
 * 禁則, in the small form a terminal needs). */
#include "cli/table.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void table_init(struct table *t, size_t ncols, const char **head)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->head = head;
	t->maxw = calloc(ncols, sizeof(*t->maxw));
	t->nowrap = calloc(ncols, 1);
	if (!t->maxw || !t->nowrap)
		abort();
}

void table_set_nowrap(struct table *t, size_t col)
{
	t->nowrap[col] = 1;
}

void table_set_max(struct table *t, size_t col, size_t width)
{
	t->maxw[col] = width;
}

void table_set_width(struct table *t, size_t width)
{
	t->width = width;
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
	free(t->nowrap);
	memset(t, 0, sizeof(*t));
}

size_t table_width(FILE *f)
{
	struct winsize ws;
	const char *env;
	size_t w = TABLE_DEFAULT_WIDTH;

	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		w = ws.ws_col;
	} else if ((env = getenv("COLUMNS")) && *env) {
		char *end;
		long v = strtol(env, &end, 10);

		if (!*end && v > 0 && v < 10000)
			w = (size_t)v;
	}
	return w < TABLE_MIN_WIDTH ? TABLE_MIN_WIDTH : w;
}

void table_pad(FILE *f, const char *s, size_t width)
{
	size_t w = utf8_width(s, strlen(s));

	fputs(s, f);
	for (; w < width; w++)
		fputc(' ', f);
}

/* ------------------------------------------------------------ line breaking */

/* Characters that may not begin a line (行頭禁則): closing brackets, the
 * comma and full stop, small kana, the long-vowel mark, and their ASCII
 * counterparts. */
static int no_start(uint32_t c)
{
	static const uint32_t set[] = {
		0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FB, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0x30FC,
		0xFF09, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0x300B, 0x201D, 0x2019, 0xFF3D,
		0xFF5D, 0x3005, 0x303B, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x2010, 0x2013, 0x301C,
		0xFF05, 0x2026, 0x2025,
		0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E,
		0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5,
		0x30E7, 0x30EE, 0x30F5, 0x30F6,
		')', ']', '}', ',', '.', ':', ';', '!', '?', '%',
	};
	size_t i;

	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (set[i] == c)
			return 1;
	return 0;
}

/* Characters that may not end a line (行末禁則): opening brackets. */
static int no_end(uint32_t c)
{
	static const uint32_t set[] = {
		0xFF08, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0x300A, 0x201C, 0x2018, 0xFF3B,
		0xFF5B, '(', '[', '{',
	};
	size_t i;

	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (set[i] == c)
			return 1;
	return 0;
}

/* Part of an unbroken run: Latin letters, digits and the punctuation that
 * joins them in names, values, ids and paths (contract.recovery_terms, 7-4-2,
 * ISO/IEC 27017, https://…); a list's values may part after their comma. */
static int in_word(uint32_t c)
{
	return c > ' ' && c < 0x7F;
}

static uint32_t decode_at(const char *s, size_t n, size_t i, size_t *k)
{
	uint32_t cp;

	*k = utf8_decode(s + i, n - i, &cp);
	if (!*k) {
		*k = 1;
		cp = '?';
	}
	return cp;
}

/* May a line break come between prev and cur? */
static int may_break(uint32_t prev, uint32_t cur)
{
	if (cur == ' ')
		return !no_end(prev);
	if (prev == ' ')
		return !no_start(cur);
	/* after a comma of a list ("AES-256-GCM","SHA-384"): between two values */
	if (prev == ',' && cur != ',')
		return !no_start(cur);
	if (in_word(prev) && in_word(cur))
		return 0;
	return !no_start(cur) && !no_end(prev);
}

static int cp_width(uint32_t cp)
{
	int w = utf8_cp_width(cp);

	return w < 0 ? 1 : w;
}

size_t table_line(const char *s, size_t width, size_t *used, size_t *skip)
{
	size_t n = strlen(s), i = 0, w = 0, k, end, next;
	size_t brk = 0, brk_w = 0;        /* the last place a break is allowed */
	uint32_t prev = 0, cp;
	int full = 0;

	while (i < n && s[i] != '\n') {
		cp = decode_at(s, n, i, &k);
		if (i > 0 && may_break(prev, cp)) {
			brk = i;
			brk_w = w;
		}
		if (width && w + (size_t)cp_width(cp) > width && i > 0) {
			full = 1;
			/* at a space, or the last allowed place; else a run wider
			 * than the column is cut where it is full */
			if (cp != ' ' && brk > 0) {
				i = brk;
				w = brk_w;
			}
			break;
		}
		w += (size_t)cp_width(cp);
		prev = cp;
		i += k;
	}
	/* the spaces at a break belong to neither line */
	end = i;
	while (end > 0 && s[end - 1] == ' ') {
		end--;
		w--;
	}
	next = i;
	while (next < n && s[next] == ' ')
		next++;
	if (next < n && s[next] == '\n' && (!full || next > i || s[i] == '\n'))
		next++;
	*skip = next - end;
	*used = w;
	return end;
}

size_t table_min_width(const char *s)
{
	size_t n = strlen(s), i = 0, k, run = 0, best = 0;
	uint32_t prev = 0, cp;

	while (i < n) {
		cp = decode_at(s, n, i, &k);
		if (cp == '\n' || (i > 0 && prev != '\n' && may_break(prev, cp))) {
			if (run > best)
				best = run;
			run = 0;
		}
		if (cp != '\n' && cp != ' ')
			run += (size_t)cp_width(cp);
		prev = cp;
		i += k;
	}
	return run > best ? run : best;
}

void table_para(FILE *f, const char *s, size_t hang)
{
	size_t width = table_width(f), used, skip, k, i;
	int first = 1;

	if (hang > width / 2)
		hang = width / 2;
	do {
		k = table_line(s, first ? width : width - hang, &used, &skip);
		if (!first)
			for (i = 0; i < hang; i++)
				fputc(' ', f);
		fwrite(s, 1, k, f);
		fputc('\n', f);
		first = 0;
		s += k + skip;
	} while (*s && (k || skip));
}

/* ------------------------------------------------------------ layout */

/* The width of s's widest line when broken to width (0: only at newlines). */
static size_t cell_width(const char *s, size_t width)
{
	size_t best = 0, used, skip, k;

	while (*s) {
		k = table_line(s, width, &used, &skip);
		if (used > best)
			best = used;
		s += k + skip;
		if (!k && !skip)
			break;
	}
	return best;
}

/* Column widths: each column's natural width within its own limit, then,
 * while the table is wider than it may be, the column with the most room to
 * give above its narrowest (its widest unbreakable run) gives one column. */
static void layout(const struct table *t, size_t total, size_t *w)
{
	size_t *minw = calloc(t->ncols, sizeof(*minw)), r, c, sum = 0;

	if (!minw)
		abort();
	for (c = 0; c < t->ncols; c++) {
		size_t lim = t->maxw[c];

		w[c] = cell_width(t->head[c], 0);
		minw[c] = table_min_width(t->head[c]);
		for (r = 0; r < t->nrows; r++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t m = t->nowrap[c] ? cell_width(s, 0) : table_min_width(s);

			if (m > minw[c])
				minw[c] = m;
		}
		/* a column's own limit never cuts a fact name: it yields to the run */
		if (lim && lim < minw[c])
			lim = minw[c];
		for (r = 0; r < t->nrows; r++) {
			size_t cw = cell_width(t->cells[r * t->ncols + c], lim);

			if (cw > w[c])
				w[c] = cw;
		}
		if (minw[c] > w[c])
			minw[c] = w[c];
		sum += w[c] + (c + 1 < t->ncols ? 2 : 0);
	}
	while (sum > total) {
		size_t best = t->ncols, room = 0;

		for (c = 0; c < t->ncols; c++)
			if (w[c] > minw[c] && w[c] - minw[c] > room) {
				room = w[c] - minw[c];
				best = c;
			}
		if (best == t->ncols)
			break;              /* every column at its narrowest: let it overflow */
		w[best]--;
		sum--;
	}
	free(minw);
}

/* One row (the head, or a row of cells), its cells broken to the column
 * widths w, as many lines as its tallest cell takes. */
static void print_row(const struct table *t, const char *const *cells, const size_t *w, FILE *f)
{
	const char **pos = calloc(t->ncols, sizeof(*pos));
	size_t c;
	int more = 1;

	if (!pos)
		abort();
	for (c = 0; c < t->ncols; c++)
		pos[c] = cells[c];
	while (more) {
		size_t last = 0;

		more = 0;
		/* the last column with text on this line: no trailing spaces */
		for (c = 0; c < t->ncols; c++)
			if (*pos[c])
				last = c;
		for (c = 0; c < t->ncols; c++) {
			size_t used = 0, skip = 0, k = table_line(pos[c], w[c], &used, &skip), i;

			fwrite(pos[c], 1, k, f);
			pos[c] += k + skip;
			if (*pos[c])
				more = 1;
			if (c < last)
				for (i = used; i < w[c] + 2; i++)
					fputc(' ', f);
		}
		fputc('\n', f);
	}
	free(pos);
}

void table_print(const struct table *t, FILE *f)
{
	size_t *w = calloc(t->ncols, sizeof(*w)), r, c;

	if (!w)
		abort();
	layout(t, t->width ? t->width : table_width(f), w);
	/* the head breaks like a row when its column is narrower than it */
	print_row(t, t->head, w, f);
	for (c = 0; c < t->ncols; c++) {
		size_t i;

		for (i = 0; i < w[c]; i++)
			fputc('-', f);
		if (c != t->ncols - 1)
			fputs("  ", f);
	}
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++)
		print_row(t, t->cells + r * t->ncols, w, f);
	free(w);
}
