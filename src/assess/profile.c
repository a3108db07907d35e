/* Reading and checking service profiles and applications: every value is
 * checked against the vocabulary's type for its path, countries against the
 * assigned ISO 3166-1 codes, and each mistake is reported with the path and,
 * where the document says, file:line:column. */
#include "assess/profile.h"

#include <stdio.h>
#include <string.h>

#include "assess/input.h"
#include "core/buf.h"
#include "core/fmt.h"
#include "core/isotime.h"
#include "logic/json.h"

/* The largest whole number a fact can hold exactly (values are doubles). */
#define WHOLE_MAX 9007199254740991LL

/* One document being checked. */
struct ld {
	struct arena *a;
	const struct profile_env *env;
	const char *file;
	struct diag *err, *warn;
	int count_unknowns;          /* this pass counts unknown facts in env->unknowns */
};

#define YL(y) ((y) ? (y)->line : 0)
#define YC(y) ((y) ? (y)->col : 0)

/* The key and value nodes of key in a mapping node (either may be NULL). */
static const struct ynode *ykey(const struct ynode *map, const char *key, const struct ynode **val)
{
	size_t i;

	*val = NULL;
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->items[2 * i]->kind == YN_SCALAR && !strcmp(map->items[2 * i]->str, key)) {
			*val = map->items[2 * i + 1];
			return map->items[2 * i];
		}
	return NULL;
}

static const struct ynode *yval(const struct ynode *map, const char *key)
{
	const struct ynode *v;

	ykey(map, key, &v);
	return v;
}

const char *profile_text_format(const char *text, size_t n)
{
	size_t i = 0;

	while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < n && text[i] == '{' ? "json" : "yaml";
}

/* text (n bytes, NUL-terminated) as JSON when it starts with '{', else YAML;
 * a YAML document keeps its nodes (*ydoc) for positions. Errors as
 * file:line:column. */
static int parse_doc(struct arena *a, struct lshapes *reg, const char *file, const char *text, size_t n,
                     const struct lval **out, const struct ynode **ydoc, int *is_json, struct diag *err)
{
	struct err e;

	*ydoc = NULL;
	*is_json = profile_text_format(text, n)[0] == 'j';
	if (*is_json) {
		if (json_parse_shared(a, reg, text, n, out, &e) == OK)
			return OK;
		diag_add_err(err, file, &e);
		return ERR_INVALID;
	} else {
		struct ynode *root;

		if (ynode_parse(a, text, n, &root, &e) == OK) {
			*out = ynode_to_lval(a, root);
			*ydoc = root;
			return OK;
		}
		diag_add_err(err, file, &e);
		return ERR_INVALID;
	}
}

/* The nodes of a JSON document, for positions: JSON is YAML's flow style, so
 * the YAML reader gives them (NULL if it will not, e.g. duplicate keys). */
static const struct ynode *json_nodes(struct arena *a, const char *text, size_t n)
{
	struct ynode *root;
	struct err e;

	return ynode_parse(a, text, n, &root, &e) == OK ? root : NULL;
}

static const char *const type_names[] = { "text", "true or false", "a whole number",
	"a date (YYYY-MM-DD)", "one of the listed values", "a list", "a country code (ISO 3166-1 alpha-2, e.g. JP)" };
static const char *const type_ja[] = { "文字列", "はい（true）か いいえ（false）", "整数",
	"日付（YYYY-MM-DD）", "選択肢のいずれか", "一覧（リスト）", "国コード（ISO 3166-1 alpha-2、例: JP）" };

static int in_values(const struct policy_fact *f, const struct lval *v)
{
	size_t i;

	if (v->type != LV_STR)
		return 0;
	for (i = 0; i < f->nvalues; i++)
		if (!strcmp(f->values[i], v->u.str))
			return 1;
	return 0;
}

static const char *values_text(struct arena *a, const struct policy_fact *f)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < f->nvalues; i++) {
		buf_adds(&b, i ? ", " : "");
		buf_adds(&b, f->values[i]);
	}
	s = buf_error(&b) ? "…" : arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* A country: an assigned code, else an error that says what was likely meant. */
static void check_country(struct ld *l, const char *path, const struct lval *v, const struct ynode *y)
{
	const struct country_list *cl = l->env->countries;
	struct country_hint h;

	if (v->type == LV_STR && v->n == 2 && v->u.str[0] >= 'A' && v->u.str[0] <= 'Z' && v->u.str[1] >= 'A' &&
	    v->u.str[1] <= 'Z' && (!cl || country_find(cl, v->u.str, 2)))
		return;
	if (v->type != LV_STR || !cl) {
		diag_add(l->err, l->file, YL(y), YC(y), "%s: %sで答えてください / expected %s", path, type_ja[FT_COUNTRY],
		         type_names[FT_COUNTRY]);
		return;
	}
	country_suggest(cl, v->u.str, v->n, &h);
	if (h.meant)
		diag_add(l->err, l->file, YL(y), YC(y), "%1$s: '%2$s' は割り当て済みの国コード（ISO 3166-1 alpha-2）ではありません。"
		         "%3$s（%4$s）のことですか%5$s%6$s%7$s / '%2$s' is not an assigned country code (ISO 3166-1 alpha-2): "
		         "did you mean %3$s (%8$s)?%9$s%10$s%11$s", path, v->u.str, h.meant->code, h.meant->ja,
		         h.why_ja ? "（" : "", h.why_ja ? h.why_ja : "", h.why_ja ? "）" : "", h.meant->en,
		         h.why_en ? " (" : "", h.why_en ? h.why_en : "", h.why_en ? ")" : "");
	else
		diag_add(l->err, l->file, YL(y), YC(y), "%1$s: '%2$s' は割り当て済みの国コード（ISO 3166-1 alpha-2、例: JP）で"
		         "はありません%3$s%4$s / '%2$s' is not an assigned country code: expected a country code (ISO 3166-1 "
		         "alpha-2, e.g. JP)%5$s%6$s", path, v->u.str, h.why_ja ? "。" : "", h.why_ja ? h.why_ja : "",
		         h.why_en ? "; " : "", h.why_en ? h.why_en : "");
}

/* One value of type (a fact's, or its list items'); y its node, or NULL. */
static void check_one(struct ld *l, const struct policy_fact *f, int type, const char *path,
                      const struct lval *v, const struct ynode *y)
{
	int64_t days;
	double d;

	switch (type) {
	case FT_STRING:
		if (v->type == LV_STR)
			return;
		break;
	case FT_BOOL:
		if (v->type == LV_BOOL)
			return;
		break;
	case FT_DATE:
		if (v->type == LV_STR && !isotime_parse_date(v->u.str, v->n, &days))
			return;
		break;
	case FT_ENUM:
		if (in_values(f, v))
			return;
		diag_add(l->err, l->file, YL(y), YC(y), "%1$s: 次のいずれかで答えてください: %2$s / expected one of %2$s",
		         path, values_text(l->a, f));
		return;
	case FT_COUNTRY:
		check_country(l, path, v, y);
		return;
	case FT_INTEGER: {
		long long hi = f->has_max ? f->max : WHOLE_MAX, lo = f->has_min ? f->min : -WHOLE_MAX;

		if (v->type != LV_NUM || v->u.num != v->u.num)
			break;
		d = v->u.num;
		/* past the limit first: 1e20 is too large, whatever else it is */
		if (d > (double)hi) {
			diag_add(l->err, l->file, YL(y), YC(y), "%1$s: 大きすぎます（%2$lld まで） / too large: at most %2$lld",
			         path, hi);
			return;
		}
		if (d < (double)lo) {
			if (f->has_min && f->has_max)
				diag_add(l->err, l->file, YL(y), YC(y), "%1$s: %2$lld 以上 %3$lld 以下の整数で答えてください / "
				         "expected a whole number from %2$lld to %3$lld", path, f->min, f->max);
			else if (f->has_min)
				diag_add(l->err, l->file, YL(y), YC(y), "%1$s: %2$lld 以上の整数で答えてください / expected a "
				         "whole number of at least %2$lld", path, f->min);
			else
				diag_add(l->err, l->file, YL(y), YC(y), "%1$s: 小さすぎます（%2$lld から） / too small: at least "
				         "%2$lld", path, lo);
			return;
		}
		if (d != (double)(long long)d)
			break;      /* 1.5: not a whole number */
		return;
	}
	default:
		return;
	}
	diag_add(l->err, l->file, YL(y), YC(y), "%s: %sで答えてください / expected %s", path, type_ja[type], type_names[type]);
}

static void check_value(struct ld *l, const struct policy_fact *f, const char *path, const struct lval *v,
                        const struct ynode *y)
{
	char ipath[300];
	size_t i;

	if (v->type == LV_NULL)
		return;        /* unknown, said explicitly */
	if (f->type != FT_LIST) {
		check_one(l, f, f->type, path, v, y);
		return;
	}
	if (v->type != LV_ARR) {
		diag_add(l->err, l->file, YL(y), YC(y), "%s: 一覧（リスト）で答えてください / expected a list", path);
		return;
	}
	for (i = 0; i < v->n; i++) {
		fmt_message(ipath, sizeof(ipath), "%s[%zu]", path, i);
		check_one(l, f, f->item_type, ipath, v->u.arr[i],
		          y && y->kind == YN_SEQ && i < y->n ? y->items[i] : y);
	}
}

static void count_unknown(struct ld *l, const char *path)
{
	struct profile_unknowns *u = l->env->unknowns;
	struct arena *a = u->keep ? u->keep : l->a;
	size_t i;

	for (i = 0; i < u->n; i++)
		if (!strcmp(u->paths[i], path)) {
			u->counts[i]++;
			return;
		}
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;

		u->paths = arena_realloc(a, u->paths, u->cap * sizeof(*u->paths), cap * sizeof(*u->paths));
		u->counts = arena_realloc(a, u->counts, u->cap * sizeof(*u->counts), cap * sizeof(*u->counts));
		u->cap = cap;
	}
	u->paths[u->n] = arena_strdup(a, path);
	u->counts[u->n++] = 1;
}

/* The subcontractors (再委託先) of a profile: a list of {name, role, location,
 * region, note}, not facts at a path, so they are checked here rather than
 * against the vocabulary: name and role as text, location as an assigned
 * country code (as data.regions), region and note optional text. A profile
 * that says service.subcontracted: false and lists subcontractors
 * contradicts itself. docs/profiles.md. */
static const char *const sub_keys[] = { "name", "role", "location", "region", "note", NULL };
static const char *const sub_ja[] = { "再委託先の名称", "役割（サービスのために行うこと）", "所在国",
	"所在地域", "備考" };

static void check_sub_text(struct ld *l, const char *path, const struct lval *v, const struct ynode *y)
{
	if (v->type != LV_STR)
		diag_add(l->err, l->file, YL(y), YC(y), "%s: %sで答えてください / expected %s", path, type_ja[FT_STRING],
		         type_names[FT_STRING]);
	else if (!v->n)
		diag_add(l->err, l->file, YL(y), YC(y), "%s: 空です / is empty", path);
}

static void check_subcontractors(struct ld *l, const struct lval *doc, const struct ynode *ydoc)
{
	const struct lval *list = lval_get(doc, "subcontractors", 14), *svc, *flag;
	const struct ynode *ylist, *ykl = ykey(ydoc, "subcontractors", &ylist);
	char path[64];
	size_t i, j;

	if (!list || list->type == LV_NULL)
		return;
	if (list->type != LV_ARR) {
		diag_add(l->err, l->file, YL(ylist), YC(ylist), "subcontractors: 再委託先の一覧（リスト。各々 name, role, "
		         "location）で答えてください / expected a list of subcontractors (each with name, role, location)");
		return;
	}
	for (i = 0; i < list->n; i++) {
		const struct lval *it = list->u.arr[i];
		const struct ynode *yi = ylist && ylist->kind == YN_SEQ && i < ylist->n ? ylist->items[i] : ylist;

		fmt_message(path, sizeof(path), "subcontractors[%zu]", i);
		if (it->type != LV_OBJ) {
			diag_add(l->err, l->file, YL(yi), YC(yi), "%s: 再委託先は name, role, location の対応付けです / "
			         "expected a mapping with name, role, location", path);
			continue;
		}
		for (j = 0; j < it->n; j++) {
			const char *k = lval_obj_key(it, j);
			const struct ynode *yv, *yk = ykey(yi, k, &yv);
			size_t m;

			for (m = 0; sub_keys[m] && strcmp(sub_keys[m], k); m++)
				;
			if (!sub_keys[m])
				diag_add(l->err, l->file, YL(yk), YC(yk), "%1$s: 再委託先に '%2$s' という項目はありません（name, "
				         "role, location, region, note） / unknown key '%2$s' in a subcontractor (name, role, "
				         "location, region, note)", path, k);
		}
		for (j = 0; sub_keys[j]; j++) {
			const struct lval *v = lval_get(it, sub_keys[j], strlen(sub_keys[j]));
			const struct ynode *yv;
			char fpath[96];

			ykey(yi, sub_keys[j], &yv);
			fmt_message(fpath, sizeof(fpath), "%s.%s", path, sub_keys[j]);
			if (!v || v->type == LV_NULL) {
				if (j < 3)
					diag_add(l->err, l->file, YL(yi), YC(yi), "%1$s: %2$s（%3$s）がありません / %3$s is missing",
					         fpath, sub_ja[j], sub_keys[j]);
			} else if (j == 2) {
				check_country(l, fpath, v, yv);
			} else {
				check_sub_text(l, fpath, v, yv);
			}
		}
	}
	svc = lval_get(doc, "service", 7);
	flag = svc && svc->type == LV_OBJ ? lval_get(svc, "subcontracted", 13) : NULL;
	if (list->n && flag && flag->type == LV_BOOL && !flag->b)
		diag_add(l->err, l->file, YL(ykl), YC(ykl), "subcontractors: service.subcontracted は いいえ（false）ですが、"
		         "再委託先が %1$zu 件挙げられています / service.subcontracted is false, yet %1$zu subcontractors are "
		         "listed", (size_t)list->n);
}

/* Check every member of an object of facts under prefix; y is its node. */
static void check_facts(struct ld *l, const char *prefix, const struct lval *obj, const struct ynode *y,
                        int allow_app_levels)
{
	const struct policy_vocab *voc = l->env->set->vocab;
	char path[256];
	size_t i, np = strlen(prefix);

	for (i = 0; i < obj->n; i++) {
		const char *k = lval_obj_key(obj, i);
		const struct lval *v = lval_obj_val(obj, i);
		const struct ynode *yv, *yk = ykey(y, k, &yv);
		const struct policy_fact *f;
		size_t nk = lval_obj_klen(obj, i), w = np + (np ? 1 : 0) + nk;

		/* prefix.k, joined by hand: this runs for every fact of every profile */
		if (w >= sizeof(path)) {
			diag_add(l->warn, l->file, YL(yk), YC(yk), "事実のパスが長すぎます: %1$s.%2$s… / a fact path is too long: %1$s.%2$s…",
			         prefix, k);
			continue;
		}
		memcpy(path, prefix, np);
		if (np)
			path[np] = '.';
		memcpy(path + w - nk, k, nk);
		path[w] = '\0';
		if (!np && nk == 14 && !memcmp(k, "subcontractors", 14))
			continue;      /* not a fact: check_subcontractors */
		f = policy_vocab_find(voc, path, w);
		if (f) {
			if (allow_app_levels && !strcmp(path, "app.classification") && v->type == LV_OBJ)
				continue;      /* the level per pack id: checked by check_app */
			check_value(l, f, path, v, yv);
		} else if (policy_vocab_has_prefix(voc, path, (size_t)w)) {
			if (v->type == LV_OBJ)
				check_facts(l, path, v, yv, allow_app_levels);
			else if (v->type != LV_NULL)
				diag_add(l->err, l->file, YL(yv), YC(yv), "%1$s: %1$s.* の事実の対応付けで答えてください / "
				         "expected a mapping of the %1$s.* facts", path);
		} else if (l->env->unknowns) {
			if (l->count_unknowns)
				count_unknown(l, path);
		} else {
			diag_add(l->warn, l->file, YL(yk), YC(yk), "語彙にない事実 '%1$s' は無視します（docs/facts.md） / "
			         "unknown fact '%1$s' (not in the vocabulary; it is ignored)", path);
		}
	}
}

/* What an app section says beyond the types: the packs its classification
 * names exist, and the period does not end before it starts. */
static void check_app(struct ld *l, const struct lval *app, const struct ynode *y)
{
	const struct lval *c = lval_get(app, "classification", 14), *s, *e;
	const struct policy_set *set = l->env->set;
	size_t i;

	if (c && c->type == LV_OBJ && set->npacks) {
		const struct ynode *yc = yval(y, "classification");

		for (i = 0; i < c->n; i++) {
			const char *id = lval_obj_key(c, i);
			const struct ynode *yv, *yk = ykey(yc, id, &yv);
			struct buf b = BUF_INIT;
			size_t j;

			const struct policy *p = policy_find(set, id);

			if (p) {
				/* every pack's level is checked, not only the one assessed now */
				if (yv && (lval_obj_val(c, i)->type != LV_STR ||
				           policy_level_index(p, lval_obj_val(c, i)->u.str) < 0)) {
					for (j = 0; j < p->nlevels; j++) {
						buf_adds(&b, j ? ", " : "");
						buf_adds(&b, p->levels[j].id);
					}
					const struct lval *lv = lval_obj_val(c, i);

					diag_add(l->err, l->file, YL(yv), YC(yv), "app.classification.%1$s: '%4$s' は %2$s の"
					         "区分にありません（区分: %3$s） / '%4$s' is not a level of %2$s (levels: %3$s)", id,
					         p->id, buf_error(&b) ? "…" : buf_str(&b), lv->type == LV_STR ? lv->u.str : "?");
					buf_free(&b);
				}
				continue;
			}
			for (j = 0; j < set->npacks; j++) {
				buf_adds(&b, j ? ", " : "");
				buf_adds(&b, set->packs[j]->id);
			}
			diag_add(l->err, l->file, YL(yk), YC(yk), "app.classification.%1$s: 基準 '%1$s' はありません（基準: %2$s） / "
			         "there is no pack '%1$s' (packs: %2$s)", id, buf_error(&b) ? "…" : buf_str(&b));
			buf_free(&b);
		}
	}
	s = lval_get(app, "period_start", 12);
	e = lval_get(app, "period_end", 10);
	if (s && e && s->type == LV_STR && e->type == LV_STR) {
		int64_t ds, de;
		const struct ynode *ye = yval(y, "period_end");

		if (!isotime_parse_date(s->u.str, s->n, &ds) && !isotime_parse_date(e->u.str, e->n, &de) && de < ds)
			diag_add(l->err, l->file, YL(ye), YC(ye), "app.period_end: 終了日 %1$s が開始日 %2$s より前です / "
			         "the period ends (%1$s) before it starts (%2$s)", e->u.str, s->u.str);
	}
}

int profile_is_application(const struct lval *doc)
{
	static const char *const only[] = { "app", "answers", "risks", "answered_by", "answered_at", NULL };
	size_t i, j;
	int app_only = 0;

	if (!doc || doc->type != LV_OBJ || !doc->n)
		return 0;
	for (i = 0; i < doc->n; i++) {
		const char *k = lval_obj_key(doc, i);

		for (j = 0; only[j] && strcmp(only[j], k); j++)
			;
		if (!only[j])
			return 0;
		if (j > 0)
			app_only = 1;      /* answers, risks, answered_*: never in a profile */
	}
	return app_only || (doc->n == 1 && lval_get(doc, "app", 3));
}

/* Check a parsed document: facts, and the app section's own rules. A JSON
 * document has no positions; when it has mistakes it is read again as YAML
 * for them (only then, so that a matrix of clean profiles pays nothing). */
static void check_doc(struct ld *l, const struct lval *doc, const struct ynode *y, int is_json,
                      const char *text, size_t n, int wrap_app)
{
	struct diag e2 = { 0 }, w2 = { 0 };
	struct diag *err = l->err, *warn = l->warn;
	const struct lval *app;
	size_t i;

	if (is_json && !y) {
		l->err = &e2;
		l->warn = &w2;
	}
	l->count_unknowns = 1;
	for (;;) {
		if (wrap_app) {
			const char *k[1] = { "app" };
			uint32_t kl[1] = { 3 };
			const struct lval *vals[1] = { lval_get(doc, "app", 3) };

			check_facts(l, "", lval_obj(l->a, 1, k, kl, vals), y, 1);
		} else {
			check_facts(l, "", doc, y, 1);
		}
		if ((app = lval_get(doc, "app", 3)) && app->type == LV_OBJ)
			check_app(l, app, yval(y, "app"));
		if (!wrap_app)
			check_subcontractors(l, doc, y);
		if (l->err == err)
			break;
		/* the first pass of a JSON document: again, with positions, if wrong */
		l->err = err;
		l->warn = warn;
		l->count_unknowns = 0;
		if (!e2.n && !w2.n)
			break;
		y = json_nodes(l->a, text, n);
		if (!y) {
			for (i = 0; i < e2.n; i++)
				diag_add(err, l->file, 0, 0, "%s", e2.items[i].msg);
			for (i = 0; i < w2.n; i++)
				diag_add(warn, l->file, 0, 0, "%s", w2.items[i].msg);
			break;
		}
	}
	diag_free(&e2);
	diag_free(&w2);
}

/* A profile from text that input_read or input_text checked (NUL-terminated). */
static int load_profile(struct arena *a, const struct profile_env *env, const char *file, const char *text,
                        size_t n, const struct lval **out, struct diag *err, struct diag *warn)
{
	struct ld l = { a, env, file, err, warn, 1 };
	const struct ynode *y;
	size_t before = err->n;
	int is_json;

	if (parse_doc(a, env->reg, file, text, n, out, &y, &is_json, err))
		return ERR_INVALID;
	if ((*out)->type != LV_OBJ) {
		diag_add(err, file, 1, 1, "プロファイルは事実の対応付け（service:, cert:, …）です / a profile is a mapping of facts (service:, cert:, …)");
		return ERR_INVALID;
	}
	if (profile_is_application(*out)) {
		diag_add(warn, file, 0, 0, "これは利用申請で、サービスのプロファイルではありません（--app で指定します） / this is an "
		         "application (app:, answers:, risks:), not a service profile (give it with --app)");
		return OK;
	}
	check_doc(&l, *out, y, is_json, text, n, 0);
	return err->n == before ? OK : ERR_INVALID;
}

int profile_load(struct arena *a, const struct profile_env *env, const char *file,
                 const struct lval **out, struct diag *err, struct diag *warn)
{
	char *text;
	size_t n;

	if (input_read(a, file, INPUT_MAX, &text, &n, err))
		return ERR_INVALID;
	return load_profile(a, env, file, text, n, out, err, warn);
}

int profile_load_text(struct arena *a, const struct profile_env *env, const char *file, const char *data,
                      size_t size, const struct lval **out, struct diag *err, struct diag *warn)
{
	char *text;

	if (input_text(a, file, data, size, INPUT_MAX, &text, err))
		return ERR_INVALID;
	return load_profile(a, env, file, text, size, out, err, warn);
}

/* An application from checked text, as load_profile. */
static int load_app(struct arena *a, const struct profile_env *env, const char *file, const char *text,
                    size_t n, struct profile_app *out, struct diag *err, struct diag *warn)
{
	static const char *const keys[] = { "app", "answers", "risks", "answered_by", "answered_at", NULL };
	struct ld l = { a, env, file, err, warn, 1 };
	const struct lval *doc, *x;
	const struct ynode *y;
	size_t before = err->n, i, j;
	int is_json;

	if (parse_doc(a, NULL, file, text, n, &doc, &y, &is_json, err))
		return ERR_INVALID;
	if (is_json)
		y = json_nodes(a, text, n);   /* an application is small: positions always */
	out->doc = y;
	if (doc->type != LV_OBJ) {
		diag_add(err, file, 1, 1, "利用申請は app:, answers:, risks: の対応付けです / an application is a mapping with app:, answers:, risks:");
		return ERR_INVALID;
	}
	for (i = 0; i < doc->n; i++) {
		const char *k = lval_obj_key(doc, i);
		const struct ynode *yv, *yk = ykey(y, k, &yv);

		for (j = 0; keys[j] && strcmp(keys[j], k); j++)
			;
		if (!keys[j])
			diag_add(err, file, YL(yk), YC(yk), "利用申請に '%1$s' という項目はありません（app, answers, risks, "
			         "answered_by, answered_at） / unknown key '%1$s' in an application (app, answers, risks, "
			         "answered_by, answered_at)", k);
	}
	out->app = lval_get(doc, "app", 3);
	if (out->app) {
		const struct ynode *ya = yval(y, "app");

		if (out->app->type != LV_OBJ)
			diag_add(err, file, YL(ya), YC(ya), "app: app.* の事実の対応付けで答えてください / expected a mapping of "
			         "app.* facts");
		else
			check_doc(&l, doc, y, 0, text, n, 1);
	}
	for (i = 0; i < 2; i++) {
		const char *name = i ? "risks" : "answers";
		const struct ynode *ys = yval(y, name);

		x = lval_get(doc, name, strlen(name));
		if (!x)
			continue;
		if (x->type != LV_OBJ) {
			diag_add(err, file, YL(ys), YC(ys), "%1$s: 基準の ID ごとに {ID: 回答} の対応付けで答えてください / "
			         "expected a mapping of pack id -> {id: answer}", name);
			continue;
		}
		for (j = 0; j < x->n; j++) {
			const struct lval *per = lval_obj_val(x, j);
			const char *pk = lval_obj_key(x, j);
			const struct ynode *yv, *yk = ykey(ys, pk, &yv);
			size_t m;

			if (per->type == LV_STR && lval_obj_val(x, 0)->type == LV_STR)
				continue;      /* {id: answer}: for an application to one standard */
			if (per->type != LV_OBJ) {
				diag_add(err, file, YL(yv), YC(yv), "%1$s.%2$s: {ID: 回答} の対応付けで答えてください / expected a "
				         "mapping of id -> answer (or of pack id -> {id: answer})", name, pk);
				continue;
			}
			if (env->set->npacks && !policy_find(env->set, pk)) {
				diag_add(err, file, YL(yk), YC(yk), "%1$s.%2$s: 基準 '%2$s' はありません / there is no pack '%2$s'",
				         name, pk);
				continue;
			}
			for (m = 0; m < per->n; m++)
				if (lval_obj_val(per, m)->type != LV_STR) {
					const struct ynode *ya = yval(yv, lval_obj_key(per, m));

					diag_add(err, file, YL(ya), YC(ya), "%1$s.%2$s.%3$s: 回答は文字列です / the answer must be text",
					         name, pk, lval_obj_key(per, m));
				}
		}
		if (i)
			out->risks = x;
		else
			out->answers = x;
	}
	if ((x = lval_get(doc, "answered_by", 11)) && x->type == LV_STR)
		out->answered_by = x->u.str;
	if ((x = lval_get(doc, "answered_at", 11))) {
		const struct ynode *yt = yval(y, "answered_at");
		int64_t t;

		if (x->type != LV_STR || isotime_parse(x->u.str, x->n, &t))
			diag_add(err, file, YL(yt), YC(yt), "answered_at: 時差付きの日時で答えてください（例: 2026-11-20T10:00:00+09:00） / "
			         "expected a time with its offset, e.g. 2026-11-20T10:00:00+09:00");
		else
			out->answered_at = x->u.str;
	}
	return err->n == before ? OK : ERR_INVALID;
}

int profile_app_load(struct arena *a, const struct profile_env *env, const char *file,
                     struct profile_app *out, struct diag *err, struct diag *warn)
{
	char *text;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->file = file;
	if (input_read(a, file, INPUT_MAX, &text, &n, err))
		return ERR_INVALID;
	return load_app(a, env, file, text, n, out, err, warn);
}

int profile_app_load_text(struct arena *a, const struct profile_env *env, const char *file, const char *data,
                          size_t size, struct profile_app *out, struct diag *err, struct diag *warn)
{
	char *text;

	memset(out, 0, sizeof(*out));
	out->file = file;
	if (input_text(a, file, data, size, INPUT_MAX, &text, err))
		return ERR_INVALID;
	return load_app(a, env, file, text, size, out, err, warn);
}

void profile_app_where(const struct profile_app *app, const char *section, const char *pack,
                       const char *id, uint32_t *line, uint32_t *col)
{
	const struct ynode *s = app ? yval(app->doc, section) : NULL, *per, *k;

	*line = *col = 0;
	if (pack && (per = yval(s, pack)) && per->kind == YN_MAP)
		s = per;
	if ((k = ykey(s, id, &per))) {
		*line = k->line;
		*col = k->col;
	}
}

const char *profile_app_level(const struct profile_app *app, const char *pack_id)
{
	const struct lval *c;

	if (!app || !app->app || !(c = lval_get(app->app, "classification", 14)))
		return NULL;
	if (c->type == LV_STR)
		return c->u.str;
	if (c->type == LV_OBJ) {
		const struct lval *l = lval_get(c, pack_id, strlen(pack_id));

		if (l && l->type == LV_STR)
			return l->u.str;
		if (l && l->type == LV_NUM) {
			static _Thread_local char num[32];

			lval_num_format(l->u.num, num);
			return num;
		}
	}
	return NULL;
}

/* service with subcontracted: true added (service may be NULL): a profile that
 * lists its subcontractors says that part of the service is subcontracted,
 * which is what the fact means (policies/facts-otokuni.yaml), when it does
 * not answer the fact itself. */
static const struct lval *with_subcontracted(struct arena *a, const struct lval *service)
{
	size_t n = service ? service->n : 0, i;
	const char **keys = arena_alloc(a, (n + 1) * sizeof(*keys));
	uint32_t *klen = arena_alloc(a, (n + 1) * sizeof(*klen));
	const struct lval **vals = arena_alloc(a, (n + 1) * sizeof(*vals));

	for (i = 0; i < n; i++) {
		keys[i] = lval_obj_key(service, i);
		klen[i] = lval_obj_klen(service, i);
		vals[i] = lval_obj_val(service, i);
	}
	keys[n] = "subcontracted";
	klen[n] = 13;
	vals[n] = LV_TRUEV;
	return lval_obj(a, n + 1, keys, klen, vals);
}

/* Does the profile list subcontractors without answering service.subcontracted? */
static int derives_subcontracted(const struct lval *profile)
{
	const struct lval *list = lval_get(profile, "subcontractors", 14), *svc, *f;

	if (!list || list->type != LV_ARR || !list->n)
		return 0;
	svc = lval_get(profile, "service", 7);
	if (svc && svc->type != LV_OBJ)
		return 0;
	f = svc ? lval_get(svc, "subcontracted", 13) : NULL;
	return !f || f->type == LV_NULL;
}

const struct lval *profile_facts_for(struct arena *a, const struct lval *profile,
                             const struct profile_app *app, const char *level_id)
{
	const struct lval *papp = lval_get(profile, "app", 3);
	int derive = derives_subcontracted(profile), had_service = 0;
	size_t n = profile->n + 2, i, k = 0, m = 0;
	const char **keys = arena_alloc(a, n * sizeof(*keys)), **akeys;
	uint32_t *klen = arena_alloc(a, n * sizeof(*klen)), *aklen;
	const struct lval **vals = arena_alloc(a, n * sizeof(*vals)), **avals;
	size_t an = (papp && papp->type == LV_OBJ ? papp->n : 0) +
	            (app && app->app ? app->app->n : 0) + 1;

	/* the app section: the profile's, then the application's, then the level */
	akeys = arena_alloc(a, an * sizeof(*akeys));
	aklen = arena_alloc(a, an * sizeof(*aklen));
	avals = arena_alloc(a, an * sizeof(*avals));
	if (papp && papp->type == LV_OBJ)
		for (i = 0; i < papp->n; i++, m++) {
			akeys[m] = lval_obj_key(papp, i);
			aklen[m] = lval_obj_klen(papp, i);
			avals[m] = lval_obj_val(papp, i);
		}
	if (app && app->app)
		for (i = 0; i < app->app->n; i++, m++) {
			akeys[m] = lval_obj_key(app->app, i);
			aklen[m] = lval_obj_klen(app->app, i);
			avals[m] = lval_obj_val(app->app, i);
		}
	akeys[m] = "classification";
	aklen[m] = 14;
	avals[m] = level_id ? lval_str_ref(a, level_id, strlen(level_id)) : LV_NULLV;
	m++;
	for (i = 0; i < profile->n; i++) {
		if (!strcmp(lval_obj_key(profile, i), "app"))
			continue;
		keys[k] = lval_obj_key(profile, i);
		klen[k] = lval_obj_klen(profile, i);
		vals[k] = lval_obj_val(profile, i);
		if (derive && !strcmp(keys[k], "service")) {
			vals[k] = with_subcontracted(a, vals[k]);
			had_service = 1;
		}
		k++;
	}
	if (derive && !had_service) {
		keys[k] = "service";
		klen[k] = 7;
		vals[k] = with_subcontracted(a, NULL);
		k++;
	}
	keys[k] = "app";
	klen[k] = 3;
	vals[k] = lval_obj(a, m, akeys, aklen, avals);   /* later keys win: the level last */
	k++;
	return lval_obj(a, k, keys, klen, vals);
}

void profile_facts_set_level(struct arena *a, const struct lval *facts, const char *level_id)
{
	const struct lval *app = lval_get(facts, "app", 3), *c;

	/* facts_for made these objects: changing them is ours to do */
	if (app && (c = lval_get(app, "classification", 14)))
		*(struct lval *)c = *lval_str_ref(a, level_id, strlen(level_id));
}
