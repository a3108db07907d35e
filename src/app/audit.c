/* The audit chain: appending, the canonical encoding, verify with its
 * diagnosis of the first bad entry, anchors, export ranges and the retention
 * purge (app/audit.h, docs/audit.md). */
#include "app/audit.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/auditkey.h"
#include "core/isotime.h"
#include "logic/json.h"
#include "logic/vb.h"

struct audit_log {
	struct store *s;
	struct crypto_hmac *mac;
	char *scratch;             /* for encodings */
	size_t cap;
};

int audit_open(struct store *s, const char *key_path, struct audit_log **out, struct err *e)
{
	unsigned char key[AUDITKEY_BYTES];
	struct audit_log *l;
	int rc;

	*out = NULL;
	if ((rc = auditkey_read(key_path, key, e)))
		return rc;
	l = calloc(1, sizeof(*l));
	if (!l)
		abort();
	l->s = s;
	l->mac = crypto_hmac_new(key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	*out = l;
	return OK;
}

void audit_close(struct audit_log *l)
{
	if (!l)
		return;
	crypto_hmac_free(l->mac);
	free(l->scratch);
	free(l);
}

const char *audit_cli_channel(struct arena *a)
{
	struct passwd pw, *res = NULL;
	char tmp[4096];

	if (!getpwuid_r(geteuid(), &pw, tmp, sizeof(tmp), &res) && res && res->pw_name)
		return arena_printf(a, "cli:%s", res->pw_name);
	return arena_printf(a, "cli:uid=%lld", (long long)geteuid());
}

/* ---- the canonical encoding ------------------------------------------- */

/* One field's parts; the encoding is measured first, then written in one
 * go (verify encodes every entry, so this is its inner loop). */
struct enc_field {
	const char *name;
	size_t nlen;
	const char *v;
	size_t n;
};

static size_t dec(char t[24], unsigned long long v)
{
	char r[24];
	size_t i = 0, k;

	do {
		r[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (k = 0; k < i; k++)
		t[k] = r[i - 1 - k];
	return i;
}

#define NFIELDS 11

static size_t fields_of(const struct store_audit_entry *en, struct enc_field f[NFIELDS], char seq[24],
                        char prev[CRYPTO_SHA256_HEX])
{
	static const char *const names[NFIELDS] = { "seq", "at", "actor", "channel", "action", "object_type",
	                                            "object_id", "before", "after", "comment", "prev" };
	const char *v[NFIELDS];
	size_t i, total = sizeof(AUDIT_ENCODING_TAG) - 1, sn;

	sn = dec(seq, en->seq < 0 ? 0 : (unsigned long long)en->seq);
	seq[sn] = '\0';
	crypto_hex(en->prev, STORE_AUDIT_HASH, prev);
	v[0] = seq;
	v[1] = en->at;
	v[2] = en->actor;
	v[3] = en->channel;
	v[4] = en->action;
	v[5] = en->object_type;
	v[6] = en->object_id;
	v[7] = en->before;
	v[8] = en->after;
	v[9] = en->comment;
	v[10] = prev;
	for (i = 0; i < NFIELDS; i++) {
		f[i].name = names[i];
		f[i].nlen = strlen(names[i]);
		f[i].v = v[i];
		f[i].n = i == 0 ? sn : i == 10 ? 2 * STORE_AUDIT_HASH : strlen(v[i]);
		total += f[i].nlen + 1 + 20 + 1 + f[i].n + 1;   /* 20: the longest size_t */
	}
	return total;
}

/* Write the encoding into out (room for fields_of's bound); its length. */
static size_t encode_into(char *out, const struct enc_field f[NFIELDS])
{
	char *p = out;
	size_t i;

	memcpy(p, AUDIT_ENCODING_TAG, sizeof(AUDIT_ENCODING_TAG) - 1);
	p += sizeof(AUDIT_ENCODING_TAG) - 1;
	for (i = 0; i < NFIELDS; i++) {
		memcpy(p, f[i].name, f[i].nlen);
		p += f[i].nlen;
		*p++ = ' ';
		p += dec(p, f[i].n);
		*p++ = ':';
		memcpy(p, f[i].v, f[i].n);
		p += f[i].n;
		*p++ = '\n';
	}
	return (size_t)(p - out);
}

void audit_encode(struct buf *b, const struct store_audit_entry *en)
{
	struct enc_field f[NFIELDS];
	char seq[24], prev[CRYPTO_SHA256_HEX], *t;
	size_t n = fields_of(en, f, seq, prev);

	t = malloc(n);
	if (!t)
		abort();
	n = encode_into(t, f);
	buf_reset(b);
	buf_add(b, t, n);
	free(t);
}

/* hash and mac of en as it stands, with the given seq; ERR_TOOLARGE for an
 * entry past AUDIT_ENTRY_MAX */
static int seal_at(struct audit_log *l, const struct store_audit_entry *en, long long seq,
                   unsigned char hash[CRYPTO_SHA256_LEN], unsigned char mac[CRYPTO_SHA256_LEN])
{
	struct store_audit_entry x = *en;
	struct enc_field f[NFIELDS];
	char seqt[24], prev[CRYPTO_SHA256_HEX];
	size_t n;

	x.seq = seq;
	n = fields_of(&x, f, seqt, prev);
	if (n > AUDIT_ENTRY_MAX)
		return ERR_TOOLARGE;
	if (n > l->cap) {
		free(l->scratch);
		l->cap = n * 2;
		l->scratch = malloc(l->cap);
		if (!l->scratch)
			abort();
	}
	n = encode_into(l->scratch, f);
	crypto_sha256(l->scratch, n, hash);
	crypto_hmac_run(l->mac, hash, CRYPTO_SHA256_LEN, mac);
	return OK;
}

/* ---- appending --------------------------------------------------------- */

struct append_arg {
	struct audit_log *l;
	const struct audit_change *c;
	long long seq;
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static int do_append(struct store *s, void *arg, struct err *e)
{
	struct append_arg *ap = arg;
	const struct audit_change *c = ap->c;
	struct store_audit_entry en, head;
	char at[ISOTIME_BUFSZ];
	struct arena a;
	int rc;

	memset(&en, 0, sizeof(en));
	arena_init(&a, 0);
	rc = store_audit_head(s, &a, &head, e);
	if (rc == OK) {
		en.seq = head.seq + 1;
		memcpy(en.prev, head.hash, STORE_AUDIT_HASH);
	} else if (rc == ERR_NOTFOUND) {
		err_clear(e);
		en.seq = 1;   /* prev: zeros (a purge never leaves the log empty) */
	} else {
		goto out;
	}
	en.at = c->at ? c->at : isotime_format_jst(isotime_now(), at);
	en.actor = or_empty(c->actor);
	en.channel = or_empty(c->channel);
	en.action = or_empty(c->action);
	en.object_type = or_empty(c->object_type);
	en.object_id = or_empty(c->object_id);
	en.before = or_empty(c->before);
	en.after = or_empty(c->after);
	en.comment = or_empty(c->comment);
	if (seal_at(ap->l, &en, en.seq, en.hash, en.mac)) {
		rc = err_set(e, ERR_TOOLARGE, "audit: 記録が大きすぎます / the entry is too large");
		goto out;
	}
	if ((rc = store_audit_append(s, &en, e)))
		goto out;
	ap->seq = en.seq;
out:
	arena_release(&a);
	return rc;
}

int audit_append(struct audit_log *l, const struct audit_change *c, long long *seq, struct err *e)
{
	struct append_arg ap = { l, c, 0 };
	int rc;

	if (!c->action || !c->action[0])
		return err_set(e, ERR_INVALID, "audit: 操作の名前がありません / the entry names no action");
	/* the head is read and the entry written under one write lock */
	rc = store_in_tx(l->s) ? do_append(l->s, &ap, e) : store_tx(l->s, do_append, &ap, e);
	if (!rc && seq)
		*seq = ap.seq;
	return rc;
}

/* ---- verify ------------------------------------------------------------ */

struct verify_state {
	struct audit_log *l;
	struct arena *a;
	struct audit_report *r;
	long long expect;                  /* the seq the next entry must have */
	unsigned char prev[CRYPTO_SHA256_LEN];   /* the hash it must follow */
	int started;
	unsigned char anchor[CRYPTO_SHA256_LEN];
	int has_anchor;
	/* a failed entry waits for the next one, which tells what happened */
	int pending;
	struct store_audit_entry bad;      /* its texts copied into a */
};

#define STOP_VERIFY 1   /* a code that is not an error: the reading stops */

static struct store_audit_entry copy_entry(struct arena *a, const struct store_audit_entry *en)
{
	struct store_audit_entry x = *en;

	x.at = arena_strdup(a, en->at);
	x.actor = arena_strdup(a, en->actor);
	x.channel = arena_strdup(a, en->channel);
	x.action = arena_strdup(a, en->action);
	x.object_type = arena_strdup(a, en->object_type);
	x.object_id = arena_strdup(a, en->object_id);
	x.before = arena_strdup(a, en->before);
	x.after = arena_strdup(a, en->after);
	x.comment = arena_strdup(a, en->comment);
	return x;
}

static int mac_at(struct audit_log *l, const struct store_audit_entry *en, long long seq)
{
	unsigned char h[CRYPTO_SHA256_LEN], m[CRYPTO_SHA256_LEN];

	return !seal_at(l, en, seq, h, m) && crypto_equal(m, en->mac, CRYPTO_SHA256_LEN);
}

static void report(struct verify_state *v, long long seq, const char *problem, const char *detail)
{
	v->r->ok = 0;
	v->r->bad_seq = seq;
	v->r->problem = problem;
	v->r->detail = detail;
}

/* The entry at v->expect failed its HMAC; next (or NULL at the end) is the
 * entry after it. Say what happened. */
static void diagnose(struct verify_state *v, const struct store_audit_entry *next)
{
	const struct store_audit_entry *r = &v->bad;
	long long E = v->expect, s2;
	unsigned char h[CRYPTO_SHA256_LEN], m[CRYPTO_SHA256_LEN];
	struct arena *a = v->a;

	v->pending = 0;
	/* another entry's number: moved, or renumbered after a removal */
	for (s2 = E > 8 ? E - 8 : 1; s2 <= E + 8; s2++) {
		if (s2 == r->seq || !mac_at(v->l, r, s2))
			continue;
		if (s2 > E && next && mac_at(v->l, next, s2 + 1)) {
			report(v, E, "removed",
			       arena_printf(a, "項目 %1$lld〜%2$lld が削除され、後の項目の番号が詰められています / entries "
			                    "%1$lld to %2$lld were removed and the later ones renumbered", E, s2 - 1));
			return;
		}
		report(v, E, "reordered",
		       arena_printf(a, "項目 %1$lld の位置に、もとは項目 %2$lld だったものがあります / entry %1$lld is "
		                    "the entry that was number %2$lld (the entries were reordered)", E, s2));
		return;
	}
	/* the next one is the entry that belonged here: this one was put in */
	if (next && mac_at(v->l, next, E) && crypto_equal(next->prev, v->prev, CRYPTO_SHA256_LEN)) {
		report(v, E, "inserted",
		       arena_printf(a, "項目 %1$lld はこの記録のものではありません（挿入され、後の項目の番号がずらされています）"
		                    " / entry %1$lld was inserted: it is not the log's, and the later entries were "
		                    "renumbered", E));
		return;
	}
	if (!seal_at(v->l, r, r->seq, h, m) && !memcmp(h, r->hash, CRYPTO_SHA256_LEN))
		report(v, E, "changed",
		       arena_printf(a, "項目 %1$lld の内容とハッシュが書き換えられています（HMAC が合いません: 鍵なしで連鎖が"
		                    "作り直されました） / entry %1$lld was changed and its hash recomputed, but its HMAC "
		                    "does not match: the chain was rebuilt without the key", E));
	else
		report(v, E, "changed",
		       arena_printf(a, "項目 %1$lld が書き換えられています（ハッシュも HMAC も合いません） / entry %1$lld "
		                    "was changed (neither its hash nor its HMAC matches)", E));
}

static int verify_one(void *arg, const struct store_audit_entry *en, struct err *e)
{
	struct verify_state *v = arg;
	unsigned char h[CRYPTO_SHA256_LEN], m[CRYPTO_SHA256_LEN];

	if (v->pending) {
		diagnose(v, en);
		return STOP_VERIFY;
	}
	if (en->seq > v->expect) {
		report(v, v->expect,
		       "removed",
		       en->seq == v->expect + 1
		       ? arena_printf(v->a, "項目 %1$lld が削除されています / entry %1$lld was removed", v->expect)
		       : arena_printf(v->a, "項目 %1$lld〜%2$lld が削除されています / entries %1$lld to %2$lld were "
		                      "removed", v->expect, en->seq - 1));
		return STOP_VERIFY;
	}
	if (seal_at(v->l, en, en->seq, h, m))
		return err_set(e, ERR_TOOLARGE, "audit: entry %lld is too large", en->seq);
	if (!crypto_equal(m, en->mac, CRYPTO_SHA256_LEN)) {
		v->pending = 1;
		v->bad = copy_entry(v->a, en);
		return OK;
	}
	/* hashes are public: only the HMAC needs a constant-time compare */
	if (memcmp(h, en->hash, CRYPTO_SHA256_LEN)) {
		report(v, en->seq, "changed",
		       arena_printf(v->a, "項目 %1$lld のハッシュの欄が書き換えられています / entry %1$lld's hash was "
		                    "changed", en->seq));
		return STOP_VERIFY;
	}
	if (memcmp(en->prev, v->prev, CRYPTO_SHA256_LEN)) {
		/* intact, and made with the key, but it does not follow */
		report(v, en->seq, "removed",
		       v->r->base_seq && en->seq == v->r->first
		       ? arena_printf(v->a, "項目 %1$lld は消去の記録の基点に続いていません / entry %1$lld does not "
		                      "follow the base that the purge recorded", en->seq)
		       : arena_printf(v->a, "項目 %1$lld は前の項目に続いていません（間の項目が削除されています） / "
		                      "entry %1$lld does not follow the one before it (an entry between them was "
		                      "removed)", en->seq));
		return STOP_VERIFY;
	}
	if (v->has_anchor && !v->r->anchor_found && !memcmp(en->hash, v->anchor, CRYPTO_SHA256_LEN)) {
		v->r->anchor_found = 1;
		v->r->anchor_seq = en->seq;
	}
	memcpy(v->prev, en->hash, CRYPTO_SHA256_LEN);
	v->expect = en->seq + 1;
	return OK;
}

/* After a purge the first entry follows the purge's base: the last purge
 * entry records the range it removed and the last removed hash. */
static int purge_base(struct verify_state *v, struct err *e)
{
	struct store_audit_entry p;
	const struct lval *j;
	struct err ignore = { 0 };
	const char *base;
	int rc;

	rc = store_audit_last_action(v->l->s, v->a, AUDIT_ACTION_PURGE, &p, e);
	if (rc == ERR_NOTFOUND) {
		err_clear(e);
		goto removed;
	}
	if (rc)
		return rc;
	if (json_parse(v->a, p.after, strlen(p.after), &j, &ignore) || !vb_get(j, "last") ||
	    vb_get(j, "last")->type != LV_NUM || !(base = vb_get_str(j, "base", NULL)) ||
	    crypto_unhex(base, v->prev, CRYPTO_SHA256_LEN))
		goto removed;
	if ((long long)vb_get(j, "last")->u.num != v->r->first - 1)
		goto removed;
	v->r->base_seq = v->r->first - 1;
	crypto_hex(v->prev, CRYPTO_SHA256_LEN, v->r->base);
	v->expect = v->r->first;
	return OK;
removed:
	report(v, 1, "removed",
	       arena_printf(v->a, "項目 1〜%1$lld がありません（消去の記録もありません） / entries 1 to %1$lld are "
	                    "missing, and no purge recorded their removal", v->r->first - 1));
	return STOP_VERIFY;
}

int audit_verify(struct audit_log *l, struct arena *a, const char *anchor, struct audit_report *r,
                 struct err *e)
{
	struct verify_state v;
	struct store_audit_entry head;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&v, 0, sizeof(v));
	v.l = l;
	v.a = a;
	v.r = r;
	v.expect = 1;
	r->ok = 1;
	r->anchor = anchor;
	if (anchor) {
		if (crypto_unhex(anchor, v.anchor, CRYPTO_SHA256_LEN))
			return err_set(e, ERR_INVALID, "audit: 基点 '%1$s' は 64 桁の 16 進数ではありません / the anchor "
			               "'%1$s' is not 64 hex digits", anchor);
		v.has_anchor = 1;
	}
	/* one read: count and head under the same snapshot as the entries */
	if ((rc = store_begin(l->s, e)))
		return rc;
	if ((rc = store_audit_count(l->s, &r->count, &r->first, &r->last, e)))
		goto out;
	if (r->count) {
		if ((rc = store_audit_head(l->s, a, &head, e)))
			goto out;
		crypto_hex(head.hash, CRYPTO_SHA256_LEN, r->head);
		r->head_at = head.at;
	}
	if (r->first > 1 && (rc = purge_base(&v, e))) {
		if (rc == STOP_VERIFY)
			rc = OK;
		goto out;
	}
	rc = store_audit_read(l->s, r->first ? r->first : 1, -1, verify_one, &v, e);
	if (rc == STOP_VERIFY)
		rc = OK;
	if (!rc && v.pending)
		diagnose(&v, NULL);
	if (!rc && v.has_anchor && !r->anchor_found && r->base_seq) {
		unsigned char b[CRYPTO_SHA256_LEN];

		/* an anchor on the purge's base: the base is what the log proves */
		if (!crypto_unhex(r->base, b, CRYPTO_SHA256_LEN) && crypto_equal(b, v.anchor, CRYPTO_SHA256_LEN)) {
			r->anchor_found = 1;
			r->anchor_seq = r->base_seq;
		}
	}
	if (!rc && v.has_anchor && !r->anchor_found)
		r->ok = 0;
out:
	store_rollback(l->s);
	return rc;
}

const struct lval *audit_report_model(struct arena *a, const struct audit_report *r)
{
	struct vb b;

	vb_init(&b, a);
	vb_obj(&b);
	vb_kbool(&b, "ok", r->ok);
	vb_kint(&b, "count", r->count);
	vb_kint(&b, "first", r->first);
	vb_kint(&b, "last", r->last);
	vb_key(&b, "head");
	vb_obj(&b);
	vb_kstr(&b, "hash", arena_strdup(a, r->head));
	vb_kstr(&b, "at", r->head_at);
	vb_end(&b);
	vb_key(&b, "base");
	if (r->base_seq) {
		vb_obj(&b);
		vb_kint(&b, "seq", r->base_seq);
		vb_kstr(&b, "hash", arena_strdup(a, r->base));
		vb_end(&b);
	} else {
		vb_null(&b);
	}
	vb_key(&b, "first_bad");
	if (r->problem) {
		vb_obj(&b);
		vb_kint(&b, "seq", r->bad_seq);
		vb_kstr(&b, "problem", r->problem);
		vb_kstr(&b, "detail", r->detail);
		vb_end(&b);
	} else {
		vb_null(&b);
	}
	vb_key(&b, "anchor");
	if (r->anchor) {
		vb_obj(&b);
		vb_kstr(&b, "hash", r->anchor);
		vb_kbool(&b, "found", r->anchor_found);
		if (r->anchor_found)
			vb_kint(&b, "seq", r->anchor_seq);
		else
			vb_key(&b, "seq"), vb_null(&b);
		vb_end(&b);
	} else {
		vb_null(&b);
	}
	vb_end(&b);
	return vb_done(&b);
}

/* ---- anchor, ranges ---------------------------------------------------- */

int audit_anchor(struct store *s, struct arena *a, const struct lval **model, struct err *e)
{
	struct store_audit_entry head;
	long long count, first, last;
	char hex[CRYPTO_SHA256_HEX] = "";
	const char *at = NULL;
	struct vb b;
	int rc;

	if ((rc = store_begin(s, e)))
		return rc;
	if ((rc = store_audit_count(s, &count, &first, &last, e)))
		goto out;
	if (count) {
		if ((rc = store_audit_head(s, a, &head, e)))
			goto out;
		crypto_hex(head.hash, CRYPTO_SHA256_LEN, hex);
		at = head.at;
	}
	vb_init(&b, a);
	vb_obj(&b);
	vb_kint(&b, "count", count);
	vb_kint(&b, "seq", last);
	vb_kstr(&b, "hash", arena_strdup(a, hex));
	vb_kstr(&b, "at", at);
	vb_end(&b);
	*model = vb_done(&b);
out:
	store_rollback(s);
	return rc;
}

/* A date (JST midnight, plus days) or a timestamp, as JST text. */
static int time_text(const char *t, int end_of_day, char out[ISOTIME_BUFSZ], struct err *e)
{
	int64_t days, secs;

	if (!isotime_parse_date(t, strlen(t), &days)) {
		secs = (days + (end_of_day ? 1 : 0)) * 86400 - (int64_t)JST_OFFSET_MIN * 60;
	} else if (isotime_parse(t, strlen(t), &secs)) {
		return err_set(e, ERR_INVALID, "'%1$s': 日付（YYYY-MM-DD）か時刻（ISO 8601、時差つき）を指定します / "
		               "'%1$s' is neither a date (YYYY-MM-DD) nor an ISO 8601 time with its offset", t);
	}
	isotime_format_jst(secs, out);
	return OK;
}

int audit_range(struct store *s, const char *since, const char *until, long long *from, long long *to,
                struct err *e)
{
	char t[ISOTIME_BUFSZ];
	long long count, first, last, seq;
	int rc;

	if ((rc = store_audit_count(s, &count, &first, &last, e)))
		return rc;
	*from = first ? first : 1;
	*to = last;
	if (since) {
		if ((rc = time_text(since, 0, t, e)))
			return rc;
		rc = store_audit_seek(s, t, &seq, e);
		if (rc == ERR_NOTFOUND) {
			err_clear(e);
			*from = last + 1;
		} else if (rc) {
			return rc;
		} else {
			*from = seq;
		}
	}
	if (until) {
		if ((rc = time_text(until, 1, t, e)))
			return rc;
		rc = store_audit_seek(s, t, &seq, e);
		if (rc == ERR_NOTFOUND)
			err_clear(e);
		else if (rc)
			return rc;
		else
			*to = seq - 1;
	}
	return OK;
}

/* ---- the retention purge ----------------------------------------------- */

struct one_entry {
	struct arena *a;
	struct store_audit_entry en;
	int found;
};

static int take_one(void *arg, const struct store_audit_entry *en, struct err *e)
{
	struct one_entry *o = arg;

	o->en = copy_entry(o->a, en);
	o->found = 1;
	return OK;
}

int audit_purge(struct audit_log *l, struct arena *a, const char *before, long long retention_days,
                const char *actor, const char *channel, const struct lval **model, struct err *e)
{
	char cutoff[ISOTIME_BUFSZ], oldest[ISOTIME_BUFSZ], hex[CRYPTO_SHA256_HEX];
	int64_t days, cut;
	long long count, first, last, upto, seq, removed = 0, purge_seq = 0;
	struct audit_report r;
	struct one_entry o = { a, { 0 }, 0 };
	struct audit_change c;
	struct vb b;
	int rc;

	if (retention_days < AUDIT_RETENTION_MIN_DAYS)
		retention_days = AUDIT_RETENTION_MIN_DAYS;
	if (isotime_parse_date(before, strlen(before), &days))
		return err_set(e, ERR_INVALID, "'%1$s': 日付（YYYY-MM-DD）を指定します / '%1$s' is not a date "
		               "(YYYY-MM-DD)", before);
	cut = days * 86400 - (int64_t)JST_OFFSET_MIN * 60;
	/* the youngest entry a purge may take is retention_days old */
	isotime_date_jst(isotime_now() - (int64_t)retention_days * 86400, oldest);
	if (cut > isotime_now() - (int64_t)retention_days * 86400 + 86400 ||
	    strcmp(before, oldest) > 0)
		return err_set(e, ERR_FORBIDDEN,
		               "audit: 保存期間（%1$lld 日）に満たない記録は消去できません（--before は %2$s 以前） / "
		               "entries younger than the retention period (%1$lld days) cannot be purged "
		               "(--before must be %2$s or earlier)", retention_days, oldest);
	isotime_format_jst(cut, cutoff);
	/* a log that does not verify is not purged: that could hide the damage */
	if ((rc = audit_verify(l, a, NULL, &r, e)))
		return rc;
	if (!r.ok)
		return err_set(e, ERR_INVALID, "audit: 連鎖が検証できないため消去しません（%1$s） / the chain does not "
		               "verify, so nothing is purged (%1$s)", r.detail);
	if ((rc = store_begin(l->s, e)))
		return rc;
	if ((rc = store_audit_count(l->s, &count, &first, &last, e)))
		goto fail;
	rc = store_audit_seek(l->s, cutoff, &seq, e);
	if (rc == ERR_NOTFOUND) {
		err_clear(e);
		seq = last + 1;
	} else if (rc) {
		goto fail;
	}
	upto = seq - 1;
	if (count && upto >= first) {
		if ((rc = store_audit_read(l->s, upto, upto, take_one, &o, e)))
			goto fail;
		if (!o.found) {
			rc = err_set(e, ERR_INTERNAL, "audit: entry %lld vanished", upto);
			goto fail;
		}
		crypto_hex(o.en.hash, CRYPTO_SHA256_LEN, hex);
		memset(&c, 0, sizeof(c));
		c.actor = actor;
		c.channel = channel;
		c.action = AUDIT_ACTION_PURGE;
		c.object_type = "audit_log";
		c.object_id = arena_printf(a, "%lld-%lld", first, upto);
		c.after = arena_printf(a, "{\"first\":%lld,\"last\":%lld,\"count\":%lld,\"base\":\"%s\","
		                       "\"before\":\"%s\",\"retention_days\":%lld}",
		                       first, upto, upto - first + 1, hex, cutoff, retention_days);
		/* the purge's entry first, after the head, so that the log is
		 * never empty and the entry is never among those removed */
		if ((rc = audit_append(l, &c, &purge_seq, e)) || (rc = store_audit_purge(l->s, upto, &removed, e)))
			goto fail;
	}
	if ((rc = store_commit(l->s, e)))
		return rc;
	vb_init(&b, a);
	vb_obj(&b);
	vb_kint(&b, "removed", removed);
	vb_kint(&b, "first", removed ? first : 0);
	vb_kint(&b, "last", removed ? upto : 0);
	vb_kstr(&b, "base", removed ? arena_strdup(a, hex) : NULL);
	vb_kint(&b, "seq", purge_seq);
	vb_kstr(&b, "before", arena_strdup(a, cutoff));
	vb_end(&b);
	*model = vb_done(&b);
	return OK;
fail:
	store_rollback(l->s);
	return rc;
}
