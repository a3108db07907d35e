/* Fill an audit log for bench/audit.sh: N entries appended through
 * audit_append (the chain and HMAC as shinsa makes them), in transactions of
 * 10,000 so that the filling itself is quick.
 *   bench_audit DB KEY N      (DB and KEY made by shinsa init) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "core/fmt.h"
#include "core/isotime.h"

int main(int argc, char **argv)
{
	struct store *s;
	struct audit_log *l;
	struct err e = { 0 };
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32], id[32], after[128];
	long long n, i;
	char *end;

	if (argc != 4) {
		fputs("usage: bench_audit DB KEY N\n", stderr);
		return 2;
	}
	n = strtoll(argv[3], &end, 10);
	if (*end || n < 1) {
		fputs("bench_audit: N is a positive number\n", stderr);
		return 2;
	}
	if (store_open(argv[1], 0, &s, NULL, &e) || audit_open(s, argv[2], &l, &e)) {
		fprintf(stderr, "bench_audit: %s\n", err_text(&e, text, sizeof(text)));
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct audit_change c = { "alice", "cli:bench", "app.update", "application", id,
		                          "{\"state\":\"draft\"}", after, "", NULL };

		if (i % 10000 == 0 && store_begin(s, &e))
			break;
		if (fmt_snprintf(id, sizeof(id), "A-%lld", i % 5000) < 0 ||
		    fmt_snprintf(after, sizeof(after), "{\"state\":\"draft\",\"revision\":%lld}", i) < 0)
			return 1;
		if (audit_append(l, &c, NULL, &e))
			break;
		if ((i % 10000 == 9999 || i == n - 1) && store_commit(s, &e))
			break;
	}
	if (e.code) {
		fprintf(stderr, "bench_audit: %s\n", err_text(&e, text, sizeof(text)));
		return 1;
	}
	audit_close(l);
	store_close(s);
	return 0;
}
