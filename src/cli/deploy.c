/* Opening the deployment for a command (cli/deploy.h). */
#include "cli/deploy.h"

#include <string.h>

#include "app/audit.h"
#include "cli/cli.h"

int cli_dep_open(struct cli_dep *x, const char *cmd, unsigned need, const char *policies, const char *as)
{
	int rc;
	size_t i;

	memset(x, 0, sizeof(*x));
	x->cmd = cmd;
	arena_init(&x->a, 1 << 16);
	if ((rc = cli_settings(&x->a, &x->cfg))) {
		cli_dep_close(x);
		return err_exit_status(rc);
	}
	x->channel = audit_cli_channel(&x->a);
	if ((rc = app_deploy_open(&x->dep, &x->a, &x->cfg, policies, need, &x->d, &x->e))) {
		for (i = 0; i < x->d.n; i++)
			fprintf(stderr, "%s\n", x->d.items[i].text);
		goto fail;
	}
	if (as) {
		if ((rc = app_actor_as(x->dep.s, &x->a, as, x->channel, &x->actor, &x->e)))
			goto fail;
		x->has_actor = 1;
	}
	return OK;
fail:
	rc = cli_dep_fail(x, rc);
	cli_dep_close(x);
	return rc;
}

int cli_dep_fail(struct cli_dep *x, int rc)
{
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32];

	cli_error("%s: %s", x->cmd, err_text(&x->e, text, sizeof(text)));
	return err_exit_status(rc);
}

int cli_dep_need_actor(struct cli_dep *x)
{
	if (x->has_actor)
		return OK;
	cli_error("%1$s: 誰として行うかを --as LOGIN で指定してください / %1$s changes the records: say who acts with "
	          "--as LOGIN", x->cmd);
	return EXIT_USAGE;
}

void cli_dep_close(struct cli_dep *x)
{
	app_deploy_close(&x->dep);
	diag_free(&x->d);
	arena_release(&x->a);
}

int cli_write_json(const struct lval *m)
{
	struct buf out = BUF_INIT;
	int rc;

	if (lval_write_json(&out, m) == OK)
		buf_addc(&out, '\n');
	else
		out.rc = ERR_TOOLARGE;
	rc = cli_write(&out, stdout);
	buf_free(&out);
	return rc;
}
