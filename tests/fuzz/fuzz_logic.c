/* libFuzzer target for the JSON parser, the rule compiler and the evaluator.
 * The input is "RULE\nDATA" (split at the first newline; no newline means
 * the data is null). The rule is also compiled into a rule set twice over
 * and evaluated against the bound data: it must give what it gave alone, or
 * the target aborts. The same function is replayed over the kept corpus by
 * the ordinary test suite (replay_main.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void outcome(struct arena *a, struct buf *b, int rc, const struct logic_result *res)
{
	size_t i;

	if (rc)
		buf_puts(b, logic_error_type(a, res->error));
	else
		lval_write_json(b, res->value);
	for (i = 0; i < res->nmissing; i++)
		buf_printf(b, "\n%s", res->missing[i]);
}

static void same_outcome(struct arena *a, const char *what, int rc, const struct logic_result *res,
                         int rc2, const struct logic_result *r2)
{
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;

	buf_init(&b1, 1 << 20);
	buf_init(&b2, 1 << 20);
	outcome(a, &b1, rc, res);
	outcome(a, &b2, rc2, r2);
	if (b1.len != b2.len || memcmp(buf_str(&b1), buf_str(&b2), b1.len)) {
		fprintf(stderr, "%s: alone %s, here %s\n", what, buf_str(&b1), buf_str(&b2));
		abort();
	}
	buf_free(&b1);
	buf_free(&b2);
}

static void same_in_set(struct arena *a, const struct lval *rule, int flags,
                        const struct lval *facts, int rc, const struct logic_result *res)
{
	const struct lval *rules[2] = { rule, rule };
	const struct lval *docs[3] = { facts, LV_NULLV, facts };
	struct logic_set *set;
	struct logic_binding *bind;
	struct logic_batch *bt;
	struct logic_result r2, br[3];
	struct err e;
	size_t bad;

	if (logic_set_compile(a, rules, 2, NULL, flags, NULL, &set, &bad, &e)) {
		fprintf(stderr, "rule set: the rule compiled alone but not in a set: %s\n", e.msg);
		abort();
	}
	bind = logic_binding_new(a, set);
	logic_bind(bind, facts, a);
	same_outcome(a, "rule set", rc, res, logic_eval_bound(bind, 1, a, &r2), &r2);
	bt = logic_batch_new(a, set);
	logic_batch_bind(bt, docs, 3, a);
	logic_batch_eval(bt, 1, a, br);
	same_outcome(a, "batch lane 0", rc, res, br[0].value ? 0 : 1, &br[0]);
	same_outcome(a, "batch lane 2", rc, res, br[2].value ? 0 : 1, &br[2]);
}

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
	same_in_set(&a, rule, flags, facts, logic_eval(r, facts, &a, &res), &res);
out:
	arena_release(&a);
	return 0;
}
