/* The audit log: every change appends an entry (who, when, through which
 * channel, what, the record before and after). Entries are chained with
 * SHA-256 (each hash covers the entry's canonical encoding, which holds the
 * previous hash) and each is authenticated with HMAC-SHA256 under the key
 * file kept outside the database, so that someone who can write the database
 * but cannot read the key cannot rebuild the chain. docs/audit.md. */
#ifndef SHINSA_AUDIT_H
#define SHINSA_AUDIT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/err.h"
#include "logic/value.h"
#include "store/store.h"

#define AUDIT_RETENTION_MIN_DAYS 365       /* the standards keep records a year */
#define AUDIT_RETENTION_DEFAULT_DAYS 365
#define AUDIT_ENCODING_TAG "shinsa.audit.v1\n"
#define AUDIT_ACTION_PURGE "audit.purge"
#define AUDIT_ENTRY_MAX ((size_t)16 << 20)   /* an entry's encoding, at most */

struct audit_log;

/* The log of s, with the key read from key_path (app/auditkey.h's checks:
 * mode 0600, 32 bytes). */
int audit_open(struct store *s, const char *key_path, struct audit_log **out, struct err *e);
void audit_close(struct audit_log *l);

/* One change, as the caller describes it. NULL texts are "". */
struct audit_change {
	const char *actor;         /* the login ("" until users exist) */
	const char *channel;       /* audit_cli_channel(), later "web" */
	const char *action;        /* "store.init", "meta.set", … */
	const char *object_type, *object_id;
	const char *before, *after;   /* JSON text of the record, "" when none */
	const char *comment;
	const char *at;            /* NULL: now (JST); tests give old times */
};

/* Append c after the head, in the caller's transaction when one is open (so
 * the entry commits with the change), else in its own. *seq may be NULL. */
int audit_append(struct audit_log *l, const struct audit_change *c, long long *seq, struct err *e);

/* "cli:OSUSER": the command line, run by that operating-system user. */
const char *audit_cli_channel(struct arena *a);

/* The canonical encoding of en (its prev included, its hash and mac not):
 * AUDIT_ENCODING_TAG, then for each field in order "NAME LEN:BYTES\n" with
 * LEN its length in bytes in decimal. seq is decimal, prev 64 hex digits.
 * The entry's hash is SHA-256 of this; its mac is HMAC-SHA256(key, hash). */
void audit_encode(struct buf *b, const struct store_audit_entry *en);

/* What verify found. */
struct audit_report {
	long long count, first, last;      /* entries, lowest and highest seq */
	char head[CRYPTO_SHA256_HEX];      /* the last entry's hash ("" when empty) */
	const char *head_at;
	int ok;                            /* the whole chain holds (and the anchor, if given) */
	long long bad_seq;                 /* the first bad entry (0: none) */
	const char *problem;               /* "changed" | "removed" | "reordered" | "inserted" | NULL */
	const char *detail;                /* a sentence, Japanese / English */
	long long base_seq;                /* after a purge: the last purged entry (0: none) */
	char base[CRYPTO_SHA256_HEX];      /* … and its hash, where the chain now starts */
	const char *anchor;                /* the anchor given, or NULL */
	int anchor_found;                  /* the anchor is an entry's hash in the verified chain */
	long long anchor_seq;
};

/* Check the whole chain; anchor (64 hex digits, or NULL) must be the hash of
 * an entry that verifies. r->ok says the answer; the return code is for
 * failures to read. */
int audit_verify(struct audit_log *l, struct arena *a, const char *anchor, struct audit_report *r,
                 struct err *e);
/* { "ok", "count", "first", "last", "head": {"hash", "at"}, "base": {"seq", "hash"} | null,
 *   "first_bad": {"seq", "problem", "detail"} | null, "anchor": {"hash", "found", "seq"} | null } */
const struct lval *audit_report_model(struct arena *a, const struct audit_report *r);

/* The head for keeping elsewhere: { "count", "seq", "hash", "at" } (count 0,
 * seq 0 and hash "" when the log is empty). No key is needed. */
int audit_anchor(struct store *s, struct arena *a, const struct lval **model, struct err *e);

/* The seq range of the entries with since <= at < until: since and until are
 * a date (YYYY-MM-DD, JST; until takes the whole day) or an ISO 8601 time, or
 * NULL. *to < *from when none. */
int audit_range(struct store *s, const char *since, const char *until, long long *from, long long *to,
                struct err *e);

/* Remove the entries older than before (a date, JST midnight) when before is
 * at least retention_days ago (never fewer than AUDIT_RETENTION_MIN_DAYS),
 * after verifying the whole chain. The purge is itself an entry, recording
 * the purged range and its last hash as the chain's new base. Model:
 * { "removed", "first", "last", "base", "seq" } (removed 0: nothing old enough). */
int audit_purge(struct audit_log *l, struct arena *a, const char *before, long long retention_days,
                const char *actor, const char *channel, const struct lval **model, struct err *e);

#endif
