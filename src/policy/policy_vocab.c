/* The fact vocabulary: the facts a service profile and an application
 * answer (policies/vocabulary.yaml, and facts-ID.yaml for facts a pack
 * added), loaded and checked, and looked up by path. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>

#include "logic/jw.h"

static int path_cmp(const char *a, const char *b, size_t bn)
{
	int c = strncmp(a, b, bn);

	if (c)
		return c;
	return a[bn] ? 1 : 0;
}

const struct policy_fact *policy_vocab_find(const struct policy_vocab *v, const char *path, size_t n)
{
	size_t lo = 0, hi = v->n;

	if (!v->sorted) {
		for (lo = 0; lo < v->n; lo++)
			if (!path_cmp(v->facts[lo].path, path, n))
				return &v->facts[lo];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = path_cmp(v->sorted[mid]->path, path, n);

		if (!c)
			return v->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int policy_vocab_has_prefix(const struct policy_vocab *v, const char *path, size_t n)
{
	size_t lo = 0, hi = v->n, i;

	if (!v->sorted) {
		for (i = 0; i < v->n; i++)
			if (!strncmp(v->facts[i].path, path, n) &&
			    (v->facts[i].path[n] == '\0' || v->facts[i].path[n] == '.'))
				return 1;
		return 0;
	}
	/* the first path not below `path`, then look at it and the next ones */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(v->sorted[mid]->path, path, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < v->n && !strncmp(v->sorted[i]->path, path, n); i++)
		if (v->sorted[i]->path[n] == '\0' || v->sorted[i]->path[n] == '.')
			return 1;
	return 0;
}

static int fact_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct policy_fact *const *)a)->path, (*(const struct policy_fact *const *)b)->path);
}

static void vocab_index(struct arena *a, struct policy_vocab *v)
{
	size_t i;

	v->sorted = arena_alloc(a, (v->n ? v->n : 1) * sizeof(*v->sorted));
	for (i = 0; i < v->n; i++)
		v->sorted[i] = &v->facts[i];
	qsort(v->sorted, v->n, sizeof(*v->sorted), fact_ptr_cmp);
}

static int valid_path(const char *s)
{
	const char *p;
	int seg = 0;

	for (p = s; *p; p++) {
		if (*p == '.') {
			if (!seg)
				return 0;
			seg = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') {
			seg++;
		} else {
			return 0;
		}
	}
	return seg > 0;
}

static void load_facts(struct ld *l, const struct ynode *facts, struct policy_vocab *v, size_t *cap)
{
	static const char *const keys[] = { "type", "values", "value_labels", "items", "label",
		"label_en", "help", "example", "min", "max", "unit", "added", "why", "group", NULL };
	static const char *const req[] = { "type", "label", "label_en", "help", NULL };
	size_t i;

	if (!policy_ld_is_map(l, facts, "facts"))
		return;
	for (i = 0; i < facts->n; i++) {
		const struct ynode *k = facts->items[2 * i], *y = facts->items[2 * i + 1], *t;
		struct policy_fact f;

		memset(&f, 0, sizeof(f));
		f.path = k->str;
		if (!valid_path(k->str)) {
			ERR_AT(l, k, "'%1$s' は事実のパス（小文字の語をドットでつないだもの）ではありません / '%1$s' is not a fact path (lower-case words joined by dots)", k->str);
			continue;
		}
		if (policy_vocab_find(v, k->str, k->len)) {
			ERR_AT(l, k, "事実 '%1$s' が二度定義されています / fact '%1$s' is defined twice", k->str);
			continue;
		}
		if (!policy_ld_is_map(l, y, "a fact"))
			continue;
		policy_ld_check_keys(l, y, "a fact", keys, req);
		t = ynode_get(y, "type");
		if (t) {
			int ft = t->kind == YN_SCALAR ? policy_fact_type_of(t->str) : -1;

			if (ft < 0)
				ERR_AT(l, t, "事実の型 '%1$s' はありません（string, bool, integer, date, enum, list, country） / unknown fact type '%1$s' (string, bool, integer, date, enum, list, country)",
				       t->kind == YN_SCALAR ? t->str : "?");
			f.type = (uint8_t)(ft < 0 ? FT_STRING : ft);
		}
		f.values = policy_ld_text_list(l, ynode_get(y, "values"), "values", &f.nvalues);
		if (f.type == FT_ENUM && !f.nvalues)
			ERR_AT(l, y, "列挙型の事実 '%1$s' に値がありません / enum fact '%1$s' lists no values", f.path);
		if (f.type == FT_LIST) {
			const struct ynode *it = ynode_get(y, "items");

			f.item_type = FT_STRING;
			if (it && it->kind == YN_SCALAR) {
				int ft = policy_fact_type_of(it->str);

				if (ft < 0 || ft == FT_LIST)
					ERR_AT(l, it, "項目の型 '%1$s' はありません / unknown item type '%1$s'", it->str);
				else
					f.item_type = (uint8_t)ft;
			} else if (it && it->kind == YN_MAP) {
				f.item_type = FT_ENUM;
				f.values = policy_ld_text_list(l, ynode_get(it, "enum"), "items.enum", &f.nvalues);
			}
		}
		f.label = policy_ld_text(l, y, "label", 1);
		f.label_en = policy_ld_text(l, y, "label_en", 1);
		f.help = policy_ld_text(l, y, "help", 1);
		f.group = policy_ld_text(l, y, "group", 0);
		if (!f.group) {
			const char *dot = strchr(f.path, '.');

			f.group = dot ? arena_strndup(l->a, f.path, (size_t)(dot - f.path)) : f.path;
		}
		if ((t = ynode_get(y, "example"))) {
			/* a sample answer, any shape: kept as JSON text */
			struct buf eb = BUF_INIT;

			lval_add_json(&eb, ynode_to_lval(l->a, t));
			f.example = arena_strndup(l->a, buf_done(&eb), eb.len);
			buf_free(&eb);
		}
		f.unit = policy_ld_text(l, y, "unit", 0);
		f.why = policy_ld_text(l, y, "why", 0);
		f.file = l->file;
		if ((t = ynode_get(y, "min"))) {
			f.has_min = 1;
			f.min = policy_ld_int(l, t, "min", -1000000000, 1000000000);
		}
		if ((t = ynode_get(y, "max"))) {
			f.has_max = 1;
			f.max = policy_ld_int(l, t, "max", -1000000000, 1000000000);
		}
		f.added = (t = ynode_get(y, "added")) ? policy_ld_bool(l, t, "added") : (f.why != NULL);
		if (f.nvalues) {
			const struct ynode *vl = ynode_get(y, "value_labels");
			size_t j;

			f.value_labels = arena_zalloc(l->a, f.nvalues * sizeof(*f.value_labels));
			if (vl && policy_ld_is_map(l, vl, "value_labels")) {
				for (j = 0; j < vl->n; j++) {
					const struct ynode *vk = vl->items[2 * j];
					size_t m;

					for (m = 0; m < f.nvalues; m++)
						if (!strcmp(f.values[m], vk->str))
							break;
					if (m == f.nvalues)
						ERR_AT(l, vk, "value_labels の '%1$s' は値にありません / value_labels names '%1$s', which is not one of the values", vk->str);
					else if (vl->items[2 * j + 1]->kind == YN_SCALAR)
						f.value_labels[m] = vl->items[2 * j + 1]->str;
				}
			}
		}
		if (v->n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 128;

			v->facts = arena_realloc(l->a, v->facts, *cap * sizeof(*v->facts), ncap * sizeof(*v->facts));
			*cap = ncap;
		}
		v->facts[v->n++] = f;
	}
}


int policy_vocab_load(struct arena *a, const char *dir, struct policy_vocab **out, struct diag *d,
                      size_t *nfiles)
{
	struct policy_vocab *v = arena_zalloc(a, sizeof(*v));
	struct ld l = { a, NULL, d, 0, NULL, NULL, NULL };
	size_t cap = 0, nn, i;
	char **names;
	struct ynode *root;

	l.file = arena_printf(a, "%s/vocabulary.yaml", dir);
	v->file = l.file;
	*out = NULL;
	(*nfiles)++;
	if (policy_read_yaml(a, l.file, &root, d))
		return ERR_INVALID;
	if (policy_ld_is_map(&l, root, "the vocabulary")) {
		static const char *const keys[] = { "version", "groups", "facts", NULL };
		static const char *const req[] = { "facts", NULL };

		const struct ynode *g = ynode_get(root, "groups");

		policy_ld_check_keys(&l, root, "the vocabulary", keys, req);
		if (g && policy_ld_is_seq(&l, g, "groups")) {
			v->groups = arena_zalloc(a, (g->n ? g->n : 1) * sizeof(*v->groups));
			for (i = 0; i < g->n; i++) {
				static const char *const gkeys[] = { "id", "label", "label_en", NULL };

				if (!policy_ld_is_map(&l, g->items[i], "a group"))
					continue;
				policy_ld_check_keys(&l, g->items[i], "a group", gkeys, gkeys);
				v->groups[v->ngroups].id = policy_ld_text(&l, g->items[i], "id", 1);
				v->groups[v->ngroups].label = policy_ld_text(&l, g->items[i], "label", 1);
				v->groups[v->ngroups].label_en = policy_ld_text(&l, g->items[i], "label_en", 1);
				if (v->groups[v->ngroups].id)
					v->ngroups++;
			}
		}
		if (ynode_get(root, "facts"))
			load_facts(&l, ynode_get(root, "facts"), v, &cap);
	}
	/* facts-ID.yaml: facts a pack added, kept beside it */
	names = policy_list_yaml(a, dir, "facts-", &nn);
	for (i = 0; i < nn; i++) {
		l.file = arena_printf(a, "%s/%s", dir, names[i]);
		(*nfiles)++;
		if (policy_read_yaml(a, l.file, &root, d)) {
			l.errors++;
			continue;
		}
		if (policy_ld_is_map(&l, root, "a facts file")) {
			static const char *const keys[] = { "facts", NULL };

			policy_ld_check_keys(&l, root, "a facts file", keys, keys);
			if (ynode_get(root, "facts"))
				load_facts(&l, ynode_get(root, "facts"), v, &cap);
		}
	}
	vocab_index(a, v);
	*out = v;
	return l.errors ? ERR_INVALID : OK;
}

