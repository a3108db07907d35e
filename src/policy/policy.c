/* Loading and checking policy packs, the fact vocabulary and reference lists.
 * The loader reads a YAML tree that remembers positions and checks it against
 * the format of docs/policy-format.md, recording every mistake rather than
 * stopping at the first, so one lint run shows an author all of them. */
#include "policy/policy.h"
#include "core/fmt.h"
#include "core/isotime.h"
#include "logic/json.h"
#include "policy/ynode.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const policy_topics[] = {
	"law", "jurisdiction", "data-location", "certification", "encryption-transit",
	"encryption-at-rest", "key-management", "mfa", "lockout", "access-control",
	"network-restriction", "logging", "log-retention", "time-sync", "deletion", "contract",
	"sla", "incident", "purpose-limitation", "change-control", "subcontracting", "backup",
	"monitoring", "vulnerability", "isolation", "termination", "personal-data", "support",
	"consultation",
};
const size_t policy_ntopics = sizeof(policy_topics) / sizeof(policy_topics[0]);

static const char *const ob_names[] = { "not-applicable", "optional", "recommended", "required" };
static const char *const ob_ja[] = { "対象外", "任意", "推奨", "必須" };
static const char *const phase_names[] = { "", "selection", "contract", "build", "operation", "termination" };
static const char *const phase_jas[] = { "", "選定", "契約", "導入・構築", "運用・保守", "更改・廃棄" };
static const char *const unmet_names[] = { "consultation", "reject", "accept-risk" };

const char *policy_obligation_name(int ob) { return ob_names[ob & 3]; }
const char *policy_obligation_ja(int ob) { return ob_ja[ob & 3]; }
const char *policy_phase_name(int ph) { return ph >= 0 && ph <= PH_TERMINATION ? phase_names[ph] : ""; }
const char *policy_phase_ja(int ph) { return ph >= 0 && ph <= PH_TERMINATION ? phase_jas[ph] : ""; }

/* ------------------------------------------------------------ reading helpers */

struct ld {
	struct arena *a;
	const char *file;
	struct diag *d;
	size_t errors;
	const struct policy_set *set;
	struct policy *p;
};

#define ERR_AT(L, Y, ...) \
	do { (L)->errors++; diag_add((L)->d, (L)->file, (Y)->line, (Y)->col, __VA_ARGS__); } while (0)

static int is_map(struct ld *l, const struct ynode *y, const char *what)
{
	if (y->kind == YN_MAP)
		return 1;
	ERR_AT(l, y, "対応付け（キー: 値）で書きます / %s must be a mapping (key: value)", what);
	return 0;
}

static int is_seq(struct ld *l, const struct ynode *y, const char *what)
{
	if (y->kind == YN_SEQ)
		return 1;
	ERR_AT(l, y, "リストで書きます / %s must be a list", what);
	return 0;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* Unknown keys and missing required keys of a mapping. */
static void check_keys(struct ld *l, const struct ynode *y, const char *what,
                       const char *const *allowed, const char *const *required)
{
	size_t i;

	for (i = 0; i < y->n; i++) {
		const struct ynode *k = y->items[2 * i];

		if (!in_list(k->str, allowed))
			ERR_AT(l, k, "不明なキー '%1$s' です / unknown key '%1$s' in %2$s", k->str, what);
	}
	for (; required && *required; required++)
		if (!ynode_get(y, *required))
			ERR_AT(l, y, "必須のキー '%2$s' がありません / %1$s lacks the required key '%2$s'", what, *required);
}

/* A scalar as text; NULL (and an error when required) otherwise. */
static const char *text(struct ld *l, const struct ynode *map, const char *key, int required)
{
	const struct ynode *y = ynode_get(map, key);

	if (!y) {
		return NULL;
	}
	if (y->kind != YN_SCALAR) {
		ERR_AT(l, y, "'%1$s' は文字列で書きます / '%1$s' must be text", key);
		return NULL;
	}
	if (required && (ynode_is_null(y) || y->len == 0)) {
		ERR_AT(l, y, "'%1$s' を空にはできません / '%1$s' must not be empty", key);
		return NULL;
	}
	if (ynode_is_null(y))
		return NULL;
	return y->str;
}

static const char **text_list(struct ld *l, const struct ynode *y, const char *what, size_t *n)
{
	const char **out;
	size_t i;

	*n = 0;
	if (!y)
		return NULL;
	if (!is_seq(l, y, what))
		return NULL;
	out = arena_alloc(l->a, (y->n ? y->n : 1) * sizeof(*out));
	for (i = 0; i < y->n; i++) {
		if (y->items[i]->kind != YN_SCALAR || ynode_is_null(y->items[i])) {
			ERR_AT(l, y->items[i], "各項目は文字列で書きます / each item of %s must be text", what);
			continue;
		}
		out[(*n)++] = y->items[i]->str;
	}
	return out;
}

static int int_of(struct ld *l, const struct ynode *y, const char *what, int lo, int hi)
{
	char *end;
	long v;

	if (y->kind != YN_SCALAR || !y->len) {
		ERR_AT(l, y, "整数で書きます / %s must be a whole number", what);
		return 0;
	}
	v = strtol(y->str, &end, 10);
	if (*end || v < lo || v > hi) {
		ERR_AT(l, y, "%2$d から %3$d までの整数で書きます / %1$s must be a whole number from %2$d to %3$d", what, lo, hi);
		return 0;
	}
	return (int)v;
}

static int bool_of(struct ld *l, const struct ynode *y, const char *what)
{
	if (y->kind == YN_SCALAR && !y->quoted) {
		if (!strcmp(y->str, "true"))
			return 1;
		if (!strcmp(y->str, "false"))
			return 0;
	}
	ERR_AT(l, y, "true か false で書きます / %s must be true or false", what);
	return 0;
}

static struct policy_pos pos_of(const struct ynode *y)
{
	struct policy_pos p = { y->line, y->col };

	return p;
}

/* ------------------------------------------------------------ vocabulary */

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

static const char *const fact_types[] = { "string", "bool", "integer", "date", "enum", "list", "country", NULL };

const char *policy_fact_type_name(int type)
{
	return type >= 0 && type <= FT_COUNTRY ? fact_types[type] : "string";
}

static int fact_type(const char *s)
{
	int i;

	for (i = 0; fact_types[i]; i++)
		if (!strcmp(s, fact_types[i]))
			return i;
	return -1;
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

	if (!is_map(l, facts, "facts"))
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
		if (!is_map(l, y, "a fact"))
			continue;
		check_keys(l, y, "a fact", keys, req);
		t = ynode_get(y, "type");
		if (t) {
			int ft = t->kind == YN_SCALAR ? fact_type(t->str) : -1;

			if (ft < 0)
				ERR_AT(l, t, "事実の型 '%1$s' はありません / unknown fact type '%1$s' (string, bool, integer, date, enum, list, country)",
				       t->kind == YN_SCALAR ? t->str : "?");
			f.type = (uint8_t)(ft < 0 ? FT_STRING : ft);
		}
		f.values = text_list(l, ynode_get(y, "values"), "values", &f.nvalues);
		if (f.type == FT_ENUM && !f.nvalues)
			ERR_AT(l, y, "列挙型の事実 '%1$s' に値がありません / enum fact '%1$s' lists no values", f.path);
		if (f.type == FT_LIST) {
			const struct ynode *it = ynode_get(y, "items");

			f.item_type = FT_STRING;
			if (it && it->kind == YN_SCALAR) {
				int ft = fact_type(it->str);

				if (ft < 0 || ft == FT_LIST)
					ERR_AT(l, it, "項目の型 '%1$s' はありません / unknown item type '%1$s'", it->str);
				else
					f.item_type = (uint8_t)ft;
			} else if (it && it->kind == YN_MAP) {
				f.item_type = FT_ENUM;
				f.values = text_list(l, ynode_get(it, "enum"), "items.enum", &f.nvalues);
			}
		}
		f.label = text(l, y, "label", 1);
		f.label_en = text(l, y, "label_en", 1);
		f.help = text(l, y, "help", 1);
		f.group = text(l, y, "group", 0);
		if (!f.group) {
			const char *dot = strchr(f.path, '.');

			f.group = dot ? arena_strndup(l->a, f.path, (size_t)(dot - f.path)) : f.path;
		}
		if ((t = ynode_get(y, "example"))) {
			/* a sample answer, any shape: kept as JSON text */
			struct buf eb = BUF_INIT;

			lval_write_json(&eb, ynode_to_lval(l->a, t));
			f.example = arena_strndup(l->a, buf_str(&eb), eb.len);
			buf_free(&eb);
		}
		f.unit = text(l, y, "unit", 0);
		f.why = text(l, y, "why", 0);
		f.file = l->file;
		if ((t = ynode_get(y, "min"))) {
			f.has_min = 1;
			f.min = int_of(l, t, "min", -1000000000, 1000000000);
		}
		if ((t = ynode_get(y, "max"))) {
			f.has_max = 1;
			f.max = int_of(l, t, "max", -1000000000, 1000000000);
		}
		f.added = (t = ynode_get(y, "added")) ? bool_of(l, t, "added") : (f.why != NULL);
		if (f.nvalues) {
			const struct ynode *vl = ynode_get(y, "value_labels");
			size_t j;

			f.value_labels = arena_zalloc(l->a, f.nvalues * sizeof(*f.value_labels));
			if (vl && is_map(l, vl, "value_labels")) {
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

static int read_yaml(struct arena *a, const char *file, struct ynode **out, struct diag *d)
{
	FILE *f = fopen(file, "rb");
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t k;
	struct err e;
	int rc;

	if (!f) {
		diag_add(d, file, 1, 1, "ファイルを開けません / cannot open the file");
		return ERR_IO;
	}
	buf_init(&b, YNODE_MAX_BYTES + 1);
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_append(&b, tmp, k)) {
			fclose(f);
			buf_free(&b);
			diag_add(d, file, 1, 1, "ファイルが大きすぎます（%1$zu バイトまで） / file larger than %1$zu bytes", YNODE_MAX_BYTES);
			return ERR_TOOLARGE;
		}
	fclose(f);
	rc = ynode_parse(a, buf_str(&b), b.len, out, &e);
	buf_free(&b);
	if (rc)
		diag_add_err(d, file, &e);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml names in dir, sorted; those starting with prefix only (or all). */
static char **list_yaml(struct arena *a, const char *dir, const char *prefix, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!dp)
		return NULL;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") || de->d_name[0] == '.')
			continue;
		if (prefix && strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;

			names = arena_realloc(a, names, cap * sizeof(*names), ncap * sizeof(*names));
			cap = ncap;
		}
		names[(*n)++] = arena_strdup(a, de->d_name);
	}
	closedir(dp);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

static int load_vocab(struct arena *a, const char *dir, struct policy_vocab **out, struct diag *d)
{
	struct policy_vocab *v = arena_zalloc(a, sizeof(*v));
	struct ld l = { a, NULL, d, 0, NULL, NULL };
	size_t cap = 0, nn, i;
	char **names;
	struct ynode *root;

	l.file = arena_printf(a, "%s/vocabulary.yaml", dir);
	v->file = l.file;
	if (read_yaml(a, l.file, &root, d))
		return ERR_INVALID;
	if (is_map(&l, root, "the vocabulary")) {
		static const char *const keys[] = { "version", "groups", "facts", NULL };
		static const char *const req[] = { "facts", NULL };

		const struct ynode *g = ynode_get(root, "groups");

		check_keys(&l, root, "the vocabulary", keys, req);
		if (g && is_seq(&l, g, "groups")) {
			v->groups = arena_zalloc(a, (g->n ? g->n : 1) * sizeof(*v->groups));
			for (i = 0; i < g->n; i++) {
				static const char *const gkeys[] = { "id", "label", "label_en", NULL };

				if (!is_map(&l, g->items[i], "a group"))
					continue;
				check_keys(&l, g->items[i], "a group", gkeys, gkeys);
				v->groups[v->ngroups].id = text(&l, g->items[i], "id", 1);
				v->groups[v->ngroups].label = text(&l, g->items[i], "label", 1);
				v->groups[v->ngroups].label_en = text(&l, g->items[i], "label_en", 1);
				if (v->groups[v->ngroups].id)
					v->ngroups++;
			}
		}
		if (ynode_get(root, "facts"))
			load_facts(&l, ynode_get(root, "facts"), v, &cap);
	}
	/* facts-ID.yaml: facts a pack added, kept beside it */
	names = list_yaml(a, dir, "facts-", &nn);
	for (i = 0; i < nn; i++) {
		l.file = arena_printf(a, "%s/%s", dir, names[i]);
		if (read_yaml(a, l.file, &root, d)) {
			l.errors++;
			continue;
		}
		if (is_map(&l, root, "a facts file")) {
			static const char *const keys[] = { "facts", NULL };

			check_keys(&l, root, "a facts file", keys, keys);
			if (ynode_get(root, "facts"))
				load_facts(&l, ynode_get(root, "facts"), v, &cap);
		}
	}
	vocab_index(a, v);
	*out = v;
	return l.errors ? ERR_INVALID : OK;
}

/* ------------------------------------------------------------ reference lists */

/* dir/reference/NAME.yaml: lists: {LIST: {category: [names…]}}, aliases:
 * {canonical: [spellings]}, noise: [tokens]. Each list is "NAME.LIST". */
static void load_reflists(struct arena *a, struct policy_set *set, struct diag *d, size_t *errors)
{
	char *rdir = arena_printf(a, "%s/reference", set->dir);
	size_t nn, i, j, k, cap = 0;
	char **names = list_yaml(a, rdir, NULL, &nn);

	for (i = 0; i < nn; i++) {
		struct ld l = { a, arena_printf(a, "%s/%s", rdir, names[i]), d, 0, NULL, NULL };
		const struct ynode *lists, *aliases, *noise, *fams;
		struct ynode *root;
		const char *stem = arena_strndup(a, names[i], strlen(names[i]) - 5);
		const char **afrom = NULL, **ato = NULL, **nz = NULL, **fnames = NULL;
		const char ***fmembers = NULL;
		size_t nal = 0, nnz = 0, nfam = 0, *fn = NULL;

		if (read_yaml(a, l.file, &root, d)) {
			(*errors)++;
			continue;
		}
		if (!is_map(&l, root, "a reference file")) {
			*errors += l.errors;
			continue;
		}
		lists = ynode_get(root, "lists");
		aliases = ynode_get(root, "aliases");
		noise = ynode_get(root, "noise");
		if (!lists || !is_map(&l, lists, "lists")) {
			if (!lists)
				ERR_AT(&l, root, "参照リストのファイルには 'lists' が要ります / a reference file needs 'lists'");
			*errors += l.errors;
			continue;
		}
		if (aliases && is_map(&l, aliases, "aliases")) {
			size_t total = 0;

			for (j = 0; j < aliases->n; j++)
				total += aliases->items[2 * j + 1]->kind == YN_SEQ ? aliases->items[2 * j + 1]->n : 0;
			afrom = arena_alloc(a, (total ? total : 1) * sizeof(*afrom));
			ato = arena_alloc(a, (total ? total : 1) * sizeof(*ato));
			for (j = 0; j < aliases->n; j++) {
				const struct ynode *sp = aliases->items[2 * j + 1];

				if (!is_seq(&l, sp, "an alias list"))
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
			nz = text_list(&l, noise, "noise", &nnz);
		fams = ynode_get(root, "families");
		if (fams && is_map(&l, fams, "families")) {
			fnames = arena_alloc(a, (fams->n ? fams->n : 1) * sizeof(*fnames));
			fmembers = arena_alloc(a, (fams->n ? fams->n : 1) * sizeof(*fmembers));
			fn = arena_alloc(a, (fams->n ? fams->n : 1) * sizeof(*fn));
			for (j = 0; j < fams->n; j++) {
				fnames[nfam] = fams->items[2 * j]->str;
				fmembers[nfam] = text_list(&l, fams->items[2 * j + 1], "a family", &fn[nfam]);
				nfam++;
			}
		}
		for (j = 0; j < lists->n; j++) {
			const struct ynode *lk = lists->items[2 * j], *lv = lists->items[2 * j + 1];
			struct reflist *r;
			size_t total = 0, m;

			if (!is_map(&l, lv, "a reference list"))
				continue;
			for (k = 0; k < lv->n; k++)
				if (lv->items[2 * k + 1]->kind == YN_SEQ)
					total += lv->items[2 * k + 1]->n;
			r = arena_zalloc(a, sizeof(*r));
			r->name = arena_printf(a, "%s.%s", stem, lk->str);
			r->source = text(&l, root, "source", 0);
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
	set->env.lists = set->lists;
	set->env.nlists = set->nlists;
}

int policy_set_open(struct arena *a, const char *dir, struct policy_set **out, struct diag *d)
{
	struct policy_set *set = arena_zalloc(a, sizeof(*set));
	size_t errors = 0;
	struct stat st;

	set->dir = arena_strdup(a, dir);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		diag_add(d, dir, 1, 1, "基準フォルダがありません / no such policy directory");
		return ERR_NOTFOUND;
	}
	if (load_vocab(a, dir, &set->vocab, d))
		errors++;
	load_reflists(a, set, d, &errors);
	*out = set;
	return errors ? ERR_INVALID : OK;
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

/* ------------------------------------------------------------ conditions */

/* Check var/val/missing paths against the vocabulary and operator names,
 * with the position of each. Inside an iteration's expression paths are
 * relative to a list item and are not facts. */
static void walk_rule(struct ld *l, const struct ynode *y, int in_iter)
{
	static const char *const iters[] = { "all", "some", "none", "map", "filter", "reduce", NULL };
	const struct policy_vocab *v = l->set ? l->set->vocab : NULL;
	const struct ynode *k, *arg;
	size_t i;

	if (y->kind == YN_SEQ) {
		for (i = 0; i < y->n; i++)
			walk_rule(l, y->items[i], in_iter);
		return;
	}
	if (y->kind != YN_MAP || y->n != 1)
		return;             /* a literal, or an object of data */
	k = y->items[0];
	arg = y->items[1];
	if (!logic_op_known(k->str, k->len)) {
		ERR_AT(l, k, "演算子 '%1$s' はありません / unknown operator '%1$s'", k->str);
		return;
	}
	if (!strcmp(k->str, "preserve"))
		return;
	if (v && !in_iter && (!strcmp(k->str, "var") || !strcmp(k->str, "missing") ||
	                      !strcmp(k->str, "missing_some"))) {
		const struct ynode *const *paths = &arg;
		size_t np = 1;

		if (!strcmp(k->str, "missing_some")) {
			if (arg->kind == YN_SEQ && arg->n == 2 && arg->items[1]->kind == YN_SEQ) {
				paths = (const struct ynode *const *)arg->items[1]->items;
				np = arg->items[1]->n;
			} else {
				np = 0;
			}
		} else if (arg->kind == YN_SEQ) {
			paths = (const struct ynode *const *)arg->items;
			np = !strcmp(k->str, "var") ? (arg->n ? 1 : 0) : arg->n;
		}
		for (i = 0; i < np; i++) {
			const struct ynode *p = paths[i];

			if (p->kind != YN_SCALAR || ynode_is_null(p) || p->len == 0)
				continue;
			if (!policy_vocab_has_prefix(v, p->str, p->len))
				ERR_AT(l, p, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", p->str);
		}
	}
	if (v && !in_iter && (!strcmp(k->str, "val") || !strcmp(k->str, "exists"))) {
		char path[512];
		size_t len = 0, first = 0;

		if (arg->kind == YN_SEQ && arg->n && arg->items[0]->kind == YN_SEQ)
			first = arg->n;      /* a scope climb: not the facts */
		if (arg->kind == YN_SCALAR && arg->len) {
			if (!policy_vocab_has_prefix(v, arg->str, arg->len))
				ERR_AT(l, arg, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", arg->str);
		} else if (arg->kind == YN_SEQ && first < arg->n) {
			for (i = 0; i < arg->n && len < sizeof(path) - 1; i++) {
				const struct ynode *p = arg->items[i];
				int w;

				if (p->kind != YN_SCALAR)
					return;
				w = fmt_snprintf(path + len, sizeof(path) - len, "%s%s", i ? "." : "", p->str);
				if (w < 0 || (size_t)w >= sizeof(path) - len)
					return;
				len += (size_t)w;
			}
			if (len && !policy_vocab_has_prefix(v, path, len))
				ERR_AT(l, arg, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", path);
		}
	}
	if (in_list(k->str, iters) && arg->kind == YN_SEQ) {
		for (i = 0; i < arg->n; i++)
			walk_rule(l, arg->items[i], in_iter || i > 0);
		return;
	}
	walk_rule(l, arg, in_iter);
}

static void add_path(struct ld *l, struct policy_cond *c, const char *path, size_t *cap)
{
	size_t i;

	if (!*path)
		return;
	for (i = 0; i < c->npaths; i++)
		if (!strcmp(c->paths[i], path))
			return;
	if (c->npaths == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;

		c->paths = arena_realloc(l->a, c->paths, *cap * sizeof(*c->paths), ncap * sizeof(*c->paths));
		*cap = ncap;
	}
	c->paths[c->npaths++] = path;
}

/* The facts a condition reads, and whether it is free of negation. */
static void cond_paths(struct ld *l, struct policy_cond *c, const struct lval *v, int in_iter, size_t *cap)
{
	static const char *const iters[] = { "all", "some", "none", "map", "filter", "reduce", NULL };
	static const char *const negs[] = { "!", "!=", "!==", "none", "missing", "missing_some", NULL };
	const char *op;
	const struct lval *arg;
	size_t i;

	if (v->type == LV_ARR) {
		for (i = 0; i < v->n; i++)
			cond_paths(l, c, v->u.arr[i], in_iter, cap);
		return;
	}
	if (v->type != LV_OBJ || v->n != 1)
		return;
	op = lval_obj_key(v, 0);
	arg = lval_obj_val(v, 0);
	if (in_list(op, negs))
		c->positive = 0;
	if (!strcmp(op, "preserve"))
		return;
	if (!in_iter && !strcmp(op, "var")) {
		const struct lval *k = arg->type == LV_ARR ? (arg->n ? arg->u.arr[0] : NULL) : arg;

		if (k && k->type == LV_STR)
			add_path(l, c, k->u.str, cap);
	}
	if (!in_iter && (!strcmp(op, "missing") || !strcmp(op, "missing_some"))) {
		const struct lval *keys = arg;

		if (!strcmp(op, "missing_some") && arg->type == LV_ARR && arg->n == 2)
			keys = arg->u.arr[1];
		if (keys->type == LV_ARR)
			for (i = 0; i < keys->n; i++)
				if (keys->u.arr[i]->type == LV_STR)
					add_path(l, c, keys->u.arr[i]->u.str, cap);
	}
	if (in_list(op, iters) && arg->type == LV_ARR) {
		for (i = 0; i < arg->n; i++)
			cond_paths(l, c, arg->u.arr[i], in_iter || i > 0, cap);
		return;
	}
	cond_paths(l, c, arg, in_iter, cap);
}

static int cond_of(struct ld *l, const struct ynode *y, struct policy_cond *c)
{
	struct err e;
	size_t before = l->errors;
	int rc;

	c->at = pos_of(y);
	c->json = ynode_to_lval(l->a, y);
	walk_rule(l, y, 0);
	if (l->errors != before)
		return ERR_INVALID;
	rc = logic_compile_env(l->a, c->json, NULL, 0, l->set ? &l->set->env : NULL, &c->rule, &e);
	if (rc) {
		ERR_AT(l, y, "JsonLogic の誤り / invalid JsonLogic: %s", e.msg);
		return rc;
	}
	{
		size_t cap = 0;

		c->positive = 1;
		cond_paths(l, c, c->json, 0, &cap);
	}
	return OK;
}

/* ------------------------------------------------------------ packs */

static long level_index(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		if (!strcmp(p->levels[i].id, id))
			return (long)i;
	return -1;
}

long policy_level_index(const struct policy *p, const char *id)
{
	return level_index(p, id);
}

static const char *level_ids(struct ld *l)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < l->p->nlevels; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", l->p->levels[i].id);
	s = arena_strndup(l->a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* levels: {LEVEL: required|recommended|optional|not-applicable} */
static uint8_t *obligations(struct ld *l, const struct ynode *owner)
{
	const struct ynode *y = ynode_get(owner, "levels");
	uint8_t *ob = arena_zalloc(l->a, l->p->nlevels ? l->p->nlevels : 1);
	size_t i;
	int k;

	if (!y)
		return ob;          /* check_keys reports it */
	if (!is_map(l, y, "levels"))
		return ob;
	for (i = 0; i < y->n; i++) {
		const struct ynode *lk = y->items[2 * i], *lv = y->items[2 * i + 1];
		long at = level_index(l->p, lk->str);

		if (at < 0) {
			ERR_AT(l, lk, "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)", lk->str, level_ids(l));
			continue;
		}
		for (k = 0; k < 4; k++)
			if (lv->kind == YN_SCALAR && !strcmp(lv->str, ob_names[k]))
				break;
		if (k == 4) {
			if (lv->kind == YN_SCALAR)
				ERR_AT(l, lv, "'%1$s' は義務の種類にありません / '%1$s' is not an obligation (required, recommended, optional, not-applicable)",
				       lv->str);
			else
				ERR_AT(l, lv, "区分 '%1$s' の義務は一語で書きます / the obligation at level '%1$s' must be one word"
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

	if (!y || !is_seq(l, y, "topics"))
		return 0;
	for (i = 0; i < y->n; i++) {
		const struct ynode *s = y->items[i];

		for (t = 0; t < policy_ntopics; t++)
			if (s->kind == YN_SCALAR && !strcmp(s->str, policy_topics[t]))
				break;
		if (t == policy_ntopics)
			ERR_AT(l, s, "分野 '%1$s' はありません / unknown topic '%1$s' (see docs/policy-format.md)", s->kind == YN_SCALAR ? s->str : "?");
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

	if (!is_map(l, y, with_prompt ? "manual" : "accept_options"))
		return m;
	check_keys(l, y, with_prompt ? "manual" : "accept_options", with_prompt ? keys : keys2, req);
	m->prompt = with_prompt ? text(l, y, "prompt", 0) : NULL;
	m->options = text_list(l, ynode_get(y, "options"), "options", &m->noptions);
	m->met = text_list(l, ynode_get(y, "met"), "met", &m->nmet);
	m->accepted = text_list(l, ynode_get(y, "accepted"), "accepted", &m->naccepted);
	m->na = text_list(l, ynode_get(y, "not_applicable"), "not_applicable", &m->nna);
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

	if (!is_map(l, y, "pack"))
		return;
	check_keys(l, y, "pack", keys, req);
	p->id = text(l, y, "id", 1);
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
	p->body = text(l, y, "body", 1);
	p->title = text(l, y, "title", 1);
	p->version = text(l, y, "version", 1);
	p->notes = text(l, y, "notes", 0);
	eff = ynode_get(y, "effective");
	if (eff && !ynode_is_null(eff)) {
		int64_t days;

		if (eff->kind != YN_SCALAR || isotime_parse_date(eff->str, eff->len, &days))
			ERR_AT(l, eff, "'effective' は日付（YYYY-MM-DD）か null で書きます / 'effective' must be a date (YYYY-MM-DD) or null");
		else
			p->effective = eff->str;
	}
	src = ynode_get(y, "source");
	if (src && is_map(l, src, "source")) {
		check_keys(l, src, "source", skeys, sreq);
		p->source_title = text(l, src, "title", 1);
		p->source_file = text(l, src, "file", 0);
		p->source_basis = text(l, src, "basis", 0);
	}
}

static void load_levels(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "id", "name", "definition", "examples", "governed", NULL };
	static const char *const req[] = { "id", "name", NULL };
	struct policy *p = l->p;
	size_t i, j;

	if (!is_seq(l, y, "levels"))
		return;
	if (!y->n)
		ERR_AT(l, y, "基準には区分が一つ以上要ります / a pack needs at least one level");
	p->levels = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->levels));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *g;
		struct policy_level *lv = &p->levels[p->nlevels];

		if (!is_map(l, v, "a level"))
			continue;
		check_keys(l, v, "a level", keys, req);
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
		lv->name = text(l, v, "name", 1);
		lv->definition = text(l, v, "definition", 0);
		lv->examples = text_list(l, ynode_get(v, "examples"), "examples", &lv->nexamples);
		g = ynode_get(v, "governed");
		lv->governed = g ? bool_of(l, g, "governed") : 1;
		p->nlevels++;
	}
}

static int phase_of(struct ld *l, const struct ynode *y)
{
	int i;

	for (i = PH_SELECTION; i <= PH_TERMINATION; i++)
		if (y->kind == YN_SCALAR && !strcmp(y->str, phase_names[i]))
			return i;
	ERR_AT(l, y, "'%1$s' は段階にありません / '%1$s' is not a phase (selection, contract, build, operation, termination)",
	       y->kind == YN_SCALAR ? y->str : "?");
	return PH_NONE;
}

static void load_criteria(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "ref", "category", "title", "requirement", "risk",
		"phase", "topics", "levels", "check", "manual", "accept_options", "when",
		"satisfied_by", "review", NULL };
	static const char *const req[] = { "id", "title", "requirement", "phase", "levels", NULL };
	static const char *const akeys[] = { "check", "note", NULL };
	static const char *const rkeys[] = { "cycle_months", "title", NULL };
	struct policy *p = l->p;
	size_t i, j;

	if (!is_seq(l, y, "criteria"))
		return;
	p->criteria = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->criteria));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_criterion *c = &p->criteria[p->ncriteria];

		if (!is_map(l, v, "a criterion"))
			continue;
		check_keys(l, v, "a criterion", keys, req);
		c->at = pos_of(v);
		c->id = id_of(l, v, ids);
		if (!c->id)
			continue;
		c->ref = text(l, v, "ref", 0);
		c->category = text(l, v, "category", 0);
		c->title = text(l, v, "title", 1);
		c->requirement = text(l, v, "requirement", 1);
		c->risk = text(l, v, "risk", 0);
		if ((t = ynode_get(v, "phase")))
			c->phase = (uint8_t)phase_of(l, t);
		c->topics = topics_of(l, v);
		c->ob = obligations(l, v);
		if ((t = ynode_get(v, "check"))) {
			c->check = arena_zalloc(l->a, sizeof(*c->check));
			cond_of(l, t, c->check);
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
			cond_of(l, t, c->when);
		}
		if ((t = ynode_get(v, "satisfied_by")) && is_seq(l, t, "satisfied_by")) {
			c->alts = arena_zalloc(l->a, (t->n ? t->n : 1) * sizeof(*c->alts));
			for (j = 0; j < t->n; j++) {
				const struct ynode *a = t->items[j];

				if (!is_map(l, a, "an alternative"))
					continue;
				check_keys(l, a, "an alternative", akeys, akeys);
				if (ynode_get(a, "check"))
					cond_of(l, ynode_get(a, "check"), &c->alts[c->nalts].check);
				c->alts[c->nalts].note = text(l, a, "note", 1);
				c->nalts++;
			}
		}
		if ((t = ynode_get(v, "review")) && is_map(l, t, "review")) {
			check_keys(l, t, "review", rkeys, rkeys);
			if (ynode_get(t, "cycle_months"))
				c->review_months = int_of(l, ynode_get(t, "cycle_months"), "cycle_months", 1, 120);
			c->review_title = text(l, t, "title", 1);
		}
		p->ncriteria++;
	}
}

static long criterion_index(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncriteria; i++)
		if (!strcmp(p->criteria[i].id, id))
			return (long)i;
	return -1;
}

static void load_groups(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "title", "any_of", "prefer", "levels", NULL };
	static const char *const req[] = { "id", "title", "any_of", "levels", NULL };
	struct policy *p = l->p;
	size_t i, j;

	if (!is_seq(l, y, "groups"))
		return;
	p->groups = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->groups));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *m, *pr;
		struct policy_group *g = &p->groups[p->ngroups];

		if (!is_map(l, v, "a group"))
			continue;
		check_keys(l, v, "a group", keys, req);
		g->at = pos_of(v);
		g->id = id_of(l, v, ids);
		if (!g->id)
			continue;
		g->title = text(l, v, "title", 1);
		g->ob = obligations(l, v);
		g->prefer = -1;
		m = ynode_get(v, "any_of");
		if (m && is_seq(l, m, "any_of")) {
			if (m->n < 2)
				ERR_AT(l, m, "グループには選択肢が二つ以上要ります / a group needs at least two alternatives");
			g->members = arena_alloc(l->a, (m->n ? m->n : 1) * sizeof(*g->members));
			for (j = 0; j < m->n; j++) {
				long at = m->items[j]->kind == YN_SCALAR ? criterion_index(p, m->items[j]->str) : -1;

				if (at < 0)
					ERR_AT(l, m->items[j], "グループ '%1$s' の '%2$s' はこの基準の項目にありません / group '%1$s' names '%2$s', which is not a criterion of this pack",
					       g->id, m->items[j]->kind == YN_SCALAR ? m->items[j]->str : "?");
				else
					g->members[g->nmembers++] = (size_t)at;
			}
		}
		if ((pr = ynode_get(v, "prefer"))) {
			long at = pr->kind == YN_SCALAR ? criterion_index(p, pr->str) : -1;

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
	static const char *const keys[] = { "id", "ref", "title", "text", "levels", "options", "accept", "topics", NULL };
	static const char *const req[] = { "id", "title", "text", "levels", "options", "accept", NULL };
	struct policy *p = l->p;
	size_t i;

	if (!is_seq(l, y, "risks"))
		return;
	p->risks = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->risks));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_risk *r = &p->risks[p->nrisks];

		if (!is_map(l, v, "a risk"))
			continue;
		check_keys(l, v, "a risk", keys, req);
		r->at = pos_of(v);
		r->id = id_of(l, v, ids);
		if (!r->id)
			continue;
		r->ref = text(l, v, "ref", 0);
		r->title = text(l, v, "title", 1);
		r->text = text(l, v, "text", 1);
		r->ob = obligations(l, v);
		r->topics = topics_of(l, v);
		r->options = text_list(l, ynode_get(v, "options"), "options", &r->noptions);
		r->accept = text_list(l, ynode_get(v, "accept"), "accept", &r->naccept);
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

	if (!is_seq(l, y, "prohibitions"))
		return;
	p->prohibitions = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->prohibitions));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i];
		struct policy_prohibition *h = &p->prohibitions[p->nprohibitions];

		if (!is_map(l, v, "a prohibition"))
			continue;
		check_keys(l, v, "a prohibition", keys, req);
		h->at = pos_of(v);
		h->id = id_of(l, v, ids);
		if (!h->id)
			continue;
		h->ref = text(l, v, "ref", 0);
		h->text = text(l, v, "text", 1);
		h->ob = obligations(l, v);
		if (ynode_get(v, "when"))
			cond_of(l, ynode_get(v, "when"), &h->when);
		p->nprohibitions++;
	}
}

static void load_exemptions(struct ld *l, const struct ynode *y, struct idtab *ids)
{
	static const char *const keys[] = { "id", "ref", "text", "when", "scope", NULL };
	static const char *const req[] = { "id", "text", "when", "scope", NULL };
	struct policy *p = l->p;
	size_t i;

	if (!is_seq(l, y, "exemptions"))
		return;
	p->exemptions = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->exemptions));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *s;
		struct policy_exemption *x = &p->exemptions[p->nexemptions];

		if (!is_map(l, v, "an exemption"))
			continue;
		check_keys(l, v, "an exemption", keys, req);
		x->at = pos_of(v);
		x->id = id_of(l, v, ids);
		if (!x->id)
			continue;
		x->ref = text(l, v, "ref", 0);
		x->text = text(l, v, "text", 1);
		if (ynode_get(v, "when"))
			cond_of(l, ynode_get(v, "when"), &x->when);
		s = ynode_get(v, "scope");
		if (s && s->kind == YN_SCALAR && !strcmp(s->str, "all"))
			x->all = 1;
		else if (s && s->kind == YN_SEQ)
			x->scope = text_list(l, s, "scope", &x->nscope);
		else if (s)
			ERR_AT(l, s, "'scope' は 'all' か ID のリストで書きます / 'scope' is 'all' or a list of ids");
		p->nexemptions++;
	}
}

static struct policy_labeled *labeled_list(struct ld *l, const struct ynode *y, const char *what,
                                    const char *const *keys, const char *const *req, size_t *n)
{
	struct policy_labeled *out;
	size_t i;

	*n = 0;
	if (!y || !is_seq(l, y, what))
		return NULL;
	out = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*out));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_labeled *e = &out[*n];

		if (!is_map(l, v, what))
			continue;
		check_keys(l, v, what, keys, req);
		e->id = text(l, v, "id", 1);
		e->label = text(l, v, "label", 0);
		e->text = text(l, v, "text", 0);
		if (!e->label)
			e->label = text(l, v, "title", 0);
		e->fact = text(l, v, "fact", 0);
		if (e->fact && l->set && !policy_vocab_find(l->set->vocab, e->fact, strlen(e->fact)))
			ERR_AT(l, ynode_get(v, "fact"), "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", e->fact);
		if ((t = ynode_get(v, "facts"))) {
			size_t k;

			e->facts = text_list(l, t, "facts", &e->nfacts);
			for (k = 0; k < e->nfacts && l->set; k++)
				if (!policy_vocab_find(l->set->vocab, e->facts[k], strlen(e->facts[k])))
					ERR_AT(l, t, "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", e->facts[k]);
		}
		e->input = text(l, v, "input", 0);
		if ((t = ynode_get(v, "cycle_months")))
			e->cycle_months = int_of(l, t, "cycle_months", 1, 120);
		(*n)++;
	}
	return out;
}

static void load_procedures(struct ld *l, const struct ynode *y)
{
	static const char *const keys[] = { "id", "levels", "forms", "approver", "consultees",
		"on_unmet", "note", "ledger_fields", "reviews", "end_of_use", NULL };
	static const char *const req[] = { "id", "levels", "approver", "on_unmet", NULL };
	static const char *const lkeys[] = { "id", "label", "fact", "facts", "input", NULL };
	static const char *const lreq[] = { "id", "label", NULL };
	static const char *const rkeys[] = { "id", "title", "cycle_months", NULL };
	static const char *const rreq[] = { "id", "title", "cycle_months", NULL };
	static const char *const ekeys[] = { "id", "text", NULL };
	struct policy *p = l->p;
	size_t i, j, k;

	if (!is_seq(l, y, "procedures"))
		return;
	p->procedures = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->procedures));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *t;
		struct policy_procedure *r = &p->procedures[p->nprocedures];
		const char **lv;
		size_t nlv;

		if (!is_map(l, v, "a procedure"))
			continue;
		check_keys(l, v, "a procedure", keys, req);
		r->at = pos_of(v);
		r->id = id_of(l, v, NULL);
		r->approver = text(l, v, "approver", 1);
		r->note = text(l, v, "note", 0);
		lv = text_list(l, ynode_get(v, "levels"), "levels", &nlv);
		r->levels = arena_alloc(l->a, (nlv ? nlv : 1) * sizeof(*r->levels));
		for (j = 0; j < nlv; j++) {
			long at = level_index(p, lv[j]);

			if (at < 0)
				ERR_AT(l, ynode_get(v, "levels"), "'%1$s' はこの基準の区分にありません（%2$s） / '%1$s' is not a level of this pack (%2$s)", lv[j], level_ids(l));
			else
				r->levels[r->nlevels++] = (size_t)at;
		}
		r->forms = text_list(l, ynode_get(v, "forms"), "forms", &r->nforms);
		r->consultees = text_list(l, ynode_get(v, "consultees"), "consultees", &r->nconsultees);
		if ((t = ynode_get(v, "on_unmet"))) {
			for (k = 0; k < 3; k++)
				if (t->kind == YN_SCALAR && !strcmp(t->str, unmet_names[k]))
					break;
			if (k == 3)
				ERR_AT(l, t, "'on_unmet' は consultation, reject, accept-risk のいずれかです / 'on_unmet' is consultation, reject or accept-risk");
			else
				r->on_unmet = (uint8_t)k;
		}
		r->ledger = labeled_list(l, ynode_get(v, "ledger_fields"), "a ledger field", lkeys, lreq, &r->nledger);
		r->reviews = labeled_list(l, ynode_get(v, "reviews"), "a review", rkeys, rreq, &r->nreviews);
		r->end_of_use = labeled_list(l, ynode_get(v, "end_of_use"), "an end-of-use step", ekeys, ekeys, &r->nend);
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

static void load_forms(struct ld *l, const struct ynode *y, const struct idtab *ids)
{
	static const char *const keys[] = { "id", "title", "name", "fields", "sections", NULL };
	static const char *const req[] = { "id", "title", NULL };
	static const char *const fkeys[] = { "id", "label", "fact", "facts", "input", NULL };
	static const char *const freq[] = { "id", "label", NULL };
	static const char *const skeys[] = { "title", "items", NULL };
	static const char *const sreq[] = { "title", "items", NULL };
	static const char *const inputs[] = { "text", "date", "check", "number", NULL };
	struct policy *p = l->p;
	size_t i, j, k;

	if (!is_seq(l, y, "forms"))
		return;
	p->forms = arena_zalloc(l->a, (y->n ? y->n : 1) * sizeof(*p->forms));
	for (i = 0; i < y->n; i++) {
		const struct ynode *v = y->items[i], *fs, *ss;
		struct policy_form *f = &p->forms[p->nforms];

		if (!is_map(l, v, "a form"))
			continue;
		check_keys(l, v, "a form", keys, req);
		f->at = pos_of(v);
		f->id = id_of(l, v, NULL);
		if (!f->id)
			continue;           /* reported: a form needs an id */
		for (j = 0; j < p->nforms; j++)
			if (!strcmp(p->forms[j].id, f->id))
				ERR_AT(l, v, "様式の ID '%1$s' が重複しています / duplicate form id '%1$s'", f->id);
		f->title = text(l, v, "title", 1);
		f->name = text(l, v, "name", 0);
		if ((fs = ynode_get(v, "fields")) && is_seq(l, fs, "fields")) {
			f->fields = arena_zalloc(l->a, (fs->n ? fs->n : 1) * sizeof(*f->fields));
			for (j = 0; j < fs->n; j++) {
				const struct ynode *fv = fs->items[j], *t;
				struct policy_form_field *fd = &f->fields[f->nfields];

				if (!is_map(l, fv, "a form field"))
					continue;
				check_keys(l, fv, "a form field", fkeys, freq);
				fd->id = text(l, fv, "id", 1);
				fd->label = text(l, fv, "label", 1);
				fd->input = text(l, fv, "input", 0);
				if ((t = ynode_get(fv, "fact"))) {
					fd->facts = arena_alloc(l->a, sizeof(*fd->facts));
					fd->facts[0] = text(l, fv, "fact", 1);
					fd->nfacts = fd->facts[0] ? 1 : 0;
				} else if ((t = ynode_get(fv, "facts"))) {
					fd->facts = text_list(l, t, "facts", &fd->nfacts);
				}
				for (k = 0; k < fd->nfacts && l->set; k++)
					if (!policy_vocab_find(l->set->vocab, fd->facts[k], strlen(fd->facts[k])))
						ERR_AT(l, ynode_get(fv, "fact") ? ynode_get(fv, "fact") : ynode_get(fv, "facts"),
						       "'%1$s' は事実の語彙にありません / '%1$s' is not in the fact vocabulary", fd->facts[k]);
				if (fd->input && !in_list(fd->input, inputs))
					ERR_AT(l, ynode_get(fv, "input"), "'input' は text, date, check, number のいずれかです / 'input' is text, date, check or number");
				if (!fd->nfacts && !fd->input)
					ERR_AT(l, fv, "様式の欄 '%1$s' に中身がありません。'fact', 'facts', 'input' のいずれかを書きます / form field '%1$s' names nothing: give 'fact', 'facts' or 'input'",
					       fd->id ? fd->id : "?");
				f->nfields++;
			}
		}
		if ((ss = ynode_get(v, "sections")) && is_seq(l, ss, "sections")) {
			f->sections = arena_zalloc(l->a, (ss->n ? ss->n : 1) * sizeof(*f->sections));
			for (j = 0; j < ss->n; j++) {
				const struct ynode *sv = ss->items[j], *it;
				struct policy_form_section *s = &f->sections[f->nsections];

				if (!is_map(l, sv, "a form section"))
					continue;
				check_keys(l, sv, "a form section", skeys, sreq);
				s->title = text(l, sv, "title", 1);
				it = ynode_get(sv, "items");
				s->items = text_list(l, it, "items", &s->nitems);
				for (k = 0; k < s->nitems; k++)
					if (!id_known(ids, s->items[k]))
						ERR_AT(l, it, "欄の項目 '%1$s' はこの基準の項目・グループ・リスクにありません / section item '%1$s' is not a criterion, group or risk of this pack",
						       s->items[k]);
				f->nsections++;
			}
		}
		p->nforms++;
	}
}

static int load_root(struct arena *a, const struct policy_set *set, const char *file,
                     struct ynode *root, struct policy **out, struct diag *d);

int policy_load(struct arena *a, const struct policy_set *set, const char *file,
                struct policy **out, struct diag *d)
{
	struct ynode *root;

	if (read_yaml(a, file, &root, d))
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
	static const char *const keys[] = { "pack", "levels", "criteria", "groups", "risks",
		"prohibitions", "exemptions", "procedures", "forms", NULL };
	static const char *const req[] = { "pack", "levels", "criteria", "procedures", NULL };
	struct policy *p = arena_zalloc(a, sizeof(*p));
	struct ld l = { a, file, d, 0, set, p };
	struct idtab ids = { NULL, NULL, 0, 0 };
	const struct ynode *y;
	size_t i, j, k;

	p->file = arena_strdup(a, file);
	if (!is_map(&l, root, "a policy pack"))
		return ERR_INVALID;
	check_keys(&l, root, "a policy pack", keys, req);
	if ((y = ynode_get(root, "pack")))
		load_meta(&l, y);
	if ((y = ynode_get(root, "levels")))
		load_levels(&l, y);
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
		load_forms(&l, y, &ids);
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
	if (l.errors)
		return ERR_INVALID;
	*out = p;
	return OK;
}

static int cmp_packs(const void *a, const void *b)
{
	return strcmp((*(struct policy *const *)a)->id, (*(struct policy *const *)b)->id);
}

int policy_set_load_packs(struct arena *a, struct policy_set *set, struct diag *d)
{
	size_t nn, i;
	char **names = list_yaml(a, set->dir, NULL, &nn);
	int rc = OK;

	set->packs = arena_zalloc(a, (nn ? nn : 1) * sizeof(*set->packs));
	for (i = 0; i < nn; i++) {
		struct policy *p;

		if (!strcmp(names[i], "vocabulary.yaml") || !strncmp(names[i], "facts-", 6))
			continue;
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

	for (i = 0; i < set->npacks; i++)
		if (!strcmp(set->packs[i]->id, id))
			return set->packs[i];
	return NULL;
}
