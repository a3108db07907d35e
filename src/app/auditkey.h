/* The audit log's key: 32 random bytes in a file of its own, outside the
 * database, readable by its owner only (mode 0600), so that someone who can
 * write the database but not read the key cannot rebuild the audit chain. */
#ifndef SHINSA_AUDITKEY_H
#define SHINSA_AUDITKEY_H

#include "core/err.h"

#define AUDITKEY_BYTES 32

/* OK when path holds a key fit for use: a regular file of AUDITKEY_BYTES
 * bytes with no permission for group or others. ERR_NOTFOUND when there is
 * no file; ERR_FORBIDDEN when others may read or write it; ERR_INVALID for
 * a file that is not a key. */
int auditkey_check(const char *path, struct err *e);

/* Make a new key at path (mode 0600, from getrandom), never replacing a file
 * that is there (ERR_EXISTS). */
int auditkey_create(const char *path, struct err *e);

/* Read the key at path into key, after auditkey_check's checks. */
int auditkey_read(const char *path, unsigned char key[AUDITKEY_BYTES], struct err *e);

#endif
