/* Traceability: for each pack, tests/policy/trace/ID.tsv lists every numbered
 * item of its seed and the id that encodes it. The test fails when an id
 * listed there is missing from the pack, when a line is malformed, or when a
 * criterion, group, risk, prohibition or exemption of the pack is traced by
 * no line (so a reviewer can see at a glance that nothing is missing). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "core/fmt.h"

static const char *policies, *traces;

static int has_criterion(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncriteria; i++)
		if (!strcmp(p->criteria[i].id, id))
			return 1;
	return 0;
}

static int has(const struct policy *p, const char *kind, const char *id)
{
	size_t i, j;

	if (!strcmp(kind, "criterion"))
		return has_criterion(p, id);
	if (!strcmp(kind, "group")) {
		for (i = 0; i < p->ngroups; i++)
			if (!strcmp(p->groups[i].id, id))
				return 1;
		return 0;
	}
	if (!strcmp(kind, "risk")) {
		for (i = 0; i < p->nrisks; i++)
			if (!strcmp(p->risks[i].id, id))
				return 1;
		return 0;
	}
	if (!strcmp(kind, "prohibition")) {
		for (i = 0; i < p->nprohibitions; i++)
			if (!strcmp(p->prohibitions[i].id, id))
				return 1;
		return 0;
	}
	if (!strcmp(kind, "exemption")) {
		for (i = 0; i < p->nexemptions; i++)
			if (!strcmp(p->exemptions[i].id, id))
				return 1;
		return 0;
	}
	if (!strcmp(kind, "procedure")) {
		/* "PROC" or "PROC#PART": a step, review, consultation or end-of-use step of it */
		const char *hash = strchr(id, '#');
		size_t pl = hash ? (size_t)(hash - id) : strlen(id);

		for (i = 0; i < p->nprocedures; i++) {
			const struct policy_procedure *r = &p->procedures[i];

			if (!r->id || strlen(r->id) != pl || strncmp(r->id, id, pl))
				continue;
			if (!hash)
				return 1;
			for (j = 0; j < r->nsteps; j++)
				if (!strcmp(r->steps[j].id, hash + 1))
					return 1;
			for (j = 0; j < r->nreviews; j++)
				if (!strcmp(r->reviews[j].id, hash + 1))
					return 1;
			for (j = 0; j < r->nconsults; j++)
				if (!strcmp(r->consults[j].id, hash + 1))
					return 1;
			for (j = 0; j < r->nend; j++)
				if (!strcmp(r->end_of_use[j].id, hash + 1))
					return 1;
			return 0;
		}
		return 0;
	}
	if (!strcmp(kind, "level"))
		return policy_level_index(p, id) >= 0;
	if (!strcmp(kind, "note") || !strcmp(kind, "definition"))
		return !strcmp(id, "pack");
	if (!strcmp(kind, "form")) {
		/* "FORM" or "FORM#ROW": a header line, field, row id or reported id of that form */
		const char *hash = strchr(id, '#');
		size_t fl = hash ? (size_t)(hash - id) : strlen(id);

		for (i = 0; i < p->nforms; i++) {
			const struct policy_form *f = &p->forms[i];

			if (strlen(f->id) != fl || strncmp(f->id, id, fl))
				continue;
			if (!hash)
				return 1;
			for (j = 0; j < f->nheader; j++)
				if (f->header[j].id && !strcmp(f->header[j].id, hash + 1))
					return 1;
			for (j = 0; j < f->nfields; j++)
				if (f->fields[j].id && !strcmp(f->fields[j].id, hash + 1))
					return 1;
			for (j = 0; j < f->nsections; j++) {
				const struct policy_form_section *s = &f->sections[j];
				size_t k;

				for (k = 0; k < s->nitems; k++)
					if (!strcmp(s->items[k], hash + 1))
						return 1;
				for (k = 0; k < s->nrows; k++)
					if (s->rows[k].id && !strcmp(s->rows[k].id, hash + 1))
						return 1;
				for (k = 0; k < s->nfields; k++)
					if (s->fields[k].id && !strcmp(s->fields[k].id, hash + 1))
						return 1;
			}
			return 0;
		}
		return 0;
	}
	return -1;   /* unknown kind */
}

struct seen {
	char **ids;
	size_t n, cap;
};

static void seen_add(struct seen *s, const char *id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ids = realloc(s->ids, s->cap * sizeof(*s->ids));
	}
	s->ids[s->n++] = strdup(id);
}

static int seen_has(const struct seen *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->ids[i], id))
			return 1;
	return 0;
}

static void check_pack(const char *id)
{
	struct arena a;
	struct diag d = { 0 };
	struct policy_set *set;
	struct policy *p;
	char path[4096], line[8192];
	struct seen seen = { 0 };
	size_t lineno = 0, bad = 0, lines = 0, i;
	FILE *f;

	assert_true(fmt_snprintf(path, sizeof(path), "%s/%s.yaml", policies, id) >= 0);
	arena_init(&a, 1 << 16);
	assert_int_equal(policy_set_open(&a, policies, &set, &d), OK);
	if (policy_load(&a, set, path, &p, &d)) {
		for (i = 0; i < d.n; i++)
			print_error("%s\n", d.items[i].text);
		fail_msg("pack %s does not load", id);
	}
	assert_true(fmt_snprintf(path, sizeof(path), "%s/%s.tsv", traces, id) >= 0);
	f = fopen(path, "r");
	if (!f)
		fail_msg("no traceability file %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *item, *kind, *pid, *save = NULL;
		int r;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		item = strtok_r(line, "\t", &save);
		kind = strtok_r(NULL, "\t", &save);
		pid = strtok_r(NULL, "\t", &save);
		if (!item || !kind || !pid) {
			print_error("%s:%zu: needs seed item, kind and id separated by tabs\n", path, lineno);
			bad++;
			continue;
		}
		lines++;
		r = has(p, kind, pid);
		if (r < 0) {
			print_error("%s:%zu: unknown kind '%s'\n", path, lineno, kind);
			bad++;
		} else if (!r) {
			print_error("%s:%zu: %s '%s' (seed item %s) is not in the pack\n", path, lineno, kind, pid, item);
			bad++;
		}
		if (!strcmp(kind, "form")) {
			const char *hash = strchr(pid, '#');

			if (hash)
				seen_add(&seen, hash + 1);
		} else if (!strcmp(kind, "procedure")) {
			seen_add(&seen, pid);       /* "PROC#PART", checked below */
		} else {
			seen_add(&seen, pid);
		}
	}
	fclose(f);
	/* every encoded element is traced to the seed */
	for (i = 0; i < p->ncriteria; i++)
		if (!seen_has(&seen, p->criteria[i].id)) {
			print_error("%s: criterion '%s' is traced to no seed item\n", path, p->criteria[i].id);
			bad++;
		}
	for (i = 0; i < p->ngroups; i++)
		if (!seen_has(&seen, p->groups[i].id)) {
			print_error("%s: group '%s' is traced to no seed item\n", path, p->groups[i].id);
			bad++;
		}
	for (i = 0; i < p->nrisks; i++)
		if (!seen_has(&seen, p->risks[i].id)) {
			print_error("%s: risk '%s' is traced to no seed item\n", path, p->risks[i].id);
			bad++;
		}
	for (i = 0; i < p->nprohibitions; i++)
		if (!seen_has(&seen, p->prohibitions[i].id)) {
			print_error("%s: prohibition '%s' is traced to no seed item\n", path, p->prohibitions[i].id);
			bad++;
		}
	for (i = 0; i < p->nexemptions; i++)
		if (!seen_has(&seen, p->exemptions[i].id)) {
			print_error("%s: exemption '%s' is traced to no seed item\n", path, p->exemptions[i].id);
			bad++;
		}
	/* every step, review and consultation of a procedure is traced too */
	for (i = 0; i < p->nprocedures; i++) {
		const struct policy_procedure *r = &p->procedures[i];
		char key[512];
		size_t j;

		for (j = 0; j < r->nsteps + r->nreviews + r->nconsults; j++) {
			const char *part = j < r->nsteps ? r->steps[j].id : j < r->nsteps + r->nreviews
				? r->reviews[j - r->nsteps].id : r->consults[j - r->nsteps - r->nreviews].id;

			assert_true(fmt_snprintf(key, sizeof(key), "%s#%s", r->id, part) >= 0);
			if (!seen_has(&seen, key)) {
				print_error("%s: procedure part '%s' is traced to no seed item\n", path, key);
				bad++;
			}
		}
	}
	print_message("%s: %zu seed items traced, %zu criteria, %zu groups, %zu risks\n",
	              id, lines, p->ncriteria, p->ngroups, p->nrisks);
	for (i = 0; i < seen.n; i++)
		free(seen.ids[i]);
	free(seen.ids);
	diag_free(&d);
	arena_release(&a);
	assert_int_equal(bad, 0);
}

static void test_anjo(void **s) { (void)s; check_pack("anjo"); }
static void test_sendai(void **s) { (void)s; check_pack("sendai"); }
static void test_kobe(void **s) { (void)s; check_pack("kobe"); }
static void test_tokyo_ward(void **s) { (void)s; check_pack("tokyo-ward"); }
static void test_otokuni(void **s) { (void)s; check_pack("otokuni"); }

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anjo),
		cmocka_unit_test(test_sendai),
		cmocka_unit_test(test_kobe),
		cmocka_unit_test(test_tokyo_ward),
		cmocka_unit_test(test_otokuni),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: test_trace POLICIES_DIR TRACE_DIR\n");
		return 2;
	}
	policies = argv[1];
	traces = argv[2];
	return cmocka_run_group_tests_name("traceability", tests, NULL, NULL);
}
