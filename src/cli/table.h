/* Terminal tables aligned by display width (East Asian Wide characters take
 * two columns). Long cells wrap where a Japanese reader accepts a break:
 * between words, between kana and kanji, never inside an unbroken run of
 * Latin letters, digits and punctuation (a fact name, a value, an id), and
 * never with 、。」） at a line's start or 「（ at its end (禁則). The table
 * fits the terminal when printed to one, otherwise a sensible width. */
#ifndef SHINSA_TABLE_H
#define SHINSA_TABLE_H

#include <stddef.h>
#include <stdio.h>

/* The width a table takes when stdout is not a terminal and $COLUMNS is not
 * set: what a printed page or a wide editor shows without wrapping. */
#define TABLE_DEFAULT_WIDTH 120
#define TABLE_MIN_WIDTH 40

struct table {
	size_t ncols;
	const char **head;
	size_t *maxw;           /* per column: wrap beyond this many columns (0: no limit of its own) */
	unsigned char *nowrap;  /* per column: its cells are values (a verdict, a status), never broken */
	const char **cells;     /* rows * ncols, row-major */
	size_t nrows, cap;
	size_t width;           /* the whole table's width; 0: table_width() of the stream */
};

void table_init(struct table *t, size_t ncols, const char **head);
void table_set_max(struct table *t, size_t col, size_t width);
void table_set_width(struct table *t, size_t width);
void table_set_nowrap(struct table *t, size_t col);
void table_add(struct table *t, const char **row);   /* copies the pointers only */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* The width to fit when printing to f: the terminal's columns when f is a
 * terminal, else $COLUMNS when it is a number, else TABLE_DEFAULT_WIDTH
 * (never below TABLE_MIN_WIDTH). */
size_t table_width(FILE *f);

/* Print s as a paragraph broken to table_width(f) by the same rules as a
 * cell, each line after the first indented by hang columns. */
void table_para(FILE *f, const char *s, size_t hang);

/* Print s padded with spaces to width display columns. */
void table_pad(FILE *f, const char *s, size_t width);

/* One line of s that fits in width columns, broken where a Japanese reader
 * accepts it (a run longer than width is cut only when nothing else fits).
 * Returns the bytes of the line; *used is its display width and *skip the
 * bytes after it to pass over (the spaces or the newline at the break). */
size_t table_line(const char *s, size_t width, size_t *used, size_t *skip);

/* The width of the widest run in s that may not be broken. */
size_t table_min_width(const char *s);

#endif
