/* Tests for UTF-8 validation, decoding, encoding, UTF-16 measurement and
 * East Asian Width, with the malformed sequences an edge check must refuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void valid_ok(const char *s, size_t n)
{
	size_t bad = 12345;

	if (!utf8_valid(s, n, &bad))
		fail_msg("refused valid input, bad offset %zu", bad);
	assert_int_equal(bad, 12345);
}

static void valid_bad(const char *s, size_t n, size_t want)
{
	size_t bad = 12345;

	if (utf8_valid(s, n, &bad))
		fail_msg("accepted invalid input (want bad offset %zu)", want);
	if (bad != want)
		fail_msg("bad offset %zu, want %zu", bad, want);
	/* bad is optional. */
	assert_int_equal(utf8_valid(s, n, NULL), 0);
}

static void test_valid(void **state)
{
	(void)state;
	valid_ok(S(""));
	valid_ok(NULL, 0);
	valid_ok(S("plain ascii\t\n"));
	valid_ok(S("a\0b"));
	valid_ok(S("日本語のテキスト"));
	valid_ok(S("😀 𠮷野家"));
	/* The first and last code point of every encoding length, and both
	 * sides of the surrogate gap. */
	valid_ok(S("\x7F"));
	valid_ok(S("\xC2\x80"));
	valid_ok(S("\xDF\xBF"));
	valid_ok(S("\xE0\xA0\x80"));
	valid_ok(S("\xED\x9F\xBF"));
	valid_ok(S("\xEE\x80\x80"));
	valid_ok(S("\xEF\xBF\xBF"));
	valid_ok(S("\xF0\x90\x80\x80"));
	valid_ok(S("\xF4\x8F\xBF\xBF"));
	/* n is the limit, not the NUL: a bad byte past n is not looked at. */
	valid_ok("ok\xFF", 2);
}

static void test_invalid(void **state)
{
	(void)state;
	/* Overlongs. */
	valid_bad(S("\xC0\x80"), 0);
	valid_bad(S("ab\xC0\x80"), 2);
	valid_bad(S("\xC1\xBF"), 0);
	valid_bad(S("x\xE0\x80\x80"), 1);
	valid_bad(S("\xE0\x9F\xBF"), 0);
	valid_bad(S("\xF0\x80\x80\x80"), 0);
	valid_bad(S("\xF0\x8F\xBF\xBF"), 0);
	/* Surrogates, paired or not (CESU-8). */
	valid_bad(S("\xED\xA0\x80"), 0);
	valid_bad(S("日\xED\xBF\xBF"), 3);
	valid_bad(S("\xED\xA0\xBD\xED\xB8\x80"), 0);
	/* Past U+10FFFF, and bytes that never occur. */
	valid_bad(S("abc\xF4\x90\x80\x80"), 3);
	valid_bad(S("\xF5\x80\x80\x80"), 0);
	valid_bad(S("\xF8\x88\x80\x80\x80"), 0);
	valid_bad(S("a\xFE"), 1);
	valid_bad(S("a\xFF"), 1);
	/* Truncated at the end and in the middle. */
	valid_bad(S("\xE6\x97"), 0);
	valid_bad(S("ab\xE6"), 2);
	valid_bad(S("a\xF0\x9F\x98"), 1);
	valid_bad(S("\xE6\x97" "a"), 0);
	valid_bad(S("\xF0\x9F\x98" "a"), 0);
	valid_bad(S("\xC3"), 0);
	valid_bad("日本", 5, 3);
	/* Stray continuation bytes. */
	valid_bad(S("\x80"), 0);
	valid_bad(S("a\x80" "b"), 1);
	valid_bad(S("日\xBF"), 3);
	valid_bad(S("\xC3\xA9\xA9"), 2);
	/* A lead byte followed by a non-continuation. */
	valid_bad(S("\xC3" "A"), 0);
	valid_bad(S("\xE6\x97\xC3\xA9"), 0);
	/* Only the first error is reported. */
	valid_bad(S("ok\x80\xFF"), 2);
}

static void test_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_decode(S("A"), &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(utf8_decode(S("é"), &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode(S("日本"), &cp), 3);
	assert_int_equal(cp, 0x65E5);
	assert_int_equal(utf8_decode(S("😀"), &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode(S("\xF4\x8F\xBF\xBF"), &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* n short of the sequence: refused, never read past n. */
	assert_int_equal(utf8_decode("日", 2, &cp), 0);
	assert_int_equal(utf8_decode("😀", 3, &cp), 0);
	assert_int_equal(utf8_decode("A", 0, &cp), 0);
	assert_int_equal(utf8_decode(S("\xC0\x80"), &cp), 0);
	assert_int_equal(utf8_decode(S("\xED\xA0\x80"), &cp), 0);
	assert_int_equal(utf8_decode(S("\x80"), &cp), 0);
}

static void test_encode(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(utf8_encode('A', out), 1);
	assert_memory_equal(out, "A", 1);
	assert_int_equal(utf8_encode(0x7F, out), 1);
	assert_int_equal(utf8_encode(0x80, out), 2);
	assert_memory_equal(out, "\xC2\x80", 2);
	assert_int_equal(utf8_encode(0x7FF, out), 2);
	assert_memory_equal(out, "\xDF\xBF", 2);
	assert_int_equal(utf8_encode(0x800, out), 3);
	assert_memory_equal(out, "\xE0\xA0\x80", 3);
	assert_int_equal(utf8_encode(0x65E5, out), 3);
	assert_memory_equal(out, "日", 3);
	assert_int_equal(utf8_encode(0xFFFF, out), 3);
	assert_int_equal(utf8_encode(0x10000, out), 4);
	assert_memory_equal(out, "\xF0\x90\x80\x80", 4);
	assert_int_equal(utf8_encode(0x1F600, out), 4);
	assert_memory_equal(out, "😀", 4);
	assert_int_equal(utf8_encode(0x10FFFF, out), 4);
	assert_memory_equal(out, "\xF4\x8F\xBF\xBF", 4);
	assert_int_equal(utf8_encode(0xD800, out), 0);
	assert_int_equal(utf8_encode(0xDFFF, out), 0);
	assert_int_equal(utf8_encode(0x110000, out), 0);
	assert_int_equal(utf8_encode(0xFFFFFFFF, out), 0);
}

/* Every scalar value survives encode then decode, and is valid. */
static void test_roundtrip_all(void **state)
{
	char out[4];
	uint32_t cp, back;
	size_t len;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		len = utf8_encode(cp, out);
		assert_true(len >= 1 && len <= 4);
		if (utf8_decode(out, len, &back) != len || back != cp)
			fail_msg("round trip failed for U+%04X", (unsigned)cp);
		assert_true(utf8_valid(out, len, NULL));
	}
}

/* Exhaustive over the first two bytes: a sequence is accepted exactly when
 * it begins the shortest encoding of some scalar value. This is the whole of
 * Unicode's well-formedness table, checked against the encoder. */
static void test_two_byte_prefixes(void **state)
{
	static unsigned char canonical[256][256];
	unsigned char seq[4];
	char out[4];
	uint32_t cp;
	unsigned b0, b1;
	size_t len;

	(void)state;
	for (cp = 0x80; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		utf8_encode(cp, out);
		canonical[(unsigned char)out[0]][(unsigned char)out[1]] = 1;
	}
	for (b0 = 0x80; b0 < 256; b0++) {
		for (b1 = 0; b1 < 256; b1++) {
			seq[0] = (unsigned char)b0;
			seq[1] = (unsigned char)b1;
			seq[2] = seq[3] = 0x80;
			len = utf8_decode((const char *)seq, 4, &cp);
			if ((len != 0) != canonical[b0][b1])
				fail_msg("%02X %02X: decode gave %zu", b0, b1, len);
		}
	}
}

static void test_utf16_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_utf16_len(S("")), 0);
	assert_int_equal(utf8_utf16_len(S("abc")), 3);
	assert_int_equal(utf8_utf16_len(S("é")), 1);
	assert_int_equal(utf8_utf16_len(S("日本語")), 3);
	assert_int_equal(utf8_utf16_len(S("😀")), 2);
	assert_int_equal(utf8_utf16_len(S("a😀b")), 4);
	assert_int_equal(utf8_utf16_len(S("𠮷野家")), 4);
	assert_int_equal(utf8_utf16_len(S("\xEF\xBF\xBF\xF0\x90\x80\x80")), 3);
	/* Not valid, but it must still end: one unit per bad byte. */
	assert_int_equal(utf8_utf16_len(S("a\xFF\xE6\x97")), 4);
}

static void test_utf16_offset(void **state)
{
	const char *s = "a😀b日";
	size_t n = strlen(s);

	(void)state;
	assert_int_equal(utf8_utf16_offset(s, n, 0), 0);
	assert_int_equal(utf8_utf16_offset(s, n, 1), 1);
	/* Unit 2 is the low surrogate of 😀: round up past the pair. */
	assert_int_equal(utf8_utf16_offset(s, n, 2), 5);
	assert_int_equal(utf8_utf16_offset(s, n, 3), 5);
	assert_int_equal(utf8_utf16_offset(s, n, 4), 6);
	assert_int_equal(utf8_utf16_offset(s, n, 5), 9);
	assert_int_equal(utf8_utf16_offset(s, n, 6), 9);
	assert_int_equal(utf8_utf16_offset(s, n, (size_t)-1), 9);
	assert_int_equal(utf8_utf16_offset(S("日本"), 1), 3);
	assert_int_equal(utf8_utf16_offset(S(""), 3), 0);
	/* A bad byte at the end does not send the walk past n. */
	assert_int_equal(utf8_utf16_offset("a\xF0\x9F", 3, 10), 3);
}

static void cp_w(uint32_t cp, int want)
{
	int got = utf8_cp_width(cp);

	if (got != want)
		fail_msg("width of U+%04X is %d, want %d", (unsigned)cp, got, want);
}

static void test_cp_width(void **state)
{
	(void)state;
	/* Narrow. */
	cp_w(' ', 1);
	cp_w('a', 1);
	cp_w('~', 1);
	cp_w(0xA0, 1);
	cp_w(0xAD, 1);
	cp_w(0xE9, 1);
	cp_w(0x0600, 1);
	cp_w(0x303F, 1);
	cp_w(0xFF61, 1);
	cp_w(0xFF76, 1);
	cp_w(0xFF9F, 1);
	cp_w(0xFFE8, 1);
	cp_w(0x10FFFF, 1);
	/* Controls. */
	cp_w(0, 0);
	cp_w('\t', 0);
	cp_w(0x1B, 0);
	cp_w(0x7F, 0);
	cp_w(0x85, 0);
	cp_w(0x9F, 0);
	/* Combining and zero-width. */
	cp_w(0x0300, 0);
	cp_w(0x0301, 0);
	cp_w(0x036F, 0);
	cp_w(0x0370, 1);
	cp_w(0x3099, 0);
	cp_w(0x309A, 0);
	cp_w(0x200B, 0);
	cp_w(0x200D, 0);
	cp_w(0x200F, 0);
	cp_w(0x2010, 1);
	cp_w(0xFE00, 0);
	cp_w(0xFE0F, 0);
	cp_w(0xFEFF, 0);
	cp_w(0xE0001, 0);
	cp_w(0x1160, 0);
	/* Wide and fullwidth. */
	cp_w(0x1100, 2);
	cp_w(0x2E80, 2);
	cp_w(0x3000, 2);
	cp_w(0x3001, 2);
	cp_w(0x303E, 2);
	cp_w(0x3042, 2);
	cp_w(0x30A2, 2);
	cp_w(0x30FC, 2);
	cp_w(0x4E00, 2);
	cp_w(0x9FFF, 2);
	cp_w(0xAC00, 2);
	cp_w(0xD7A3, 2);
	cp_w(0xF900, 2);
	cp_w(0xFF01, 2);
	cp_w(0xFF21, 2);
	cp_w(0xFF60, 2);
	cp_w(0xFFE0, 2);
	cp_w(0xFFE6, 2);
	cp_w(0x1F300, 2);
	cp_w(0x1F600, 2);
	cp_w(0x1F64F, 2);
	cp_w(0x1F680, 2);
	cp_w(0x1F90C, 2);
	cp_w(0x1F9FF, 2);
	cp_w(0x20000, 2);
	cp_w(0x20BB7, 2);
	cp_w(0x3FFFD, 2);
	cp_w(0x40000, 1);
	/* Unicode keeps text-style symbols in the emoji blocks narrow. */
	cp_w(0x1F321, 1);
	cp_w(0x1F900, 1);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(S("")), 0);
	assert_int_equal(utf8_width(S("abc")), 3);
	assert_int_equal(utf8_width(S("日本語")), 6);
	assert_int_equal(utf8_width(S("ｱｲｳ")), 3);
	assert_int_equal(utf8_width(S("ｶﾞ")), 2);
	assert_int_equal(utf8_width(S("ＡＢＣ")), 6);
	assert_int_equal(utf8_width(S("表a")), 3);
	assert_int_equal(utf8_width(S("😀")), 2);
	assert_int_equal(utf8_width(S("e\xCC\x81")), 1);
	assert_int_equal(utf8_width(S("か\xE3\x82\x99")), 2);
	assert_int_equal(utf8_width(S("a\xE2\x80\x8B" "b")), 2);
	assert_int_equal(utf8_width(S("한국어")), 6);
	assert_int_equal(utf8_width(S("申請：承認済み")), 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_roundtrip_all),
		cmocka_unit_test(test_two_byte_prefixes),
		cmocka_unit_test(test_utf16_len),
		cmocka_unit_test(test_utf16_offset),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
