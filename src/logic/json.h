/* JSON text to struct lval: a strict RFC 8259 parser that reports line:column,
 * caps nesting depth and input size, and keeps numbers as doubles (as JS does). */
#ifndef SHINSA_JSON_H
#define SHINSA_JSON_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"

#define JSON_MAX_DEPTH 512

/* Parse exactly one JSON value (surrounding whitespace allowed) from s[0..n).
 * On error returns ERR_INVALID with what is wrong in e->msg and where in
 * e->line and e->col (the column counted in characters, from 1). */
int json_parse(struct arena *a, const char *s, size_t n,
               const struct lval **out, struct err *e);

/* The same, sharing object shapes through reg (see struct lshapes): for many
 * documents of one kind, such as service profiles. */
int json_parse_shared(struct arena *a, struct lshapes *reg, const char *s, size_t n,
                      const struct lval **out, struct err *e);

#endif
