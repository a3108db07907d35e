/* core/crypto against published vectors: SHA-256 from FIPS 180-2 (appendix B)
 * and the NIST examples, HMAC-SHA256 from RFC 4231 (cases 1-4, 6, 7);
 * PBKDF2-HMAC-SHA256 from RFC 7914 §11; AES-256-GCM from the NIST GCM spec's
 * test cases 13, 14 and 16 (also fed in pieces of whole blocks); the key
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

static size_t unhex_n(const char *s, unsigned char *out)
{
	size_t n = strlen(s) / 2;

	assert_int_equal(crypto_unhex(s, out, n), 0);
	return n;
}

static void pbkdf(const char *pw, const char *salt, unsigned iter, const char *want)
{
	unsigned char d[64];
	char h[129];

	crypto_pbkdf2_sha256(pw, strlen(pw), salt, strlen(salt), iter, d, sizeof(d));
	assert_string_equal(crypto_hex(d, sizeof(d), h), want);
}

static void test_pbkdf2_rfc7914(void **state)
{
	(void)state;
	pbkdf("passwd", "salt", 1,
	      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
	      "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
	pbkdf("Password", "NaCl", 80000,
	      "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
	      "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

/* key, nonce, aad, plaintext, ciphertext, tag (hex); step: the piece size */
static void gcm_case(const char *k, const char *iv, const char *aad, const char *p, const char *c,
                     const char *t, size_t step)
{
	unsigned char key[32], nonce[12], a[64], pt[128], ct[128], tag[16], out[128], mytag[16];
	size_t na = unhex_n(aad, a), np = unhex_n(p, pt), i, m;
	struct crypto_gcm *g;

	assert_int_equal(unhex_n(k, key), 32);
	assert_int_equal(unhex_n(iv, nonce), 12);
	assert_int_equal(unhex_n(c, ct), np);
	assert_int_equal(unhex_n(t, tag), 16);
	/* encrypt */
	g = crypto_gcm_new(key, nonce);
	crypto_gcm_aad(g, a, na);
	for (i = 0; i < np; i += m) {
		m = np - i < step ? np - i : step;
		crypto_gcm_encrypt(g, out + i, pt + i, m);
	}
	crypto_gcm_tag(g, mytag);
	crypto_gcm_free(g);
	assert_memory_equal(out, ct, np);
	assert_memory_equal(mytag, tag, 16);
	/* decrypt, then a flipped tag bit and a flipped ciphertext bit */
	g = crypto_gcm_new(key, nonce);
	crypto_gcm_aad(g, a, na);
	for (i = 0; i < np; i += m) {
		m = np - i < step ? np - i : step;
		crypto_gcm_decrypt(g, out + i, ct + i, m);
	}
	assert_int_equal(crypto_gcm_check(g, tag), 1);
	crypto_gcm_free(g);
	assert_memory_equal(out, pt, np);
	tag[15] ^= 1;
	g = crypto_gcm_new(key, nonce);
	crypto_gcm_aad(g, a, na);
	crypto_gcm_decrypt(g, out, ct, np);
	assert_int_equal(crypto_gcm_check(g, tag), 0);
	crypto_gcm_free(g);
	tag[15] ^= 1;
	if (np) {
		ct[0] ^= 0x80;
		g = crypto_gcm_new(key, nonce);
		crypto_gcm_aad(g, a, na);
		crypto_gcm_decrypt(g, out, ct, np);
		assert_int_equal(crypto_gcm_check(g, tag), 0);
		crypto_gcm_free(g);
	}
}

static void test_gcm_nist(void **state)
{
	static const char *zero32 = "0000000000000000000000000000000000000000000000000000000000000000";
	size_t steps[] = { 1000, 16, 32, 48 }, i;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		/* test case 13: AES-256, no plaintext, no AAD */
		gcm_case(zero32, "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b", steps[i]);
		/* test case 14 */
		gcm_case(zero32, "000000000000000000000000", "", "00000000000000000000000000000000",
		         "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919", steps[i]);
		/* test case 16: 60 bytes with 20 bytes of AAD */
		gcm_case("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
		         "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		         "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		         "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		         "76fc6ece0f4e1768cddf8853bb2d551b", steps[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips180),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_equal_hex_random),
		cmocka_unit_test(test_pbkdf2_rfc7914),
		cmocka_unit_test(test_gcm_nist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
