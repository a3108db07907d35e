/* The packs applications were decided under. At submission the pack's file
 * is kept in the store once per version (a record of kind "pack", its id the
 * SHA-256 of the file's bytes); what follows the decision — the reviews it
 * schedules, the items a review judges, the ledger's fields — reads the pack
 * by that SHA-256: the pack as loaded when the file is still the same, else
 * the kept text loaded again. A later edit of a pack so never changes what
 * was approved. */
#ifndef SHINSA_PACKS_H
#define SHINSA_PACKS_H

#include "app/deploy.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/err.h"
#include "policy/policy.h"

/* Keep p's file in the store (once: a version already kept is not written
 * again), in the caller's transaction; *sha is its SHA-256 (hex, in a). */
int app_pack_keep(struct app_deploy *dep, struct arena *a, const struct app_actor *who, const struct policy *p,
                  const char **sha, struct err *e);

/* The pack id as it was when its file's SHA-256 was sha (NULL or "": the pack
 * as loaded now, for records from before packs were kept). ERR_NOTFOUND when
 * neither the loaded pack nor a kept text has that SHA-256. Loaded packs are
 * cached on dep for the rest of its life. */
int app_pack_at(struct app_deploy *dep, const char *id, const char *sha, const struct policy **out, struct err *e);

#endif
