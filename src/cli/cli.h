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
int cmd_init(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_profile(int argc, char **argv);

/* The global options, before or after the command (main.c takes them out of
 * argv before the command sees it): --db FILE|URL, --config FILE. NULL when
 * not given. Set once, before any command runs. */
struct cli_global {
	const char *db;
	const char *config;
};
extern struct cli_global cli_global;

struct app_config;
/* The deployment's settings: the --config file when given, --db over it, and
 * the defaults (app_config_resolve). A mistake is printed; returns its code. */
int cli_settings(struct arena *a, struct app_config *c);

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
