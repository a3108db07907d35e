/* core/crypto against published vectors: SHA-256 from FIPS 180-2 (appendix B)
 * and the NIST examples, HMAC-SHA256 from RFC 4231 (cases 1-4, 6, 7); the key
 * set up once gives the same MACs message after message; the compare, hex
 * and random bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/crypto.h"

static void hex_is(const unsigned char *d, const char *want)
{
	char h[CRYPTO_SHA256_HEX];

	assert_string_equal(crypto_hex(d, CRYPTO_SHA256_LEN, h), want);
}

static void sha(const void *p, size_t n, const char *want)
{
	unsigned char d[CRYPTO_SHA256_LEN];

	crypto_sha256(p, n, d);
	hex_is(d, want);
}

static void test_sha256_fips180(void **state)
{
	static char million[1000000];

	(void)state;
	sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	sha(million, sizeof(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* cases 6 and 7: 131 bytes of 0xaa */
#define KEY131 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct hmac_case {
	const char *key, *data, *want;   /* key and data in hex */
	size_t trunc;                    /* bytes of the MAC compared (case 5 would be 16) */
};

static size_t unhex_any(const char *h, unsigned char *out)
{
	size_t n = strlen(h) / 2;

	assert_int_equal(crypto_unhex(h, out, n), 0);
	return n;
}

static void test_hmac_rfc4231(void **state)
{
	static const struct hmac_case cases[] = {
		/* 1 */
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32 },
		/* 2: "Jefe", "what do ya want for nothing?" */
		{ "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32 },
		/* 3 */
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32 },
		/* 4 */
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32 },
		/* 6: a key longer than the block, hashed first */
		{ KEY131,
		  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579"
		  "204669727374",
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32 },
		/* 7 */
		{ KEY131,
		  "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b65"
		  "7920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		  "647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c"
		  "676f726974686d2e",
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32 },
	};
	unsigned char key[200], data[300], mac[CRYPTO_SHA256_LEN];
	size_t i, kn, dn;
	int round;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_hmac *h;

		kn = unhex_any(cases[i].key, key);
		dn = unhex_any(cases[i].data, data);
		crypto_hmac_sha256(key, kn, data, dn, mac);
		hex_is(mac, cases[i].want);
		/* the key set up once: the same MAC every time */
		h = crypto_hmac_new(key, kn);
		for (round = 0; round < 3; round++) {
			memset(mac, 0, sizeof(mac));
			crypto_hmac_run(h, data, dn, mac);
			hex_is(mac, cases[i].want);
		}
		crypto_hmac_free(h);
	}
}

static void test_equal_hex_random(void **state)
{
	unsigned char a[32], b[32], back[4];
	char h[9];
	struct err e = { 0 };

	(void)state;
	assert_int_equal(crypto_random(a, sizeof(a), &e), OK);
	memcpy(b, a, sizeof(a));
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 1);
	b[31] ^= 1;
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 0);
	b[31] ^= 1;
	b[0] ^= 0x80;
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 0);
	assert_int_equal(crypto_random(b, sizeof(b), &e), OK);
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 0);   /* 2^-256 */
	assert_string_equal(crypto_hex((const unsigned char *)"\x00\x9f\xa0\xff", 4, h), "009fa0ff");
	assert_int_equal(crypto_unhex("009FA0ff", back, 4), 0);
	assert_memory_equal(back, "\x00\x9f\xa0\xff", 4);
	assert_int_equal(crypto_unhex("009fa0f", back, 4), -1);
	assert_int_equal(crypto_unhex("009fa0fg", back, 4), -1);
	assert_int_equal(crypto_unhex("009fa0ff00", back, 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips180),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_equal_hex_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
