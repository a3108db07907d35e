/* The policy layer's project operators besides shinsa.in_list (reflist.c),
 * registered through the set's logic environment (docs/policy-format.md,
 * "Project operators"):
 *
 *   {"shinsa.date": [A, OP, B]}        A OP B, A and B ISO dates (YYYY-MM-DD),
 *   {"shinsa.date": [A, OP, B, DAYS]}  A OP B + DAYS (DAYS a whole number,
 *                                      negative for "DAYS before B");
 *                                      OP one of < <= == != >= >
 *   {"shinsa.at_least": [K, C1, …, Cn]} at least K of the n conditions hold
 *
 * Dates are compared as civil days (core/isotime.h), never as text: a string
 * that is not a calendar date (2025-02-30, 2025-4-1) is noted and makes the
 * comparison false. A missing date is null: the plain comparison is false, and
 * the var that read it records it as missing; three-valued (logic_eval3, as
 * the assessment evaluates) the comparison is unknown, decided by that date.
 * shinsa.at_least is Kleene's: true when K conditions are known true, false
 * when fewer than K could be, else unknown (at_least_eval3). */
#include "policy/policy_int.h"

#include <string.h>

#include "core/buf.h"
#include "core/isotime.h"

static const char *const date_ops[] = { "<", "<=", "==", "!=", ">=", ">", NULL };

static int date_of(const struct lval *v, int64_t *days)
{
	return v && v->type == LV_STR && !isotime_parse_date(v->u.str, v->n, days) ? 0 : -1;
}

static int whole(const struct lval *v, long long lo, long long hi, long long *out)
{
	if (!v || v->type != LV_NUM || v->u.num != (double)(long long)v->u.num)
		return -1;
	*out = (long long)v->u.num;
	return *out >= lo && *out <= hi ? 0 : -1;
}

static int date_compile(const void *data, struct arena *a, const struct lval *const *lits, size_t n,
                        const void **state, const char **why)
{
	size_t i;
	int64_t d;
	long long off;

	(void)data;
	(void)a;
	(void)state;
	if (!lits[1] || lits[1]->type != LV_STR || !policy_str_in(lits[1]->u.str, date_ops)) {
		*why = "the second argument must be one of \"<\", \"<=\", \"==\", \"!=\", \">=\", \">\"";
		return ERR_INVALID;
	}
	for (i = 0; i < 3; i += 2)
		if (lits[i] && lits[i]->type != LV_NULL && date_of(lits[i], &d)) {
			*why = "a literal date must be written YYYY-MM-DD";
			return ERR_INVALID;
		}
	if (n == 4 && (!lits[3] || whole(lits[3], -36600, 36600, &off))) {
		*why = "the fourth argument must be a whole number of days";
		return ERR_INVALID;
	}
	return OK;
}

static const struct lval *date_eval(struct logic_ctx *x, const void *state,
                                    const struct lval *const *args, size_t n)
{
	const char *op = args[1]->type == LV_STR ? args[1]->u.str : "";
	int64_t da, db;
	long long off = 0;
	size_t i;

	(void)state;
	if (args[0]->type == LV_NULL || args[2]->type == LV_NULL)
		return LV_FALSEV;   /* unanswered: the var recorded it as missing */
	for (i = 0; i < 3; i += 2) {
		int64_t d;

		if (date_of(args[i], &d)) {
			struct arena *a = logic_ctx_arena(x);
			struct buf b = BUF_INIT;

			lval_add_json(&b, args[i]);
			logic_ctx_note(x, arena_printf(a, "shinsa.date: %1$s は日付（YYYY-MM-DD）ではありません / "
			                               "%1$s is not a date (YYYY-MM-DD)", buf_done(&b)));
			buf_free(&b);
			return LV_FALSEV;
		}
	}
	date_of(args[0], &da);
	date_of(args[2], &db);
	if (n == 4 && whole(args[3], -36600, 36600, &off))
		return logic_ctx_throw(x, "Invalid Arguments");
	db += off;
	if (!strcmp(op, "<"))
		return LV_BOOLV(da < db);
	if (!strcmp(op, "<="))
		return LV_BOOLV(da <= db);
	if (!strcmp(op, "=="))
		return LV_BOOLV(da == db);
	if (!strcmp(op, "!="))
		return LV_BOOLV(da != db);
	if (!strcmp(op, ">="))
		return LV_BOOLV(da >= db);
	if (!strcmp(op, ">"))
		return LV_BOOLV(da > db);
	return logic_ctx_throw(x, "Invalid Arguments");
}

static int at_least_compile(const void *data, struct arena *a, const struct lval *const *lits, size_t n,
                            const void **state, const char **why)
{
	long long k;

	(void)data;
	(void)a;
	(void)state;
	if (whole(lits[0], 1, (long long)n - 1, &k)) {
		*why = "the first argument must be a whole number K, 1 <= K <= the number of conditions after it";
		return ERR_INVALID;
	}
	return OK;
}

/* Every condition is evaluated (so that each missing fact is recorded);
 * true when K of them are truthy. */
static const struct lval *at_least_eval(struct logic_ctx *x, const void *state,
                                        const struct lval *const *args, size_t n)
{
	long long k = 0, got = 0;
	size_t i;

	(void)state;
	if (whole(args[0], 1, (long long)n - 1, &k))
		return logic_ctx_throw(x, "Invalid Arguments");
	for (i = 1; i < n; i++)
		got += lval_truthy(args[i]) ? 1 : 0;
	return LV_BOOLV(got >= k);
}

/* Three-valued (Kleene): true when K conditions are known true, false when
 * fewer than K could be true (the known true ones and the unknown ones),
 * else unknown. */
static int at_least_eval3(const void *state, const struct lval *const *args, const unsigned char *truth,
                          size_t n)
{
	long long k = 0, yes = 0, maybe = 0;
	size_t i;

	(void)state;
	if (whole(args[0], 1, (long long)n - 1, &k))
		return LOGIC_UNKNOWN;   /* K itself unknown (or invalid: the plain call throws) */
	for (i = 1; i < n; i++) {
		if (truth[i] == LOGIC_TRUE)
			yes++;
		else if (truth[i] == LOGIC_UNKNOWN)
			maybe++;
	}
	if (yes >= k)
		return LOGIC_TRUE;
	if (yes + maybe < k)
		return LOGIC_FALSE;
	return LOGIC_UNKNOWN;
}

void policy_ops_env_init(struct policy_set *set)
{
	struct logic_project_op *op = set->ops;

	op[0] = set->refenv.op;            /* its data points at set->refenv, which stays put */
	memset(&op[1], 0, sizeof(op[1]));
	op[1].name = "shinsa.date";
	op[1].min_args = 3;
	op[1].max_args = 4;
	op[1].compile = date_compile;
	op[1].eval = date_eval;
	memset(&op[2], 0, sizeof(op[2]));
	op[2].name = "shinsa.at_least";
	op[2].min_args = 3;
	op[2].max_args = -1;
	op[2].compile = at_least_compile;
	op[2].eval = at_least_eval;
	op[2].eval3 = at_least_eval3;
	set->env.ops = op;
	set->env.nops = 3;
}
