/* The parties a pack's procedures name (policy.h, docs/routing.md): who
 * approves, who is consulted, who takes each step, review and end-of-use
 * item, who applies, in the body's own words, each with an id made from
 * those words alone so that a deployment's bindings outlive edits to the
 * rest of the pack. */
#include "policy/policy_int.h"

#include <string.h>

#include "core/crypto.h"
#include "logic/vb.h"

static const char *const use_names[PARTY_USE_COUNT] = {
	"approver", "consultee", "step", "review", "end-of-use", "applicant", "through",
};
static const char *const use_ja[PARTY_USE_COUNT] = {
	"決裁者", "協議先", "手順の担当", "点検の担当", "利用終了の担当", "申請者", "協議の経由先",
};

const char *policy_party_use_name(int use)
{
	return use >= 0 && use < PARTY_USE_COUNT ? use_names[use] : "";
}

const char *policy_party_use_ja(int use)
{
	return use >= 0 && use < PARTY_USE_COUNT ? use_ja[use] : "";
}

int policy_party_use_required(int use)
{
	return use >= 0 && use < PARTY_USE_APPLICANT;
}

/* Fixed ids for the words of the bundled standards, so that an administrator
 * types `section-chief`, not a hash. A row is never changed or removed once
 * released (a deployment's bindings are stored under these ids); words not
 * here get the hash form. */
static const struct {
	const char *text, *id;
} known_ids[] = {
	{ "各課の課長", "section-chief" },                         /* 安城 第5条第3項 */
	{ "デジタル推進課", "digital-promotion" },                 /* 安城 第5条第3項 */
	{ "行政課", "administration" },                            /* 安城 第5条第3項 */
	{ "情報システムの管理責任者", "system-manager" },          /* 安城 第5条第4項、第7条 */
	{ "所管部署（様式第１の届出者は〇〇課長、宛先はデジタル推進課長）", "competent-dept-form1" },
	{ "所管部署（様式第３の届出者は〇〇課長、宛先はデジタル推進課長）", "competent-dept-form3" },
	{ "CIO補佐官", "cio-adviser" },                            /* 神戸 4(4) */
	{ "情報セキュリティ管理者（企画調整局情報化戦略部情報政策担当課長）", "security-manager" },   /* 神戸 4(4) */
	{ "情報管理者", "information-manager" },                   /* 神戸 管理基準 6.2 */
	{ "統括情報セキュリティ責任者", "ciso" },                  /* 乙訓 5.1 */
	{ "情報セキュリティ責任者", "security-officer" },          /* 乙訓 5.2(1) */
};

#define PARTY_HASH_HEX 8

const char *policy_party_id(struct arena *a, const char *text)
{
	unsigned char h[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX];
	size_t i;

	for (i = 0; i < sizeof(known_ids) / sizeof(known_ids[0]); i++)
		if (!strcmp(text, known_ids[i].text))
			return known_ids[i].id;
	crypto_sha256(text, strlen(text), h);
	crypto_hex(h, CRYPTO_SHA256_LEN, hex);
	return arena_printf(a, "party-%.*s", PARTY_HASH_HEX, hex);
}

struct gather {
	struct arena *a;
	struct policy_party *v;
	size_t n, cap;
};

static void add(struct gather *g, const char *text, int use, const struct policy_procedure *r,
                const char *item, const char *ref)
{
	struct policy_party *pt = NULL;
	size_t i;

	if (!text || !*text || !strcmp(text, "unspecified"))
		return;
	for (i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].text, text)) {
			pt = &g->v[i];
			break;
		}
	if (!pt) {
		if (g->n == g->cap) {
			size_t cap = g->cap ? 2 * g->cap : 8;
			struct policy_party *nv = arena_zalloc(g->a, cap * sizeof(*nv));

			if (g->n)
				memcpy(nv, g->v, g->n * sizeof(*nv));
			g->v = nv;
			g->cap = cap;
		}
		pt = &g->v[g->n++];
		pt->text = text;
		pt->id = policy_party_id(g->a, text);
	}
	{
		/* refs grow one at a time: few per party, copied on growth */
		struct policy_party_ref *nr = arena_alloc(g->a, (pt->nrefs + 1) * sizeof(*nr));

		if (pt->nrefs)
			memcpy(nr, pt->refs, pt->nrefs * sizeof(*nr));
		nr[pt->nrefs].use = (uint8_t)use;
		nr[pt->nrefs].procedure = r;
		nr[pt->nrefs].item = item;
		nr[pt->nrefs].ref = ref;
		pt->refs = nr;
		pt->nrefs++;
	}
	if (policy_party_use_required(use))
		pt->required = 1;
}

size_t policy_parties(struct arena *a, const struct policy *p, struct policy_party **out)
{
	struct gather g = { a, NULL, 0, 0 };
	size_t i, j, k;

	for (i = 0; i < p->nprocedures; i++) {
		const struct policy_procedure *r = &p->procedures[i];

		if (!r->approval.unspecified)
			add(&g, r->approval.who, PARTY_USE_APPROVER, r, NULL, r->approval.ref);
		if (r->nconsults) {
			for (j = 0; j < r->nconsults; j++) {
				const struct policy_consult *c = &r->consults[j];

				for (k = 0; k < c->nwith; k++)
					add(&g, c->with[k], PARTY_USE_CONSULTEE, r, c->id, c->ref);
				add(&g, c->through, PARTY_USE_THROUGH, r, c->id, c->ref);
			}
		} else {
			for (j = 0; j < r->nconsultees; j++)
				add(&g, r->consultees[j], PARTY_USE_CONSULTEE, r, NULL, NULL);
		}
		for (j = 0; j < r->nsteps; j++)
			add(&g, r->steps[j].actor, PARTY_USE_STEP, r, r->steps[j].id, r->steps[j].ref);
		for (j = 0; j < r->nreviews; j++)
			add(&g, r->reviews[j].actor, PARTY_USE_REVIEW, r, r->reviews[j].id, r->reviews[j].ref);
		for (j = 0; j < r->nend; j++)
			add(&g, r->end_of_use[j].actor, PARTY_USE_END_OF_USE, r, r->end_of_use[j].id, r->end_of_use[j].ref);
		if (!r->applicant.unspecified)
			add(&g, r->applicant.who, PARTY_USE_APPLICANT, r, NULL, r->applicant.ref);
	}
	*out = g.v;
	return g.n;
}

const struct policy_party *policy_party_find(const struct policy_party *parties, size_t n, const char *key)
{
	size_t i;

	for (i = 0; key && i < n; i++)
		if (!strcmp(parties[i].id, key) || !strcmp(parties[i].text, key))
			return &parties[i];
	return NULL;
}

void policy_party_model(struct vb *b, const struct policy_party *pt)
{
	size_t i;

	vb_kstr(b, "id", pt->id);
	vb_kstr(b, "text", pt->text);
	vb_kbool(b, "required", pt->required);
	vb_key(b, "uses");
	vb_arr(b);
	for (i = 0; i < pt->nrefs; i++) {
		const struct policy_party_ref *u = &pt->refs[i];

		vb_obj(b);
		vb_kstr(b, "use", policy_party_use_name(u->use));
		vb_kstr(b, "use_ja", policy_party_use_ja(u->use));
		vb_kstr(b, "procedure", u->procedure->id);
		vb_kstr(b, "item", u->item);
		vb_kstr(b, "ref", u->ref);
		vb_end(b);
	}
	vb_end(b);
}
