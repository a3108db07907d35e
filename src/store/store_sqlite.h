/* The SQLite backend's pieces shared by its two files: the operations
 * (store_sqlite.c) and the schema's migrations (store_sqlite_migrations.c). */
#ifndef SHINSA_STORE_SQLITE_H
#define SHINSA_STORE_SQLITE_H

#include <stddef.h>

#include "store/store_int.h"

extern const struct store_migration store_sqlite_migrations[];

#endif
