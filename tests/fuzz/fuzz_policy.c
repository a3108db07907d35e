/* libFuzzer target for the policy pack loader: YAML parsing, the positioned
 * tree, every check of the format, and the JsonLogic in checks. The bundled
 * vocabulary and reference lists are loaded once (SHINSA_POLICIES or the
 * source tree's policies/). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena set_arena;
static struct policy_set *set;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct diag d = { 0 };
	struct policy *p;

	if (!set) {
		struct diag sd = { 0 };

		arena_init(&set_arena, 1 << 16);
		if (policy_set_open(&set_arena, policy_default_dir(), &set, &sd))
			abort();
		diag_free(&sd);
	}
	if (size > (1 << 18))
		return 0;
	arena_init(&a, 1 << 14);
	(void)policy_load_text(&a, set, "fuzz.yaml", (const char *)data, size, &p, &d);
	diag_free(&d);
	arena_release(&a);
	return 0;
}
