/* Formatting into a fixed array with truncation reported: the only way this
 * project formats into a char array (core/banned.h bans snprintf itself), so
 * no caller can ignore that its text was cut. */
#ifndef SHINSA_FMT_H
#define SHINSA_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Format into out (n > 0 bytes, always NUL-terminated). Returns the length
 * written (>= 0), or ERR_TOOLARGE when the text did not fit (out then holds
 * its start, cut at a UTF-8 character boundary), or ERR_INVALID for a bad
 * format. */
int fmt_snprintf(char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), warn_unused_result));
int fmt_vsnprintf(char *out, size_t n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0), warn_unused_result));

/* The same for a message, where a cut text is still the right thing to show
 * (it keeps its start, which says what and where): the name says so at the
 * call. Returns nothing to check. */
void fmt_message(char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fmt_vmessage(char *out, size_t n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* The length fmt would produce, for sizing an allocation; -1 on a bad format. */
int fmt_len(const char *fmt, ...) __attribute__((format(printf, 1, 2), warn_unused_result));
int fmt_vlen(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0), warn_unused_result));

#endif
