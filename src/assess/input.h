/* Reading an input file (a profile, an application, a reference list) whole,
 * with the mistakes a person makes with files named plainly: a directory given
 * as a file, a file too large, a NUL byte (reported at its line:column, since
 * the parsers would stop there with a puzzling message). */
#ifndef SHINSA_INPUT_H
#define SHINSA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"

#define INPUT_MAX ((size_t)16 << 20)   /* 16 MiB per input file */

/* Read file into arena memory, NUL-terminated, at most max bytes. Mistakes go
 * to err as file:line:column: message; returns OK, ERR_IO, ERR_TOOLARGE or
 * ERR_INVALID (a directory, a NUL byte). */
int input_read(struct arena *a, const char *file, size_t max, char **text, size_t *n, struct diag *err);

/* The same checks for text already in memory (n bytes, not necessarily
 * NUL-terminated; file names it in messages): at most max bytes, no NUL byte.
 * *text is an arena copy, NUL-terminated. Returns OK, ERR_TOOLARGE or
 * ERR_INVALID. */
int input_text(struct arena *a, const char *file, const char *data, size_t n, size_t max, char **text,
               struct diag *err);

/* The 1-based line and column (in characters) of byte offset off of text. */
void input_position(const char *text, size_t off, uint32_t *line, uint32_t *col);

#endif
