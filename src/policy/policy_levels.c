/* What a standard says level by level, beyond one obligation word per level
 * (issue #11 (7), docs/policy-format.md "Levels in order, ranges and
 * parameters"): the order of the levels (level_order), level selectors
 * (">= 3B", "2A..3A", "3B以上"), obligations written as ranges, parameters
 * whose value differs by level and the check compiled per level with them,
 * obligations that depend on an application fact, any-of groups whose
 * members differ by level, and exemptions limited to some levels or leading
 * to a notification (届出) instead of an application. Each is checked where
 * it is written; a mistake is reported at its position. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "logic/vb.h"

static long level_at(const struct policy *p, const char *id, size_t n)
{
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		if (strlen(p->levels[i].id) == n && !strncmp(p->levels[i].id, id, n))
			return (long)i;
	return -1;
}

void policy_level_order_load(struct ld *l, const struct ynode *y)
{
	struct policy *p = l->p;
	size_t i, n = p->nlevels;

	if (!n)
		return;
	p->order = arena_alloc(l->a, n * sizeof(*p->order));
	p->rank = arena_alloc(l->a, n * sizeof(*p->rank));
	for (i = 0; i < n; i++)
		p->rank[i] = (size_t)-1;
	if (y->kind == YN_SCALAR && (!strcmp(y->str, "ascending") || !strcmp(y->str, "descending"))) {
		int asc = !strcmp(y->str, "ascending");

		for (i = 0; i < n; i++) {
			p->order[i] = asc ? i : n - 1 - i;
			p->rank[p->order[i]] = i;
		}
		return;
	}
	if (y->kind != YN_SEQ) {
		ERR_AT(l, y, "'level_order' は区分の ID のリスト（低い順）か ascending / descending で書きます / "
		       "'level_order' is a list of level ids, lowest first, or ascending / descending");
		goto none;
	}
	if (y->n != n) {
		ERR_AT(l, y, "'level_order' には区分をすべて一度ずつ書きます（%1$s） / 'level_order' names every level once (%1$s)", policy_level_ids(l->a, l->p));
		goto none;
	}
	for (i = 0; i < n; i++) {
		const struct ynode *it = y->items[i];
		long at = it->kind == YN_SCALAR ? level_at(p, it->str, it->len) : -1;

		if (at < 0) {
			ERR_AT(l, it, "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)",
			       it->kind == YN_SCALAR ? it->str : "?", policy_level_ids(l->a, l->p));
			goto none;
		}
		if (p->rank[at] != (size_t)-1) {
			ERR_AT(l, it, "'level_order' に区分 '%1$s' が二度あります / 'level_order' names level '%1$s' twice", it->str);
			goto none;
		}
		p->order[i] = (size_t)at;
		p->rank[at] = i;
	}
	return;
none:
	p->order = NULL;
	p->rank = NULL;
}

static int ws(char c)
{
	return c == ' ' || c == '\t';
}

/* s[0..n) without the spaces around it */
static void trim(const char **s, size_t *n)
{
	while (*n && ws(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && ws((*s)[*n - 1]))
		(*n)--;
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && !memcmp(s + n - k, suf, k);
}

enum { SEL_EQ, SEL_GE, SEL_LE, SEL_GT, SEL_LT, SEL_RANGE };

static int one_level(struct ld *l, const struct ynode *y, const char *s, size_t n, long *out)
{
	trim(&s, &n);
	*out = level_at(l->p, s, n);
	if (*out < 0) {
		char *id = arena_strndup(l->a, s, n);

		ERR_AT(l, y, "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)", id, policy_level_ids(l->a, l->p));
		return 0;
	}
	return 1;
}

static int scalar_sel(struct ld *l, const struct ynode *y, uint8_t *in)
{
	const struct policy *p = l->p;
	const char *s = y->str, *dots;
	size_t n = y->len, i;
	long lo = -1, hi = -1;
	int op = SEL_EQ;

	trim(&s, &n);
	if (n == 3 && !memcmp(s, "all", 3)) {
		memset(in, 1, p->nlevels);
		return 1;
	}
	if (n >= 2 && (!memcmp(s, ">=", 2) || !memcmp(s, "<=", 2))) {
		op = s[0] == '>' ? SEL_GE : SEL_LE;
		s += 2, n -= 2;
	} else if (n >= 1 && (s[0] == '>' || s[0] == '<')) {
		op = s[0] == '>' ? SEL_GT : SEL_LT;
		s += 1, n -= 1;
	} else if (ends_with(s, n, "以上")) {
		op = SEL_GE, n -= strlen("以上");
	} else if (ends_with(s, n, "以下")) {
		op = SEL_LE, n -= strlen("以下");
	} else if (ends_with(s, n, "未満")) {
		op = SEL_LT, n -= strlen("未満");
	} else if (ends_with(s, n, "超")) {
		op = SEL_GT, n -= strlen("超");
	} else if ((dots = strstr(s, "..")) && (size_t)(dots - s) < n) {
		op = SEL_RANGE;
	}
	if (op == SEL_EQ) {
		if (!one_level(l, y, s, n, &lo))
			return 0;
		in[lo] = 1;
		return 1;
	}
	if (!p->rank) {
		ERR_AT(l, y, "区分の範囲 '%1$s' には、基準の先頭に 'level_order'（区分の低い順）が要ります / "
		       "the level range '%1$s' needs 'level_order' (the levels, lowest first) at the top of the pack", y->str);
		return 0;
	}
	if (op == SEL_RANGE) {
		dots = strstr(s, "..");
		if (!one_level(l, y, s, (size_t)(dots - s), &lo) ||
		    !one_level(l, y, dots + 2, n - (size_t)(dots + 2 - s), &hi))
			return 0;
		if (p->rank[lo] > p->rank[hi]) {
			ERR_AT(l, y, "範囲 '%1$s' は低い区分から高い区分へ書きます（level_order の順） / "
			       "the range '%1$s' goes from the lower level to the higher (in level_order)", y->str);
			return 0;
		}
	} else if (!one_level(l, y, s, n, &lo)) {
		return 0;
	}
	for (i = 0; i < p->nlevels; i++) {
		size_t r = p->rank[i], r0 = p->rank[lo];
		int hit = 0;

		switch (op) {
		case SEL_GE: hit = r >= r0; break;
		case SEL_LE: hit = r <= r0; break;
		case SEL_GT: hit = r > r0; break;
		case SEL_LT: hit = r < r0; break;
		default: hit = r >= r0 && r <= p->rank[hi]; break;
		}
		if (hit)
			in[i] = 1;
	}
	for (i = 0; i < p->nlevels && !in[i]; i++)
		;
	if (i == p->nlevels) {
		ERR_AT(l, y, "範囲 '%1$s' に当たる区分がありません / the range '%1$s' names no level", y->str);
		return 0;
	}
	return 1;
}

int policy_level_sel(struct ld *l, const struct ynode *y, uint8_t *in)
{
	size_t i;
	int ok = 1;

	memset(in, 0, l->p->nlevels);
	if (y->kind == YN_SEQ) {
		if (!y->n) {
			ERR_AT(l, y, "区分のリストが空です / the list of levels is empty");
			return 0;
		}
		for (i = 0; i < y->n; i++) {
			const struct ynode *it = y->items[i];
			long at;

			if (it->kind != YN_SCALAR) {
				ERR_AT(l, it, "区分は ID で書きます / a level is written as its id");
				ok = 0;
			} else if (one_level(l, it, it->str, it->len, &at)) {
				in[at] = 1;
			} else {
				ok = 0;
			}
		}
		return ok;
	}
	if (y->kind != YN_SCALAR || !y->len) {
		ERR_AT(l, y, "区分は ID、範囲（'>= 3B', '2A..3A', '3B以上'）、all、または ID のリストで書きます / "
		       "levels are an id, a range ('>= 3B', '2A..3A', '3B以上'), all, or a list of ids");
		return 0;
	}
	return scalar_sel(l, y, in);
}

void policy_ob_ranges(struct ld *l, const struct ynode *y, uint8_t *ob, uint8_t *named)
{
	size_t n = l->p->nlevels, i, j;
	uint8_t *in = arena_zalloc(l->a, n ? n : 1);
	int k;

	memset(named, 0, n);
	if (!policy_ld_is_map(l, y, "obligation"))
		return;
	for (i = 0; i < y->n; i++) {
		const struct ynode *key = y->items[2 * i], *sel = y->items[2 * i + 1];

		for (k = 0; k < 4; k++)
			if (!strcmp(key->str, policy_ob_names[k]))
				break;
		if (k == 4) {
			ERR_AT(l, key, "'%1$s' は義務の種類にありません（required, recommended, optional, not-applicable） / "
			       "'%1$s' is not an obligation (required, recommended, optional, not-applicable)", key->str);
			continue;
		}
		if (!policy_level_sel(l, sel, in))
			continue;
		for (j = 0; j < n; j++) {
			if (!in[j])
				continue;
			if (named[j]) {
				ERR_AT(l, sel, "区分 '%1$s' に義務が二つあります（%2$s と %3$s） / level '%1$s' is given two obligations (%2$s and %3$s)",
				       l->p->levels[j].id, policy_ob_names[ob[j]], policy_ob_names[k]);
				continue;
			}
			named[j] = 1;
			ob[j] = (uint8_t)k;
		}
	}
}

/* ---- parameters ---- */

static int param_value_ok(const struct lval *v)
{
	size_t i;

	if (v->type == LV_OBJ)
		return 0;
	if (v->type == LV_ARR) {
		for (i = 0; i < v->n; i++)
			if (v->u.arr[i]->type == LV_OBJ || v->u.arr[i]->type == LV_ARR)
				return 0;
	}
	return 1;
}

int policy_param_known(const struct policy_criterion *c, const char *path, size_t n)
{
	size_t i;

	if (n < 6 || memcmp(path, "param.", 6))
		return -1;
	for (i = 0; c && i < c->nparams; i++)
		if (strlen(c->params[i].name) == n - 6 && !memcmp(c->params[i].name, path + 6, n - 6))
			return 1;
	return 0;
}

void policy_params_load(struct ld *l, const struct ynode *v, struct policy_criterion *c)
{
	const struct ynode *y = ynode_get(v, "params");
	size_t n = l->p->nlevels, i, j, k;
	uint8_t *in = arena_zalloc(l->a, n ? n : 1);

	if (!y || !policy_ld_is_map(l, y, "params"))
		return;
	c->params = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*c->params));
	for (i = 0; i < y->n; i++) {
		const struct ynode *key = y->items[2 * i], *vals = y->items[2 * i + 1];
		struct policy_param *pm = &c->params[c->nparams];
		const char *s;

		for (s = key->str; *s; s++)
			if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
				break;
		if (*s || !key->len) {
			ERR_AT(l, key, "パラメータ名 '%1$s' は小文字・数字・'_' で書きます / the parameter name '%1$s' must be lower-case letters, digits and '_'", key->str);
			continue;
		}
		if (!policy_ld_is_map(l, vals, "a parameter"))
			continue;
		pm->name = key->str;
		pm->pos = policy_ld_pos(key);
		pm->at = arena_zalloc(l->a, (n ? n : 1) * sizeof(*pm->at));
		for (j = 0; j < vals->n; j++) {
			const struct ynode *sel = vals->items[2 * j], *val = vals->items[2 * j + 1];
			const struct lval *lv = ynode_to_lval(l->a, val);

			if (!param_value_ok(lv)) {
				ERR_AT(l, val, "パラメータの値は数・文字列・真偽値か、それらのリストで書きます / a parameter's value is a number, text, true/false, or a list of them");
				continue;
			}
			if (!policy_level_sel(l, sel, in))
				continue;
			for (k = 0; k < n; k++) {
				if (!in[k])
					continue;
				if (pm->at[k])
					ERR_AT(l, sel, "パラメータ '%1$s' の区分 '%2$s' に値が二つあります / parameter '%1$s' has two values at level '%2$s'",
					       pm->name, l->p->levels[k].id);
				else
					pm->at[k] = lv;
			}
		}
		c->nparams++;
	}
}

/* Is a param used in json? Marks used[i]. */
static void params_used(const struct policy_criterion *c, const struct lval *v, uint8_t *used)
{
	size_t i;

	if (v->type == LV_ARR) {
		for (i = 0; i < v->n; i++)
			params_used(c, v->u.arr[i], used);
		return;
	}
	if (v->type != LV_OBJ)
		return;
	if (v->n == 1 && !strcmp(lval_obj_key(v, 0), "var")) {
		const struct lval *a = lval_obj_val(v, 0);

		if (a->type == LV_ARR && a->n)
			a = a->u.arr[0];
		if (a->type == LV_STR && policy_param_known(c, a->u.str, a->n) == 1)
			for (i = 0; i < c->nparams; i++)
				if (!strcmp(c->params[i].name, a->u.str + 6))
					used[i] = 1;
		return;
	}
	for (i = 0; i < v->n; i++)
		params_used(c, lval_obj_val(v, i), used);
}

/* json with each {"var": "param.NAME"} replaced by NAME's value at level. */
static void subst(struct vb *b, const struct policy_criterion *c, const struct lval *v, size_t level)
{
	size_t i;

	if (v->type == LV_ARR) {
		vb_arr(b);
		for (i = 0; i < v->n; i++)
			subst(b, c, v->u.arr[i], level);
		vb_end(b);
		return;
	}
	if (v->type != LV_OBJ) {
		vb_val(b, v);
		return;
	}
	if (v->n == 1 && !strcmp(lval_obj_key(v, 0), "var")) {
		const struct lval *a = lval_obj_val(v, 0);

		if (a->type == LV_ARR && a->n)
			a = a->u.arr[0];
		if (a->type == LV_STR && policy_param_known(c, a->u.str, a->n) == 1)
			for (i = 0; i < c->nparams; i++)
				if (!strcmp(c->params[i].name, a->u.str + 6)) {
					const struct lval *pv = c->params[i].at[level];

					if (pv && pv->type == LV_ARR) {
						/* a literal list, kept whole as data */
						vb_obj(b);
						vb_key(b, "preserve");
						vb_val(b, pv);
						vb_end(b);
					} else {
						vb_val(b, pv);
					}
					return;
				}
		vb_val(b, v);
		return;
	}
	vb_obj(b);
	for (i = 0; i < v->n; i++) {
		vb_key(b, lval_obj_key(v, i));
		subst(b, c, lval_obj_val(v, i), level);
	}
	vb_end(b);
}

/* Can the criterion apply at level: by its obligation, or by one of its
 * obligation_when entries? */
static int may_apply(const struct policy_criterion *c, size_t level)
{
	size_t i;

	if (c->ob[level] != OB_NA)
		return 1;
	for (i = 0; i < c->nob_when; i++)
		if (c->ob_when[i].ob[level] != OB_NA)
			return 1;
	return 0;
}

void policy_params_compile(struct ld *l, const struct ynode *check, struct policy_criterion *c)
{
	size_t n = l->p->nlevels, i, k;
	uint8_t *used;

	if (!c->nparams || !c->check || !c->check->rule)
		return;
	used = arena_zalloc(l->a, c->nparams);
	params_used(c, c->check->json, used);
	for (i = 0; i < c->nparams; i++) {
		if (!used[i]) {
			struct ynode at = { 0 };

			at.line = c->params[i].pos.line;
			at.col = c->params[i].pos.col;
			ERR_AT(l, &at, "パラメータ '%1$s' を 'check' が読んでいません（{var: param.%1$s}） / "
			       "parameter '%1$s' is not read by 'check' ({var: param.%1$s})", c->params[i].name);
			return;
		}
		for (k = 0; k < n; k++)
			if (!c->params[i].at[k] && may_apply(c, k)) {
				struct ynode at = { 0 };

				at.line = c->params[i].pos.line;
				at.col = c->params[i].pos.col;
				ERR_AT(l, &at, "パラメータ '%1$s' に区分 '%2$s' の値がありません（項目はその区分に適用されます） / "
				       "parameter '%1$s' has no value at level '%2$s', where the criterion applies",
				       c->params[i].name, l->p->levels[k].id);
				return;
			}
	}
	c->check_at = arena_zalloc(l->a, (n ? n : 1) * sizeof(*c->check_at));
	for (k = 0; k < n; k++) {
		struct policy_cond *pc;
		struct vb b;
		struct err e;

		if (!may_apply(c, k))
			continue;
		pc = arena_zalloc(l->a, sizeof(*pc));
		vb_init(&b, l->a);
		subst(&b, c, c->check->json, k);
		pc->json = vb_done(&b);
		pc->at = c->check->at;
		if (logic_compile_env(l->a, pc->json, NULL, 0, policy_set_env(l->set), &pc->rule, &e)) {
			ERR_AT(l, check, "区分 '%1$s' の値で JsonLogic の誤り / invalid JsonLogic with the values at level '%1$s': %2$s",
			       l->p->levels[k].id, e.msg);
			return;
		}
		pc->paths = c->check->paths;       /* the same facts: params are not facts */
		pc->npaths = c->check->npaths;
		pc->positive = c->check->positive;
		c->check_at[k] = pc;
	}
}

/* ---- obligations that depend on an application fact ---- */

/* Does a condition read facts other than app.*? Its first such path, or NULL. */
static const char *non_app_path(const struct policy_cond *c)
{
	size_t i;

	for (i = 0; i < c->npaths; i++)
		if (strncmp(c->paths[i], "app.", 4))
			return c->paths[i];
	return NULL;
}

void policy_ob_when_load(struct ld *l, const struct ynode *y, struct policy_criterion *c)
{
	static const char *const keys[] = { "when", "obligation", "note", NULL };
	static const char *const req[] = { "when", "obligation", NULL };
	size_t n = l->p->nlevels, i, k;
	uint8_t *named = arena_zalloc(l->a, n ? n : 1);

	if (!policy_ld_is_seq(l, y, "obligation_when"))
		return;
	c->ob_when = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*c->ob_when));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *w, *o;
		struct policy_ob_when *e = &c->ob_when[c->nob_when];
		const char *bad;
		int differs = 0;

		if (!policy_ld_is_map(l, v, "an obligation_when entry"))
			continue;
		policy_ld_check_keys(l, v, "an obligation_when entry", keys, req);
		w = ynode_get(v, "when");
		o = ynode_get(v, "obligation");
		if (!w || !o)
			continue;           /* reported: a required key */
		if (policy_cond_load(l, w, &e->when))
			continue;
		if ((bad = non_app_path(&e->when))) {
			ERR_AT(l, w, "義務を変える条件は申請の事実（app.*）だけを読みます（'%1$s' は申請の事実ではありません） / "
			       "a condition that changes an obligation reads the application's facts (app.*) only ('%1$s' is not one)", bad);
			continue;
		}
		e->ob = arena_zalloc(l->a, n ? n : 1);
		policy_ob_ranges(l, o, e->ob, named);
		for (k = 0; k < n; k++) {
			if (!named[k])
				e->ob[k] = c->ob[k];
			else if (e->ob[k] != c->ob[k])
				differs = 1;
		}
		if (!differs) {
			ERR_AT(l, o, "この 'obligation_when' はどの区分の義務も変えません / this 'obligation_when' changes no level's obligation");
			continue;
		}
		e->note = policy_ld_text(l, v, "note", 0);
		c->nob_when++;
	}
}

/* ---- any-of groups whose members differ by level ---- */

static long criterion_at(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncriteria; i++)
		if (!strcmp(p->criteria[i].id, id))
			return (long)i;
	return -1;
}

void policy_group_by_level(struct ld *l, const struct ynode *y, struct policy_group *g)
{
	const struct policy *p = l->p;
	size_t n = p->nlevels, i, j, k, total = 0;
	uint8_t *in = arena_zalloc(l->a, n ? n : 1), *covered = arena_zalloc(l->a, n ? n : 1);

	for (i = 0; i < y->n; i++)
		total += y->items[2 * i + 1]->kind == YN_SEQ ? y->items[2 * i + 1]->n : 0;
	g->members = arena_alloc(l->a, (total ? total : 1) * sizeof(*g->members));
	g->member_at = arena_zalloc(l->a, (total ? total : 1) * (n ? n : 1));
	for (i = 0; i < y->n; i++) {
		const struct ynode *sel = y->items[2 * i], *ms = y->items[2 * i + 1];

		if (!policy_level_sel(l, sel, in) || !policy_ld_is_seq(l, ms, "any_of"))
			continue;
		for (k = 0; k < n; k++) {
			if (!in[k])
				continue;
			if (covered[k])
				ERR_AT(l, sel, "グループ '%1$s' の区分 '%2$s' に選択肢が二通りあります / group '%1$s' gives level '%2$s' two sets of alternatives",
				       g->id, p->levels[k].id);
			covered[k] = 1;
		}
		if (!ms->n)
			ERR_AT(l, ms, "グループには選択肢が一つ以上要ります / a group needs at least one alternative at each level");
		for (j = 0; j < ms->n; j++) {
			const struct ynode *m = ms->items[j];
			long at = m->kind == YN_SCALAR ? criterion_at(p, m->str) : -1;
			size_t slot;

			if (at < 0) {
				ERR_AT(l, m, "グループ '%1$s' の '%2$s' はこの基準の項目にありません / group '%1$s' names '%2$s', which is not a criterion of this pack",
				       g->id, m->kind == YN_SCALAR ? m->str : "?");
				continue;
			}
			for (slot = 0; slot < g->nmembers; slot++)
				if (g->members[slot] == (size_t)at)
					break;
			if (slot == g->nmembers)
				g->members[g->nmembers++] = (size_t)at;
			for (k = 0; k < n; k++)
				if (in[k])
					g->member_at[slot * n + k] = 1;
		}
	}
	/* the group's obligations are read before this: check the levels it applies at */
	for (k = 0; k < n; k++)
		if (g->ob[k] != OB_NA && !covered[k]) {
			ERR_AT(l, y, "グループ '%1$s' に区分 '%2$s' の選択肢がありません（グループはその区分に適用されます） / "
			       "group '%1$s' has no alternatives at level '%2$s', where it applies", g->id, p->levels[k].id);
			break;
		}
}

/* ---- exemptions limited to levels, and notifications ---- */

void policy_exemption_extra(struct ld *l, const struct ynode *v, struct policy_exemption *x)
{
	static const char *const nkeys[] = { "to", "form", "note", NULL };
	static const char *const nreq[] = { "to", NULL };
	const struct ynode *lv = ynode_get(v, "levels"), *in = ynode_get(v, "instead"), *nt = ynode_get(v, "notify");

	if (lv) {
		x->at_level = arena_zalloc(l->a, l->p->nlevels ? l->p->nlevels : 1);
		policy_level_sel(l, lv, x->at_level);
	}
	if (in) {
		if (in->kind != YN_SCALAR || strcmp(in->str, "notification"))
			ERR_AT(l, in, "'instead' は notification（申請に代えて届出）です / 'instead' is notification (a notification instead of an application)");
		else
			x->instead = INSTEAD_NOTIFICATION;
		if (!nt)
			ERR_AT(l, in, "届出とする適用除外には 'notify'（届出先 'to'）が要ります / an exemption that leads to a notification needs 'notify' (whom to notify: 'to')");
	}
	if (nt) {
		if (!in)
			ERR_AT(l, nt, "'notify' は 'instead: notification' の適用除外に書きます / 'notify' belongs to an exemption with 'instead: notification'");
		if (!policy_ld_is_map(l, nt, "notify"))
			return;
		policy_ld_check_keys(l, nt, "notify", nkeys, nreq);
		x->notify_to = policy_ld_text(l, nt, "to", 1);
		x->notify_form = policy_ld_text(l, nt, "form", 0);
		x->notify_note = policy_ld_text(l, nt, "note", 0);
	}
}

/* ---- as the assessment reads them ---- */

const struct policy_cond *policy_check_at(const struct policy_criterion *c, size_t level)
{
	return c->check_at && c->check_at[level] ? c->check_at[level] : c->check;
}

int policy_group_has(const struct policy *p, const struct policy_group *g, size_t j, size_t level)
{
	return !g->member_at || g->member_at[j * p->nlevels + level];
}

int policy_exemption_at(const struct policy_exemption *x, size_t level)
{
	return !x->at_level || x->at_level[level];
}
