/* Batches: a pack's conditions as one rule set (logic_set_compile),
 * evaluated three-valued over up to LOGIC_BATCH documents at a time
 * (logic_batch_eval3), for a matrix of many profiles. Each rule is evaluated
 * for the whole batch when an assessment first asks for it, and kept until
 * the next binding; an assessment on a lane reads its result by the
 * condition's address. What a lane gets is what logic_eval3 gives for its
 * document alone, so a batched assessment equals assess_run's.
 *
 * app.classification is the one fact that changes between the levels of a
 * pack (profile_facts_set_level writes it in place): a rule that may read it
 * is never kept, but evaluated alone, lane by lane, each time it is asked. */
#include "assess/assess.h"

#include <string.h>

#include "logic/logic.h"

struct assess_rules {
	const struct policy *p;
	struct logic_set *set;
	const struct policy_cond **conds;    /* by rule index */
	uint8_t *by_level;                   /* rule i may read app.classification */
	size_t n;
	/* condition address -> rule index: open addressing, a power of two */
	const struct policy_cond **hkey;
	uint32_t *hval;
	size_t hmask;
};

struct assess_batch {
	const struct assess_rules *r;
	struct logic_batch *lb;
	const struct lval *docs[LOGIC_BATCH];
	size_t n;
	struct arena *work;
	struct arena_mark base;
	struct logic_result3 **res;          /* per rule: n results, or NULL until asked */
	int8_t **rc;                         /* per rule: each lane's return code */
};

static size_t hash_ptr(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

/* May the rule read app.classification? Any var or val whose path is not a
 * literal, and any literal naming it or a prefix of it, say yes. */
static int reads_level(const struct lval *v)
{
	size_t i;

	if (v->type == LV_STR)
		return !strcmp(v->u.str, "app.classification") || !strcmp(v->u.str, "app") ||
		       !strcmp(v->u.str, "classification") || !v->u.str[0];
	if (v->type == LV_ARR) {
		for (i = 0; i < v->n; i++)
			if (reads_level(v->u.arr[i]))
				return 1;
		return 0;
	}
	if (v->type != LV_OBJ)
		return 0;
	for (i = 0; i < v->n; i++) {
		const char *op = lval_obj_key(v, i);
		const struct lval *arg = lval_obj_val(v, i);

		if (!strcmp(op, "val"))
			return 1;
		if (!strcmp(op, "var")) {
			const struct lval *k = arg->type == LV_ARR ? (arg->n ? arg->u.arr[0] : NULL) : arg;

			if (!k || k->type != LV_STR)
				return 1;   /* {"var": []}, a computed path: anything */
		}
		if (reads_level(arg))
			return 1;
	}
	return 0;
}

/* Every condition of the pack, each once. */
static void add_cond(struct arena *a, struct assess_rules *r, const struct policy_cond *c, size_t *cap)
{
	size_t i;

	if (!c || !c->rule)
		return;
	for (i = 0; i < r->n; i++)
		if (r->conds[i] == c)
			return;
	if (r->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;

		r->conds = arena_realloc(a, r->conds, *cap * sizeof(*r->conds), ncap * sizeof(*r->conds));
		*cap = ncap;
	}
	r->conds[r->n++] = c;
}

int assess_rules_new(struct arena *a, const struct policy_set *set, const struct policy *p,
                     struct assess_rules **out, struct err *e)
{
	struct assess_rules *r = arena_zalloc(a, sizeof(*r));
	const struct lval **json;
	size_t cap = 0, i, j, failed = 0, hcap;
	int rc;

	r->p = p;
	for (i = 0; i < p->nexemptions; i++)
		add_cond(a, r, &p->exemptions[i].when, &cap);
	for (i = 0; i < p->nprohibitions; i++)
		add_cond(a, r, &p->prohibitions[i].when, &cap);
	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_criterion *c = &p->criteria[i];

		for (j = 0; j < c->nob_when; j++)
			add_cond(a, r, &c->ob_when[j].when, &cap);
		add_cond(a, r, c->when, &cap);
		add_cond(a, r, c->check, &cap);
		for (j = 0; c->check_at && j < p->nlevels; j++)
			add_cond(a, r, c->check_at[j], &cap);
		for (j = 0; j < c->nalts; j++)
			add_cond(a, r, &c->alts[j].check, &cap);
	}
	for (i = 0; i < p->nprocedures; i++)
		for (j = 0; j < p->procedures[i].nreviews; j++)
			add_cond(a, r, p->procedures[i].reviews[j].when, &cap);
	json = arena_alloc(a, (r->n ? r->n : 1) * sizeof(*json));
	r->by_level = arena_zalloc(a, r->n ? r->n : 1);
	for (i = 0; i < r->n; i++) {
		json[i] = r->conds[i]->json;
		r->by_level[i] = (uint8_t)reads_level(json[i]);
	}
	rc = logic_set_compile(a, json, r->n, NULL, 0, policy_set_env(set), &r->set, &failed, e);
	if (rc)
		return rc;
	for (hcap = 16; hcap < r->n * 2; hcap *= 2)
		;
	r->hmask = hcap - 1;
	r->hkey = arena_zalloc(a, hcap * sizeof(*r->hkey));
	r->hval = arena_zalloc(a, hcap * sizeof(*r->hval));
	for (i = 0; i < r->n; i++) {
		size_t h = hash_ptr(r->conds[i]) & r->hmask;

		while (r->hkey[h])
			h = (h + 1) & r->hmask;
		r->hkey[h] = r->conds[i];
		r->hval[h] = (uint32_t)i;
	}
	*out = r;
	return OK;
}

static long rule_of(const struct assess_rules *r, const struct policy_cond *c)
{
	size_t h = hash_ptr(c) & r->hmask;

	while (r->hkey[h]) {
		if (r->hkey[h] == c)
			return (long)r->hval[h];
		h = (h + 1) & r->hmask;
	}
	return -1;
}

struct assess_batch *assess_batch_new(struct arena *a, const struct assess_rules *r, struct arena *work)
{
	struct assess_batch *b = arena_zalloc(a, sizeof(*b));
	size_t n = r->n ? r->n : 1;

	b->r = r;
	b->lb = logic_batch_new(a, r->set);
	b->work = work;
	b->base = arena_mark(work);
	b->res = arena_zalloc(a, n * sizeof(*b->res));
	b->rc = arena_zalloc(a, n * sizeof(*b->rc));
	return b;
}

void assess_batch_bind(struct assess_batch *b, const struct lval *const *docs, size_t n)
{
	if (n > LOGIC_BATCH)
		n = LOGIC_BATCH;
	arena_rewind(b->work, b->base);
	memset(b->res, 0, (b->r->n ? b->r->n : 1) * sizeof(*b->res));
	memcpy(b->docs, docs, n * sizeof(*docs));
	b->n = n;
	logic_batch_bind(b->lb, docs, n, b->work);
}

void assess_batch_level(struct assess_batch *b)
{
	(void)b;    /* the rules that read the level are never kept (assess_batch_cond) */
}

const struct policy *assess_batch_policy(const struct assess_batch *b)
{
	return b->r->p;
}

const struct lval *assess_batch_doc(const struct assess_batch *b, size_t k)
{
	return b->docs[k];
}

int assess_batch_cond(struct assess_batch *b, size_t k, const struct policy_cond *c, struct arena *a,
                      struct logic_result3 *out)
{
	long i = rule_of(b->r, c);
	size_t j;

	if (i < 0 || b->r->by_level[i])     /* not the pack's (never), or it may read the level */
		return logic_eval3(a, c->rule, b->docs[k], out, NULL);
	if (!b->res[i]) {
		b->res[i] = arena_alloc(b->work, b->n * sizeof(*b->res[i]));
		b->rc[i] = arena_alloc(b->work, b->n);
		logic_batch_eval3(b->lb, (size_t)i, b->work, b->res[i]);
		for (j = 0; j < b->n; j++)
			b->rc[i][j] = (int8_t)(b->res[i][j].error && b->res[i][j].truth == LOGIC_UNKNOWN ? ERR_INVALID : OK);
	}
	*out = b->res[i][k];
	return b->rc[i][k];
}
