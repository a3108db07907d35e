/* Diagnostics: every mistake found in an input, each with its position as
 * data (file, line, column) and its message, so that a lint run or a profile
 * check shows an author all of them at once. */
#ifndef SHINSA_DIAG_H
#define SHINSA_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct diag_entry {
	const char *file;     /* "" when not about a file */
	uint32_t line, col;   /* 0: about the file as a whole (or a fact path in it) */
	const char *msg;      /* what is wrong */
	const char *text;     /* "file:line:col: msg" (or "file: msg"), for printing */
};

struct diag {
	struct diag_entry *items;
	size_t n, cap;
	size_t max;           /* stop recording after this many (0: 200) */
	size_t dropped;       /* how many were not recorded past max */
};

void diag_add(struct diag *d, const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Record e, in file unless e names its own. */
void diag_add_err(struct diag *d, const char *file, const struct err *e);
void diag_free(struct diag *d);

#endif
