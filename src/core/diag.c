/* Diagnostics: a list of positioned messages, kept on the heap so that it
 * outlives the arena of the input it describes. */
#include "core/diag.h"
#include "core/fmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_die(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);

	if (!p)
		abort();
	memcpy(p, s, n + 1);
	return p;
}

static void add(struct diag *d, const char *file, uint32_t line, uint32_t col, const char *msg)
{
	struct diag_entry *en;
	size_t k;
	char *text;

	if (d->n >= (d->max ? d->max : 200)) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct diag_entry *p = realloc(d->items, cap * sizeof(*p));

		if (!p)
			abort();
		d->items = p;
		d->cap = cap;
	}
	file = file ? file : "";
	k = strlen(file) + strlen(msg) + 32;
	text = malloc(k);
	if (!text)
		abort();
	/* k holds two 10-digit numbers and the separators: never cut */
	if (line)
		fmt_message(text, k, "%s:%u:%u: %s", file, line, col, msg);
	else if (*file)
		fmt_message(text, k, "%s: %s", file, msg);
	else
		fmt_message(text, k, "%s", msg);
	en = &d->items[d->n++];
	en->file = dup_or_die(file);
	en->line = line;
	en->col = col;
	en->msg = dup_or_die(msg);
	en->text = text;
}

void diag_add(struct diag *d, const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	/* a message cut at 1 KiB still says what and where */
	fmt_vmessage(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add(d, file, line, col, msg);
}

void diag_add_err(struct diag *d, const char *file, const struct err *e)
{
	add(d, e->file[0] ? e->file : file, e->line, e->col, e->msg);
}

void diag_free(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free((char *)d->items[i].file);
		free((char *)d->items[i].msg);
		free((char *)d->items[i].text);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->dropped = 0;
}
