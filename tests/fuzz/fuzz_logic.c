/* libFuzzer target for the JSON parser, the rule compiler and the evaluator.
 * The input is "RULE\nDATA" (split at the first newline; no newline means
 * the data is null). The same function is replayed over the kept corpus by
 * the ordinary test suite (replay_main.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	size_t rn = nl ? (size_t)(nl - s) : size;
	const struct lval *rule, *facts = LV_NULLV;
	struct logic_rule *r;
	struct logic_result res;
	struct arena a;
	struct err e;
	int flags;

	if (size > (1 << 16))
		return 0;
	arena_init(&a, 1 << 14);
	if (json_parse(&a, s, rn, &rule, &e))
		goto out;
	if (nl && json_parse(&a, nl + 1, size - rn - 1, &facts, &e))
		facts = LV_NULLV;
	/* Exercise both modes: strict for linting, lenient for run-time errors. */
	flags = (size & 1) ? LOGIC_LENIENT : 0;
	if (logic_compile(&a, rule, NULL, flags, &r, &e))
		goto out;
	if (logic_eval(r, facts, &a, &res) == 0) {
		struct buf b = BUF_INIT;

		buf_init(&b, 1 << 20);
		lval_write_json(&b, res.value);
		buf_free(&b);
	} else {
		(void)logic_error_type(&a, res.error);
	}
out:
	arena_release(&a);
	return 0;
}
