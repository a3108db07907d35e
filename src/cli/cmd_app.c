/* shinsa app: applications through their life — create, update, submit,
 * comment, approve, return, reject, start, end, confirm-deletion, close,
 * show, list, and the tasks their procedures open. The state machine, the
 * checks and the models are app/application.c's; this file reads the
 * options and the application file, and prints. */
#include "cli/cli.h"
#include "cli/deploy.h"
#include "cli/opt.h"
#include "cli/table.h"

#include <stdio.h>
#include <string.h>

#include "app/application.h"
#include "logic/vb.h"

static const char *const formats[] = { "table", "json", NULL };
static const char *o_format, *o_as, *o_profile, *o_policy, *o_level, *o_text, *o_comment, *o_date, *o_method,
	*o_certificate, *o_state, *o_dir;
static struct opt_list o_items;

static void reset(void)
{
	o_format = "table";
	o_as = o_profile = o_policy = o_level = o_text = o_comment = o_date = o_method = o_certificate = o_state =
		o_dir = NULL;
	opt_list_free(&o_items);
	memset(&o_items, 0, sizeof(o_items));
}

#define FORMAT_ROW { OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", \
	formats, 0, 0 }
#define AS_ROW { OPT_STRING, "as", 0, "LOGIN", &o_as, "操作する利用者（必須。役割と割り当てを確かめ、記録します）", \
	"who acts (required; their role and binding are checked, and recorded)", NULL, 0, 0 }
#define APP_OPERAND { OPT_OPERAND, "APP", 0, NULL, NULL, "申請の ID（app list）", "the application's id (app list)", \
	NULL, 0, 0 }
#define COMMENT_ROW(ja, en) { OPT_STRING, "comment", 0, "T", &o_comment, ja, en, NULL, 0, 0 }
#define DATE_ROW(ja, en) { OPT_STRING, "date", 0, "D", &o_date, ja, en, NULL, 0, 0 }

/* ------------------------------------------------------------ the commands' tables */

static const struct opt create_opts[] = {
	{ OPT_OPERAND, "FILE", 0, NULL, NULL, "申請ファイル（evaluate --app が読むもの: app:, answers:, risks:）",
	  "the application file (what evaluate --app reads: app:, answers:, risks:)", NULL, 0, 0 },
	AS_ROW,
	{ OPT_STRING, "profile", 0, "ID", &o_profile, "サービスのプロファイルの ID（profile list。最新の版を使います）",
	  "the service profile's id (profile list; its newest version is used)", NULL, 0, 0 },
	{ OPT_STRING, "policy", 0, "PACK", &o_policy, "基準の ID（policy list）", "the pack's id (policy list)", NULL, 0, 0 },
	{ OPT_STRING, "level", 0, "L", &o_level, "情報の区分（省略時は申請ファイルの app.classification）",
	  "the level (default: the application's app.classification)", NULL, 0, 0 },
	OPT_POLICIES(&o_dir),
	COMMENT_ROW("コメント（任意。履歴と監査ログに残ります）", "a comment (optional; kept in the history and the audit log)"),
	FORMAT_ROW,
	OPT_END_ROW,
};
static const struct opt update_opts[] = {
	APP_OPERAND,
	{ OPT_OPERAND, "FILE", 0, NULL, NULL, "新しい申請ファイル", "the new application file", NULL, 0, 0 },
	COMMENT_ROW("コメント（任意。履歴と監査ログに残ります）", "a comment (optional; kept in the history and the audit log)"),
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt plain_opts[] = {
	APP_OPERAND,
	COMMENT_ROW("コメント（任意。履歴と監査ログに残ります）", "a comment (optional; kept in the history and the audit log)"),
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt comment_opts[] = {
	APP_OPERAND,
	{ OPT_STRING, "text", 0, "T", &o_text, "意見（必須）", "the comment (required)", NULL, 0, 0 },
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt decide_opts[] = {
	APP_OPERAND,
	COMMENT_ROW("決裁の理由（必須）", "the reason for the decision (required)"),
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt start_opts[] = {
	APP_OPERAND,
	DATE_ROW("利用を始める日（YYYY-MM-DD。既定: 今日）", "the day the use starts (YYYY-MM-DD; default: today)"),
	COMMENT_ROW("コメント（任意。履歴と監査ログに残ります）", "a comment (optional; kept in the history and the audit log)"),
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt end_opts[] = {
	APP_OPERAND,
	DATE_ROW("利用を終える日（YYYY-MM-DD、必須）", "the day the use ends (YYYY-MM-DD, required)"),
	COMMENT_ROW("コメント（任意。履歴と監査ログに残ります）", "a comment (optional; kept in the history and the audit log)"),
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt confirm_opts[] = {
	APP_OPERAND,
	{ OPT_STRING, "method", 0, "M", &o_method, "消去の方法: NIST SP 800-88 の clear・purge・destroy、または contract:契約の定め",
	  "the method: NIST SP 800-88 clear, purge or destroy, or contract:TEXT for what the contract says", NULL, 0, 0 },
	{ OPT_STRING, "certificate", 0, "REF", &o_certificate, "消去証明書などの参照（文書番号など）",
	  "the reference of the deletion certificate (a document number…)", NULL, 0, 0 },
	DATE_ROW("消去を確かめた日（YYYY-MM-DD、必須）", "the day the deletion was confirmed (YYYY-MM-DD, required)"),
	{ OPT_LIST, "item", 0, "ID=J", &o_items, "利用終了時に確認する項目の判定（J: met・unmet・not-applicable）。繰り返せます。"
	  "必須の項目がすべて判定されるまで確認できません", "an end-of-use item judged (J: met, unmet, not-applicable); "
	  "repeatable; the deletion is confirmed only when every required item is judged", NULL, 0, 0 },
	COMMENT_ROW("コメント（任意。履歴と監査ログに残ります）", "a comment (optional; kept in the history and the audit log)"),
	AS_ROW, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt show_opts[] = {
	APP_OPERAND, OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt list_opts[] = {
	{ OPT_STRING, "state", 0, "S", &o_state, "この状態の申請だけ（draft, submitted, in-consultation, approved, returned, "
	  "rejected, in-use, end-reported, deletion-confirmed, closed, notified）", "only the applications in this state "
	  "(draft, submitted, in-consultation, approved, returned, rejected, in-use, end-reported, deletion-confirmed, "
	  "closed, notified)", NULL, 0, 0 },
	OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};
static const struct opt task_opts[] = {
	{ OPT_OPERAND, "TASK", 0, NULL, NULL, "タスクの ID（app show APP）", "the task's id (app show APP)", NULL, 0, 0 },
	AS_ROW,
	COMMENT_ROW("済ませた内容（任意）", "what was done (optional)"),
	OPT_POLICIES(&o_dir), FORMAT_ROW, OPT_END_ROW,
};

struct app_cmd {
	const char *name;            /* "create", "confirm-deletion" */
	int action;                  /* AA_*, or -1 */
	struct opt_cmd cmd;
};

#define POLICIES_USAGE " [--policies DIR] [--format table|json]"

static const struct app_cmd cmds[] = {
	{ "create", AA_CREATE, { "app create", "app create --as LOGIN --profile ID --policy PACK [--level L] FILE\n"
	  "  " POLICIES_USAGE,
	  "申請を作ります（下書き）。申請ファイルをプロファイルとともに基準に照らして審査し、申請の ID を表示します。",
	  "Make an application (a draft): the application file is assessed with the profile against the pack; the "
	  "application's id is printed.", create_opts, 1, 1, NULL } },
	{ "update", AA_UPDATE, { "app update", "app update APP --as LOGIN FILE" POLICIES_USAGE,
	  "下書きか差し戻された申請の申請ファイルを差し替え、審査し直します（申請者本人）。",
	  "Replace the application file of a draft or returned application and assess it again (its applicant).",
	  update_opts, 2, 2, NULL } },
	{ "submit", AA_SUBMIT, { "app submit", "app submit APP --as LOGIN" POLICIES_USAGE,
	  "申請を提出します（申請者本人）。判定が「要確認」なら未確認の項目を示して断ります。提出時の審査と基準の版を記録し、"
	  "基準が協議を定めていれば協議中に、適用除外で届出とされていれば届出済になります。",
	  "Submit an application (its applicant). An incomplete one is refused with its open items. The assessment and "
	  "the pack's version are kept as they are now; it goes to consultation when the pack's procedure consults, or "
	  "is notified (届出) when an exemption sends it there.", plain_opts, 1, 1, NULL } },
	{ "comment", AA_COMMENT, { "app comment", "app comment APP --text T --as LOGIN" POLICIES_USAGE,
	  "提出された申請に意見を述べます（協議先に割り当てられた協議先の利用者、または決裁者）。",
	  "Comment on a submitted application (a consultee bound to a party consulted, or the approver).",
	  comment_opts, 1, 1, NULL } },
	{ "approve", AA_APPROVE, { "app approve", "app approve APP --comment T --as LOGIN" POLICIES_USAGE,
	  "申請を承認します（決裁者に割り当てられた承認者）。提出時の判定が適合（又は適用除外）で、協議先すべての意見が"
	  "あるときだけ。手順のタスクと点検の予定を作ります。",
	  "Approve an application (the approver bound to its procedure): only when it was submitted conforming (or "
	  "exempt) and every party consulted has commented. Opens the procedure's tasks and schedules the reviews.",
	  decide_opts, 1, 1, NULL } },
	{ "return", AA_RETURN, { "app return", "app return APP --comment T --as LOGIN" POLICIES_USAGE,
	  "申請を差し戻します（決裁者）。申請者が修正して審査し直し、もう一度提出します。",
	  "Return an application (the approver): its applicant updates it, it is assessed again, and submitted again.",
	  decide_opts, 1, 1, NULL } },
	{ "reject", AA_REJECT, { "app reject", "app reject APP --comment T --as LOGIN" POLICIES_USAGE,
	  "申請を却下します（決裁者）。", "Reject an application (the approver).", decide_opts, 1, 1, NULL } },
	{ "start", AA_START, { "app start", "app start APP [--date D] --as LOGIN" POLICIES_USAGE,
	  "承認された（又は届け出た）サービスの利用を始めます（申請者本人・管理者）。",
	  "Start using an approved (or notified) service (its applicant or a manager).", start_opts, 1, 1, NULL } },
	{ "end", AA_END, { "app end", "app end APP --date D --as LOGIN" POLICIES_USAGE,
	  "利用の終了を報告します（安城 第5条第4項、乙訓 5.2(5)）。基準が利用終了時に求めることを記録します。",
	  "Report the end of use (安城 第5条第4項, 乙訓 5.2(5)), with what the pack asks at the end of use.",
	  end_opts, 1, 1, NULL } },
	{ "confirm-deletion", AA_CONFIRM_DELETION, { "app confirm-deletion",
	  "app confirm-deletion APP --method M --certificate REF --date D [--item ID=J]… --as LOGIN\n"
	  "  " POLICIES_USAGE,
	  "データの消去を確認します: 方法（NIST SP 800-88 又は契約の定め）、証明書の参照、日付と、利用終了時に確認する項目"
	  "（乙訓 3.5 ウ アカウントの削除など）の判定を記録します。",
	  "Confirm that the data was deleted: the method (NIST SP 800-88, or what the contract says), the "
	  "certificate's reference, the date, and the end-of-use items judged (乙訓 3.5 ウ, the accounts deleted…).",
	  confirm_opts, 1, 1, NULL } },
	{ "close", AA_CLOSE, { "app close", "app close APP --as LOGIN" POLICIES_USAGE,
	  "削除を確認した申請を完了にします（管理者・管理責任者）。記録は台帳の履歴に残ります。",
	  "Close an application whose deletion is confirmed (an admin or a manager); it stays in the ledger's history.",
	  plain_opts, 1, 1, NULL } },
	{ "show", -1, { "app show", "app show APP [--policies DIR] [--format table|json]",
	  "申請を表示します: 状態、申請者、基準と区分、プロファイルの版、審査、提出時の記録、協議、履歴、タスク、次に"
	  "できることとできる人。",
	  "Show an application: its state, applicant, pack and level, profile version, assessment, the snapshot of its "
	  "submission, the consultation, its history and tasks, and what can be done next and by whom.",
	  show_opts, 1, 1, NULL } },
	{ "list", -1, { "app list", "app list [--state S] [--policies DIR] [--format table|json]",
	  "申請の一覧（ID の順）。", "List the applications, by id.", list_opts, 0, 0, NULL } },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct opt_cmd task_done_cmd = { "app task done", "app task done TASK --as LOGIN [--comment T]"
	POLICIES_USAGE, "申請の手順のタスク（指名、台帳への登録、個別確認…）を済ませます（タスクの担当者）。",
	"Mark a task of an application's procedure (a nomination, the ledger entry, an individual check…) done (its "
	"owner).", task_opts, 1, 1, NULL };

/* ------------------------------------------------------------ printing */

static const char *str(const struct lval *o, const char *k)
{
	return vb_get_str(o, k, "");
}

static const struct lval *arr(const struct lval *o, const char *k)
{
	const struct lval *v = vb_get(o, k);

	return v && v->type == LV_ARR ? v : NULL;
}

#define EACH(i, a) for (i = 0; (a) && i < (a)->n; i++)

static void print_why(const struct diag *why)
{
	size_t i;

	for (i = 0; i < why->n; i++)
		fprintf(stderr, "  - %s\n", why->items[i].text);
	if (why->dropped)
		fprintf(stderr, "  … ほか %zu 件 / and %zu more\n", why->dropped, why->dropped);
}

static const struct lval *result_model(struct arena *a, const struct app_request *rq, const struct app_result *r)
{
	struct vb b;

	vb_init(&b, a);
	vb_obj(&b);
	vb_kstr(&b, "id", r->id);
	vb_kstr(&b, "action", app_action_name(rq->action));
	vb_kstr(&b, "from", r->from >= 0 ? app_state_name(r->from) : NULL);
	vb_kstr(&b, "to", app_state_name(r->to));
	vb_kint(&b, "version", r->version);
	vb_key(&b, "tasks");
	vb_strs(&b, r->tasks, r->ntasks);
	vb_kint(&b, "reviews", r->reviews);
	vb_end(&b);
	return vb_done(&b);
}

static void para(const char *s)
{
	table_para(stdout, s, 4);
}

static void items_para(struct arena *a, const char *head, const struct lval *items, const char *judged_key)
{
	size_t i;

	EACH(i, items) {
		const struct lval *it = items->u.arr[i];
		const char *j = judged_key ? str(it, judged_key) : "";

		para(arena_printf(a, "    %s %s: %s%s%s", head, str(it, "id"), *str(it, "title") ? str(it, "title") : str(it, "text"),
		                  *j ? " — " : "", j));
	}
}

static void show_table(struct arena *a, const struct lval *m)
{
	static const char *hh[] = { "時刻", "操作", "状態", "利用者", "経路", "コメント" };
	static const char *th[] = { "ID", "状態", "手順", "担当", "期限", "内容" };
	static const char *nh[] = { "次にできること", "できる人", "利用者", "止まっている理由" };
	const struct lval *ap = vb_get(m, "applicant"), *pr = vb_get(m, "profile"), *as = vb_get(m, "assessment");
	const struct lval *sn = vb_get(m, "snapshot"), *co = vb_get(m, "consultation"), *d = vb_get(m, "dates");
	const struct lval *er = vb_get(m, "end_report"), *dl = vb_get(m, "deletion"), *mg = vb_get(m, "manager");
	const struct lval *no = vb_get(m, "notification");
	const struct lval *h = arr(m, "history"), *ts = arr(m, "tasks"), *nx = arr(m, "next"), *ds = arr(m, "decisions");
	static const char *const dates[][2] = { { "created_at", "作成" }, { "submitted_at", "提出" },
		{ "notified_at", "届出" }, { "approved_at", "承認" }, { "started_at", "利用開始" }, { "ended_at", "利用終了" },
		{ "closed_at", "完了" } };
	struct table t;
	const char *line = "";
	size_t i;

	para(arena_printf(a, "申請 %s — %s（%s）  版 %lld  更新 %s", str(m, "id"), str(m, "state_ja"), str(m, "state"),
	                  (long long)lval_to_number(vb_get(m, "version")), str(m, "updated_at")));
	para(arena_printf(a, "基準: %s「%s」（%s） 区分 %s（%s）  経路: %s", str(m, "body"), str(m, "pack_title"),
	                  str(m, "pack"), str(m, "level"), str(m, "level_name"),
	                  !strcmp(str(m, "route"), "notification") ? "届出 notification" : "申請 application"));
	para(arena_printf(a, "申請者: %s（%s、%s %s）", str(ap, "login"), str(ap, "name"), str(ap, "dept"), str(ap, "title")));
	para(arena_printf(a, "サービス: プロファイル %s 版 %lld — %s（%s）", str(pr, "id"),
	                  (long long)lval_to_number(vb_get(pr, "version")), str(pr, "name"), str(pr, "provider")));
	if (as && as->type == LV_OBJ) {
		para(arena_printf(a, "審査（最新、%s）: %s（%s） — %s", str(as, "at"), str(as, "verdict_ja"), str(as, "verdict"),
		                  str(as, "reason")));
		if (arr(as, "open") && arr(as, "open")->n)
			items_para(a, "未了", arr(as, "open"), "status_ja");
	}
	if (sn && sn->type == LV_OBJ) {
		const struct lval *pk = vb_get(sn, "pack");

		para(arena_printf(a, "提出時の記録（%s、%s）: %s（%s） 基準 %s 版 %s sha256 %.12s… 区分 %s%s", str(sn, "at"),
		                  str(sn, "by"), str(sn, "verdict_ja"), str(sn, "verdict"), str(pk, "id"), str(pk, "version"),
		                  str(pk, "sha256"), str(pk, "level"),
		                  lval_truthy(vb_get(sn, "pack_changed")) ? "（基準はその後変更されています。判断は提出時の記録による / "
		                                                            "the pack changed since; the snapshot decides）" : ""));
		if (*str(sn, "approver") && strcmp(str(m, "route"), "notification"))
			para(arena_printf(a, "決裁者: %s", !strcmp(str(sn, "approver"), "unspecified") ?
			                  "基準に定めなし（承認者の役割の利用者） / unspecified: a user with the approver role" :
			                  str(sn, "approver")));
		if (arr(sn, "end_of_use_items") && arr(sn, "end_of_use_items")->n)
			items_para(a, "利用終了時に確認", arr(sn, "end_of_use_items"), "obligation");
	}
	if (no && no->type == LV_OBJ)
		para(arena_printf(a, "届出: %s へ（%s）%s", str(no, "to"), str(no, "form_title"), str(no, "note")));
	if (co && co->type == LV_OBJ) {
		const struct lval *ps = arr(co, "parties");

		EACH(i, ps) {
			const struct lval *p = ps->u.arr[i], *cs = arr(p, "comments");
			size_t k;

			para(arena_printf(a, "協議先 %s（%s）: %s", str(p, "party"), *str(p, "users") ? str(p, "users") : str(p, "unbound"),
			                  lval_truthy(vb_get(p, "commented")) ? "意見あり commented" : "意見待ち waiting"));
			EACH(k, cs)
				para(arena_printf(a, "    %s %s: %s", str(cs->u.arr[k], "at"), str(cs->u.arr[k], "by"),
				                  str(cs->u.arr[k], "text")));
		}
	}
	EACH(i, ds) {
		const struct lval *x = ds->u.arr[i];

		if (!strcmp(str(x, "kind"), "risk"))
			para(arena_printf(a, "リスク %s: %s（%s、%s%s%s%s）", str(x, "id"), str(x, "value"), str(x, "by"), str(x, "at"),
			                  *str(x, "accepted_by") ? arena_printf(a, "、受容 %s %s", str(x, "accepted_by"),
			                                                        str(x, "accepted_at")) : "",
			                  *str(x, "until") ? "、期限 " : "", str(x, "until")));
	}
	if (mg && mg->type == LV_OBJ)
		para(arena_printf(a, "管理者: %s（%s から）", str(mg, "login"), str(mg, "since")));
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (*str(d, dates[i][0]))
			line = arena_printf(a, "%s%s%s %s", line, *line ? "、" : "", dates[i][1], str(d, dates[i][0]));
	if (*line)
		para(arena_printf(a, "日付: %s", line));
	if (er && er->type == LV_OBJ) {
		const struct lval *its = vb_get(er, "items");

		para(arena_printf(a, "利用終了の報告: %s（%s）", str(er, "date"), str(er, "by")));
		if (its && its->type == LV_ARR)
			items_para(a, "利用終了時", its, NULL);
	}
	if (dl && dl->type == LV_OBJ) {
		para(arena_printf(a, "データ削除の確認: %s%s%s、証明書 %s、%s（%s）", str(dl, "method"),
		                  *str(dl, "contract") ? " — " : "", str(dl, "contract"), str(dl, "certificate"),
		                  str(dl, "date"), str(dl, "by")));
		items_para(a, "判定", arr(dl, "items"), "judgement");
	}
	if (h && h->n) {
		printf("\n■ 履歴 / history\n");
		table_init(&t, 6, hh);
		table_set_max(&t, 5, 40);
		EACH(i, h) {
			const struct lval *en = h->u.arr[i];
			const char *row[6] = { str(en, "at"), str(en, "action"),
			                       arena_printf(a, "%s%s%s", str(en, "from"), *str(en, "from") ? " → " : "", str(en, "to")),
			                       arena_printf(a, "%s (%s)", str(en, "actor"), str(en, "role")), str(en, "channel"),
			                       str(en, "comment") };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	if (ts && ts->n) {
		printf("\n■ タスク / tasks\n");
		table_init(&t, 6, th);
		table_set_max(&t, 5, 48);
		EACH(i, ts) {
			const struct lval *x = ts->u.arr[i];
			const char *row[6] = { str(x, "id"), str(x, "state"), str(x, "step"), str(x, "owner"), str(x, "due"),
			                       str(x, "text") };

			table_add(&t, row);
		}
		table_print(&t, stdout);
		table_free(&t);
	}
	printf("\n■ 次にできること / next\n");
	if (!nx || !nx->n) {
		printf("なし（%s） / none\n", str(m, "state_ja"));
		return;
	}
	table_init(&t, 4, nh);
	table_set_max(&t, 3, 48);
	EACH(i, nx) {
		const struct lval *x = nx->u.arr[i];
		const char *row[4] = { arena_printf(a, "%s（%s）", str(x, "action_ja"), str(x, "action")), str(x, "who_ja"),
		                       str(x, "users"), str(x, "blocked") };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
}

static void list_table(struct arena *a, const struct lval *m)
{
	static const char *head[] = { "ID", "状態", "基準", "区分", "申請者", "所属", "サービス", "判定", "更新" };
	struct table t;
	size_t i;

	if (!m->n) {
		puts("申請はありません / there are no applications");
		return;
	}
	table_init(&t, 9, head);
	table_set_nowrap(&t, 1);
	EACH(i, m) {
		const struct lval *x = m->u.arr[i];
		const char *row[9] = { str(x, "id"), arena_printf(a, "%s %s", str(x, "state_ja"), str(x, "state")),
		                       str(x, "pack"), str(x, "level"), str(x, "applicant"), str(x, "dept"), str(x, "service"),
		                       str(x, "verdict_ja"), str(x, "updated_at") };

		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_free(&t);
}

/* ------------------------------------------------------------ running */

static int run_transition(const struct app_cmd *c, const struct opt_result *res)
{
	struct cli_dep x;
	struct app_request rq = { 0 };
	struct app_result r;
	struct app_judgement *items = NULL;
	struct diag why = { 0 };
	size_t i;
	int rc;

	rq.action = c->action;
	if (c->action == AA_CREATE) {
		rq.file = res->operands[0];
	} else {
		rq.id = res->operands[0];
		if (c->action == AA_UPDATE)
			rq.file = res->operands[1];
	}
	if ((rc = cli_dep_open(&x, c->cmd.name, DEPLOY_AUDIT | DEPLOY_POLICIES, o_dir, o_as)))
		return rc;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	if (rq.file) {
		char *text;
		size_t n;

		if ((rc = cli_read_file(&x.a, rq.file, CLI_MAX_INPUT, &text, &n, &x.e))) {
			rc = cli_dep_fail(&x, rc);
			goto out;
		}
		rq.text = text;
		rq.len = n;
	}
	rq.profile = o_profile;
	rq.pack = o_policy;
	rq.level = o_level;
	rq.comment = c->action == AA_COMMENT ? o_text : o_comment;
	rq.date = o_date;
	rq.method = o_method;
	rq.certificate = o_certificate;
	if (o_items.n) {
		items = arena_alloc(&x.a, o_items.n * sizeof(*items));
		for (i = 0; i < o_items.n; i++) {
			const char *eq = strchr(o_items.v[i], '=');

			if (!eq || eq == o_items.v[i]) {
				cli_error("%1$s: --item '%2$s' は ID=判定 の形で書きます（met、unmet、not-applicable） / --item '%2$s' "
				          "takes ID=JUDGEMENT (met, unmet, not-applicable)", c->cmd.name, o_items.v[i]);
				rc = EXIT_USAGE;
				goto out;
			}
			items[i].id = arena_strndup(&x.a, o_items.v[i], (size_t)(eq - o_items.v[i]));
			items[i].judgement = eq + 1;
		}
		rq.items = items;
		rq.nitems = o_items.n;
	}
	if ((rc = app_apply(&x.dep, &x.actor, &rq, &r, &why, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		print_why(&why);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = err_exit_status(cli_write_json(result_model(&x.a, &rq, &r)));
		goto out;
	}
	if (c->action == AA_CREATE) {
		printf("%s\n", r.id);
		fprintf(stderr, "shinsa: 申請 %1$s を作りました（下書き） / made application %1$s (a draft)\n", r.id);
	} else {
		printf("申請 %1$s: %2$s → %3$s（%4$s） / application %1$s: %5$s → %6$s (%7$s)\n", r.id, app_state_ja(r.from),
		       app_state_ja(r.to), app_action_ja(c->action), app_state_name(r.from), app_state_name(r.to),
		       app_action_name(c->action));
	}
	for (i = 0; i < r.ntasks; i++)
		fprintf(stderr, "shinsa: タスク %1$s を作りました（app show %2$s） / opened task %1$s\n", r.tasks[i], r.id);
	if (r.reviews)
		fprintf(stderr, "shinsa: 点検 %1$lld 件を予定しました（review list） / scheduled %1$lld reviews\n", r.reviews);
	rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
out:
	diag_free(&why);
	cli_dep_close(&x);
	return rc;
}

static int run_show(const struct app_cmd *c, const struct opt_result *res)
{
	struct cli_dep x;
	const struct lval *m;
	int rc, show = !strcmp(c->name, "show");

	if ((rc = cli_dep_open(&x, c->cmd.name, DEPLOY_POLICIES, o_dir, NULL)))
		return rc;
	rc = show ? app_show_model(&x.dep, &x.a, res->operands[0], &m, &x.e)
	          : app_list_model(&x.dep, &x.a, o_state, &m, &x.e);
	if (rc) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json"))
		rc = err_exit_status(cli_write_json(m));
	else {
		if (show)
			show_table(&x.a, m);
		else
			list_table(&x.a, m);
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
	return rc;
}

static int run_task(int argc, char **argv)
{
	struct opt_result res;
	struct cli_dep x;
	int rc;

	if (argc < 2 || strcmp(argv[1], "done")) {
		cli_error("app task: サブコマンドは done です（app task done TASK --as LOGIN） / the subcommand is done (app task "
		          "done TASK --as LOGIN)");
		return EXIT_USAGE;
	}
	reset();
	if ((rc = opt_parse(&task_done_cmd, argc - 1, argv + 1, &res)))
		return opt_exit(rc);
	if ((rc = cli_dep_open(&x, "app task done", DEPLOY_AUDIT, o_dir, o_as)))
		return rc;
	if ((rc = cli_dep_need_actor(&x)))
		goto out;
	if ((rc = app_task_done(&x.dep, &x.actor, res.operands[0], o_comment, &x.e))) {
		rc = cli_dep_fail(&x, rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		struct vb b;

		vb_init(&b, &x.a);
		vb_obj(&b);
		vb_kstr(&b, "task", res.operands[0]);
		vb_kstr(&b, "state", "done");
		vb_end(&b);
		rc = err_exit_status(cli_write_json(vb_done(&b)));
	} else {
		printf("タスク %1$s を済みにしました / task %1$s is done\n", res.operands[0]);
		rc = fflush(stdout) ? EXIT_INTERNAL : EXIT_OK;
	}
out:
	cli_dep_close(&x);
	return rc;
}

static void usage(FILE *f)
{
	size_t i;

	fputs("使い方 / usage:\n", f);
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  shinsa %s\n", cmds[i].cmd.usage);
	fprintf(f, "  shinsa %s\n", task_done_cmd.usage);
	fputs("\n申請の一生: 下書き → 提出 →（協議）→ 承認・差戻し・却下; 承認 → 利用中 → 終了報告 → 削除確認 → 完了。\n"
	      "適用除外で届出とされるサービスは 下書き → 届出済 → 利用中 → … と進みます（docs/applications.md）。\n"
	      "An application: draft → submitted → (in consultation) → approved | returned | rejected; approved → in use →\n"
	      "end reported → deletion confirmed → closed. An exempt service sent to a notification (届出) goes draft →\n"
	      "notified → in use → … (docs/applications.md). Each subcommand has --help.\n", f);
}

int cmd_app(int argc, char **argv)
{
	struct opt_result res;
	size_t i;
	int rc;

	if (argc < 2 || cli_is_help(argv[1])) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "task"))
		return run_task(argc - 1, argv + 1);
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(argv[1], cmds[i].name))
			break;
	if (i == NCMDS) {
		cli_error("app: 不明なサブコマンド '%1$s' です（shinsa app --help） / unknown subcommand '%1$s' (shinsa app --help)",
		          argv[1]);
		return EXIT_USAGE;
	}
	reset();
	if ((rc = opt_parse(&cmds[i].cmd, argc - 1, argv + 1, &res)))
		return opt_exit(rc);
	rc = cmds[i].action >= 0 ? run_transition(&cmds[i], &res) : run_show(&cmds[i], &res);
	opt_list_free(&o_items);
	return rc;
}
