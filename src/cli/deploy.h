/* What every command on the records does first: read the settings, open the
 * deployment (store, audit log, packs) and, with --as LOGIN, find the user it
 * acts as. Messages go to stderr as "shinsa: CMD: …". */
#ifndef SHINSA_CLI_DEPLOY_H
#define SHINSA_CLI_DEPLOY_H

#include "app/config.h"
#include "app/deploy.h"
#include "app/user.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/err.h"
#include "logic/value.h"

struct cli_dep {
	const char *cmd;             /* "app submit", for messages */
	struct arena a;
	struct app_config cfg;
	struct app_deploy dep;
	struct app_actor actor;      /* with --as */
	int has_actor;
	const char *channel;         /* "cli:OSUSER" */
	struct err e;
	struct diag d;
};

/* Open for cmd. as: the --as login, or NULL (a command that changes
 * something refuses NULL itself, naming --as). policies: --policies or NULL.
 * Returns OK or the exit status, the message printed and everything it
 * opened closed again (cli_dep_close may still be called: it is harmless). */
int cli_dep_open(struct cli_dep *x, const char *cmd, unsigned need, const char *policies, const char *as);
/* Print x->e as "shinsa: CMD: …" and return rc's exit status. */
int cli_dep_fail(struct cli_dep *x, int rc);
/* Refuse a change without --as: prints and returns EXIT_USAGE; OK with one. */
int cli_dep_need_actor(struct cli_dep *x);
void cli_dep_close(struct cli_dep *x);   /* may be called twice */

/* Write m as JSON and a newline to stdout (cli_write's errors). */
int cli_write_json(const struct lval *m);

#endif
