/* The store: where shinsa keeps its records, behind an opaque handle. The
 * backend (SQLite now, PostgreSQL next) is chosen by the target's URL scheme;
 * nothing in this header names SQL or a backend's types, so the layers above
 * work the same on either. Every change runs in one transaction. */
#ifndef SHINSA_STORE_H
#define SHINSA_STORE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

struct store;

enum store_flags {
	STORE_CREATE = 1u << 0,    /* make the database when it does not exist */
	STORE_MIGRATE = 1u << 1,   /* bring an older schema up to date (else it is refused) */
};

/* What store_open found and did. */
struct store_open_info {
	const char *backend;       /* "sqlite" */
	int created;               /* the database did not exist before this open */
	int version_before;        /* the schema version found (0: an empty database) */
	int version;               /* the schema version now */
	int latest;                /* the newest this binary knows */
	size_t applied;            /* migrations this open ran */
};

/* Open target: a path (the default backend, SQLite), "sqlite:PATH" or
 * "sqlite://PATH". A database newer than this binary is refused; an older one
 * is migrated with STORE_MIGRATE (each migration in its own transaction) and
 * refused without it. info may be NULL. */
int store_open(const char *target, unsigned flags, struct store **out,
               struct store_open_info *info, struct err *e);
void store_close(struct store *s);

const char *store_backend(const struct store *s);   /* "sqlite" */
const char *store_location(const struct store *s);  /* the file or server, for messages */
int store_version(const struct store *s);

/* The file a target names when its backend keeps one (SQLite), copied into
 * a; NULL for a server. ERR_INVALID for a target that names no backend of
 * this binary (or no location). */
int store_target_file(struct arena *a, const char *target, const char **file, struct err *e);

/* Transactions. A record operation called outside one runs in its own; inside
 * begin … commit, it is part of that one. A write transaction takes the write
 * lock at begin, waiting up to the busy timeout for another writer. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* Run fn in one transaction: committed when fn returns OK, rolled back (and
 * fn's code returned) otherwise. */
typedef int (*store_tx_fn)(struct store *s, void *arg, struct err *e);
int store_tx(struct store *s, store_tx_fn fn, void *arg, struct err *e);

/* Is a transaction open on s (store_begin … store_commit)? */
int store_in_tx(const struct store *s);

/* The audit log (app/audit.h gives it its meaning): entries numbered 1, 2, …
 * and only ever appended; the one removal is the retention purge of a prefix.
 * Texts are UTF-8, "" when empty, never NULL. */
#define STORE_AUDIT_HASH 32
struct store_audit_entry {
	long long seq;
	const char *at;            /* JST with its offset */
	const char *actor;         /* the login, "" when none */
	const char *channel;       /* "cli:OSUSER", "web" */
	const char *action;        /* "store.init", "app.submit" */
	const char *object_type, *object_id;
	const char *before, *after;   /* JSON text, "" when none */
	const char *comment;
	unsigned char prev[STORE_AUDIT_HASH];   /* the entry before's hash (zeros for the first) */
	unsigned char hash[STORE_AUDIT_HASH];   /* SHA-256 of the entry's encoding */
	unsigned char mac[STORE_AUDIT_HASH];    /* HMAC-SHA256 of the hash under the key */
};

/* Called for each entry, in order; the texts live until fn returns. A code
 * other than OK stops the reading and is returned. */
typedef int (*store_audit_fn)(void *arg, const struct store_audit_entry *en, struct err *e);

/* Append en (its seq is the head's + 1: ERR_EXISTS when it is taken). */
int store_audit_append(struct store *s, const struct store_audit_entry *en, struct err *e);
/* The entries with from <= seq <= to, in order of seq (to < 0: to the end). */
int store_audit_read(struct store *s, long long from, long long to, store_audit_fn fn, void *arg,
                     struct err *e);
/* How many entries, and the lowest and highest seq (0 when empty). */
int store_audit_count(struct store *s, long long *count, long long *first, long long *last, struct err *e);
/* The last entry (texts copied into a); ERR_NOTFOUND when the log is empty. */
int store_audit_head(struct store *s, struct arena *a, struct store_audit_entry *en, struct err *e);
/* The last entry with this action (into a); ERR_NOTFOUND when there is none. */
int store_audit_last_action(struct store *s, struct arena *a, const char *action,
                            struct store_audit_entry *en, struct err *e);
/* The lowest seq whose time is at or after at (times compare as JST text);
 * ERR_NOTFOUND when every entry is older. */
int store_audit_seek(struct store *s, const char *at, long long *seq, struct err *e);
/* Remove the entries with seq <= upto: only app/audit.c's retention purge
 * calls it, after checking the retention period. */
int store_audit_purge(struct store *s, long long upto, long long *removed, struct err *e);

/* A consistent copy of the whole database, taken while other processes may
 * be writing (SQLite: VACUUM INTO, one read snapshot), into the file dest,
 * which must not exist or be empty (the caller makes it, mode 0600). Not
 * inside a transaction. ERR_NOTFOUND for a backend that keeps no file. */
int store_backup(struct store *s, const char *dest, struct err *e);

/* The backend's own check of the database's structure (SQLite: PRAGMA
 * integrity_check): *problem is NULL when it is sound, else the first
 * problems reported (into a). */
int store_integrity(struct store *s, struct arena *a, const char **problem, struct err *e);

/* The deployment's facts about itself (key → value). created_at is written once,
 * with the database; body_name is the deployment's body (安城市…). */
#define STORE_META_CREATED_AT "created_at"
#define STORE_META_BODY_NAME "body_name"
#define STORE_META_VALUE_MAX 1024

/* value (and updated_at, when not NULL: when it was last set, JST) into a;
 * ERR_NOTFOUND when the key has no value. */
int store_meta_get(struct store *s, struct arena *a, const char *key, const char **value,
                   const char **updated_at, struct err *e);
/* Set a settable key (body_name); created_at is refused. value: UTF-8, no
 * control characters, at most STORE_META_VALUE_MAX bytes. */
int store_meta_set(struct store *s, const char *key, const char *value, struct err *e);

/* ---- records ----
 * Every object shinsa keeps (a user, a binding, a service profile, an
 * application, a task, a review) is a record: a kind, an id, and versions
 * 1, 2, … each a JSON document written whole. A change adds a version and
 * never rewrites one, so each object's whole history stays in the store (the
 * ledger's history, a profile's versions, what was approved). A few fields of
 * each version are indexed for searching (struct store_keys); what each holds
 * for a kind is the app layer's choice (docs/records.md). */
#define STORE_KIND_MAX 32          /* [a-z_] */
#define STORE_ID_MAX 128           /* UTF-8, no control characters */
#define STORE_KEY_MAX 512          /* each indexed field, bytes */
#define STORE_BODY_MAX ((size_t)16 << 20)

struct store_keys {                /* NULL (or "") when the kind does not use it */
	const char *state;         /* an application's, task's or review's state; a user's */
	const char *owner;         /* a login: the applicant, a task's or review's owner, the user */
	const char *dept;          /* 所属 */
	const char *level;         /* a level id */
	const char *provider;      /* service.provider */
	const char *pack;          /* a pack id */
	const char *parent;        /* the record it belongs to ("app:12", "profile:3") */
	const char *due;           /* a date YYYY-MM-DD: a review's or task's due date, an
	                            * application's end of period */
};

struct store_record {
	const char *kind, *id;
	long long number;          /* the id as a number for numbered kinds, else 0 (for ordering) */
	long long version;         /* 1, 2, … */
	const char *at;            /* when this version was written (JST with offset) */
	const char *actor;         /* who wrote it (login, "" for none) */
	struct store_keys keys;
	const char *body;          /* JSON text, NUL-terminated */
	size_t body_len;
};

/* Write a version of a record. r->version must be the newest + 1 (1 for a
 * new record): ERR_EXISTS when it is taken (someone changed it meanwhile;
 * read it again), ERR_NOTFOUND when the version before is missing. The new
 * version becomes the newest. Texts are checked (lengths, UTF-8). */
int store_record_put(struct store *s, const struct store_record *r, struct err *e);

/* The next number for a numbered kind (applications, profiles, reviews,
 * tasks: 1, 2, …, never reused), taken in the caller's transaction. */
int store_record_next_number(struct store *s, const char *kind, long long *n, struct err *e);

/* One version (0: the newest) of a record, its texts copied into a;
 * ERR_NOTFOUND when there is none. */
int store_record_get(struct store *s, struct arena *a, const char *kind, const char *id,
                     long long version, struct store_record *out, struct err *e);

/* A search. Every field that is not NULL must hold: the keys in eq equal,
 * state one of states, due in [due_from, due_before), provider containing
 * provider_part (as written: no wildcards, case counts). Newest versions
 * only unless history: then every version whose own keys match (so a record
 * that has left a state is still found by the versions it had in it), oldest
 * first within a record. Ordered by number, then id; offset and limit (0: no
 * limit) page through the result. nstates > 0 needs states, none NULL. */
struct store_query {
	const char *kind;
	struct store_keys eq;
	const char *const *states;
	size_t nstates;
	const char *due_from, *due_before;
	const char *provider_part;
	long long offset, limit;
	int history;
};

/* Called for each match, in order; the texts live until fn returns. A code
 * other than OK stops the search and is returned. */
typedef int (*store_record_fn)(void *arg, const struct store_record *r, struct err *e);
int store_record_find(struct store *s, const struct store_query *q, store_record_fn fn, void *arg,
                      struct err *e);
/* How many records match q (offset and limit ignored). */
int store_record_count(struct store *s, const struct store_query *q, long long *n, struct err *e);

#endif
