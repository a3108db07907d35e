/* Command-line options from one table per command, as git's parse-options:
 * the same table parses the arguments and prints the help, so an option and
 * its description cannot drift apart. --opt value and --opt=value both work;
 * options and operands may come in any order; "--" ends the options. */
#ifndef SHINSA_OPT_H
#define SHINSA_OPT_H

#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_END = 0,
	OPT_FLAG,      /* --name: *(int *)value = 1 */
	OPT_STRING,    /* --name ARG: *(const char **)value = ARG (given twice: an error) */
	OPT_LIST,      /* --name ARG, repeatable: appended to *(struct opt_list *)value */
	OPT_CHOICE,    /* --name ARG, one of choices[]: *(const char **)value = ARG */
	OPT_INT,       /* --name N, min..max: *(long long *)value = N */
	OPT_OPERAND,   /* not an option: documents an operand (PROFILE, FILE…) in the help */
	OPT_TEXT,      /* not an option: a line of help text (help_ja, then help_en) */
};

struct opt {
	enum opt_type type;
	const char *name;            /* long name without "--"; the operand's name for OPT_OPERAND */
	char short_name;             /* -x, or 0 */
	const char *arg;             /* the value's name in the help: "ID", "FILE" */
	void *value;
	const char *help_ja, *help_en;
	const char *const *choices;  /* OPT_CHOICE: NULL-terminated */
	long long min, max;          /* OPT_INT */
};

struct opt_list {
	const char **v;              /* owned by the parser's caller: argv strings */
	size_t n, cap;
};

struct opt_cmd {
	const char *name;            /* "evaluate", "policy diff" */
	const char *usage;           /* the synopsis without "shinsa ", a line each; a line
	                              * that starts with spaces continues the one before */
	const char *about_ja, *about_en;
	const struct opt *opts;      /* ending with an OPT_END entry */
	size_t min_operands, max_operands;   /* max 0: no operands allowed */
	const char *footer;          /* printed after the options (may be NULL) */
};

/* What opt_parse found: the operands in order. They are gathered at the
 * front of argv itself (argv[1..n], as git's parse-options does), so there is
 * no limit to how many and nothing to free. */
struct opt_result {
	const char **operands;
	size_t n;
};

enum { OPT_OK = 0, OPT_HELP = 1, OPT_ERROR = -1 };

/* The row that ends a table. */
#define OPT_END_ROW { OPT_END, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0 }

/* The row of every command that reads the policy packs. */
#define OPT_POLICIES(var) \
	{ OPT_STRING, "policies", 0, "DIR", (var), \
	  "基準ファイル（パック）のフォルダ（既定: $SHINSA_POLICIES、なければ導入先の " \
	  "share/shinsa/policies、なければソースの policies/）", \
	  "the folder of policy packs (default: $SHINSA_POLICIES, else the installed " \
	  "share/shinsa/policies, else the source's policies/)", NULL, 0, 0 }

/* max_operands for "as many as are given" */
#define OPT_ANY ((size_t)-1)

/* Parse argv[1..argc-1] (argv[0] is the command's name) against cmd. Returns
 * OPT_OK; OPT_HELP after printing the help on stdout (--help or -h); or
 * OPT_ERROR after printing "shinsa: NAME: what is wrong" on stderr, in
 * Japanese then English, naming the option and what it takes. Operands that
 * begin with "-" (other than "-" alone, standard input) must follow "--". */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, struct opt_result *res);

/* Take the options of cmd's table out of argv[1..*argc-1] wherever they
 * stand (before a "--"), setting their values as opt_parse does, and leave
 * everything else in order, *argc and argv[*argc] = NULL updated: the global
 * options (--db, --config) that may come before or after the command. Only
 * long options are taken. Returns OPT_OK, or OPT_ERROR after the message. */
int opt_take(const struct opt_cmd *cmd, int *argc, char **argv);

/* Print cmd's help, generated from its table. */
void opt_help(const struct opt_cmd *cmd, FILE *f);

/* The exit status for a result of opt_parse that is not OPT_OK. */
int opt_exit(int rc);

/* Free what OPT_LIST values grew (the strings are argv's). */
void opt_list_free(struct opt_list *l);

#endif
