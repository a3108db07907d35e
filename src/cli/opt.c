/* Options from a table: parsing and the help text it prints, in one place. */
#include "cli/opt.h"
#include "cli/table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/utf8.h"

static void opt_error(const struct opt_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void opt_error(const struct opt_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	/* the global options' table has no name: "shinsa: …" (shinsa --help) */
	if (cmd->name[0])
		fprintf(stderr, "shinsa: %s: ", cmd->name);
	else
		fputs("shinsa: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (shinsa %s%s--help)\n", cmd->name, cmd->name[0] ? " " : "");
}

/* The choices as "a, b, c", for messages. */
static void choices_text(const struct opt *o, char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; o->choices && o->choices[i]; i++) {
		size_t k = strlen(o->choices[i]);

		if (len + k + 3 >= n)
			break;
		if (i) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, o->choices[i], k);
		len += k;
		out[len] = '\0';
	}
}

static const struct opt *find_long(const struct opt_cmd *cmd, const char *name, size_t n)
{
	const struct opt *o;

	for (o = cmd->opts; o && o->type != OPT_END; o++)
		if (o->type < OPT_OPERAND && strlen(o->name) == n && !memcmp(o->name, name, n))
			return o;
	return NULL;
}

static const struct opt *find_short(const struct opt_cmd *cmd, char c)
{
	const struct opt *o;

	for (o = cmd->opts; o && o->type != OPT_END; o++)
		if (o->type < OPT_OPERAND && o->short_name == c)
			return o;
	return NULL;
}

/* Edit distance of a and b (Levenshtein), for names of up to 63 bytes. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t row[64], i, j;

	if (n > 63 || m > 63)
		return (size_t)-1;
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		size_t diag = row[0], up;

		row[0] = i;
		for (j = 1; j <= m; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[m];
}

/* The option a mistyped one most likely meant: one that starts with it, or
 * is one or two edits from it. NULL when nothing is close. */
static const struct opt *nearest(const struct opt_cmd *cmd, const char *name, size_t n)
{
	const struct opt *o, *best = NULL;
	size_t best_d = 3;

	for (o = cmd->opts; o && o->type != OPT_END; o++) {
		size_t k, d;

		if (o->type >= OPT_OPERAND)
			continue;
		k = strlen(o->name);
		if (n >= 2 && n < k && !memcmp(o->name, name, n))
			return o;
		d = distance(name, n, o->name, k);
		/* two edits only for names long enough that two is a small part */
		if (d < best_d && (d == 1 || (d == 2 && n >= 5))) {
			best = o;
			best_d = d;
		}
	}
	return best;
}

static int set_value(const struct opt_cmd *cmd, const struct opt *o, const char *spelled,
                     const char *arg, const int *given)
{
	char list[512];

	switch (o->type) {
	case OPT_FLAG:
		*(int *)o->value = 1;
		return OPT_OK;
	case OPT_STRING:
		if (*given) {
			opt_error(cmd, "%1$s は一度だけ指定します / %1$s may be given once", spelled);
			return OPT_ERROR;
		}
		*(const char **)o->value = arg;
		return OPT_OK;
	case OPT_LIST: {
		struct opt_list *l = o->value;

		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 4;
			const char **v = realloc(l->v, cap * sizeof(*v));

			if (!v)
				abort();
			l->v = v;
			l->cap = cap;
		}
		l->v[l->n++] = arg;
		return OPT_OK;
	}
	case OPT_CHOICE: {
		size_t i;

		if (*given) {
			opt_error(cmd, "%1$s は一度だけ指定します / %1$s may be given once", spelled);
			return OPT_ERROR;
		}
		for (i = 0; o->choices[i]; i++)
			if (!strcmp(o->choices[i], arg)) {
				*(const char **)o->value = arg;
				return OPT_OK;
			}
		choices_text(o, list, sizeof(list));
		opt_error(cmd, "%1$s は %2$s のいずれかです（'%3$s' ではありません） / %1$s is one of %2$s, not '%3$s'",
		          spelled, list, arg);
		return OPT_ERROR;
	}
	case OPT_INT: {
		char *end;
		long long v;

		if (*given) {
			opt_error(cmd, "%1$s は一度だけ指定します / %1$s may be given once", spelled);
			return OPT_ERROR;
		}
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (end == arg || *end || arg[0] == ' ' || arg[0] == '+') {
			opt_error(cmd, "%1$s には %2$lld から %3$lld までの整数を指定します（'%4$s' ではありません） / "
			          "%1$s takes a whole number from %2$lld to %3$lld, not '%4$s'",
			          spelled, o->min, o->max, arg);
			return OPT_ERROR;
		}
		if (errno == ERANGE || v < o->min || v > o->max) {
			opt_error(cmd, "%1$s の値 '%4$s' は範囲外です（%2$lld から %3$lld まで） / "
			          "%1$s is out of range: '%4$s' (from %2$lld to %3$lld)",
			          spelled, o->min, o->max, arg);
			return OPT_ERROR;
		}
		*(long long *)o->value = v;
		return OPT_OK;
	}
	default:
		return OPT_ERROR;
	}
}

int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, struct opt_result *res)
{
	unsigned char given[128] = { 0 };   /* per table row: seen already */
	int i, dashdash = 0;

	res->n = 0;
	res->operands = (const char **)argv + 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = NULL, *arg = NULL;
		const struct opt *o;
		char spelled[128];
		size_t idx;
		int seen;

		if (!dashdash && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			opt_help(cmd, stdout);
			return OPT_HELP;
		}
		/* "-" is standard input, and "-1" a number (a JSON rule), not options */
		if (dashdash || a[0] != '-' || !strcmp(a, "-") ||
		    ((a[1] >= '0' && a[1] <= '9') && !find_short(cmd, a[1]))) {
			if (res->n >= cmd->max_operands) {
				if (cmd->max_operands == 0)
					opt_error(cmd, "余分な引数です: '%1$s' / unexpected argument '%1$s'", a);
				else
					opt_error(cmd, "引数が多すぎます（%1$zu 個まで）: '%2$s' / too many arguments "
					          "(at most %1$zu): '%2$s'", cmd->max_operands, a);
				return OPT_ERROR;
			}
			/* the write never overtakes the read: n < i */
			argv[1 + res->n++] = (char *)a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
			continue;
		}
		if (a[1] == '-') {
			size_t n;

			eq = strchr(a + 2, '=');
			n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(cmd, a + 2, n);
			if (!o) {
				const struct opt *near = nearest(cmd, a + 2, n);

				if (near)
					opt_error(cmd, "不明なオプションです: '%.*s'（--%s のことですか） / unknown option "
					          "'%.*s' (did you mean --%s?)", (int)(n + 2), a, near->name,
					          (int)(n + 2), a, near->name);
				else
					opt_error(cmd, "不明なオプションです: '%1$.*2$s' / unknown option '%1$.*2$s'",
					          a, (int)(n + 2));
				return OPT_ERROR;
			}
			if (eq)
				arg = eq + 1;
		} else {
			o = a[2] ? NULL : find_short(cmd, a[1]);
			if (!o) {
				opt_error(cmd, "不明なオプションです: '%1$s' / unknown option '%1$s'", a);
				return OPT_ERROR;
			}
		}
		if (o->short_name && a[1] != '-') {
			spelled[0] = '-';
			spelled[1] = o->short_name;
			spelled[2] = '\0';
		} else {
			size_t k = strlen(o->name);

			if (k > sizeof(spelled) - 3)
				k = sizeof(spelled) - 3;
			spelled[0] = spelled[1] = '-';
			memcpy(spelled + 2, o->name, k);
			spelled[k + 2] = '\0';
		}
		if (o->type == OPT_FLAG) {
			if (eq) {
				opt_error(cmd, "%1$s は値をとりません / %1$s takes no value", spelled);
				return OPT_ERROR;
			}
		} else if (!arg) {
			if (i + 1 >= argc) {
				opt_error(cmd, "%1$s には値 %2$s が要ります / %1$s needs a value (%2$s)", spelled,
				          o->arg ? o->arg : "VALUE");
				return OPT_ERROR;
			}
			arg = argv[++i];
		}
		idx = (size_t)(o - cmd->opts);
		seen = idx < sizeof(given) ? given[idx] : 0;
		if (set_value(cmd, o, spelled, arg, &seen))
			return OPT_ERROR;
		if (idx < sizeof(given))
			given[idx] = 1;
	}
	if (res->n < cmd->min_operands) {
		const struct opt *o;
		const char *what = NULL;
		size_t k = 0;

		for (o = cmd->opts; o && o->type != OPT_END; o++)
			if (o->type == OPT_OPERAND && k++ == res->n) {
				what = o->name;
				break;
			}
		opt_error(cmd, "%1$s が要ります / %1$s is needed", what ? what : "引数 / an argument");
		return OPT_ERROR;
	}
	return OPT_OK;
}

int opt_take(const struct opt_cmd *cmd, int *argc, char **argv)
{
	unsigned char given[128] = { 0 };
	int i, out = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i], *eq = NULL, *arg = NULL;
		const struct opt *o = NULL;
		char spelled[128];
		size_t n, idx;
		int seen, k;

		if (!strcmp(a, "--")) {
			/* the rest is the command's, "--" included */
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (a[0] == '-' && a[1] == '-') {
			eq = strchr(a + 2, '=');
			n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(cmd, a + 2, n);
		}
		if (!o) {
			argv[out++] = argv[i];
			continue;
		}
		k = fmt_snprintf(spelled, sizeof(spelled), "--%s", o->name);
		if (k < 0)
			spelled[sizeof(spelled) - 1] = '\0';
		if (eq)
			arg = eq + 1;
		if (o->type == OPT_FLAG && eq) {
			opt_error(cmd, "%1$s は値をとりません / %1$s takes no value", spelled);
			return OPT_ERROR;
		}
		if (o->type != OPT_FLAG && !arg) {
			if (i + 1 >= *argc) {
				opt_error(cmd, "%1$s には値 %2$s が要ります / %1$s needs a value (%2$s)", spelled,
				          o->arg ? o->arg : "VALUE");
				return OPT_ERROR;
			}
			arg = argv[++i];
		}
		idx = (size_t)(o - cmd->opts);
		seen = idx < sizeof(given) ? given[idx] : 0;
		if (set_value(cmd, o, spelled, arg, &seen))
			return OPT_ERROR;
		if (idx < sizeof(given))
			given[idx] = 1;
	}
	*argc = out;
	argv[out] = NULL;
	return OPT_OK;
}

/* Print s from column col of a line, broken to fit width (Japanese line
 * breaking, cli/table.h), each following line indented to col. */
static void print_wrapped(FILE *f, const char *s, size_t col, size_t width)
{
	size_t avail = width > col + 20 ? width - col : 20, used, skip, k, i;

	if (!s)
		return;
	int first = 1;

	while (*s) {
		k = table_line(s, avail, &used, &skip);
		if (!first)
			for (i = 0; i < col; i++)
				fputc(' ', f);
		fwrite(s, 1, k, f);
		fputc('\n', f);
		first = 0;
		s += k + skip;
		if (!k && !skip)
			break;
	}
	if (first)
		fputc('\n', f);
}

/* Print s padded with spaces to width display columns (East Asian widths). */
static void pad(FILE *f, const char *s, size_t width)
{
	size_t w = utf8_width(s, strlen(s));

	fputs(s, f);
	while (w++ < width)
		fputc(' ', f);
}

void opt_help(const struct opt_cmd *cmd, FILE *f)
{
	const struct opt *o;
	size_t col = 0, width = table_width(f);
	char head[160];

	if (width > 100)
		width = 100;     /* help reads best in a column, even on a wide terminal */
	fprintf(f, "使い方 / usage:\n");
	{
		const char *u = cmd->usage, *nl;

		/* every line of the synopsis */
		for (; u && *u; u = nl ? nl + 1 : u + strlen(u)) {
			nl = strchr(u, '\n');
			/* a synopsis line starts "shinsa …"; one that starts with spaces
			 * continues the line before it, under the command's name */
			fprintf(f, "  %s%.*s\n", *u == ' ' ? "" : "shinsa ", nl ? (int)(nl - u) : (int)strlen(u), u);
			if (!nl)
				break;
		}
	}
	fputc('\n', f);
	print_wrapped(f, cmd->about_ja, 0, width);
	print_wrapped(f, cmd->about_en, 0, width);
	/* the column the descriptions start in: the widest "  --name ARG" + 2 */
	for (o = cmd->opts; o && o->type != OPT_END; o++) {
		size_t w;

		if (o->type == OPT_TEXT)
			continue;
		if (o->type == OPT_OPERAND)
			w = strlen(o->name);
		else
			w = 2 + strlen(o->name) + (o->arg ? 1 + strlen(o->arg) : 0) + (o->short_name ? 4 : 0);
		if (w > col)
			col = w;
	}
	col = col + 4 > 30 ? 30 : col + 4;
	if (cmd->opts && cmd->opts->type != OPT_END)
		fputc('\n', f);
	for (o = cmd->opts; o && o->type != OPT_END; o++) {
		int k;

		if (o->type == OPT_TEXT) {
			fprintf(f, "%s%s%s%s", o->help_ja ? o->help_ja : "", o->help_ja ? "\n" : "",
			        o->help_en ? o->help_en : "", o->help_en ? "\n" : "");
			continue;
		}
		if (o->type == OPT_OPERAND) {
			size_t n = strlen(o->name);

			memcpy(head, "  ", 2);
			if (n > sizeof(head) - 3)
				n = sizeof(head) - 3;
			memcpy(head + 2, o->name, n);
			head[n + 2] = '\0';
		} else {
			char sh[8] = "";

			if (o->short_name) {
				sh[0] = '-';
				sh[1] = o->short_name;
				sh[2] = ',';
				sh[3] = ' ';
				sh[4] = '\0';
			}
			k = fmt_snprintf(head, sizeof(head), "  %s--%s%s%s", sh, o->name, o->arg ? " " : "",
			                 o->arg ? o->arg : "");
			if (k < 0)
				head[sizeof(head) - 1] = '\0';
		}
		if (utf8_width(head, strlen(head)) + 1 > col) {
			fprintf(f, "%s\n", head);
			pad(f, "", col);
		} else {
			pad(f, head, col);
		}
		print_wrapped(f, o->help_ja ? o->help_ja : "", col, width);
		if (o->help_en) {
			pad(f, "", col);
			print_wrapped(f, o->help_en, col, width);
		}
		if (o->type == OPT_CHOICE && o->choices) {
			char list[512];

			choices_text(o, list, sizeof(list));
			pad(f, "", col);
			fprintf(f, "（%s）\n", list);
		}
		if (o->type == OPT_INT) {
			pad(f, "", col);
			fprintf(f, "（%lld〜%lld）\n", o->min, o->max);
		}
	}
	if (cmd->footer)
		fprintf(f, "\n%s", cmd->footer);
}

int opt_exit(int rc)
{
	return rc == OPT_HELP ? EXIT_OK : EXIT_USAGE;
}

void opt_list_free(struct opt_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
