/* Tests for the assessment's rules (DESIGN §2.4) on a small pack written
 * here: statuses, missing facts, answers, groups, risks, exemptions,
 * prohibitions, and the verdict's order of precedence. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "assess/assess.h"
#include "assess/assess_model.h"
#include "assess/country.h"
#include "assess/profile.h"
#include "logic/vb.h"
#include "logic/json.h"

static struct arena A;
static struct policy_set *set;
static struct policy *pack;

static const char pack_yaml[] =
	"pack: {id: t, body: 試験市, title: 試験, version: '1', effective: null, source: {title: 試験}}\n"
	"levels:\n"
	"  - {id: I, name: 一}\n"
	"  - {id: II, name: 二}\n"
	"  - {id: X, name: 対象外, governed: false}\n"
	"criteria:\n"
	"  - {id: law, title: 準拠法, requirement: 日本法, phase: contract, levels: {I: required, II: required},\n"
	"     check: {'==': [{var: legal.governing_law}, JP]}}\n"
	"  - {id: mfa, title: 多要素認証, requirement: MFA, phase: build, levels: {I: required, II: recommended},\n"
	"     check: {var: auth.mfa}, accept_options: {options: [受容する], met: [], accepted: [受容する]}}\n"
	"  - {id: notsaas, title: 非SaaS, requirement: 仮想マシン, phase: build, levels: {I: required},\n"
	"     when: {'!=': [{var: service.model}, saas]}, check: {var: ops.vm_hardening}}\n"
	"  - {id: neg, title: 否定, requirement: ISMAP でないこと, phase: selection, levels: {I: required},\n"
	"     check: {'!': {var: cert.ismap}}}\n"
	"  - {id: hand, title: 確認, requirement: 人が確認, phase: build, levels: {I: required},\n"
	"     manual: {options: [確認済, 対応不可, 該当なし], met: [確認済], accepted: [対応不可], not_applicable: [該当なし]}}\n"
	"  - {id: a1, title: 選択肢1, requirement: 国内, phase: selection, levels: {I: required},\n"
	"     check: {all: [{var: data.regions}, {'==': [{var: ''}, JP]}]}}\n"
	"  - {id: a2, title: 選択肢2, requirement: 同意, phase: selection, levels: {I: required},\n"
	"     check: {var: data.overseas_consent}}\n"
	"  - {id: k2, title: 2 of 3, requirement: 認証 2 つ, phase: selection, levels: {I: optional},\n"
	"     check: {shinsa.at_least: [2, {var: cert.iso27001}, {var: cert.iso27017}, {var: cert.soc2}]}}\n"
	"  - {id: del, title: 消去, requirement: 消去と証明, phase: termination, levels: {I: optional},\n"
	"     check: {and: [{var: deletion.accounts}, {var: deletion.certificate}]}}\n"
	"  - {id: resp, title: 初回応答, requirement: 1時間以内, phase: contract, levels: {I: optional},\n"
	"     check: {'<=': [{var: support.critical_response_hours}, 1]}}\n"
	"  - {id: exp, title: 期限, requirement: 期限が利用期間の後, phase: selection, levels: {I: optional},\n"
	"     check: {shinsa.date: [{var: cert.ismap_expiry}, '>=', {var: app.period_end}]}}\n"
	"  - {id: acl, title: アクセス制御, requirement: 制御, phase: build, levels: {I: optional},\n"
	"     check: {var: auth.access_control}, satisfied_by: [{check: {var: app.public_facing}, note: 公開}]}\n"
	"groups:\n"
	"  - {id: g, title: a1 か a2, any_of: [a1, a2], levels: {I: required}}\n"
	"risks:\n"
	"  - {id: r, title: リスク, text: 漏えい, levels: {II: required}, options: [受容する, 受容しない], accept: [受容する]}\n"
	"prohibitions:\n"
	"  - {id: p, text: 禁止, when: {var: app.mynumber_system}, levels: {I: required, II: required}}\n"
	"exemptions:\n"
	"  - {id: e, text: 除外, when: {var: service.government_led}, scope: all}\n"
	"  - {id: e2, text: 一部除外, when: {var: service.lgwan_asp}, scope: [law]}\n"
	"procedures:\n"
	"  - {id: p1, levels: [I], approver: 課長, consultees: [情報政策課], on_unmet: consultation}\n"
	"  - {id: p2, levels: [II], approver: 課長, on_unmet: reject}\n";

static const struct lval *J(const char *s)
{
	const struct lval *v;
	struct err e;

	if (json_parse(&A, s, strlen(s), &v, &e))
		fail_msg("%s: %s", s, e.msg);
	return v;
}

static const struct assess_finding *finding(const struct assessment *as, const char *id)
{
	size_t i;

	for (i = 0; i < as->nfindings; i++)
		if (!strcmp(as->findings[i].c->id, id))
			return &as->findings[i];
	fail_msg("no finding %s", id);
	return NULL;
}

/* A good service at level I: everything required met but the manual item. */
#define GOOD "\"legal\":{\"governing_law\":\"JP\"},\"auth\":{\"mfa\":true}," \
             "\"service\":{\"model\":\"saas\",\"government_led\":false,\"lgwan_asp\":false}," \
             "\"cert\":{\"ismap\":false},\"data\":{\"regions\":[\"JP\"]},\"app\":{\"mynumber_system\":false}"

static struct assessment run(const char *facts, const char *level, const char *answers, const char *risks)
{
	struct assessment as;

	assert_int_equal(assess_run(&A, pack, (size_t)policy_level_index(pack, level), J(facts),
	                            answers ? J(answers) : NULL, risks ? J(risks) : NULL, ASSESS_DETAIL, &as), OK);
	return as;
}

static void test_statuses(void **state)
{
	struct assessment as = run("{" GOOD "}", "I", NULL, NULL);

	(void)state;
	assert_int_equal(finding(&as, "law")->status, FS_MET);
	assert_int_equal(finding(&as, "notsaas")->status, FS_NA);       /* when: not SaaS */
	assert_int_equal(finding(&as, "neg")->status, FS_MET);
	assert_int_equal(finding(&as, "hand")->status, FS_MANUAL);
	assert_int_equal(as.verdict, V_INCOMPLETE);                      /* waits for a person */
	assert_non_null(strstr(finding(&as, "law")->reason, "legal.governing_law = \"JP\""));
	as = run("{" GOOD "}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.verdict, V_CONFORMING);
	assert_non_null(strstr(as.next_step, "課長"));
}

static void test_missing_is_unknown(void **state)
{
	struct assessment as = run("{}", "I", "{\"hand\":\"確認済\"}", NULL);
	size_t i;

	(void)state;
	for (i = 0; i < as.nfindings; i++)
		assert_int_not_equal(as.findings[i].status, FS_UNMET);
	assert_int_equal(finding(&as, "law")->status, FS_UNKNOWN);
	assert_string_equal(finding(&as, "law")->missing[0], "legal.governing_law");
	/* a negation of a missing fact is not known to be true */
	assert_int_equal(finding(&as, "neg")->status, FS_UNKNOWN);
	/* a condition of applicability that is not known */
	assert_int_equal(finding(&as, "notsaas")->status, FS_UNKNOWN);
	assert_int_equal(as.verdict, V_INCOMPLETE);
}

static void test_unmet_and_procedure(void **state)
{
	struct assessment as = run("{\"legal\":{\"governing_law\":\"US\"},\"auth\":{\"mfa\":true},"
	                           "\"service\":{\"model\":\"saas\"},\"cert\":{\"ismap\":false},"
	                           "\"data\":{\"regions\":[\"JP\"]}}", "I", "{\"hand\":\"確認済\"}", NULL);

	(void)state;
	assert_int_equal(finding(&as, "law")->status, FS_UNMET);
	assert_int_equal(as.verdict, V_CONSULTATION);                   /* level I consults */
	assert_non_null(strstr(as.next_step, "情報政策課"));
	as = run("{\"legal\":{\"governing_law\":\"US\"}}", "II", NULL, "{\"r\":\"受容する\"}");
	assert_int_equal(as.verdict, V_NONCONFORMING);                  /* level II: reject */
}

static void test_recommended_and_accepted(void **state)
{
	struct assessment as = run("{\"legal\":{\"governing_law\":\"JP\"},\"auth\":{\"mfa\":false},"
	                           "\"app\":{\"mynumber_system\":false}}", "II", NULL, "{\"r\":\"受容する\"}");

	(void)state;
	assert_int_equal(finding(&as, "mfa")->status, FS_UNMET);        /* recommended at II */
	assert_int_equal(as.verdict, V_CONFORMING);
	as = run("{" GOOD ",\"auth\":{\"mfa\":false}}", "I", "{\"hand\":\"確認済\",\"mfa\":\"受容する\"}", NULL);
	assert_int_equal(finding(&as, "mfa")->status, FS_ACCEPTED);
	assert_int_equal(as.verdict, V_CONFORMING);
	as = run("{" GOOD "}", "I", "{\"hand\":\"対応不可\"}", NULL);
	assert_int_equal(finding(&as, "hand")->status, FS_ACCEPTED);
	as = run("{" GOOD "}", "I", "{\"hand\":\"該当なし\"}", NULL);
	assert_int_equal(finding(&as, "hand")->status, FS_NA);
}

static void test_groups(void **state)
{
	struct assessment as = run("{" GOOD ",\"data\":{\"regions\":[\"US\"],\"overseas_consent\":true}}", "I",
	                           "{\"hand\":\"確認済\"}", NULL);

	(void)state;
	assert_int_equal(finding(&as, "a1")->status, FS_UNMET);
	assert_int_equal(as.groups[0].status, FS_MET);
	assert_int_equal(as.verdict, V_CONFORMING);                     /* an alternative is enough */
	as = run("{" GOOD ",\"data\":{\"regions\":[\"US\"],\"overseas_consent\":false}}", "I",
	         "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.groups[0].status, FS_UNMET);
	assert_int_equal(as.verdict, V_CONSULTATION);
	as = run("{" GOOD ",\"data\":{\"regions\":[\"US\"]}}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.groups[0].status, FS_UNKNOWN);
	assert_int_equal(as.verdict, V_INCOMPLETE);
}

static void test_risks(void **state)
{
	struct assessment as = run("{\"legal\":{\"governing_law\":\"JP\"}}", "II", NULL, NULL);

	(void)state;
	assert_int_equal(as.risks[0].status, RS_PENDING);
	assert_int_equal(as.verdict, V_INCOMPLETE);
	as = run("{\"legal\":{\"governing_law\":\"JP\"}}", "II", NULL, "{\"r\":\"受容しない\"}");
	assert_int_equal(as.risks[0].status, RS_REJECTED);
	assert_int_equal(as.verdict, V_NONCONFORMING);
}

static void test_precedence(void **state)
{
	/* exempt beats prohibited beats nonconforming */
	struct assessment as = run("{\"service\":{\"government_led\":true},\"app\":{\"mynumber_system\":true}}",
	                           "I", NULL, NULL);

	(void)state;
	assert_int_equal(as.verdict, V_EXEMPT);
	as = run("{\"legal\":{\"governing_law\":\"US\"},\"app\":{\"mynumber_system\":true}}", "I", NULL, NULL);
	assert_int_equal(as.verdict, V_PROHIBITED);
	as = run("{" GOOD ",\"legal\":{\"governing_law\":\"US\"},"
	         "\"service\":{\"model\":\"saas\",\"lgwan_asp\":true,\"government_led\":false}}",
	         "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(finding(&as, "law")->status, FS_NA);           /* exempted in part */
	assert_int_equal(as.verdict, V_CONFORMING);
	as = run("{}", "X", NULL, NULL);
	assert_int_equal(as.verdict, V_EXEMPT);                         /* a level the standard does not govern */
}

static void test_quiet(void **state)
{
	struct assessment as;

	(void)state;
	assert_int_equal(assess_run(&A, pack, 0, J("{" GOOD "}"), NULL, NULL, 0, &as), OK);
	assert_int_equal(as.verdict, V_INCOMPLETE);
	assert_string_equal(finding(&as, "law")->reason, "");           /* no reasons unless asked */
	assert_true(as.checks > 0);
}

/* Answers are checked in the library and come back as diagnostics: one that
 * names nothing, or changes nothing, is refused with the reason. */
static void test_answers_checked(void **state)
{
	struct profile_app app = { 0 };
	struct diag err = { 0 };
	struct assessment as;

	(void)state;
	app.file = "app.yaml";
	app.answers = J("{\"law\":\"確認済\",\"nosuch\":\"確認済\",\"hand\":\"たぶん\"}");
	app.risks = J("{\"r\":\"多分\"}");
	assert_int_equal(assess_answers_check(pack, &app, &err), 4);
	assert_non_null(strstr(err.items[0].msg, "t law is decided by the facts and takes no answer"));
	assert_non_null(strstr(err.items[1].msg, "t has no criterion 'nosuch'"));
	assert_non_null(strstr(err.items[2].msg, "'たぶん' is not an answer of t hand (確認済, 対応不可, 該当なし)"));
	assert_non_null(strstr(err.items[3].msg, "'多分' is not a decision of t r"));
	assert_string_equal(err.items[0].file, "app.yaml");
	diag_free(&err);

	/* an accept option for a criterion the facts meet changes nothing */
	app.answers = J("{\"mfa\":\"受容する\",\"hand\":\"確認済\"}");
	app.risks = J("{\"r\":\"受容する\"}");
	assert_int_equal(assess_answers_check(pack, &app, &err), 0);
	as = run("{" GOOD "}", "I", "{\"mfa\":\"受容する\",\"hand\":\"確認済\"}", "{\"r\":\"受容する\"}");
	assert_int_equal(assess_answers_effect(&as, 1, &app, &err), 2);
	assert_non_null(strstr(err.items[0].msg, "answers.mfa: "));
	assert_non_null(strstr(err.items[0].msg, "the facts already meet it, so an option that accepts"));
	assert_non_null(strstr(err.items[1].msg, "the risk does not apply at level I"));
	diag_free(&err);
	/* the same answer where the facts say unmet takes effect */
	as = run("{\"auth\":{\"mfa\":false}}", "I", "{\"mfa\":\"受容する\"}", NULL);
	app.answers = J("{\"mfa\":\"受容する\"}");
	app.risks = NULL;
	assert_int_equal(assess_answers_effect(&as, 1, &app, &err), 0);
	diag_free(&err);
}


/* Three-valued conditions (issue #11 (1)): met only when the check is true,
 * unmet only when it is false, unknown otherwise, with the deciding facts. */
static int has_str(const char *const *l, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(l[i], s))
			return 1;
	return 0;
}

static void test_three_valued(void **state)
{
	struct assessment as;
	const struct assess_finding *f;

	(void)state;
	/* a comparison with the fact unanswered is unknown, never a coerced null (神戸 5-1.2-3) */
	as = run("{" GOOD "}", "I", NULL, NULL);
	f = finding(&as, "resp");
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_int_equal(f->ndeciding, 1);
	assert_string_equal(f->deciding[0], "support.critical_response_hours");
	assert_non_null(strstr(f->reason, "support.critical_response_hours"));
	as = run("{" GOOD ",\"support\":{\"critical_response_hours\":2}}", "I", NULL, NULL);
	assert_int_equal(finding(&as, "resp")->status, FS_UNMET);
	assert_int_equal(finding(&as, "resp")->ndeciding, 0);
	/* an and that is already false is unmet whatever the other fact (安城 7-4-2) */
	as = run("{" GOOD ",\"deletion\":{\"certificate\":false}}", "I", NULL, NULL);
	f = finding(&as, "del");
	assert_int_equal(f->status, FS_UNMET);
	assert_int_equal(f->ndeciding, 0);
	assert_true(has_str((const char *const *)f->missing, f->nmissing, "deletion.accounts"));
	as = run("{" GOOD ",\"deletion\":{\"certificate\":true}}", "I", NULL, NULL);
	f = finding(&as, "del");
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_int_equal(f->ndeciding, 1);
	assert_string_equal(f->deciding[0], "deletion.accounts");
	/* shinsa.at_least by Kleene's rule: true once 2 are known true, false
	 * once fewer than 2 could be, else unknown decided by the unknown ones */
	as = run("{" GOOD ",\"cert\":{\"iso27001\":true,\"iso27017\":true}}", "I", NULL, NULL);
	assert_int_equal(finding(&as, "k2")->status, FS_MET);
	as = run("{" GOOD ",\"cert\":{\"iso27001\":false,\"iso27017\":false}}", "I", NULL, NULL);
	assert_int_equal(finding(&as, "k2")->status, FS_UNMET);
	as = run("{" GOOD ",\"cert\":{\"iso27001\":true,\"iso27017\":false}}", "I", NULL, NULL);
	f = finding(&as, "k2");
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_int_equal(f->ndeciding, 1);
	assert_string_equal(f->deciding[0], "cert.soc2");
	/* shinsa.date: unknown when a date is missing */
	as = run("{" GOOD ",\"cert\":{\"ismap_expiry\":\"2030-03-31\"}}", "I", NULL, NULL);
	f = finding(&as, "exp");
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_string_equal(f->deciding[0], "app.period_end");
	as = run("{" GOOD ",\"cert\":{\"ismap_expiry\":\"2030-03-31\"},\"app\":{\"period_end\":\"2031-03-31\"}}", "I",
	         NULL, NULL);
	assert_int_equal(finding(&as, "exp")->status, FS_UNMET);
	as = run("{" GOOD ",\"cert\":{\"ismap_expiry\":\"2030-03-31\"},\"app\":{\"period_end\":\"2029-03-31\"}}", "I",
	         NULL, NULL);
	assert_int_equal(finding(&as, "exp")->status, FS_MET);
}

/* when: applicability unknown is said as such, with its deciding facts */
static void test_when_unknown(void **state)
{
	struct assessment as = run("{\"legal\":{\"governing_law\":\"JP\"}}", "I", NULL, NULL);
	const struct assess_finding *f = finding(&as, "notsaas");
	const struct lval *m, *fm = NULL;
	size_t i;

	(void)state;
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_true(f->when_unknown);
	assert_int_equal(f->ndeciding, 1);
	assert_string_equal(f->deciding[0], "service.model");
	assert_non_null(strstr(f->reason, "適用されるかが不明"));
	m = assess_model(&A, &as, NULL);
	for (i = 0; i < vb_get(m, "findings")->n; i++)
		if (!strcmp(vb_get_str(vb_get(m, "findings")->u.arr[i], "id", ""), "notsaas"))
			fm = vb_get(m, "findings")->u.arr[i];
	assert_non_null(fm);
	assert_string_equal(vb_get_str(fm, "applicability", ""), "unknown");
	assert_string_equal(vb_get(fm, "deciding")->u.arr[0]->u.str, "service.model");
}

/* satisfied_by is Kleene's or with the check */
static void test_satisfied_by(void **state)
{
	struct assessment as;
	const struct assess_finding *f;

	(void)state;
	as = run("{" GOOD ",\"auth\":{\"access_control\":false},\"app\":{\"public_facing\":true}}", "I", NULL, NULL);
	assert_int_equal(finding(&as, "acl")->status, FS_MET);
	as = run("{" GOOD ",\"auth\":{\"access_control\":false},\"app\":{\"public_facing\":false}}", "I", NULL, NULL);
	assert_int_equal(finding(&as, "acl")->status, FS_UNMET);
	/* the check false, the alternative undecided: unknown, decided by the alternative's fact */
	as = run("{" GOOD ",\"auth\":{\"access_control\":false}}", "I", NULL, NULL);
	f = finding(&as, "acl");
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_int_equal(f->ndeciding, 1);
	assert_string_equal(f->deciding[0], "app.public_facing");
	/* both undecided: both decide */
	as = run("{" GOOD ",\"auth\":{\"mfa\":true}}", "I", NULL, NULL);
	f = finding(&as, "acl");
	assert_int_equal(f->status, FS_UNKNOWN);
	assert_int_equal(f->ndeciding, 2);
}

/* groups: met when one alternative is, unknown with the undecided ones' facts */
static void test_group_three_valued(void **state)
{
	struct assessment as = run("{" GOOD ",\"data\":{\"regions\":[\"US\"]}}", "I", "{\"hand\":\"確認済\"}", NULL);
	const struct lval *m, *fs, *gm;
	size_t i;

	(void)state;
	assert_int_equal(as.groups[0].status, FS_UNKNOWN);
	assert_int_equal(as.groups[0].ndeciding, 1);
	assert_string_equal(as.groups[0].deciding[0], "data.overseas_consent");
	/* a member is reported as an alternative of its group, not as required */
	as = run("{" GOOD ",\"data\":{\"regions\":[\"US\"],\"overseas_consent\":true}}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.groups[0].status, FS_MET);
	m = assess_model(&A, &as, NULL);
	fs = vb_get(m, "findings");
	for (i = 0; i < fs->n; i++) {
		const struct lval *f = fs->u.arr[i];

		if (!strcmp(vb_get_str(f, "id", ""), "a1")) {
			assert_string_equal(vb_get_str(f, "status", ""), "unmet");
			assert_string_equal(vb_get_str(f, "obligation", ""), "alternative");
			assert_string_equal(vb_get_str(f, "group", ""), "g");
			assert_string_equal(vb_get_str(f, "group_obligation", ""), "required");
		}
		assert_false(!strcmp(vb_get_str(f, "obligation", ""), "required") &&
		             !strcmp(vb_get_str(f, "status", ""), "unmet"));
	}
	gm = vb_get(m, "groups")->u.arr[0];
	assert_string_equal(vb_get_str(gm, "status", ""), "met");
	assert_int_equal(vb_get(gm, "deciding")->n, 0);
}

/* issue #11 (2): a prohibition that cannot be decided is reported and keeps
 * the verdict from conforming; an exemption that cannot be decided is shown
 * as possible, and does not apply */
static void test_prohibition_unknown(void **state)
{
	struct assessment as;
	const struct lval *m, *ps, *p0;

	(void)state;
	/* everything met and answered, app.mynumber_system unanswered */
	as = run("{\"legal\":{\"governing_law\":\"JP\"},\"auth\":{\"mfa\":true},"
	         "\"service\":{\"model\":\"saas\",\"government_led\":false,\"lgwan_asp\":false},"
	         "\"cert\":{\"ismap\":false},\"data\":{\"regions\":[\"JP\"]}}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.nprohibited, 0);
	assert_int_equal(as.nprohibited_unknown, 1);
	assert_int_equal(as.verdict, V_INCOMPLETE);
	assert_non_null(strstr(as.next_step, "app.mynumber_system"));
	m = assess_model(&A, &as, NULL);
	ps = vb_get(m, "prohibitions");
	assert_int_equal(ps->n, 1);
	p0 = ps->u.arr[0];
	assert_string_equal(vb_get_str(p0, "id", ""), "p");
	assert_string_equal(vb_get_str(p0, "status", ""), "unknown");
	assert_string_equal(vb_get(p0, "deciding")->u.arr[0]->u.str, "app.mynumber_system");
	assert_non_null(vb_get(p0, "facts"));
	assert_string_equal(vb_get_str(p0, "text", ""), "禁止");
	/* answered false: conforming, and the list is empty */
	as = run("{" GOOD "}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.verdict, V_CONFORMING);
	assert_int_equal(vb_get(assess_model(&A, &as, NULL), "prohibitions")->n, 0);
	/* answered true: holds */
	as = run("{" GOOD ",\"app\":{\"mynumber_system\":true}}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.verdict, V_PROHIBITED);
	p0 = vb_get(assess_model(&A, &as, NULL), "prohibitions")->u.arr[0];
	assert_string_equal(vb_get_str(p0, "status", ""), "holds");
	assert_int_equal(vb_get(p0, "deciding")->n, 0);
	/* an unmet item still makes it nonconforming; the undecided prohibition is named */
	as = run("{" GOOD ",\"legal\":{\"governing_law\":\"US\"},\"app\":{}}", "II", NULL, "{\"r\":\"受容する\"}");
	assert_int_equal(as.verdict, V_NONCONFORMING);
	assert_non_null(strstr(as.next_step, "禁止事項"));
}

static void test_exemption_possible(void **state)
{
	struct assessment as;
	const struct lval *m, *xs;

	(void)state;
	/* service.lgwan_asp unanswered: e2 (scope [law]) may apply, but does not */
	as = run("{" GOOD ",\"legal\":{\"governing_law\":\"US\"},"
	         "\"service\":{\"model\":\"saas\",\"government_led\":false}}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_equal(as.nexempt, 0);
	assert_int_equal(as.nexempt_possible, 1);
	assert_int_equal(finding(&as, "law")->status, FS_UNMET);
	assert_true(finding(&as, "law")->exempt_possible >= 0);
	assert_non_null(strstr(finding(&as, "law")->reason, "適用除外"));
	assert_int_equal(as.verdict, V_CONSULTATION);
	m = assess_model(&A, &as, NULL);
	assert_int_equal(vb_get(m, "exemptions")->n, 0);
	xs = vb_get(m, "exemptions_possible");
	assert_int_equal(xs->n, 1);
	assert_string_equal(vb_get_str(xs->u.arr[0], "id", ""), "e2");
	assert_string_equal(vb_get_str(xs->u.arr[0], "status", ""), "possible");
	assert_string_equal(vb_get(xs->u.arr[0], "deciding")->u.arr[0]->u.str, "service.lgwan_asp");
	/* government_led unanswered: the scope-all exemption is possible, never the verdict */
	as = run("{" GOOD ",\"service\":{\"model\":\"saas\",\"lgwan_asp\":false}}", "I", "{\"hand\":\"確認済\"}", NULL);
	assert_int_not_equal(as.verdict, V_EXEMPT);
	assert_int_equal(as.nexempt_possible, 1);
	/* true: applies, listed with status applies */
	as = run("{" GOOD ",\"service\":{\"model\":\"saas\",\"lgwan_asp\":true,\"government_led\":false}}", "I",
	         "{\"hand\":\"確認済\"}", NULL);
	m = assess_model(&A, &as, NULL);
	assert_string_equal(vb_get_str(vb_get(m, "exemptions")->u.arr[0], "status", ""), "applies");
	assert_int_equal(vb_get(m, "exemptions_possible")->n, 0);
}


/* Every example profile against every pack and level, assessed both ways:
 * alone (assess_run, with detail) and as a batch lane (assess_run_batch, as
 * the matrix does). The verdicts and every finding's status agree; and no
 * finding is met while a fact it needs is unanswered: a met finding has no
 * deciding facts, and its check is true three-valued (true for every answer
 * of its missing facts: tests/unit/test_tri.c's property). */
static const char *policies_dir;

static void test_examples_batch_and_met(void **state)
{
	struct policy_set *full;
	struct country_list *countries;
	struct diag d = { 0 }, w = { 0 };
	struct profile_env env;
	const struct lval *docs[LOGIC_BATCH];
	const char *dir = arena_printf(&A, "%s/../examples/profiles", policies_dir);
	struct dirent *de;
	size_t n = 0, i, j, k, compared = 0, met = 0;
	struct arena work;
	DIR *dp;

	(void)state;
	assert_int_equal(policy_set_open(&A, policies_dir, &full, &d), OK);
	assert_int_equal(policy_set_load_packs(&A, full, &d), OK);
	assert_int_equal(country_load(&A, policies_dir, &countries, &d), OK);
	env = (struct profile_env){ full, countries, lshapes_new(&A), NULL };
	assert_non_null(dp = opendir(dir));
	while ((de = readdir(dp)) && n < LOGIC_BATCH) {
		const struct lval *prof;
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		assert_int_equal(profile_load(&A, &env, arena_printf(&A, "%s/%s", dir, de->d_name), &prof, &d, &w), OK);
		docs[n++] = profile_facts_for(&A, prof, NULL, "");
	}
	closedir(dp);
	assert_true(n >= 10);
	arena_init(&work, 1 << 16);
	for (i = 0; i < full->npacks; i++) {
		const struct policy *p = full->packs[i];
		struct assess_rules *r;
		struct assess_batch *b;
		struct err e;

		assert_int_equal(assess_rules_new(&A, full, p, &r, &e), OK);
		b = assess_batch_new(&A, r, &work);
		assess_batch_bind(b, docs, n);
		for (j = 0; j < p->nlevels; j++) {
			for (k = 0; k < n; k++)
				profile_facts_set_level(&A, docs[k], p->levels[j].id);
			assess_batch_level(b);
			for (k = 0; k < n; k++) {
				struct assessment one, lane;
				size_t f;

				assert_int_equal(assess_run(&A, p, j, docs[k], NULL, NULL, ASSESS_DETAIL, &one), OK);
				assert_int_equal(assess_run_batch(&A, b, k, j, NULL, NULL, 0, &lane), OK);
				assert_int_equal(one.verdict, lane.verdict);
				assert_int_equal(one.nprohibitions, lane.nprohibitions);
				assert_int_equal(one.nexemptions, lane.nexemptions);
				for (f = 0; f < one.nfindings; f++) {
					const struct assess_finding *fi = &one.findings[f];

					assert_int_equal(fi->status, lane.findings[f].status);
					if (fi->status == FS_MET && fi->c->check && !fi->answer) {
						struct logic_result3 r3;
						const struct policy_cond *c = policy_check_at(fi->c, j);
						size_t m;
						int alt_true = 0;

						met++;
						if (fi->ndeciding)
							fail_msg("%s %s %s met with deciding %s", p->id, p->levels[j].id, fi->c->id,
							         fi->deciding[0]);
						assert_int_equal(logic_eval3(&A, c->rule, docs[k], &r3, NULL), OK);
						for (m = 0; r3.truth != LOGIC_TRUE && m < fi->c->nalts; m++) {
							struct logic_result3 ra;

							if (logic_eval3(&A, fi->c->alts[m].check.rule, docs[k], &ra, NULL) == OK &&
							    ra.truth == LOGIC_TRUE)
								alt_true = 1;
						}
						if (r3.truth != LOGIC_TRUE && !alt_true)
							fail_msg("%s %s %s met, its check not true", p->id, p->levels[j].id, fi->c->id);
					}
				}
				compared++;
			}
		}
	}
	arena_release(&work);
	diag_free(&d);
	diag_free(&w);
	assert_true(compared >= n * 10);
	assert_true(met > 100);
}

/* A pack for stages, per-criterion on_unmet and the procedure's parts. */
static struct policy *proc_pack;
static const char proc_yaml[] =
	"pack: {id: q, body: 試験町, title: 手続, version: '1', effective: null, source: {title: 試験}}\n"
	"levels:\n"
	"  - {id: I, name: 一}\n"
	"  - {id: II, name: 二}\n"
	"criteria:\n"
	"  - {id: law, title: 準拠法, requirement: 日本法, phase: contract, stage: application, levels: {I: required, II: required},\n"
	"     check: {'==': [{var: legal.governing_law}, JP]}}\n"
	"  - {id: loc, title: 国内, requirement: 国内, phase: selection, on_unmet: consultation, levels: {I: required, II: required},\n"
	"     check: {all: [{var: data.regions}, {'==': [{var: ''}, JP]}]}}\n"
	"  - {id: del, title: 削除したか, requirement: 削除, phase: termination, stage: end-of-use, levels: {I: required, II: required},\n"
	"     manual: {options: [確認済], met: [確認済]}}\n"
	"  - {id: rev, title: 定期確認, requirement: 見直し, phase: operation, stage: review, levels: {I: required, II: required},\n"
	"     manual: {options: [確認済], met: [確認済]}}\n"
	"exemptions:\n"
	"  - {id: x, text: LGWAN-ASP は協議しない, when: {var: service.lgwan_asp}, scope: [law]}\n"
	"procedures:\n"
	"  - id: p1\n"
	"    levels: [I]\n"
	"    applicant: {who: 係長, ref: '1'}\n"
	"    approver: {who: 課長, act: 許可, ref: '2'}\n"
	"    consultations:\n"
	"      - {id: c, with: [補佐官], stage: [企画段階], deadline: unspecified, unless_exempt: [x]}\n"
	"    lead_time: {days: 30, before: 利用開始}\n"
	"    on_unmet: reject\n"
	"    steps:\n"
	"      - {id: n, text: 管理者に指名する, actor: 課長, at: after-approval}\n"
	"    reviews:\n"
	"      - {id: r1, title: 見直し, cycle: unspecified, events: [personnel-move], criteria: [rev]}\n"
	"      - {id: r2, title: 訓練, cycle: {months: 6, ref: '3'}, when: {var: service.public_cloud}}\n"
	"  - {id: p2, levels: [II], approver: unspecified, on_unmet: unspecified, reviews: unspecified}\n";

static struct assessment runq(const char *facts, const char *level)
{
	struct assessment as;

	assert_int_equal(assess_run(&A, proc_pack, (size_t)policy_level_index(proc_pack, level), J(facts), NULL, NULL,
	                            ASSESS_DETAIL, &as), OK);
	return as;
}

static const struct assess_finding *findq(const struct assessment *as, const char *id)
{
	size_t i;

	for (i = 0; i < as->nfindings; i++)
		if (!strcmp(as->findings[i].c->id, id))
			return &as->findings[i];
	fail_msg("no finding %s", id);
	return NULL;
}

/* Later stages are listed, not judged: an application is not asked whether
 * accounts have been deleted. */
static void test_stages(void **state)
{
	struct assessment as = runq("{\"legal\":{\"governing_law\":\"JP\"},\"data\":{\"regions\":[\"JP\"]}}", "I");

	(void)state;
	assert_int_equal(findq(&as, "del")->status, FS_DEFERRED);
	assert_int_equal(findq(&as, "rev")->status, FS_DEFERRED);
	assert_int_equal(as.ndeferred, 2);
	assert_int_equal(as.verdict, V_CONFORMING);
	/* the consultation, the approver's act and the step after approval */
	assert_non_null(strstr(as.next_step, "補佐官と企画段階に協議し"));
	assert_non_null(strstr(as.next_step, "課長の許可を受けてください"));
	assert_non_null(strstr(as.next_step, "管理者に指名する"));
	/* an exemption that the consultation is skipped for: no 補佐官 */
	as = runq("{\"legal\":{\"governing_law\":\"JP\"},\"data\":{\"regions\":[\"JP\"]},"
	          "\"service\":{\"lgwan_asp\":true}}", "I");
	assert_int_equal(as.verdict, V_CONFORMING);
	assert_null(strstr(as.next_step, "補佐官"));
}

/* on_unmet per criterion: "if data location is the only unmet item, consult;
 * anything else is not approvable". */
static void test_on_unmet_per_criterion(void **state)
{
	struct assessment as = runq("{\"legal\":{\"governing_law\":\"JP\"},\"data\":{\"regions\":[\"US\"]}}", "I");

	(void)state;
	assert_int_equal(as.verdict, V_CONSULTATION);
	assert_int_equal(as.unmet_action, UNMET_CONSULT);
	as = runq("{\"legal\":{\"governing_law\":\"US\"},\"data\":{\"regions\":[\"US\"]}}", "I");
	assert_int_equal(as.verdict, V_NONCONFORMING);
	assert_int_equal(as.unmet_action, UNMET_REJECT);
	/* the seed is silent: nonconforming, and the next step says there is no path */
	as = runq("{\"legal\":{\"governing_law\":\"US\"}}", "II");
	assert_int_equal(as.verdict, V_NONCONFORMING);
	assert_int_equal(as.unmet_action, UNMET_UNSPECIFIED);
	assert_non_null(strstr(as.next_step, "定めていません"));
}

/* The procedure in the model: every part, unspecified shown as such, the
 * reviews approval schedules, their triggers and defaults. */
static void test_procedure_model(void **state)
{
	struct assessment as = runq("{\"legal\":{\"governing_law\":\"JP\"},\"data\":{\"regions\":[\"JP\"]},"
	                            "\"service\":{\"public_cloud\":false}}", "I");
	const struct lval *m = assess_model(&A, &as, NULL), *pr = vb_get(m, "procedure"), *r1, *tr;

	(void)state;
	assert_string_equal(vb_get_str(vb_get(pr, "applicant"), "who", ""), "係長");
	assert_string_equal(vb_get_str(vb_get(pr, "approval"), "act", ""), "許可");
	assert_string_equal(vb_get_str(pr, "approver", ""), "課長");
	assert_string_equal(vb_get_str(vb_get(pr, "consultations")->u.arr[0], "deadline", ""), "unspecified");
	assert_false(lval_truthy(vb_get(vb_get(pr, "consultations")->u.arr[0], "skipped")));
	assert_int_equal((int)lval_to_number(vb_get(vb_get(pr, "lead_time"), "days")), 30);
	assert_string_equal(vb_get_str(vb_get(pr, "criteria_on_unmet"), "loc", ""), "consultation");
	r1 = vb_get(pr, "reviews")->u.arr[0];
	tr = vb_get(r1, "trigger");
	assert_string_equal(vb_get_str(tr, "cycle", ""), "unspecified");
	assert_int_equal((int)lval_to_number(vb_get(tr, "default_months")), 12);
	assert_string_equal(vb_get_str(tr, "default_is", ""), "deployment");
	assert_string_equal(vb_get_str(vb_get(vb_get(tr, "events")->u.arr[0], "default"), "on", ""), "04-01");
	/* r2 only where the service is on a public cloud: false here, so not scheduled */
	assert_int_equal(vb_get(pr, "scheduled_reviews")->n, 1);
	assert_string_equal(vb_get(pr, "scheduled_reviews")->u.arr[0]->u.str, "r1");
	assert_int_equal(vb_get(m, "deferred")->n, 2);
	assert_string_equal(vb_get_str(vb_get(m, "deferred")->u.arr[0], "stage", ""), "end-of-use");
	/* level II: the seed is silent */
	as = runq("{}", "II");
	m = assess_model(&A, &as, NULL);
	pr = vb_get(m, "procedure");
	assert_true(lval_truthy(vb_get(vb_get(pr, "approval"), "unspecified")));
	assert_string_equal(vb_get_str(pr, "reviews", ""), "unspecified");
	assert_string_equal(vb_get_str(pr, "on_unmet", ""), "unspecified");
}

/* The model is one tree with the fields the JSON has always had. */
static void test_model(void **state)
{
	struct assessment as = run("{" GOOD "}", "I", NULL, NULL);
	const struct lval *m = assess_model(&A, &as, NULL), *f;

	(void)state;
	assert_string_equal(vb_get_str(m, "policy", ""), "t");
	assert_string_equal(vb_get_str(m, "verdict", ""), "incomplete");
	assert_string_equal(vb_get_str(m, "verdict_ja", ""), "要確認");
	f = vb_get(m, "findings");
	assert_int_equal(f->n, pack->ncriteria);
	assert_string_equal(vb_get_str(f->u.arr[0], "status", ""), "met");
	assert_non_null(vb_get(vb_get(f->u.arr[0], "facts"), "legal.governing_law"));
	assert_string_equal(vb_get_str(vb_get(m, "procedure"), "approver", ""), "課長");
	assert_null(vb_get(m, "answered_by"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_missing_is_unknown),
		cmocka_unit_test(test_unmet_and_procedure),
		cmocka_unit_test(test_recommended_and_accepted),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_risks),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_answers_checked),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_stages),
		cmocka_unit_test(test_on_unmet_per_criterion),
		cmocka_unit_test(test_procedure_model),
		cmocka_unit_test(test_three_valued),
		cmocka_unit_test(test_when_unknown),
		cmocka_unit_test(test_satisfied_by),
		cmocka_unit_test(test_group_three_valued),
		cmocka_unit_test(test_prohibition_unknown),
		cmocka_unit_test(test_exemption_possible),
		cmocka_unit_test(test_examples_batch_and_met),
	};
	struct diag d = { 0 };
	size_t i;
	int rc;

	arena_init(&A, 1 << 16);
	policies_dir = argc > 1 ? argv[1] : "";
	if (argc != 2 || policy_set_open(&A, argv[1], &set, &d) ||
	    policy_load_text(&A, set, "t.yaml", pack_yaml, sizeof(pack_yaml) - 1, &pack, &d) ||
	    policy_load_text(&A, set, "q.yaml", proc_yaml, sizeof(proc_yaml) - 1, &proc_pack, &d)) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.items[i].text);
		return 1;
	}
	rc = cmocka_run_group_tests_name("assess", tests, NULL, NULL);
	diag_free(&d);
	arena_release(&A);
	return rc;
}
