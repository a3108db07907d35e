/* Policy packs: one public body's standard as data (docs/policy-format.md),
 * loaded whole or not at all, with every mistake reported as
 * file:line:column: message. Also the fact vocabulary the packs read, the
 * reference lists their checks may name, and the models (value trees) of
 * what `shinsa policy` shows: docs/policy-module.md. */
#ifndef SHINSA_POLICY_H
#define SHINSA_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/err.h"
#include "logic/logic.h"
#include "logic/value.h"
#include "policy/reflist.h"


/* ---- the vocabulary ---- */

enum policy_fact_type { FT_STRING, FT_BOOL, FT_INTEGER, FT_DATE, FT_ENUM, FT_LIST, FT_COUNTRY };

struct policy_fact {
	const char *path;
	uint8_t type;          /* enum policy_fact_type */
	uint8_t item_type;     /* FT_LIST: type of the items (FT_STRING, FT_COUNTRY, FT_ENUM) */
	const char **values;   /* FT_ENUM (or list of enum): allowed values */
	size_t nvalues;
	const char **value_labels; /* parallel to values (NULL entries when not given) */
	const char *label, *label_en, *help, *group, *example, *unit, *why;
	int added;                 /* added beyond DESIGN §2.1 (or by a pack's facts file) */
	int has_min, has_max;      /* FT_INTEGER bounds */
	long long min, max;
	const char *file;          /* where it is defined */
};

struct policy_vocab_group {
	const char *id, *label, *label_en;
};

struct policy_vocab {
	struct policy_fact *facts;
	size_t n;
	const struct policy_fact **sorted;   /* by path, for lookups */
	struct policy_vocab_group *groups;   /* display order */
	size_t ngroups;
	const char *file;
};

const char *policy_fact_type_name(int type);      /* "string", "enum"… */
const char *policy_fact_type_ja(int type);        /* 文字列, 選択… */
int policy_fact_type_of(const char *name);        /* FT_*, or -1 */
const struct policy_fact *policy_vocab_find(const struct policy_vocab *v, const char *path, size_t n);
/* Is path a fact, or a prefix of facts (e.g. "crypto.transit")? */
int policy_vocab_has_prefix(const struct policy_vocab *v, const char *path, size_t n);

/* ---- packs ---- */

enum policy_obligation { OB_NA = 0, OB_OPTIONAL, OB_RECOMMENDED, OB_REQUIRED };
enum policy_phase { PH_NONE = 0, PH_SELECTION, PH_CONTRACT, PH_BUILD, PH_OPERATION, PH_TERMINATION };
enum policy_on_unmet { UNMET_CONSULT = 0, UNMET_REJECT, UNMET_ACCEPT_RISK,
	UNMET_UNSPECIFIED            /* the standard gives no path (the seed is silent) */ };

/* The fixed topic list (DESIGN §2.3), defined once in policy_names.c with
 * its labels: every report that names a topic takes the words from here. */
struct policy_topic {
	const char *name;            /* "encryption-transit", as packs write it */
	const char *ja, *en;         /* 通信の暗号化 / encryption in transit */
};

extern const char *const policy_topics[];   /* the names, by index */
extern const size_t policy_ntopics;
const struct policy_topic *policy_topic(size_t i);   /* NULL past the end */
long policy_topic_index(const char *name);            /* or -1 */
const char *policy_topic_ja(size_t i);                /* "" past the end */

const char *policy_obligation_name(int ob);   /* "required"… */
const char *policy_obligation_ja(int ob);     /* 必須… */
int policy_obligation_of(const char *name);   /* OB_*, or -1 */
const char *policy_phase_name(int ph);
const char *policy_phase_ja(int ph);
int policy_phase_of(const char *name);        /* PH_*, PH_NONE when unknown */

struct policy_pos {
	uint32_t line, col;
};

struct policy_cond {
	const struct lval *json;
	struct logic_rule *rule;
	struct policy_pos at;
	const char **paths;          /* the facts it reads (var/val outside iterations), once each */
	size_t npaths;
	int positive;                /* no negation in it (!, !=, !==, none, missing): a true
	                              * answer stays true whatever a missing fact turns out to be */
};

struct profile_answers {             /* a manual item's options, in the body's words */
	const char *prompt;
	const char **options;
	size_t noptions;
	const char **met, **accepted, **na;
	size_t nmet, naccepted, nna;
};

/* A criterion's parameter: its value at each level (NULL where none). */
struct policy_param {
	const char *name;            /* "min_days", read as {"var": "param.min_days"} */
	const struct lval **at;      /* per level */
	struct policy_pos pos;
};

/* obligation_when: at the levels it names, the obligation when `when` holds. */
struct policy_ob_when {
	struct policy_cond when;
	uint8_t *ob;                 /* per level; levels it does not name keep the base */
	const char *note;
};

struct policy_alt {
	struct policy_cond check;
	const char *note;
};

struct policy_criterion {
	const char *id, *ref, *category, *title, *requirement, *risk;
	uint8_t phase;
	uint32_t topics;             /* bit i = policy_topics[i] */
	uint8_t *ob;                 /* per level (index into pack levels) */
	struct policy_cond *check;          /* NULL for manual */
	struct profile_answers *manual;      /* manual, or accept_options of a checked item */
	struct policy_cond *when;
	struct policy_alt *alts;
	size_t nalts;
	/* when it is judged, and what its being unmet leads to (policy_proc.c) */
	uint8_t stage;               /* enum policy_stage */
	int8_t on_unmet;             /* UNMET_*, or -1: the level's procedure decides */
	const char *on_unmet_ref, *on_unmet_text;   /* {action, ref, text}: the seed line */
	struct policy_pos at;
	/* issue #11 (7), policy_levels.c: values that differ by level, read by
	 * `check` as {"var": "param.NAME"}, and the check compiled per level
	 * with them (check_at[level]; NULL: c->check serves every level); the
	 * obligations that depend on an application fact (the first whose
	 * `when` holds decides; else ob). */
	struct policy_param *params;
	size_t nparams;
	struct policy_cond **check_at;
	struct policy_ob_when *ob_when;
	size_t nob_when;
};

struct policy_level {
	const char *id, *name, *definition;
	const char **examples;
	size_t nexamples;
	int governed;
};

struct policy_group {
	const char *id, *title;
	size_t *members;             /* criterion indexes */
	size_t nmembers;
	long prefer;                 /* criterion index or -1 */
	uint8_t *ob;
	struct policy_pos at;
	uint8_t *member_at;          /* any_of by level: [j * nlevels + level] = member j is an
	                              * alternative there; NULL: every member at every level */
};

struct policy_risk {
	const char *id, *ref, *title, *text;
	uint8_t *ob;
	const char **options, **accept;
	size_t noptions, naccept;
	uint32_t topics;
	struct policy_pos at;
};

struct policy_prohibition {
	const char *id, *ref, *text;
	struct policy_cond when;
	uint8_t *ob;
	struct policy_pos at;
};

struct policy_exemption {
	const char *id, *ref, *text;
	struct policy_cond when;
	int all;                     /* scope: all */
	const char **scope;          /* else: ids */
	size_t nscope;
	struct policy_pos at;
	/* issue #11 (7): the levels it applies at (NULL: every level), and a
	 * notification (届出) that takes the place of the application */
	uint8_t *at_level;
	uint8_t instead;             /* enum policy_instead */
	const char *notify_to, *notify_form, *notify_note;
};

enum policy_instead { INSTEAD_NONE = 0, INSTEAD_NOTIFICATION };

struct policy_labeled {                 /* ledger fields, end-of-use steps */
	const char *id, *label, *fact, *text, *input;
	const char **facts;
	size_t nfacts;
	const char *actor, *ref;
};

/* ---- procedures as the standards write them (policy_proc.c, docs/policy-format.md) ---- */

/* When an item is judged: at application, at a review while in use, at the end of use. */
enum policy_stage { ST_APPLICATION = 0, ST_REVIEW, ST_END_OF_USE };
/* When a step is taken. */
enum policy_step_at { AT_BEFORE_APPLICATION = 0, AT_APPLICATION, AT_AFTER_APPROVAL, AT_IN_USE, AT_END_OF_USE };
/* What starts a review besides its cycle. */
enum policy_event { EV_PERSONNEL_MOVE = 0, EV_SUBCONTRACTOR_CHANGE, EV_PROVIDER_CHANGE_NOTICE,
	EV_CONTRACT_RENEWAL, EV_CERTIFICATE_EXPIRY, EV_COUNT };

const char *policy_stage_name(int st);      /* "application", "review", "end-of-use" */
const char *policy_stage_ja(int st);        /* 申請時, 点検時（定期又は契機による）, 利用終了時 */
const char *policy_step_at_name(int at);    /* "before-application", … */
const char *policy_step_at_ja(int at);
const char *policy_event_name(int ev);      /* "personnel-move", … */
const char *policy_event_ja(int ev);        /* 人事異動（異動時・退職時）, … */
const char *policy_unmet_name(int u);       /* "consultation", …, "unspecified" */
/* The default a deployment starts from where a seed says only 定期的: months. */
#define POLICY_DEFAULT_CYCLE_MONTHS 12
/* The default date of the yearly personnel-move review (MM-DD), for the deployment to change. */
#define POLICY_DEFAULT_PERSONNEL_DATE "04-01"

/* A point of the procedure the seed may or may not settle: who applies, who
 * approves, a lead time. unspecified: the seed is silent on it. */
struct policy_point {
	int unspecified;
	const char *who, *act, *ref, *note;   /* the seed's words */
	int days;                              /* a lead time: days (0: not in days) */
	const char *before;                    /* a lead time: before what */
};

struct policy_consult {                /* whom to consult, at which stage, by when */
	const char *id, *through, *ref, *note;
	const char **with, **stages;
	size_t nwith, nstages;
	int stages_unspecified;
	const char *deadline;                  /* NULL with deadline_unspecified */
	int deadline_unspecified;
	size_t *when_exempt, *unless_exempt;   /* exemption indexes */
	size_t nwhen_exempt, nunless_exempt;
};

struct policy_step {
	const char *id, *text, *actor, *ref;   /* actor NULL: the seed does not say who */
	uint8_t at;                            /* enum policy_step_at */
	int optional;                          /* 「必要に応じて」 */
	size_t *when_exempt, *unless_exempt;
	size_t nwhen_exempt, nunless_exempt;
};

struct policy_review_event {
	uint8_t event;                         /* enum policy_event */
	const char *text, *ref;
};

struct policy_review {
	const char *id, *title, *ref, *actor;
	int cycle_months;                      /* 0: no cycle; -1: 定期的, the cycle unspecified */
	const char *cycle_ref;
	struct policy_review_event *events;
	size_t nevents;
	size_t *criteria;                      /* criterion indexes it re-checks */
	size_t ncriteria;
	struct policy_cond *when;              /* only when (NULL: always) */
};

struct policy_procedure {
	const char *id, *approver, *note;
	size_t *levels;              /* level indexes */
	size_t nlevels;
	const char **forms, **consultees;
	size_t nforms, nconsultees;
	uint8_t on_unmet;
	struct policy_labeled *ledger, *end_of_use;
	size_t nledger, nend;
	struct policy_pos at;
	/* the procedure as the seed writes it (policy_proc.c) */
	struct policy_point applicant, approval, lead_time;
	const char *on_unmet_ref, *on_unmet_text;
	struct policy_consult *consults;
	size_t nconsults;
	struct policy_step *steps;
	size_t nsteps;
	struct policy_review *reviews;
	size_t nreviews;
	int consults_unspecified, reviews_unspecified, end_unspecified, ledger_unspecified;
};

/* ---- forms (policy_forms.c): each 様式 as the paper has it ----
 * A form is the body's own (body_form) or a layout shinsa offers in its
 * place; either way it holds what a renderer needs: the header lines and the
 * 届出書's fields in the paper's order, and checklist sections with their
 * column headers and rows, each row's cells verbatim and the ids it reports. */
struct policy_form_field {
	const char *id, *label, *input;
	const char **facts;
	size_t nfacts;
	const char *text;            /* printed in the value cell (e.g. 「…（様式第２）」を提出) */
	const char **boxes;          /* answer boxes printed in the cell (□ is drawn by the renderer) */
	size_t nboxes;
	const char **reports;        /* criterion, group or risk ids it reports */
	size_t nreports;
	int summary;                 /* one box for the whole checklist: reports every criterion and group */
	int not_in_seed;             /* shinsa's addition: the seed has no such field */
	struct policy_pos at;
};

struct policy_form_column {
	const char *id, *title;      /* title: the paper's column header, verbatim */
	int answer;                  /* the column where the answer is marked */
	long level;                  /* level index whose obligation the cells give, or -1 */
};

struct policy_form_row {
	const char *id;
	const char **reports;        /* criterion, group or risk ids */
	size_t nreports;
	/* per column (index into the section's columns): text or boxes */
	const char **cells;          /* NULL entry: the cell is blank (or holds boxes) */
	const char ***boxes;         /* NULL entry: no boxes */
	size_t *nboxes;
	const char *note;
	struct policy_pos at;
};

struct policy_form_section {
	const char *id, *title;
	const char **items;          /* every id its rows and fields report, in order */
	size_t nitems;
	struct policy_form_field *fields;    /* lines above the table (利用サービスの名称：…) */
	size_t nfields;
	struct policy_form_column *columns;
	size_t ncolumns;
	struct policy_form_row *rows;
	size_t nrows;
	const char **footnotes;
	size_t nfootnotes;
};

struct policy_form {
	const char *id, *title, *name, *subtitle, *note;
	int body_form;               /* the body's own form (else shinsa's report) */
	struct policy_form_field *header;    /* above the 記 table: date, addressee, declaration… */
	size_t nheader;
	struct policy_form_field *fields;    /* the 届出書's items, in order */
	size_t nfields;
	struct policy_form_section *sections;
	size_t nsections;
	const char **footnotes;
	size_t nfootnotes;
	struct policy_pos at;
};

/* paper: what the seed says is filed, when it has no form or no ledger */
struct policy_paper {
	int has;                     /* the key is written */
	int forms;                   /* 1: listed (the body's forms are in forms:), 0: none */
	int ledger;                  /* 1: the seed defines the ledger, 0: none */
	const char *text;            /* the seed's words on what is filed instead */
};

struct policy {
	const char *file;
	const char *id, *body, *title, *version, *effective, *notes;
	const char *source_title, *source_file, *source_basis;
	struct policy_level *levels;
	size_t nlevels;
	struct policy_criterion *criteria;
	size_t ncriteria;
	struct policy_group *groups;
	size_t ngroups;
	struct policy_risk *risks;
	size_t nrisks;
	struct policy_prohibition *prohibitions;
	size_t nprohibitions;
	struct policy_exemption *exemptions;
	size_t nexemptions;
	struct policy_procedure *procedures;
	size_t nprocedures;
	struct policy_form *forms;
	size_t nforms;
	struct policy_paper paper;
	size_t *order;               /* level_order: level indexes, lowest first (NULL: none given) */
	size_t *rank;                /* level i's place in that order */
};

/* ---- parties (policy_parties.c, docs/routing.md) ----
 * Everyone a pack's procedures name in the body's own words: the approver,
 * the consultees, the actors of steps, reviews and end-of-use items, the
 * applicant, and the go-between a consultation goes through. Each has an id
 * made from its words alone (policy_party_id), so the same words give the
 * same id in every pack and in every version of one, whatever else changes. */
enum policy_party_use {
	PARTY_USE_APPROVER = 0,      /* approval.who: decides */
	PARTY_USE_CONSULTEE,         /* consultees, consultations[].with: comments before the decision */
	PARTY_USE_STEP,              /* steps[].actor: owns the step's task */
	PARTY_USE_REVIEW,            /* reviews[].actor: does the review */
	PARTY_USE_END_OF_USE,        /* end_of_use[].actor: takes the end-of-use item */
	PARTY_USE_APPLICANT,         /* applicant.who: applies (informative) */
	PARTY_USE_THROUGH,           /* consultations[].through: the consultation goes through them (informative) */
	PARTY_USE_COUNT
};

const char *policy_party_use_name(int use);  /* "approver", "consultee", "step", "review", "end-of-use", … */
const char *policy_party_use_ja(int use);    /* 決裁者, 協議先, 手順の担当, 点検の担当, 利用終了の担当, … */
/* Does a procedure need this use bound before an application is submitted?
 * (the applicant and the go-between are informative: no) */
int policy_party_use_required(int use);

struct policy_party_ref {            /* one place a procedure names the party */
	uint8_t use;                 /* enum policy_party_use */
	const struct policy_procedure *procedure;
	const char *item;            /* the consultation's, step's, review's or end-of-use item's id; NULL for
	                              * the approver, the applicant and a plain consultees list */
	const char *ref;             /* the seed's reference (第5条第3項), or NULL */
};

struct policy_party {
	const char *id, *text;       /* the stable id; the body's words */
	struct policy_party_ref *refs;   /* in the order the pack names them */
	size_t nrefs;
	int required;                /* some use needs a binding (policy_party_use_required) */
};

/* The parties of p, in the order its procedures first name them, each once
 * (by its words), into a. Words the pack leaves `unspecified` name no one. */
size_t policy_parties(struct arena *a, const struct policy *p, struct policy_party **out);
/* The party whose id, or whose words, are key; NULL when none. */
const struct policy_party *policy_party_find(const struct policy_party *parties, size_t n, const char *key);
/* A party's id from its words: a fixed ASCII name for the words of the five
 * bundled standards (各課の課長 → section-chief), else "party-" and the
 * first 8 hex digits of the SHA-256 of the words (UTF-8, as written). */
const char *policy_party_id(struct arena *a, const char *text);
/* The members id, text, required and uses [{use, use_ja, procedure, item, ref}…]
 * of a party, into the object being built. */
struct vb;
void policy_party_model(struct vb *b, const struct policy_party *pt);

/* Everything in a policies/ directory: the vocabulary, the reference lists
 * and the packs, in id order. */
struct policy_set {
	const char *dir;
	struct policy_vocab *vocab;
	const struct reflist_index **lists;
	size_t nlists;
	struct reflist_env refenv;   /* shinsa.in_list over lists: read it with policy_set_env() */
	struct logic_project_op ops[3];  /* in_list, shinsa.date, shinsa.at_least (policy_ops.c) */
	struct logic_env env;
	struct policy **packs;
	size_t npacks;
	size_t nfiles;               /* files read: vocabulary, facts, reference lists, packs */
};

/* Load the vocabulary (dir/vocabulary.yaml plus dir/facts-*.yaml) and the
 * reference lists (each YAML file in dir/reference). Mistakes go to d;
 * returns OK only when there were none. *out is set on every path: the set,
 * or NULL on failure (ERR_NOTFOUND: no such folder; ERR_INVALID: mistakes). */
int policy_set_open(struct arena *a, const char *dir, struct policy_set **out, struct diag *d);

/* The logic environment a rule is compiled with to reach the set's
 * reference lists ({"shinsa.in_list": [NAMES, "cryptrec.recommended"]}):
 * what the CLI's `logic eval` and the assessment both use. NULL for NULL. */
const struct logic_env *policy_set_env(const struct policy_set *set);

/* The reference list called name ("cryptrec.recommended"), or NULL. */
const struct reflist_index *policy_set_list(const struct policy_set *set, const char *name);

/* Load and check one pack file against the set's vocabulary and lists. */
int policy_load(struct arena *a, const struct policy_set *set, const char *file,
                struct policy **out, struct diag *d);

/* The same from text in memory; name stands for the file in messages. */
int policy_load_text(struct arena *a, const struct policy_set *set, const char *name,
                     const char *text, size_t n, struct policy **out, struct diag *d);

/* Load every pack in dir (each YAML file but vocabulary.yaml and facts-ID.yaml) into the set. */
int policy_set_load_packs(struct arena *a, struct policy_set *set, struct diag *d);

const struct policy *policy_find(const struct policy_set *set, const char *id);

/* A form's title as the pack gives it (様式第１（第５条関係）), or its id when
 * the pack has no such form or gives no title. */
const char *policy_form_title(const struct policy *p, const char *form_id);
long policy_level_index(const struct policy *p, const char *id);
/* The index of the criterion, risk or exemption with this id, or -1. */
long policy_criterion_index(const struct policy *p, const char *id);
long policy_risk_index(const struct policy *p, const char *id);
long policy_exemption_index(const struct policy *p, const char *id);
/* The level a reader means when none is named: the first the pack governs. */
long policy_level_default(const struct policy *p);
/* "S, I, II, III(対象外)": the levels, for messages and tables (in a). */
const char *policy_level_list(struct arena *a, const struct policy *p);
/* The same without the marks: "I, II, III", for messages. */
const char *policy_level_ids(struct arena *a, const struct policy *p);

/* The constructs of issue #11 (7) as the assessment reads them: the check
 * at a level (with its parameters' values there), whether member j of g is
 * an alternative at level, whether an exemption applies at level. */
const struct policy_cond *policy_check_at(const struct policy_criterion *c, size_t level);
int policy_group_has(const struct policy *p, const struct policy_group *g, size_t j, size_t level);
int policy_exemption_at(const struct policy_exemption *x, size_t level);

/* The directory the packs live in: $SHINSA_POLICIES, else the installed
 * share directory, else the source tree's policies/. */
const char *policy_default_dir(void);

/* ---- models (policy_model.c, policy_diff.c) ----
 *
 * Each output of `shinsa policy` as one value tree, built here and read by
 * every view: the CLI's --format json is the tree serialised
 * (lval_write_json), and its tables and markdown read the same tree. The
 * fields are listed in docs/policy-module.md. Everything goes to a. */

/* [{id, body, title, version, effective, levels: [ID…]}…], the packs in id order. */
const struct lval *policy_list_model(struct arena *a, const struct policy_set *set);

/* One pack as `policy show` gives it; level is an index into p->levels, or
 * -1 for every level (obligations are then {LEVEL: name}). */
const struct lval *policy_show_model(struct arena *a, const struct policy *p, long level);

/* A criterion's topics (bits of policy_topics) as a list of names, into the
 * model being built: the one place topic bits become names in a model. */
struct vb;
void policy_topics_model(struct vb *b, uint32_t bits);

/* A procedure as `policy show` and `evaluate` give it (docs/policy-module.md).
 * ctx NULL: the pack's view. Else the assessment's: exempt[i] says whether
 * p->exemptions[i] applies (consultations get skipped/skipped_by, steps
 * applies) and review_when[i] whether review i's condition holds (1, 0, -1
 * unknown; reviews get applies). */
struct policy_proc_ctx {
	const uint8_t *exempt;
	const int8_t *review_when;
	void (*extra)(struct vb *b, const void *arg);   /* more members of the object (or NULL) */
	const void *arg;
	int whole;            /* an exemption sets the whole standard aside: */
	size_t whole_by;      /* only what is tied to it (a when_exempt step) applies */
};
void policy_procedure_model(struct vb *b, const struct policy *p, const struct policy_procedure *r,
                            const struct policy_proc_ctx *ctx);
/* Is a step or a consultation taken, given which exemptions apply? *by: the
 * exemption that decides it (or -1). */
int policy_proc_taken(const struct policy_proc_ctx *ctx, const size_t *when, size_t nwhen,
                      const size_t *unless, size_t nunless, long *by);

/* The fact vocabulary: [{path, type, items?, values?, group, label,
 * label_en, help, …}…] in the vocabulary's order. */
const struct lval *policy_facts_model(struct arena *a, const struct policy_vocab *v);

/* Two packs side by side by topic, at a level of each (NULL: the first
 * governed level), with the rule for which side is stricter. ERR_NOTFOUND
 * (e says which level of which pack, and the levels there are) when a level
 * is not the pack's. */
int policy_diff_model(struct arena *a, const struct policy *pa, const char *level_a,
                      const struct policy *pb, const char *level_b,
                      const struct lval **out, struct err *e);

/* The comparison of one topic: which side demands more, given the
 * strongest obligation on it at each side (OB_*). */
enum policy_cmp { POLICY_SAME = 0, POLICY_A_STRICTER, POLICY_B_STRICTER };
int policy_diff_compare(int ob_a, int ob_b);

/* A topic row's comparison in the officers' words (同等（双方必須）, A のみ
 * 要求, B が厳しい…), from the row's comparison, a and b. */
const char *policy_diff_label_ja(const char *comparison, const char *ob_a, const char *ob_b);

#endif
