/* The packs applications were decided under (app/packs.h). */
#include "app/packs.h"

#include <string.h>

#include "core/file.h"
#include "logic/jw.h"
#include "logic/json.h"

#define PACK_FILE_MAX ((size_t)64 << 20)

struct app_pack_cache {
	struct app_pack_cache *next;
	const char *id, *sha;          /* sha NULL: the loaded pack's own, not yet hashed */
	const struct policy *p;
};

static const char *hex_of(struct arena *a, const char *text, size_t n)
{
	unsigned char h[CRYPTO_SHA256_LEN];
	char out[CRYPTO_SHA256_HEX];

	crypto_sha256(text, n, h);
	crypto_hex(h, CRYPTO_SHA256_LEN, out);
	return arena_strdup(a, out);
}

static void remember(struct app_deploy *dep, const char *id, const char *sha, const struct policy *p)
{
	struct app_pack_cache *c = arena_zalloc(dep->a, sizeof(*c));

	c->id = arena_strdup(dep->a, id);
	c->sha = arena_strdup(dep->a, sha);
	c->p = p;
	c->next = dep->packs;
	dep->packs = c;
}

int app_pack_keep(struct app_deploy *dep, struct arena *a, const struct app_actor *who, const struct policy *p,
                  const char **sha, struct err *e)
{
	struct store_record r = { 0 };
	struct buf b = BUF_INIT;
	struct jw w;
	char *text;
	size_t n;
	int rc;

	if ((rc = file_read_all(a, p->file, PACK_FILE_MAX, "基準ファイル", "the pack ", &text, &n, e)))
		return rc;
	*sha = hex_of(a, text, n);
	remember(dep, p->id, *sha, p);
	rc = store_record_get(dep->s, a, "pack", *sha, 1, &r, e);
	if (rc != ERR_NOTFOUND)
		return rc;   /* kept already (OK), or a failure */
	err_clear(e);
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "id", p->id);
	jw_kstr(&w, "version", p->version);
	jw_kstr(&w, "file", p->file);
	jw_kstr(&w, "sha256", *sha);
	jw_key(&w, "text");
	jw_str(&w, text);
	jw_end_obj(&w);
	if (buf_error(&b)) {
		buf_free(&b);
		return err_set(e, ERR_TOOLARGE, "%s: the pack is too large to keep", p->file);
	}
	memset(&r, 0, sizeof(r));
	r.kind = "pack";
	r.id = *sha;
	r.version = 1;
	r.keys.pack = p->id;
	r.keys.state = "kept";
	r.body = arena_strndup(a, b.data, b.len);
	r.body_len = b.len;
	buf_free(&b);
	return app_record_write(dep, who, who ? NULL : "system", "pack.keep", &r, NULL, NULL, NULL, e);
}

int app_pack_at(struct app_deploy *dep, const char *id, const char *sha, const struct policy **out, struct err *e)
{
	const struct policy *now = dep->set ? policy_find(dep->set, id) : NULL;
	struct app_pack_cache *c;
	struct store_record r;
	const struct lval *doc;
	const char *text, *file;
	struct policy *p;
	struct diag d = { 0 };
	size_t nt;
	int rc;

	*out = NULL;
	if (!sha || !*sha) {
		if (!now)
			return err_set(e, ERR_NOTFOUND, "基準 '%1$s' が読み込まれていません / the pack '%1$s' is not loaded", id);
		*out = now;
		return OK;
	}
	for (c = dep->packs; c; c = c->next)
		if (!strcmp(c->id, id) && !strcmp(c->sha, sha)) {
			*out = c->p;
			return OK;
		}
	/* the pack as loaded now, when its file is still that version */
	if (now) {
		for (c = dep->packs; c; c = c->next)
			if (c->p == now)
				break;
		if (!c) {
			char *t;
			size_t n;

			if (file_read_all(dep->a, now->file, PACK_FILE_MAX, "基準ファイル", "the pack ", &t, &n, e) == OK)
				remember(dep, id, hex_of(dep->a, t, n), now);
			err_clear(e);
		}
		for (c = dep->packs; c; c = c->next)
			if (c->p == now && !strcmp(c->sha, sha)) {
				*out = now;
				return OK;
			}
	}
	/* else the text kept at submission */
	rc = store_record_get(dep->s, dep->a, "pack", sha, 1, &r, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "基準 %1$s の、申請を決めたときの版（SHA-256 %2$.12s…）が見つかりません / the "
		               "version of pack %1$s the application was decided under (SHA-256 %2$.12s…) is not kept",
		               id, sha);
	if (rc)
		return rc;
	if (json_parse(dep->a, r.body, r.body_len, &doc, e) || doc->type != LV_OBJ)
		return err_set(e, ERR_INTERNAL, "pack %s: the kept record is not a JSON object", sha);
	text = app_jstr(doc, "text");
	file = app_jstr(doc, "file");
	nt = strlen(text);
	if (strcmp(hex_of(dep->a, text, nt), sha))
		return err_set(e, ERR_INTERNAL, "pack %s: the kept text does not have its SHA-256", sha);
	if ((rc = policy_load_text(dep->a, dep->set, *file ? file : id, text, nt, &p, &d))) {
		rc = err_set(e, ERR_INVALID, "基準 %1$s の、申請を決めたときの版（SHA-256 %2$.12s…）が今の語彙で読めません（%3$s） / "
		             "the version of pack %1$s the application was decided under (SHA-256 %2$.12s…) does not load "
		             "under today's vocabulary: %3$s", id, sha, d.n ? d.items[0].text : "");
		diag_free(&d);
		return rc;
	}
	diag_free(&d);
	remember(dep, id, sha, p);
	*out = p;
	return OK;
}
