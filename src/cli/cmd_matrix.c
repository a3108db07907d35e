/* shinsa matrix: many service profiles against every standard at every level,
 * a row per profile with the verdict in each column, and a summary. A vendor
 * sees which bodies' standards its service meets; a prefecture compares. */
#include "cli/cli.h"
#include "cli/table.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assess/assess.h"
#include "core/buf.h"
#include "logic/jw.h"
#include "assess/profile.h"

static const char matrix_usage[] =
	"使い方 / usage:\n"
	"  shinsa matrix PROFILE… [--format table|csv|json]\n"
	"  shinsa matrix --dir DIR [--format table|csv|json]\n"
	"\n"
	"複数のサービスのプロファイルを、すべての基準のすべての区分に照らして審査し、\n"
	"プロファイルごとに1行、基準・区分ごとの判定を並べて表示します（最後に集計）。\n"
	"Assess many profiles against every pack at every level: one row per profile with\n"
	"the verdict in each column, then a summary. Progress goes to stderr when it is a\n"
	"terminal.\n"
	"\n"
	"  --dir DIR   DIR の *.yaml, *.yml, *.json をすべて / every profile file in DIR\n"
	"  --format    table（既定）| csv（UTF-8、BOM 付き）| json\n"
	"  --stats     件数と所要時間を標準エラーに / counts and time on stderr\n";

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

struct col {
	const struct policy *p;
	size_t level;
	size_t count[V_CONFORMING + 1];
};

int cmd_matrix(int argc, char **argv)
{
	const char *dir = policy_default_dir(), *format = "table", *pdir = NULL;
	const char **files = NULL;
	size_t nfiles = 0, cap = 0, ncols = 0, i, j;
	struct diag err = { 0 }, warn = { 0 };
	struct policy_set *set;
	struct col *cols;
	struct arena a, per;
	struct lshapes *reg;
	struct buf out = BUF_INIT;
	struct jw w;
	int rc = EXIT_OK, progress = isatty(2), bad = 0, stats = 0;
	size_t nassess = 0, nchecks = 0;
	struct timespec t0, t1;

	for (i = 1; i < (size_t)argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(matrix_usage, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--stats")) {
			stats = 1;
			continue;
		}
		if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "--dir") || !strcmp(argv[i], "--policies")) {
			if (i + 1 >= (size_t)argc) {
				cli_error("matrix: %1$s には値が要ります / %1$s needs a value", argv[i]);
				return EXIT_USAGE;
			}
			if (!strcmp(argv[i], "--format"))
				format = argv[++i];
			else if (!strcmp(argv[i], "--dir"))
				pdir = argv[++i];
			else
				dir = argv[++i];
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] == '-') {
			cli_error("matrix: 不明なオプションです / unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		}
		if (nfiles == cap) {
			cap = cap ? cap * 2 : 16;
			files = realloc(files, cap * sizeof(*files));
			if (!files)
				abort();
		}
		files[nfiles++] = argv[i];
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		cli_error("matrix: --format は table, csv, json のいずれかです / --format is table, csv or json, not '%s'", format);
		free(files);
		return EXIT_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	arena_init(&a, 1 << 20);
	if (pdir) {
		DIR *d = opendir(pdir);
		struct dirent *de;

		if (!d) {
			cli_error("matrix: フォルダを開けません / cannot open the directory %s", pdir);
			rc = EXIT_USAGE;
			goto out;
		}
		while ((de = readdir(d))) {
			if (!is_profile_name(de->d_name))
				continue;
			if (nfiles == cap) {
				cap = cap ? cap * 2 : 64;
				files = realloc(files, cap * sizeof(*files));
				if (!files)
					abort();
			}
			files[nfiles++] = arena_printf(&a, "%s/%s", pdir, de->d_name);
		}
		closedir(d);
		qsort(files, nfiles, sizeof(*files), cmp_str);
	}
	if (!nfiles) {
		cli_error("matrix: プロファイルか --dir DIR を指定します / give PROFILE files or --dir DIR (see 'shinsa matrix --help')");
		rc = EXIT_USAGE;
		goto out;
	}
	if (policy_set_open(&a, dir, &set, &err) || policy_set_load_packs(&a, set, &err)) {
		for (i = 0; i < err.n; i++)
			fprintf(stderr, "%s\n", err.items[i].text);
		cli_error("matrix: 基準ファイルに誤りがあり使えません / the policy packs cannot be used (shinsa policy lint)");
		rc = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < set->npacks; i++)
		ncols += set->packs[i]->nlevels;
	cols = arena_zalloc(&a, (ncols ? ncols : 1) * sizeof(*cols));
	ncols = 0;
	for (i = 0; i < set->npacks; i++)
		for (j = 0; j < set->packs[i]->nlevels; j++) {
			cols[ncols].p = set->packs[i];
			cols[ncols].level = j;
			ncols++;
		}

	jw_init(&w, &out);
	if (!strcmp(format, "csv")) {
		buf_adds(&out, "\xEF\xBB\xBF\"profile\"");
		for (j = 0; j < ncols; j++)
			buf_addf(&out, ",\"%s:%s\"", cols[j].p->id, cols[j].p->levels[cols[j].level].id);
		buf_adds(&out, "\r\n");
	} else if (!strcmp(format, "json")) {
		jw_obj(&w);
		jw_key(&w, "profiles");
		jw_arr(&w);
	}
	{
		const char **head = arena_alloc(&a, (ncols + 1) * sizeof(*head));
		const char **row = arena_alloc(&a, (ncols + 1) * sizeof(*row));
		struct table t;

		head[0] = "プロファイル";
		for (j = 0; j < ncols; j++)
			head[j + 1] = arena_printf(&a, "%s:%s", cols[j].p->id, cols[j].p->levels[cols[j].level].id);
		table_init(&t, ncols + 1, head);
		reg = lshapes_new(&a);
		arena_init(&per, 1 << 16);
		for (i = 0; i < nfiles; i++) {
			const struct lval *profile, *facts;
			struct arena_mark m = arena_mark(&per);
			const char *name = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];

			if (progress)
				fprintf(stderr, "\r%zu/%zu %s", i + 1, nfiles, name);
			diag_free(&warn);
			if (profile_load(&a, set->vocab, reg, files[i], &profile, &err, &warn)) {
				bad++;
				continue;
			}
			if (!strcmp(format, "json")) {
				jw_obj(&w);
				jw_kstr(&w, "profile", files[i]);
				jw_key(&w, "verdicts");
				jw_obj(&w);
			} else if (!strcmp(format, "csv")) {
				buf_addc(&out, '"');
				buf_adds(&out, files[i]);
				buf_addc(&out, '"');
			}
			row[0] = name;
			facts = profile_facts_for(&per, profile, NULL, "");
			for (j = 0; j < ncols; j++) {
				struct assessment as;
				struct arena_mark m2 = arena_mark(&per);

				profile_facts_set_level(&per, facts, cols[j].p->levels[cols[j].level].id);
				assess_run(&per, cols[j].p, cols[j].level, facts, NULL, NULL, 0, &as);
				cols[j].count[as.verdict]++;
				nassess++;
				nchecks += as.checks;
				if (!strcmp(format, "json"))
					jw_kstr(&w, head[j + 1], assess_verdict_name(as.verdict));
				else if (!strcmp(format, "csv"))
					buf_addf(&out, ",%s", assess_verdict_name(as.verdict));
				else
					row[j + 1] = assess_verdict_ja(as.verdict);
				arena_rewind(&per, m2);
			}
			if (!strcmp(format, "json")) {
				jw_end_obj(&w);
				jw_end_obj(&w);
			} else if (!strcmp(format, "csv")) {
				buf_adds(&out, "\r\n");
			} else {
				const char **copy = arena_alloc(&a, (ncols + 1) * sizeof(*copy));

				memcpy(copy, row, (ncols + 1) * sizeof(*copy));
				copy[0] = arena_strdup(&a, name);
				table_add(&t, copy);
			}
			arena_rewind(&per, m);
			if (out.len > (1 << 20)) {
				fwrite(out.data, 1, out.len, stdout);
				buf_reset(&out);
			}
		}
		if (progress)
			fputs("\n", stderr);
		if (!strcmp(format, "table")) {
			table_print(&t, stdout);
			printf("\n集計（適合 / 要確認 / 協議要 / 不適合 / 利用不可 / 適用除外）\n");
			for (j = 0; j < ncols; j++)
				printf("  %-16s %zu / %zu / %zu / %zu / %zu / %zu\n", head[j + 1],
				       cols[j].count[V_CONFORMING], cols[j].count[V_INCOMPLETE],
				       cols[j].count[V_CONSULTATION], cols[j].count[V_NONCONFORMING],
				       cols[j].count[V_PROHIBITED], cols[j].count[V_EXEMPT]);
		}
		table_free(&t);
		arena_release(&per);
		if (!strcmp(format, "json")) {
			int v;

			jw_end_arr(&w);
			jw_key(&w, "summary");
			jw_obj(&w);
			for (j = 0; j < ncols; j++) {
				jw_key(&w, head[j + 1]);
				jw_obj(&w);
				for (v = V_EXEMPT; v <= V_CONFORMING; v++) {
					jw_key(&w, assess_verdict_name(v));
					jw_int(&w, (long long)cols[j].count[v]);
				}
				jw_end_obj(&w);
			}
			jw_end_obj(&w);
			jw_end_obj(&w);
			buf_addc(&out, '\n');
		}
	}
	fwrite(buf_str(&out), 1, out.len, stdout);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (stats) {
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		fprintf(stderr, "STATS profiles=%zu assessments=%zu checks=%zu seconds=%.3f "
		        "assessments_per_sec=%.0f checks_per_sec=%.0f us_per_assessment=%.2f\n",
		        nfiles - (size_t)bad, nassess, nchecks, s, nassess / s, nchecks / s, s * 1e6 / (double)(nassess ? nassess : 1));
	}
	for (i = 0; i < err.n; i++)
		fprintf(stderr, "%s\n", err.items[i].text);
	if (bad) {
		cli_error("matrix: %d 件のプロファイルに誤りがあり、飛ばしました / %d profiles had mistakes and "
		          "were left out", bad, bad);
		rc = EXIT_USAGE;
	}
out:
	buf_free(&out);
	diag_free(&err);
	diag_free(&warn);
	free(files);
	arena_release(&a);
	return rc;
}
