/* Reading the configuration file: YAML through the positions-keeping reader
 * of src/policy, every key checked against one table. */
#include "app/config.h"
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/user.h"
#include "core/buf.h"
#include "policy/policy.h"
#include "policy/ynode.h"
#include "store/store.h"

const struct app_config_key app_config_keys[] = {
	{ "database", offsetof(struct app_config, database), CONFIG_TARGET,
	  "データベース（ファイルのパス、または sqlite:パス）", "the database (a file's path, or sqlite:PATH)" },
	{ "body_name", offsetof(struct app_config, body_name), CONFIG_TEXT,
	  "この導入先の団体名（安城市 など）", "the deployment's body (安城市…)" },
	{ "audit_key", offsetof(struct app_config, audit_key), CONFIG_PATH,
	  "監査ログの鍵ファイル（既定: データベースのファイル名 + .auditkey、モード 0600）",
	  "the audit log's key file (default: the database's file + .auditkey, mode 0600)" },
	{ "audit_retention_days", offsetof(struct app_config, audit_retention_days), CONFIG_DAYS,
	  "監査ログの保存期間（日、365 以上。既定 365）", "how long audit entries are kept, in days (at least 365; default 365)" },
	{ "bindings", 0, CONFIG_BINDINGS,
	  "基準の当事者（各課の課長 など）の利用者への割当て: 基準 → 当事者 → {users: [..]} | {dept:, title:} | "
	  "{applicant_dept: true, title:}（docs/routing.md）",
	  "the binding of each pack's parties (各課の課長…) to users: pack → party → {users: [..]} | {dept:, title:} | "
	  "{applicant_dept: true, title:} (docs/routing.md)" },
	{ "review_cycle_months", offsetof(struct app_config, review_cycle_months), CONFIG_MONTHS,
	  "基準が「定期的」とだけ定め周期を定めていない点検の周期（月、1〜120。既定 12）",
	  "the cycle of a review the pack calls only 定期的, in months (1 to 120; default 12)" },
	{ "personnel_move_date", offsetof(struct app_config, personnel_move_date), CONFIG_MMDD,
	  "毎年の人事異動の日（MM-DD。既定 04-01）: 人事異動を契機とする点検の期限",
	  "the yearly personnel move (MM-DD; default 04-01): when the reviews a move starts fall due" },
	{ "review_notice_days", offsetof(struct app_config, review_notice_days), CONFIG_COUNT,
	  "点検を期限の何日前から「実施時期」として示すか（0〜366。既定 30）",
	  "how many days before its due date a review is listed as due (0 to 366; default 30)" },
	{ "review_event_days", offsetof(struct app_config, review_event_days), CONFIG_COUNT,
	  "記録された契機（委託先の変更など）から点検の期限までの日数（0〜366。既定 30）",
	  "how many days after a recorded event (a subcontractor change…) its review falls due (0 to 366; default 30)" },
	{ "task_due_days", offsetof(struct app_config, task_due_days), CONFIG_COUNT,
	  "基準が期限を定めていない手順のタスク（指名・台帳登録・個別確認など）の期限: 作られてから何日後か（0〜366。既定 14）",
	  "when a task from a step whose pack states no date (a nomination, a ledger entry, an individual check…) falls "
	  "due, in days after it is opened (0 to 366; default 14)" },
	{ NULL, 0, CONFIG_TEXT, NULL, NULL },
};

static int read_all(struct arena *a, const char *path, char **out, size_t *n, struct err *e)
{
	return file_read_all(a, path, CONFIG_MAX_BYTES, "設定ファイル", "the configuration ", out, n, e);
}

/* A relative path made relative to dir (the config file's folder). */
static const char *beside(struct arena *a, const char *dir, const char *p)
{
	if (p[0] == '/' || !dir)
		return p;
	return arena_printf(a, "%s/%s", dir, p);
}

/* A database target with its file resolved the same way, scheme kept. */
static const char *target_beside(struct arena *a, const char *dir, const char *t)
{
	const char *file;
	size_t pre;

	/* a target with no backend is reported when it is opened */
	if (store_target_file(a, t, &file, NULL) || !file || file[0] == '/' || !dir)
		return t;
	pre = strlen(t) - strlen(file);   /* the location is the target's tail */
	return arena_printf(a, "%.*s%s/%s", (int)pre, t, dir, file);
}

static int check_value(struct err *e, const struct ynode *k, const struct ynode *v)
{
	size_t i;

	if (v->kind != YN_SCALAR || ynode_is_null(v))
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "%1$s: 文字列を指定します / %1$s takes a text value", k->str);
	if (!v->len)
		return err_set_at(e, ERR_INVALID, v->line, v->col, "%1$s: 空です / %1$s is empty", k->str);
	if (v->len > 1024)
		return err_set_at(e, ERR_TOOLARGE, v->line, v->col,
		                  "%1$s: 長すぎます（1024 バイトまで） / %1$s is longer than 1024 bytes", k->str);
	for (i = 0; i < v->len; i++)
		if ((unsigned char)v->str[i] < 0x20 || v->str[i] == 0x7f)
			return err_set_at(e, ERR_INVALID, v->line, v->col,
			                  "%1$s: 制御文字は使えません / %1$s has a control character", k->str);
	return OK;
}

static long long parse_days(const char *s)
{
	long long v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || v > CONFIG_RETENTION_MAX)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return i ? v : -1;
}

static int check_days(struct err *e, const struct ynode *k, const struct ynode *v)
{
	long long d = parse_days(v->str);

	if (d < CONFIG_RETENTION_MIN || d > CONFIG_RETENTION_MAX)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "%1$s: %2$d〜%3$d の日数を指定します（記録は少なくとも 1 年保存します） / %1$s takes a number "
		                  "of days from %2$d to %3$d (records are kept a year at least)",
		                  k->str, CONFIG_RETENTION_MIN, CONFIG_RETENTION_MAX);
	return OK;
}

/* ---- bindings: PACK: PARTY: {users: [..]} | {dept:, title:} | {applicant_dept: true, title:} ---- */

/* A text value of a binding: a scalar, not empty, no control character. */
static int bind_text(struct err *e, const char *pack, const char *party, const char *key, const struct ynode *v,
                     size_t max)
{
	size_t i;

	if (!v || v->kind != YN_SCALAR || ynode_is_null(v))
		return err_set_at(e, ERR_INVALID, v ? v->line : 0, v ? v->col : 0,
		                  "bindings.%1$s.%2$s.%3$s: 文字列を指定します / bindings.%1$s.%2$s.%3$s takes a text value",
		                  pack, party, key);
	if (!v->len)
		return err_set_at(e, ERR_INVALID, v->line, v->col, "bindings.%1$s.%2$s.%3$s: 空です / bindings.%1$s.%2$s.%3$s is empty",
		                  pack, party, key);
	if (v->len > max)
		return err_set_at(e, ERR_TOOLARGE, v->line, v->col,
		                  "bindings.%1$s.%2$s.%3$s: 長すぎます（%4$zu バイトまで） / bindings.%1$s.%2$s.%3$s is longer "
		                  "than %4$zu bytes", pack, party, key, max);
	for (i = 0; i < v->len; i++)
		if ((unsigned char)v->str[i] < 0x20 || v->str[i] == 0x7f)
			return err_set_at(e, ERR_INVALID, v->line, v->col,
			                  "bindings.%1$s.%2$s.%3$s: 制御文字は使えません / bindings.%1$s.%2$s.%3$s has a control "
			                  "character", pack, party, key);
	return OK;
}

/* A key of the bindings' mappings (a pack, a party): text, not empty. */
static int bind_key(struct err *e, const char *where, const struct ynode *k)
{
	size_t i;

	if (k->kind != YN_SCALAR || !k->len || k->len > 256)
		return err_set_at(e, ERR_INVALID, k->line, k->col,
		                  "%1$s: キーは 256 バイトまでの空でない文字列です / %1$s: a key is a text of 1 to 256 bytes", where);
	for (i = 0; i < k->len; i++)
		if ((unsigned char)k->str[i] < 0x20 || k->str[i] == 0x7f)
			return err_set_at(e, ERR_INVALID, k->line, k->col,
			                  "%1$s: キーに制御文字は使えません / %1$s: a key has a control character", where);
	return OK;
}

static int load_binding(struct arena *a, struct err *e, const struct ynode *pk, const struct ynode *k,
                        const struct ynode *v, struct app_config_binding *b)
{
	const char *pack = pk->str, *party = k->str;
	const struct ynode *users = NULL, *dept = NULL, *title = NULL, *appl = NULL;
	size_t i, j, forms;
	int rc;

	memset(b, 0, sizeof(*b));
	b->pack = pack;
	b->party = party;
	b->line = k->line;
	b->col = k->col;
	b->pack_line = pk->line;
	b->pack_col = pk->col;
	if (v->kind != YN_MAP)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "bindings.%1$s.%2$s: {users: [LOGIN…]}、{dept: 部署, title: 役職} または {applicant_dept: true, "
		                  "title: 役職} のいずれかです / bindings.%1$s.%2$s is one of {users: [LOGIN…]}, {dept: DEPT, "
		                  "title: TITLE} or {applicant_dept: true, title: TITLE}", pack, party);
	for (i = 0; i < v->n; i++) {
		const struct ynode *kk = v->items[2 * i], *vv = v->items[2 * i + 1];

		if (kk->kind == YN_SCALAR && !strcmp(kk->str, "users"))
			users = vv;
		else if (kk->kind == YN_SCALAR && !strcmp(kk->str, "dept"))
			dept = vv;
		else if (kk->kind == YN_SCALAR && !strcmp(kk->str, "title"))
			title = vv;
		else if (kk->kind == YN_SCALAR && !strcmp(kk->str, "applicant_dept"))
			appl = vv;
		else
			return err_set_at(e, ERR_INVALID, kk->line, kk->col,
			                  "bindings.%1$s.%2$s: 不明なキー '%3$s' です（使えるもの: users, dept, title, applicant_dept） / "
			                  "unknown key '%3$s' (the keys are: users, dept, title, applicant_dept)",
			                  pack, party, kk->kind == YN_SCALAR ? kk->str : "?");
	}
	forms = (users != NULL) + (dept != NULL) + (appl != NULL);
	if (!forms)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "bindings.%1$s.%2$s: users、dept、applicant_dept のどれかを書きます / write one of users, dept "
		                  "and applicant_dept", pack, party);
	if (forms > 1)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "bindings.%1$s.%2$s: users、dept、applicant_dept は一つだけ書きます / write only one of users, "
		                  "dept and applicant_dept", pack, party);
	if (users) {
		if (title)
			return err_set_at(e, ERR_INVALID, title->line, title->col,
			                  "bindings.%1$s.%2$s: title は dept か applicant_dept と書きます（users には書きません） / "
			                  "title goes with dept or applicant_dept, not with users", pack, party);
		if (users->kind != YN_SEQ || !users->n)
			return err_set_at(e, ERR_INVALID, users->line, users->col,
			                  "bindings.%1$s.%2$s.users: 利用者のログイン名の並び（1 人以上）です / takes a list of one or "
			                  "more logins", pack, party);
		b->how = BIND_USERS;
		b->users = arena_alloc(a, users->n * sizeof(*b->users));
		for (i = 0; i < users->n; i++) {
			const struct ynode *u = users->items[i];

			if ((rc = bind_text(e, pack, party, "users", u, USER_LOGIN_MAX)))
				return rc;
			for (j = 0; j < i; j++)
				if (!strcmp(b->users[j], u->str))
					return err_set_at(e, ERR_INVALID, u->line, u->col,
					                  "bindings.%1$s.%2$s.users: '%3$s' が二度あります / '%3$s' is listed twice",
					                  pack, party, u->str);
			b->users[i] = u->str;
		}
		b->nusers = users->n;
		return OK;
	}
	if (title) {
		if ((rc = bind_text(e, pack, party, "title", title, 256)))
			return rc;
		b->title = title->str;
	}
	if (dept) {
		if ((rc = bind_text(e, pack, party, "dept", dept, 256)))
			return rc;
		b->how = BIND_DEPT;
		b->dept = dept->str;
		return OK;
	}
	if (appl->kind != YN_SCALAR || appl->quoted || strcmp(appl->str, "true"))
		return err_set_at(e, ERR_INVALID, appl->line, appl->col,
		                  "bindings.%1$s.%2$s.applicant_dept: true だけを書きます（申請者の所属。部署を名指すなら dept） / "
		                  "takes only true (the applicant's own department; to name one, write dept)", pack, party);
	b->how = BIND_APPLICANT_DEPT;
	return OK;
}

static int load_bindings(struct arena *a, struct app_config *c, const struct ynode *v, struct err *e)
{
	size_t i, j, n = 0;
	int rc;

	if (v->kind != YN_MAP)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "bindings: 基準ごとの「当事者: 割当て」の並びです / bindings is a mapping of packs to "
		                  "their parties' bindings");
	for (i = 0; i < v->n; i++) {
		const struct ynode *pk = v->items[2 * i], *pv = v->items[2 * i + 1];

		if ((rc = bind_key(e, "bindings", pk)))
			return rc;
		if (pv->kind != YN_MAP)
			return err_set_at(e, ERR_INVALID, pv->line, pv->col,
			                  "bindings.%1$s: 当事者（id または基準の文言）ごとの割当ての並びです / bindings.%1$s is a "
			                  "mapping of parties (an id or the pack's words) to bindings", pk->str);
		n += pv->n;
	}
	c->bindings = arena_zalloc(a, (n ? n : 1) * sizeof(*c->bindings));
	c->nbindings = 0;
	for (i = 0; i < v->n; i++) {
		const struct ynode *pk = v->items[2 * i], *pv = v->items[2 * i + 1];

		for (j = 0; j < pv->n; j++) {
			const struct ynode *qk = pv->items[2 * j], *qv = pv->items[2 * j + 1];
			const char *where = arena_printf(a, "bindings.%s", pk->str);

			if ((rc = bind_key(e, where, qk)) ||
			    (rc = load_binding(a, e, pk, qk, qv, &c->bindings[c->nbindings])))
				return rc;
			c->nbindings++;
		}
	}
	return OK;
}

static long long parse_count(const char *s, long long max)
{
	long long v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || v > max)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return i && v <= max ? v : -1;
}

/* "04-01" → 4, 1 (a day that some year has: 02-29 is allowed); -1 when it is not MM-DD. */
static int parse_mmdd(const char *s, int *month, int *day)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int m, d;

	if (strlen(s) != 5 || s[2] != '-' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
	    s[3] > '9' || s[4] < '0' || s[4] > '9')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	d = (s[3] - '0') * 10 + (s[4] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	*month = m;
	*day = d;
	return 0;
}

static int check_review_value(struct err *e, const struct app_config_key *key, const struct ynode *k,
                              const struct ynode *v)
{
	int m, d;

	if (key->kind == CONFIG_MONTHS && parse_count(v->str, CONFIG_CYCLE_MONTHS_MAX) < 1)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "%1$s: 1〜%2$d の月数を指定します / %1$s takes a number of months from 1 to %2$d", k->str,
		                  CONFIG_CYCLE_MONTHS_MAX);
	if (key->kind == CONFIG_COUNT && parse_count(v->str, CONFIG_REVIEW_DAYS_MAX) < 0)
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "%1$s: 0〜%2$d の日数を指定します / %1$s takes a number of days from 0 to %2$d", k->str,
		                  CONFIG_REVIEW_DAYS_MAX);
	if (key->kind == CONFIG_MMDD && parse_mmdd(v->str, &m, &d))
		return err_set_at(e, ERR_INVALID, v->line, v->col,
		                  "%1$s: 月-日（MM-DD、例 04-01）で指定します / %1$s takes a month and day as MM-DD "
		                  "(04-01)", k->str);
	return OK;
}

int app_config_load(struct arena *a, const char *path, struct app_config *c, struct err *e)
{
	char *text;
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	c->file = path;
	if ((rc = read_all(a, path, &text, &n, e)))
		return rc;
	return app_config_load_text(a, path, text, n, c, e);
}

int app_config_load_text(struct arena *a, const char *path, const char *text, size_t n, struct app_config *c,
                         struct err *e)
{
	struct ynode *root;
	const char *slash, *dir = NULL;
	size_t i, j;
	int rc;

	memset(c, 0, sizeof(*c));
	c->file = path;
	if (n > CONFIG_MAX_BYTES) {
		rc = err_set(e, ERR_TOOLARGE, "設定ファイルが大きすぎます（%1$zu バイトまで） / the configuration is larger than "
		             "%1$zu bytes", CONFIG_MAX_BYTES);
		goto fail;
	}
	if (memchr(text, '\0', n)) {
		rc = err_set(e, ERR_INVALID, "設定ファイルに NUL 文字があります / the configuration holds a NUL byte");
		goto fail;
	}
	if ((rc = ynode_parse(a, text, n, &root, e)))
		goto fail;
	if (root->kind != YN_MAP) {
		rc = err_set_at(e, ERR_INVALID, root->line, root->col,
		                "設定は「キー: 値」の並びです / the configuration is a mapping of keys to values");
		goto fail;
	}
	slash = strrchr(path, '/');
	if (slash)
		dir = slash == path ? "/" : arena_strndup(a, path, (size_t)(slash - path));
	for (i = 0; i < root->n; i++) {
		const struct ynode *k = root->items[2 * i], *v = root->items[2 * i + 1];
		const struct app_config_key *key;
		const char **to;

		if (k->kind != YN_SCALAR) {
			rc = err_set_at(e, ERR_INVALID, k->line, k->col, "キーは文字列です / a key is a text");
			goto fail;
		}
		for (j = 0; app_config_keys[j].name; j++)
			if (!strcmp(k->str, app_config_keys[j].name))
				break;
		if (!app_config_keys[j].name) {
			struct buf names = BUF_INIT;

			for (j = 0; app_config_keys[j].name; j++)
				buf_addf(&names, "%s%s", j ? ", " : "", app_config_keys[j].name);
			rc = err_set_at(e, ERR_INVALID, k->line, k->col,
			                "不明なキー '%1$s' です（使えるもの: %2$s） / unknown key '%1$s' (the keys are: %2$s)",
			                k->str, buf_done(&names));
			buf_free(&names);
			goto fail;
		}
		key = &app_config_keys[j];
		if (key->kind == CONFIG_BINDINGS) {
			if ((rc = load_bindings(a, c, v, e)))
				goto fail;
			continue;
		}
		if ((rc = check_value(e, k, v)))
			goto fail;
		if (key->kind == CONFIG_DAYS && (rc = check_days(e, k, v)))
			goto fail;
		if ((rc = check_review_value(e, key, k, v)))
			goto fail;
		to = (const char **)(void *)((char *)c + key->offset);
		*to = key->kind == CONFIG_PATH ? beside(a, dir, v->str)
		      : key->kind == CONFIG_TARGET ? target_beside(a, dir, v->str) : v->str;
	}
	return OK;
fail:
	err_set_file(e, path);
	return rc;
}

int app_config_resolve(struct arena *a, struct app_config *c, const char *db, struct err *e)
{
	const char *file;
	int rc;

	c->retention_days = c->audit_retention_days ? parse_days(c->audit_retention_days) : CONFIG_RETENTION_MIN;
	if (c->retention_days < CONFIG_RETENTION_MIN)
		c->retention_days = CONFIG_RETENTION_MIN;
	c->cycle_months = c->review_cycle_months ? (int)parse_count(c->review_cycle_months, CONFIG_CYCLE_MONTHS_MAX)
	                                         : POLICY_DEFAULT_CYCLE_MONTHS;
	if (c->cycle_months < 1)
		c->cycle_months = POLICY_DEFAULT_CYCLE_MONTHS;
	if (!c->personnel_move_date || parse_mmdd(c->personnel_move_date, &c->personnel_month, &c->personnel_day))
		(void)parse_mmdd(POLICY_DEFAULT_PERSONNEL_DATE, &c->personnel_month, &c->personnel_day);
	c->notice_days = c->review_notice_days ? (int)parse_count(c->review_notice_days, CONFIG_REVIEW_DAYS_MAX)
	                                       : CONFIG_DEFAULT_NOTICE_DAYS;
	if (c->notice_days < 0)
		c->notice_days = CONFIG_DEFAULT_NOTICE_DAYS;
	c->event_days = c->review_event_days ? (int)parse_count(c->review_event_days, CONFIG_REVIEW_DAYS_MAX)
	                                     : CONFIG_DEFAULT_EVENT_DAYS;
	if (c->event_days < 0)
		c->event_days = CONFIG_DEFAULT_EVENT_DAYS;
	c->task_days = c->task_due_days ? (int)parse_count(c->task_due_days, CONFIG_REVIEW_DAYS_MAX) : -1;
	if (c->task_days < 0)
		c->task_days = CONFIG_DEFAULT_TASK_DAYS;
	if (db)
		c->database = db;
	if (!c->database)
		c->database = CONFIG_DEFAULT_DB;
	if ((rc = store_target_file(a, c->database, &file, e)))
		return rc;
	if (c->audit_key)
		return OK;
	if (!file)
		return err_set(e, ERR_INVALID, "%1$s: このデータベースはファイルではないため、監査鍵の場所を設定ファイルの "
		               "audit_key で指定してください / %1$s keeps no file: name the audit key with audit_key "
		               "in the configuration", c->database);
	c->audit_key = arena_printf(a, "%s%s", file, CONFIG_AUDITKEY_SUFFIX);
	return OK;
}
