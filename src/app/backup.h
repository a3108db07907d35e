/* Backups (shinsa backup / restore): a consistent online copy of the store,
 * plain (a SQLite file as it is) or encrypted with AES-256-GCM under a 32-byte
 * key file or a passphrase through PBKDF2-HMAC-SHA256; a restore that checks
 * the copy (integrity, schema version, the audit chain under the audit key)
 * before it replaces anything, then replaces the database with one rename.
 * The file format is docs/operations.md's "Backups". */
#ifndef SHINSA_BACKUP_H
#define SHINSA_BACKUP_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define BACKUP_MAGIC "SHINSABK"          /* 8 bytes, no NUL */
#define BACKUP_VERSION 1
#define BACKUP_KDF_KEYFILE 1
#define BACKUP_KDF_PBKDF2 2               /* PBKDF2-HMAC-SHA256 */
#define BACKUP_HEADER 44                  /* magic 8, version 1, kdf 1, 0 0, iterations 4, salt 16, nonce 12 */
#define BACKUP_SALT 16
#define BACKUP_PBKDF2_ITER 600000u        /* OWASP 2023 for PBKDF2-HMAC-SHA256 */
#define BACKUP_PBKDF2_ITER_MAX 100000000u /* a header asking for more is refused */
#define BACKUP_KEYFILE_BYTES 32
#define BACKUP_PASSPHRASE_MAX 1024

/* Where the key comes from: a key file, or a passphrase (NULL: neither). */
struct backup_key {
	const char *key_file;
	const char *pass;          /* the passphrase's bytes (not NUL-terminated) */
	size_t plen;
};

struct backup_req {
	const char *database;      /* the store's target (--db / the configuration) */
	const char *audit_key;     /* the audit key's file */
	const char *file;          /* the backup */
	int encrypt;               /* backup: encrypt with key */
	struct backup_key key;
	const char *actor, *channel;   /* for the audit entry */
};

struct backup_result {
	int encrypted;
	const char *kdf;           /* "key-file", "pbkdf2-sha256" or NULL */
	unsigned iterations;
	long long bytes;           /* the file written (backup) or read (restore) */
	long long entries;         /* restore: the audit entries verified */
	long long seq;             /* the audit entry appended */
	const char *location;      /* the database's file */
	int schema_before, schema; /* restore: the backup's schema version, and after (an older one is
	                            * brought up to date in the copy, and a store.migrate entry says so) */
};

/* Take a backup of r->database into r->file (which must not exist): a
 * snapshot while others write, written beside r->file and linked into place
 * when complete (mode 0600), then a store.backup audit entry. */
int app_backup(struct arena *a, const struct backup_req *r, struct backup_result *out, struct err *e);

/* Restore r->file over r->database's file: decrypted (when it is encrypted)
 * into a file beside the database, checked (SQLite integrity, a schema not
 * newer — an older one is migrated in the copy —, the audit chain verified under r->audit_key) and only then renamed
 * over it; a store.restore entry is appended. A refusal leaves the database
 * as it was. */
int app_restore(struct arena *a, const struct backup_req *r, struct backup_result *out, struct err *e);

/* Read a 32-byte key file: a regular file without group or other
 * permissions (ERR_FORBIDDEN), exactly 32 bytes (ERR_INVALID). */
int backup_read_key_file(const char *path, unsigned char key[BACKUP_KEYFILE_BYTES], struct err *e);

#endif
