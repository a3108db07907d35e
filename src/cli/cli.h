/* Shared pieces of the command-line tool: the command table entry type and
 * helpers for reading arguments and files safely. */
#ifndef SHINSA_CLI_H
#define SHINSA_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

/* Exit statuses: EXIT_* and err_exit_status() in core/err.h. */

#define CLI_MAX_INPUT ((size_t)64 << 20)   /* 64 MiB per file or argument */

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary_ja;
	const char *summary_en;
};

int cmd_logic(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_matrix(int argc, char **argv);

/* Read a whole file ("-" is standard input) into arena memory, NUL-terminated,
 * refusing more than max bytes. */
int cli_read_file(struct arena *a, const char *path, size_t max,
                  char **out, size_t *n, struct err *e);

/* An argument that is either JSON text or @file. */
int cli_read_arg(struct arena *a, const char *arg, char **out, size_t *n,
                 const char **origin, struct err *e);

/* Write the text of b (built with the sticky appends) to f: an append that
 * failed is reported, not written half, and so is a write error. Returns OK,
 * ERR_TOOLARGE or ERR_IO (the message already printed, naming what). */
int cli_write(struct buf *b, FILE *f);

/* Print "shinsa: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_is_help(const char *arg);

#endif
