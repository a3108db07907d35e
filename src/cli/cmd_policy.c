/* shinsa policy list|show|lint|diff: the policy packs as a municipal security
 * officer reads them, and the linter a pack author runs. */
#include "cli.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "policy.h"

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

/* JSON string output without building a value. */
static void jstr(struct buf *b, const char *s)
{
	struct lval v = { .type = LV_STR };

	if (!s) {
		buf_puts(b, "null");
		return;
	}
	v.n = (uint32_t)strlen(s);
	v.u.str = s;
	lval_write_json(b, &v);
}

static void jstrs(struct buf *b, const char **s, size_t n)
{
	size_t i;

	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		jstr(b, s[i]);
	}
	buf_putc(b, ']');
}

static void flush(struct buf *b)
{
	buf_putc(b, '\n');
	fwrite(b->data, 1, b->len, stdout);
	buf_free(b);
}

static void print_diag(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
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
		cli_error("the policy directory %s cannot be used", dir);
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
		buf_printf(&b, "%s%s%s", i ? ", " : "", p->levels[i].id, p->levels[i].governed ? "" : "(対象外)");
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int do_list(struct arena *a, const struct policy_set *set, int json)
{
	size_t i, j;

	if (json) {
		struct buf b = BUF_INIT;

		buf_putc(&b, '[');
		for (i = 0; i < set->npacks; i++) {
			const struct policy *p = set->packs[i];

			buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
			jstr(&b, p->id);
			buf_puts(&b, ",\"body\":");
			jstr(&b, p->body);
			buf_puts(&b, ",\"title\":");
			jstr(&b, p->title);
			buf_puts(&b, ",\"version\":");
			jstr(&b, p->version);
			buf_puts(&b, ",\"effective\":");
			jstr(&b, p->effective);
			buf_puts(&b, ",\"levels\":[");
			for (j = 0; j < p->nlevels; j++) {
				if (j)
					buf_putc(&b, ',');
				jstr(&b, p->levels[j].id);
			}
			buf_puts(&b, "]}");
		}
		buf_putc(&b, ']');
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

static void json_obligations(struct buf *b, const struct policy *p, const uint8_t *ob, long level)
{
	size_t i;

	if (level >= 0) {
		jstr(b, obligation_name(ob[level]));
		return;
	}
	buf_putc(b, '{');
	for (i = 0; i < p->nlevels; i++) {
		if (i)
			buf_putc(b, ',');
		jstr(b, p->levels[i].id);
		buf_putc(b, ':');
		jstr(b, obligation_name(ob[i]));
	}
	buf_putc(b, '}');
}

static void json_topics(struct buf *b, uint32_t bits)
{
	size_t t;
	int first = 1;

	buf_putc(b, '[');
	for (t = 0; t < policy_ntopics; t++)
		if (bits & (1u << t)) {
			if (!first)
				buf_putc(b, ',');
			jstr(b, policy_topics[t]);
			first = 0;
		}
	buf_putc(b, ']');
}

static int show_json(const struct policy *p, long level)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_puts(&b, "{\"id\":");
	jstr(&b, p->id);
	buf_puts(&b, ",\"body\":");
	jstr(&b, p->body);
	buf_puts(&b, ",\"title\":");
	jstr(&b, p->title);
	buf_puts(&b, ",\"version\":");
	jstr(&b, p->version);
	buf_puts(&b, ",\"effective\":");
	jstr(&b, p->effective);
	buf_puts(&b, ",\"level\":");
	jstr(&b, level >= 0 ? p->levels[level].id : NULL);
	buf_puts(&b, ",\"levels\":[");
	for (i = 0; i < p->nlevels; i++) {
		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, p->levels[i].id);
		buf_puts(&b, ",\"name\":");
		jstr(&b, p->levels[i].name);
		buf_puts(&b, ",\"governed\":");
		buf_puts(&b, p->levels[i].governed ? "true}" : "false}");
	}
	buf_puts(&b, "],\"criteria\":[");
	for (i = 0; i < p->ncriteria; i++) {
		const struct criterion *c = &p->criteria[i];

		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, c->id);
		buf_puts(&b, ",\"ref\":");
		jstr(&b, c->ref);
		buf_puts(&b, ",\"category\":");
		jstr(&b, c->category);
		buf_puts(&b, ",\"title\":");
		jstr(&b, c->title);
		buf_puts(&b, ",\"requirement\":");
		jstr(&b, c->requirement);
		buf_puts(&b, ",\"phase\":");
		jstr(&b, phase_name(c->phase));
		buf_puts(&b, ",\"topics\":");
		json_topics(&b, c->topics);
		buf_puts(&b, ",\"obligation\":");
		json_obligations(&b, p, c->ob, level);
		buf_puts(&b, ",\"check\":");
		if (c->check)
			lval_write_json(&b, c->check->json);
		else
			buf_puts(&b, "null");
		buf_puts(&b, ",\"manual\":");
		if (c->manual && !c->check)
			jstrs(&b, c->manual->options, c->manual->noptions);
		else
			buf_puts(&b, "null");
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"groups\":[");
	for (i = 0; i < p->ngroups; i++) {
		const struct group *g = &p->groups[i];
		size_t j;

		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, g->id);
		buf_puts(&b, ",\"title\":");
		jstr(&b, g->title);
		buf_puts(&b, ",\"any_of\":[");
		for (j = 0; j < g->nmembers; j++) {
			if (j)
				buf_putc(&b, ',');
			jstr(&b, p->criteria[g->members[j]].id);
		}
		buf_puts(&b, "],\"obligation\":");
		json_obligations(&b, p, g->ob, level);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"risks\":[");
	for (i = 0; i < p->nrisks; i++) {
		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, p->risks[i].id);
		buf_puts(&b, ",\"title\":");
		jstr(&b, p->risks[i].title);
		buf_puts(&b, ",\"options\":");
		jstrs(&b, p->risks[i].options, p->risks[i].noptions);
		buf_puts(&b, ",\"obligation\":");
		json_obligations(&b, p, p->risks[i].ob, level);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"prohibitions\":[");
	for (i = 0; i < p->nprohibitions; i++) {
		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, p->prohibitions[i].id);
		buf_puts(&b, ",\"text\":");
		jstr(&b, p->prohibitions[i].text);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"exemptions\":[");
	for (i = 0; i < p->nexemptions; i++) {
		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, p->exemptions[i].id);
		buf_puts(&b, ",\"text\":");
		jstr(&b, p->exemptions[i].text);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"procedures\":[");
	for (i = 0; i < p->nprocedures; i++) {
		const struct procedure *r = &p->procedures[i];
		size_t j;

		buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
		jstr(&b, r->id);
		buf_puts(&b, ",\"levels\":[");
		for (j = 0; j < r->nlevels; j++) {
			if (j)
				buf_putc(&b, ',');
			jstr(&b, p->levels[r->levels[j]].id);
		}
		buf_puts(&b, "],\"forms\":");
		jstrs(&b, r->forms, r->nforms);
		buf_puts(&b, ",\"approver\":");
		jstr(&b, r->approver);
		buf_puts(&b, ",\"consultees\":");
		jstrs(&b, r->consultees, r->nconsultees);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}");
	flush(&b);
	return EXIT_OK;
}

static const char *ob_cell(struct arena *a, const struct policy *p, const uint8_t *ob, long level)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	if (level >= 0)
		return obligation_ja(ob[level]);
	for (i = 0; i < p->nlevels; i++)
		buf_printf(&b, "%s%s:%s", i ? " " : "", p->levels[i].id, obligation_ja(ob[i]));
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
		const struct criterion *c = &p->criteria[i];
		const char *row[6] = { c->id, c->category ? c->category : "", c->title,
		                       ob_cell(a, p, c->ob, level), c->check ? "自動" : "確認",
		                       phase_ja(c->phase) };

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
			const struct group *g = &p->groups[i];
			struct buf b = BUF_INIT;
			const char *row[4];
			size_t j;

			for (j = 0; j < g->nmembers; j++)
				buf_printf(&b, "%s%s", j ? " | " : "", p->criteria[g->members[j]].id);
			row[0] = g->id;
			row[1] = arena_strndup(a, buf_str(&b), b.len);
			row[2] = g->title;
			row[3] = ob_cell(a, p, g->ob, level);
			buf_free(&b);
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
			const struct risk *r = &p->risks[i];
			struct buf b = BUF_INIT;
			const char *row[4];
			size_t j;

			for (j = 0; j < r->noptions; j++)
				buf_printf(&b, "%s%s", j ? " / " : "", r->options[j]);
			row[0] = r->id;
			row[1] = r->title;
			row[2] = arena_strndup(a, buf_str(&b), b.len);
			row[3] = ob_cell(a, p, r->ob, level);
			buf_free(&b);
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
		const struct procedure *r = &p->procedures[i];
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
				diag_add(&d, files[i], 1, 1, "no such file");
				bad++;
				continue;
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

static const char *type_text(struct arena *a, const struct fact *f)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	buf_puts(&b, type_ja[f->type]);
	if (f->type == FT_LIST)
		buf_printf(&b, "（%s）", type_ja[f->item_type]);
	if (f->unit)
		buf_printf(&b, "（%s）", f->unit);
	if (f->nvalues) {
		buf_puts(&b, ": ");
		for (i = 0; i < f->nvalues; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", f->values[i]);
	}
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int in_group(const struct vocab *v, const struct fact *f, size_t g)
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
	const struct vocab *v = set->vocab;
	size_t g, i, j;

	if (!strcmp(format, "json")) {
		struct buf b = BUF_INIT;

		buf_putc(&b, '[');
		for (i = 0; i < v->n; i++) {
			const struct fact *f = &v->facts[i];

			buf_puts(&b, i ? ",{\"path\":" : "{\"path\":");
			jstr(&b, f->path);
			buf_puts(&b, ",\"type\":");
			jstr(&b, fact_type_name(f->type));
			if (f->type == FT_LIST) {
				buf_puts(&b, ",\"items\":");
				jstr(&b, fact_type_name(f->item_type));
			}
			if (f->nvalues) {
				buf_puts(&b, ",\"values\":");
				jstrs(&b, f->values, f->nvalues);
			}
			buf_puts(&b, ",\"group\":");
			jstr(&b, f->group);
			buf_puts(&b, ",\"label\":");
			jstr(&b, f->label);
			buf_puts(&b, ",\"label_en\":");
			jstr(&b, f->label_en);
			buf_puts(&b, ",\"help\":");
			jstr(&b, f->help);
			buf_putc(&b, '}');
		}
		buf_putc(&b, ']');
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
				const struct fact *f = &v->facts[i];

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
static const struct group *group_of(const struct policy *p, size_t i, long level)
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
		const struct criterion *c = &p->criteria[i];
		const struct group *g = group_of(p, i, level);
		int ob = c->ob[level];

		if (!(c->topics & (1u << t)) || ob == OB_NA)
			continue;
		if (g) {
			/* one way among alternatives: not a demand on its own */
			if (ob > OB_RECOMMENDED)
				ob = OB_RECOMMENDED;
			buf_printf(&b, "%s%s %s（%s の選択肢）", b.len ? "\n" : "", c->id, c->title, g->id);
		} else {
			buf_printf(&b, "%s%s %s（%s）", b.len ? "\n" : "", c->id, c->title, obligation_ja(ob));
		}
		if (ob > best)
			best = ob;
	}
	for (i = 0; i < p->nrisks; i++) {
		const struct risk *r = &p->risks[i];

		if (!(r->topics & (1u << t)) || r->ob[level] == OB_NA)
			continue;
		buf_printf(&b, "%s%s %s（リスク判断）", b.len ? "\n" : "", r->id, r->title);
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
	struct table tab;
	static const char *head[4];
	char ha[160], hb[160];

	if (ia < 0 || ib < 0) {
		cli_error("diff: '%s' is not a level of %s (levels: %s)", ia < 0 ? la : lb,
		          ia < 0 ? pa->id : pb->id, levels_text(a, ia < 0 ? pa : pb));
		return EXIT_USAGE;
	}
	if (json)
		buf_puts(&b, "{\"a\":{\"policy\":"), jstr(&b, pa->id), buf_puts(&b, ",\"level\":"),
		jstr(&b, pa->levels[ia].id), buf_puts(&b, "},\"b\":{\"policy\":"), jstr(&b, pb->id),
		buf_puts(&b, ",\"level\":"), jstr(&b, pb->levels[ib].id), buf_puts(&b, "},\"topics\":[");
	snprintf(ha, sizeof(ha), "%s（%s）", pa->body, pa->levels[ia].id);
	snprintf(hb, sizeof(hb), "%s（%s）", pb->body, pb->levels[ib].id);
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
			buf_puts(&b, b.data[b.len - 1] == '[' ? "{\"topic\":" : ",{\"topic\":");
			jstr(&b, policy_topics[t]);
			buf_puts(&b, ",\"a\":");
			jstr(&b, obligation_name(oa));
			buf_puts(&b, ",\"b\":");
			jstr(&b, obligation_name(ob));
			buf_puts(&b, ",\"a_items\":");
			jstr(&b, ta);
			buf_puts(&b, ",\"b_items\":");
			jstr(&b, tb);
			buf_puts(&b, ",\"comparison\":");
			jstr(&b, cmp_en);
			buf_putc(&b, '}');
		}
	}
	if (json) {
		buf_printf(&b, "],\"summary\":{\"same\":%zu,\"a_stricter\":%zu,\"b_stricter\":%zu}}", same, astr, bstr);
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
				cli_error("policy: %s needs a value", argv[i]);
				return EXIT_USAGE;
			}
			*opt = argv[++i];
			continue;
		}
		if (npos == (int)(sizeof(pos) / sizeof(pos[0]))) {
			cli_error("policy: too many arguments");
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
			cli_error("policy facts: unexpected argument '%s'", pos[0]);
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
		rc = npos ? (cli_error("policy list: unexpected argument '%s'", pos[0]), EXIT_USAGE)
		          : do_list(&a, set, json);
	} else if (!strcmp(sub, "show")) {
		const struct policy *p;
		long li = -1;

		if (npos != 1) {
			cli_error("policy show: give one pack id (see 'shinsa policy list')");
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
			cli_error("policy show: '%s' is not a level of %s (levels: %s)", level, p->id, levels_text(&a, p));
			rc = EXIT_USAGE;
			goto out;
		}
		rc = json ? show_json(p, li) : show_table(&a, p, li);
	} else {
		const struct policy *pa, *pb;

		if (npos != 2) {
			cli_error("policy diff: give two pack ids, A and B");
			rc = EXIT_USAGE;
			goto out;
		}
		pa = policy_find(set, pos[0]);
		pb = policy_find(set, pos[1]);
		if (!pa || !pb) {
			cli_error("policy diff: no pack '%s' (see 'shinsa policy list')", !pa ? pos[0] : pos[1]);
			rc = EXIT_USAGE;
			goto out;
		}
		rc = do_diff(&a, pa, pb, la, lb, json);
	}
out:
	arena_release(&a);
	return rc;
}
