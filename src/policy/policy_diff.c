/* Two standards side by side, topic by topic (DESIGN §2.3's fixed list):
 * what each demands at a chosen level, and which side is stricter, as one
 * value tree that `policy diff` prints as a table or as JSON.
 *
 * The rule for "stricter": on each topic, each side's strongest obligation
 * (required > recommended > optional > not-applicable) is compared. A
 * criterion that is one alternative of an any-of group counts as
 * recommended, since the group, not the item, is what is demanded; a risk
 * to weigh counts as recommended too. Equal is "same", else the side with
 * the stronger obligation is stricter. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "logic/vb.h"

/* The any-of group that criterion i belongs to and that applies at level. */
static const struct policy_group *group_of(const struct policy *p, size_t i, long level)
{
	size_t g, m;

	for (g = 0; g < p->ngroups; g++)
		for (m = 0; m < p->groups[g].nmembers; m++)
			if (p->groups[g].members[m] == i && p->groups[g].ob[level] != OB_NA &&
			    policy_group_has(p, &p->groups[g], m, (size_t)level))
				return &p->groups[g];
	return NULL;
}

/* One item of a pack on a topic at a level: a criterion (with the group it is
 * an alternative of, and the obligation an application fact can raise it
 * to), or a risk to weigh. */
struct diff_item {
	const struct policy_criterion *c;
	const struct policy_risk *r;
	const struct policy_group *g;
	int ob;                  /* at the level, as the comparison counts it */
	int own;                 /* the criterion's own obligation at the level */
	int cond;                /* raised to by an application fact; OB_NA: not */
};

/* The pack's items on topic t at level into *out (n of them), and their
 * strongest obligation. */
static int topic_collect(struct arena *a, const struct policy *p, size_t t, long level,
                         struct diff_item **out, size_t *n)
{
	struct diff_item *it = arena_alloc(a, (p->ncriteria + p->nrisks + 1) * sizeof(*it));
	size_t i, k;
	int best = OB_NA;

	*n = 0;
	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_criterion *c = &p->criteria[i];
		const struct policy_group *g = group_of(p, i, level);
		int ob = c->ob[level], cond = OB_NA;

		/* an obligation that an application fact can raise counts at its
		 * strongest, and says so */
		for (k = 0; k < c->nob_when; k++)
			if (c->ob_when[k].ob[level] > cond)
				cond = c->ob_when[k].ob[level];
		if (cond > ob)
			ob = cond;
		else
			cond = OB_NA;
		if (!(c->topics & (1u << t)) || ob == OB_NA)
			continue;
		/* one way among alternatives: not a demand on its own */
		if (g && ob > OB_RECOMMENDED)
			ob = OB_RECOMMENDED;
		it[*n] = (struct diff_item){ c, NULL, g, ob, c->ob[level], g ? OB_NA : cond };
		(*n)++;
		if (ob > best)
			best = ob;
	}
	for (i = 0; i < p->nrisks; i++) {
		const struct policy_risk *r = &p->risks[i];

		if (!(r->topics & (1u << t)) || r->ob[level] == OB_NA)
			continue;
		it[*n] = (struct diff_item){ NULL, r, NULL, OB_RECOMMENDED, r->ob[level], OB_NA };
		(*n)++;
		if (best < OB_RECOMMENDED)
			best = OB_RECOMMENDED;
	}
	*out = it;
	return best;
}

/* The items in words, one a line ("7-1-2 日本の裁判管轄…（必須）"), or NULL. */
static const char *items_text(struct arena *a, const struct diff_item *it, size_t n, long level)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct policy_criterion *c = it[i].c;

		if (it[i].r) {
			buf_addf(&b, "%s%s %s（リスク判断）", b.len ? "\n" : "", it[i].r->id, it[i].r->title);
			continue;
		}
		if (it[i].g)
			buf_addf(&b, "%s%s %s（%s の選択肢）", b.len ? "\n" : "", c->id, c->title, it[i].g->id);
		else if (it[i].cond != OB_NA && c->ob_when[0].note)
			buf_addf(&b, "%s%s %s（%s。%s）", b.len ? "\n" : "", c->id, c->title,
			         policy_obligation_ja(it[i].own), c->ob_when[0].note);
		else if (it[i].cond != OB_NA)
			buf_addf(&b, "%s%s %s（%s、条件により%s）", b.len ? "\n" : "", c->id, c->title,
			         policy_obligation_ja(it[i].own), policy_obligation_ja(it[i].cond));
		else
			buf_addf(&b, "%s%s %s（%s）", b.len ? "\n" : "", c->id, c->title, policy_obligation_ja(it[i].ob));
		/* the values this level's check uses (min_days = 1095) */
		for (k = 0; k < c->nparams; k++)
			if (c->params[k].at[level]) {
				buf_addf(&b, "%s%s = ", k ? ", " : " ", c->params[k].name);
				lval_add_json(&b, c->params[k].at[level]);
			}
	}
	s = b.len ? arena_strndup(a, buf_done(&b), b.len) : NULL;
	buf_free(&b);
	return s;
}

/* The items as values, for a view that lays them out itself: [{id, title,
 * kind, obligation, group, raised_to, params}]. */
static void items_model(struct vb *b, const struct diff_item *it, size_t n, long level)
{
	size_t i, k;

	vb_arr(b);
	for (i = 0; i < n; i++) {
		const struct policy_criterion *c = it[i].c;

		vb_obj(b);
		vb_kstr(b, "id", c ? c->id : it[i].r->id);
		vb_kstr(b, "title", c ? c->title : it[i].r->title);
		vb_kstr(b, "kind", c ? "criterion" : "risk");
		vb_kstr(b, "obligation", policy_obligation_name(it[i].own));
		vb_kstr(b, "obligation_ja", policy_obligation_ja(it[i].own));
		vb_kstr(b, "group", it[i].g ? it[i].g->id : NULL);
		vb_kstr(b, "raised_to", it[i].cond != OB_NA ? policy_obligation_name(it[i].cond) : NULL);
		vb_key(b, "params");
		vb_obj(b);
		for (k = 0; c && k < c->nparams; k++)
			if (c->params[k].at[level]) {
				vb_key(b, c->params[k].name);
				vb_val(b, c->params[k].at[level]);
			}
		vb_end(b);
		vb_end(b);
	}
	vb_end(b);
}

int policy_diff_compare(int ob_a, int ob_b)
{
	if (ob_a == ob_b)
		return POLICY_SAME;
	return ob_a > ob_b ? POLICY_A_STRICTER : POLICY_B_STRICTER;
}

static const char *const cmp_names[] = { "same", "a-stricter", "b-stricter" };

static int level_of(const struct policy *p, const char *id, long *out, struct arena *a, struct err *e)
{
	*out = id ? policy_level_index(p, id) : policy_level_default(p);
	if (*out >= 0 && (size_t)*out < p->nlevels)
		return OK;
	return err_set(e, ERR_NOTFOUND, "'%1$s' は %2$s の区分にありません（区分: %3$s） / "
	               "'%1$s' is not a level of %2$s (levels: %3$s)", id ? id : "", p->id,
	               policy_level_list(a, p));
}

/* The prohibitions and exemptions that apply at each side's level. */
static void stops(struct vb *b, const struct policy *pa, long ia, const struct policy *pb, long ib)
{
	size_t i, s;

	vb_key(b, "prohibitions");
	vb_obj(b);
	for (s = 0; s < 2; s++) {
		const struct policy *p = s ? pb : pa;
		long lv = s ? ib : ia;

		vb_key(b, s ? "b" : "a");
		vb_arr(b);
		for (i = 0; i < p->nprohibitions; i++)
			if (p->prohibitions[i].ob[lv] != OB_NA) {
				vb_obj(b);
				vb_kstr(b, "id", p->prohibitions[i].id);
				vb_kstr(b, "text", p->prohibitions[i].text);
				vb_end(b);
			}
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "exemptions");
	vb_obj(b);
	for (s = 0; s < 2; s++) {
		const struct policy *p = s ? pb : pa;
		long lv = s ? ib : ia;

		vb_key(b, s ? "b" : "a");
		vb_arr(b);
		for (i = 0; i < p->nexemptions; i++)
			if (policy_exemption_at(&p->exemptions[i], (size_t)lv)) {
				vb_obj(b);
				vb_kstr(b, "id", p->exemptions[i].id);
				vb_kstr(b, "text", p->exemptions[i].text);
				vb_kstr(b, "instead", p->exemptions[i].instead == INSTEAD_NOTIFICATION ? "notification" : NULL);
				vb_end(b);
			}
		vb_end(b);
	}
	vb_end(b);
}

static void side(struct vb *b, const char *key, const struct policy *p, long level)
{
	vb_key(b, key);
	vb_obj(b);
	vb_kstr(b, "policy", p->id);
	vb_kstr(b, "level", p->levels[level].id);
	vb_kstr(b, "body", p->body);
	vb_kstr(b, "title", p->title);
	vb_end(b);
}

int policy_diff_model(struct arena *a, const struct policy *pa, const char *level_a,
                      const struct policy *pb, const char *level_b,
                      const struct lval **out, struct err *e)
{
	long ia, ib;
	size_t t, count[3] = { 0, 0, 0 };
	struct vb b;
	int rc;

	*out = NULL;
	if ((rc = level_of(pa, level_a, &ia, a, e)) || (rc = level_of(pb, level_b, &ib, a, e)))
		goto out;
	vb_init(&b, a);
	vb_obj(&b);
	side(&b, "a", pa, ia);
	side(&b, "b", pb, ib);
	vb_key(&b, "topics");
	vb_arr(&b);
	for (t = 0; t < policy_ntopics; t++) {
		struct diff_item *xa, *xb;
		size_t na, nb;
		int oa = topic_collect(a, pa, t, ia, &xa, &na), ob = topic_collect(a, pb, t, ib, &xb, &nb), cmp;
		const char *ta, *tb;

		if (!na && !nb)
			continue;           /* neither side speaks of it */
		ta = items_text(a, xa, na, ia);
		tb = items_text(a, xb, nb, ib);
		cmp = policy_diff_compare(oa, ob);
		count[cmp]++;
		vb_obj(&b);
		vb_kstr(&b, "topic", policy_topics[t]);
		vb_kstr(&b, "topic_ja", policy_topic_ja(t));
		vb_kstr(&b, "a", policy_obligation_name(oa));
		vb_kstr(&b, "b", policy_obligation_name(ob));
		vb_kstr(&b, "a_items", ta ? ta : "—");
		vb_kstr(&b, "b_items", tb ? tb : "—");
		vb_key(&b, "a_list");
		items_model(&b, xa, na, ia);
		vb_key(&b, "b_list");
		items_model(&b, xb, nb, ib);
		vb_kstr(&b, "comparison", cmp_names[cmp]);
		vb_kstr(&b, "comparison_ja", policy_diff_label_ja(cmp_names[cmp], policy_obligation_name(oa),
		                                                 policy_obligation_name(ob)));
		vb_end(&b);
	}
	vb_end(&b);
	vb_key(&b, "summary");
	vb_obj(&b);
	vb_kint(&b, "same", (long long)count[POLICY_SAME]);
	vb_kint(&b, "a_stricter", (long long)count[POLICY_A_STRICTER]);
	vb_kint(&b, "b_stricter", (long long)count[POLICY_B_STRICTER]);
	vb_end(&b);
	stops(&b, pa, ia, pb, ib);
	vb_end(&b);
	*out = vb_done(&b);
	rc = OK;
out:
	return rc;
}

const char *policy_diff_label_ja(const char *comparison, const char *ob_a, const char *ob_b)
{
	int oa = policy_obligation_of(ob_a), ob = policy_obligation_of(ob_b);

	if (comparison && !strcmp(comparison, "a-stricter"))
		return oa == OB_REQUIRED && ob == OB_NA ? "A のみ要求" : "A が厳しい";
	if (comparison && !strcmp(comparison, "b-stricter"))
		return ob == OB_REQUIRED && oa == OB_NA ? "B のみ要求" : "B が厳しい";
	return oa == OB_REQUIRED ? "同等（双方必須）" : "同等";
}
