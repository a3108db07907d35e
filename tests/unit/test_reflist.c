/* Tests for the reference lists' matching: vendors' spellings placed on a
 * list (case and separators ignored, sizes skipped, the longest run taken),
 * aliases and families, names that map to nothing or to a name off the
 * list, and the token reported for an unplaced name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "policy/reflist.h"

static struct arena A;

static const char *entries[] = { "AES", "Camellia", "GCM", "CBC", "SHA-256", "SHA-384", "SHA-512/256",
	"ChaCha20-Poly1305", "ECDH", "RSA-PSS", "RSA-OAEP", "HMAC" };
static const char *afrom[] = { "ECDHE", "SHA2-256", "SHA1", "3DES", "AES-GCM" };
static const char *ato[] = { "ECDH", "SHA-256", "SHA-1", "TDEA", "AES" };
static const char *noise[] = { "TLS", "WITH" };
static const char *fam_names[] = { "RSA" };
static const char *rsa_members[] = { "RSA-PSS", "RSA-OAEP" };
static const char *const *fam_members[] = { rsa_members };
static const size_t fam_n[] = { 2 };

static struct reflist_index *x;

static int place(const char *name, const char **bad)
{
	return reflist_place(&A, x, name, strlen(name), bad);
}

static void test_placed(void **state)
{
	static const char *good[] = { "AES", "aes", "AES-256-GCM", "aes_128_cbc", "AES256-GCM",
		"TLS_AES_128_GCM_SHA256", "ChaCha20-Poly1305", "chacha20 poly1305", "SHA-512/256",
		"ECDHE-RSA-AES256-GCM-SHA384", "RSA 2048", "RSA2048", "sha2-256", "Camellia-128-CBC" };
	size_t i;
	const char *bad;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		if (!place(good[i], &bad))
			fail_msg("'%s' not placed (at '%s')", good[i], bad ? bad : "?");
}

static void test_unplaced(void **state)
{
	const char *bad = NULL;

	(void)state;
	/* an alias to a name that is not on the list */
	assert_false(place("3DES", &bad));
	assert_false(place("AES-256-GCM-SHA1", &bad));
	assert_non_null(bad);
	/* nothing at all */
	assert_false(place("RC4-MD5", &bad));
	assert_non_null(bad);
	assert_false(place("", NULL));
	assert_false(place("256", NULL));           /* a size alone names nothing */
	assert_false(place("TLS", NULL));           /* noise alone names nothing */
	assert_false(place("AES-XTS", NULL));
}

static void test_list(void **state)
{
	(void)state;
	assert_string_equal(reflist_of(x)->name, "test.list");
	assert_string_equal(reflist_name(x), "test.list");
	assert_int_equal(reflist_of(x)->nentries, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placed),
		cmocka_unit_test(test_unplaced),
		cmocka_unit_test(test_list),
	};
	static struct reflist l = { "test.list", "unit test", entries, 12, afrom, ato, 5, noise, 2,
		fam_names, fam_members, fam_n, 1 };
	int rc;

	arena_init(&A, 1 << 16);
	x = reflist_index(&A, &l);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
