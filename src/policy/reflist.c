/* Tolerant matching of algorithm names against a reference list. */
#include "policy/reflist.h"

#include <stdlib.h>
#include <string.h>

#define NORM_MAX 64

enum kind { K_ENTRY, K_OFF, K_NOISE };

struct rkey {
	char norm[NORM_MAX];       /* upper case, no separators */
	enum kind kind;
	const char *canon;
};

struct reflist_index {
	const struct reflist *l;
	struct rkey *keys;
	size_t n;
};

static int is_sep(char c)
{
	return c == '-' || c == '_' || c == '/' || c == ' ' || c == '.' || c == '(' || c == ')' ||
	       c == ',' || c == '+' || c == ':' || c == '\t';
}

/* Upper-case ASCII with separators removed; 0 when it does not fit. */
static size_t normalize(const char *s, size_t n, char out[NORM_MAX])
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (is_sep(c))
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (k + 1 >= NORM_MAX)
			return 0;
		out[k++] = c;
	}
	out[k] = '\0';
	return k;
}

static int on_list(const struct reflist *l, const char *canon)
{
	size_t i, j;

	for (i = 0; i < l->nentries; i++)
		if (!strcmp(l->entries[i], canon))
			return 1;
	for (i = 0; i < l->nfam; i++)
		if (!strcmp(l->fam_names[i], canon))
			for (j = 0; j < l->fam_nmembers[i]; j++)
				if (on_list(l, l->fam_members[i][j]))
					return 1;
	return 0;
}

static void add_key(struct reflist_index *x, size_t *cap, const char *s, enum kind kind,
                    const char *canon, struct arena *a)
{
	struct rkey k;
	size_t i;

	if (!normalize(s, strlen(s), k.norm))
		return;
	k.kind = kind;
	k.canon = canon;
	for (i = 0; i < x->n; i++)
		if (!strcmp(x->keys[i].norm, k.norm)) {
			/* a spelling that means something on the list wins */
			if (x->keys[i].kind != K_ENTRY && kind == K_ENTRY)
				x->keys[i] = k;
			return;
		}
	if (x->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;

		x->keys = arena_realloc(a, x->keys, *cap * sizeof(*x->keys), ncap * sizeof(*x->keys));
		*cap = ncap;
	}
	x->keys[x->n++] = k;
}

static int rkey_cmp(const void *a, const void *b);

struct reflist_index *reflist_index(struct arena *a, const struct reflist *l)
{
	struct reflist_index *x = arena_zalloc(a, sizeof(*x));
	size_t i, cap = 0;

	x->l = l;
	for (i = 0; i < l->nentries; i++)
		add_key(x, &cap, l->entries[i], K_ENTRY, l->entries[i], a);
	for (i = 0; i < l->nfam; i++)
		add_key(x, &cap, l->fam_names[i], on_list(l, l->fam_names[i]) ? K_ENTRY : K_OFF,
		        l->fam_names[i], a);
	for (i = 0; i < l->naliases; i++)
		add_key(x, &cap, l->alias_from[i], on_list(l, l->alias_to[i]) ? K_ENTRY : K_OFF,
		        l->alias_to[i], a);
	for (i = 0; i < l->nnoise; i++)
		add_key(x, &cap, l->noise[i], K_NOISE, NULL, a);
	/* sorted, for lookups by binary search */
	if (x->n)
		qsort(x->keys, x->n, sizeof(*x->keys), rkey_cmp);
	return x;
}

const struct reflist *reflist_of(const struct reflist_index *x)
{
	return x->l;
}

const char *reflist_name(const struct reflist_index *x)
{
	return x->l->name;
}

static int rkey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rkey *)a)->norm, ((const struct rkey *)b)->norm);
}

static const struct rkey *lookup(const struct reflist_index *x, const char *norm)
{
	struct rkey k;

	memcpy(k.norm, norm, strlen(norm) + 1);
	return bsearch(&k, x->keys, x->n, sizeof(*x->keys), rkey_cmp);
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int reflist_place(struct arena *a, const struct reflist_index *x, const char *name, size_t n,
                  const char **bad)
{
	const char *tok[32];
	size_t tlen[32], nt = 0, i, j, placed = 0;
	char norm[NORM_MAX];
	const struct rkey *k;

	/* the whole name first: "SHA-512/256", "ChaCha20-Poly1305" */
	if (normalize(name, n, norm) && (k = lookup(x, norm)) && k->kind != K_NOISE) {
		if (k->kind == K_ENTRY)
			return 1;
		if (bad)
			*bad = arena_strndup(a, name, n);
		return 0;
	}
	for (i = 0; i < n && nt < 32; ) {
		while (i < n && is_sep(name[i]))
			i++;
		if (i >= n)
			break;
		tok[nt] = name + i;
		while (i < n && !is_sep(name[i]))
			i++;
		tlen[nt] = (size_t)(name + i - tok[nt]);
		nt++;
	}
	if (i < n) {
		if (bad)
			*bad = arena_strndup(a, name, n);
		return 0;
	}
	/* Greedy: the longest run of tokens that names something. */
	for (i = 0; i < nt; ) {
		const struct rkey *best = NULL;
		size_t bestj = i;

		for (j = nt; j > i; j--) {
			size_t m, len = 0;
			char joined[NORM_MAX * 2];

			for (m = i; m < j && len < NORM_MAX; m++) {
				if (tlen[m] >= NORM_MAX - len)
					len = NORM_MAX;
				else {
					memcpy(joined + len, tok[m], tlen[m]);
					len += tlen[m];
				}
			}
			if (len >= NORM_MAX || !normalize(joined, len, norm))
				continue;
			if ((k = lookup(x, norm))) {
				best = k;
				bestj = j;
				break;
			}
		}
		if (best) {
			if (best->kind == K_OFF) {
				if (bad)
					*bad = arena_strndup(a, tok[i], tlen[i]);
				return 0;
			}
			placed += best->kind == K_ENTRY;
			i = bestj;
			continue;
		}
		if (all_digits(tok[i], tlen[i])) {        /* a key size: 128, 2048 */
			i++;
			continue;
		}
		/* "AES256": the name with its size run together */
		if (tlen[i] < NORM_MAX) {
			size_t m = tlen[i];

			while (m > 0 && tok[i][m - 1] >= '0' && tok[i][m - 1] <= '9')
				m--;
			if (m > 0 && m < tlen[i] && normalize(tok[i], m, norm) && (k = lookup(x, norm)) &&
			    k->kind == K_ENTRY) {
				placed++;
				i++;
				continue;
			}
		}
		if (bad)
			*bad = arena_strndup(a, tok[i], tlen[i]);
		return 0;
	}
	if (!placed && bad)
		*bad = arena_strndup(a, name, n);
	return placed > 0;
}

/* ---------------------------------------------------------------- shinsa.in_list */

/* {"shinsa.in_list": [NAMES, LIST]} as a project operator (logic.h): its
 * compile is given the struct reflist_env (data) and finds LIST in it. */
static int in_list_compile(const void *data, struct arena *a, const struct lval *const *lits,
                           size_t n, const void **state, const char **why)
{
	const struct reflist_env *env = data;
	const struct lval *name = n > 1 ? lits[1] : NULL;
	size_t i;

	(void)a;
	if (!name || name->type != LV_STR) {
		*why = "the second argument must name a reference list";
		return ERR_INVALID;
	}
	for (i = 0; env && i < env->n; i++)
		if (!strcmp(reflist_of(env->lists[i])->name, name->u.str))
			*state = env->lists[i];
	if (!*state) {
		*why = "unknown reference list";
		return ERR_NOTFOUND;
	}
	return OK;
}

/* Every name (a string or a list of them) is on the reference list. Names
 * that cannot be placed make it false and are noted; no names at all is
 * false too (nothing shows the requirement met). */
static const struct lval *in_list_eval(struct logic_ctx *x, const void *state,
                                       const struct lval *const *args, size_t n)
{
	const struct reflist_index *ref = state;
	const struct lval *v = args[0], *const *names;
	size_t nn, i;
	int ok = 1;

	(void)n;
	if (v->type == LV_NULL)
		return LV_FALSEV;
	if (v->type == LV_STR) {
		names = &v;
		nn = 1;
	} else if (v->type == LV_ARR) {
		names = v->u.arr;
		nn = v->n;
	} else {
		return logic_ctx_throw(x, "Invalid Arguments");
	}
	for (i = 0; i < nn; i++) {
		struct arena *a = logic_ctx_arena(x);
		const char *bad = NULL;

		if (names[i]->type != LV_STR)
			return logic_ctx_throw(x, "Invalid Arguments");
		if (!reflist_place(a, ref, names[i]->u.str, names[i]->n, &bad)) {
			ok = 0;
			/* quoted in 「」, as a Japanese reason quotes: the note is read there */
			logic_ctx_note(x, arena_printf(a, "%1$s: 「%2$s」は載っていません（%3$s） / "
			                               "'%2$s' is not on the list (%3$s)",
			                               reflist_of(ref)->name, names[i]->u.str,
			                               bad ? bad : "?"));
		}
	}
	return LV_BOOLV(ok && nn > 0);
}

void reflist_env_init(struct reflist_env *re, const struct reflist_index *const *lists, size_t n)
{
	memset(re, 0, sizeof(*re));
	re->lists = lists;
	re->n = n;
	re->op.name = "shinsa.in_list";
	re->op.min_args = 2;
	re->op.max_args = -1;
	re->op.compile = in_list_compile;
	re->op.eval = in_list_eval;
	re->op.data = re;
	re->env.ops = &re->op;
	re->env.nops = 1;
}
