/* A stop-gap hook, not a module: the reference lists and their matching
 * live in the policy layer (policy/reflist.h), but logic.c still serves
 * {"shinsa.in_list": …} itself until logic_env registers project operators
 * (issue #10). It may not include a higher layer, so this declares the two
 * things it calls, by the names it calls them. Delete this file when
 * shinsa.in_list is registered from src/policy through logic_env. */
#ifndef SHINSA_LOGIC_REFLIST_HOOK_H
#define SHINSA_LOGIC_REFLIST_HOOK_H

#include <stddef.h>

#include "core/arena.h"

struct reflist_index;

/* policy/reflist.h: is every algorithm of name on the list? */
int reflist_place(struct arena *a, const struct reflist_index *x, const char *name, size_t n,
                  const char **bad);
const char *reflist_name(const struct reflist_index *x);

/* logic.c reads only reflist_of(x)->name: a name, not the list's layout. */
#define reflist_of(x) (&(const struct { const char *name; }){ reflist_name(x) })

#endif
