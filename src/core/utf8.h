/* UTF-8 validation and measurement: every string from outside is checked here
 * at the edge; widths follow East Asian Width for aligned terminal tables. */
#ifndef SHINSA_UTF8_H
#define SHINSA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Return 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF); else 0 and, if bad is not NULL, the byte offset of
 * the first bad sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* Decode one code point at s (n bytes left); store it in *cp and return its
 * length in bytes, or 0 when the sequence is malformed. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encode cp into out (at least 4 bytes); return the length, 0 if cp is invalid. */
size_t utf8_encode(uint32_t cp, char *out);

/* Number of UTF-16 code units the valid UTF-8 string s[0..n) would take
 * (JavaScript string length). */
size_t utf8_utf16_len(const char *s, size_t n);

/* Byte offset in s[0..n) of UTF-16 unit index u (clamped to n). A unit index
 * that falls inside a surrogate pair rounds up to the next code point. */
size_t utf8_utf16_offset(const char *s, size_t n, size_t u);

/* Terminal columns of one code point: 0 for combining marks and controls,
 * 2 for East Asian Wide and Fullwidth, else 1. */
int utf8_cp_width(uint32_t cp);

/* Terminal columns of the valid UTF-8 string s[0..n). */
size_t utf8_width(const char *s, size_t n);

#endif
