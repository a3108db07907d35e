/* shinsa policy list|show|lint|diff: the policy packs as a municipal security
 * officer reads them, and the linter a pack author runs. */
#include "cli/cli.h"
#include "core/fmt.h"
#include "cli/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "logic/jw.h"
#include "policy/policy.h"

static const char policy_usage[] =
	"使い方 / usage:\n"
	"  shinsa policy list [--format table|json]\n"
	"  shinsa policy show ID [--level L] [--format table|json]\n"
	"  shinsa policy lint [FILE…]\n"
	"  shinsa policy diff A B [--level-a X] [--level-b Y] [--format table|json]\n"
	"  shinsa policy facts [--format table|json|markdown]\n"
	"\n"
	"  list   同梱の基準（ポリシーパック）の一覧: ID、団体、名称、版、施行日、区分\n"
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
	"         this list with --format markdown)\n"
	"\n"
	"  --policies DIR   パックの場所 / where the packs are (default: $SHINSA_POLICIES,\n"
	"                   the installed share/shinsa/policies, or the source tree's policies/)\n";

static void flush(struct buf *b)
{
	buf_addc(b, '\n');
	fwrite(b->data, 1, b->len, stdout);
	buf_free(b);
}

static void print_diag(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->items[i].text);
}

/* Open the set and its packs; packs that do not load are reported and left out. */
static int open_packs(struct arena *a, const char *dir, struct policy_set **set)
{
	struct diag d = { 0 };
	int rc;

	rc = policy_set_open(a, dir, set, &d);
	if (rc == OK && policy_set_load_packs(a, *set, &d))
		cli_error("一部のパックに誤りがあり、読み込みませんでした / some packs have mistakes and were left out"
		          " (shinsa policy lint)");
	print_diag(&d);
	diag_free(&d);
	if (rc) {
		cli_error("基準フォルダ %1$s を使えません / the policy directory %1$s cannot be used", dir);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static const char *levels_text(struct arena *a, const struct policy *p)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		buf_addf(&b, "%s%s%s", i ? ", " : "", p->levels[i].id, p->levels[i].governed ? "" : "(対象外)");
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int do_list(struct arena *a, const struct policy_set *set, int json)
{
	size_t i, j;

	if (json) {
		struct buf b = BUF_INIT;
		struct jw w;

		jw_init(&w, &b);
		jw_arr(&w);
		for (i = 0; i < set->npacks; i++) {
			const struct policy *p = set->packs[i];

			jw_obj(&w);
			jw_kstr(&w, "id", p->id);
			jw_kstr(&w, "body", p->body);
			jw_kstr(&w, "title", p->title);
			jw_kstr(&w, "version", p->version);
			jw_kstr(&w, "effective", p->effective);
			jw_key(&w, "levels");
			jw_arr(&w);
			for (j = 0; j < p->nlevels; j++)
				jw_str(&w, p->levels[j].id);
			jw_end_arr(&w);
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
		flush(&b);
		return EXIT_OK;
	}
	{
		static const char *head[] = { "ID", "団体", "名称", "版", "施行日", "区分" };
		struct table t;

		table_init(&t, 6, head);
		table_set_max(&t, 2, 40);
		for (i = 0; i < set->npacks; i++) {
			const struct policy *p = set->packs[i];
			const char *row[6] = { p->id, p->body, p->title, p->version,
			                       p->effective ? p->effective : "—", levels_text(a, p) };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	return EXIT_OK;
}

static void json_obligations(struct jw *w, const struct policy *p, const uint8_t *ob, long level)
{
	size_t i;

	if (level >= 0) {
		jw_str(w, policy_obligation_name(ob[level]));
		return;
	}
	jw_obj(w);
	for (i = 0; i < p->nlevels; i++)
		jw_kstr(w, p->levels[i].id, policy_obligation_name(ob[i]));
	jw_end_obj(w);
}

static void json_topics(struct jw *w, uint32_t bits)
{
	size_t t;

	jw_arr(w);
	for (t = 0; t < policy_ntopics; t++)
		if (bits & (1u << t))
			jw_str(w, policy_topics[t]);
	jw_end_arr(w);
}

/* id and text, for prohibitions and exemptions */
static void json_id_text(struct jw *w, const char *id, const char *ref, const char *text)
{
	jw_obj(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "ref", ref);
	jw_kstr(w, "text", text);
	jw_end_obj(w);
}

static int show_json(const struct policy *p, long level)
{
	struct buf b = BUF_INIT;
	struct jw w;
	size_t i, j;

	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "id", p->id);
	jw_kstr(&w, "body", p->body);
	jw_kstr(&w, "title", p->title);
	jw_kstr(&w, "version", p->version);
	jw_kstr(&w, "effective", p->effective);
	jw_kstr(&w, "level", level >= 0 ? p->levels[level].id : NULL);
	jw_key(&w, "levels");
	jw_arr(&w);
	for (i = 0; i < p->nlevels; i++) {
		jw_obj(&w);
		jw_kstr(&w, "id", p->levels[i].id);
		jw_kstr(&w, "name", p->levels[i].name);
		jw_key(&w, "governed");
		jw_bool(&w, p->levels[i].governed);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "criteria");
	jw_arr(&w);
	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_criterion *c = &p->criteria[i];

		jw_obj(&w);
		jw_kstr(&w, "id", c->id);
		jw_kstr(&w, "ref", c->ref);
		jw_kstr(&w, "category", c->category);
		jw_kstr(&w, "title", c->title);
		jw_kstr(&w, "requirement", c->requirement);
		jw_kstr(&w, "phase", policy_phase_name(c->phase));
		jw_key(&w, "topics");
		json_topics(&w, c->topics);
		jw_key(&w, "obligation");
		json_obligations(&w, p, c->ob, level);
		jw_key(&w, "check");
		if (c->check)
			jw_val(&w, c->check->json);
		else
			jw_null(&w);
		jw_key(&w, "manual");
		if (c->manual && !c->check)
			jw_strs(&w, c->manual->options, c->manual->noptions);
		else
			jw_null(&w);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "groups");
	jw_arr(&w);
	for (i = 0; i < p->ngroups; i++) {
		const struct policy_group *g = &p->groups[i];

		jw_obj(&w);
		jw_kstr(&w, "id", g->id);
		jw_kstr(&w, "title", g->title);
		jw_key(&w, "any_of");
		jw_arr(&w);
		for (j = 0; j < g->nmembers; j++)
			jw_str(&w, p->criteria[g->members[j]].id);
		jw_end_arr(&w);
		jw_key(&w, "obligation");
		json_obligations(&w, p, g->ob, level);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "risks");
	jw_arr(&w);
	for (i = 0; i < p->nrisks; i++) {
		jw_obj(&w);
		jw_kstr(&w, "id", p->risks[i].id);
		jw_kstr(&w, "title", p->risks[i].title);
		jw_key(&w, "options");
		jw_strs(&w, p->risks[i].options, p->risks[i].noptions);
		jw_key(&w, "obligation");
		json_obligations(&w, p, p->risks[i].ob, level);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "prohibitions");
	jw_arr(&w);
	for (i = 0; i < p->nprohibitions; i++)
		json_id_text(&w, p->prohibitions[i].id, p->prohibitions[i].ref, p->prohibitions[i].text);
	jw_end_arr(&w);
	jw_key(&w, "exemptions");
	jw_arr(&w);
	for (i = 0; i < p->nexemptions; i++)
		json_id_text(&w, p->exemptions[i].id, p->exemptions[i].ref, p->exemptions[i].text);
	jw_end_arr(&w);
	jw_key(&w, "procedures");
	jw_arr(&w);
	for (i = 0; i < p->nprocedures; i++) {
		const struct policy_procedure *r = &p->procedures[i];

		jw_obj(&w);
		jw_kstr(&w, "id", r->id);
		jw_key(&w, "levels");
		jw_arr(&w);
		for (j = 0; j < r->nlevels; j++)
			jw_str(&w, p->levels[r->levels[j]].id);
		jw_end_arr(&w);
		jw_key(&w, "forms");
		jw_strs(&w, r->forms, r->nforms);
		jw_kstr(&w, "approver", r->approver);
		jw_key(&w, "consultees");
		jw_strs(&w, r->consultees, r->nconsultees);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	flush(&b);
	return EXIT_OK;
}

/* "5-1 | 5-2 | 5-3" */
static const char *join_strs(struct arena *a, const char *const *s, size_t n, const char *sep)
{
	struct buf b = BUF_INIT;
	const char *r;
	size_t i;

	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? sep : "", s[i]);
	r = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

static const char *ob_cell(struct arena *a, const struct policy *p, const uint8_t *ob, long level)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	if (level >= 0)
		return policy_obligation_ja(ob[level]);
	for (i = 0; i < p->nlevels; i++)
		buf_addf(&b, "%s%s:%s", i ? " " : "", p->levels[i].id, policy_obligation_ja(ob[i]));
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int show_table(struct arena *a, const struct policy *p, long level)
{
	static const char *head[] = { "ID", "区分", "項目", "義務", "判定", "段階" };
	struct table t;
	size_t i;

	printf("%s　%s（%s版）\n", p->body, p->title, p->version);
	if (level >= 0)
		printf("区分: %s %s\n", p->levels[level].id, p->levels[level].name ? p->levels[level].name : "");
	fputc('\n', stdout);
	table_init(&t, 6, head);
	table_set_max(&t, 1, 24);
	table_set_max(&t, 2, 44);
	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_criterion *c = &p->criteria[i];
		const char *row[6] = { c->id, c->category ? c->category : "", c->title,
		                       ob_cell(a, p, c->ob, level), c->check ? "自動" : "確認",
		                       policy_phase_ja(c->phase) };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
	if (p->ngroups) {
		static const char *gh[] = { "ID", "いずれか（選択肢）", "項目", "義務" };

		fputs("\n選択肢（いずれかを満たす）\n", stdout);
		table_init(&t, 4, gh);
		table_set_max(&t, 2, 40);
		for (i = 0; i < p->ngroups; i++) {
			const struct policy_group *g = &p->groups[i];
			const char **ids = arena_alloc(a, (g->nmembers ? g->nmembers : 1) * sizeof(*ids));
			const char *row[4];
			size_t j;

			for (j = 0; j < g->nmembers; j++)
				ids[j] = p->criteria[g->members[j]].id;
			row[0] = g->id;
			row[1] = join_strs(a, ids, g->nmembers, " | ");
			row[2] = g->title;
			row[3] = ob_cell(a, p, g->ob, level);
			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	if (p->nrisks) {
		static const char *rh[] = { "ID", "リスク", "判断", "義務" };

		fputs("\n検討するリスク\n", stdout);
		table_init(&t, 4, rh);
		table_set_max(&t, 1, 50);
		for (i = 0; i < p->nrisks; i++) {
			const struct policy_risk *r = &p->risks[i];
			const char *row[4] = { r->id, r->title, join_strs(a, r->options, r->noptions, " / "),
			                       ob_cell(a, p, r->ob, level) };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	for (i = 0; i < p->nprohibitions; i++)
		printf("%s禁止 %s: %s\n", i ? "" : "\n", p->prohibitions[i].id, p->prohibitions[i].text);
	for (i = 0; i < p->nexemptions; i++)
		printf("%s適用除外 %s: %s\n", i ? "" : "\n", p->exemptions[i].id, p->exemptions[i].text);
	for (i = 0; i < p->nprocedures; i++) {
		const struct policy_procedure *r = &p->procedures[i];
		size_t j;

		if (level >= 0) {
			for (j = 0; j < r->nlevels; j++)
				if ((long)r->levels[j] == level)
					break;
			if (j == r->nlevels)
				continue;
		}
		printf("\n手続（");
		for (j = 0; j < r->nlevels; j++)
			printf("%s%s", j ? "・" : "", p->levels[r->levels[j]].id);
		printf("）: 承認 %s", r->approver);
		if (r->nconsultees) {
			printf("、協議先 ");
			for (j = 0; j < r->nconsultees; j++)
				printf("%s%s", j ? "・" : "", r->consultees[j]);
		}
		if (r->nforms) {
			printf("、様式 ");
			for (j = 0; j < r->nforms; j++)
				printf("%s%s", j ? "・" : "", r->forms[j]);
		}
		fputc('\n', stdout);
	}
	return EXIT_OK;
}

static int do_lint(struct arena *a, const char *dir, char **files, int nfiles)
{
	struct diag d = { 0 };
	struct policy_set *set;
	size_t bad = 0;
	int i, rc = policy_set_open(a, dir, &set, &d);

	if (rc == OK) {
		if (nfiles == 0) {
			if (policy_set_load_packs(a, set, &d))
				bad++;
		}
		for (i = 0; i < nfiles; i++) {
			struct policy *p;
			struct stat st;

			if (stat(files[i], &st)) {
				diag_add(&d, files[i], 1, 1, "ファイルがありません / no such file");
				bad++;
				continue;
			}
			{
				const char *base = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];

				/* the vocabulary and facts files are checked with their folder */
				if (!strcmp(base, "vocabulary.yaml") || !strncmp(base, "facts-", 6)) {
					char *fdir = arena_strndup(a, files[i], base > files[i] ? (size_t)(base - files[i]) - 1 : 0);
					struct policy_set *vs;

					if (policy_set_open(a, *fdir ? fdir : ".", &vs, &d))
						bad++;
					continue;
				}
			}
			if (policy_load(a, set, files[i], &p, &d))
				bad++;
		}
	}
	print_diag(&d);
	if (rc || bad || d.n) {
		fprintf(stderr, "shinsa: %zu 件の誤り / %zu mistake%s\n", d.n, d.n, d.n == 1 ? "" : "s");
		diag_free(&d);
		return EXIT_FAIL;
	}
	diag_free(&d);
	return EXIT_OK;
}

/* ---- facts ---- */

static const char *const type_ja[] = { "文字列", "はい／いいえ", "整数", "日付", "選択", "一覧", "国コード" };

static const char *type_text(struct arena *a, const struct policy_fact *f)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	buf_adds(&b, type_ja[f->type]);
	if (f->type == FT_LIST)
		buf_addf(&b, "（%s）", type_ja[f->item_type]);
	if (f->unit)
		buf_addf(&b, "（%s）", f->unit);
	if (f->nvalues) {
		buf_adds(&b, ": ");
		for (i = 0; i < f->nvalues; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", f->values[i]);
	}
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int in_group(const struct policy_vocab *v, const struct policy_fact *f, size_t g)
{
	size_t i;

	if (g < v->ngroups)
		return !strcmp(f->group, v->groups[g].id);
	for (i = 0; i < v->ngroups; i++)      /* the rest: groups not listed */
		if (!strcmp(f->group, v->groups[i].id))
			return 0;
	return 1;
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

static int do_facts(struct arena *a, const struct policy_set *set, const char *format)
{
	const struct policy_vocab *v = set->vocab;
	size_t g, i, j;

	if (!strcmp(format, "json")) {
		struct buf b = BUF_INIT;
		struct jw w;

		jw_init(&w, &b);
		jw_arr(&w);
		for (i = 0; i < v->n; i++) {
			const struct policy_fact *f = &v->facts[i];

			jw_obj(&w);
			jw_kstr(&w, "path", f->path);
			jw_kstr(&w, "type", policy_fact_type_name(f->type));
			if (f->type == FT_LIST)
				jw_kstr(&w, "items", policy_fact_type_name(f->item_type));
			if (f->nvalues) {
				jw_key(&w, "values");
				jw_strs(&w, f->values, f->nvalues);
			}
			jw_kstr(&w, "group", f->group);
			jw_kstr(&w, "label", f->label);
			jw_kstr(&w, "label_en", f->label_en);
			jw_kstr(&w, "help", f->help);
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
		flush(&b);
		return EXIT_OK;
	}
	if (!strcmp(format, "markdown")) {
		puts("# 事実の語彙 / The fact vocabulary\n");
		puts("<!-- Generated by `shinsa policy facts --format markdown` from policies/vocabulary.yaml");
		puts("     and policies/facts-*.yaml; the test suite fails when this file is out of date. -->\n");
		puts("A service profile and an application answer these facts; a policy's checks read only them");
		puts("(DESIGN §2.1). A fact that is left out is *unknown*, never false. Paths never change;");
		puts("facts are only added.\n");
		printf("%zu facts.\n", v->n);
		for (g = 0; g <= v->ngroups; g++) {
			int any = 0;

			for (i = 0; i < v->n; i++) {
				const struct policy_fact *f = &v->facts[i];

				if (!in_group(v, f, g))
					continue;
				if (!any) {
					if (g < v->ngroups)
						printf("\n## %s / %s\n\n", v->groups[g].label, v->groups[g].label_en);
					else
						printf("\n## その他 / Other\n\n");
					puts("| パス / path | 型 / type | 項目 | 説明（答え方） | English |");
					puts("|---|---|---|---|---|");
					any = 1;
				}
				printf("| `%s`%s | ", f->path, f->added ? " ＊" : "");
				md_cell(type_text(a, f));
				fputs(" | ", stdout);
				md_cell(f->label);
				fputs(" | ", stdout);
				md_cell(f->help);
				for (j = 0; j < f->nvalues; j++)
					if (f->value_labels && f->value_labels[j]) {
						printf("%s`%s` %s", j ? "、" : " 選択肢: ", f->values[j], "");
						md_cell(f->value_labels[j]);
					}
				fputs(" | ", stdout);
				md_cell(f->label_en);
				puts(" |");
			}
		}
		puts("\n＊ added beyond DESIGN §2.1, for what a seed asks.");
		return EXIT_OK;
	}
	{
		static const char *head[] = { "パス", "型", "項目" };
		struct table t;

		table_init(&t, 3, head);
		table_set_max(&t, 1, 30);
		for (i = 0; i < v->n; i++) {
			const char *row[3] = { v->facts[i].path, type_text(a, &v->facts[i]), v->facts[i].label };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	return EXIT_OK;
}

/* ---- diff ---- */

static const char *const topic_ja[] = {
	"準拠法", "裁判管轄", "データの保存場所", "第三者認証", "通信の暗号化", "保存データの暗号化",
	"鍵管理", "多要素認証", "アカウントロック", "アクセス制御", "接続元の制限", "ログ",
	"ログの保存期間", "時刻同期", "データの消去", "契約", "SLA", "インシデント対応",
	"目的外利用の禁止", "変更管理", "再委託", "バックアップ", "監視", "脆弱性対策",
	"利用者の分離", "利用終了", "個人情報", "サポート", "協議",
};

/* The any-of group that criterion i belongs to and that applies at level. */
static const struct policy_group *group_of(const struct policy *p, size_t i, long level)
{
	size_t g, m;

	for (g = 0; g < p->ngroups; g++)
		for (m = 0; m < p->groups[g].nmembers; m++)
			if (p->groups[g].members[m] == i && p->groups[g].ob[level] != OB_NA)
				return &p->groups[g];
	return NULL;
}

/* Strongest obligation of the pack's items on topic t at level, and the items.
 * A criterion that is one of a group's alternatives counts as recommended:
 * the group, not the item, is what is demanded. */
static int topic_items(struct arena *a, const struct policy *p, size_t t, long level, const char **out)
{
	struct buf b = BUF_INIT;
	size_t i;
	int best = OB_NA;

	for (i = 0; i < p->ncriteria; i++) {
		const struct policy_criterion *c = &p->criteria[i];
		const struct policy_group *g = group_of(p, i, level);
		int ob = c->ob[level];

		if (!(c->topics & (1u << t)) || ob == OB_NA)
			continue;
		if (g) {
			/* one way among alternatives: not a demand on its own */
			if (ob > OB_RECOMMENDED)
				ob = OB_RECOMMENDED;
			buf_addf(&b, "%s%s %s（%s の選択肢）", b.len ? "\n" : "", c->id, c->title, g->id);
		} else {
			buf_addf(&b, "%s%s %s（%s）", b.len ? "\n" : "", c->id, c->title, policy_obligation_ja(ob));
		}
		if (ob > best)
			best = ob;
	}
	for (i = 0; i < p->nrisks; i++) {
		const struct policy_risk *r = &p->risks[i];

		if (!(r->topics & (1u << t)) || r->ob[level] == OB_NA)
			continue;
		buf_addf(&b, "%s%s %s（リスク判断）", b.len ? "\n" : "", r->id, r->title);
		if (best < OB_RECOMMENDED)
			best = OB_RECOMMENDED;
	}
	*out = b.len ? arena_strndup(a, buf_str(&b), b.len) : "—";
	buf_free(&b);
	return best;
}

static long first_governed(const struct policy *p)
{
	size_t i;

	for (i = 0; i < p->nlevels; i++)
		if (p->levels[i].governed)
			return (long)i;
	return 0;
}

static int do_diff(struct arena *a, const struct policy *pa, const struct policy *pb,
                   const char *la, const char *lb, int json)
{
	long ia = la ? policy_level_index(pa, la) : first_governed(pa);
	long ib = lb ? policy_level_index(pb, lb) : first_governed(pb);
	size_t t, same = 0, astr = 0, bstr = 0;
	struct buf b = BUF_INIT;
	struct jw w;
	struct table tab;
	static const char *head[4];
	char ha[160], hb[160];

	if (ia < 0 || ib < 0) {
		cli_error("diff: '%1$s' は %2$s の区分にありません / '%1$s' is not a level of %2$s (levels: %3$s)", ia < 0 ? la : lb,
		          ia < 0 ? pa->id : pb->id, levels_text(a, ia < 0 ? pa : pb));
		return EXIT_USAGE;
	}
	jw_init(&w, &b);
	if (json) {
		jw_obj(&w);
		jw_key(&w, "a");
		jw_obj(&w);
		jw_kstr(&w, "policy", pa->id);
		jw_kstr(&w, "level", pa->levels[ia].id);
		jw_end_obj(&w);
		jw_key(&w, "b");
		jw_obj(&w);
		jw_kstr(&w, "policy", pb->id);
		jw_kstr(&w, "level", pb->levels[ib].id);
		jw_end_obj(&w);
		jw_key(&w, "topics");
		jw_arr(&w);
	}
	fmt_message(ha, sizeof(ha), "%s（%s）", pa->body, pa->levels[ia].id);
	fmt_message(hb, sizeof(hb), "%s（%s）", pb->body, pb->levels[ib].id);
	head[0] = "論点";
	head[1] = ha;
	head[2] = hb;
	head[3] = "比較";
	table_init(&tab, 4, head);
	table_set_max(&tab, 1, 38);
	table_set_max(&tab, 2, 38);
	for (t = 0; t < policy_ntopics; t++) {
		const char *ta, *tb, *cmp, *cmp_en;
		int oa = topic_items(a, pa, t, ia, &ta), ob = topic_items(a, pb, t, ib, &tb);
		const char *row[4];

		if (!strcmp(ta, "—") && !strcmp(tb, "—"))
			continue;
		if (oa == ob) {
			cmp = oa == OB_REQUIRED ? "同等（双方必須）" : "同等";
			cmp_en = "same";
			same++;
		} else if (oa > ob) {
			cmp = oa == OB_REQUIRED && ob == OB_NA ? "A のみ要求" : "A が厳しい";
			cmp_en = "a-stricter";
			astr++;
		} else {
			cmp = ob == OB_REQUIRED && oa == OB_NA ? "B のみ要求" : "B が厳しい";
			cmp_en = "b-stricter";
			bstr++;
		}
		row[0] = arena_printf(a, "%s\n(%s)", topic_ja[t], policy_topics[t]);
		row[1] = ta;
		row[2] = tb;
		row[3] = cmp;
		table_add(&tab, row);
		if (json) {
			jw_obj(&w);
			jw_kstr(&w, "topic", policy_topics[t]);
			jw_kstr(&w, "a", policy_obligation_name(oa));
			jw_kstr(&w, "b", policy_obligation_name(ob));
			jw_kstr(&w, "a_items", ta);
			jw_kstr(&w, "b_items", tb);
			jw_kstr(&w, "comparison", cmp_en);
			jw_end_obj(&w);
		}
	}
	if (json) {
		jw_end_arr(&w);
		jw_key(&w, "summary");
		jw_obj(&w);
		jw_key(&w, "same");
		jw_int(&w, (long long)same);
		jw_key(&w, "a_stricter");
		jw_int(&w, (long long)astr);
		jw_key(&w, "b_stricter");
		jw_int(&w, (long long)bstr);
		jw_end_obj(&w);
		jw_end_obj(&w);
		flush(&b);
		table_free(&tab);
		return EXIT_OK;
	}
	printf("A: %s %s（区分 %s）\nB: %s %s（区分 %s）\n\n", pa->body, pa->title, pa->levels[ia].id,
	       pb->body, pb->title, pb->levels[ib].id);
	table_print(&tab, stdout);
	printf("\n同等 %zu、A が厳しい %zu、B が厳しい %zu（論点ごとの最も強い義務で比較）\n", same, astr, bstr);
	table_free(&tab);
	return EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	const char *dir = policy_default_dir(), *format = "table", *level = NULL, *la = NULL, *lb = NULL;
	const char *sub, *pos[64];
	struct arena a;
	struct policy_set *set;
	int i, npos = 0, rc, json;

	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(policy_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	sub = argv[1];
	for (i = 2; i < argc; i++) {
		const char **opt = NULL;

		if (cli_is_help(argv[i])) {
			fputs(policy_usage, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--format"))
			opt = &format;
		else if (!strcmp(argv[i], "--level"))
			opt = &level;
		else if (!strcmp(argv[i], "--level-a"))
			opt = &la;
		else if (!strcmp(argv[i], "--level-b"))
			opt = &lb;
		else if (!strcmp(argv[i], "--policies"))
			opt = &dir;
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			cli_error("policy: 不明なオプションです / unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		}
		if (opt) {
			if (i + 1 >= argc) {
				cli_error("policy: %1$s には値が要ります / %1$s needs a value", argv[i]);
				return EXIT_USAGE;
			}
			*opt = argv[++i];
			continue;
		}
		if (npos == (int)(sizeof(pos) / sizeof(pos[0]))) {
			cli_error("policy: 引数が多すぎます / too many arguments");
			return EXIT_USAGE;
		}
		pos[npos++] = argv[i];
	}
	if (strcmp(format, "table") && strcmp(format, "json") &&
	    (strcmp(format, "markdown") || strcmp(sub, "facts"))) {
		cli_error("policy: --format は table か json / --format is table or json%s, not '%s'",
		          strcmp(sub, "facts") ? "" : " or markdown", format);
		return EXIT_USAGE;
	}
	json = !strcmp(format, "json");
	arena_init(&a, 1 << 16);
	if (!strcmp(sub, "lint")) {
		rc = do_lint(&a, dir, (char **)pos, npos);
		goto out;
	}
	if (!strcmp(sub, "facts")) {
		struct diag d = { 0 };

		if (npos) {
			cli_error("policy facts: 余分な引数です / unexpected argument '%s'", pos[0]);
			rc = EXIT_USAGE;
			goto out;
		}
		rc = policy_set_open(&a, dir, &set, &d);
		print_diag(&d);
		diag_free(&d);
		rc = rc ? EXIT_USAGE : do_facts(&a, set, format);
		goto out;
	}
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "diff")) {
		cli_error("policy: 不明なサブコマンドです / unknown subcommand '%s' (list, show, lint, diff, facts)", sub);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = open_packs(&a, dir, &set)))
		goto out;
	if (!strcmp(sub, "list")) {
		rc = npos ? (cli_error("policy list: 余分な引数です / unexpected argument '%s'", pos[0]), EXIT_USAGE)
		          : do_list(&a, set, json);
	} else if (!strcmp(sub, "show")) {
		const struct policy *p;
		long li = -1;

		if (npos != 1) {
			cli_error("policy show: 基準の ID を一つ指定します / give one pack id (see 'shinsa policy list')");
			rc = EXIT_USAGE;
			goto out;
		}
		if (!(p = policy_find(set, pos[0]))) {
			cli_error("policy show: 基準 '%s' はありません / no pack '%s' (see 'shinsa policy list')",
			          pos[0], pos[0]);
			rc = EXIT_USAGE;
			goto out;
		}
		if (level && (li = policy_level_index(p, level)) < 0) {
			cli_error("policy show: '%1$s' は %2$s の区分にありません / '%1$s' is not a level of %2$s (levels: %3$s)", level, p->id, levels_text(&a, p));
			rc = EXIT_USAGE;
			goto out;
		}
		rc = json ? show_json(p, li) : show_table(&a, p, li);
	} else {
		const struct policy *pa, *pb;

		if (npos != 2) {
			cli_error("policy diff: 基準の ID を二つ（A と B）指定します / give two pack ids, A and B");
			rc = EXIT_USAGE;
			goto out;
		}
		pa = policy_find(set, pos[0]);
		pb = policy_find(set, pos[1]);
		if (!pa || !pb) {
			cli_error("policy diff: 基準 '%1$s' はありません / no pack '%1$s' (see 'shinsa policy list')", !pa ? pos[0] : pos[1]);
			rc = EXIT_USAGE;
			goto out;
		}
		rc = do_diff(&a, pa, pb, la, lb, json);
	}
out:
	arena_release(&a);
	return rc;
}
