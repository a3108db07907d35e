/* Tests for the forms (src/policy/policy_forms.c): a form with its header,
 * fields, a checklist section with columns, verbatim cells and answer boxes,
 * and rows tied to what they report; `paper:`; the check that a decision
 * the pack asks for has a row on its level's body form; and the show
 * model's `forms` and `paper`. Then the bundled packs: 安城 様式第2 as the
 * paper has it, 仙台 別表2's cells, the ward's 補足説明, 神戸's report.
 * argv[1] is the bundled policies folder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"
#include "logic/vb.h"
#include "policy/policy.h"

static const char *policies;
static struct arena A;
static struct policy_set *set;

static int setup(void **state)
{
	struct diag d = { 0 };

	(void)state;
	arena_init(&A, 1 << 16);
	if (policy_set_open(&A, policies, &set, &d) != OK)
		return -1;
	diag_free(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&A);
	return 0;
}

#define HEAD \
	"pack: {id: f, body: 甲市, title: 基準, version: \"1\", effective: null, source: {title: 基準}}\n" \
	"levels:\n  - {id: I, name: 重要}\n  - {id: II, name: 普通}\n" \
	"criteria:\n" \
	"  - {id: \"1\", title: 法, requirement: 日本法。, phase: contract, levels: {I: required, II: required}, check: {var: legal.governing_law}}\n" \
	"  - {id: \"2\", title: 確認, requirement: 確認する。, phase: build, levels: {I: required}, manual: {options: [確認済, 不適合], met: [確認済]}}\n" \
	"risks:\n" \
	"  - {id: R1, title: 漏えい, text: 漏えいのリスク。, levels: {I: required}, options: [受容可, 受容否], accept: [受容可]}\n" \
	"procedures:\n" \
	"  - {id: p, levels: [I, II], forms: [f2], approver: 課長, on_unmet: consultation}\n"

static const char form_ok[] = HEAD
	"paper: {forms: listed, ledger: none, text: 様式第2を提出する。}\n"
	"forms:\n"
	"  - id: f2\n"
	"    title: 様式第２\n"
	"    name: 確認事項\n"
	"    subtitle: （Ⅰの場合）\n"
	"    body_form: true\n"
	"    header:\n"
	"      - {id: date, label: 令和　年　月　日, input: date}\n"
	"      - {id: ki, text: 記}\n"
	"    fields:\n"
	"      - {id: name, label: 利用サービスの名称, fact: service.name}\n"
	"      - {id: cls, label: 重要性分類, boxes: [重要性分類Ⅰ, 重要性分類Ⅱ], fact: app.classification}\n"
	"    sections:\n"
	"      - id: risks\n"
	"        title: １　リスク確認事項\n"
	"        columns:\n"
	"          - {id: \"no\", title: \"No\"}\n"
	"          - {id: text, title: 考慮すべきリスク}\n"
	"          - {id: answer, title: リスク受容可否, answer: true}\n"
	"        rows:\n"
	"          - {id: r1, reports: [R1], cells: {no: \"１\", text: 漏えいするリスク。, answer: [受容可, 受容否]}}\n"
	"      - id: checks\n"
	"        title: ２　確認事項\n"
	"        columns:\n"
	"          - {id: text, title: 確認事項}\n"
	"          - {id: I, title: 重要性分類I, level: I}\n"
	"          - {id: answer, title: 確認結果, answer: true}\n"
	"        rows:\n"
	"          - {id: c1, reports: [\"1\"], cells: {text: 日本法であること。, I: 必須, answer: [確認済（不適切と考えられるものなし）]}}\n"
	"          - {id: c2, reports: [\"2\"], cells: {text: 確認すること。}}\n"
	"        footnotes: [※原則として必須。]\n";

static struct policy *load(const char *text, struct diag *d)
{
	struct policy *p = NULL;

	if (policy_load_text(&A, set, "f.yaml", text, strlen(text), &p, d) != OK)
		return NULL;
	return p;
}

static int has_msg(const struct diag *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].text, needle))
			return 1;
	return 0;
}

static void test_load(void **state)
{
	struct diag d = { 0 };
	struct policy *p = load(form_ok, &d);
	const struct policy_form *f;
	const struct policy_form_section *s;

	(void)state;
	assert_int_equal(d.n, 0);
	assert_non_null(p);
	assert_int_equal(p->nforms, 1);
	f = &p->forms[0];
	assert_true(f->body_form);
	assert_string_equal(f->subtitle, "（Ⅰの場合）");
	assert_int_equal(f->nheader, 2);
	assert_string_equal(f->header[1].text, "記");
	assert_int_equal(f->nfields, 2);
	assert_int_equal(f->fields[1].nboxes, 2);
	assert_int_equal(f->nsections, 2);
	s = &f->sections[0];
	assert_int_equal(s->ncolumns, 3);
	assert_true(s->columns[2].answer);
	assert_int_equal(s->nrows, 1);
	assert_string_equal(s->rows[0].cells[1], "漏えいするリスク。");
	assert_null(s->rows[0].cells[2]);
	assert_int_equal(s->rows[0].nboxes[2], 2);
	assert_int_equal(s->nitems, 1);
	assert_string_equal(s->items[0], "R1");
	s = &f->sections[1];
	assert_int_equal(s->columns[1].level, 0);
	assert_int_equal(s->nfootnotes, 1);
	assert_true(p->paper.has && p->paper.forms && !p->paper.ledger);
	diag_free(&d);
}

/* Replace the first `from` in form_ok by `to`. */
static const char *variant(const char *from, const char *to)
{
	const char *at = strstr(form_ok, from);
	size_t n = strlen(form_ok) - strlen(from) + strlen(to) + 1;
	char *s = arena_alloc(&A, n);

	assert_non_null(at);
	memcpy(s, form_ok, (size_t)(at - form_ok));
	memcpy(s + (at - form_ok), to, strlen(to));
	memcpy(s + (at - form_ok) + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	return s;
}

static void test_mistakes(void **state)
{
	static const struct { const char *from, *to, *msg; } cases[] = {
		{ "reports: [R1]", "reports: [R9]", "'reports' names 'R9', which is not a criterion, group or risk" },
		{ "reports: [R1]", "reports: [R1, R1]", "'reports' names 'R1' twice" },
		{ "id: r1, reports", "id: c1, reports", NULL },     /* row ids are per section */
		{ "{id: c2, reports", "{id: c1, reports", "duplicate row id 'c1'" },
		{ "cells: {no: \"１\"", "cells: {nr: \"１\"", "'nr' is not a column of this section" },
		{ "text: 漏えいするリスク。", "text: [漏えいするリスク。]", "column 'text' is not an answer column" },
		{ "    body_form: true\n", "", "a form lacks the required key 'body_form'" },
		{ "    body_form: true\n", "    body_form: 1\n", "body_form must be true or false" },
		{ "level: I}", "level: IV}", "'IV' is not a level of this pack" },
		{ "{id: \"no\", title: \"No\"}", "{id: \"no\", title: \"No\", width: 3}", "unknown key 'width' in a column" },
		{ "{id: date, label: 令和　年　月　日, input: date}", "{id: date, label: 日付}", "form field 'date' names nothing" },
		{ "{id: ki, text: 記}", "{id: date, text: 記}", "duplicate form field id 'date'" },
		{ "{id: ki, text: 記}", "{id: ki, input: text}", "form field 'ki' needs 'label' or 'text'" },
		{ "forms: listed", "forms: none", "'paper' says the seed has no form, but form 'f2' is marked body_form: true" },
		{ "ledger: none", "ledger: maybe", "'ledger' is listed or none" },
		/* a decision with no row on its level's body form */
		{ "reports: [R1]", "reports: []",
		  "risk 'R1' asks for a decision at level 'I', but no row of that level's form (f2) reports it" },
		{ "{id: c2, reports: [\"2\"], ", "{id: c2, ", "criterion '2' asks for a decision at level 'I'" },
		/* shinsa's own layout is not held to the paper */
		{ "    body_form: true\n    header", "    body_form: false\n    header", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag d = { 0 };
		struct policy *p = load(variant(cases[i].from, cases[i].to), &d);

		if (!cases[i].msg) {
			if (!p || d.n)
				fail_msg("case %zu: %s", i, d.n ? d.items[0].text : "refused");
		} else if (p || !has_msg(&d, cases[i].msg)) {
			fail_msg("case %zu: want '%s', got '%s'", i, cases[i].msg, d.n ? d.items[0].text : "(loaded)");
		}
		diag_free(&d);
	}
	/* a summary box places every criterion, but not a risk */
	{
		struct diag d = { 0 };
		const char *t = variant("      - {id: ki, text: 記}\n", "      - {id: all, label: 基準に対する確認結果, boxes: [確認済み], summary: true}\n");
		const char *at = strstr(t, "{id: c2, reports: [\"2\"], ");
		char *u = arena_strdup(&A, t);

		assert_non_null(at);
		memcpy(u + (at - t), "{id: c2, reports: [], ", strlen("{id: c2, reports: [], "));
		memmove(u + (at - t) + strlen("{id: c2, reports: [], "), u + (at - t) + strlen("{id: c2, reports: [\"2\"], "),
		        strlen(u + (at - t) + strlen("{id: c2, reports: [\"2\"], ")) + 1);
		assert_non_null(load(u, &d));       /* criterion 2 is on the summary box */
		diag_free(&d);
		memset(&d, 0, sizeof(d));
		u = arena_strdup(&A, u);
		at = strstr(u, "reports: [R1]");
		memcpy((char *)at, "reports: [  ]", strlen("reports: [R1]"));
		assert_null(load(u, &d));           /* a risk is not */
		assert_true(has_msg(&d, "risk 'R1' asks for a decision at level 'I'"));
		diag_free(&d);
	}
}

static void test_model(void **state)
{
	struct diag d = { 0 };
	struct policy *p = load(form_ok, &d);
	const struct lval *m, *f, *s, *r, *cells, *paper;

	(void)state;
	assert_non_null(p);
	m = policy_show_model(&A, p, -1);
	paper = vb_get(m, "paper");
	assert_string_equal(vb_get_str(paper, "forms", ""), "listed");
	assert_string_equal(vb_get_str(paper, "ledger", ""), "none");
	f = vb_get(m, "forms")->u.arr[0];
	assert_string_equal(vb_get_str(f, "title", ""), "様式第２");
	assert_int_equal(vb_get(f, "body_form")->b, 1);
	assert_int_equal(vb_get(f, "levels")->n, 2);
	assert_string_equal(vb_get_str(vb_get(f, "header")->u.arr[1], "text", ""), "記");
	assert_string_equal(vb_get_str(vb_get(f, "fields")->u.arr[0], "label", ""), "利用サービスの名称");
	s = vb_get(f, "sections")->u.arr[0];
	assert_string_equal(vb_get_str(vb_get(s, "columns")->u.arr[1], "title", ""), "考慮すべきリスク");
	r = vb_get(s, "rows")->u.arr[0];
	assert_string_equal(vb_get(r, "reports")->u.arr[0]->u.str, "R1");
	cells = vb_get(r, "cells");
	assert_int_equal(cells->n, 3);                 /* every column, in order */
	assert_string_equal(lval_obj_key(cells, 0), "no");
	assert_string_equal(vb_get_str(cells, "text", ""), "漏えいするリスク。");
	assert_string_equal(vb_get(vb_get(cells, "answer"), "boxes")->u.arr[1]->u.str, "受容否");
	s = vb_get(f, "sections")->u.arr[1];
	assert_string_equal(vb_get_str(vb_get(s, "columns")->u.arr[1], "level", ""), "I");
	r = vb_get(s, "rows")->u.arr[1];
	assert_int_equal(vb_get(vb_get(r, "cells"), "answer")->type, LV_NULL);
	assert_string_equal(vb_get(s, "footnotes")->u.arr[0]->u.str, "※原則として必須。");
	diag_free(&d);
}

static const struct policy *pack(const char *id)
{
	struct diag d = { 0 };
	struct policy *p = NULL;
	char path[1024];

	assert_true(fmt_snprintf(path, sizeof(path), "%s/%s.yaml", policies, id) >= 0);
	if (policy_load(&A, set, path, &p, &d) != OK)
		fail_msg("%s: %s", id, d.n ? d.items[0].text : "refused");
	diag_free(&d);
	return p;
}

static const struct policy_form *form(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nforms; i++)
		if (!strcmp(p->forms[i].id, id))
			return &p->forms[i];
	fail_msg("%s has no form %s", p->id, id);
	return NULL;
}

static void test_bundled(void **state)
{
	const struct policy *p = pack("anjo");
	const struct policy_form *f = form(p, "form2");
	const struct policy_form_section *s = &f->sections[0];
	size_t i, rows = 0;

	(void)state;
	/* 安城 様式第2: 5 risks + 12 + 12 + 9 + 2 + 2 rows, headers and boxes as printed */
	for (i = 0; i < f->nsections; i++)
		rows += f->sections[i].nrows;
	assert_int_equal(rows, 42);
	assert_string_equal(s->columns[1].title, "考慮すべきリスク");
	assert_string_equal(s->columns[2].title, "リスク受容可否");
	assert_string_equal(s->rows[0].reports[0], "4-3-2");       /* no row for 第4条第3項(1) */
	assert_string_equal(f->sections[1].columns[2].title, "確認結果");
	assert_string_equal(f->sections[1].rows[0].boxes[2][0], "確認済（不適切と考えられるものなし）");
	assert_string_equal(f->sections[1].rows[2].boxes[2][1], "対応不可（受容する）");
	/* the form's wording, not the article's: 第7条第1項(3)「定めるよう努めること」 */
	assert_non_null(strstr(f->sections[1].rows[2].cells[1], "に定めること。"));
	assert_true(form(p, "form3")->fields[8].summary);
	assert_int_equal(p->risks[0].ob[0], OB_NA);                  /* 4-3-1: no row on the paper */

	/* 仙台 別表2: the cells verbatim, the チェック column */
	p = pack("sendai");
	s = &form(p, "beppyo2")->sections[0];
	assert_string_equal(s->columns[8].title, "チェック");
	assert_true(s->columns[8].answer);
	assert_string_equal(s->rows[4].cells[6], "任意 【要件を満たすことを推奨】");
	assert_string_equal(s->rows[13].cells[5], "※原則必須 N8-1を満たさない場合は、N8-2必須");
	assert_string_equal(s->rows[0].cells[2], "法律について");
	assert_int_equal(s->nfootnotes, 1);

	/* the ward: 補足説明 a column of its own */
	p = pack("tokyo-ward");
	s = &form(p, "checklist")->sections[0];
	assert_string_equal(s->columns[4].title, "補足説明");
	assert_int_equal(s->nrows, 18);
	assert_non_null(s->rows[2].cells[4]);

	/* 神戸: no form in the seed; shinsa's report says so */
	p = pack("kobe");
	assert_true(p->paper.has && !p->paper.forms && !p->paper.ledger);
	assert_false(form(p, "prep")->body_form);
	assert_non_null(strstr(form(p, "prep")->title, "様式ではない"));
	p = pack("otokuni");
	assert_true(p->paper.has && !p->paper.forms && p->paper.ledger);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_bundled),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_forms POLICIES_DIR\n");
		return 2;
	}
	policies = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
