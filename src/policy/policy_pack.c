/* Loading one policy pack (docs/policy-format.md): its metadata, levels,
 * criteria, groups, risks, prohibitions, exemptions, forms and procedures,
 * each checked where it is written, then the cross references that need the
 * whole pack. A pack with any mistake is refused whole. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/isotime.h"

/* Lookups by id: the index in the pack's list, or -1. */
long policy_level_index(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		if (!strcmp(p->levels[i].id, id))
			return (long)i;
	return -1;
}

long policy_criterion_index(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncriteria; i++)
		if (!strcmp(p->criteria[i].id, id))
			return (long)i;
	return -1;
}

long policy_risk_index(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nrisks; i++)
		if (!strcmp(p->risks[i].id, id))
			return (long)i;
	return -1;
}

long policy_exemption_index(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nexemptions; i++)
		if (p->exemptions[i].id && !strcmp(p->exemptions[i].id, id))
			return (long)i;
	return -1;
}

/* levels: {LEVEL: required|recommended|optional|not-applicable} */
static uint8_t *obligations(struct ld *l, const struct ynode *owner)
{
	const struct ynode *y = ynode_get(owner, "levels");
	uint8_t *ob = arena_zalloc(l->a, l->p->nlevels ? l->p->nlevels : 1);
	size_t i;
	int k;

	if (ynode_get(owner, "obligation")) {
		uint8_t *named = arena_zalloc(l->a, l->p->nlevels ? l->p->nlevels : 1);

		if (y)
			ERR_AT(l, y, "'levels' と 'obligation' はどちらか一方を書きます / give either 'levels' or 'obligation', not both");
		policy_ob_ranges(l, ynode_get(owner, "obligation"), ob, named);
		return ob;
	}
	if (!y)
		return ob;          /* check_keys reports it */
	if (!policy_ld_is_map(l, y, "levels"))
		return ob;
	for (i = 0; i < y->n; i++) {
		const struct ynode *lk = y->items[2 * i], *lv = y->items[2 * i + 1];
		long at = policy_level_index(l->p, lk->str);

		if (at < 0) {
			ERR_AT(l, lk, "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)", lk->str, policy_level_ids(l->a, l->p));
			continue;
		}
		for (k = 0; k < 4; k++)
			if (lv->kind == YN_SCALAR && !strcmp(lv->str, policy_ob_names[k]))
				break;
		if (k == 4) {
			if (lv->kind == YN_SCALAR)
				ERR_AT(l, lv, "'%1$s' は義務の種類にありません（required, recommended, optional, not-applicable） / '%1$s' is not an obligation (required, recommended, optional, not-applicable)",
				       lv->str);
			else
				ERR_AT(l, lv, "区分 '%1$s' の義務は一語で書きます（required, recommended, optional, not-applicable） / the obligation at level '%1$s' must be one word"
				       " (required, recommended, optional, not-applicable)", lk->str);
			continue;
		}
		ob[at] = (uint8_t)k;
	}
	return ob;
}

static uint32_t topics_of(struct ld *l, const struct ynode *owner)
{
	const struct ynode *y = ynode_get(owner, "topics");
	uint32_t bits = 0;
	size_t i, t;

	if (!y || !policy_ld_is_seq(l, y, "topics"))
		return 0;
	for (i = 0; i < y->n; i++) {
		const struct ynode *s = y->items[i];

		for (t = 0; t < policy_ntopics; t++)
			if (s->kind == YN_SCALAR && !strcmp(s->str, policy_topics[t]))
				break;
		if (t == policy_ntopics)
			ERR_AT(l, s, "分野 '%1$s' はありません（docs/policy-format.md を参照） / unknown topic '%1$s' (see docs/policy-format.md)", s->kind == YN_SCALAR ? s->str : "?");
		else
			bits |= 1u << t;
	}
	return bits;
}

static int sub_list(struct ld *l, const struct ynode *at, const char **set, size_t nset,
                    const char **sub, size_t nsub, const char *what)
{
	size_t i, j;
	int ok = 1;

	for (i = 0; i < nsub; i++) {
		for (j = 0; j < nset; j++)
			if (!strcmp(sub[i], set[j]))
				break;
		if (j == nset) {
			ERR_AT(l, at, "'%2$s' は選択肢にありません / %1$s '%2$s' is not one of the options", what, sub[i]);
			ok = 0;
		}
	}
	return ok;
}

static struct profile_answers *answers_of(struct ld *l, const struct ynode *y, int with_prompt)
{
	static const char *const keys[] = { "prompt", "options", "met", "accepted", "not_applicable", NULL };
	static const char *const keys2[] = { "options", "met", "accepted", "not_applicable", NULL };
	static const char *const req[] = { "options", NULL };
	struct profile_answers *m = arena_zalloc(l->a, sizeof(*m));

	if (!policy_ld_is_map(l, y, with_prompt ? "manual" : "accept_options"))
		return m;
	policy_ld_check_keys(l, y, with_prompt ? "manual" : "accept_options", with_prompt ? keys : keys2, req);
	m->prompt = with_prompt ? policy_ld_text(l, y, "prompt", 0) : NULL;
	m->options = policy_ld_text_list(l, ynode_get(y, "options"), "options", &m->noptions);
	m->met = policy_ld_text_list(l, ynode_get(y, "met"), "met", &m->nmet);
	m->accepted = policy_ld_text_list(l, ynode_get(y, "accepted"), "accepted", &m->naccepted);
	m->na = policy_ld_text_list(l, ynode_get(y, "not_applicable"), "not_applicable", &m->nna);
	if (ynode_get(y, "options") && !m->noptions)
		ERR_AT(l, y, "人が判断する項目には回答の選択肢が要ります / a manual item needs at least one answer option");
	sub_list(l, y, m->options, m->noptions, m->met, m->nmet, "met answer");
	sub_list(l, y, m->options, m->noptions, m->accepted, m->naccepted, "accepted answer");
	sub_list(l, y, m->options, m->noptions, m->na, m->nna, "not-applicable answer");
	if (with_prompt && !m->nmet && m->noptions)
		ERR_AT(l, y, "人が判断する項目には 'met'（適合とする回答）が要ります / a manual item needs 'met': the answers that mean the criterion is met");
	return m;
}

/* Ids are one namespace across criteria, groups, risks, prohibitions and exemptions. */
struct idtab {
	const char **ids;
	const struct ynode **at;
	size_t n, cap;
};

static void id_add(struct ld *l, struct idtab *t, const char *id, const struct ynode *at)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->ids[i], id)) {
			ERR_AT(l, at, "ID '%1$s' が重複しています（最初は %2$u 行目） / duplicate id '%1$s' (first at line %2$u)", id, t->at[i]->line);
			return;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;

		t->ids = arena_realloc(l->a, t->ids, t->cap * sizeof(*t->ids), cap * sizeof(*t->ids));
		t->at = arena_realloc(l->a, t->at, t->cap * sizeof(*t->at), cap * sizeof(*t->at));
		t->cap = cap;
	}
	t->ids[t->n] = id;
	t->at[t->n] = at;
	t->n++;
}

static int id_known(const struct idtab *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->ids[i], id))
			return 1;
	return 0;
}

static const char *id_of(struct ld *l, const struct ynode *y, struct idtab *t)
{
	const struct ynode *k = ynode_get(y, "id");

	if (!k || k->kind != YN_SCALAR || ynode_is_null(k) || !k->len) {
		if (k)
			ERR_AT(l, k, "'id' は文字列で書きます / 'id' must be text");
		return NULL;
	}
	if (t)
		id_add(l, t, k->str, k);
	return k->str;
}

static void load_meta(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "id", "body", "title", "version", "effective", "source", "notes", NULL };
	static const char *const req[] = { "id", "body", "title", "version", "effective", "source", NULL };
	static const char *const skeys[] = { "title", "file", "basis", NULL };
	static const char *const sreq[] = { "title", NULL };
	struct policy *p = l->p;
	const struct ynode *src, *eff, *idn;
	const char *c;

	if (!policy_ld_is_map(l, y, "pack"))
		return;
	policy_ld_check_keys(l, y, "pack", keys, req);
	p->id = policy_ld_text(l, y, "id", 1);
	idn = ynode_get(y, "id");
	if (p->id) {
		const char *base = strrchr(l->file, '/');
		size_t bl;

		for (c = p->id; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
				break;
		if (*c)
			ERR_AT(l, idn, "基準の ID '%1$s' は小文字・数字・'-' で書きます / pack id '%1$s' must be lower-case letters, digits and '-'", p->id);
		base = base ? base + 1 : l->file;
		bl = strlen(base);
		if (bl > 5 && (strlen(p->id) != bl - 5 || strncmp(base, p->id, bl - 5)))
			ERR_AT(l, idn, "基準の ID '%1$s' がファイル名 '%2$s' と一致しません / pack id '%1$s' does not match the file name '%2$s'", p->id, base);
	}
	p->body = policy_ld_text(l, y, "body", 1);
	p->title = policy_ld_text(l, y, "title", 1);
	p->version = policy_ld_text(l, y, "version", 1);
	p->notes = policy_ld_text(l, y, "notes", 0);
	eff = ynode_get(y, "effective");
	if (eff && !ynode_is_null(eff)) {
		int64_t days;

		if (eff->kind != YN_SCALAR || isotime_parse_date(eff->str, eff->len, &days))
			ERR_AT(l, eff, "'effective' は日付（YYYY-MM-DD）か null で書きます / 'effective' must be a date (YYYY-MM-DD) or null");
		else
			p->effective = eff->str;
	}
	src = ynode_get(y, "source");
	if (src && policy_ld_is_map(l, src, "source")) {
		policy_ld_check_keys(l, src, "source", skeys, sreq);
		p->source_title = policy_ld_text(l, src, "title", 1);
		p->source_file = policy_ld_text(l, src, "file", 0);
		p->source_basis = policy_ld_text(l, src, "basis", 0);
	}
}

static void load_levels(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "id", "name", "definition", "examples", "governed", NULL };
	static const char *const req[] = { "id", "name", NULL };
	struct policy *p = l->p;
	size_t i, j;

	if (!policy_ld_is_seq(l, y, "levels"))
		return;
	if (!y->n)
		ERR_AT(l, y, "基準には区分が一つ以上要ります / a pack needs at least one level");
	p->levels = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->levels));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *g;
		struct policy_level *lv = &p->levels[p->nlevels];

		if (!policy_ld_is_map(l, v, "a level"))
			continue;
		policy_ld_check_keys(l, v, "a level", keys, req);
		lv->id = id_of(l, v, NULL);
		if (!lv->id)
			continue;
		for (j = 0; j < p->nlevels; j++)
			if (!strcmp(p->levels[j].id, lv->id))
				break;
		if (j < p->nlevels) {
			ERR_AT(l, v, "区分 '%1$s' が重複しています / duplicate level '%1$s'", lv->id);
			continue;
		}
		lv->name = policy_ld_text(l, v, "name", 1);
		lv->definition = policy_ld_text(l, v, "definition", 0);
		lv->examples = policy_ld_text_list(l, ynode_get(v, "examples"), "examples", &lv->nexamples);
		g = ynode_get(v, "governed");
		lv->governed = g ? policy_ld_bool(l, g, "governed") : 1;
		p->nlevels++;
	}
}

static int phase_of(struct ld *l, const struct ynode *y)
{
	int i;

	for (i = PH_SELECTION; i <= PH_TERMINATION; i++)
		if (y->kind == YN_SCALAR && !strcmp(y->str, policy_phase_names[i]))
			return i;
	ERR_AT(l, y, "'%1$s' は段階にありません（selection, contract, build, operation, termination） / '%1$s' is not a phase (selection, contract, build, operation, termination)",
	       y->kind == YN_SCALAR ? y->str : "?");
	return PH_NONE;
}

static void load_criteria(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "ref", "category", "title", "requirement", "risk",
		"phase", "topics", "levels", "check", "manual", "accept_options", "when",
		"satisfied_by", "obligation", "obligation_when", "params", "stage", "on_unmet", NULL };
	static const char *const req[] = { "id", "title", "requirement", "phase", "levels", NULL };
	static const char *const req_ob[] = { "id", "title", "requirement", "phase", NULL };
	static const char *const akeys[] = { "check", "note", NULL };
	struct policy *p = l->p;
	size_t i, j;

	if (!policy_ld_is_seq(l, y, "criteria"))
		return;
	p->criteria = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->criteria));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_criterion *c = &p->criteria[p->ncriteria];

		if (!policy_ld_is_map(l, v, "a criterion"))
			continue;
		policy_ld_check_keys(l, v, "a criterion", keys, ynode_get(v, "obligation") ? req_ob : req);
		c->at = policy_ld_pos(v);
		c->id = id_of(l, v, ids);
		if (!c->id)
			continue;
		c->ref = policy_ld_text(l, v, "ref", 0);
		c->category = policy_ld_text(l, v, "category", 0);
		c->title = policy_ld_text(l, v, "title", 1);
		c->requirement = policy_ld_text(l, v, "requirement", 1);
		c->risk = policy_ld_text(l, v, "risk", 0);
		if ((t = ynode_get(v, "phase")))
			c->phase = (uint8_t)phase_of(l, t);
		c->topics = topics_of(l, v);
		c->ob = obligations(l, v);
		if ((t = ynode_get(v, "obligation_when")))
			policy_ob_when_load(l, t, c);
		policy_params_load(l, v, c);
		if ((t = ynode_get(v, "check"))) {
			c->check = arena_zalloc(l->a, sizeof(*c->check));
			l->params_of = c;
			policy_cond_load(l, t, c->check);
			l->params_of = NULL;
			policy_params_compile(l, t, c);
			if (ynode_get(v, "manual"))
				ERR_AT(l, ynode_get(v, "manual"), "項目には 'check' と 'manual' のどちらか一方を書きます / a criterion has either 'check' or 'manual', not both");
		} else if ((t = ynode_get(v, "manual"))) {
			c->manual = answers_of(l, t, 1);
		} else {
			ERR_AT(l, v, "項目 '%1$s' には 'check'（事実で判定）か 'manual'（人が判断）が要ります / criterion '%1$s' needs 'check' (a fact decides) or 'manual' (a person decides)", c->id);
		}
		if ((t = ynode_get(v, "accept_options"))) {
			if (!c->check)
				ERR_AT(l, t, "'accept_options' は事実で判定する項目のものです。人が判断する項目は 'accepted' に書きます / 'accept_options' belongs to a checked criterion; a manual one lists 'accepted'");
			else
				c->manual = answers_of(l, t, 0);
		}
		if ((t = ynode_get(v, "when"))) {
			c->when = arena_zalloc(l->a, sizeof(*c->when));
			policy_cond_load(l, t, c->when);
		}
		if ((t = ynode_get(v, "satisfied_by")) && policy_ld_is_seq(l, t, "satisfied_by")) {
			c->alts = arena_zalloc(l->a, (t->n ? t->n : 1) * sizeof(*c->alts));
			for (j = 0; j < t->n; j++) {
				const struct ynode *a = t->items[j];

				if (!policy_ld_is_map(l, a, "an alternative"))
					continue;
				policy_ld_check_keys(l, a, "an alternative", akeys, akeys);
				if (ynode_get(a, "check"))
					policy_cond_load(l, ynode_get(a, "check"), &c->alts[c->nalts].check);
				c->alts[c->nalts].note = policy_ld_text(l, a, "note", 1);
				c->nalts++;
			}
		}
		policy_proc_criterion(l, v, c);
		p->ncriteria++;
	}
}

static void load_groups(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "title", "any_of", "prefer", "levels", "obligation", NULL };
	static const char *const req[] = { "id", "title", "any_of", "levels", NULL };
	struct policy *p = l->p;
	size_t i, j;

	static const char *const req_ob[] = { "id", "title", "any_of", NULL };

	if (!policy_ld_is_seq(l, y, "groups"))
		return;
	p->groups = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->groups));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *m, *pr;
		struct policy_group *g = &p->groups[p->ngroups];

		if (!policy_ld_is_map(l, v, "a group"))
			continue;
		policy_ld_check_keys(l, v, "a group", keys, ynode_get(v, "obligation") ? req_ob : req);
		g->at = policy_ld_pos(v);
		g->id = id_of(l, v, ids);
		if (!g->id)
			continue;
		g->title = policy_ld_text(l, v, "title", 1);
		g->ob = obligations(l, v);
		g->prefer = -1;
		m = ynode_get(v, "any_of");
		if (m && m->kind == YN_MAP) {
			policy_group_by_level(l, m, g);
		} else if (m && policy_ld_is_seq(l, m, "any_of")) {
			if (m->n < 2)
				ERR_AT(l, m, "グループには選択肢が二つ以上要ります / a group needs at least two alternatives");
			g->members = arena_alloc(l->a, (m->n ? m->n : 1) * sizeof(*g->members));
			for (j = 0; j < m->n; j++) {
				long at = m->items[j]->kind == YN_SCALAR ? policy_criterion_index(p, m->items[j]->str) : -1;

				if (at < 0)
					ERR_AT(l, m->items[j], "グループ '%1$s' の '%2$s' はこの基準の項目にありません / group '%1$s' names '%2$s', which is not a criterion of this pack",
					       g->id, m->items[j]->kind == YN_SCALAR ? m->items[j]->str : "?");
				else
					g->members[g->nmembers++] = (size_t)at;
			}
		}
		if ((pr = ynode_get(v, "prefer"))) {
			long at = pr->kind == YN_SCALAR ? policy_criterion_index(p, pr->str) : -1;

			for (j = 0; at >= 0 && j < g->nmembers; j++)
				if (g->members[j] == (size_t)at)
					break;
			if (at < 0 || j == g->nmembers)
				ERR_AT(l, pr, "'prefer' にはグループの選択肢の一つを書きます / 'prefer' must name one of the group's alternatives");
			else
				g->prefer = at;
		}
		p->ngroups++;
	}
}

static void load_risks(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "ref", "title", "text", "levels", "options", "accept", "topics",
		"obligation", NULL };
	static const char *const req[] = { "id", "title", "text", "levels", "options", "accept", NULL };
	static const char *const req_ob[] = { "id", "title", "text", "options", "accept", NULL };
	struct policy *p = l->p;
	size_t i;

	if (!policy_ld_is_seq(l, y, "risks"))
		return;
	p->risks = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->risks));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_risk *r = &p->risks[p->nrisks];

		if (!policy_ld_is_map(l, v, "a risk"))
			continue;
		policy_ld_check_keys(l, v, "a risk", keys, ynode_get(v, "obligation") ? req_ob : req);
		r->at = policy_ld_pos(v);
		r->id = id_of(l, v, ids);
		if (!r->id)
			continue;
		r->ref = policy_ld_text(l, v, "ref", 0);
		r->title = policy_ld_text(l, v, "title", 1);
		r->text = policy_ld_text(l, v, "text", 1);
		r->ob = obligations(l, v);
		r->topics = topics_of(l, v);
		r->options = policy_ld_text_list(l, ynode_get(v, "options"), "options", &r->noptions);
		r->accept = policy_ld_text_list(l, ynode_get(v, "accept"), "accept", &r->naccept);
		if (ynode_get(v, "options") && r->noptions < 2)
			ERR_AT(l, ynode_get(v, "options"), "リスクには対応の選択肢が二つ以上要ります / a risk needs at least two decision options");
		sub_list(l, v, r->options, r->noptions, r->accept, r->naccept, "accept");
		p->nrisks++;
	}
}

static void load_prohibitions(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "ref", "text", "when", "levels", NULL };
	static const char *const req[] = { "id", "text", "when", "levels", NULL };
	struct policy *p = l->p;
	size_t i;

	if (!policy_ld_is_seq(l, y, "prohibitions"))
		return;
	p->prohibitions = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->prohibitions));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_prohibition *h = &p->prohibitions[p->nprohibitions];

		if (!policy_ld_is_map(l, v, "a prohibition"))
			continue;
		policy_ld_check_keys(l, v, "a prohibition", keys, req);
		h->at = policy_ld_pos(v);
		h->id = id_of(l, v, ids);
		if (!h->id)
			continue;
		h->ref = policy_ld_text(l, v, "ref", 0);
		h->text = policy_ld_text(l, v, "text", 1);
		if (ynode_get(v, "levels") && ynode_get(v, "levels")->kind != YN_MAP) {
			/* levels as a selector (">= 3A", [2A, 2B]): it holds at those levels */
			uint8_t *in = arena_zalloc(l->a, p->nlevels ? p->nlevels : 1);
			size_t k;

			h->ob = arena_zalloc(l->a, p->nlevels ? p->nlevels : 1);
			if (policy_level_sel(l, ynode_get(v, "levels"), in))
				for (k = 0; k < p->nlevels; k++)
					h->ob[k] = in[k] ? OB_REQUIRED : OB_NA;
		} else {
			h->ob = obligations(l, v);
		}
		if (ynode_get(v, "when"))
			policy_cond_load(l, ynode_get(v, "when"), &h->when);
		p->nprohibitions++;
	}
}

static void load_exemptions(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "ref", "text", "when", "scope", "levels", "instead", "notify", NULL };
	static const char *const req[] = { "id", "text", "when", "scope", NULL };
	struct policy *p = l->p;
	size_t i;

	if (!policy_ld_is_seq(l, y, "exemptions"))
		return;
	p->exemptions = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->exemptions));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *s;
		struct policy_exemption *x = &p->exemptions[p->nexemptions];

		if (!policy_ld_is_map(l, v, "an exemption"))
			continue;
		policy_ld_check_keys(l, v, "an exemption", keys, req);
		x->at = policy_ld_pos(v);
		x->id = id_of(l, v, ids);
		if (!x->id)
			continue;
		x->ref = policy_ld_text(l, v, "ref", 0);
		x->text = policy_ld_text(l, v, "text", 1);
		if (ynode_get(v, "when"))
			policy_cond_load(l, ynode_get(v, "when"), &x->when);
		s = ynode_get(v, "scope");
		if (s && s->kind == YN_SCALAR && !strcmp(s->str, "all"))
			x->all = 1;
		else if (s && s->kind == YN_SEQ)
			x->scope = policy_ld_text_list(l, s, "scope", &x->nscope);
		else if (s)
			ERR_AT(l, s, "'scope' は 'all' か ID のリストで書きます / 'scope' is 'all' or a list of ids");
		policy_exemption_extra(l, v, x);
		p->nexemptions++;
	}
}

static void load_procedures(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "id", "levels", "forms", "approver", "consultees",
		"on_unmet", "note", "ledger_fields", "reviews", "end_of_use", "applicant",
		"consultations", "steps", "lead_time", NULL };
	static const char *const req[] = { "id", "levels", "approver", "on_unmet", NULL };
	struct policy *p = l->p;
	size_t i, j, k;

	if (!policy_ld_is_seq(l, y, "procedures"))
		return;
	p->procedures = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->procedures));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_procedure *r = &p->procedures[p->nprocedures];
		const char **lv;
		size_t nlv;

		if (!policy_ld_is_map(l, v, "a procedure"))
			continue;
		policy_ld_check_keys(l, v, "a procedure", keys, req);
		r->at = policy_ld_pos(v);
		r->id = id_of(l, v, NULL);
		r->note = policy_ld_text(l, v, "note", 0);
		lv = policy_ld_text_list(l, ynode_get(v, "levels"), "levels", &nlv);
		r->levels = arena_alloc(l->a, (nlv ? nlv : 1) * sizeof(*r->levels));
		for (j = 0; j < nlv; j++) {
			long at = policy_level_index(p, lv[j]);

			if (at < 0)
				ERR_AT(l, ynode_get(v, "levels"), "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)", lv[j], policy_level_ids(l->a, l->p));
			else
				r->levels[r->nlevels++] = (size_t)at;
		}
		r->forms = policy_ld_text_list(l, ynode_get(v, "forms"), "forms", &r->nforms);
		r->consultees = policy_ld_text_list(l, ynode_get(v, "consultees"), "consultees", &r->nconsultees);
		policy_proc_load(l, v, r);
		p->nprocedures++;
	}
	/* every governed level has a procedure */
	for (j = 0; j < p->nlevels; j++) {
		int found = 0;

		for (i = 0; i < p->nprocedures && !found; i++)
			for (k = 0; k < p->procedures[i].nlevels; k++)
				if (p->procedures[i].levels[k] == j)
					found = 1;
		if (!found && p->levels[j].governed)
			ERR_AT(l, y, "区分 '%1$s' の手続がありません / no procedure covers level '%1$s'", p->levels[j].id);
	}
}

static int load_root(struct arena *a, const struct policy_set *set, const char *file,
                     struct ynode *root, struct policy **out, struct diag *d);

int policy_load(struct arena *a, const struct policy_set *set, const char *file,
                struct policy **out, struct diag *d)
{
	struct ynode *root;

	if (policy_read_yaml(a, file, &root, d))
		return ERR_INVALID;
	return load_root(a, set, file, root, out, d);
}

int policy_load_text(struct arena *a, const struct policy_set *set, const char *name,
                     const char *text, size_t n, struct policy **out, struct diag *d)
{
	struct ynode *root;
	struct err e;

	if (ynode_parse(a, text, n, &root, &e)) {
		diag_add_err(d, name, &e);
		return ERR_INVALID;
	}
	return load_root(a, set, name, root, out, d);
}

static int load_root(struct arena *a, const struct policy_set *set, const char *file,
                     struct ynode *root, struct policy **out, struct diag *d)
{
	static const char *const keys[] = { "pack", "levels", "level_order", "criteria", "groups", "risks",
		"prohibitions", "exemptions", "procedures", "forms", "paper", NULL };
	static const char *const req[] = { "pack", "levels", "criteria", "procedures", NULL };
	struct policy *p = arena_zalloc(a, sizeof(*p));
	struct ld l = { a, file, d, 0, set, p, NULL };
	struct idtab ids = { NULL, NULL, 0, 0 };
	const struct ynode *y;
	size_t i, j, k;

	p->file = arena_strdup(a, file);
	if (!policy_ld_is_map(&l, root, "a policy pack"))
		return ERR_INVALID;
	policy_ld_check_keys(&l, root, "a policy pack", keys, req);
	if ((y = ynode_get(root, "pack")))
		load_meta(&l, y);
	if ((y = ynode_get(root, "levels")))
		load_levels(&l, y);
	if ((y = ynode_get(root, "level_order")))
		policy_level_order_load(&l, y);
	if ((y = ynode_get(root, "criteria")))
		load_criteria(&l, y, &ids);
	if ((y = ynode_get(root, "groups")))
		load_groups(&l, y, &ids);
	if ((y = ynode_get(root, "risks")))
		load_risks(&l, y, &ids);
	if ((y = ynode_get(root, "prohibitions")))
		load_prohibitions(&l, y, &ids);
	if ((y = ynode_get(root, "exemptions")))
		load_exemptions(&l, y, &ids);
	if ((y = ynode_get(root, "forms")))
		policy_forms_load(&l, y);
	if ((y = ynode_get(root, "paper")))
		policy_paper_load(&l, y);
	if ((y = ynode_get(root, "procedures")))
		load_procedures(&l, y);
	/* cross references that need everything loaded */
	for (i = 0; i < p->nexemptions; i++)
		for (j = 0; j < p->exemptions[i].nscope; j++)
			if (!id_known(&ids, p->exemptions[i].scope[j])) {
				struct ynode at = { 0 };

				at.line = p->exemptions[i].at.line;
				at.col = p->exemptions[i].at.col;
				ERR_AT(&l, &at, "適用除外 '%1$s' の '%2$s' はこの基準にありません / exemption '%1$s' names '%2$s', which is not in this pack",
				       p->exemptions[i].id, p->exemptions[i].scope[j]);
			}
	for (i = 0; i < p->nexemptions; i++) {
		const char *nf = p->exemptions[i].notify_form;

		for (k = 0; nf && k < p->nforms; k++)
			if (!strcmp(p->forms[k].id, nf))
				break;
		if (nf && k == p->nforms) {
			struct ynode at = { 0 };

			at.line = p->exemptions[i].at.line;
			at.col = p->exemptions[i].at.col;
			ERR_AT(&l, &at, "適用除外 '%1$s' の届出の様式 '%2$s' はこの基準にありません / exemption '%1$s' names the notification form '%2$s', which is not in this pack",
			       p->exemptions[i].id, nf);
		}
	}
	for (i = 0; i < p->nprocedures; i++)
		for (j = 0; j < p->procedures[i].nforms; j++) {
			for (k = 0; k < p->nforms; k++)
				if (!strcmp(p->forms[k].id, p->procedures[i].forms[j]))
					break;
			if (k == p->nforms) {
				struct ynode at = { 0 };

				at.line = p->procedures[i].at.line;
				at.col = p->procedures[i].at.col;
				ERR_AT(&l, &at, "手続 '%1$s' の様式 '%2$s' はこの基準にありません / procedure '%1$s' names form '%2$s', which is not in this pack",
				       p->procedures[i].id ? p->procedures[i].id : "?", p->procedures[i].forms[j]);
			}
		}
	if (!l.errors)
		policy_forms_check(&l);   /* needs everything, and sound */
	if (l.errors)
		return ERR_INVALID;
	*out = p;
	return OK;
}

long policy_level_default(const struct policy *p)
{
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		if (p->levels[i].governed)
			return (long)i;
	return 0;
}

static const char *level_text(struct arena *a, const struct policy *p, int mark)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		buf_addf(&b, "%s%s%s", i ? ", " : "", p->levels[i].id,
		         mark && !p->levels[i].governed ? "(対象外)" : "");
	if (buf_error(&b))
		abort();            /* out of memory: the project's rule */
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

const char *policy_level_list(struct arena *a, const struct policy *p)
{
	return level_text(a, p, 1);
}

const char *policy_level_ids(struct arena *a, const struct policy *p)
{
	return level_text(a, p, 0);
}
