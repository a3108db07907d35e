/* libFuzzer target for service profiles and applications: the input is read
 * as a profile (profile_load_text) and as an application
 * (profile_app_load_text), YAML or JSON, against the bundled vocabulary, packs
 * and country codes (SHINSA_POLICIES or the source tree's policies/, loaded
 * once). Some inputs share object shapes, count unknown facts as a matrix
 * does, or check country codes by shape only, chosen by a hash of the input.
 *
 * When the profile loads (an application on its own is assessed against an
 * empty profile), it is assessed against every pack at one level each (the
 * application's level for the pack if it names one, else one chosen by the
 * hash), three-valued, with the application's answers and risk decisions:
 * alone with the details and the model, and through the matrix's batch path
 * (the facts made once, the level set in place, a batch of one). Invariants,
 * else the target aborts: the verdict is one of the six; every status is one
 * of assess.h's; a met, accepted, unmet or not applicable finding or group
 * has no deciding fact, and a finding's deciding facts are among those it
 * found missing; the batch gives the alone run's verdict and statuses. The
 * same function is replayed over the kept corpus by the ordinary test suite
 * (replay_main.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "assess/assess_model.h"
#include "assess/country.h"
#include "assess/profile.h"
#include "core/arena.h"
#include "core/diag.h"
#include "logic/value.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena set_arena, work_arena;
static struct policy_set *set;
static struct country_list *countries;
static struct assess_batch **batches;

static void fail(const char *pack, const char *what, size_t i)
{
	fprintf(stderr, "fuzz_profile: %s: %s (%zu)\n", pack, what, i);
	abort();
}

static void setup(void)
{
	struct diag d = { 0 };
	size_t i;

	arena_init(&set_arena, 1 << 16);
	arena_init(&work_arena, 1 << 16);
	if (policy_set_open(&set_arena, policy_default_dir(), &set, &d) ||
	    policy_set_load_packs(&set_arena, set, &d) || country_load(&set_arena, set->dir, &countries, &d)) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.items[i].text);
		abort();
	}
	diag_free(&d);
	batches = arena_zalloc(&set_arena, (set->npacks ? set->npacks : 1) * sizeof(*batches));
	for (i = 0; i < set->npacks; i++) {
		struct assess_rules *r;
		struct err e;

		if (assess_rules_new(&set_arena, set, set->packs[i], &r, &e))
			fail(set->packs[i]->id, "the pack's rule set does not compile", i);
		batches[i] = assess_batch_new(&set_arena, r, &work_arena);
	}
}

static int known_status(int s)
{
	return s >= FS_MET && s <= FS_DEFERRED;
}

static int settled(int s)
{
	return s == FS_MET || s == FS_ACCEPTED || s == FS_UNMET || s == FS_NA;
}

static void check_assessment(const struct policy *p, const struct assessment *as)
{
	size_t i, j, k;

	if (as->verdict < V_EXEMPT || as->verdict > V_CONFORMING)
		fail(p->id, "a verdict that is not one of the six", (size_t)as->verdict);
	/* a level the standard does not govern is exempt, with nothing judged */
	if (as->nfindings != p->ncriteria && !(as->nfindings == 0 && as->verdict == V_EXEMPT))
		fail(p->id, "findings and criteria differ in number", as->nfindings);
	for (i = 0; i < as->nfindings; i++) {
		const struct assess_finding *f = &as->findings[i];

		if (!known_status(f->status))
			fail(p->id, "a finding's status is none of assess.h's", i);
		if (settled(f->status) && f->ndeciding)
			fail(p->id, "a settled finding (met, accepted, unmet, n/a) has deciding facts", i);
		for (j = 0; j < f->ndeciding; j++) {
			if (!f->deciding[j])
				fail(p->id, "a deciding fact is NULL", i);
			for (k = 0; k < f->nmissing && strcmp(f->missing[k], f->deciding[j]); k++)
				;
			if (k == f->nmissing)
				fail(p->id, "a deciding fact the finding did not find missing", i);
		}
	}
	for (i = 0; i < as->ngroups; i++) {
		const struct assess_group *g = &as->groups[i];

		if (!known_status(g->status))
			fail(p->id, "a group's status is none of assess.h's", i);
		if (settled(g->status) && g->ndeciding)
			fail(p->id, "a settled group has deciding facts", i);
	}
	for (i = 0; i < as->nrisks; i++)
		if (as->risks[i].status > RS_REJECTED)
			fail(p->id, "a risk's status is none of assess.h's", i);
}

static void same_assessment(const struct policy *p, const struct assessment *x, const struct assessment *y)
{
	size_t i;

	if (x->verdict != y->verdict)
		fail(p->id, "the batch path gives another verdict", (size_t)y->verdict);
	if (x->nfindings != y->nfindings || x->ngroups != y->ngroups || x->nrisks != y->nrisks)
		fail(p->id, "the batch path gives other findings", y->nfindings);
	for (i = 0; i < x->nfindings; i++)
		if (x->findings[i].status != y->findings[i].status ||
		    x->findings[i].ndeciding != y->findings[i].ndeciding)
			fail(p->id, "the batch path gives a finding another status", i);
	for (i = 0; i < x->ngroups; i++)
		if (x->groups[i].status != y->groups[i].status)
			fail(p->id, "the batch path gives a group another status", i);
	for (i = 0; i < x->nrisks; i++)
		if (x->risks[i].status != y->risks[i].status)
			fail(p->id, "the batch path gives a risk another status", i);
}

/* Every pack at one level: alone (with details, the model and the checks of
 * the answers), then as a matrix's batch of one. */
static void assess_all(struct arena *a, const struct lval *profile, const struct profile_app *app, uint32_t h)
{
	struct diag d = { 0 };
	size_t i;

	for (i = 0; i < set->npacks; i++) {
		const struct policy *p = set->packs[i];
		const struct lval *facts, *model, *ans, *rsk, *docs[1];
		const char *want = profile_app_level(app, p->id);
		struct assessment alone, batched;
		long level;

		if (!p->nlevels)
			continue;
		level = want ? policy_level_index(p, want) : -1;
		if (level < 0)
			level = (long)((h + i) % p->nlevels);
		ans = app ? assess_answers_for(app->answers, p->id) : NULL;
		rsk = app ? assess_answers_for(app->risks, p->id) : NULL;
		if (app)
			(void)assess_answers_check(p, app, &d);

		facts = profile_facts_for(a, profile, app, p->levels[level].id);
		if (assess_run(a, p, (size_t)level, facts, ans, rsk, ASSESS_DETAIL, &alone))
			fail(p->id, "assess_run failed", (size_t)level);
		check_assessment(p, &alone);
		model = assess_model(a, &alone, app);
		if (!model || model->type != LV_OBJ)
			fail(p->id, "the model is not an object", (size_t)level);
		if (app)
			(void)assess_answers_effect(&alone, 1, app, &d);

		/* as the matrix does it: facts made once, the level set in place */
		docs[0] = profile_facts_for(a, profile, app, "");
		profile_facts_set_level(a, docs[0], p->levels[level].id);
		assess_batch_bind(batches[i], docs, 1);
		assess_batch_level(batches[i]);
		if (assess_run_batch(a, batches[i], 0, (size_t)level, ans, rsk, 0, &batched))
			fail(p->id, "assess_run_batch failed", (size_t)level);
		check_assessment(p, &batched);
		same_assessment(p, &alone, &batched);
	}
	diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct diag err = { 0 }, warn = { 0 }, aerr = { 0 }, awarn = { 0 };
	struct profile_unknowns unknowns = { 0 };
	struct profile_env env;
	struct profile_app app;
	const struct lval *profile = NULL;
	const char *text = (const char *)data;
	uint32_t h = 2166136261u;
	size_t i;
	int prc, arc;

	if (!set)
		setup();
	if (size > (1 << 18))
		return 0;
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	arena_init(&a, 1 << 14);
	env.set = set;
	env.countries = h & 4 ? NULL : countries;
	env.reg = h & 1 ? lshapes_new(&a) : NULL;
	env.unknowns = h & 2 ? &unknowns : NULL;

	prc = profile_load_text(&a, &env, "fuzz.yaml", text, size, &profile, &err, &warn);
	arc = profile_app_load_text(&a, &env, "fuzz-app.yaml", text, size, &app, &aerr, &awarn);
	if (prc == OK && (!profile || profile->type != LV_OBJ))
		fail("-", "a profile that loads is not a mapping", 0);
	if (prc == OK && err.n)
		fail("-", "a profile loads with errors", err.n);
	if (arc == OK && aerr.n)
		fail("-", "an application loads with errors", aerr.n);
	if (prc == OK && profile_is_application(profile))
		profile = lval_obj(&a, 0, NULL, NULL, NULL);   /* the application alone */
	if (prc == OK)
		assess_all(&a, profile, arc == OK ? &app : NULL, h >> 3);
	diag_free(&err);
	diag_free(&warn);
	diag_free(&aerr);
	diag_free(&awarn);
	arena_release(&a);
	return 0;
}
