/* Tests for the policy loader's pieces: the vocabulary loaded from a folder,
 * a minimal pack from text, what policy_set_open leaves on failure, the show
 * and diff models (with the rule for which side is stricter), and the topic
 * labels. argv[1] is the bundled policies folder (for the real vocabulary
 * and reference lists). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	assert_true(fmt_snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char vocab[] =
	"groups:\n"
	"  - {id: svc, label: サービス, label_en: The service}\n"
	"facts:\n"
	"  svc.model: {type: enum, values: [iaas, saas], value_labels: {saas: SaaS}, label: 形態, label_en: Model, help: どれか}\n"
	"  svc.users: {type: integer, min: 0, max: 100, unit: 人, label: 利用者, label_en: Users, help: 人数}\n"
	"  svc.regions: {type: list, items: country, label: 国, label_en: Countries, help: 国コード}\n";

static void test_vocab_load(void **state)
{
	char dir[] = "/tmp/shinsa-test-vocab-XXXXXX";
	struct policy_set *s = (struct policy_set *)1;
	struct diag d = { 0 };
	const struct policy_fact *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "vocabulary.yaml", vocab);
	write_file(dir, "facts-x.yaml", "facts:\n  svc.extra: {type: bool, label: 追加, label_en: Extra, help: はい}\n");
	assert_int_equal(policy_set_open(&A, dir, &s, &d), OK);
	assert_int_equal(d.n, 0);
	assert_int_equal(s->vocab->n, 4);
	assert_int_equal(s->vocab->ngroups, 1);
	assert_int_equal(s->nfiles, 2);
	f = policy_vocab_find(s->vocab, "svc.model", 9);
	assert_non_null(f);
	assert_int_equal(f->type, FT_ENUM);
	assert_int_equal(f->nvalues, 2);
	assert_null(f->value_labels[0]);
	assert_string_equal(f->value_labels[1], "SaaS");
	f = policy_vocab_find(s->vocab, "svc.users", 9);
	assert_true(f->has_min && f->has_max && f->max == 100);
	assert_string_equal(f->unit, "人");
	f = policy_vocab_find(s->vocab, "svc.regions", 11);
	assert_int_equal(f->type, FT_LIST);
	assert_int_equal(f->item_type, FT_COUNTRY);
	assert_true(policy_vocab_find(s->vocab, "svc.extra", 9)->added == 0);
	assert_true(policy_vocab_has_prefix(s->vocab, "svc", 3));
	assert_false(policy_vocab_has_prefix(s->vocab, "sv", 2));
	assert_null(policy_vocab_find(s->vocab, "svc.nope", 8));

	/* a mistake in a facts file: the set is refused, and said where */
	write_file(dir, "facts-y.yaml", "facts:\n  svc.model: {type: bool, label: a, label_en: b, help: c}\n");
	s = (struct policy_set *)1;
	assert_int_equal(policy_set_open(&A, dir, &s, &d), ERR_INVALID);
	assert_null(s);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].line, 2);
	assert_int_equal(d.items[0].col, 3);
	assert_non_null(strstr(d.items[0].msg, "defined twice"));
	diag_free(&d);
}

/* policy_set_open leaves its out parameter NULL on every failure. */
static void test_set_open_fails(void **state)
{
	struct policy_set *s = (struct policy_set *)1;
	struct diag d = { 0 };

	(void)state;
	assert_int_equal(policy_set_open(&A, "/nonexistent/shinsa", &s, &d), ERR_NOTFOUND);
	assert_null(s);
	s = (struct policy_set *)1;
	assert_int_equal(policy_set_open(&A, "/etc/hostname", &s, &d), ERR_NOTFOUND);
	assert_null(s);
	s = (struct policy_set *)1;
	assert_int_equal(policy_set_open(&A, "/tmp", &s, &d), ERR_INVALID);   /* no vocabulary.yaml */
	assert_null(s);
	assert_null(policy_set_env(NULL));
	assert_non_null(policy_set_env(set));
	assert_non_null(policy_set_list(set, "cryptrec.recommended"));
	assert_null(policy_set_list(set, "cryptrec.nosuch"));
	diag_free(&d);
}

/* A pack with two levels, a checked criterion, a manual one and a group. */
static const char pack_a[] =
	"pack: {id: a, body: 甲市, title: 基準, version: '1', effective: 2025-04-01, source: {title: 原典}}\n"
	"levels:\n"
	"  - {id: I, name: 重要}\n"
	"  - {id: II, name: 普通}\n"
	"criteria:\n"
	"  - id: '1'\n"
	"    title: 準拠法\n"
	"    requirement: 日本法\n"
	"    phase: contract\n"
	"    topics: [law]\n"
	"    levels: {I: required, II: recommended}\n"
	"    check: {'==': [{var: legal.governing_law}, JP]}\n"
	"  - id: '2'\n"
	"    title: 確認\n"
	"    requirement: 人が確かめる\n"
	"    phase: build\n"
	"    topics: [mfa]\n"
	"    levels: {I: required}\n"
	"    manual: {options: [確認済, 未確認], met: [確認済]}\n"
	"  - id: '3'\n"
	"    title: 暗号\n"
	"    requirement: 暗号化\n"
	"    phase: selection\n"
	"    topics: [encryption-transit]\n"
	"    levels: {I: required}\n"
	"    check: {'shinsa.in_list': [{var: crypto.transit.algorithms}, cryptrec.recommended]}\n"
	"procedures:\n"
	"  - {id: p, levels: [I, II], approver: 課長, on_unmet: consultation}\n";

/* The same topics, weaker: law only recommended, mfa nowhere, and
 * encryption one alternative of a group (which counts as recommended). */
static const char pack_b[] =
	"pack: {id: b, body: 乙町, title: 基準, version: '2', effective: null, source: {title: 原典}}\n"
	"levels:\n"
	"  - {id: S, name: 対象外, governed: false}\n"
	"  - {id: X, name: 全部}\n"
	"criteria:\n"
	"  - {id: '1', title: 準拠法, requirement: 日本法, phase: contract, topics: [law], levels: {X: recommended},\n"
	"     check: {var: legal.governing_law}}\n"
	"  - {id: '2-1', title: 暗号, requirement: 暗号化, phase: selection, topics: [encryption-transit],\n"
	"     levels: {X: required}, check: {var: crypto.transit.algorithms}}\n"
	"  - {id: '2-2', title: 代替, requirement: 代わり, phase: selection, levels: {X: required},\n"
	"     manual: {options: [はい, いいえ], met: [はい]}}\n"
	"groups:\n"
	"  - {id: '2', title: 2-1 か 2-2, any_of: ['2-1', '2-2'], levels: {X: required}}\n"
	"procedures:\n"
	"  - {id: p, levels: [X], approver: 係長, on_unmet: reject}\n";

static struct policy *load(const char *name, const char *text)
{
	struct diag d = { 0 };
	struct policy *p = NULL;
	size_t i;

	if (policy_load_text(&A, set, name, text, strlen(text), &p, &d) != OK) {
		for (i = 0; i < d.n; i++)
			print_error("%s\n", d.items[i].text);
		fail_msg("%s does not load", name);
	}
	diag_free(&d);
	return p;
}

/* The procedure's pieces as loaded: a point, unspecified, a consultation's
 * exemptions, steps, a review's trigger and condition, a criterion's stage. */
static const char pack_proc[] =
	"pack: {id: c, body: 丙村, title: 手続, version: '1', effective: null, source: {title: 原典}}\n"
	"levels: [{id: I, name: 一}]\n"
	"criteria:\n"
	"  - {id: '1', title: 削除, requirement: 削除した, phase: termination, stage: end-of-use, on_unmet: consultation,\n"
	"     levels: {I: required}, manual: {options: [済], met: [済]}}\n"
	"  - {id: '2', title: 法, requirement: 日本法, phase: contract, levels: {I: required}, check: {var: legal.governing_law}}\n"
	"exemptions: [{id: e, text: 除外, when: {var: service.lgwan_asp}, scope: ['2']}]\n"
	"procedures:\n"
	"  - id: p\n"
	"    levels: [I]\n"
	"    applicant: unspecified\n"
	"    approver: {who: 統括責任者, act: 許可, ref: '5.1'}\n"
	"    consultations: [{id: k, with: 補佐官, through: 管理者, stage: [企画段階, 予算要求段階], deadline: unspecified, unless_exempt: [e]}]\n"
	"    lead_time: unspecified\n"
	"    on_unmet: {action: reject, ref: '2(1)'}\n"
	"    steps: [{id: s, text: 指名, actor: unspecified, at: after-approval, optional: true}]\n"
	"    reviews:\n"
	"      - {id: r, title: 訓練, cycle: unspecified, events: [{event: provider-change-notice, ref: ク}], criteria: ['1'],\n"
	"         when: {var: service.public_cloud}}\n"
	"    ledger_fields: unspecified\n"
	"    end_of_use: [{id: x, text: 報告, actor: 責任者}]\n";

static void test_procedure_parts(void **state)
{
	struct policy *p = load("c.yaml", pack_proc);
	const struct policy_procedure *r = &p->procedures[0];
	const struct lval *m, *pr;

	(void)state;
	assert_int_equal(p->criteria[0].stage, ST_END_OF_USE);
	assert_int_equal(p->criteria[0].on_unmet, UNMET_CONSULT);
	assert_int_equal(p->criteria[1].stage, ST_APPLICATION);
	assert_int_equal(p->criteria[1].on_unmet, -1);
	assert_true(r->applicant.unspecified);
	assert_string_equal(r->approver, "統括責任者");
	assert_string_equal(r->approval.act, "許可");
	assert_int_equal(r->nconsults, 1);
	assert_string_equal(r->consults[0].with[0], "補佐官");
	assert_int_equal(r->consults[0].nstages, 2);
	assert_true(r->consults[0].deadline_unspecified);
	assert_int_equal(r->consults[0].nunless_exempt, 1);
	assert_int_equal(r->nconsultees, 1);               /* made from the consultations */
	assert_true(r->lead_time.unspecified);
	assert_int_equal(r->on_unmet, UNMET_REJECT);
	assert_string_equal(r->on_unmet_ref, "2(1)");
	assert_null(r->steps[0].actor);
	assert_int_equal(r->steps[0].at, AT_AFTER_APPROVAL);
	assert_true(r->steps[0].optional);
	assert_int_equal(r->reviews[0].cycle_months, -1);
	assert_int_equal(r->reviews[0].events[0].event, EV_PROVIDER_CHANGE_NOTICE);
	assert_int_equal(r->reviews[0].ncriteria, 1);
	assert_non_null(r->reviews[0].when);
	assert_true(r->ledger_unspecified);
	assert_string_equal(r->end_of_use[0].actor, "責任者");
	/* policy show: the same, with unspecified as such */
	m = policy_show_model(&A, p, -1);
	pr = vb_get(m, "procedures")->u.arr[0];
	assert_string_equal(vb_get_str(vb_get(pr, "applicant"), "who", ""), "unspecified");
	assert_string_equal(vb_get_str(pr, "ledger_fields", ""), "unspecified");
	assert_string_equal(vb_get_str(vb_get(pr, "steps")->u.arr[0], "actor", ""), "unspecified");
	assert_string_equal(vb_get_str(vb_get(m, "criteria")->u.arr[0], "stage", ""), "end-of-use");
	assert_string_equal(vb_get_str(vb_get(vb_get(m, "criteria")->u.arr[0], "answers"), "kind", ""), "manual");
}

static void test_load_text(void **state)
{
	struct policy *p = load("a.yaml", pack_a), *q = NULL;
	struct diag d = { 0 };
	static const char bad[] = "pack: {id: a}\nlevels: []\ncriteria: []\nprocedures: []\nextra: 1\n";

	(void)state;
	assert_string_equal(p->id, "a");
	assert_int_equal(p->nlevels, 2);
	assert_int_equal(p->ncriteria, 3);
	assert_non_null(p->criteria[0].check);
	assert_int_equal(p->criteria[0].check->npaths, 1);
	assert_string_equal(p->criteria[0].check->paths[0], "legal.governing_law");
	assert_true(p->criteria[0].check->positive);
	assert_int_equal(p->criteria[0].ob[0], OB_REQUIRED);
	assert_int_equal(p->criteria[0].ob[1], OB_RECOMMENDED);
	assert_int_equal(p->criteria[0].topics, 1u << policy_topic_index("law"));
	assert_null(p->criteria[1].check);
	assert_int_equal(p->criteria[1].manual->nmet, 1);
	assert_int_equal(p->criteria[0].at.line, 6);
	assert_int_equal(policy_level_index(p, "II"), 1);
	assert_int_equal(policy_level_index(p, "III"), -1);

	/* refused whole, with every mistake at its place */
	assert_int_equal(policy_load_text(&A, set, "bad.yaml", bad, strlen(bad), &q, &d), ERR_INVALID);
	assert_null(q);
	assert_true(d.n >= 2);
	assert_string_equal(d.items[0].file, "bad.yaml");
	diag_free(&d);
}

static const char *str(const struct lval *v)
{
	assert_non_null(v);
	assert_int_equal(v->type, LV_STR);
	return v->u.str;
}

static void test_show_model(void **state)
{
	struct policy *p = load("a.yaml", pack_a);
	const struct lval *m = policy_show_model(&A, p, -1), *c, *ob, *lv;

	(void)state;
	assert_string_equal(vb_get_str(m, "id", ""), "a");
	assert_string_equal(vb_get_str(m, "body", ""), "甲市");
	assert_int_equal(vb_get(m, "level")->type, LV_NULL);
	lv = vb_get(m, "levels");
	assert_int_equal(lv->n, 2);
	assert_string_equal(vb_get_str(lv->u.arr[1], "name", ""), "普通");
	c = vb_get(m, "criteria")->u.arr[0];
	assert_string_equal(vb_get_str(c, "phase", ""), "contract");
	assert_string_equal(str(vb_get(c, "topics")->u.arr[0]), "law");
	ob = vb_get(c, "obligation");
	assert_int_equal(ob->type, LV_OBJ);
	assert_string_equal(vb_get_str(ob, "I", ""), "required");
	assert_string_equal(vb_get_str(ob, "II", ""), "recommended");
	assert_int_equal(vb_get(c, "check")->type, LV_OBJ);
	assert_int_equal(vb_get(c, "manual")->type, LV_NULL);
	c = vb_get(m, "criteria")->u.arr[1];
	assert_int_equal(vb_get(c, "check")->type, LV_NULL);
	assert_string_equal(str(vb_get(c, "manual")->u.arr[0]), "確認済");
	assert_string_equal(vb_get_str(vb_get(m, "procedures")->u.arr[0], "approver", ""), "課長");

	/* at one level, an obligation is a name */
	m = policy_show_model(&A, p, 1);
	assert_string_equal(vb_get_str(m, "level", ""), "II");
	assert_string_equal(vb_get_str(vb_get(m, "criteria")->u.arr[0], "obligation", ""), "recommended");
	assert_string_equal(vb_get_str(vb_get(m, "criteria")->u.arr[1], "obligation", ""), "not-applicable");
}

static const struct lval *topic_row(const struct lval *m, const char *topic)
{
	const struct lval *ts = vb_get(m, "topics");
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (!strcmp(vb_get_str(ts->u.arr[i], "topic", ""), topic))
			return ts->u.arr[i];
	return NULL;
}

static void test_diff_model(void **state)
{
	struct policy *pa = load("a.yaml", pack_a), *pb = load("b.yaml", pack_b);
	const struct lval *m, *r;
	struct err e;

	(void)state;
	/* the rule itself */
	assert_int_equal(policy_diff_compare(OB_REQUIRED, OB_REQUIRED), POLICY_SAME);
	assert_int_equal(policy_diff_compare(OB_REQUIRED, OB_RECOMMENDED), POLICY_A_STRICTER);
	assert_int_equal(policy_diff_compare(OB_NA, OB_OPTIONAL), POLICY_B_STRICTER);

	/* levels default to the first governed one: I for a, X for b (S is not governed) */
	assert_int_equal(policy_diff_model(&A, pa, NULL, pb, NULL, &m, &e), OK);
	assert_string_equal(vb_get_str(vb_get(m, "a"), "level", ""), "I");
	assert_string_equal(vb_get_str(vb_get(m, "b"), "level", ""), "X");
	r = topic_row(m, "law");
	assert_string_equal(vb_get_str(r, "a", ""), "required");
	assert_string_equal(vb_get_str(r, "b", ""), "recommended");
	assert_string_equal(vb_get_str(r, "comparison", ""), "a-stricter");
	/* only a speaks of mfa */
	r = topic_row(m, "mfa");
	assert_string_equal(vb_get_str(r, "b", ""), "not-applicable");
	assert_string_equal(vb_get_str(r, "b_items", ""), "—");
	assert_string_equal(policy_diff_label_ja("a-stricter", "required", "not-applicable"), "A のみ要求");
	/* b's required encryption item is one alternative of a group: recommended */
	r = topic_row(m, "encryption-transit");
	assert_string_equal(vb_get_str(r, "b", ""), "recommended");
	assert_string_equal(vb_get_str(r, "comparison", ""), "a-stricter");
	assert_non_null(strstr(vb_get_str(r, "b_items", ""), "2 の選択肢"));
	assert_null(topic_row(m, "backup"));    /* neither side: no row */
	assert_true(vb_get(vb_get(m, "summary"), "a_stricter")->u.num == 3);
	assert_true(vb_get(vb_get(m, "summary"), "same")->u.num == 0);

	/* at a's level II, law is recommended on both sides */
	assert_int_equal(policy_diff_model(&A, pa, "II", pb, "X", &m, &e), OK);
	assert_string_equal(vb_get_str(topic_row(m, "law"), "comparison", ""), "same");
	assert_null(topic_row(m, "mfa"));
	assert_string_equal(policy_diff_label_ja("same", "recommended", "recommended"), "同等");

	/* an unknown level names the pack and its levels, in both languages */
	m = (const struct lval *)1;
	assert_int_equal(policy_diff_model(&A, pa, "I", pb, "Q", &m, &e), ERR_NOTFOUND);
	assert_null(m);
	assert_non_null(strstr(e.msg, "'Q' is not a level of b (levels: S(対象外), X)"));
	assert_non_null(strstr(e.msg, "（区分: S(対象外), X）"));
}

static void test_topics(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(policy_ntopics, 29);
	for (i = 0; i < policy_ntopics; i++) {
		assert_non_null(policy_topic(i));
		assert_string_equal(policy_topic(i)->name, policy_topics[i]);
		assert_true(*policy_topic(i)->ja && *policy_topic(i)->en);
		assert_int_equal(policy_topic_index(policy_topics[i]), (long)i);
	}
	assert_null(policy_topic(policy_ntopics));
	assert_string_equal(policy_topic_ja((size_t)policy_topic_index("encryption-transit")), "通信の暗号化");
	assert_int_equal(policy_topic_index("nope"), -1);
	assert_int_equal(policy_obligation_of("recommended"), OB_RECOMMENDED);
	assert_int_equal(policy_obligation_of("nope"), -1);
	assert_int_equal(policy_phase_of("termination"), PH_TERMINATION);
	assert_int_equal(policy_fact_type_of("country"), FT_COUNTRY);
	assert_string_equal(policy_fact_type_ja(FT_BOOL), "はい／いいえ");
}

static void test_list_facts_models(void **state)
{
	struct diag d = { 0 };
	struct policy_set *s;
	const struct lval *m, *f;

	(void)state;
	assert_int_equal(policy_set_open(&A, policies, &s, &d), OK);
	assert_int_equal(policy_set_load_packs(&A, s, &d), OK);
	m = policy_list_model(&A, s);
	assert_int_equal(m->type, LV_ARR);
	assert_int_equal(m->n, s->npacks);
	assert_int_equal(vb_get(m->u.arr[0], "levels")->type, LV_ARR);
	m = policy_facts_model(&A, s->vocab);
	assert_int_equal(m->n, s->vocab->n);
	f = m->u.arr[0];
	assert_string_equal(vb_get_str(f, "path", ""), s->vocab->facts[0].path);
	assert_non_null(vb_get(f, "group_label"));
	assert_int_equal(vb_get(f, "added")->type, LV_BOOL);
	diag_free(&d);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vocab_load),
		cmocka_unit_test(test_set_open_fails),
		cmocka_unit_test(test_load_text),
		cmocka_unit_test(test_show_model),
		cmocka_unit_test(test_diff_model),
		cmocka_unit_test(test_topics),
		cmocka_unit_test(test_list_facts_models),
		cmocka_unit_test(test_procedure_parts),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_policy POLICIES_DIR\n");
		return 2;
	}
	policies = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
