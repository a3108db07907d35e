/* Country codes: the ISO 3166-1 alpha-2 codes that are assigned, shipped as
 * data (policies/reference/iso3166-1.yaml), so that a profile's "JA" or "ZZ"
 * is refused instead of being read as a country nobody has, and a likely
 * meaning is suggested (JA -> JP, UK -> GB). */
#ifndef SHINSA_COUNTRY_H
#define SHINSA_COUNTRY_H

#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"

struct country {
	const char *code;          /* "JP" */
	const char *en, *ja;       /* "Japan", "日本" */
};

struct country_list {
	const struct country *items;   /* by code */
	size_t n;
	const char *file;
};

/* Load dir/reference/iso3166-1.yaml (dir: the policies directory). Mistakes
 * go to d as file:line:column: message; returns OK only when there are none. */
int country_load(struct arena *a, const char *dir, struct country_list **out, struct diag *d);

/* The entry for an assigned code (exactly two upper-case letters), or NULL. */
const struct country *country_find(const struct country_list *l, const char *code, size_t n);

/* Why a code is not a country, and what was most likely meant. */
struct country_hint {
	const struct country *meant;   /* NULL when nothing is likely */
	const char *why_ja, *why_en;   /* NULL when there is nothing to say */
};

/* What a code that is not assigned most likely means: a known confusion (JA,
 * the language code for Japanese, means JP; UK is reserved and the United
 * Kingdom is GB; "jp" is JP), else the likeliest assigned code one letter
 * away. Returns h->meant. */
const struct country *country_suggest(const struct country_list *l, const char *code, size_t n,
                                      struct country_hint *h);

#endif
