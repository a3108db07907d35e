/* Reading a whole file with a size cap, the mistakes a file system can make
 * each said plainly (a folder, no such file, too large), Japanese first. */
#ifndef SHINSA_FILE_H
#define SHINSA_FILE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

/* Read path ("-": standard input) into arena memory, NUL-terminated,
 * refusing more than max bytes. what_ja/what_en name the file in the
 * "cannot open" message ("ファイル" and "" for a plain file; "設定ファイル"
 * and "the configuration "). Returns OK, ERR_IO or ERR_TOOLARGE with the
 * message in e. */
int file_read_all(struct arena *a, const char *path, size_t max, const char *what_ja, const char *what_en,
                  char **out, size_t *n, struct err *e);

#endif
