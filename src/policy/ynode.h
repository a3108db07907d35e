/* A YAML document as a tree of nodes that remember where they were written,
 * so that every mistake in a policy file can be reported as file:line:column.
 * Built on libyaml; anchors and aliases are refused (a policy file needs
 * neither, and refusing them rules out alias bombs). */
#ifndef SHINSA_YNODE_H
#define SHINSA_YNODE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "logic/value.h"

enum ynode_kind {
	YN_SCALAR,
	YN_SEQ,
	YN_MAP,
};

struct ynode {
	uint8_t kind;
	uint8_t quoted;          /* a scalar written in quotes: always a string */
	uint32_t line, col;      /* 1-based */
	const char *str;         /* YN_SCALAR: the text (NUL-terminated, valid UTF-8) */
	size_t len;
	size_t n;                /* YN_SEQ items / YN_MAP pairs */
	struct ynode **items;    /* YN_SEQ: items; YN_MAP: keys at 2i, values at 2i+1 */
};

#define YNODE_MAX_DEPTH 64
#define YNODE_MAX_BYTES ((size_t)8 << 20)

/* Parse text (one document) into *out. On error returns ERR_INVALID with
 * "LINE:COL: message" in e (the caller prefixes the file name). Duplicate keys
 * in a mapping are an error. */
int ynode_parse(struct arena *a, const char *text, size_t n, struct ynode **out, struct err *e);

/* The value of key in a mapping, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/* Convert a node to a JSON value, resolving plain scalars with the YAML 1.2
 * core schema (null, true/false, integers, floats; anything else a string).
 * Mapping keys become strings. */
const struct lval *ynode_to_lval(struct arena *a, const struct ynode *y);

/* Is this scalar a YAML 1.2 null? */
int ynode_is_null(const struct ynode *y);

#endif
