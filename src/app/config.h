/* The deployment's configuration file: a YAML mapping of a few keys (the
 * database, the body's name, the audit key, the bindings of the packs'
 * parties), each checked with its position, unknown keys refused.
 * docs/operations.md describes the file, docs/routing.md the bindings. */
#ifndef SHINSA_CONFIG_H
#define SHINSA_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

#define CONFIG_MAX_BYTES ((size_t)1 << 20)
#define CONFIG_DEFAULT_DB "./shinsa.db"
#define CONFIG_AUDITKEY_SUFFIX ".auditkey"
#define CONFIG_RETENTION_MIN 365       /* the standards keep records a year */
#define CONFIG_RETENTION_MAX 36500

/* How a party of a pack is bound to users (docs/routing.md). */
enum app_bind_how {
	BIND_USERS = 0,          /* named users */
	BIND_DEPT,               /* the users of a department (with a title, those with it) */
	BIND_APPLICANT_DEPT,     /* the users of the applicant's own department (with a title…) */
};

/* One binding as the file writes it under bindings: PACK: PARTY: {…}. The
 * pack and the party are checked against the packs when the bindings are
 * used (app/binding.h), with these positions. */
struct app_config_binding {
	const char *pack, *party;    /* as written: a pack's id; a party's id or its words */
	int how;                     /* enum app_bind_how */
	const char **users;          /* BIND_USERS: the logins, in order */
	size_t nusers;
	const char *dept, *title;    /* NULL when not given */
	uint32_t line, col;          /* the party's key */
	uint32_t pack_line, pack_col;   /* the pack's key */
};

struct app_config {
	const char *file;        /* the file read, or NULL */
	const char *database;    /* a path or a URL (sqlite:…); NULL when not set */
	const char *body_name;   /* 安城市…; NULL when not set */
	const char *audit_key;   /* the audit key's file; NULL when not set */
	const char *audit_retention_days;   /* as written; NULL when not set */
	long long retention_days;   /* resolved: at least AUDIT_RETENTION_MIN_DAYS (365) */
	struct app_config_binding *bindings;   /* bindings:, in the file's order */
	size_t nbindings;
	/* reviews (docs/reviews.md): as written, NULL when not set */
	const char *review_cycle_months;    /* where a pack says only 定期的 */
	const char *personnel_move_date;    /* MM-DD of the yearly personnel move */
	const char *review_notice_days;     /* how long before its due date a review is listed as due */
	const char *review_event_days;      /* how long after a recorded event its review falls due */
	/* resolved by app_config_resolve (a zeroed struct means the defaults) */
	int cycle_months;                   /* CONFIG_DEFAULT_CYCLE_MONTHS */
	int personnel_month, personnel_day; /* 4, 1 */
	int notice_days, event_days;        /* CONFIG_DEFAULT_NOTICE_DAYS, CONFIG_DEFAULT_EVENT_DAYS */
	/* tasks (docs/applications.md): a step's task falls due this many days after it is opened where
	 * the pack states no date; the deployment's own setting, never the body's */
	const char *task_due_days;          /* as written, NULL when not set */
	int task_days;                      /* resolved: CONFIG_DEFAULT_TASK_DAYS */
};

/* Review settings' defaults and bounds. The cycle's default is the policy
 * layer's POLICY_DEFAULT_CYCLE_MONTHS and the personnel move's
 * POLICY_DEFAULT_PERSONNEL_DATE (policy/policy.h). */
#define CONFIG_CYCLE_MONTHS_MAX 120
#define CONFIG_DEFAULT_NOTICE_DAYS 30
#define CONFIG_DEFAULT_EVENT_DAYS 30
#define CONFIG_REVIEW_DAYS_MAX 366
#define CONFIG_DEFAULT_TASK_DAYS 14

/* One key of the file: its name, where its value goes, how it is read, and
 * what it is (for the docs and messages). */
enum app_config_kind {
	CONFIG_TARGET,   /* a database: a path (resolved beside the file) or a URL */
	CONFIG_PATH,     /* a file's path, resolved beside the file */
	CONFIG_TEXT,     /* text as written */
	CONFIG_DAYS,     /* a whole number of days, at least CONFIG_RETENTION_MIN */
	CONFIG_BINDINGS, /* a mapping: pack → party → binding (offset unused) */
	CONFIG_MONTHS,   /* a whole number of months, 1..CONFIG_CYCLE_MONTHS_MAX */
	CONFIG_MMDD,     /* a day of the year, MM-DD */
	CONFIG_COUNT,    /* a whole number of days, 0..CONFIG_REVIEW_DAYS_MAX */
};
struct app_config_key {
	const char *name;
	size_t offset;               /* of its const char * in struct app_config */
	enum app_config_kind kind;
	const char *help_ja, *help_en;
};
extern const struct app_config_key app_config_keys[];   /* ending with a NULL name */

/* Read path into c (zeroed first). Relative paths in it are relative to the
 * file's folder. A mistake is ERR_INVALID with the file, line and column in e. */
int app_config_load(struct arena *a, const char *path, struct app_config *c, struct err *e);
/* The same from text in memory (n bytes; path names it in messages and
 * anchors its relative paths): the fuzz target's entry. */
int app_config_load_text(struct arena *a, const char *path, const char *text, size_t n, struct app_config *c,
                         struct err *e);

/* The settings in force: db (--db, when given) over the file's database over
 * ./shinsa.db; the audit key the file names, else the database's file with
 * ".auditkey" after it. A database kept on a server needs audit_key. */
int app_config_resolve(struct arena *a, struct app_config *c, const char *db, struct err *e);

#endif
