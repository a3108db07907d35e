/* Time helpers: Japan Standard Time and ISO 8601 with an explicit offset.
 * Times are int64 seconds since the Unix epoch (UTC); dates are civil days. */
#ifndef SHINSA_ISOTIME_H
#define SHINSA_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#define JST_OFFSET_MIN 540   /* UTC+09:00, no daylight saving */
#define ISOTIME_BUFSZ 32

int64_t isotime_now(void);

/* Format t as "YYYY-MM-DDThh:mm:ss+hh:mm" at the given UTC offset in minutes
 * * ("Z" when the offset is 0). Returns out. */
char *isotime_format(int64_t t, int offset_min, char out[ISOTIME_BUFSZ]);

/* Same, in JST: "2026-04-01T09:00:00+09:00". */
char *isotime_format_jst(int64_t t, char out[ISOTIME_BUFSZ]);

/* Format the JST calendar date of t as "YYYY-MM-DD". */
char *isotime_date_jst(int64_t t, char out[ISOTIME_BUFSZ]);

/* Parse an ISO 8601 timestamp: "YYYY-MM-DDThh:mm[:ss[.fff]]" followed by "Z" or
 * "+hh:mm"/"-hh:mm" (or "+hhmm"); a space may stand for "T". A timestamp with
 * no offset is refused (ambiguous). Returns 0 on success, -1 if invalid. */
int isotime_parse(const char *s, size_t n, int64_t *t);

/* Parse a calendar date "YYYY-MM-DD" (checked: month length, leap years) into
 * days since 1970-01-01. Returns 0 on success, -1 if invalid. */
int isotime_parse_date(const char *s, size_t n, int64_t *days);

/* Civil date <-> days since 1970-01-01 (proleptic Gregorian). */
int64_t isotime_days_from_civil(int64_t y, unsigned m, unsigned d);
void isotime_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Add months to a date, clamping the day to the month's end (2025-01-31 + 1
 * month = 2025-02-28): the way review cycles fall due. */
int64_t isotime_add_months(int64_t days, int months);

/* Japanese era date for documents: "令和8年4月1日". Returns out. */
char *isotime_wareki(int64_t days, char out[64]);

#endif
