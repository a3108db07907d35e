/* ISO 8601 timestamps, civil dates and Japanese era dates, by integer
 * arithmetic only: the result never depends on TZ, the locale or the host. */
#include "core/isotime.h"
#include "core/fmt.h"

#include <stdio.h>
#include <time.h>

#define DAY_SECS 86400

/* Era starts, newest first. Before Showa the
 * documents we print have no use for era names, so those dates fall back to
 * the Gregorian form. */
struct era {
	const char *name;
	int64_t y;          /* Gregorian date of the era's first day */
	unsigned m, d;
};

static const struct era eras[] = {
	{ "令和", 2019, 5, 1 },
	{ "平成", 1989, 1, 8 },
	{ "昭和", 1926, 12, 25 },
};

int64_t isotime_now(void)
{
	return (int64_t)time(NULL);
}

/* Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian
 * calendar, with no tables and no library calls. */
int64_t isotime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void isotime_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = yoe + era * 400 + (mm <= 2);
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned char len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Split t, shifted by offset minutes, into days and seconds of the day
 * without computing t + offset, which could overflow near the int64 ends. */
static void split(int64_t t, int offset_min, int64_t *days, int64_t *secs)
{
	int64_t dd = t / DAY_SECS, ss = t % DAY_SECS;

	if (ss < 0) {
		ss += DAY_SECS;
		dd--;
	}
	ss += (int64_t)offset_min * 60;
	while (ss < 0) {
		ss += DAY_SECS;
		dd--;
	}
	while (ss >= DAY_SECS) {
		ss -= DAY_SECS;
		dd++;
	}
	*days = dd;
	*secs = ss;
}

char *isotime_format(int64_t t, int offset_min, char out[ISOTIME_BUFSZ])
{
	int64_t days, secs, y;
	unsigned m, d;
	int off, n;
	char sign = '+';

	out[0] = '\0';
	/* An offset of a day or more is no offset at all; refuse it rather
	 * than print hours that a parser would reject. */
	if (offset_min <= -24 * 60 || offset_min >= 24 * 60)
		return out;
	split(t, offset_min, &days, &secs);
	isotime_civil_from_days(days, &y, &m, &d);
	if (offset_min == 0) {
		n = fmt_snprintf(out, ISOTIME_BUFSZ, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
			     (long long)y, m, d, (int)(secs / 3600),
			     (int)(secs / 60 % 60), (int)(secs % 60));
	} else {
		off = offset_min;
		if (off < 0) {
			sign = '-';
			off = -off;
		}
		n = fmt_snprintf(out, ISOTIME_BUFSZ,
			     "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
			     (long long)y, m, d, (int)(secs / 3600),
			     (int)(secs / 60 % 60), (int)(secs % 60),
			     sign, off / 60, off % 60);
	}
	/* Only years hundreds of millions away overflow the buffer; an empty
	 * string is safer than a cut-off timestamp that still looks plausible. */
	if (n < 0 || n >= ISOTIME_BUFSZ)
		out[0] = '\0';
	return out;
}

char *isotime_format_jst(int64_t t, char out[ISOTIME_BUFSZ])
{
	return isotime_format(t, JST_OFFSET_MIN, out);
}

char *isotime_date_jst(int64_t t, char out[ISOTIME_BUFSZ])
{
	int64_t days, secs, y;
	unsigned m, d;
	int n;

	split(t, JST_OFFSET_MIN, &days, &secs);
	isotime_civil_from_days(days, &y, &m, &d);
	n = fmt_snprintf(out, ISOTIME_BUFSZ, "%04lld-%02u-%02u", (long long)y, m, d);
	if (n < 0 || n >= ISOTIME_BUFSZ)
		out[0] = '\0';
	return out;
}

/* Read exactly w decimal digits at s[*i]; -1 if any is missing. */
static int digits(const char *s, size_t n, size_t *i, int w)
{
	int v = 0, k;

	if (n - *i < (size_t)w)
		return -1;
	for (k = 0; k < w; k++) {
		char c = s[*i + (size_t)k];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)w;
	return v;
}

static int expect(const char *s, size_t n, size_t *i, char c)
{
	if (*i >= n || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

/* "YYYY-MM-DD" at s[*i], checked against the real month length. */
static int parse_ymd(const char *s, size_t n, size_t *i, int64_t *days)
{
	int y, m, d;

	if ((y = digits(s, n, i, 4)) < 0 || expect(s, n, i, '-') ||
	    (m = digits(s, n, i, 2)) < 0 || expect(s, n, i, '-') ||
	    (d = digits(s, n, i, 2)) < 0)
		return -1;
	if (m < 1 || m > 12 || d < 1 || (unsigned)d > month_days(y, (unsigned)m))
		return -1;
	*days = isotime_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

int isotime_parse_date(const char *s, size_t n, int64_t *days)
{
	size_t i = 0;
	int64_t dd;

	if (!s || parse_ymd(s, n, &i, &dd) || i != n)
		return -1;
	*days = dd;
	return 0;
}

int isotime_parse(const char *s, size_t n, int64_t *t)
{
	size_t i = 0;
	int64_t days;
	int hh, mi, ss = 0, oh, om, off;

	if (!s || parse_ymd(s, n, &i, &days))
		return -1;
	if (i >= n || (s[i] != 'T' && s[i] != ' '))
		return -1;
	i++;
	if ((hh = digits(s, n, &i, 2)) < 0 || expect(s, n, &i, ':') ||
	    (mi = digits(s, n, &i, 2)) < 0)
		return -1;
	if (i < n && s[i] == ':') {
		i++;
		if ((ss = digits(s, n, &i, 2)) < 0)
			return -1;
		/* Fractions are accepted for interchange but carry nothing we
		 * keep: times are whole seconds. */
		if (i < n && s[i] == '.') {
			i++;
			if (i >= n || s[i] < '0' || s[i] > '9')
				return -1;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
	}
	/* A leap second (:60) cannot be stored in Unix time; refuse it rather
	 * than silently move the event into the next minute. */
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	if (i >= n)
		return -1;
	if (s[i] == 'Z') {
		i++;
		off = 0;
	} else if (s[i] == '+' || s[i] == '-') {
		int neg = s[i] == '-';

		i++;
		if ((oh = digits(s, n, &i, 2)) < 0)
			return -1;
		if (i < n && s[i] == ':')
			i++;
		if ((om = digits(s, n, &i, 2)) < 0)
			return -1;
		if (oh > 23 || om > 59)
			return -1;
		off = oh * 60 + om;
		if (neg)
			off = -off;
	} else {
		return -1;
	}
	if (i != n)
		return -1;
	*t = days * DAY_SECS + hh * 3600 + mi * 60 + ss - (int64_t)off * 60;
	return 0;
}

int64_t isotime_add_months(int64_t days, int months)
{
	int64_t y, total, ny;
	unsigned m, d, nm, last;

	isotime_civil_from_days(days, &y, &m, &d);
	total = y * 12 + (int64_t)(m - 1) + months;
	ny = total / 12;
	if (total % 12 < 0)
		ny--;
	nm = (unsigned)(total - ny * 12) + 1;
	last = month_days(ny, nm);
	return isotime_days_from_civil(ny, nm, d < last ? d : last);
}

char *isotime_wareki(int64_t days, char out[64])
{
	char year[24];
	int64_t y;
	unsigned m, d, k;
	int n;

	isotime_civil_from_days(days, &y, &m, &d);
	for (k = 0; k < sizeof(eras) / sizeof(eras[0]); k++) {
		const struct era *e = &eras[k];

		if (days < isotime_days_from_civil(e->y, e->m, e->d))
			continue;
		/* The first year of an era is written 元年, never 1年. */
		if (y == e->y)
			n = fmt_snprintf(year, sizeof(year), "元");
		else
			n = fmt_snprintf(year, sizeof(year), "%lld",
				     (long long)(y - e->y + 1));
		if (n < 0 || (size_t)n >= sizeof(year))
			goto fail;
		n = fmt_snprintf(out, 64, "%s%s年%u月%u日", e->name, year, m, d);
		if (n < 0 || n >= 64)
			goto fail;
		return out;
	}
	n = fmt_snprintf(out, 64, "%lld年%u月%u日", (long long)y, m, d);
	if (n < 0 || n >= 64)
		goto fail;
	return out;
fail:
	out[0] = '\0';
	return out;
}
