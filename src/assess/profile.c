/* Reading and checking service profiles and applications. */
#include "assess/profile.h"
#include "core/fmt.h"
#include "core/isotime.h"
#include "logic/json.h"
#include "policy/ynode.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

static int read_all(struct arena *a, const char *file, char **text, size_t *n, struct diag *err)
{
	FILE *f = fopen(file, "rb");
	struct buf b;
	char tmp[65536];
	size_t k;

	if (!f) {
		diag_add(err, file, 1, 1, "ファイルを開けません / cannot open the file");
		return ERR_IO;
	}
	buf_init(&b, (size_t)16 << 20);
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_append(&b, tmp, k)) {
			fclose(f);
			buf_free(&b);
			diag_add(err, file, 1, 1, "ファイルが大きすぎます（16 MiB まで） / file larger than 16 MiB");
			return ERR_TOOLARGE;
		}
	fclose(f);
	*text = arena_strndup(a, buf_str(&b), b.len);
	*n = b.len;
	buf_free(&b);
	return OK;
}

/* JSON when it starts with '{', else YAML; errors as file:line:column. */
static int parse_doc(struct arena *a, struct lshapes *reg, const char *file, const struct lval **out,
                     struct diag *err)
{
	char *text;
	size_t n, i = 0;
	struct err e;

	if (read_all(a, file, &text, &n, err))
		return ERR_INVALID;
	while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < n && text[i] == '{') {
		if (json_parse_shared(a, reg, text, n, out, &e) == OK)
			return OK;
		diag_add_err(err, file, &e);
		return ERR_INVALID;
	} else {
		struct ynode *root;

		if (ynode_parse(a, text, n, &root, &e) == OK) {
			*out = ynode_to_lval(a, root);
			return OK;
		}
		diag_add_err(err, file, &e);
		return ERR_INVALID;
	}
}

static const char *const type_names[] = { "text", "true or false", "a whole number",
	"a date (YYYY-MM-DD)", "one of the listed values", "a list", "a country code (ISO 3166, e.g. JP)" };
static const char *const type_ja[] = { "文字列", "はい（true）か いいえ（false）", "整数",
	"日付（YYYY-MM-DD）", "選択肢のいずれか", "一覧（リスト）", "国コード（ISO 3166、例: JP）" };

static int is_country(const struct lval *v)
{
	return v->type == LV_STR && v->n == 2 && v->u.str[0] >= 'A' && v->u.str[0] <= 'Z' &&
	       v->u.str[1] >= 'A' && v->u.str[1] <= 'Z';
}

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

static int type_ok(const struct policy_fact *f, int type, const struct lval *v)
{
	int64_t days;

	switch (type) {
	case FT_STRING: return v->type == LV_STR;
	case FT_BOOL: return v->type == LV_BOOL;
	case FT_INTEGER:
		if (v->type != LV_NUM || !(v->u.num > -9e15 && v->u.num < 9e15) ||
		    v->u.num != (double)(long long)v->u.num)
			return 0;
		return (!f->has_min || v->u.num >= (double)f->min) && (!f->has_max || v->u.num <= (double)f->max);
	case FT_DATE: return v->type == LV_STR && !isotime_parse_date(v->u.str, v->n, &days);
	case FT_ENUM: return in_values(f, v);
	case FT_COUNTRY: return is_country(v);
	default: return 1;
	}
}

static void check_value(const struct policy_fact *f, const char *file, const char *path, const struct lval *v,
                        struct diag *err)
{
	size_t i;

	if (v->type == LV_NULL)
		return;        /* unknown, said explicitly */
	if (f->type == FT_LIST) {
		if (v->type != LV_ARR) {
			diag_add(err, file, 0, 0, "%s: 一覧（リスト）で答えてください / expected a list", path);
			return;
		}
		for (i = 0; i < v->n; i++)
			if (!type_ok(f, f->item_type, v->u.arr[i]))
				diag_add(err, file, 0, 0, "%s[%zu]: %sで答えてください / expected %s", path, i,
				         type_ja[f->item_type], type_names[f->item_type]);
		return;
	}
	if (!type_ok(f, f->type, v)) {
		if (f->type == FT_ENUM) {
			struct buf b = BUF_INIT;

			for (i = 0; i < f->nvalues; i++)
				buf_addf(&b, "%s%s", i ? ", " : "", f->values[i]);
			diag_add(err, file, 0, 0, "%s: 次のいずれかで答えてください / expected one of %s", path, buf_str(&b));
			buf_free(&b);
		} else if (f->type == FT_INTEGER && v->type == LV_NUM && f->has_min && f->has_max) {
			diag_add(err, file, 0, 0, "%s: %lld 以上 %lld 以下の整数で答えてください / expected a whole number "
			         "from %lld to %lld", path, f->min, f->max, f->min, f->max);
		} else if (f->type == FT_INTEGER && v->type == LV_NUM && f->has_min) {
			diag_add(err, file, 0, 0, "%s: %lld 以上の整数で答えてください / expected a whole number of at "
			         "least %lld", path, f->min, f->min);
		} else if (f->type == FT_INTEGER && v->type == LV_NUM && f->has_max) {
			diag_add(err, file, 0, 0, "%s: %lld 以下の整数で答えてください / expected a whole number of at "
			         "most %lld", path, f->max, f->max);
		} else {
			diag_add(err, file, 0, 0, "%s: %sで答えてください / expected %s", path, type_ja[f->type],
			         type_names[f->type]);
		}
	}
}

/* Check every member of an object of facts under prefix. */
static void check_facts(const struct policy_vocab *voc, const char *file, const char *prefix,
                        const struct lval *obj, int allow_app_levels, struct diag *err, struct diag *warn)
{
	char path[256];
	size_t i;

	for (i = 0; i < obj->n; i++) {
		const char *k = lval_obj_key(obj, i);
		const struct lval *v = lval_obj_val(obj, i);
		const struct policy_fact *f;
		int w = fmt_snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", k);

		if (w < 0 || (size_t)w >= sizeof(path)) {
			diag_add(warn, file, 0, 0, "事実のパスが長すぎます / a fact path is too long: %s.%s…", prefix, k);
			continue;
		}
		f = policy_vocab_find(voc, path, (size_t)w);
		if (f) {
			if (allow_app_levels && !strcmp(path, "app.classification") && v->type == LV_OBJ)
				continue;      /* the level per pack id */
			check_value(f, file, path, v, err);
		} else if (policy_vocab_has_prefix(voc, path, (size_t)w)) {
			if (v->type == LV_OBJ)
				check_facts(voc, file, path, v, allow_app_levels, err, warn);
			else if (v->type != LV_NULL)
				diag_add(err, file, 0, 0, "%s: %s.* の事実の対応付けで答えてください / expected a mapping "
				         "of the %s.* facts", path, path, path);
		} else {
			diag_add(warn, file, 0, 0, "語彙にない事実 '%s' は無視します（docs/facts.md） / unknown fact '%s' (not in the vocabulary; it is ignored)", path, path);
		}
	}
}

int profile_load(struct arena *a, const struct policy_vocab *v, struct lshapes *reg, const char *file,
                 const struct lval **out, struct diag *err, struct diag *warn)
{
	size_t before = err->n;

	if (parse_doc(a, reg, file, out, err))
		return ERR_INVALID;
	if ((*out)->type != LV_OBJ) {
		diag_add(err, file, 1, 1, "プロファイルは事実の対応付け（service:, cert:, …）です / a profile is a mapping of facts (service:, cert:, …)");
		return ERR_INVALID;
	}
	check_facts(v, file, "", *out, 1, err, warn);
	return err->n == before ? OK : ERR_INVALID;
}

int profile_app_load(struct arena *a, const struct policy_vocab *v, const char *file,
                     struct profile_app *out, struct diag *err, struct diag *warn)
{
	static const char *const keys[] = { "app", "answers", "risks", "answered_by", "answered_at", NULL };
	const struct lval *doc, *x;
	size_t before = err->n, i, j;

	memset(out, 0, sizeof(*out));
	if (parse_doc(a, NULL, file, &doc, err))
		return ERR_INVALID;
	if (doc->type != LV_OBJ) {
		diag_add(err, file, 1, 1, "利用申請は app:, answers:, risks: の対応付けです / an application is a mapping with app:, answers:, risks:");
		return ERR_INVALID;
	}
	for (i = 0; i < doc->n; i++) {
		const char *k = lval_obj_key(doc, i);

		for (j = 0; keys[j] && strcmp(keys[j], k); j++)
			;
		if (!keys[j])
			diag_add(err, file, 0, 0, "unknown key '%s' in an application (app, answers, risks, "
			         "answered_by, answered_at)", k);
	}
	out->app = lval_get(doc, "app", 3);
	if (out->app) {
		if (out->app->type != LV_OBJ)
			diag_add(err, file, 0, 0, "app: expected a mapping of app.* facts");
		else {
			const char *k[1] = { "app" };
			uint32_t kl[1] = { 3 };
			const struct lval *vals[1] = { out->app };

			check_facts(v, file, "", lval_obj(a, 1, k, kl, vals), 1, err, warn);
		}
	}
	for (i = 0; i < 2; i++) {
		const char *name = i ? "risks" : "answers";

		x = lval_get(doc, name, strlen(name));
		if (!x)
			continue;
		if (x->type != LV_OBJ) {
			diag_add(err, file, 0, 0, "%s: expected a mapping of pack id -> {id: answer}", name);
			continue;
		}
		for (j = 0; j < x->n; j++) {
			const struct lval *per = lval_obj_val(x, j);
			size_t m;

			if (per->type == LV_STR && lval_obj_val(x, 0)->type == LV_STR)
				continue;      /* {id: answer}: for an application to one standard */
			if (per->type != LV_OBJ) {
				diag_add(err, file, 0, 0, "%s.%s: expected a mapping of id -> answer (or of pack id -> "
				         "{id: answer})", name, lval_obj_key(x, j));
				continue;
			}
			for (m = 0; m < per->n; m++)
				if (lval_obj_val(per, m)->type != LV_STR)
					diag_add(err, file, 0, 0, "%s.%s.%s: the answer must be text", name,
					         lval_obj_key(x, j), lval_obj_key(per, m));
		}
		if (i)
			out->risks = x;
		else
			out->answers = x;
	}
	if ((x = lval_get(doc, "answered_by", 11)) && x->type == LV_STR)
		out->answered_by = x->u.str;
	if ((x = lval_get(doc, "answered_at", 11))) {
		int64_t t;

		if (x->type != LV_STR || isotime_parse(x->u.str, x->n, &t))
			diag_add(err, file, 0, 0, "answered_at: 時差付きの日時で答えてください / expected a time with its offset, e.g. 2026-11-20T10:00:00+09:00");
		else
			out->answered_at = x->u.str;
	}
	return err->n == before ? OK : ERR_INVALID;
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

const struct lval *profile_facts_for(struct arena *a, const struct lval *profile,
                             const struct profile_app *app, const char *level_id)
{
	const struct lval *papp = lval_get(profile, "app", 3);
	size_t n = profile->n + 1, i, k = 0, m = 0;
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
