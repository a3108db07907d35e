/* The models of `policy list`, `policy show` and `policy facts`: each one
 * value tree (logic/vb.h), built here from the loaded packs and vocabulary,
 * so the CLI's JSON, its tables and its markdown (and later the API and the
 * HTML pages) all read the same thing. The field names are those the JSON
 * has always had; docs/policy-module.md lists them. */
#include "policy/policy_int.h"

#include <string.h>

#include "logic/vb.h"

const struct lval *policy_list_model(struct arena *a, const struct policy_set *set)
{
	struct vb b;
	size_t i, j;

	vb_init(&b, a);
	vb_arr(&b);
	for (i = 0; set && i < set->npacks; i++) {
		const struct policy *p = set->packs[i];

		vb_obj(&b);
		vb_kstr(&b, "id", p->id);
		vb_kstr(&b, "body", p->body);
		vb_kstr(&b, "title", p->title);
		vb_kstr(&b, "version", p->version);
		vb_kstr(&b, "effective", p->effective);
		vb_key(&b, "levels");
		vb_arr(&b);
		for (j = 0; j < p->nlevels; j++)
			vb_str(&b, p->levels[j].id);
		vb_end(&b);
		/* the levels the standard does not govern (神戸 1), for every view */
		vb_key(&b, "not_governed");
		vb_arr(&b);
		for (j = 0; j < p->nlevels; j++)
			if (!p->levels[j].governed)
				vb_str(&b, p->levels[j].id);
		vb_end(&b);
		vb_end(&b);
	}
	vb_end(&b);
	return vb_done(&b);
}

/* An obligation: its name at the chosen level, or {LEVEL: name} at each. */
static void obligations(struct vb *b, const struct policy *p, const uint8_t *ob, long level)
{
	size_t i;

	if (level >= 0) {
		vb_str(b, policy_obligation_name(ob[level]));
		return;
	}
	vb_obj(b);
	for (i = 0; i < p->nlevels; i++)
		vb_kstr(b, p->levels[i].id, policy_obligation_name(ob[i]));
	vb_end(b);
}

void policy_topics_model(struct vb *b, uint32_t bits)
{
	size_t t;

	vb_arr(b);
	for (t = 0; t < policy_ntopics; t++)
		if (bits & (1u << t))
			vb_str(b, policy_topics[t]);
	vb_end(b);
}

/* The ids of the levels where in[i] (or ob[i] != not-applicable) holds. */
static void level_ids(struct vb *b, const struct policy *p, const uint8_t *in)
{
	size_t i;

	vb_arr(b);
	for (i = 0; i < p->nlevels; i++)
		if (!in || in[i])
			vb_str(b, p->levels[i].id);
	vb_end(b);
}

/* id, ref and text: a prohibition or an exemption, with the levels it
 * applies at (issue #11 (7)); an exemption's notification. Left open for
 * the caller to add to. */
static void id_text(struct vb *b, const struct policy *p, const char *id, const char *ref, const char *text,
                    const uint8_t *in)
{
	vb_obj(b);
	vb_kstr(b, "id", id);
	vb_kstr(b, "ref", ref);
	vb_kstr(b, "text", text);
	vb_key(b, "levels");
	level_ids(b, p, in);
}

/* A criterion's params: {NAME: {LEVEL: value}}, or {NAME: value} at one level. */
static void params_model(struct vb *b, const struct policy *p, const struct policy_criterion *c, long level)
{
	size_t i, j;

	vb_key(b, "params");
	if (!c->nparams) {
		vb_null(b);
		return;
	}
	vb_obj(b);
	for (i = 0; i < c->nparams; i++) {
		const struct policy_param *pm = &c->params[i];

		vb_key(b, pm->name);
		if (level >= 0) {
			vb_val(b, pm->at[level]);
			continue;
		}
		vb_obj(b);
		for (j = 0; j < p->nlevels; j++)
			if (pm->at[j]) {
				vb_key(b, p->levels[j].id);
				vb_val(b, pm->at[j]);
			}
		vb_end(b);
	}
	vb_end(b);
}

static void criteria(struct vb *b, const struct policy *p, long level)
{
	size_t i, k;

	vb_key(b, "criteria");
	vb_arr(b);
	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_criterion *c = &p->criteria[i];

		vb_obj(b);
		vb_kstr(b, "id", c->id);
		vb_kstr(b, "ref", c->ref);
		vb_kstr(b, "category", c->category);
		vb_kstr(b, "title", c->title);
		vb_kstr(b, "requirement", c->requirement);
		vb_kstr(b, "phase", policy_phase_name(c->phase));
		vb_key(b, "topics");
		policy_topics_model(b, c->topics);
		vb_key(b, "obligation");
		obligations(b, p, c->ob, level);
		/* obligations that depend on an application fact: the first whose
		 * `when` holds sets the obligation */
		if (c->nob_when) {
			vb_key(b, "obligation_when");
			vb_arr(b);
			for (k = 0; k < c->nob_when; k++) {
				vb_obj(b);
				vb_key(b, "when");
				vb_val(b, c->ob_when[k].when.json);
				vb_key(b, "obligation");
				obligations(b, p, c->ob_when[k].ob, level);
				vb_kstr(b, "note", c->ob_when[k].note);
				vb_end(b);
			}
			vb_end(b);
		}
		params_model(b, p, c, level);
		/* check: the rule a machine decides by; manual: the answers a
		 * person chooses from. One of them is null. */
		vb_key(b, "check");
		if (c->check)
			vb_val(b, c->check->json);
		else
			vb_null(b);
		vb_key(b, "manual");
		if (c->manual && !c->check)
			vb_strs(b, c->manual->options, c->manual->noptions);
		else
			vb_null(b);
		/* Every answer a person may give, with what each means: a manual
		 * item's, or the accept options of a checked one (which "manual"
		 * leaves null). */
		vb_key(b, "answers");
		if (c->manual) {
			vb_obj(b);
			vb_kstr(b, "kind", c->check ? "accept_options" : "manual");
			vb_kstr(b, "prompt", c->manual->prompt);
			vb_key(b, "options");
			vb_strs(b, c->manual->options, c->manual->noptions);
			vb_key(b, "met");
			vb_strs(b, c->manual->met, c->manual->nmet);
			vb_key(b, "accepted");
			vb_strs(b, c->manual->accepted, c->manual->naccepted);
			vb_key(b, "not_applicable");
			vb_strs(b, c->manual->na, c->manual->nna);
			vb_end(b);
		} else {
			vb_null(b);
		}
		/* when it applies (null: always) and the alternatives that also
		 * meet it, each with the standard's words */
		vb_key(b, "when");
		if (c->when)
			vb_val(b, c->when->json);
		else
			vb_null(b);
		vb_key(b, "satisfied_by");
		vb_arr(b);
		for (k = 0; k < c->nalts; k++) {
			vb_obj(b);
			vb_key(b, "check");
			vb_val(b, c->alts[k].check.json);
			vb_kstr(b, "note", c->alts[k].note);
			vb_end(b);
		}
		vb_end(b);
		vb_kstr(b, "stage", policy_stage_name(c->stage));
		vb_kstr(b, "on_unmet", c->on_unmet >= 0 ? policy_unmet_name(c->on_unmet) : NULL);
		vb_kstr(b, "on_unmet_ref", c->on_unmet_ref);
		vb_kstr(b, "on_unmet_text", c->on_unmet_text);
		vb_end(b);
	}
	vb_end(b);
}

static void groups_risks(struct vb *b, const struct policy *p, long level)
{
	size_t i, j;

	vb_key(b, "groups");
	vb_arr(b);
	for (i = 0; i < p->ngroups; i++) {
		const struct policy_group *g = &p->groups[i];

		vb_obj(b);
		vb_kstr(b, "id", g->id);
		vb_kstr(b, "title", g->title);
		vb_key(b, "any_of");             /* at one level: the alternatives there */
		vb_arr(b);
		for (j = 0; j < g->nmembers; j++)
			if (level < 0 || policy_group_has(p, g, j, (size_t)level))
				vb_str(b, p->criteria[g->members[j]].id);
		vb_end(b);
		vb_key(b, "obligation");
		obligations(b, p, g->ob, level);
		if (g->member_at && level < 0) {
			size_t k;

			vb_key(b, "any_of_by_level");
			vb_obj(b);
			for (k = 0; k < p->nlevels; k++) {
				vb_key(b, p->levels[k].id);
				vb_arr(b);
				for (j = 0; j < g->nmembers; j++)
					if (policy_group_has(p, g, j, k))
						vb_str(b, p->criteria[g->members[j]].id);
				vb_end(b);
			}
			vb_end(b);
		}
		vb_end(b);
	}
	vb_end(b);
	vb_key(b, "risks");
	vb_arr(b);
	for (i = 0; i < p->nrisks; i++) {
		vb_obj(b);
		vb_kstr(b, "id", p->risks[i].id);
		const struct policy_risk *rk = &p->risks[i];

		vb_kstr(b, "title", rk->title);
		vb_kstr(b, "ref", rk->ref);
		vb_kstr(b, "text", rk->text);
		vb_key(b, "options");
		vb_strs(b, rk->options, rk->noptions);
		/* the options that let the application go on; the others do not */
		vb_key(b, "accept");
		vb_strs(b, rk->accept, rk->naccept);
		vb_key(b, "option_meanings");
		vb_obj(b);
		for (j = 0; j < rk->noptions; j++) {
			size_t m;

			for (m = 0; m < rk->naccept && strcmp(rk->accept[m], rk->options[j]); m++)
				;
			vb_kstr(b, rk->options[j], m < rk->naccept ? "accepted" : "not_accepted");
		}
		vb_end(b);
		vb_key(b, "topics");
		policy_topics_model(b, rk->topics);
		vb_key(b, "obligation");
		obligations(b, p, rk->ob, level);
		vb_end(b);
	}
	vb_end(b);
}

static int names(const size_t *ix, size_t n, size_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ix[i] == x)
			return 1;
	return 0;
}

/* "skips": PROC#PART of every consultation and step that is not taken
 * when exemption x applies (unless_exempt); "leads_to": those taken only
 * then (when_exempt). */
static void exemption_procedure(struct vb *b, const struct policy *p, size_t x)
{
	static const char *const keys[] = { "skips", "leads_to" };
	size_t i, j, w;

	for (w = 0; w < 2; w++) {
		vb_key(b, keys[w]);
		vb_arr(b);
		for (i = 0; i < p->nprocedures; i++) {
			const struct policy_procedure *r = &p->procedures[i];

			for (j = 0; j < r->nconsults; j++) {
				const struct policy_consult *c = &r->consults[j];

				if (w ? names(c->when_exempt, c->nwhen_exempt, x) : names(c->unless_exempt, c->nunless_exempt, x))
					vb_str(b, arena_printf(b->a, "%s#%s", r->id, c->id));
			}
			for (j = 0; j < r->nsteps; j++) {
				const struct policy_step *s = &r->steps[j];

				if (w ? names(s->when_exempt, s->nwhen_exempt, x) : names(s->unless_exempt, s->nunless_exempt, x))
					vb_str(b, arena_printf(b->a, "%s#%s", r->id, s->id));
			}
		}
		vb_end(b);
	}
}

static void procedures(struct vb *b, const struct policy *p)
{
	size_t i;

	vb_key(b, "procedures");
	vb_arr(b);
	for (i = 0; i < p->nprocedures; i++)
		policy_procedure_model(b, p, &p->procedures[i], NULL);
	vb_end(b);
}

const struct lval *policy_show_model(struct arena *a, const struct policy *p, long level)
{
	struct vb b;
	size_t i;

	if (level >= (long)p->nlevels)
		level = -1;
	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "id", p->id);
	vb_kstr(&b, "body", p->body);
	vb_kstr(&b, "title", p->title);
	vb_kstr(&b, "version", p->version);
	vb_kstr(&b, "effective", p->effective);
	vb_kstr(&b, "level", level >= 0 ? p->levels[level].id : NULL);
	vb_key(&b, "level_order");       /* lowest first, when the pack gives an order */
	if (p->order) {
		vb_arr(&b);
		for (i = 0; i < p->nlevels; i++)
			vb_str(&b, p->levels[p->order[i]].id);
		vb_end(&b);
	} else {
		vb_null(&b);
	}
	vb_key(&b, "levels");
	vb_arr(&b);
	for (i = 0; i < p->nlevels; i++) {
		vb_obj(&b);
		vb_kstr(&b, "id", p->levels[i].id);
		vb_kstr(&b, "name", p->levels[i].name);
		vb_kbool(&b, "governed", p->levels[i].governed);
		vb_end(&b);
	}
	vb_end(&b);
	criteria(&b, p, level);
	groups_risks(&b, p, level);
	vb_key(&b, "prohibitions");
	vb_arr(&b);
	for (i = 0; i < p->nprohibitions; i++) {
		const struct policy_prohibition *h = &p->prohibitions[i];
		uint8_t *in = arena_zalloc(a, p->nlevels ? p->nlevels : 1);
		size_t k;

		for (k = 0; k < p->nlevels; k++)
			in[k] = h->ob[k] != OB_NA;
		id_text(&b, p, h->id, h->ref, h->text, in);
		vb_key(&b, "when");
		vb_val(&b, h->when.json);
		vb_end(&b);
	}
	vb_end(&b);
	vb_key(&b, "exemptions");
	vb_arr(&b);
	for (i = 0; i < p->nexemptions; i++) {
		const struct policy_exemption *x = &p->exemptions[i];

		id_text(&b, p, x->id, x->ref, x->text, x->at_level);
		vb_key(&b, "when");
		vb_val(&b, x->when.json);
		/* what it lifts: "all", or the criterion, group and risk ids; and
		 * the procedure's consultations and steps it skips or leads to */
		vb_key(&b, "scope");
		if (x->all)
			vb_str(&b, "all");
		else
			vb_strs(&b, x->scope, x->nscope);
		exemption_procedure(&b, p, i);
		vb_kstr(&b, "instead", x->instead == INSTEAD_NOTIFICATION ? "notification" : NULL);
		vb_key(&b, "notify");
		if (x->instead == INSTEAD_NOTIFICATION) {
			vb_obj(&b);
			vb_kstr(&b, "to", x->notify_to);
			vb_kstr(&b, "form", x->notify_form);
			vb_kstr(&b, "note", x->notify_note);
			vb_end(&b);
		} else {
			vb_null(&b);
		}
		vb_end(&b);
	}
	vb_end(&b);
	procedures(&b, p);
	policy_forms_model(&b, p);
	vb_end(&b);
	return vb_done(&b);
}

/* The vocabulary's heading for a group id, or NULL when it lists none. */
static const struct policy_vocab_group *group_of(const struct policy_vocab *v, const char *id)
{
	size_t i;

	for (i = 0; i < v->ngroups; i++)
		if (!strcmp(v->groups[i].id, id))
			return &v->groups[i];
	return NULL;
}

const struct lval *policy_facts_model(struct arena *a, const struct policy_vocab *v)
{
	struct vb b;
	size_t i, j;

	vb_init(&b, a);
	vb_arr(&b);
	for (i = 0; v && i < v->n; i++) {
		const struct policy_fact *f = &v->facts[i];
		const struct policy_vocab_group *g = group_of(v, f->group);
		int labelled = 0;

		vb_obj(&b);
		vb_kstr(&b, "path", f->path);
		vb_kstr(&b, "type", policy_fact_type_name(f->type));
		if (f->type == FT_LIST)
			vb_kstr(&b, "items", policy_fact_type_name(f->item_type));
		if (f->nvalues) {
			vb_key(&b, "values");
			vb_strs(&b, f->values, f->nvalues);
		}
		vb_kstr(&b, "group", f->group);
		vb_kstr(&b, "label", f->label);
		vb_kstr(&b, "label_en", f->label_en);
		vb_kstr(&b, "help", f->help);
		/* What the questionnaire and docs/facts.md show besides: members
		 * added after the fields above, which keep their places. */
		if (g) {
			vb_kstr(&b, "group_label", g->label);
			vb_kstr(&b, "group_label_en", g->label_en);
		}
		if (f->unit)
			vb_kstr(&b, "unit", f->unit);
		for (j = 0; j < f->nvalues; j++)
			labelled |= f->value_labels && f->value_labels[j];
		if (labelled) {
			vb_key(&b, "value_labels");
			vb_obj(&b);
			for (j = 0; j < f->nvalues; j++)
				if (f->value_labels[j])
					vb_kstr(&b, f->values[j], f->value_labels[j]);
			vb_end(&b);
		}
		vb_kbool(&b, "added", f->added);
		vb_end(&b);
	}
	vb_end(&b);
	return vb_done(&b);
}
