/* Benchmark of the JsonLogic engine: evaluations per second on one core for
 * (a) the official suite looped and (b) policy-shaped rules over thousands of
 * fact documents. Prints RESULT lines that bench/run.sh sets beside the
 * JavaScript engines' figures. Not a test: it asserts nothing about time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "logic/json.h"
#include "logic/logic.h"

static size_t max_passes;   /* --passes: fixed work, for instruction counts */

struct pair {
	struct logic_rule *rule;
	const struct lval *data;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t k;

	if (!f) {
		perror(path);
		exit(2);
	}
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, k);
	fclose(f);
	return buf_detach(&b, n);
}

static const struct lval *parse(struct arena *a, const char *s, size_t n, const char *what)
{
	const struct lval *v;
	struct err e;

	if (json_parse(a, s, n, &v, &e)) {
		fprintf(stderr, "%s: %s\n", what, e.msg);
		exit(2);
	}
	return v;
}

static const struct lval *parse_shared(struct arena *a, struct lshapes *reg, const char *s, size_t n,
                                       const char *what)
{
	const struct lval *v;
	struct err e;

	if (json_parse_shared(a, reg, s, n, &v, &e)) {
		fprintf(stderr, "%s: %s\n", what, e.msg);
		exit(2);
	}
	return v;
}

static struct logic_rule *compile(struct arena *a, const struct lval *rule)
{
	struct logic_rule *r;
	struct err e;

	if (logic_compile(a, rule, NULL, LOGIC_LENIENT, &r, &e)) {
		fprintf(stderr, "compile: %s\n", e.msg);
		exit(2);
	}
	return r;
}

/* Round-robin over the pairs for about `seconds`, one logic_eval each. */
static void run(const char *workload, const char *engine, struct pair *p, size_t n, double seconds)
{
	struct arena ev;
	struct logic_result res;
	double t0, t1;
	size_t evals = 0, errors = 0, i, sink = 0;

	arena_init(&ev, 1 << 16);
	/* warm-up: one pass */
	for (i = 0; i < n; i++) {
		struct arena_mark m = arena_mark(&ev);

		logic_eval(p[i].rule, p[i].data, &ev, &res);
		arena_rewind(&ev, m);
	}
	t0 = now();
	do {
		for (i = 0; i < n; i++) {
			struct arena_mark m = arena_mark(&ev);

			if (logic_eval(p[i].rule, p[i].data, &ev, &res))
				errors++;
			else
				sink += res.value->type;
			arena_rewind(&ev, m);
		}
		evals += n;
		t1 = now();
	} while (t1 - t0 < seconds && (!max_passes || evals < max_passes * n));
	printf("RESULT workload=%s engine=%s evals=%zu seconds=%.3f evals_per_sec=%.0f\n",
	       workload, engine, evals, t1 - t0, evals / (t1 - t0));
	printf("INFO workload=%s engine=%s errors=%zu sink=%zu pairs=%zu\n",
	       workload, engine, errors, sink, n);
	arena_release(&ev);
}

/* (b) through the rule set, one way or the other: a pass evaluates every
 * (rule, document) pair once, each giving its own result. */
struct setrun {
	const struct logic_set *set;
	const struct lval **docs;
	size_t ndocs, nrules;
	struct logic_binding *bind;
	struct logic_batch *batch;
	size_t errors, sink;
};

/* Each document bound alone (logic_bind), then every rule evaluated against
 * it (logic_eval_bound): documents outer and rules inner, as in run(). */
static void pass_bound(struct setrun *r, struct arena *ev)
{
	struct logic_result res;
	size_t d, j;

	for (d = 0; d < r->ndocs; d++) {
		struct arena_mark m = arena_mark(ev);

		logic_bind(r->bind, r->docs[d], ev);
		for (j = 0; j < r->nrules; j++) {
			if (logic_eval_bound(r->bind, j, ev, &res))
				r->errors++;
			else
				r->sink += res.value->type;
		}
		arena_rewind(ev, m);
	}
}

/* 64 documents bound at once (logic_batch_bind), then each rule evaluated
 * over all of them (logic_batch_values: the values, as the JS engines give;
 * the lanes with missing paths are there to ask for). */
static void pass_batch(struct setrun *r, struct arena *ev)
{
	size_t d, j, k, n;

	for (d = 0; d < r->ndocs; d += n) {
		struct arena_mark m = arena_mark(ev);

		n = r->ndocs - d < LOGIC_BATCH ? r->ndocs - d : LOGIC_BATCH;
		logic_batch_bind(r->batch, r->docs + d, n, ev);
		for (j = 0; j < r->nrules; j++) {
			const struct lval *const *out = logic_batch_values(r->batch, j, ev, NULL);

			for (k = 0; k < n; k++) {
				if (out[k])
					r->sink += out[k]->type;
				else
					r->errors++;
			}
		}
		arena_rewind(ev, m);
	}
}

/* One untimed warm-up pass, then passes for about `seconds`. */
static void run_set(const char *engine, void (*pass)(struct setrun *, struct arena *),
                    const struct logic_set *set, const struct lval **docs, size_t ndocs,
                    double seconds)
{
	struct arena ev, keep;
	struct setrun r = { set, docs, ndocs, logic_set_size(set), NULL, NULL, 0, 0 };
	size_t evals = 0;
	double t0, t1;

	arena_init(&ev, 1 << 16);
	arena_init(&keep, 1 << 12);
	r.bind = logic_binding_new(&keep, set);
	r.batch = logic_batch_new(&keep, set);
	pass(&r, &ev);
	r.errors = r.sink = 0;
	t0 = now();
	do {
		pass(&r, &ev);
		evals += ndocs * r.nrules;
		t1 = now();
	} while (t1 - t0 < seconds && (!max_passes || evals < max_passes * ndocs * r.nrules));
	printf("RESULT workload=b engine=%s evals=%zu seconds=%.3f evals_per_sec=%.0f\n",
	       engine, evals, t1 - t0, evals / (t1 - t0));
	printf("INFO workload=b engine=%s errors=%zu sink=%zu pairs=%zu paths=%zu batch=%d\n",
	       engine, r.errors, r.sink, ndocs * r.nrules, logic_set_paths(set), LOGIC_BATCH);
	arena_release(&ev);
	arena_release(&keep);
}

/* BENCH_RULE_COSTS=1: nanoseconds per evaluation of each rule alone, in
 * batches of 64 documents over every document, and of binding a batch, to
 * see which rules the time goes to. Each batch is bound once and each rule
 * evaluated over it 10 times in a row, so the figures are for data in cache. */
static void rule_costs(const struct logic_set *set, const struct lval **docs, size_t ndocs)
{
	struct arena ev, keep;
	struct logic_batch *b;
	size_t nrules = logic_set_size(set), d, j, rep, n;
	double *ns = calloc(nrules ? nrules : 1, sizeof(*ns)), t0, bind = 0, all = 0;

	arena_init(&ev, 1 << 16);
	arena_init(&keep, 1 << 12);
	b = logic_batch_new(&keep, set);
	for (d = 0; d < ndocs; d += n) {
		struct arena_mark m = arena_mark(&ev);

		n = ndocs - d < LOGIC_BATCH ? ndocs - d : LOGIC_BATCH;
		t0 = now();
		logic_batch_bind(b, docs + d, n, &ev);
		bind += now() - t0;
		for (j = 0; j < nrules; j++) {
			t0 = now();
			for (rep = 0; rep < 10; rep++) {
				struct arena_mark m2 = arena_mark(&ev);

				logic_batch_values(b, j, &ev, NULL);
				arena_rewind(&ev, m2);
			}
			ns[j] += now() - t0;
		}
		arena_rewind(&ev, m);
	}
	for (j = 0; j < nrules; j++) {
		printf("COST rule=%zu ns=%.1f\n", j, ns[j] / (10.0 * ndocs) * 1e9);
		all += ns[j] / (10.0 * ndocs) * 1e9;
	}
	printf("COST rules ns=%.1f (all rules, a document)\n", all);
	printf("COST bind ns=%.1f (a document, cold)\n", bind / (double)ndocs * 1e9);
	free(ns);
	arena_release(&ev);
	arena_release(&keep);
}

/* Check our answers against json-logic-js's, recorded by gen_workload.mjs:
 * rule by rule (logic_eval), through the rule set one document at a time
 * (logic_eval_bound), and in batches (logic_batch_eval and
 * logic_batch_values, which must agree). */
static void check(struct arena *a, struct pair *p, const struct logic_set *set, size_t nrules,
                  size_t ndocs, const char *expected)
{
	size_t n, nw = 0, same = 0, diff = 0, sset = 0, dset = 0, sbat = 0, dbat = 0, i, d, k;
	char *text = slurp(expected, &n), *s = text, *nl;
	const struct lval **want = calloc(ndocs ? ndocs : 1, sizeof(*want)), *docs[LOGIC_BATCH];
	struct logic_binding *b = logic_binding_new(a, set);
	struct logic_batch *bt = logic_batch_new(a, set);
	struct logic_result res, bres[LOGIC_BATCH];

	while (nw < ndocs && (nl = memchr(s, '\n', n - (size_t)(s - text)))) {
		want[nw++] = parse(a, s, (size_t)(nl - s), expected);
		s = nl + 1;
	}
	for (d = 0; d < nw; d++) {
		logic_bind(b, p[d * nrules].data, a);
		for (i = 0; i < nrules && i < want[d]->n; i++) {
			struct pair *q = &p[d * nrules + i];

			if (logic_eval(q->rule, q->data, a, &res) == 0 && lval_deep_eq(res.value, want[d]->u.arr[i]))
				same++;
			else if (diff++ < 10)
				fprintf(stderr, "DIFF per-rule doc %zu rule %zu\n", d, i);
			if (logic_eval_bound(b, i, a, &res) == 0 && lval_deep_eq(res.value, want[d]->u.arr[i]))
				sset++;
			else if (dset++ < 10)
				fprintf(stderr, "DIFF rule-set doc %zu rule %zu\n", d, i);
		}
	}
	for (d = 0; d < nw; d += LOGIC_BATCH) {
		size_t m = nw - d < LOGIC_BATCH ? nw - d : LOGIC_BATCH;

		for (k = 0; k < m; k++)
			docs[k] = p[(d + k) * nrules].data;
		logic_batch_bind(bt, docs, m, a);
		for (i = 0; i < nrules; i++) {
			const struct lval *const *out;

			logic_batch_eval(bt, i, a, bres);
			out = logic_batch_values(bt, i, a, NULL);
			for (k = 0; k < m; k++) {
				if (i >= want[d + k]->n)
					continue;
				if (bres[k].value && out[k] && lval_deep_eq(bres[k].value, want[d + k]->u.arr[i]) &&
				    lval_deep_eq(out[k], bres[k].value))
					sbat++;
				else if (dbat++ < 10)
					fprintf(stderr, "DIFF batch doc %zu rule %zu\n", d + k, i);
			}
		}
	}
	printf("CHECK workload=b engine=shinsa-per-rule same_as_json_logic_js=%zu different=%zu\n", same, diff);
	printf("CHECK workload=b engine=shinsa-bound same_as_json_logic_js=%zu different=%zu\n", sset, dset);
	printf("CHECK workload=b engine=shinsa same_as_json_logic_js=%zu different=%zu\n", sbat, dbat);
	free(want);
	free(text);
}

int main(int argc, char **argv)
{
	const char *official = NULL, *rules = NULL, *facts = NULL, *expected = NULL;
	double seconds = 3;
	struct arena a;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--official"))
			official = argv[i + 1];
		else if (!strcmp(argv[i], "--rules"))
			rules = argv[i + 1];
		else if (!strcmp(argv[i], "--facts"))
			facts = argv[i + 1];
		else if (!strcmp(argv[i], "--expected"))
			expected = argv[i + 1];
		else if (!strcmp(argv[i], "--passes"))
			max_passes = (size_t)strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = strtod(argv[i + 1], NULL);
		else
			break;
	}
	if (i != argc || (!official && !rules)) {
		fprintf(stderr, "usage: bench_logic [--official tests.json] [--rules R.json --facts F.jsonl"
		                " [--expected E.jsonl]] [--seconds N] [--passes N]\n");
		return 2;
	}
	arena_init(&a, 1 << 20);
	if (official) {
		size_t n, k, np = 0;
		char *text = slurp(official, &n);
		const struct lval *suite = parse(&a, text, n, official);
		struct pair *p = calloc(suite->n, sizeof(*p));

		for (k = 0; k < suite->n; k++) {
			const struct lval *c = suite->u.arr[k];

			if (c->type != LV_ARR || c->n < 2)
				continue;
			p[np].rule = compile(&a, c->u.arr[0]);
			p[np].data = c->u.arr[1];
			np++;
		}
		run("a", "shinsa", p, np, seconds);
		free(p);
		free(text);
	}
	if (rules && facts) {
		size_t n, fn, k, j, ndocs = 0;
		char *rtext = slurp(rules, &n), *ftext = slurp(facts, &fn), *s, *nl;
		const struct lval *rl = parse(&a, rtext, n, rules);
		struct logic_rule **compiled = calloc(rl->n, sizeof(*compiled));
		struct logic_set *set;
		struct err e;
		size_t bad = 0;
		const struct lval **docs = NULL;
		struct pair *p;
		/* fact documents share shapes, as a profile store would parse them */
		struct lshapes *reg = lshapes_new(&a);

		for (k = 0; k < rl->n; k++)
			compiled[k] = compile(&a, rl->u.arr[k]);
		if (logic_set_compile(&a, (const struct lval *const *)rl->u.arr, rl->n, NULL, LOGIC_LENIENT,
		                      NULL, &set, &bad, &e)) {
			fprintf(stderr, "compile: rule %zu: %s\n", bad, e.msg);
			exit(2);
		}
		for (s = ftext; (nl = memchr(s, '\n', fn - (size_t)(s - ftext))); s = nl + 1) {
			if (nl == s)
				continue;
			docs = realloc(docs, (ndocs + 1) * sizeof(*docs));
			docs[ndocs++] = parse_shared(&a, reg, s, (size_t)(nl - s), facts);
		}
		p = calloc(ndocs * rl->n, sizeof(*p));
		for (k = 0; k < ndocs; k++)
			for (j = 0; j < rl->n; j++) {
				p[k * rl->n + j].rule = compiled[j];
				p[k * rl->n + j].data = docs[k];
			}
		if (expected)
			check(&a, p, set, rl->n, ndocs, expected);
		if (getenv("BENCH_RULE_COSTS"))
			rule_costs(set, docs, ndocs);
		run_set("shinsa", pass_batch, set, docs, ndocs, seconds);
		if (!getenv("BENCH_SET_ONLY"))
			run_set("shinsa-bound", pass_bound, set, docs, ndocs, seconds);
		if (!getenv("BENCH_SET_ONLY"))
			run("b", "shinsa-per-rule", p, ndocs * rl->n, seconds);
		free(p);
		free(docs);
		free(compiled);
		free(rtext);
		free(ftext);
	}
	arena_release(&a);
	return 0;
}
