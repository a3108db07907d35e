/* shinsa policy list|show|lint|diff|facts: the policy packs as a municipal
 * security officer reads them, and the linter a pack author runs. Each
 * subcommand parses its options from one table (cli/opt.h) and prints a
 * model the policy layer builds (policy/policy.h): --format json is that
 * model serialised; the tables and the markdown read the same model. */
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fmt.h"
#include "logic/vb.h"
#include "policy/policy.h"

static const char *const formats[] = { "table", "json", NULL };
static const char *const facts_formats[] = { "table", "json", "markdown", NULL };


/* ---- reading a model ---- */

static const char *str_of(const struct lval *v)
{
	return v && v->type == LV_STR ? v->u.str : NULL;
}

static size_t len_of(const struct lval *v)
{
	return v && (v->type == LV_ARR || v->type == LV_OBJ) ? v->n : 0;
}

static const struct lval *item(const struct lval *arr, size_t i)
{
	return arr && arr->type == LV_ARR && i < arr->n ? arr->u.arr[i] : NULL;
}

/* The strings of an array joined with sep, in a ("" for none). */
static const char *join(struct arena *a, const struct lval *arr, const char *sep)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < len_of(arr); i++)
		buf_addf(&b, "%s%s", i ? sep : "", str_of(item(arr, i)) ? str_of(item(arr, i)) : "");
	if (buf_error(&b))
		abort();
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* A model as JSON on stdout, with a final newline. */
static int print_json(const struct lval *model)
{
	struct buf b = BUF_INIT;
	int rc = lval_write_json(&b, model);

	if (rc == OK)
		rc = buf_putc(&b, '\n');
	if (rc == OK)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	if (rc) {
		cli_error("policy: 出力が大きすぎます / the output is too large");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}

static void print_diag(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->items[i].text);
}

/* Open the set and its packs; packs that do not load are reported and left
 * out. *set is NULL when the folder cannot be used. */
static int open_packs(struct arena *a, const char *dir, struct policy_set **set)
{
	struct diag d = { 0 };
	int rc;

	rc = policy_set_open(a, dir, set, &d);
	if (rc == OK && policy_set_load_packs(a, *set, &d))
		cli_error("一部のパックに誤りがあり、読み込みませんでした（shinsa policy lint） / some packs have"
		          " mistakes and were left out (shinsa policy lint)");
	print_diag(&d);
	diag_free(&d);
	if (rc) {
		cli_error("基準フォルダ %1$s を使えません / the policy directory %1$s cannot be used", dir);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- list ---- */

/* "1(対象外), 2, 3" from a list entry: its levels, marking those it does
 * not govern. */
static const char *levels_cell(struct arena *a, const struct lval *p)
{
	const struct lval *levels = vb_get(p, "levels"), *ng = vb_get(p, "not_governed");
	struct buf b = BUF_INIT;
	const char *s;
	size_t i, j;

	for (i = 0; i < len_of(levels); i++) {
		const char *id = str_of(item(levels, i));
		int governed = 1;

		for (j = 0; j < len_of(ng); j++)
			if (!strcmp(str_of(item(ng, j)), id))
				governed = 0;
		buf_addf(&b, "%s%s%s", i ? ", " : "", id, governed ? "" : "(対象外)");
	}
	if (buf_error(&b))
		abort();
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int list_table(struct arena *a, const struct policy_set *set, const struct lval *model)
{
	static const char *head[] = { "ID", "団体", "名称", "版", "施行日", "区分" };
	struct table t;
	size_t i;

	table_init(&t, 6, head);
	table_set_max(&t, 2, 40);
	for (i = 0; i < len_of(model); i++) {
		const struct lval *p = item(model, i);
		const char *row[6] = { vb_get_str(p, "id", ""), vb_get_str(p, "body", ""), vb_get_str(p, "title", ""),
		                       vb_get_str(p, "version", ""), vb_get_str(p, "effective", "—"), levels_cell(a, p) };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
	return EXIT_OK;
}

static int cmd_list(int argc, char **argv)
{
	const char *dir = NULL, *format = NULL;
	const struct opt opts[] = {
		{ OPT_CHOICE, "format", 0, "F", &format, "出力の形式（既定: table）", "the output's format (default: table)", formats, 0, 0 },
		OPT_POLICIES(&dir),
		OPT_END_ROW,
	};
	const struct opt_cmd cmd = { "policy list", "policy list [--format table|json] [--policies DIR]",
		"同梱の基準（ポリシーパック）の一覧: ID、団体、名称、版、施行日、区分",
		"the bundled packs: id, body, title, version, effective date, levels", opts, 0, 0, NULL };
	struct opt_result res;
	struct policy_set *set;
	struct arena a;
	int rc;

	if ((rc = opt_parse(&cmd, argc, argv, &res)))
		return opt_exit(rc);
	arena_init(&a, 1 << 16);
	if ((rc = open_packs(&a, dir ? dir : policy_default_dir(), &set)))
		goto out;
	if (format && !strcmp(format, "json"))
		rc = print_json(policy_list_model(&a, set));
	else
		rc = list_table(&a, set, policy_list_model(&a, set));
out:
	arena_release(&a);
	return rc;
}

/* ---- show ---- */

/* An obligation from the model: a name at one level, or {LEVEL: name}. */
static const char *ob_cell(struct arena *a, const struct lval *ob)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	if (!ob)
		return "";
	if (ob->type == LV_STR)
		return policy_obligation_ja(policy_obligation_of(ob->u.str) & 3);
	for (i = 0; ob->type == LV_OBJ && i < ob->n; i++)
		buf_addf(&b, "%s%s:%s", i ? " " : "", lval_obj_key(ob, i),
		         policy_obligation_ja(policy_obligation_of(str_of(lval_obj_val(ob, i))) & 3));
	if (buf_error(&b))
		abort();
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static void show_criteria(struct arena *a, const struct lval *m)
{
	static const char *head[] = { "ID", "区分", "項目", "義務", "判定", "段階" };
	const struct lval *cs = vb_get(m, "criteria");
	struct table t;
	size_t i;

	table_init(&t, 6, head);
	table_set_max(&t, 1, 24);
	table_set_max(&t, 2, 44);
	for (i = 0; i < len_of(cs); i++) {
		const struct lval *c = item(cs, i), *check = vb_get(c, "check");
		const char *row[6] = { vb_get_str(c, "id", ""), vb_get_str(c, "category", ""),
		                       vb_get_str(c, "title", ""), ob_cell(a, vb_get(c, "obligation")),
		                       check && check->type != LV_NULL ? "自動" : "確認",
		                       policy_phase_ja(policy_phase_of(vb_get_str(c, "phase", ""))) };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
}

static void show_groups_risks(struct arena *a, const struct lval *m)
{
	const struct lval *gs = vb_get(m, "groups"), *rs = vb_get(m, "risks");
	struct table t;
	size_t i;

	if (len_of(gs)) {
		static const char *gh[] = { "ID", "いずれか（選択肢）", "項目", "義務" };

		fputs("\n選択肢（いずれかを満たす）\n", stdout);
		table_init(&t, 4, gh);
		table_set_max(&t, 2, 40);
		for (i = 0; i < len_of(gs); i++) {
			const struct lval *g = item(gs, i);
			const char *row[4] = { vb_get_str(g, "id", ""), join(a, vb_get(g, "any_of"), " | "),
			                       vb_get_str(g, "title", ""), ob_cell(a, vb_get(g, "obligation")) };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	if (len_of(rs)) {
		static const char *rh[] = { "ID", "リスク", "判断", "義務" };

		fputs("\n検討するリスク\n", stdout);
		table_init(&t, 4, rh);
		table_set_max(&t, 1, 50);
		for (i = 0; i < len_of(rs); i++) {
			const struct lval *r = item(rs, i);
			const char *row[4] = { vb_get_str(r, "id", ""), vb_get_str(r, "title", ""),
			                       join(a, vb_get(r, "options"), " / "), ob_cell(a, vb_get(r, "obligation")) };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
}

/* Is the level with id one of the procedure's? */
static int has_level(const struct lval *levels, const char *id)
{
	size_t i;

	for (i = 0; i < len_of(levels); i++)
		if (str_of(item(levels, i)) && !strcmp(str_of(item(levels, i)), id))
			return 1;
	return 0;
}

/* ---- show: the forms ---- */

/* Field labels of a form or section, in order, on one line. */
static void show_fields(struct arena *a, const char *what, const struct lval *fs)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (!len_of(fs))
		return;
	for (i = 0; i < len_of(fs); i++) {
		const struct lval *f = item(fs, i);
		const char *label = vb_get_str(f, "label", NULL), *text = vb_get_str(f, "text", NULL);

		buf_addf(&b, "%s%s", i ? "、" : "", label ? label : text ? text : "");
		if (len_of(vb_get(f, "boxes")))
			buf_addf(&b, "（□%s）", join(a, vb_get(f, "boxes"), " □"));
	}
	if (buf_error(&b))
		abort();
	printf("  %s: %.*s\n", what, (int)b.len, buf_str(&b));
	buf_free(&b);
}

/* The column a section's rows say most in (by total length), not an answer
 * or a level's column: what the table shows as a row's content. */
static const char *main_column(const struct lval *columns, const struct lval *rows)
{
	const char *best = NULL;
	size_t i, k, most = 0;

	for (i = 0; i < len_of(columns); i++) {
		const struct lval *c = item(columns, i), *ans = vb_get(c, "answer");
		const char *id = vb_get_str(c, "id", "");
		size_t total = 0;

		if ((ans && ans->type == LV_BOOL && ans->b) || vb_get_str(c, "level", NULL))
			continue;
		for (k = 0; k < len_of(rows); k++)
			total += strlen(vb_get_str(vb_get(item(rows, k), "cells"), id, ""));
		if (total > most) {
			most = total;
			best = id;
		}
	}
	return best;
}

/* A row's level cells ("S: 必須 I: 任意 …", or the one at level) and its boxes. */
static void row_cells(struct arena *a, const struct lval *columns, const struct lval *row, const char *level,
                      const char **levels, const char **boxes)
{
	const struct lval *cells = vb_get(row, "cells");
	struct buf b = BUF_INIT;
	size_t i;

	*boxes = "";
	for (i = 0; i < len_of(columns); i++) {
		const char *id = vb_get_str(item(columns, i), "id", ""), *lv = vb_get_str(item(columns, i), "level", NULL);
		const struct lval *c = vb_get(cells, id);

		if (lv && (!level || !strcmp(level, lv)))
			buf_addf(&b, "%s%s%s%s", b.len ? " " : "", level ? "" : lv, level ? "" : ": ",
			         c && c->type == LV_STR ? c->u.str : "—");
		else if (c && c->type == LV_OBJ && len_of(vb_get(c, "boxes")))
			*boxes = arena_printf(a, "□%s", join(a, vb_get(c, "boxes"), " □"));
	}
	if (buf_error(&b))
		abort();
	*levels = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
}

static void show_forms(struct arena *a, const struct lval *m, const char *level)
{
	const struct lval *fs = vb_get(m, "forms"), *paper = vb_get(m, "paper");
	size_t i, j, k;

	if (paper && paper->type == LV_OBJ && !strcmp(vb_get_str(paper, "forms", ""), "none"))
		printf("\n様式: 原文に様式はない（%s）\n", vb_get_str(paper, "text", ""));
	for (i = 0; i < len_of(fs); i++) {
		const struct lval *f = item(fs, i), *ss = vb_get(f, "sections");
		const struct lval *body = vb_get(f, "body_form");
		int own = body && body->type == LV_BOOL && body->b;

		if (level && !has_level(vb_get(f, "levels"), level))
			continue;
		printf("\n様式 %s: %s　%s%s（%s）\n", vb_get_str(f, "id", ""), vb_get_str(f, "title", ""),
		       vb_get_str(f, "name", ""), vb_get_str(f, "subtitle", ""),
		       own ? "この団体の様式" : "shinsa の書式。この団体の様式ではない");
		show_fields(a, "上部", vb_get(f, "header"));
		show_fields(a, "記入欄", vb_get(f, "fields"));
		for (j = 0; j < len_of(ss); j++) {
			static const char *head[] = { "行", "報告する項目", "内容", "区分の欄", "回答欄" };
			const struct lval *s = item(ss, j), *cols = vb_get(s, "columns"), *rows = vb_get(s, "rows");
			struct buf b = BUF_INIT;
			struct table t;

			printf("  %s\n", vb_get_str(s, "title", ""));
			show_fields(a, "欄", vb_get(s, "fields"));
			for (k = 0; k < len_of(cols); k++)
				buf_addf(&b, "%s%s", k ? " / " : "", vb_get_str(item(cols, k), "title", "（左の見出しに含む）"));
			if (buf_error(&b))
				abort();
			if (b.len)
				printf("  列: %.*s\n", (int)b.len, buf_str(&b));
			buf_free(&b);
			if (!len_of(rows))
				continue;
			table_init(&t, 5, head);
			table_set_max(&t, 2, 46);
			table_set_max(&t, 3, 24);
			for (k = 0; k < len_of(rows); k++) {
				const struct lval *r = item(rows, k);
				const char *mc = main_column(cols, rows), *row[5];

				row_cells(a, cols, r, level, &row[3], &row[4]);
				row[0] = vb_get_str(r, "id", "");
				row[1] = join(a, vb_get(r, "reports"), ", ");
				row[2] = mc ? vb_get_str(vb_get(r, "cells"), mc, "") : "";
				table_add(&t, row);
			}
			table_print(&t, stdout);
			table_free(&t);
			for (k = 0; k < len_of(vb_get(s, "footnotes")); k++)
				printf("  %s\n", str_of(item(vb_get(s, "footnotes"), k)));
		}
		for (k = 0; k < len_of(vb_get(f, "footnotes")); k++)
			printf("  %s\n", str_of(item(vb_get(f, "footnotes"), k)));
	}
}

/* A value of the model as JSON text, in a. */
static const char *json_text(struct arena *a, const struct lval *v)
{
	struct buf b = BUF_INIT;
	const char *s;

	lval_add_json(&b, v);
	if (buf_error(&b))
		abort();
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* "3B・3A" from a list of level ids, or "" when it is every level. */
static const char *levels_note(struct arena *a, const struct lval *ls, size_t nlevels)
{
	return len_of(ls) == nlevels ? "" : arena_printf(a, "（区分 %s）", join(a, ls, "・"));
}

/* What differs by level beyond one obligation word (issue #11 (7)): a
 * criterion's parameters, its obligations that depend on an application
 * fact, a group's alternatives by level. */
static void show_by_level(struct arena *a, const struct lval *m)
{
	const struct lval *cs = vb_get(m, "criteria"), *gs = vb_get(m, "groups");
	size_t i, j, k, n = 0;

	for (i = 0; i < len_of(cs); i++) {
		const struct lval *c = item(cs, i), *ps = vb_get(c, "params"), *ow = vb_get(c, "obligation_when");

		for (j = 0; ps && ps->type == LV_OBJ && j < ps->n; j++) {
			const struct lval *v = lval_obj_val(ps, j);
			struct buf b = BUF_INIT;

			if (v->type == LV_OBJ)
				for (k = 0; k < v->n; k++)
					buf_addf(&b, "%s%s: %s", k ? "、" : "", lval_obj_key(v, k), json_text(a, lval_obj_val(v, k)));
			else
				buf_adds(&b, json_text(a, v));
			if (buf_error(&b))
				abort();
			printf("%s%s の %s（区分による値）: %s\n", n++ ? "" : "\n", vb_get_str(c, "id", ""),
			       lval_obj_key(ps, j), buf_str(&b));
			buf_free(&b);
		}
		for (j = 0; j < len_of(ow); j++) {
			const struct lval *e = item(ow, j);

			printf("%s%s の義務: %s のとき %s%s%s%s\n", n++ ? "" : "\n", vb_get_str(c, "id", ""),
			       json_text(a, vb_get(e, "when")), ob_cell(a, vb_get(e, "obligation")),
			       vb_get_str(e, "note", NULL) ? "（" : "", vb_get_str(e, "note", ""),
			       vb_get_str(e, "note", NULL) ? "）" : "");
		}
	}
	for (i = 0; i < len_of(gs); i++) {
		const struct lval *g = item(gs, i), *by = vb_get(g, "any_of_by_level");

		for (j = 0; by && by->type == LV_OBJ && j < by->n; j++)
			printf("%sグループ %s の選択肢（区分 %s）: %s\n", n++ ? "" : "\n", vb_get_str(g, "id", ""),
			       lval_obj_key(by, j), len_of(lval_obj_val(by, j)) ? join(a, lval_obj_val(by, j), " | ") : "—");
	}
}

static int show_table(struct arena *a, const struct lval *m)
{
	const struct lval *hs = vb_get(m, "prohibitions"), *xs = vb_get(m, "exemptions");
	const struct lval *ps = vb_get(m, "procedures"), *levels = vb_get(m, "levels");
	const char *level = vb_get_str(m, "level", NULL);
	size_t i;

	printf("%s　%s（%s版）\n", vb_get_str(m, "body", ""), vb_get_str(m, "title", ""), vb_get_str(m, "version", ""));
	for (i = 0; level && i < len_of(levels); i++)
		if (!strcmp(vb_get_str(item(levels, i), "id", ""), level))
			printf("区分: %s %s\n", level, vb_get_str(item(levels, i), "name", ""));
	if (len_of(vb_get(m, "level_order")))
		printf("区分の順（低い順）: %s\n", join(a, vb_get(m, "level_order"), " < "));
	fputc('\n', stdout);
	show_criteria(a, m);
	show_by_level(a, m);
	show_groups_risks(a, m);
	for (i = 0; i < len_of(hs); i++)
		printf("%s禁止 %s: %s%s\n", i ? "" : "\n", vb_get_str(item(hs, i), "id", ""), vb_get_str(item(hs, i), "text", ""),
		       levels_note(a, vb_get(item(hs, i), "levels"), len_of(levels)));
	for (i = 0; i < len_of(xs); i++) {
		const struct lval *x = item(xs, i), *nt = vb_get(x, "notify");

		printf("%s適用除外 %s: %s%s\n", i ? "" : "\n", vb_get_str(x, "id", ""), vb_get_str(x, "text", ""),
		       levels_note(a, vb_get(x, "levels"), len_of(levels)));
		if (nt && nt->type == LV_OBJ)
			printf("  → 申請に代えて届出: %s%s%s%s\n", vb_get_str(nt, "to", ""),
			       vb_get_str(nt, "form", NULL) ? "、様式 " : "", vb_get_str(nt, "form", ""),
			       vb_get_str(nt, "note", NULL) ? arena_printf(a, "（%s）", vb_get_str(nt, "note", "")) : "");
	}
	for (i = 0; i < len_of(ps); i++) {
		const struct lval *r = item(ps, i);
		const char *ap = vb_get_str(r, "approver", "");

		if (level && !has_level(vb_get(r, "levels"), level))
			continue;
		printf("\n手続（%s）: 承認 %s", join(a, vb_get(r, "levels"), "・"),
		       strcmp(ap, "unspecified") ? ap : "基準に定めなし");
		if (len_of(vb_get(r, "consultees")))
			printf("、協議先 %s", join(a, vb_get(r, "consultees"), "・"));
		if (len_of(vb_get(r, "form_titles")))
			printf("、様式 %s", join(a, vb_get(r, "form_titles"), "・"));
		fputc('\n', stdout);
	}
	show_forms(a, m, level);
	return EXIT_OK;
}

static int cmd_show(int argc, char **argv)
{
	const char *dir = NULL, *format = NULL, *level = NULL;
	const struct opt opts[] = {
		{ OPT_OPERAND, "ID", 0, NULL, NULL, "基準の ID（shinsa policy list）", "the pack's id (see shinsa policy list)", NULL, 0, 0 },
		{ OPT_STRING, "level", 0, "L", &level, "この区分の義務だけを示す（既定: すべての区分）",
		  "show the obligations at this level only (default: every level)", NULL, 0, 0 },
		{ OPT_CHOICE, "format", 0, "F", &format, "出力の形式（既定: table）", "the output's format (default: table)", formats, 0, 0 },
		OPT_POLICIES(&dir),
		OPT_END_ROW,
	};
	const struct opt_cmd cmd = { "policy show", "policy show ID [--level L] [--format table|json] [--policies DIR]",
		"基準の各項目と、区分ごとの義務（必須・推奨・任意・対象外）",
		"a pack's criteria with their obligation (required, recommended, optional, not-applicable) at each level, or at --level",
		opts, 1, 1, NULL };
	struct opt_result res;
	struct policy_set *set;
	const struct policy *p;
	const struct lval *m;
	struct arena a;
	long li = -1;
	int rc;

	if ((rc = opt_parse(&cmd, argc, argv, &res)))
		return opt_exit(rc);
	arena_init(&a, 1 << 16);
	if ((rc = open_packs(&a, dir ? dir : policy_default_dir(), &set)))
		goto out;
	if (!(p = policy_find(set, res.operands[0]))) {
		cli_error("policy show: 基準 '%1$s' はありません（shinsa policy list） / no pack '%1$s' (see 'shinsa policy list')",
		          res.operands[0]);
		rc = EXIT_USAGE;
		goto out;
	}
	if (level && (li = policy_level_index(p, level)) < 0) {
		cli_error("policy show: '%1$s' は %2$s の区分にありません（区分: %3$s） / '%1$s' is not a level of %2$s (levels: %3$s)",
		          level, p->id, policy_level_list(&a, p));
		rc = EXIT_USAGE;
		goto out;
	}
	m = policy_show_model(&a, p, li);
	rc = format && !strcmp(format, "json") ? print_json(m) : show_table(&a, m);
out:
	arena_release(&a);
	return rc;
}

/* ---- lint ---- */

static int cmd_lint(int argc, char **argv)
{
	const char *dir = NULL;
	const struct opt opts[] = {
		{ OPT_OPERAND, "FILE…", 0, NULL, NULL, "検査するファイル（既定: 基準フォルダのすべて）",
		  "the files to check (default: every file of the policy directory)", NULL, 0, 0 },
		OPT_POLICIES(&dir),
		OPT_END_ROW,
	};
	const struct opt_cmd cmd = { "policy lint", "policy lint [FILE…] [--policies DIR]",
		"パックを検査し、誤りを file:line:column: message で表示（誤りがあれば終了状態 1）",
		"check packs (all of the policy directory when no FILE is given): each mistake as "
		"file:line:column: message, exit 1 on any", opts, 0, OPT_ANY, NULL };
	struct opt_result res;
	struct diag d = { 0 };
	struct policy_set *set = NULL;
	struct arena a;
	size_t i, bad = 0, nfiles = 0, npacks = 0;
	int rc;

	if ((rc = opt_parse(&cmd, argc, argv, &res)))
		return opt_exit(rc);
	arena_init(&a, 1 << 16);
	if (!dir)
		dir = policy_default_dir();
	rc = policy_set_open(&a, dir, &set, &d);
	if (rc == OK && res.n == 0) {
		if (policy_set_load_packs(&a, set, &d))
			bad++;
		nfiles = set->nfiles;
		npacks = set->npacks;
	}
	for (i = 0; rc == OK && i < res.n; i++) {
		const char *f = res.operands[i], *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
		struct policy *p;

		nfiles++;
		/* the vocabulary and facts files are checked with their folder */
		if (!strcmp(base, "vocabulary.yaml") || !strncmp(base, "facts-", 6)) {
			char *fdir = arena_strndup(&a, f, base > f ? (size_t)(base - f) - 1 : 0);
			struct policy_set *vs;

			if (policy_set_open(&a, *fdir ? fdir : ".", &vs, &d))
				bad++;
			continue;
		}
		if (policy_load(&a, set, f, &p, &d))
			bad++;
		else
			npacks++;
	}
	print_diag(&d);
	if (rc || bad || d.n) {
		fprintf(stderr, "shinsa: %zu 件の誤り / %zu mistake%s\n", d.n, d.n, d.n == 1 ? "" : "s");
		rc = EXIT_FAIL;
	} else {
		printf("%1$zu 個の基準ファイル（パック %2$zu 個）に誤りはありません / %1$zu policy file%3$s (%2$zu pack%4$s), no problems\n",
		       nfiles, npacks, nfiles == 1 ? "" : "s", npacks == 1 ? "" : "s");
		rc = EXIT_OK;
	}
	diag_free(&d);
	arena_release(&a);
	return rc;
}

/* ---- facts ---- */

/* 選択: a, b, c — the type in words, from the model. */
static const char *type_cell(struct arena *a, const struct lval *f)
{
	struct buf b = BUF_INIT;
	const char *s, *items = vb_get_str(f, "items", NULL), *unit = vb_get_str(f, "unit", NULL);
	const struct lval *values = vb_get(f, "values");

	buf_adds(&b, policy_fact_type_ja(policy_fact_type_of(vb_get_str(f, "type", "string"))));
	if (items)
		buf_addf(&b, "（%s）", policy_fact_type_ja(policy_fact_type_of(items)));
	if (unit)
		buf_addf(&b, "（%s）", unit);
	if (len_of(values)) {
		buf_adds(&b, ": ");
		buf_adds(&b, join(a, values, ", "));
	}
	if (buf_error(&b))
		abort();
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* Markdown text in a table cell: no pipes, no line breaks. */
static void md_cell(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else if (*s == '\n')
			fputc(' ', stdout);
		else
			fputc(*s, stdout);
	}
}

static void md_fact(struct arena *a, const struct lval *f)
{
	const struct lval *values = vb_get(f, "values"), *labels = vb_get(f, "value_labels");
	const struct lval *added = vb_get(f, "added");
	size_t j;

	printf("| `%s`%s | ", vb_get_str(f, "path", ""), added && added->type == LV_BOOL && added->b ? " ＊" : "");
	md_cell(type_cell(a, f));
	fputs(" | ", stdout);
	md_cell(vb_get_str(f, "label", ""));
	fputs(" | ", stdout);
	md_cell(vb_get_str(f, "help", ""));
	for (j = 0; j < len_of(values); j++) {
		const char *v = str_of(item(values, j)), *l = v ? vb_get_str(labels, v, NULL) : NULL;

		if (l) {
			printf("%s`%s` ", j ? "、" : " 選択肢: ", v);
			md_cell(l);
		}
	}
	fputs(" | ", stdout);
	md_cell(vb_get_str(f, "label_en", ""));
	puts(" |");
}

/* docs/facts.md: the facts under their groups' headings, in the order the
 * groups first appear, and those of no listed group last. */
static int facts_markdown(struct arena *a, const struct lval *m)
{
	size_t n = len_of(m), i, j, ng = 0;
	const char **groups = arena_zalloc(a, (n ? n : 1) * sizeof(*groups));

	puts("# 事実の語彙 / The fact vocabulary\n");
	puts("<!-- Generated by `shinsa policy facts --format markdown` from policies/vocabulary.yaml");
	puts("     and policies/facts-*.yaml; the test suite fails when this file is out of date. -->\n");
	puts("A service profile and an application answer these facts; a policy's checks read only them");
	puts("(DESIGN §2.1). A fact that is left out is *unknown*, never false. Paths never change;");
	puts("facts are only added.\n");
	puts("Besides the facts, a profile lists its subcontractors (再委託先) under `subcontractors:`, each");
	puts("with `name`, `role` and `location` (a country code), `region` and `note` if wanted: see");
	puts("[assessment.md](assessment.md) (the profile) and [profiles.md](profiles.md).\n");
	printf("%zu facts.\n", n);
	for (i = 0; i < n; i++) {
		const char *g = vb_get_str(item(m, i), "group_label", NULL) ? vb_get_str(item(m, i), "group", "") : NULL;

		for (j = 0; g && j < ng; j++)
			if (!strcmp(groups[j], g))
				break;
		if (g && j == ng)
			groups[ng++] = g;
	}
	for (j = 0; j <= ng; j++) {
		int any = 0;

		for (i = 0; i < n; i++) {
			const struct lval *f = item(m, i);
			int listed = vb_get_str(f, "group_label", NULL) != NULL;

			if (j < ng ? !listed || strcmp(vb_get_str(f, "group", ""), groups[j]) : listed)
				continue;
			if (!any) {
				if (j < ng)
					printf("\n## %s / %s\n\n", vb_get_str(f, "group_label", ""), vb_get_str(f, "group_label_en", ""));
				else
					printf("\n## その他 / Other\n\n");
				puts("| パス / path | 型 / type | 項目 | 説明（答え方） | English |");
				puts("|---|---|---|---|---|");
				any = 1;
			}
			md_fact(a, f);
		}
	}
	puts("\n＊ added beyond DESIGN §2.1, for what a seed asks.");
	return EXIT_OK;
}

static int facts_table(struct arena *a, const struct lval *m)
{
	static const char *head[] = { "パス", "型", "項目" };
	struct table t;
	size_t i;

	table_init(&t, 3, head);
	table_set_max(&t, 1, 30);
	for (i = 0; i < len_of(m); i++) {
		const struct lval *f = item(m, i);
		const char *row[3] = { vb_get_str(f, "path", ""), type_cell(a, f), vb_get_str(f, "label", "") };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
	return EXIT_OK;
}

static int cmd_facts(int argc, char **argv)
{
	const char *dir = NULL, *format = NULL;
	const struct opt opts[] = {
		{ OPT_CHOICE, "format", 0, "F", &format, "出力の形式（既定: table。docs/facts.md は markdown）",
		  "the output's format (default: table; docs/facts.md is markdown)", facts_formats, 0, 0 },
		OPT_POLICIES(&dir),
		OPT_END_ROW,
	};
	const struct opt_cmd cmd = { "policy facts", "policy facts [--format table|json|markdown] [--policies DIR]",
		"事実の語彙（サービスのプロファイルと申請で答える項目）の一覧",
		"the fact vocabulary that profiles and applications answer", opts, 0, 0, NULL };
	struct opt_result res;
	struct policy_set *set;
	struct diag d = { 0 };
	const struct lval *m;
	struct arena a;
	int rc;

	if ((rc = opt_parse(&cmd, argc, argv, &res)))
		return opt_exit(rc);
	arena_init(&a, 1 << 16);
	if (!dir)
		dir = policy_default_dir();
	rc = policy_set_open(&a, dir, &set, &d);
	print_diag(&d);
	diag_free(&d);
	if (rc) {
		cli_error("基準フォルダ %1$s を使えません / the policy directory %1$s cannot be used", dir);
		rc = EXIT_USAGE;
		goto out;
	}
	m = policy_facts_model(&a, set->vocab);
	if (format && !strcmp(format, "json"))
		rc = print_json(m);
	else if (format && !strcmp(format, "markdown"))
		rc = facts_markdown(&a, m);
	else
		rc = facts_table(&a, m);
out:
	arena_release(&a);
	return rc;
}

/* ---- diff ---- */

static void diff_table(struct arena *a, const struct lval *m)
{
	static const char *head[4];
	const struct lval *ts = vb_get(m, "topics"), *sum = vb_get(m, "summary");
	const struct lval *sa = vb_get(m, "a"), *sb = vb_get(m, "b");
	const char *la = vb_get_str(sa, "level", ""), *lb = vb_get_str(sb, "level", "");
	struct table t;
	size_t i;

	head[0] = "論点";
	head[1] = arena_printf(a, "%s（%s）", vb_get_str(sa, "body", ""), la);
	head[2] = arena_printf(a, "%s（%s）", vb_get_str(sb, "body", ""), lb);
	head[3] = "比較";
	table_init(&t, 4, head);
	table_set_max(&t, 1, 38);
	table_set_max(&t, 2, 38);
	for (i = 0; i < len_of(ts); i++) {
		const struct lval *r = item(ts, i);
		const char *row[4];

		row[0] = arena_printf(a, "%s\n(%s)", vb_get_str(r, "topic_ja", ""), vb_get_str(r, "topic", ""));
		row[1] = vb_get_str(r, "a_items", "");
		row[2] = vb_get_str(r, "b_items", "");
		row[3] = vb_get_str(r, "comparison_ja", "");
		table_add(&t, row);
	}
	printf("A: %s %s（区分 %s）\nB: %s %s（区分 %s）\n\n", vb_get_str(sa, "body", ""), vb_get_str(sa, "title", ""), la,
	       vb_get_str(sb, "body", ""), vb_get_str(sb, "title", ""), lb);
	table_print(&t, stdout);
	printf("\n同等 %lld、A が厳しい %lld、B が厳しい %lld（論点ごとの最も強い義務で比較）\n",
	       (long long)vb_get(sum, "same")->u.num, (long long)vb_get(sum, "a_stricter")->u.num,
	       (long long)vb_get(sum, "b_stricter")->u.num);
	table_free(&t);
	/* the hard stops and the exemptions at each side's level */
	for (i = 0; i < 2; i++) {
		const char *side = i ? "b" : "a", *body = vb_get_str(i ? sb : sa, "body", "");
		const struct lval *hs = vb_get(vb_get(m, "prohibitions"), side), *xs = vb_get(vb_get(m, "exemptions"), side);
		size_t j;

		for (j = 0; j < len_of(hs); j++)
			printf("%s%s 禁止 %s: %s\n", j ? "" : "\n", body, vb_get_str(item(hs, j), "id", ""),
			       vb_get_str(item(hs, j), "text", ""));
		for (j = 0; j < len_of(xs); j++)
			printf("%s%s 適用除外 %s: %s%s\n", j || len_of(hs) ? "" : "\n", body, vb_get_str(item(xs, j), "id", ""),
			       vb_get_str(item(xs, j), "text", ""),
			       vb_get_str(item(xs, j), "instead", NULL) ? "（申請に代えて届出）" : "");
	}
}

static int cmd_diff(int argc, char **argv)
{
	const char *dir = NULL, *format = NULL, *la = NULL, *lb = NULL;
	const struct opt opts[] = {
		{ OPT_OPERAND, "A", 0, NULL, NULL, "一つ目の基準の ID", "the first pack's id", NULL, 0, 0 },
		{ OPT_OPERAND, "B", 0, NULL, NULL, "二つ目の基準の ID", "the second pack's id", NULL, 0, 0 },
		{ OPT_STRING, "level-a", 0, "X", &la, "A の区分（既定: A が対象とする最初の区分）",
		  "A's level (default: the first level A governs)", NULL, 0, 0 },
		{ OPT_STRING, "level-b", 0, "Y", &lb, "B の区分（既定: B が対象とする最初の区分）",
		  "B's level (default: the first level B governs)", NULL, 0, 0 },
		{ OPT_CHOICE, "format", 0, "F", &format, "出力の形式（既定: table）", "the output's format (default: table)", formats, 0, 0 },
		OPT_POLICIES(&dir),
		OPT_END_ROW,
	};
	const struct opt_cmd cmd = { "policy diff", "policy diff A B [--level-a X] [--level-b Y] [--format table|json] [--policies DIR]",
		"二つの基準を論点（トピック）ごとに並べ、各々の要求、一致する点、どちらが厳しいかを示す",
		"two standards side by side by topic: what each demands, where they agree, and where one is stricter",
		opts, 2, 2,
		"論点ごとに双方の最も強い義務（必須 > 推奨 > 任意 > 対象外）を比べます。グループの選択肢の一つである項目と\n"
		"リスク判断は推奨として数えます。\n"
		"On each topic the strongest obligation of each side (required > recommended > optional >\n"
		"not-applicable) is compared; an item that is one alternative of a group, and a risk to weigh,\n"
		"count as recommended.\n" };
	struct opt_result res;
	struct policy_set *set;
	const struct policy *pa, *pb;
	const struct lval *m;
	struct arena a;
	struct err e;
	int rc;

	if ((rc = opt_parse(&cmd, argc, argv, &res)))
		return opt_exit(rc);
	arena_init(&a, 1 << 16);
	if ((rc = open_packs(&a, dir ? dir : policy_default_dir(), &set)))
		goto out;
	pa = policy_find(set, res.operands[0]);
	pb = policy_find(set, res.operands[1]);
	if (!pa || !pb) {
		cli_error("policy diff: 基準 '%1$s' はありません（shinsa policy list） / no pack '%1$s' (see 'shinsa policy list')",
		          !pa ? res.operands[0] : res.operands[1]);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = policy_diff_model(&a, pa, la, pb, lb, &m, &e))) {
		cli_error("policy diff: %s", e.msg);
		rc = err_exit_status(rc);
		goto out;
	}
	if (format && !strcmp(format, "json")) {
		rc = print_json(m);
	} else {
		diff_table(&a, m);
		rc = EXIT_OK;
	}
out:
	arena_release(&a);
	return rc;
}

/* ---- the subcommands ---- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "lint", cmd_lint },
	{ "diff", cmd_diff },
	{ "facts", cmd_facts },
};

static const struct opt policy_opts[] = {
	{ OPT_OPERAND, "SUBCOMMAND", 0, NULL, NULL, "list, show, lint, diff, facts（各々 --help で詳細）",
	  "list, show, lint, diff, facts (each with --help for its options)", NULL, 0, 0 },
	{ OPT_TEXT, NULL, 0, NULL, NULL,
	  "\n  list   同梱の基準（ポリシーパック）の一覧: ID、団体、名称、版、施行日、区分\n"
	  "         the bundled packs: id, body, title, version, effective date, levels\n"
	  "  show   基準の各項目と、区分ごとの義務（必須・推奨・任意・対象外）\n"
	  "         a pack's criteria with their obligation at each level (or at --level)\n"
	  "  lint   パックを検査し、誤りを file:line:column: message で表示（誤りがあれば終了状態 1）\n"
	  "         check packs (all bundled ones when no FILE is given); exit 1 on any mistake\n"
	  "  diff   二つの基準を論点（トピック）ごとに並べ、どちらが厳しいかを示す\n"
	  "         two standards side by side by topic: what each demands, where they agree,\n"
	  "         and where one is stricter (levels default to each pack's first level)\n"
	  "  facts  事実の語彙（サービスのプロファイルと申請で答える項目）の一覧\n"
	  "         the fact vocabulary that profiles and applications answer (docs/facts.md is\n"
	  "         this list with --format markdown)\n",
	  NULL, NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd policy_cmd = { "policy",
	"policy list [--format table|json]\n"
	"policy show ID [--level L] [--format table|json]\n"
	"policy lint [FILE…]\n"
	"policy diff A B [--level-a X] [--level-b Y] [--format table|json]\n"
	"policy facts [--format table|json|markdown]",
	"基準（ポリシーパック）の一覧・表示・検査・比較と、事実の語彙",
	"the policy packs: list, show, check, compare; and the fact vocabulary",
	policy_opts, 1, 1, "--policies DIR はどのサブコマンドにも使えます / every subcommand takes --policies DIR\n" };

int cmd_policy(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || cli_is_help(argv[1])) {
		opt_help(&policy_cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	cli_error("policy: 不明なサブコマンド '%1$s' です（list, show, lint, diff, facts） / unknown subcommand '%1$s'"
	          " (list, show, lint, diff, facts)", argv[1]);
	return EXIT_USAGE;
}
