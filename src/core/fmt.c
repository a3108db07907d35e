/* fmt_snprintf and friends: vsnprintf with its result always looked at. */
#undef snprintf   /* allowed here: see core/banned.h */
#undef vsnprintf
#include "core/fmt.h"

#include <stdio.h>

#include "core/err.h"

/* Cut s (len bytes within a buffer) back to a UTF-8 character boundary. */
static void cut_utf8(char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	/* s[i - 1] is a lead byte or ASCII: keep it only if its sequence is whole */
	if (i > 0) {
		unsigned char c = (unsigned char)s[i - 1];
		size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

		if (len - (i - 1) < need)
			len = i - 1;
	}
	s[len] = '\0';
}

int fmt_vsnprintf(char *out, size_t n, const char *fmt, va_list ap)
{
	int k;

	if (!n)
		return ERR_TOOLARGE;
	k = vsnprintf(out, n, fmt, ap);
	if (k < 0) {
		out[0] = '\0';
		return ERR_INVALID;
	}
	if ((size_t)k >= n) {
		cut_utf8(out, n - 1);
		return ERR_TOOLARGE;
	}
	return k;
}

int fmt_snprintf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = fmt_vsnprintf(out, n, fmt, ap);
	va_end(ap);
	return k;
}

void fmt_vmessage(char *out, size_t n, const char *fmt, va_list ap)
{
	/* cut or not, out holds the message's start: that is what is wanted */
	int k = fmt_vsnprintf(out, n, fmt, ap);

	(void)k;
}

void fmt_message(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vmessage(out, n, fmt, ap);
	va_end(ap);
}

int fmt_vlen(const char *fmt, va_list ap)
{
	return vsnprintf(NULL, 0, fmt, ap);
}

int fmt_len(const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = fmt_vlen(fmt, ap);
	va_end(ap);
	return k;
}
