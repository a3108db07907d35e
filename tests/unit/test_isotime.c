/* Tests for time helpers: civil-date arithmetic, ISO 8601 parsing and
 * formatting with offsets, Japanese era dates and month arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/isotime.h"
#include "core/fmt.h"

static int64_t day(int64_t y, unsigned m, unsigned d)
{
	return isotime_days_from_civil(y, m, d);
}

static int64_t parse_ok(const char *s)
{
	int64_t t = 0;

	if (isotime_parse(s, strlen(s), &t) != 0)
		fail_msg("refused \"%s\"", s);
	return t;
}

static void parse_bad(const char *s)
{
	int64_t t = 777;

	if (isotime_parse(s, strlen(s), &t) == 0)
		fail_msg("accepted \"%s\" as %lld", s, (long long)t);
	/* A refused input leaves the result alone. */
	assert_int_equal(t, 777);
}

static void date_bad(const char *s)
{
	int64_t d = 777;

	if (isotime_parse_date(s, strlen(s), &d) == 0)
		fail_msg("accepted date \"%s\"", s);
	assert_int_equal(d, 777);
}

static void ymd(int64_t days, char out[32])
{
	int64_t y;
	unsigned m, d;

	isotime_civil_from_days(days, &y, &m, &d);
	assert_true(fmt_snprintf(out, 32, "%04lld-%02u-%02u", (long long)y, m, d) >= 0);
}

static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(day(1970, 1, 1), 0);
	assert_int_equal(day(1970, 1, 2), 1);
	assert_true(day(1969, 12, 31) == -1);
	assert_int_equal(day(2000, 3, 1), 11017);
	assert_int_equal(day(2026, 4, 1), 20544);
	assert_true(day(1900, 1, 1) == -25567);
	assert_true(day(0, 3, 1) == -719468);
	assert_true(day(-1, 12, 31) == -719529);
}

/* Walk day by day across 4,400 years, including negative years and every
 * kind of leap rule, and check that the date advances by exactly one. */
static void test_civil_walk(void **state)
{
	int64_t days, y = -400, yy;
	unsigned m = 1, d = 1, mm, dd, len;

	(void)state;
	for (days = day(-400, 1, 1); days < day(4000, 1, 1); days++) {
		isotime_civil_from_days(days, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %lld: got %lld-%u-%u, want %lld-%u-%u",
				 (long long)days, (long long)yy, mm, dd,
				 (long long)y, m, d);
		assert_true(day(yy, mm, dd) == days);
		len = m == 2 ? ((y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28)
			     : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

static void test_parse_basic(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("1970-01-01T00:00:01Z"), 1);
	assert_true(parse_ok("1969-12-31T23:59:59Z") == -1);
	assert_int_equal(parse_ok("2026-03-31T15:00:00Z"), 1774969200);
	assert_int_equal(parse_ok("2026-04-01T00:00:00+09:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-04-01T00:00:00+0900"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T10:00:00-05:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T20:30:00+05:30"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T15:00:00+00:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T15:00:00-00:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	/* A space for T, seconds left out, fractions ignored. */
	assert_int_equal(parse_ok("2026-04-01 00:00:00+09:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-04-01T00:00+09:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T15:00:00.999Z"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T15:00:00.123456789+00:00"),
			 parse_ok("2026-03-31T15:00:00Z"));
	assert_int_equal(parse_ok("2026-03-31T15:00:00.0Z"),
			 parse_ok("2026-03-31T15:00:00Z"));
	/* The offset can move the instant into another day, month or year. */
	assert_int_equal(parse_ok("2026-01-01T08:59:59+09:00"),
			 parse_ok("2025-12-31T23:59:59Z"));
	assert_int_equal(parse_ok("2025-12-31T23:00:00-23:59"),
			 parse_ok("2026-01-01T22:59:00Z"));
	/* Field extremes that are still valid. */
	parse_ok("0000-01-01T00:00:00Z");
	parse_ok("9999-12-31T23:59:59+23:59");
	parse_ok("2026-12-31T23:59:59Z");
}

static void test_parse_bounded_by_n(void **state)
{
	const char *s = "2026-03-31T15:00:00Zjunk";
	int64_t t = 0;

	(void)state;
	/* n, not the NUL, ends the input. */
	assert_int_equal(isotime_parse(s, 20, &t), 0);
	assert_int_equal(t, 1774969200);
	assert_int_equal(isotime_parse(s, 19, &t), -1);
	assert_int_equal(isotime_parse(s, 24, &t), -1);
	assert_int_equal(isotime_parse(s, 0, &t), -1);
	assert_int_equal(isotime_parse("2026-04-01T00:00:00+09:00", 24, &t), -1);
	assert_int_equal(isotime_parse("2026-04-01T00:00:00+09:00", 23, &t), -1);
}

static void test_parse_refused(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("2026");
	parse_bad("2026-04-01");
	/* No offset: ambiguous. */
	parse_bad("2026-04-01T00:00:00");
	parse_bad("2026-04-01T00:00");
	parse_bad("2026-04-01T00:00:00.5");
	/* Fields out of range. */
	parse_bad("2026-13-01T00:00:00Z");
	parse_bad("2026-00-01T00:00:00Z");
	parse_bad("2026-01-00T00:00:00Z");
	parse_bad("2026-01-32T00:00:00Z");
	parse_bad("2026-04-31T00:00:00Z");
	parse_bad("2026-04-01T24:00:00Z");
	parse_bad("2026-04-01T23:60:00Z");
	parse_bad("2026-04-01T23:59:60Z");
	parse_bad("2026-04-01T23:59:99Z");
	parse_bad("2026-04-01T00:00:00+24:00");
	parse_bad("2026-04-01T00:00:00+09:60");
	/* Leap years. */
	parse_bad("2023-02-29T00:00:00Z");
	parse_bad("1900-02-29T00:00:00Z");
	parse_bad("2024-02-30T00:00:00Z");
	/* Shape. */
	parse_bad("2026-04-01T00:00:00Zjunk");
	parse_bad("2026-04-01T00:00:00Z ");
	parse_bad(" 2026-04-01T00:00:00Z");
	parse_bad("2026-04-01T00:00:00+09:00x");
	parse_bad("2026-04-01T00:00:00+09");
	parse_bad("2026-04-01T00:00:00+9:00");
	parse_bad("2026-04-01T00:00:00+09:0");
	parse_bad("2026-04-01T00:00:00+090");
	parse_bad("2026-04-01T00:00:00 +09:00");
	parse_bad("2026-04-01T00:00:00.Z");
	parse_bad("2026-04-01T00:00.5Z");
	parse_bad("2026-04-01T0:00:00Z");
	parse_bad("2026-4-01T00:00:00Z");
	parse_bad("26-04-01T00:00:00Z");
	parse_bad("+2026-04-01T00:00:00Z");
	parse_bad("2026/04/01T00:00:00Z");
	parse_bad("2026-04-01X00:00:00Z");
	parse_bad("2026-04-01T00:00:0aZ");
	parse_bad("２０２６-04-01T00:00:00Z");
}

static void test_parse_leap_years(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2024-02-29T12:00:00Z") / 86400, day(2024, 2, 29));
	assert_int_equal(parse_ok("2000-02-29T00:00:00Z") / 86400, day(2000, 2, 29));
	assert_int_equal(parse_ok("2024-03-01T00:00:00Z") - parse_ok("2024-02-28T00:00:00Z"),
			 2 * 86400);
	assert_int_equal(parse_ok("2023-03-01T00:00:00Z") - parse_ok("2023-02-28T00:00:00Z"),
			 86400);
}

static void test_parse_date(void **state)
{
	int64_t d = 0;

	(void)state;
	assert_int_equal(isotime_parse_date("1970-01-01", 10, &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(isotime_parse_date("2024-02-29", 10, &d), 0);
	assert_int_equal(d, day(2024, 2, 29));
	assert_int_equal(isotime_parse_date("2000-02-29", 10, &d), 0);
	assert_int_equal(isotime_parse_date("2026-04-01T", 10, &d), 0);
	assert_int_equal(d, day(2026, 4, 1));
	date_bad("2023-02-29");
	date_bad("1900-02-29");
	date_bad("2026-13-01");
	date_bad("2026-00-10");
	date_bad("2026-06-31");
	date_bad("2026-4-1");
	date_bad("2026-04-01T");
	date_bad("2026-04-01 ");
	date_bad("2026-04");
	date_bad("");
}

static void test_format(void **state)
{
	char out[ISOTIME_BUFSZ];
	int64_t t = parse_ok("2026-03-31T15:00:00Z");

	(void)state;
	assert_string_equal(isotime_format(0, 0, out), "1970-01-01T00:00:00Z");
	assert_ptr_equal(isotime_format(0, 0, out), out);
	assert_string_equal(isotime_format(-1, 0, out), "1969-12-31T23:59:59Z");
	assert_string_equal(isotime_format(t, 0, out), "2026-03-31T15:00:00Z");
	assert_string_equal(isotime_format(t, 540, out), "2026-04-01T00:00:00+09:00");
	assert_string_equal(isotime_format(t, -300, out), "2026-03-31T10:00:00-05:00");
	assert_string_equal(isotime_format(t, 330, out), "2026-03-31T20:30:00+05:30");
	assert_string_equal(isotime_format(t, -1, out), "2026-03-31T14:59:00-00:01");
	assert_string_equal(isotime_format_jst(t, out), "2026-04-01T00:00:00+09:00");
	assert_string_equal(isotime_format_jst(0, out), "1970-01-01T09:00:00+09:00");
	assert_string_equal(isotime_format_jst(t - 1, out), "2026-03-31T23:59:59+09:00");
	assert_string_equal(isotime_format(day(1900, 1, 1) * 86400, 0, out),
			    "1900-01-01T00:00:00Z");
	/* Offsets of a day or more are refused rather than printed. */
	assert_string_equal(isotime_format(t, 1440, out), "");
	assert_string_equal(isotime_format(t, -1440, out), "");
	assert_string_equal(isotime_format(t, 1439, out), "2026-04-01T14:59:00+23:59");
}

static void test_format_extremes(void **state)
{
	char out[ISOTIME_BUFSZ];

	(void)state;
	/* Years with too many digits for the buffer give "" and no overflow. */
	assert_string_equal(isotime_format(INT64_MAX, 540, out), "");
	assert_string_equal(isotime_format(INT64_MIN, -540, out), "");
	/* INT64_MIN is -292277022657-01-27T08:29:52Z, INT64_MAX is
	 * 292277026596-12-04T15:30:07Z. */
	assert_string_equal(isotime_date_jst(INT64_MIN, out), "-292277022657-01-27");
	assert_string_equal(isotime_date_jst(INT64_MAX, out), "292277026596-12-05");
	/* Year 10000 still fits, with five digits. */
	assert_string_equal(isotime_format(day(10000, 1, 1) * 86400, 0, out),
			    "10000-01-01T00:00:00Z");
}

static void test_format_roundtrip(void **state)
{
	static const int offsets[] = { 0, 540, -300, 330, 345, -720, 840, -1 };
	char out[ISOTIME_BUFSZ];
	int64_t t, back;
	size_t i;

	(void)state;
	for (t = day(1800, 1, 1) * 86400; t < day(2200, 1, 1) * 86400;
	     t += 86400 * 37 + 3671) {
		for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
			isotime_format(t, offsets[i], out);
			back = 0;
			assert_int_equal(isotime_parse(out, strlen(out), &back), 0);
			if (back != t)
				fail_msg("%s read back as %lld, want %lld", out,
					 (long long)back, (long long)t);
		}
	}
}

static void test_date_jst(void **state)
{
	char out[ISOTIME_BUFSZ];

	(void)state;
	assert_string_equal(isotime_date_jst(parse_ok("2026-03-31T15:00:00Z"), out),
			    "2026-04-01");
	assert_string_equal(isotime_date_jst(parse_ok("2026-03-31T14:59:59Z"), out),
			    "2026-03-31");
	assert_string_equal(isotime_date_jst(parse_ok("2025-12-31T15:00:00Z"), out),
			    "2026-01-01");
	assert_string_equal(isotime_date_jst(-1, out), "1970-01-01");
	assert_string_equal(isotime_date_jst(-9 * 3600 - 1, out), "1969-12-31");
}

static void test_now(void **state)
{
	char out[ISOTIME_BUFSZ];
	int64_t t = isotime_now();

	(void)state;
	/* After this code was written, and formattable. */
	assert_true(t > parse_ok("2025-01-01T00:00:00Z"));
	assert_int_equal(strlen(isotime_format_jst(t, out)), 25);
}

static void wareki(int64_t y, unsigned m, unsigned d, const char *want)
{
	char out[64];

	assert_ptr_equal(isotime_wareki(day(y, m, d), out), out);
	if (strcmp(out, want))
		fail_msg("%lld-%u-%u: got %s, want %s", (long long)y, m, d, out, want);
}

static void test_wareki(void **state)
{
	(void)state;
	wareki(2019, 4, 30, "平成31年4月30日");
	wareki(2019, 5, 1, "令和元年5月1日");
	wareki(2019, 12, 31, "令和元年12月31日");
	wareki(2020, 1, 1, "令和2年1月1日");
	wareki(2026, 4, 1, "令和8年4月1日");
	wareki(2026, 11, 22, "令和8年11月22日");
	wareki(2118, 1, 1, "令和100年1月1日");
	wareki(1989, 1, 7, "昭和64年1月7日");
	wareki(1989, 1, 8, "平成元年1月8日");
	wareki(1989, 12, 31, "平成元年12月31日");
	wareki(1990, 1, 1, "平成2年1月1日");
	wareki(1926, 12, 25, "昭和元年12月25日");
	wareki(1927, 1, 1, "昭和2年1月1日");
	wareki(1945, 8, 15, "昭和20年8月15日");
	/* Before Showa: plain Gregorian. */
	wareki(1926, 12, 24, "1926年12月24日");
	wareki(1868, 10, 23, "1868年10月23日");
	wareki(-5, 1, 1, "-5年1月1日");
}

static void add_months(int64_t y, unsigned m, unsigned d, int months,
		       const char *want)
{
	char got[32];

	ymd(isotime_add_months(day(y, m, d), months), got);
	if (strcmp(got, want))
		fail_msg("%lld-%u-%u %+d months: got %s, want %s", (long long)y,
			 m, d, months, got, want);
}

static void test_add_months(void **state)
{
	(void)state;
	add_months(2025, 1, 31, 1, "2025-02-28");
	add_months(2024, 1, 31, 1, "2024-02-29");
	add_months(2025, 1, 15, 1, "2025-02-15");
	add_months(2025, 1, 31, 0, "2025-01-31");
	add_months(2025, 3, 31, 1, "2025-04-30");
	add_months(2025, 1, 31, 2, "2025-03-31");
	add_months(2024, 12, 31, 2, "2025-02-28");
	add_months(2025, 11, 30, 1, "2025-12-30");
	add_months(2025, 12, 31, 1, "2026-01-31");
	/* Whole years, including from a leap day. */
	add_months(2025, 1, 15, 12, "2026-01-15");
	add_months(2024, 2, 29, 12, "2025-02-28");
	add_months(2024, 2, 29, 48, "2028-02-29");
	add_months(2096, 2, 29, 48, "2100-02-28");
	add_months(1996, 2, 29, 48, "2000-02-29");
	add_months(2025, 6, 1, 120, "2035-06-01");
	/* Backwards. */
	add_months(2025, 3, 31, -1, "2025-02-28");
	add_months(2024, 3, 31, -1, "2024-02-29");
	add_months(2025, 1, 15, -1, "2024-12-15");
	add_months(2025, 1, 15, -12, "2024-01-15");
	add_months(2025, 1, 15, -13, "2023-12-15");
	add_months(2025, 5, 31, -3, "2025-02-28");
	add_months(0, 1, 15, -1, "-001-12-15");
	add_months(0, 1, 15, -13, "-002-12-15");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_civil_walk),
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_bounded_by_n),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_parse_leap_years),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_extremes),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_date_jst),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_wareki),
		cmocka_unit_test(test_add_months),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
