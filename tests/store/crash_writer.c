/* The crash test's writer: opens a deployment and writes records as fast as
 * it can, each with its audit entry in one transaction, printing a record's
 * number only after its commit returned. test_crash.sh kills it with SIGKILL
 * at a random moment and checks that every number printed is in the store
 * and that the audit chain verifies. Usage: crash_writer DB KEYFILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/config.h"
#include "app/deploy.h"
#include "core/fmt.h"

struct one {
	struct app_deploy *dep;
	long long n;
};

static int write_one(struct store *s, void *arg, struct err *e)
{
	struct one *o = arg;
	struct store_record r;
	char id[32], body[96], due[16];
	int rc;

	if ((rc = store_record_next_number(s, "crash", &o->n, e)))
		return rc;
	if (fmt_snprintf(id, sizeof(id), "%lld", o->n) < 0 ||
	    fmt_snprintf(body, sizeof(body), "{\"n\":%lld,\"text\":\"記録 %lld\"}", o->n, o->n) < 0 ||
	    fmt_snprintf(due, sizeof(due), "2027-%02lld-01", o->n % 12 + 1) < 0)
		return err_set(e, ERR_INTERNAL, "format");
	memset(&r, 0, sizeof(r));
	r.kind = "crash";
	r.id = id;
	r.number = o->n;
	r.version = 1;
	r.keys.state = "written";
	r.keys.due = due;
	r.body = body;
	r.body_len = strlen(body);
	return app_record_write(o->dep, NULL, "cli:crash-test", "crash.write", &r, NULL, NULL, NULL, e);
}

int main(int argc, char **argv)
{
	struct app_config cfg;
	struct app_deploy dep;
	struct arena a;
	struct diag d = { 0 };
	struct err e = { 0 };
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32];
	struct one o;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: crash_writer DB KEYFILE\n");
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.database = argv[1];
	cfg.audit_key = argv[2];
	arena_init(&a, 1 << 16);
	if ((rc = app_deploy_open(&dep, &a, &cfg, NULL, DEPLOY_AUDIT, &d, &e))) {
		fprintf(stderr, "crash_writer: %s\n", err_text(&e, text, sizeof(text)));
		return 1;
	}
	o.dep = &dep;
	for (;;) {
		if ((rc = store_tx(dep.s, write_one, &o, &e))) {
			fprintf(stderr, "crash_writer: %s\n", err_text(&e, text, sizeof(text)));
			return 1;
		}
		/* only now is it committed: say so, unbuffered */
		printf("%lld\n", o.n);
		fflush(stdout);
	}
}
