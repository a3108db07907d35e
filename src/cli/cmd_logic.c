/* shinsa logic eval: evaluate a JsonLogic rule against data, once or for every
 * line of a JSON Lines stream, with errors that say what and where. */
#include "cli/cli.h"
#include "cli/opt.h"
#include "core/fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "logic/json.h"
#include "logic/jw.h"
#include "logic/logic.h"
#include "policy/policy.h"

/* The reference lists that shinsa.in_list may name, from the policy directory;
 * NULL when there are none (the operator then reports an unknown list), with
 * *nolists the directory they could not be loaded from, for the message.
 * Standard operators need nothing from it: a missing folder is no error.
 * policy_set_open leaves set NULL on failure. */
static const struct logic_env *ref_env(struct arena *a, const char **nolists)
{
	struct policy_set *set = NULL;
	struct diag d = { 0 };
	const char *dir = policy_default_dir();
	int rc = policy_set_open(a, dir, &set, &d);

	diag_free(&d);
	*nolists = NULL;
	if (rc || !set) {
		*nolists = dir;
		return NULL;
	}
	return policy_set_env(set);
}

/* Why a rule naming a reference list did not compile, when the lists could
 * not be loaded: "" otherwise. */
static const char *nolists_hint(struct arena *a, int rc, const char *nolists)
{
	if (rc != ERR_NOTFOUND || !nolists)
		return "";
	return arena_printf(a, " (参照リストを読めません / no reference lists: cannot load the policy "
	                       "directory %s)", nolists);
}

static int opt_batch, opt_missing;

static const struct opt eval_opts[] = {
	{ OPT_OPERAND, "RULE", 0, NULL, NULL,
	  "JSON テキスト、または @ファイル名（@- は標準入力）",
	  "JSON text, or @file (@- reads standard input)", NULL, 0, 0 },
	{ OPT_OPERAND, "DATA", 0, NULL, NULL, "同じく。省略時は null", "the same; null when left out", NULL, 0, 0 },
	{ OPT_FLAG, "batch", 0, NULL, &opt_batch,
	  "標準入力の JSON Lines {\"rule\":…,\"data\":…} を1行ずつ評価し、1行ごとに {\"result\":…} "
	  "または {\"error\":{\"type\":…,\"message\":…}} を出力（1行 64 MiB まで）",
	  "read JSON Lines from stdin; write one result or error line per input (64 MiB a line)",
	  NULL, 0, 0 },
	{ OPT_FLAG, "missing", 0, NULL, &opt_missing,
	  "欠けていた事実（var のパス）も出力: {\"result\":…,\"missing\":[…]}",
	  "also report the var paths that were absent or null", NULL, 0, 0 },
	OPT_END_ROW,
};

static const struct opt_cmd eval_cmd = {
	"logic eval",
	"logic eval [--missing] RULE [DATA]\n"
	"logic eval --batch [--missing] < input.jsonl",
	"JsonLogic のルールを評価し、結果を JSON で出力します。",
	"Evaluate a JsonLogic rule and print the result as JSON.",
	eval_opts, 0, 2,
	"参照リスト（policies/reference/）も使えます / reference lists are available:\n"
	"  shinsa logic eval '{\"shinsa.in_list\":[[\"AES-256-GCM\"],\"cryptrec.recommended\"]}'\n"
	"\n"
	"終了状態 / exit status:\n"
	"  0  評価できた / evaluated\n"
	"  1  ルールが例外を投げた（NaN など）/ the rule threw (NaN, throw, …)\n"
	"  2  入力の誤り（JSON の構文、未知の演算子、引数の数）/ bad input\n"
	"     (malformed JSON, unknown operator, wrong argument count)\n"
	"\n"
	"例 / example:\n"
	"  shinsa logic eval '{\"all\":[{\"var\":\"data.regions\"},{\"==\":[{\"var\":\"\"},\"JP\"]}]}' \\\n"
	"                    '{\"data\":{\"regions\":[\"JP\"]}}'\n",
};

static const char logic_usage[] =
	"使い方 / usage:\n"
	"  shinsa logic eval [--missing] RULE [DATA]\n"
	"  shinsa logic eval --batch [--missing] < input.jsonl\n"
	"\n"
	"JsonLogic のルールを評価します。詳しくは shinsa logic eval --help。\n"
	"Evaluate JsonLogic rules; see 'shinsa logic eval --help'.\n";

/* Error types for what goes wrong before evaluation, named like the
 * run-time ones so that scripts can switch on one field. */
static const char *compile_error_type(int code)
{
	switch (code) {
	case ERR_NOTFOUND: return "Unknown Operator";
	case ERR_TOOLARGE: return "Limit Exceeded";
	default: return "Invalid Arguments";
	}
}

static void write_missing(struct buf *out, const struct logic_result *res)
{
	struct jw w;

	/* continues an object already open in out: ,"missing":[…] */
	jw_init(&w, out);
	buf_adds(out, ",\"missing\":");
	jw_strs(&w, res->missing, res->nmissing);
}

static void write_error(struct buf *out, const char *type, const char *msg)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "type", type);
	jw_kstr(&w, "message", msg);
	jw_end_obj(&w);
	jw_end_obj(&w);
}

static int eval_single(struct arena *a, const char *rule_arg, const char *data_arg, int missing,
                       const struct logic_env *env, const char *nolists)
{
	const struct lval *rule, *data = LV_NULLV;
	struct logic_rule *r;
	struct logic_result res;
	struct buf out = BUF_INIT;
	const char *origin;
	struct err e;
	char *text;
	size_t n, i;
	int rc;

	if ((rc = cli_read_arg(a, rule_arg, &text, &n, &origin, &e))) {
		cli_error("RULE: %s", e.msg);
		return err_exit_status(rc);
	}
	if ((rc = json_parse(a, text, n, &rule, &e))) {
		cli_error("RULE%1$s%2$s: JSON の誤り（%3$u 行 %4$u 列: %5$s） / invalid JSON: line %3$u, column %4$u: %5$s",
		          origin ? " " : "", origin ? origin : "", e.line, e.col, e.msg);
		return err_exit_status(rc);
	}
	if (data_arg) {
		if ((rc = cli_read_arg(a, data_arg, &text, &n, &origin, &e))) {
			cli_error("DATA: %s", e.msg);
			return err_exit_status(rc);
		}
		if ((rc = json_parse(a, text, n, &data, &e))) {
			cli_error("DATA%1$s%2$s: JSON の誤り（%3$u 行 %4$u 列: %5$s） / invalid JSON: line %3$u, column %4$u: %5$s",
			          origin ? " " : "", origin ? origin : "", e.line, e.col, e.msg);
			return err_exit_status(rc);
		}
	}
	if ((rc = logic_compile_env(a, rule, NULL, 0, env, &r, &e))) {
		cli_error("RULE: %s: %s%s", compile_error_type(rc), e.msg, nolists_hint(a, rc, nolists));
		return err_exit_status(rc);
	}
	rc = logic_eval(r, data, a, &res);
	if (rc) {
		cli_error("ルールが例外 %1$s を返しました / the rule threw: %1$s", logic_error_type(a, res.error));
		return EXIT_FAIL;
	}
	for (i = 0; i < res.nnotes; i++)
		fprintf(stderr, "shinsa: note: %s\n", res.notes[i]);
	if (missing) {
		buf_adds(&out, "{\"result\":");
		lval_add_json(&out, res.value);
		write_missing(&out, &res);
		buf_addc(&out, '}');
	} else {
		lval_add_json(&out, res.value);
	}
	buf_addc(&out, '\n');
	rc = cli_write(&out, stdout);
	buf_free(&out);
	return rc ? EXIT_INTERNAL : EXIT_OK;
}

/* One line of --batch into out; returns 1 when the input itself was bad. */
static int batch_line(struct arena *a, const char *line, size_t n, size_t lineno,
                      int missing, const struct logic_env *env, const char *nolists,
                      struct buf *out)
{
	const struct lval *doc, *rule, *data;
	struct logic_rule *r;
	struct logic_result res;
	struct err e;
	char msg[ERR_MSG_MAX + 64];
	int rc;

	if (json_parse(a, line, n, &doc, &e)) {
		fmt_message(msg, sizeof(msg), "input line %zu: line %u, column %u: %s", lineno, e.line, e.col,
		         e.msg);
		write_error(out, "Invalid JSON", msg);
		return 1;
	}
	if (doc->type != LV_OBJ || !(rule = lval_get(doc, "rule", 4))) {
		fmt_message(msg, sizeof(msg), "input line %zu: expected an object with \"rule\" (and \"data\")", lineno);
		write_error(out, "Invalid Input", msg);
		return 1;
	}
	data = lval_get(doc, "data", 4);
	if ((rc = logic_compile_env(a, rule, NULL, 0, env, &r, &e))) {
		fmt_message(msg, sizeof(msg), "input line %zu: rule.%s%s", lineno, e.msg,
		            nolists_hint(a, rc, nolists));
		write_error(out, compile_error_type(rc), msg);
		return 1;
	}
	if (logic_eval(r, data ? data : LV_NULLV, a, &res)) {
		const char *t = logic_error_type(a, res.error);

		fmt_message(msg, sizeof(msg), "input line %zu: the rule threw %s", lineno, t);
		write_error(out, t, msg);
		return 0;
	}
	buf_adds(out, "{\"result\":");
	lval_add_json(out, res.value);
	if (missing)
		write_missing(out, &res);
	buf_addc(out, '}');
	return 0;
}

/* Lines of a stream, read a block at a time. A line is kept up to a cap
 * and the rest of a longer one is read and dropped, so memory stays at the
 * cap plus a block whatever the input (a stream with no newline at all). */
struct line_reader {
	FILE *f;
	size_t pos, len;
	int eof;
	char blk[1 << 16];
};

/* The next line into line (without its newline), keeping at most max
 * bytes. Returns 0 at the end of the input, 1 for a line, -1 for a line
 * longer than max (then line holds nothing). */
static int line_next(struct line_reader *r, struct buf *line, size_t max)
{
	int any = 0, over = 0;

	buf_reset(line);
	for (;;) {
		const char *s, *nl;
		size_t n;

		if (r->pos == r->len) {
			if (r->eof)
				break;
			r->pos = 0;
			r->len = fread(r->blk, 1, sizeof(r->blk), r->f);
			if (!r->len) {
				r->eof = 1;
				break;
			}
		}
		any = 1;
		s = r->blk + r->pos;
		nl = memchr(s, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - s) : r->len - r->pos;
		if (!over && n > max - line->len) {
			over = 1;
			buf_reset(line);
		}
		if (!over)
			buf_add(line, s, n);
		r->pos += n + (nl != NULL);
		if (nl)
			break;
	}
	if (buf_error(line))
		over = 1;
	return !any ? 0 : over ? -1 : 1;
}

static int eval_batch(struct arena *a, int missing, const struct logic_env *env,
                      const char *nolists)
{
	struct line_reader *r = calloc(1, sizeof(*r));
	size_t lineno = 0, bad = 0;
	struct buf line = BUF_INIT, out = BUF_INIT;
	int got, werr = 0;

	if (!r)
		abort();
	r->f = stdin;
	/* a trailing CR is not part of the line: room for it past the cap */
	buf_init(&line, CLI_MAX_INPUT + 1);
	while ((got = line_next(r, &line, CLI_MAX_INPUT + 1))) {
		struct arena_mark m = arena_mark(a);
		size_t n = line.len;

		lineno++;
		while (got > 0 && n && (line.data[n - 1] == '\n' || line.data[n - 1] == '\r'))
			n--;
		if (got > 0 && n == 0)
			continue;
		if (got < 0 || n > CLI_MAX_INPUT) {
			char msg[128];

			fmt_message(msg, sizeof(msg), "input line %zu: longer than %zu bytes", lineno, CLI_MAX_INPUT);
			write_error(&out, "Invalid Input", msg);
			bad++;
		} else {
			bad += (size_t)batch_line(a, line.data, n, lineno, missing, env, nolists, &out);
		}
		buf_addc(&out, '\n');
		arena_rewind(a, m);
		if (out.len > (1 << 16) || buf_error(&out)) {
			if (cli_write(&out, stdout)) {
				werr = 1;
				break;
			}
			buf_reset(&out);
		}
	}
	if (!werr && cli_write(&out, stdout))
		werr = 1;
	buf_free(&out);
	buf_free(&line);
	free(r);
	if (werr)
		return EXIT_INTERNAL;
	if (fflush(stdout)) {
		cli_error("出力を書けません / cannot write the output");
		return EXIT_INTERNAL;
	}
	if (bad) {
		cli_error("入力 %2$zu 行のうち %1$zu 行に誤りがあります / %1$zu of %2$zu input lines were malformed (see their error lines)", bad, lineno);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int logic_eval_cmd(int argc, char **argv)
{
	struct arena a;
	struct opt_result res;
	const struct logic_env *env;
	const char *nolists;
	int rc;

	opt_batch = opt_missing = 0;
	if ((rc = opt_parse(&eval_cmd, argc, argv, &res)))
		return opt_exit(rc);
	if (opt_batch && res.n) {
		cli_error("logic eval: --batch は標準入力を読むので RULE も DATA も取りません / --batch reads standard input and takes no RULE or DATA");
		return EXIT_USAGE;
	}
	if (!opt_batch && !res.n) {
		cli_error("logic eval: RULE がありません（shinsa logic eval --help を参照） / RULE is missing (see 'shinsa logic eval --help')");
		return EXIT_USAGE;
	}
	arena_init(&a, 1 << 16);
	env = ref_env(&a, &nolists);
	rc = opt_batch ? eval_batch(&a, opt_missing, env, nolists)
	               : eval_single(&a, res.operands[0], res.n > 1 ? res.operands[1] : NULL, opt_missing,
	                             env, nolists);
	arena_release(&a);
	return rc;
}

int cmd_logic(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(logic_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "eval"))
		return logic_eval_cmd(argc - 1, argv + 1);
	cli_error("logic: 不明なサブコマンド '%1$s' です（eval があります） / unknown subcommand '%1$s' (try 'eval')", argv[1]);
	return EXIT_USAGE;
}
