/* shinsa matrix: many service profiles against every standard at every level,
 * a row per profile with the verdict in each column, and a summary. A vendor
 * sees which bodies' standards its service meets; a prefecture compares. The
 * matrix's model is built by src/assess (assess_matrix); this file finds the
 * files, parses the arguments and prints the model. */
#include "cli/cli.h"
#include "render/csv.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assess/assess_model.h"
#include "assess/country.h"
#include "core/buf.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "csv", "json", NULL };
static const char *o_format = "table", *o_dir, *o_pdir;
static int o_stats;

static const struct opt matrix_opts[] = {
	{ OPT_OPERAND, "PROFILE…", 0, NULL, NULL, "サービスのプロファイル（YAML か JSON）",
	  "service profiles (YAML or JSON)", NULL, 0, 0 },
	{ OPT_STRING, "dir", 0, "DIR", &o_pdir, "DIR の *.yaml, *.yml, *.json をすべて",
	  "every profile file in DIR (*.yaml, *.yml, *.json)", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| csv（UTF-8、BOM 付き）| json",
	  "table (the default) | csv (UTF-8 with a BOM) | json", formats, 0, 0 },
	{ OPT_FLAG, "stats", 0, NULL, &o_stats, "件数と所要時間を標準エラーに（STATS profiles=… seconds=…）",
	  "counts and time on stderr (STATS profiles=… seconds=…)", NULL, 0, 0 },
	OPT_POLICIES(&o_dir),
	OPT_END_ROW,
};

static const struct opt_cmd matrix_cmd = {
	"matrix",
	"matrix PROFILE… [--format table|csv|json] [--stats] [--policies DIR]\n"
	"matrix --dir DIR [--format table|csv|json] [--stats] [--policies DIR]",
	"複数のサービスのプロファイルを、すべての基準のすべての区分に照らして審査し、プロファイルごとに1行、"
	"基準・区分ごとの判定を並べて表示します（最後に集計）。端末なら進み具合を標準エラーに表示します。",
	"Assess many profiles against every pack at every level: one row per profile with the verdict in each "
	"column, then a summary. Progress goes to stderr when it is a terminal.",
	matrix_opts, 0, OPT_ANY, NULL,
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_profile_name(const char *n)
{
	size_t l = strlen(n);

	return n[0] != '.' && ((l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml")) ||
	                       (l > 5 && !strcmp(n + l - 5, ".json")));
}

static void progress_line(void *ctx, size_t i, size_t n, const char *file)
{
	const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;

	(void)ctx;
	fprintf(stderr, "\r%zu/%zu %s", i + 1, n, name);
}

static void print_diag(const struct diag *d, const char *prefix)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "%s%s\n", prefix, d->items[i].text);
	if (d->dropped)
		fprintf(stderr, "%s… ほか %zu 件 / and %zu more\n", prefix, d->dropped, d->dropped);
}

static const char *verdict_ja(const char *name)
{
	int v = assess_verdict_from_name(name);

	return v < 0 ? name : assess_verdict_ja(v);
}

/* The model as text; out is written out whenever it passes 1 MiB. */
static void print_matrix(struct arena *a, const struct lval *m, struct buf *out)
{
	const struct lval *ps = vb_get(m, "profiles"), *sum = vb_get(m, "summary");
	size_t ncols = sum ? sum->n : 0, i, j;

	if (!strcmp(o_format, "json")) {
		if (lval_write_json(out, m) == OK)
			buf_addc(out, '\n');
		return;
	}
	if (!strcmp(o_format, "csv")) {
		buf_adds(out, "\xEF\xBB\xBF\"profile\"");
		for (j = 0; j < ncols; j++)
			buf_addf(out, ",\"%s\"", lval_obj_key(sum, j));
		buf_adds(out, "\r\n");
		for (i = 0; i < ps->n; i++) {
			const struct lval *vs = vb_get(ps->u.arr[i], "verdicts");

			csv_field(out, vb_get_str(ps->u.arr[i], "profile", ""));
			for (j = 0; j < vs->n; j++) {
				buf_addc(out, ',');
				csv_field(out, lval_obj_val(vs, j)->u.str);
			}
			buf_adds(out, "\r\n");
			if (out->len > (1 << 20)) {
				if (cli_write(out, stdout))
					return;
				buf_reset(out);
			}
		}
		return;
	}
	{
		const char **head = arena_alloc(a, (ncols + 1) * sizeof(*head));
		struct table t;

		head[0] = "プロファイル";
		for (j = 0; j < ncols; j++)
			head[j + 1] = lval_obj_key(sum, j);
		table_init(&t, ncols + 1, head);
		/* a verdict is a value: 適用除外 never parts */
		for (j = 0; j < ncols; j++)
			table_set_nowrap(&t, j + 1);
		for (i = 0; i < ps->n; i++) {
			const struct lval *vs = vb_get(ps->u.arr[i], "verdicts");
			const char **row = arena_alloc(a, (ncols + 1) * sizeof(*row));
			const char *file = vb_get_str(ps->u.arr[i], "profile", "");

			row[0] = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
			for (j = 0; j < ncols; j++)
				row[j + 1] = verdict_ja(lval_obj_val(vs, j)->u.str);
			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
		printf("\n集計（適合 / 要確認 / 協議要 / 不適合 / 利用不可 / 適用除外）\n");
		for (j = 0; j < ncols; j++) {
			const struct lval *c = lval_obj_val(sum, j);
			const struct lval *n[6];
			int v;

			for (v = V_EXEMPT; v <= V_CONFORMING; v++)
				n[v] = vb_get(c, assess_verdict_name(v));
			printf("  %-16s %.0f / %.0f / %.0f / %.0f / %.0f / %.0f\n", head[j + 1], n[V_CONFORMING]->u.num,
			       n[V_INCOMPLETE]->u.num, n[V_CONSULTATION]->u.num, n[V_NONCONFORMING]->u.num,
			       n[V_PROHIBITED]->u.num, n[V_EXEMPT]->u.num);
		}
	}
}

int cmd_matrix(int argc, char **argv)
{
	const char **files = NULL;
	size_t nfiles = 0, cap = 0, i;
	struct diag err = { 0 }, warn = { 0 };
	struct policy_set *set;
	struct country_list *countries;
	struct assess_matrix_stats st;
	struct opt_result res;
	const struct lval *model;
	struct arena a;
	struct buf out = BUF_INIT;
	int rc = EXIT_OK, orc, bad, prc;
	struct timespec t0, t1;

	o_format = "table";
	o_dir = o_pdir = NULL;
	o_stats = 0;
	if ((orc = opt_parse(&matrix_cmd, argc, argv, &res)) != OPT_OK)
		return opt_exit(orc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	arena_init(&a, 1 << 20);
	files = arena_alloc(&a, (res.n ? res.n : 1) * sizeof(*files));
	for (i = 0; i < res.n; i++)
		files[nfiles++] = res.operands[i];
	cap = nfiles;
	if (o_pdir) {
		DIR *d = opendir(o_pdir);
		struct dirent *de;
		size_t before = nfiles;

		if (!d) {
			char why[ERR_ERRNO_MAX];

			cli_error("matrix: フォルダ %1$s を開けません（%2$s） / cannot open the directory %1$s (%2$s)", o_pdir,
			          err_errno_text(errno, why));
			rc = EXIT_USAGE;
			goto out;
		}
		while ((de = readdir(d))) {
			if (!is_profile_name(de->d_name))
				continue;
			if (nfiles == cap) {
				size_t ncap = cap ? cap * 2 : 64;

				files = arena_realloc(&a, files, cap * sizeof(*files), ncap * sizeof(*files));
				cap = ncap;
			}
			files[nfiles++] = arena_printf(&a, "%s/%s", o_pdir, de->d_name);
		}
		closedir(d);
		if (nfiles == before) {
			cli_error("matrix: フォルダ %1$s にプロファイル（*.yaml, *.yml, *.json）がありません / the directory %1$s "
			          "holds no profile (*.yaml, *.yml, *.json)", o_pdir);
			rc = EXIT_USAGE;
			goto out;
		}
		qsort(files + before, nfiles - before, sizeof(*files), cmp_str);
	}
	if (!nfiles) {
		cli_error("matrix: プロファイルか --dir DIR を指定します / give PROFILE files or --dir DIR (see 'shinsa matrix --help')");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((prc = policy_set_open(&a, o_dir ? o_dir : policy_default_dir(), &set, &err)) ||
	    (prc = policy_set_load_packs(&a, set, &err)) || (prc = country_load(&a, set->dir, &countries, &err))) {
		print_diag(&err, "");
		cli_error("matrix: 基準ファイルに誤りがあり使えません / the policy packs cannot be used (shinsa policy lint)");
		rc = err_exit_status(prc);
		goto out;
	}
	bad = assess_matrix(&a, set, countries, files, nfiles, isatty(2) ? progress_line : NULL, NULL, &model, &st,
	                    &err, &warn) != OK;
	if (isatty(2))
		fputs("\n", stderr);
	if (!st.profiles) {
		/* nothing to show (every file had mistakes, or was something else,
		 * an application…): say so, as for an empty --dir, and print no table */
		print_diag(&warn, "shinsa: 警告 / warning: ");
		print_diag(&err, "");
		cli_error("matrix: 審査できるサービスのプロファイルがありません（%1$zu 個のファイルを見ました） / no "
		          "service profile to assess among the %1$zu files given", nfiles);
		rc = EXIT_USAGE;
		goto out;
	}
	print_matrix(&a, model, &out);
	if (cli_write(&out, stdout) || fflush(stdout))
		bad = 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o_stats) {
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		fprintf(stderr, "STATS profiles=%zu assessments=%zu checks=%zu seconds=%.3f "
		        "assessments_per_sec=%.0f checks_per_sec=%.0f us_per_assessment=%.2f\n",
		        st.profiles, st.assessments, st.checks, s, (double)st.assessments / s, (double)st.checks / s,
		        s * 1e6 / (double)(st.assessments ? st.assessments : 1));
	}
	print_diag(&warn, "shinsa: 警告 / warning: ");
	print_diag(&err, "");
	if (bad) {
		cli_error("matrix: %1$zu 件のプロファイルに誤りがあり、飛ばしました / %1$zu profile%2$s had mistakes and "
		          "%3$s left out", st.rejected, st.rejected == 1 ? "" : "s", st.rejected == 1 ? "was" : "were");
		rc = EXIT_USAGE;
	}
out:
	buf_free(&out);
	diag_free(&err);
	diag_free(&warn);
	arena_release(&a);
	return rc;
}
