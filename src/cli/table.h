/* Terminal tables aligned by display width (East Asian Wide characters take
 * two columns), with long cells wrapped to a column's maximum width. */
#ifndef SHINSA_TABLE_H
#define SHINSA_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	size_t ncols;
	const char **head;
	size_t *maxw;           /* per column: wrap beyond this many columns (0: never) */
	const char **cells;     /* rows * ncols, row-major */
	size_t nrows, cap;
};

void table_init(struct table *t, size_t ncols, const char **head);
void table_set_max(struct table *t, size_t col, size_t width);
void table_add(struct table *t, const char **row);   /* copies the pointers only */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* Print s padded with spaces to width display columns. */
void table_pad(FILE *f, const char *s, size_t width);

#endif
