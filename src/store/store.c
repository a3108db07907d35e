/* The store's generic part: the backend table keyed by URL scheme, the
 * migrations runner (the version rules are here, once, for every backend),
 * transactions and the checks every record operation makes before its backend
 * sees it. */
#include "store/store.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/utf8.h"

/* The backends this binary has, the default first. A second backend is one
 * more row here, its file and its migrations. */
static const struct store_backend *const backends[] = {
	&store_sqlite_backend,
};

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

/* The length of a target's scheme ("name:" with name [a-z][a-z0-9+.-]*),
 * 0 when the target has none (a plain path). */
static size_t scheme_len(const char *t)
{
	size_t i = 0;

	if (!(t[0] >= 'a' && t[0] <= 'z'))
		return 0;
	while ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '+' ||
	       t[i] == '.' || t[i] == '-')
		i++;
	return t[i] == ':' ? i : 0;
}

/* The backend of target and the location after its scheme. A "name:" that is
 * no backend's scheme is part of a file name, unless "//" follows it (a URL). */
static int parse_target(const char *target, const struct store_backend **b, const char **loc,
                        struct err *e)
{
	size_t n = scheme_len(target), i;

	if (!target[0])
		return err_set(e, ERR_INVALID, "データベースの指定が空です / the database is empty");
	if (n) {
		for (i = 0; i < NBACKENDS; i++)
			if (strlen(backends[i]->scheme) == n && !memcmp(backends[i]->scheme, target, n)) {
				*b = backends[i];
				*loc = target + n + 1;
				/* sqlite:///abs and sqlite://rel as well as sqlite:PATH */
				if (!strncmp(*loc, "//", 2))
					*loc += 2;
				if (!**loc)
					return err_set(e, ERR_INVALID, "%1$s: 場所がありません / %1$s names no location",
					               target);
				return OK;
			}
		if (!strncmp(target + n + 1, "//", 2))
			return err_set(e, ERR_INVALID,
			               "%1$.*2$s: このデータベースの種類はこの shinsa にありません（使えるもの: sqlite） / "
			               "%1$.*2$s: this shinsa has no such database backend (it has: sqlite)",
			               target, (int)n);
	}
	*b = backends[0];
	*loc = target;
	return OK;
}

int store_target_file(struct arena *a, const char *target, const char **file, struct err *e)
{
	const struct store_backend *b;
	const char *loc;
	int rc;

	*file = NULL;
	if ((rc = parse_target(target, &b, &loc, e)))
		return rc;
	if (b->is_file)
		*file = arena_strdup(a, loc);
	return OK;
}

static size_t n_migrations(const struct store_backend *b)
{
	size_t n = 0;

	while (b->migrations[n].version)
		n++;
	return n;
}

/* Run the migrations after the database's version, each in its own
 * transaction. The version is read again under the write lock, so two
 * processes that open an old database at once apply each step once. */
static int migrate(struct store *s, unsigned flags, struct store_open_info *info, struct err *e)
{
	const struct store_backend *b = s->backend;
	const struct store_ops *ops = b->ops;
	size_t i, count = n_migrations(b);
	int v, rc, newest = (int)count;
	char at[ISOTIME_BUFSZ];

	for (i = 0; i < count; i++)
		if (b->migrations[i].version != (int)i + 1)
			return err_set(e, ERR_INTERNAL, "store: %s: migration %zu has version %d", b->scheme,
			               i + 1, b->migrations[i].version);
	if ((rc = ops->version(s, &v, e)))
		return rc;
	info->version_before = v;
	info->latest = newest;
	if (v > newest)
		return err_set(e, ERR_INVALID,
		               "%1$s: データベースのスキーマ（版 %2$d）はこの shinsa（版 %3$d まで）より新しいため開きません。"
		               "新しい版の shinsa を使ってください / %1$s: the database's schema (version %2$d) is newer "
		               "than this shinsa knows (up to %3$d): use a newer shinsa",
		               s->location, v, newest);
	if (v < newest && !(flags & STORE_MIGRATE))
		return err_set(e, ERR_INVALID,
		               "%1$s: データベースのスキーマ（版 %2$d）が古いままです（版 %3$d が要ります）。shinsa init で"
		               "更新してください / %1$s: the database's schema (version %2$d) is older than this shinsa "
		               "needs (%3$d): run shinsa init to migrate it",
		               s->location, v, newest);
	for (i = (size_t)v; i < count; i++) {
		const struct store_migration *m = &b->migrations[i];
		int now;

		if ((rc = ops->begin(s, e)))
			return rc;
		if ((rc = ops->version(s, &now, e)))
			goto fail;
		if (now < m->version) {
			isotime_format_jst(isotime_now(), at);
			if ((rc = ops->migrate(s, m, at, e))) {
				err_prefix(e, "スキーマの版 %1$d（%2$s）/ schema version %1$d (%2$s)", m->version, m->name);
				goto fail;
			}
			info->applied++;
		}
		if ((rc = ops->commit(s, e)))
			goto fail;
		continue;
fail:
		ops->rollback(s);
		return rc;
	}
	if ((rc = ops->version(s, &v, e)))
		return rc;
	s->version = info->version = v;
	return OK;
}

int store_open_with(const struct store_backend *b, const char *location, unsigned flags,
                    struct store **out, struct store_open_info *info, struct err *e)
{
	struct store_open_info local;
	struct store *s = NULL;
	int rc, created = 0;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->backend = b->scheme;
	*out = NULL;
	if ((rc = b->ops->open(location, flags, &s, &created, e)))
		return rc;
	s->backend = b;
	s->location = strdup(location);
	if (!s->location)
		abort();
	info->created = created;
	if ((rc = migrate(s, flags, info, e))) {
		store_close(s);
		return rc;
	}
	*out = s;
	return OK;
}

int store_open(const char *target, unsigned flags, struct store **out,
               struct store_open_info *info, struct err *e)
{
	const struct store_backend *b;
	const char *loc;
	int rc;

	*out = NULL;
	if ((rc = parse_target(target, &b, &loc, e)))
		return rc;
	return store_open_with(b, loc, flags, out, info, e);
}

void store_close(struct store *s)
{
	char *loc;

	if (!s)
		return;
	loc = s->location;
	if (s->in_tx)
		s->backend->ops->rollback(s);
	s->backend->ops->close(s);
	free(loc);
}

const char *store_backend(const struct store *s)
{
	return s->backend->scheme;
}

const char *store_location(const struct store *s)
{
	return s->location;
}

int store_version(const struct store *s)
{
	return s->version;
}

int store_begin(struct store *s, struct err *e)
{
	int rc;

	if (s->in_tx)
		return err_set(e, ERR_INTERNAL, "store: a transaction is already open");
	if ((rc = s->backend->ops->begin(s, e)))
		return rc;
	s->in_tx = 1;
	return OK;
}

int store_commit(struct store *s, struct err *e)
{
	int rc;

	if (!s->in_tx)
		return err_set(e, ERR_INTERNAL, "store: commit without a transaction");
	rc = s->backend->ops->commit(s, e);
	if (rc)
		s->backend->ops->rollback(s);
	s->in_tx = 0;
	return rc;
}

void store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	s->backend->ops->rollback(s);
	s->in_tx = 0;
}

int store_tx(struct store *s, store_tx_fn fn, void *arg, struct err *e)
{
	int rc;

	if ((rc = store_begin(s, e)))
		return rc;
	if ((rc = fn(s, arg, e))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* Run one change in its own transaction unless the caller has one open. */
struct one_change {
	int (*fn)(struct store *s, const void *arg, struct err *e);
	const void *arg;
};

static int run_change(struct store *s, void *arg, struct err *e)
{
	const struct one_change *c = arg;

	return c->fn(s, c->arg, e);
}

static int change(struct store *s, int (*fn)(struct store *, const void *, struct err *),
                  const void *arg, struct err *e)
{
	struct one_change c = { fn, arg };

	if (s->in_tx)
		return fn(s, arg, e);
	return store_tx(s, run_change, &c, e);
}

static int known_key(const char *key)
{
	return !strcmp(key, STORE_META_CREATED_AT) || !strcmp(key, STORE_META_BODY_NAME);
}

int store_meta_get(struct store *s, struct arena *a, const char *key, const char **value,
                   const char **updated_at, struct err *e)
{
	if (!known_key(key))
		return err_set(e, ERR_INVALID, "store: 不明なキー '%1$s' です / unknown meta key '%1$s'", key);
	return s->backend->ops->meta_get(s, a, key, value, updated_at, e);
}

struct meta_change {
	const char *key, *value;
};

static int do_meta_set(struct store *s, const void *arg, struct err *e)
{
	const struct meta_change *m = arg;
	char at[ISOTIME_BUFSZ];

	isotime_format_jst(isotime_now(), at);
	return s->backend->ops->meta_set(s, m->key, m->value, at, e);
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
	struct meta_change m = { key, value };
	size_t n, i;

	if (!known_key(key))
		return err_set(e, ERR_INVALID, "store: 不明なキー '%1$s' です / unknown meta key '%1$s'", key);
	if (!strcmp(key, STORE_META_CREATED_AT))
		return err_set(e, ERR_FORBIDDEN, "store: %1$s はデータベースを作るときに一度だけ記録します / "
		               "%1$s is written once, when the database is made", key);
	if (!value)
		return err_set(e, ERR_INVALID, "store: %s: 値がありません / no value", key);
	n = strlen(value);
	if (n > STORE_META_VALUE_MAX)
		return err_set(e, ERR_TOOLARGE, "store: %1$s: 値が長すぎます（%2$d バイトまで） / the value is longer "
		               "than %2$d bytes", key, STORE_META_VALUE_MAX);
	if (!utf8_valid(value, n, NULL))
		return err_set(e, ERR_INVALID, "store: %s: 値が UTF-8 として正しくありません / invalid UTF-8", key);
	for (i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return err_set(e, ERR_INVALID, "store: %s: 値に制御文字があります / the value has a control "
			               "character", key);
	return change(s, do_meta_set, &m, e);
}

int store_in_tx(const struct store *s)
{
	return s->in_tx;
}

static int audit_text_ok(const char *what, const char *t, struct err *e)
{
	if (!t)
		return err_set(e, ERR_INVALID, "store: audit: %s がありません / no %s", what, what);
	if (!utf8_valid(t, strlen(t), NULL))
		return err_set(e, ERR_INVALID, "store: audit: %1$s が UTF-8 として正しくありません / %1$s is not UTF-8",
		               what);
	return OK;
}

struct audit_change {
	const struct store_audit_entry *en;
};

static int do_audit_append(struct store *s, const void *arg, struct err *e)
{
	return s->backend->ops->audit_append(s, ((const struct audit_change *)arg)->en, e);
}

int store_audit_append(struct store *s, const struct store_audit_entry *en, struct err *e)
{
	struct audit_change c = { en };
	int rc;

	if (en->seq < 1)
		return err_set(e, ERR_INVALID, "store: audit: seq %lld", en->seq);
	if ((rc = audit_text_ok("at", en->at, e)) || (rc = audit_text_ok("actor", en->actor, e)) ||
	    (rc = audit_text_ok("channel", en->channel, e)) || (rc = audit_text_ok("action", en->action, e)) ||
	    (rc = audit_text_ok("object_type", en->object_type, e)) ||
	    (rc = audit_text_ok("object_id", en->object_id, e)) || (rc = audit_text_ok("before", en->before, e)) ||
	    (rc = audit_text_ok("after", en->after, e)) || (rc = audit_text_ok("comment", en->comment, e)))
		return rc;
	return change(s, do_audit_append, &c, e);
}

int store_audit_read(struct store *s, long long from, long long to, store_audit_fn fn, void *arg,
                     struct err *e)
{
	return s->backend->ops->audit_read(s, from, to, fn, arg, e);
}

int store_audit_count(struct store *s, long long *count, long long *first, long long *last, struct err *e)
{
	return s->backend->ops->audit_count(s, count, first, last, e);
}

int store_audit_head(struct store *s, struct arena *a, struct store_audit_entry *en, struct err *e)
{
	return s->backend->ops->audit_last(s, a, NULL, en, e);
}

int store_audit_last_action(struct store *s, struct arena *a, const char *action,
                            struct store_audit_entry *en, struct err *e)
{
	return s->backend->ops->audit_last(s, a, action, en, e);
}

int store_audit_seek(struct store *s, const char *at, long long *seq, struct err *e)
{
	return s->backend->ops->audit_seek(s, at, seq, e);
}

int store_audit_purge(struct store *s, long long upto, long long *removed, struct err *e)
{
	if (!s->in_tx)
		return err_set(e, ERR_INTERNAL, "store: audit purge outside a transaction");
	return s->backend->ops->audit_purge(s, upto, removed, e);
}

int store_backup(struct store *s, const char *dest, struct err *e)
{
	if (s->in_tx)
		return err_set(e, ERR_INTERNAL, "store: backup inside a transaction");
	if (!s->backend->ops->backup)
		return err_set(e, ERR_NOTFOUND, "%s: このデータベースは shinsa backup で控えられません / the %s backend "
		               "cannot be backed up by shinsa backup", s->backend->scheme, s->backend->scheme);
	return s->backend->ops->backup(s, dest, e);
}

int store_integrity(struct store *s, struct arena *a, const char **problem, struct err *e)
{
	*problem = NULL;
	if (s->in_tx)
		return err_set(e, ERR_INTERNAL, "store: integrity check inside a transaction");
	return s->backend->ops->integrity(s, a, problem, e);
}

/* ---- records ---- */

static int kind_ok(const char *kind, struct err *e)
{
	size_t i, n = kind ? strlen(kind) : 0;

	if (!n || n > STORE_KIND_MAX)
		return err_set(e, ERR_INVALID, "store: record kind '%s'", kind ? kind : "");
	for (i = 0; i < n; i++)
		if (!((kind[i] >= 'a' && kind[i] <= 'z') || kind[i] == '_'))
			return err_set(e, ERR_INVALID, "store: record kind '%s'", kind);
	return OK;
}

/* A record's text: UTF-8, no control character but (in bodies) tab and newline. */
static int rec_text_ok(const char *what, const char *t, size_t max, int body, struct err *e)
{
	size_t i, n;

	if (!t)
		return OK;
	n = strlen(t);
	if (n > max)
		return err_set(e, ERR_TOOLARGE, "store: %1$s が長すぎます（%2$zu バイトまで） / %1$s is longer than %2$zu bytes",
		               what, max);
	if (!utf8_valid(t, n, NULL))
		return err_set(e, ERR_INVALID, "store: %1$s が UTF-8 として正しくありません / %1$s is not UTF-8", what);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if ((c < 0x20 && !(body && (c == '\t' || c == '\n' || c == '\r'))) || c == 0x7f)
			return err_set(e, ERR_INVALID, "store: %1$s に制御文字があります / %1$s holds a control character",
			               what);
	}
	return OK;
}

static int keys_ok(const struct store_keys *k, struct err *e)
{
	int rc;

	if ((rc = rec_text_ok("state", k->state, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("owner", k->owner, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("dept", k->dept, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("level", k->level, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("provider", k->provider, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("pack", k->pack, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("parent", k->parent, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("due", k->due, STORE_KEY_MAX, 0, e)))
		return rc;
	return OK;
}

static int do_record_put(struct store *s, const void *arg, struct err *e)
{
	return s->backend->ops->record_put(s, arg, e);
}

int store_record_put(struct store *s, const struct store_record *r, struct err *e)
{
	int rc;

	if ((rc = kind_ok(r->kind, e)))
		return rc;
	if (!r->id || !r->id[0])
		return err_set(e, ERR_INVALID, "store: %s: a record without an id", r->kind);
	if (r->version < 1)
		return err_set(e, ERR_INVALID, "store: %s %s: version %lld", r->kind, r->id, r->version);
	if (!r->at || !r->body)
		return err_set(e, ERR_INVALID, "store: %s %s: a record without its time or body", r->kind, r->id);
	if ((rc = rec_text_ok("id", r->id, STORE_ID_MAX, 0, e)) || (rc = rec_text_ok("at", r->at, 64, 0, e)) ||
	    (rc = rec_text_ok("actor", r->actor, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("body", r->body, STORE_BODY_MAX, 1, e)) || (rc = keys_ok(&r->keys, e)))
		return rc;
	return change(s, do_record_put, r, e);
}

struct next_number {
	const char *kind;
	long long *n;
};

static int do_next_number(struct store *s, const void *arg, struct err *e)
{
	const struct next_number *x = arg;

	return s->backend->ops->record_next_number(s, x->kind, x->n, e);
}

int store_record_next_number(struct store *s, const char *kind, long long *n, struct err *e)
{
	struct next_number x = { kind, n };
	int rc;

	if ((rc = kind_ok(kind, e)))
		return rc;
	return change(s, do_next_number, &x, e);
}

int store_record_get(struct store *s, struct arena *a, const char *kind, const char *id,
                     long long version, struct store_record *out, struct err *e)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kind_ok(kind, e)) || (rc = rec_text_ok("id", id, STORE_ID_MAX, 0, e)))
		return rc;
	if (!id || version < 0)
		return err_set(e, ERR_INVALID, "store: %s: no id or a negative version", kind);
	return s->backend->ops->record_get(s, a, kind, id, version, out, e);
}

static int query_ok(const struct store_query *q, struct err *e)
{
	size_t i;
	int rc;

	if ((rc = kind_ok(q->kind, e)) || (rc = keys_ok(&q->eq, e)) ||
	    (rc = rec_text_ok("due_from", q->due_from, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("due_before", q->due_before, STORE_KEY_MAX, 0, e)) ||
	    (rc = rec_text_ok("provider", q->provider_part, STORE_KEY_MAX, 0, e)))
		return rc;
	if (q->offset < 0 || q->limit < 0)
		return err_set(e, ERR_INVALID, "store: a negative offset or limit");
	if (q->nstates > 16)
		return err_set(e, ERR_INVALID, "store: at most 16 states in a query");
	if (q->nstates && !q->states)
		return err_set(e, ERR_INVALID, "store: a query of %zu states without them", q->nstates);
	for (i = 0; i < q->nstates; i++) {
		if (!q->states[i])
			return err_set(e, ERR_INVALID, "store: a query's state %zu is missing", i + 1);
		if ((rc = rec_text_ok("state", q->states[i], STORE_KEY_MAX, 0, e)))
			return rc;
	}
	return OK;
}

int store_record_find(struct store *s, const struct store_query *q, store_record_fn fn, void *arg,
                      struct err *e)
{
	int rc;

	if ((rc = query_ok(q, e)))
		return rc;
	return s->backend->ops->record_find(s, q, fn, arg, e);
}

int store_record_count(struct store *s, const struct store_query *q, long long *n, struct err *e)
{
	int rc;

	*n = 0;
	if ((rc = query_ok(q, e)))
		return rc;
	return s->backend->ops->record_count(s, q, n, e);
}
