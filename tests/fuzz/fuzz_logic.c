/* libFuzzer target for the JSON parser, the rule compiler and the evaluator.
 * The input is "RULE\nDATA" (split at the first newline; no newline means
 * the data is null). The rule is also compiled into a rule set twice over
 * and evaluated against the bound data, alone and in a batch (the data as
 * parsed, and packed through a shape registry), with every result and with
 * values only: it must give what it gave alone, or the target aborts.
 *
 * Three-valued evaluation is checked too: walked from the start it gives
 * what logic_eval3 gives (which answers from the plain evaluation when
 * nothing missing was read), bound and in a batch the same; and when the
 * data's top-level nulls (missing facts) are few, every answer of them
 * (true or false each) under the plain evaluator throws or agrees with a
 * known three-valued truth and value, and throws when the three-valued
 * evaluation threw. The same function is replayed over the kept corpus by
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
#include "logic/logic_int.h"

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

static void same3(struct arena *a, const char *what, int rc, const struct logic_result3 *x,
                  int rc2, const struct logic_result3 *y)
{
	size_t i;
	int same = rc == rc2 && x->truth == y->truth && !x->value == !y->value &&
	           (!x->value || lval_deep_eq(x->value, y->value)) && x->ndeciding == y->ndeciding;

	for (i = 0; same && i < x->ndeciding; i++)
		same = !strcmp(x->deciding[i], y->deciding[i]);
	if (!same) {
		fprintf(stderr, "three-valued, %s: %d %d vs %d %d\n", what, rc, x->truth, rc2, y->truth);
		abort();
	}
	(void)a;
}

static int is_key(const struct lval *o, const char *k)
{
	return lval_obj_klen(o, 0) == strlen(k) && !memcmp(lval_obj_key(o, 0), k, strlen(k));
}

/* Does the rule look at absence itself (missing, exists, a default), or at
 * the document whole, so that answering a missing fact may change a known
 * answer? body: inside an iteration's or a catch's body, where var reads
 * the item or the error. */
static int about_absence(const struct lval *r, int body)
{
	const struct lval *v;
	size_t i;

	if (r->type == LV_ARR) {
		for (i = 0; i < r->n; i++)
			if (about_absence(r->u.arr[i], body))
				return 1;
		return 0;
	}
	if (r->type != LV_OBJ || r->n != 1)
		return 0;
	v = lval_obj_val(r, 0);
	if (is_key(r, "preserve"))
		return 0;
	if (is_key(r, "missing") || is_key(r, "missing_some") || is_key(r, "exists"))
		return 1;
	if (is_key(r, "var") || is_key(r, "val")) {
		const struct lval *k = v->type == LV_ARR ? (v->n ? v->u.arr[0] : LV_NULLV) : v;

		if (is_key(r, "var") && v->type == LV_ARR && v->n > 1)
			return 1;   /* a default */
		if (is_key(r, "val") && k->type == LV_ARR)
			return 1;   /* a climb, maybe to the whole document */
		if (!body && !((k->type == LV_STR && k->n) || k->type == LV_NUM))
			return 1;   /* the whole document, or a path computed */
		return about_absence(v, body);
	}
	if (v->type == LV_ARR && (is_key(r, "map") || is_key(r, "filter") || is_key(r, "reduce") ||
	                          is_key(r, "all") || is_key(r, "some") || is_key(r, "none") ||
	                          is_key(r, "try"))) {
		for (i = 0; i < v->n; i++)
			if (about_absence(v->u.arr[i], is_key(r, "try") ? body || i > 0 : body || i == 1))
				return 1;
		return 0;
	}
	return about_absence(v, body);
}

/* Every answer (true or false) of the facts' top-level nulls, when there
 * are at most 6 and the rule is not about absence: the plain evaluation
 * throws or agrees with what the three-valued one knew. */
static void answers_agree(struct arena *a, const struct lval *rule, const struct logic_rule *r,
                          const struct lval *facts, int rc, const struct logic_result3 *out)
{
	const char *keys[64];
	uint32_t klen[64];
	const struct lval *vals[64];
	size_t nulls[6], k = 0, i, n;
	unsigned mask;

	if (facts->type != LV_OBJ || facts->n > 64 || about_absence(rule, 0))
		return;
	n = facts->n;
	for (i = 0; i < n; i++) {
		keys[i] = lval_obj_key(facts, i);
		klen[i] = lval_obj_klen(facts, i);
		vals[i] = lval_obj_val(facts, i);
		if (vals[i]->type == LV_NULL) {
			if (k == 6)
				return;
			nulls[k++] = i;
		}
	}
	if (!k)
		return;
	for (mask = 0; mask < 1u << k; mask++) {
		struct arena_mark m = arena_mark(a);
		struct logic_result res;
		int prc;

		for (i = 0; i < k; i++)
			vals[nulls[i]] = LV_BOOLV(mask >> i & 1);
		prc = logic_eval(r, lval_obj(a, n, keys, klen, vals), a, &res);
		if (rc && !prc) {
			fprintf(stderr, "three-valued: threw, but an answer of the missing facts does not\n");
			abort();
		}
		if (!rc && !prc && out->truth != LOGIC_UNKNOWN &&
		    ((lval_truthy(res.value) ? LOGIC_TRUE : LOGIC_FALSE) != out->truth ||
		     (out->value && !lval_deep_eq(out->value, res.value)))) {
			fprintf(stderr, "three-valued: truth %d, but an answer of the missing facts "
			                "gives another\n", out->truth);
			abort();
		}
		arena_rewind(a, m);
	}
}

static void three_valued(struct arena *a, const struct lval *rule, int flags,
                         const struct logic_rule *r, const struct lval *facts,
                         const struct lval *packed)
{
	const struct lval *rules[2] = { rule, rule };
	const struct lval *docs[3] = { facts, LV_NULLV, packed };
	struct logic_result3 out, o2, lane[3];
	struct logic_set *set;
	struct logic_binding *bind;
	struct logic_batch *bt;
	struct err e;
	size_t i, j, bad;
	int rc = logic_eval3(a, r, facts, &out, &e);

	same3(a, "walked", rc, &out, logic_eval3_root(r->root, facts, NULL, a, 1, &o2, NULL), &o2);
	if ((out.truth == LOGIC_UNKNOWN && !rc) != (out.ndeciding > 0)) {
		fprintf(stderr, "three-valued: unknown without deciding facts, or known with some\n");
		abort();
	}
	for (i = 0; i < out.ndeciding; i++) {
		for (j = 0; j < out.nmissing && strcmp(out.missing[j], out.deciding[i]); j++)
			;
		if (j == out.nmissing) {
			fprintf(stderr, "three-valued: deciding %s was not read\n", out.deciding[i]);
			abort();
		}
	}
	if (logic_set_compile(a, rules, 2, NULL, flags, NULL, &set, &bad, &e))
		abort();
	bind = logic_binding_new(a, set);
	logic_bind(bind, facts, a);
	same3(a, "bound", rc, &out, logic_eval3_bound(a, bind, 1, &o2, NULL), &o2);
	bt = logic_batch_new(a, set);
	logic_batch_bind(bt, docs, 3, a);
	logic_batch_eval3(bt, 1, a, lane);
	same3(a, "batch lane 0", rc, &out, lane[0].error ? ERR_INVALID : OK, &lane[0]);
	same3(a, "batch lane 2 (packed)", rc, &out, lane[2].error ? ERR_INVALID : OK, &lane[2]);
	answers_agree(a, rule, r, facts, rc, &out);
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
	three_valued(&a, rule, flags, r, facts, packed);
out:
	arena_release(&a);
	return 0;
}
