/* The assigned ISO 3166-1 alpha-2 codes, read from the reference folder, and
 * suggestions for the codes people write instead of them. */
#include "assess/country.h"

#include <stdlib.h>
#include <string.h>

#include "assess/input.h"
#include "policy/ynode.h"

static int cmp_country(const void *a, const void *b)
{
	/* two letters each: a key may be the start of a longer text */
	return memcmp(((const struct country *)a)->code, ((const struct country *)b)->code, 2);
}

static int is_code(const char *s, size_t n)
{
	return n == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

int country_load(struct arena *a, const char *dir, struct country_list **out, struct diag *d)
{
	const char *file = arena_printf(a, "%s/reference/iso3166-1.yaml", dir);
	struct country_list *l = arena_zalloc(a, sizeof(*l));
	const struct ynode *list;
	struct ynode *root;
	struct country *items;
	struct err e;
	size_t n, i, before = d->n;
	char *text;

	*out = l;
	l->file = file;
	if (input_read(a, file, INPUT_MAX, &text, &n, d))
		return ERR_INVALID;
	if (ynode_parse(a, text, n, &root, &e)) {
		diag_add_err(d, file, &e);
		return ERR_INVALID;
	}
	list = root->kind == YN_MAP ? ynode_get(root, "countries") : NULL;
	if (!list || list->kind != YN_SEQ) {
		diag_add(d, file, root->line, root->col, "国コードの一覧 countries: がありません / no list of countries (countries:)");
		return ERR_INVALID;
	}
	items = arena_zalloc(a, (list->n ? list->n : 1) * sizeof(*items));
	for (i = 0; i < list->n; i++) {
		const struct ynode *y = list->items[i];

		if (y->kind != YN_SEQ || y->n != 3 || y->items[0]->kind != YN_SCALAR || y->items[1]->kind != YN_SCALAR ||
		    y->items[2]->kind != YN_SCALAR || !is_code(y->items[0]->str, y->items[0]->len)) {
			diag_add(d, file, y->line, y->col, "[コード, 英語名, 日本語名] で書いてください（コードは大文字2文字） / "
			         "expected [CODE, English name, 日本語名] with a two-letter upper-case code");
			continue;
		}
		items[l->n].code = y->items[0]->str;
		items[l->n].en = y->items[1]->str;
		items[l->n].ja = y->items[2]->str;
		if (l->n && strcmp(items[l->n - 1].code, items[l->n].code) >= 0)
			diag_add(d, file, y->line, y->col, "%1$s: コード順に一度ずつ書いてください / codes are listed once each,"
			         " in order (%1$s after %2$s)", items[l->n].code, items[l->n - 1].code);
		l->n++;
	}
	l->items = items;
	return d->n == before ? OK : ERR_INVALID;
}

const struct country *country_find(const struct country_list *l, const char *code, size_t n)
{
	struct country key;

	if (!l || !is_code(code, n))
		return NULL;
	key.code = code;
	return bsearch(&key, l->items, l->n, sizeof(*l->items), cmp_country);
}

/* What people write instead of a country code, and why it is not one. */
static const struct {
	const char *from, *to, *ja, *en;
} confusions[] = {
	{ "JA", "JP", "JA は日本語の言語コード", "JA is the language code for Japanese" },
	{ "JPN", "JP", "JPN は3文字のコード", "JPN is the three-letter code" },
	{ "UK", "GB", "UK は予約済みで、英国のコードは GB", "UK is reserved; the United Kingdom is GB" },
	{ "EN", "GB", "EN は英語の言語コード", "EN is the language code for English" },
	{ "GBR", "GB", "GBR は3文字のコード", "GBR is the three-letter code" },
	{ "USA", "US", "USA は3文字のコード", "USA is the three-letter code" },
	{ "EL", "GR", "EL は EU がギリシャに使う略号", "EL is the EU's abbreviation for Greece" },
	{ "KO", "KR", "KO は韓国語の言語コード", "KO is the language code for Korean" },
	{ "ZH", "CN", "ZH は中国語の言語コード", "ZH is the language code for Chinese" },
	{ "DA", "DK", "DA はデンマーク語の言語コード", "DA is the language code for Danish" },
	{ "CS", "CZ", "CS はチェコ語の言語コード", "CS is the language code for Czech" },
	{ "SP", "ES", "SP はスペインのコードではない", "SP is not Spain's code" },
	{ "EU", NULL, "EU は予約済みで国ではない。加盟国を挙げてください（例: DE, FR, IE）",
	  "EU is reserved, not a country: name the member states (e.g. DE, FR, IE)" },
	{ "ZZ", NULL, "ZZ は利用者定義のコードで、国を表さない。不明なら書かないでください",
	  "ZZ is user-assigned and names no country: leave the fact out when it is not known" },
	{ "AA", NULL, "AA は利用者定義のコードで、国を表さない", "AA is user-assigned and names no country" },
};

/* Where a code one letter off is most likely meant: the countries where
 * cloud services keep data and are governed, most often first. */
static const char likely[] = "JP US GB DE FR SG AU IE NL KR CN HK TW IN CA BR SE CH IT ES FI NO DK BE AT PL "
	"NZ ID MY TH PH VN IL AE SA ZA MX CL AR QA BH KW LU CZ PT GR HU RO IS EE";

const struct country *country_suggest(const struct country_list *l, const char *code, size_t n,
                                      struct country_hint *h)
{
	char up[4];
	size_t i;

	memset(h, 0, sizeof(*h));
	if (n < 2 || n > 3)
		return NULL;
	for (i = 0; i < n; i++)
		up[i] = code[i] >= 'a' && code[i] <= 'z' ? (char)(code[i] - 'a' + 'A') : code[i];
	up[n] = '\0';
	if (memcmp(up, code, n) && (h->meant = country_find(l, up, n))) {
		h->why_ja = "国コードは大文字で書く";
		h->why_en = "country codes are written in upper case";
		return h->meant;
	}
	for (i = 0; i < sizeof(confusions) / sizeof(confusions[0]); i++)
		if (!strcmp(confusions[i].from, up)) {
			h->why_ja = confusions[i].ja;
			h->why_en = confusions[i].en;
			h->meant = confusions[i].to ? country_find(l, confusions[i].to, 2) : NULL;
			return h->meant;
		}
	if (n != 2)
		return NULL;
	if ((up[0] == 'X' && up[1] >= 'A' && up[1] <= 'Z') || (up[0] == 'Q' && up[1] >= 'M' && up[1] <= 'Z')) {
		h->why_ja = "QM〜QZ・XA〜XZ は利用者定義のコードで、国を表さない";
		h->why_en = "QM-QZ and XA-XZ are user-assigned and name no country";
		return NULL;
	}
	/* exactly one of the two letters the same */
	for (i = 0; i + 1 < sizeof(likely); i += 3)
		if ((likely[i] == up[0]) != (likely[i + 1] == up[1]))
			return h->meant = country_find(l, likely + i, 2);
	return NULL;
}
