/* A policies/ folder as one set: the fact vocabulary, the reference lists and
 * the packs, opened together, with the pack found by id. Loading a pack is
 * policy_pack.c's; the vocabulary and the lists are policy_vocab.c's and
 * policy_lists.c's. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int policy_set_open(struct arena *a, const char *dir, struct policy_set **out, struct diag *d)
{
	struct policy_set *set;
	size_t errors = 0;
	struct stat st;
	int rc;

	/* Set on every path, so a caller that goes on after a failure reads
	 * NULL, never what the stack held. */
	*out = NULL;
	if (stat(dir, &st)) {
		diag_add(d, dir, 0, 0, "基準フォルダがありません / no such policy directory");
		rc = ERR_NOTFOUND;
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_add(d, dir, 0, 0, "基準フォルダではなくファイルです / is a file, not a policy directory");
		rc = ERR_NOTFOUND;
		goto out;
	}
	set = arena_zalloc(a, sizeof(*set));
	set->dir = arena_strdup(a, dir);
	if (policy_vocab_load(a, dir, &set->vocab, d, &set->nfiles))
		errors++;
	policy_lists_load(a, set, d, &errors);
	if (errors) {
		rc = ERR_INVALID;
		goto out;
	}
	*out = set;
	rc = OK;
out:
	return rc;
}

static int cmp_packs(const void *a, const void *b)
{
	return strcmp((*(struct policy *const *)a)->id, (*(struct policy *const *)b)->id);
}

int policy_set_load_packs(struct arena *a, struct policy_set *set, struct diag *d)
{
	size_t nn, i;
	char **names = policy_list_yaml(a, set->dir, NULL, &nn);
	int rc = OK;

	set->packs = arena_zalloc(a, (nn ? nn : 1) * sizeof(*set->packs));
	for (i = 0; i < nn; i++) {
		struct policy *p;

		if (!strcmp(names[i], "vocabulary.yaml") || !strncmp(names[i], "facts-", 6))
			continue;
		set->nfiles++;
		if (policy_load(a, set, arena_printf(a, "%s/%s", set->dir, names[i]), &p, d))
			rc = ERR_INVALID;
		else
			set->packs[set->npacks++] = p;
	}
	if (set->npacks)
		qsort(set->packs, set->npacks, sizeof(*set->packs), cmp_packs);
	return rc;
}

const struct policy *policy_find(const struct policy_set *set, const char *id)
{
	size_t i;

	for (i = 0; set && i < set->npacks; i++)
		if (!strcmp(set->packs[i]->id, id))
			return set->packs[i];
	return NULL;
}

const char *policy_default_dir(void)
{
	struct stat st;
	const char *env = getenv("SHINSA_POLICIES");

	if (env && *env)
		return env;
	if (!stat(SHINSA_DATADIR "/policies/vocabulary.yaml", &st))
		return SHINSA_DATADIR "/policies";
	return SHINSA_SOURCE_POLICIES;
}
