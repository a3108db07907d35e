/* shinsa audit: verify the chain (with an anchor), print the head for keeping
 * elsewhere, export entries, purge those past the retention period. The work
 * is app/audit.c's; this file reads the options and prints. */
#include "cli/cli.h"
#include "render/csv.h"
#include "cli/opt.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/config.h"
#include "core/crypto.h"
#include "logic/jw.h"
#include "logic/value.h"
#include "logic/vb.h"
#include "store/store.h"

static const char *const formats_tj[] = { "table", "json", NULL };
static const char *const formats_cj[] = { "csv", "json", NULL };
static const char *o_format, *o_anchor, *o_since, *o_until, *o_before, *o_as;

/* The store and the settings every subcommand opens. */
struct audit_cli {
	struct arena a;
	struct app_config c;
	struct store *s;
	struct err e;
	char text[ERR_MSG_MAX + ERR_FILE_MAX + 32];
};

static int open_store(struct audit_cli *x, const char *sub)
{
	int rc;

	memset(&x->e, 0, sizeof(x->e));
	arena_init(&x->a, 0);
	x->s = NULL;
	if ((rc = cli_settings(&x->a, &x->c)))
		return rc;
	if ((rc = store_open(x->c.database, 0, &x->s, NULL, &x->e)))
		cli_error("audit %s: %s", sub, err_text(&x->e, x->text, sizeof(x->text)));
	return rc;
}

static int fail(struct audit_cli *x, const char *sub, int rc)
{
	cli_error("audit %s: %s", sub, err_text(&x->e, x->text, sizeof(x->text)));
	return rc;
}

static void close_store(struct audit_cli *x)
{
	store_close(x->s);
	arena_release(&x->a);
}

static int write_json(const struct lval *m)
{
	struct buf out = BUF_INIT;
	int rc;

	if (lval_write_json(&out, m) == OK)
		buf_addc(&out, '\n');
	else
		out.rc = ERR_TOOLARGE;
	rc = cli_write(&out, stdout);
	buf_free(&out);
	return rc;
}

/* ---- verify ---- */

static const struct opt verify_opts[] = {
	{ OPT_STRING, "anchor", 0, "HASH", &o_anchor, "以前に控えた先頭のハッシュ（audit anchor）: そこまでが変わっていないことも確かめます",
	  "a head kept earlier (audit anchor): also prove that nothing up to it changed", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats_tj, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd verify_cmd = { "audit verify", "audit verify [--anchor HASH] [--format table|json]",
	"監査ログの連鎖（SHA-256）と各項目の HMAC を全部確かめ、最初に書き換え・削除・入れ替え・挿入された項目を示します。"
	"問題があれば終了状態 1 です。",
	"Check the whole chain (SHA-256) and every entry's HMAC; report the first entry that was changed, "
	"removed, reordered or inserted, and exit 1 when there is one.",
	verify_opts, 0, 0, NULL };

static int audit_verify_cmd(int argc, char **argv)
{
	struct audit_cli x;
	struct opt_result res;
	struct audit_log *log = NULL;
	struct audit_report r;
	int rc;

	o_format = "table";
	o_anchor = NULL;
	if ((rc = opt_parse(&verify_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if ((rc = open_store(&x, "verify")))
		goto out;
	if ((rc = audit_open(x.s, x.c.audit_key, &log, &x.e)) || (rc = audit_verify(log, &x.a, o_anchor, &r, &x.e))) {
		rc = fail(&x, "verify", rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = write_json(audit_report_model(&x.a, &r));
	} else {
		if (r.ok)
			printf("監査ログは正しく連鎖しています / the audit log verifies: %lld entries (%lld-%lld)\n", r.count,
			       r.first, r.last);
		else
			printf("監査ログに問題があります / the audit log does NOT verify (%lld entries, %lld-%lld)\n", r.count,
			       r.first, r.last);
		if (r.count)
			printf("先頭 / head: %s (%s)\n", r.head, r.head_at ? r.head_at : "");
		if (r.base_seq)
			printf("基点 / base: entry %lld, %s (purged)\n", r.base_seq, r.base);
		if (r.problem)
			printf("最初の問題 / first bad entry: %lld (%s): %s\n", r.bad_seq, r.problem, r.detail);
		if (r.anchor) {
			if (r.anchor_found)
				printf("基点の確認 / anchor: %s = entry %lld: 変わっていません / unchanged\n", r.anchor,
				       r.anchor_seq);
			else
				printf("基点の確認 / anchor: %s: 検証済みの連鎖にありません / not found in the verified chain: "
				       "the entries up to it were changed or removed\n", r.anchor);
		}
		rc = fflush(stdout) ? ERR_IO : OK;
	}
	if (!rc && !r.ok) {
		audit_close(log);
		close_store(&x);
		return EXIT_FAIL;
	}
out:
	audit_close(log);
	close_store(&x);
	return err_exit_status(rc);
}

/* ---- anchor ---- */

static const struct opt anchor_opts[] = {
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats_tj, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd anchor_cmd = { "audit anchor", "audit anchor [--format table|json]",
	"監査ログの先頭（件数、ハッシュ、時刻）を表示します。決裁に添えて印刷する、別のシステムに送るなどして控えます。",
	"Print the head of the audit log (count, hash, time) for keeping elsewhere: printed with a 決裁, "
	"or sent to another system.",
	anchor_opts, 0, 0, NULL };

static int audit_anchor_cmd(int argc, char **argv)
{
	struct audit_cli x;
	struct opt_result res;
	const struct lval *m;
	int rc;

	o_format = "table";
	if ((rc = opt_parse(&anchor_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if ((rc = open_store(&x, "anchor")))
		goto out;
	if ((rc = audit_anchor(x.s, &x.a, &m, &x.e))) {
		rc = fail(&x, "anchor", rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = write_json(m);
	} else {
		printf("件数 / count: %lld\n番号 / seq: %lld\nハッシュ / hash: %s\n時刻 / at: %s\n",
		       (long long)vb_get(m, "count")->u.num, (long long)vb_get(m, "seq")->u.num,
		       vb_get_str(m, "hash", ""), vb_get_str(m, "at", ""));
		rc = fflush(stdout) ? ERR_IO : OK;
	}
out:
	close_store(&x);
	return err_exit_status(rc);
}

/* ---- export ---- */

static const struct opt export_opts[] = {
	{ OPT_STRING, "since", 0, "T", &o_since, "この日付（YYYY-MM-DD、日本時間）または時刻から", "from this date (YYYY-MM-DD, JST) or time",
	  NULL, 0, 0 },
	{ OPT_STRING, "until", 0, "T", &o_until, "この日付（その日を含む）または時刻の前まで",
	  "up to this date (the whole day) or before this time", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "csv（既定、UTF-8、BOM 付き）| json（1 行に 1 項目）",
	  "csv (the default, UTF-8 with a BOM) | json (one entry a line)", formats_cj, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd export_cmd = { "audit export", "audit export [--since T] [--until T] [--format csv|json]",
	"監査ログの項目を書き出します（ハッシュと HMAC を含む）。",
	"Write the audit log's entries out, with their hashes and HMACs.",
	export_opts, 0, 0, NULL };

#define FLUSH_AT ((size_t)1 << 20)

struct export_state {
	struct buf out;
	int json;
};

static int export_one(void *arg, const struct store_audit_entry *en, struct err *e)
{
	struct export_state *x = arg;
	char prev[CRYPTO_SHA256_HEX], hash[CRYPTO_SHA256_HEX], mac[CRYPTO_SHA256_HEX];
	const char *f[10] = { en->at, en->actor, en->channel, en->action, en->object_type, en->object_id,
	                      en->before, en->after, en->comment, NULL };
	size_t i;

	crypto_hex(en->prev, CRYPTO_SHA256_LEN, prev);
	crypto_hex(en->hash, CRYPTO_SHA256_LEN, hash);
	crypto_hex(en->mac, CRYPTO_SHA256_LEN, mac);
	if (x->json) {
		static const char *const keys[] = { "at", "actor", "channel", "action", "object_type", "object_id",
		                                    "before", "after", "comment" };
		struct jw w;

		jw_init(&w, &x->out);
		jw_obj(&w);
		jw_key(&w, "seq");
		jw_int(&w, en->seq);
		for (i = 0; i < 9; i++) {
			jw_key(&w, keys[i]);
			jw_str(&w, f[i]);
		}
		jw_key(&w, "prev");
		jw_str(&w, prev);
		jw_key(&w, "hash");
		jw_str(&w, hash);
		jw_key(&w, "mac");
		jw_str(&w, mac);
		jw_end_obj(&w);
		buf_addc(&x->out, '\n');
	} else {
		buf_addf(&x->out, "%lld", en->seq);
		for (i = 0; i < 9; i++) {
			buf_addc(&x->out, ',');
			csv_field(&x->out, f[i]);
		}
		buf_addf(&x->out, ",%s,%s,%s\r\n", prev, hash, mac);
	}
	if (x->out.len >= FLUSH_AT) {
		if (cli_write(&x->out, stdout))
			return err_set(e, ERR_IO, "書き出せません / cannot write the export");
		buf_reset(&x->out);
	}
	return OK;
}

static int audit_export_cmd(int argc, char **argv)
{
	struct audit_cli x;
	struct opt_result res;
	struct export_state st = { BUF_INIT, 0 };
	long long from, to;
	int rc;

	o_format = "csv";
	o_since = o_until = NULL;
	if ((rc = opt_parse(&export_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if ((rc = open_store(&x, "export")))
		goto out;
	st.json = !strcmp(o_format, "json");
	if (!st.json)
		buf_adds(&st.out, "\xEF\xBB\xBF\"seq\",\"at\",\"actor\",\"channel\",\"action\",\"object_type\",\"object_id\","
		         "\"before\",\"after\",\"comment\",\"prev\",\"hash\",\"mac\"\r\n");
	/* one snapshot: the range and its entries */
	if ((rc = store_begin(x.s, &x.e)))
		goto err;
	rc = audit_range(x.s, o_since, o_until, &from, &to, &x.e);
	if (!rc && to >= from)
		rc = store_audit_read(x.s, from, to, export_one, &st, &x.e);
	store_rollback(x.s);
	if (rc)
		goto err;
	rc = cli_write(&st.out, stdout);
	if (!rc && fflush(stdout))
		rc = ERR_IO;
	goto out;
err:
	rc = fail(&x, "export", rc);
out:
	buf_free(&st.out);
	close_store(&x);
	return err_exit_status(rc);
}

/* ---- purge ---- */

static const struct opt purge_opts[] = {
	{ OPT_STRING, "before", 0, "DATE", &o_before, "この日付（日本時間の 0 時）より前の記録を消去します（必須）",
	  "remove the entries older than this date, JST midnight (required)", NULL, 0, 0 },
	{ OPT_STRING, "as", 0, "LOGIN", &o_as, "操作する利用者（記録されます）", "the user who purges (recorded)", NULL, 0, 0 },
	{ OPT_CHOICE, "format", 0, "F", &o_format, "table（既定）| json", "table (the default) | json", formats_tj, 0, 0 },
	OPT_END_ROW,
};
static const struct opt_cmd purge_cmd = { "audit purge", "audit purge --before DATE [--as LOGIN] [--format table|json]",
	"保存期間（設定 audit_retention_days、既定 365 日、365 日以上）を過ぎた記録を消去します。期間内の記録は消去できません。"
	"消去は連鎖を確かめてから行い、消去した範囲と最後のハッシュを新しい基点として監査ログ自体に記録します。",
	"Remove the entries past the retention period (audit_retention_days in the configuration, default "
	"and minimum 365 days); younger entries are never removed. The chain is verified first, and the "
	"purge is itself an entry recording the range and its last hash as the chain's new base.",
	purge_opts, 0, 0, NULL };

static int audit_purge_cmd(int argc, char **argv)
{
	struct audit_cli x;
	struct opt_result res;
	struct audit_log *log = NULL;
	const struct lval *m;
	int rc;

	o_format = "table";
	o_before = o_as = NULL;
	if ((rc = opt_parse(&purge_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if (!o_before) {
		cli_error("audit purge: --before DATE が要ります / --before DATE is required");
		return EXIT_USAGE;
	}
	if ((rc = open_store(&x, "purge")))
		goto out;
	if ((rc = audit_open(x.s, x.c.audit_key, &log, &x.e)) ||
	    (rc = audit_purge(log, &x.a, o_before, x.c.retention_days, o_as ? o_as : "", audit_cli_channel(&x.a),
	                      &m, &x.e))) {
		rc = fail(&x, "purge", rc);
		goto out;
	}
	if (!strcmp(o_format, "json")) {
		rc = write_json(m);
	} else {
		if (vb_get(m, "removed")->u.num > 0)
			printf("%lld 件を消去しました（項目 %lld-%lld、基点 %s、記録は項目 %lld） / purged %lld entries "
			       "(%lld-%lld); base %s; recorded as entry %lld\n",
			       (long long)vb_get(m, "removed")->u.num, (long long)vb_get(m, "first")->u.num,
			       (long long)vb_get(m, "last")->u.num, vb_get_str(m, "base", ""),
			       (long long)vb_get(m, "seq")->u.num, (long long)vb_get(m, "removed")->u.num,
			       (long long)vb_get(m, "first")->u.num, (long long)vb_get(m, "last")->u.num,
			       vb_get_str(m, "base", ""), (long long)vb_get(m, "seq")->u.num);
		else
			printf("%s より前の記録はありません / no entry is older than %s\n", vb_get_str(m, "before", ""),
			       vb_get_str(m, "before", ""));
		rc = fflush(stdout) ? ERR_IO : OK;
	}
out:
	audit_close(log);
	close_store(&x);
	return err_exit_status(rc);
}

/* ---- the subcommands ---- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "verify", audit_verify_cmd },
	{ "anchor", audit_anchor_cmd },
	{ "export", audit_export_cmd },
	{ "purge", audit_purge_cmd },
};

static const struct opt audit_opts[] = {
	{ OPT_OPERAND, "SUBCOMMAND", 0, NULL, NULL, "verify, anchor, export, purge（各々 --help で詳細）",
	  "verify, anchor, export, purge (each with --help for its options)", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd audit_cmd = { "audit",
	"audit verify [--anchor HASH] [--format table|json]\n"
	"audit anchor [--format table|json]\n"
	"audit export [--since T] [--until T] [--format csv|json]\n"
	"audit purge --before DATE [--as LOGIN]",
	"監査ログ: 検証、先頭の控え、書き出し、保存期間を過ぎた記録の消去（docs/audit.md）",
	"the audit log: verify, anchor, export, purge past the retention period (docs/audit.md)",
	audit_opts, 1, 1, NULL };

int cmd_audit(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || cli_is_help(argv[1])) {
		opt_help(&audit_cmd, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	cli_error("audit: 不明なサブコマンド '%1$s' です（verify, anchor, export, purge） / unknown subcommand '%1$s'"
	          " (verify, anchor, export, purge)", argv[1]);
	return EXIT_USAGE;
}
