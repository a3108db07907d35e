/* libFuzzer target for the deployment's configuration file (app/config.c):
 * the input is read as the file would be (app_config_load_text: YAML, the
 * keys of app_config_keys, the bindings and the review settings checked with
 * their positions), then resolved as a command resolves it. Invariants, else
 * the target aborts: a refusal has a code and a message, and a position
 * inside the input when it gives one; an accepted file resolves to settings
 * in their ranges (retention at least a year, a cycle of at least a month,
 * a real month and day for the personnel move). The same function is
 * replayed over the kept corpus by the ordinary test suite (replay_main.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "core/arena.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_config: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct app_config c;
	struct err e = { 0 };
	size_t lines = 1, i;
	int rc;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	arena_init(&a, 1 << 14);
	rc = app_config_load_text(&a, "/etc/shinsa/fuzz.yaml", (const char *)data, size, &c, &e);
	if (rc) {
		if (rc > 0 || !e.code || !e.msg[0])
			fail("a refusal without its code or message");
		if (e.line > lines)
			fail("a refusal placed past the input's last line");
	} else {
		rc = app_config_resolve(&a, &c, NULL, &e);
		if (rc && (!e.code || !e.msg[0]))
			fail("resolve refused without a message");
		if (!rc) {
			if (c.retention_days < CONFIG_RETENTION_MIN)
				fail("retention under a year");
			if (c.cycle_months < 1)
				fail("a review cycle under a month");
			if (c.personnel_month < 1 || c.personnel_month > 12 || c.personnel_day < 1 || c.personnel_day > 31)
				fail("no such personnel-move date");
			if (!c.database || !c.audit_key)
				fail("resolved without a database or an audit key");
		}
	}
	arena_release(&a);
	return 0;
}
