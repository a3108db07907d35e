/* libFuzzer target for the JSON parser, the rule compiler and the evaluator.
 * The input is "RULE\nDATA" (split at the first newline; no newline means
 * the data is null). The rule is also compiled into a rule set twice over
 * and evaluated against the bound data, alone and in a batch (the data as
 * parsed, and packed through a shape registry), with every result and with
 * values only: it must give what it gave alone, or the target aborts. The same function is replayed over the kept corpus by
 * the ordinary test suite (replay_main.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "logic/json.h"
#include "logic/logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void outcome(struct arena *a, struct buf *b, int rc, const struct logic_result *res)
{
	size_t i;

	if (rc)
		buf_adds(b, logic_error_type(a, res->error));
	else
		lval_add_json(b, res->value);
	for (i = 0; i < res->nmissing; i++)
		buf_addf(b, "\n%s", res->missing[i]);
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
                        const struct lval *facts, const struct lval *packed, int rc,
                        const struct logic_result *res)
{
	const struct lval *rules[2] = { rule, rule };
	const struct lval *docs[3] = { facts, LV_NULLV, packed };
	const struct lval *const *vals;
	uint64_t more;
	size_t k;
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
	same_outcome(a, "batch lane 2 (packed)", rc, res, br[2].value ? 0 : 1, &br[2]);
	vals = logic_batch_values(bt, 1, a, &more);
	for (k = 0; k < 3; k += 2) {
		if (!vals[k] != !br[k].value || (vals[k] && !lval_deep_eq(vals[k], br[k].value))) {
			fprintf(stderr, "batch values: lane %zu differs\n", k);
			abort();
		}
		if ((br[k].nmissing || !br[k].value) && !(more >> k & 1)) {
			fprintf(stderr, "batch values: lane %zu has more to say, not marked\n", k);
			abort();
		}
		logic_batch_result(bt, k, &r2);
		same_outcome(a, "batch result", rc, res, r2.value ? 0 : 1, &r2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	size_t rn = nl ? (size_t)(nl - s) : size;
	const struct lval *rule, *facts = LV_NULLV, *packed = LV_NULLV;
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
	if (nl && facts != LV_NULLV) {
		if (json_parse_shared(&a, lshapes_new(&a), nl + 1, size - rn - 1, &packed, &e) ||
		    !lval_deep_eq(packed, facts)) {
			fprintf(stderr, "the data parsed through a registry differs\n");
			abort();
		}
	}
	/* Exercise both modes: strict for linting, lenient for run-time errors. */
	flags = (size & 1) ? LOGIC_LENIENT : 0;
	if (logic_compile(&a, rule, NULL, flags, &r, &e))
		goto out;
	same_in_set(&a, rule, flags, facts, packed, logic_eval(r, facts, &a, &res), &res);
out:
	arena_release(&a);
	return 0;
}
