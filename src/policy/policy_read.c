/* Reading a policy file: the file itself (with its size cap and the mistakes
 * a file system can make, each said plainly), the folder's YAML files, and
 * the helpers that check a YAML tree's shape against the format, recording
 * each mistake at its line and column and going on. */
#include "policy/policy_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What a part of a file is called in Japanese: the English names the loader
 * uses ("a criterion"), or a key's own name in 「」 (「prohibitions」). */
static const char *what_ja(struct ld *l, const char *what)
{
	static const char *const names[][2] = {
		{ "a criterion", "項目" }, { "a fact", "事実" }, { "a facts file", "事実の定義ファイル" },
		{ "a family", "系列" }, { "a form field", "様式の欄" }, { "a form section", "様式の節" },
		{ "a form", "様式" }, { "a group", "選択肢のグループ" }, { "a level", "区分" },
		{ "a policy pack", "パック" }, { "pack", "pack（基本情報）" },
		{ "a procedure", "手続" }, { "a prohibition", "禁止事項" },
		{ "a reference file", "参照リストのファイル" }, { "a reference list", "参照リスト" },
		{ "a risk", "リスク" }, { "an alias list", "別名の一覧" }, { "an alternative", "代替" },
		{ "an exemption", "適用除外" }, { "a column", "様式の列" }, { "a row", "様式の行" },
		{ "a ledger field", "台帳の欄" }, { "a review", "点検" }, { "review", "点検" },
		{ "paper", "paper（様式と台帳の有無）" }, { "source", "source（出典）" },
		{ "a step", "手順" }, { "a consultation", "協議" }, { "an event", "点検の契機" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i][0], what))
			return names[i][1];
	return arena_printf(l->a, "「%s」", what);
}

int policy_ld_is_map(struct ld *l, const struct ynode *y, const char *what)
{
	if (y->kind == YN_MAP)
		return 1;
	ERR_AT(l, y, "%2$sは対応付け（キー: 値）で書きます / %1$s must be a mapping (key: value)", what,
	       what_ja(l, what));
	return 0;
}

int policy_ld_is_seq(struct ld *l, const struct ynode *y, const char *what)
{
	if (y->kind == YN_SEQ)
		return 1;
	ERR_AT(l, y, "%2$sはリストで書きます / %1$s must be a list", what, what_ja(l, what));
	return 0;
}

int policy_str_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* Unknown keys and missing required keys of a mapping. */
void policy_ld_check_keys(struct ld *l, const struct ynode *y, const char *what,
                       const char *const *allowed, const char *const *required)
{
	size_t i;

	for (i = 0; i < y->n; i++) {
		const struct ynode *k = y->items[2 * i];

		if (!policy_str_in(k->str, allowed))
			ERR_AT(l, k, "%3$sに不明なキー '%1$s' があります / unknown key '%1$s' in %2$s", k->str, what,
			       what_ja(l, what));
	}
	for (; required && *required; required++)
		if (!ynode_get(y, *required))
			ERR_AT(l, y, "%3$sに必須のキー '%2$s' がありません / %1$s lacks the required key '%2$s'", what,
			       *required, what_ja(l, what));
}

/* A scalar as text; NULL (and an error when required) otherwise. */
const char *policy_ld_text(struct ld *l, const struct ynode *map, const char *key, int required)
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

const char **policy_ld_text_list(struct ld *l, const struct ynode *y, const char *what, size_t *n)
{
	const char **out;
	size_t i;

	*n = 0;
	if (!y)
		return NULL;
	if (!policy_ld_is_seq(l, y, what))
		return NULL;
	out = arena_alloc(l->a, (y->n ? y->n : 1) * sizeof(*out));
	for (i = 0; i < y->n; i++) {
		if (y->items[i]->kind != YN_SCALAR || ynode_is_null(y->items[i])) {
			ERR_AT(l, y->items[i], "%2$sの各項目は文字列で書きます / each item of %1$s must be text", what,
			       what_ja(l, what));
			continue;
		}
		out[(*n)++] = y->items[i]->str;
	}
	return out;
}

int policy_ld_int(struct ld *l, const struct ynode *y, const char *what, int lo, int hi)
{
	char *end;
	long v;

	if (y->kind != YN_SCALAR || !y->len) {
		ERR_AT(l, y, "%2$sは整数で書きます / %1$s must be a whole number", what, what_ja(l, what));
		return 0;
	}
	v = strtol(y->str, &end, 10);
	if (*end || v < lo || v > hi) {
		ERR_AT(l, y, "%4$sは %2$d から %3$d までの整数で書きます / %1$s must be a whole number from %2$d to %3$d",
		       what, lo, hi, what_ja(l, what));
		return 0;
	}
	return (int)v;
}

int policy_ld_bool(struct ld *l, const struct ynode *y, const char *what)
{
	if (y->kind == YN_SCALAR && !y->quoted) {
		if (!strcmp(y->str, "true"))
			return 1;
		if (!strcmp(y->str, "false"))
			return 0;
	}
	ERR_AT(l, y, "%2$sは true か false で書きます / %1$s must be true or false", what, what_ja(l, what));
	return 0;
}

struct policy_pos policy_ld_pos(const struct ynode *y)
{
	struct policy_pos p = { y->line, y->col };

	return p;
}

int policy_read_yaml(struct arena *a, const char *file, struct ynode **out, struct diag *d)
{
	FILE *f = NULL;
	struct buf b = BUF_INIT;
	char tmp[65536];
	struct stat st;
	struct err e;
	size_t k;
	int rc;

	*out = NULL;
	/* A folder opens and reads as nothing on Linux: say what it is, not
	 * that "the file is empty". */
	if (stat(file, &st)) {
		diag_add(d, file, 1, 1, "%s / %s", errno == ENOENT ? "ファイルがありません" : "ファイルを開けません",
		         errno == ENOENT ? "no such file" : "cannot open the file");
		rc = ERR_IO;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(d, file, 1, 1, "ファイルではなくフォルダです / is a directory, not a file");
		rc = ERR_IO;
		goto out;
	}
	if (!(f = fopen(file, "rb"))) {
		diag_add(d, file, 1, 1, "ファイルを開けません / cannot open the file");
		rc = ERR_IO;
		goto out;
	}
	buf_init(&b, YNODE_MAX_BYTES + 1);
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_append(&b, tmp, k)) {
			diag_add(d, file, 1, 1, "ファイルが大きすぎます（%1$zu バイトまで） / file larger than %1$zu bytes",
			         YNODE_MAX_BYTES);
			rc = ERR_TOOLARGE;
			goto out;
		}
	if (ferror(f)) {
		diag_add(d, file, 1, 1, "ファイルを読めません / cannot read the file");
		rc = ERR_IO;
		goto out;
	}
	rc = ynode_parse(a, buf_str(&b), b.len, out, &e);
	if (rc)
		diag_add_err(d, file, &e);
out:
	if (f)
		fclose(f);
	buf_free(&b);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml names in dir, sorted; those starting with prefix only (or all). */
char **policy_list_yaml(struct arena *a, const char *dir, const char *prefix, size_t *n)
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
