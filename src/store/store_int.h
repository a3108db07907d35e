/* Between the store's generic part (store.c) and its backends: the table of
 * operations a backend implements, its migrations as data, and the handle's
 * common fields. Only src/store and the store's tests include this. */
#ifndef SHINSA_STORE_INT_H
#define SHINSA_STORE_INT_H

#include <stddef.h>

#include "store/store.h"

/* One step of a backend's schema: version n turns schema n-1 into n. The
 * script is the backend's own text, run as it is in one transaction. */
struct store_migration {
	int version;               /* 1, 2, … in order, no gaps */
	const char *name;          /* what it adds, for the record */
	const char *script;
};

/* What a backend does. Every function that can fail fills e and returns a code
 * of core/err.h. The record operations assume the newest schema (store.c runs
 * them only after the migrations). */
struct store_ops {
	/* location is the target without its scheme. *created: the database did
	 * not exist (made only with STORE_CREATE). Returns the handle with its
	 * struct store (the first member of the backend's own) zeroed. */
	int (*open)(const char *location, unsigned flags, struct store **out, int *created,
	            struct err *e);
	void (*close)(struct store *s);
	int (*begin)(struct store *s, struct err *e);      /* a write transaction */
	int (*commit)(struct store *s, struct err *e);
	void (*rollback)(struct store *s);
	/* The schema version (0: an empty database); ERR_INVALID for a database
	 * that is not shinsa's. Inside a transaction it reads under its lock. */
	int (*version)(struct store *s, int *version, struct err *e);
	/* Inside a transaction: run m's script and record m as applied at `at`. */
	int (*migrate)(struct store *s, const struct store_migration *m, const char *at,
	               struct err *e);
	int (*meta_get)(struct store *s, struct arena *a, const char *key, const char **value,
	                const char **updated_at, struct err *e);
	int (*meta_set)(struct store *s, const char *key, const char *value, const char *at,
	                struct err *e);
	/* the audit log (store.h) */
	int (*audit_append)(struct store *s, const struct store_audit_entry *en, struct err *e);
	int (*audit_read)(struct store *s, long long from, long long to, store_audit_fn fn, void *arg,
	                  struct err *e);
	int (*audit_count)(struct store *s, long long *count, long long *first, long long *last,
	                   struct err *e);
	/* the last entry, or the last with action when it is not NULL */
	int (*audit_last)(struct store *s, struct arena *a, const char *action, struct store_audit_entry *en,
	                  struct err *e);
	int (*audit_seek)(struct store *s, const char *at, long long *seq, struct err *e);
	int (*audit_purge)(struct store *s, long long upto, long long *removed, struct err *e);
	/* a consistent copy into the file dest (store.h) */
	int (*backup)(struct store *s, const char *dest, struct err *e);
	int (*integrity)(struct store *s, struct arena *a, const char **problem, struct err *e);
	/* records (store.h), their texts already checked by store.c; the
	 * operations that write run inside a transaction */
	int (*record_put)(struct store *s, const struct store_record *r, struct err *e);
	int (*record_next_number)(struct store *s, const char *kind, long long *n, struct err *e);
	int (*record_get)(struct store *s, struct arena *a, const char *kind, const char *id, long long version,
	                  struct store_record *out, struct err *e);
	int (*record_find)(struct store *s, const struct store_query *q, store_record_fn fn, void *arg,
	                   struct err *e);
	int (*record_count)(struct store *s, const struct store_query *q, long long *n, struct err *e);
};

/* A row of the backend table: the URL scheme that selects it. */
struct store_backend {
	const char *scheme;        /* "sqlite" */
	int is_file;               /* the location is a file path */
	const struct store_ops *ops;
	const struct store_migration *migrations;   /* ending with STORE_MIGRATIONS_END */
};

#define STORE_MIGRATIONS_END { 0, NULL, NULL }

/* The common part of every handle, first in the backend's own struct. */
struct store {
	const struct store_backend *backend;
	char *location;            /* owned by store.c */
	int version;
	int in_tx;
};

extern const struct store_backend store_sqlite_backend;

/* store_open with a given backend row and location (the tests run their own
 * migrations through it). */
int store_open_with(const struct store_backend *b, const char *location, unsigned flags,
                    struct store **out, struct store_open_info *info, struct err *e);

#endif
