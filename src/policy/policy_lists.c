/* The reference lists a pack's checks may name (each YAML file of policies/reference,
 * such as the CRYPTREC list) loaded into the set, and the logic environment
 * through which shinsa.in_list reaches them. The matching of vendors'
 * spellings against a list is reflist.c's. */
#include "policy/policy_int.h"

#include <string.h>

/* dir/reference/NAME.yaml: lists: {LIST: {category: [names…]}}, aliases:
 * {canonical: [spellings]}, noise: [tokens]. Each list is "NAME.LIST". */
void policy_lists_load(struct arena *a, struct policy_set *set, struct diag *d, size_t *errors)
{
	char *rdir = arena_printf(a, "%s/reference", set->dir);
	size_t nn, i, j, k, cap = 0;
	char **names = policy_list_yaml(a, rdir, NULL, &nn);

	for (i = 0; i < nn; i++) {
		struct ld l = { a, arena_printf(a, "%s/%s", rdir, names[i]), d, 0, NULL, NULL, NULL };
		const struct ynode *lists, *aliases, *noise, *fams;
		struct ynode *root;
		const char *stem = arena_strndup(a, names[i], strlen(names[i]) - 5);
		const char **afrom = NULL, **ato = NULL, **nz = NULL, **fnames = NULL;
		const char ***fmembers = NULL;
		size_t nal = 0, nnz = 0, nfam = 0, *fn = NULL;

		set->nfiles++;
		if (policy_read_yaml(a, l.file, &root, d)) {
			(*errors)++;
			continue;
		}
		if (!policy_ld_is_map(&l, root, "a reference file")) {
			*errors += l.errors;
			continue;
		}
		lists = ynode_get(root, "lists");
		aliases = ynode_get(root, "aliases");
		noise = ynode_get(root, "noise");
		if (!lists || !policy_ld_is_map(&l, lists, "lists")) {
			if (!lists)
				ERR_AT(&l, root, "参照リストのファイルには 'lists' が要ります / a reference file needs 'lists'");
			*errors += l.errors;
			continue;
		}
		if (aliases && policy_ld_is_map(&l, aliases, "aliases")) {
			size_t total = 0;

			for (j = 0; j < aliases->n; j++)
				total += aliases->items[2 * j + 1]->kind == YN_SEQ ? aliases->items[2 * j + 1]->n : 0;
			afrom = arena_alloc(a, (total ? total : 1) * sizeof(*afrom));
			ato = arena_alloc(a, (total ? total : 1) * sizeof(*ato));
			for (j = 0; j < aliases->n; j++) {
				const struct ynode *sp = aliases->items[2 * j + 1];

				if (!policy_ld_is_seq(&l, sp, "an alias list"))
					continue;
				for (k = 0; k < sp->n; k++) {
					if (sp->items[k]->kind != YN_SCALAR)
						continue;
					afrom[nal] = sp->items[k]->str;
					ato[nal] = aliases->items[2 * j]->str;
					nal++;
				}
			}
		}
		if (noise)
			nz = policy_ld_text_list(&l, noise, "noise", &nnz);
		fams = ynode_get(root, "families");
		if (fams && policy_ld_is_map(&l, fams, "families")) {
			fnames = arena_alloc(a, (fams->n ? fams->n : 1) * sizeof(*fnames));
			fmembers = arena_alloc(a, (fams->n ? fams->n : 1) * sizeof(*fmembers));
			fn = arena_alloc(a, (fams->n ? fams->n : 1) * sizeof(*fn));
			for (j = 0; j < fams->n; j++) {
				fnames[nfam] = fams->items[2 * j]->str;
				fmembers[nfam] = policy_ld_text_list(&l, fams->items[2 * j + 1], "a family", &fn[nfam]);
				nfam++;
			}
		}
		for (j = 0; j < lists->n; j++) {
			const struct ynode *lk = lists->items[2 * j], *lv = lists->items[2 * j + 1];
			struct reflist *r;
			size_t total = 0, m;

			if (!policy_ld_is_map(&l, lv, "a reference list"))
				continue;
			for (k = 0; k < lv->n; k++)
				if (lv->items[2 * k + 1]->kind == YN_SEQ)
					total += lv->items[2 * k + 1]->n;
			r = arena_zalloc(a, sizeof(*r));
			r->name = arena_printf(a, "%s.%s", stem, lk->str);
			r->source = policy_ld_text(&l, root, "source", 0);
			r->entries = arena_alloc(a, (total ? total : 1) * sizeof(*r->entries));
			for (k = 0; k < lv->n; k++) {
				const struct ynode *cat = lv->items[2 * k + 1];

				if (cat->kind != YN_SEQ)
					continue;       /* list_type: and the like */
				for (m = 0; m < cat->n; m++)
					if (cat->items[m]->kind == YN_SCALAR)
						r->entries[r->nentries++] = cat->items[m]->str;
			}
			r->alias_from = afrom;
			r->alias_to = ato;
			r->naliases = nal;
			r->noise = nz;
			r->nnoise = nnz;
			r->fam_names = fnames;
			r->fam_members = (const char *const *const *)fmembers;
			r->fam_nmembers = fn;
			r->nfam = nfam;
			if (set->nlists == cap) {
				size_t ncap = cap ? cap * 2 : 8;

				set->lists = arena_realloc(a, set->lists, cap * sizeof(*set->lists), ncap * sizeof(*set->lists));
				cap = ncap;
			}
			set->lists[set->nlists++] = reflist_index(a, r);
		}
		*errors += l.errors;
	}
	reflist_env_init(&set->refenv, set->lists, set->nlists);
	policy_ops_env_init(set);
}


const struct logic_env *policy_set_env(const struct policy_set *set)
{
	/* shinsa.in_list, shinsa.date, shinsa.at_least: the policy layer's
	 * operators, registered here (policy_ops.c) */
	return set ? &set->env : NULL;
}

const struct reflist_index *policy_set_list(const struct policy_set *set, const char *name)
{
	size_t i;

	for (i = 0; set && i < set->nlists; i++)
		if (!strcmp(reflist_of(set->lists[i])->name, name))
			return set->lists[i];
	return NULL;
}
