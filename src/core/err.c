/* Error records: a code plus a message that says what went wrong and where. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	/* A message cut at ERR_MSG_MAX is still a useful message. */
	if (vsnprintf(e->msg, sizeof(e->msg), fmt, ap) < 0)
		e->msg[0] = '\0';
	va_end(ap);
	return code;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[ERR_MSG_MAX], tmp[ERR_MSG_MAX];
	va_list ap;
	int n;

	if (!e)
		return;
	va_start(ap, fmt);
	n = vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n = snprintf(tmp, sizeof(tmp), "%s: %s", pre, e->msg);
	if (n < 0)
		return;
	memcpy(e->msg, tmp, sizeof(e->msg));
}

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->code = OK;
	e->msg[0] = '\0';
}

const char *err_str(int code)
{
	switch (code) {
	case OK: return "ok";
	case ERR_INVALID: return "invalid";
	case ERR_NOTFOUND: return "not found";
	case ERR_EXISTS: return "exists";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_TOOLARGE: return "too large";
	case ERR_IO: return "i/o error";
	case ERR_INTERNAL: return "internal error";
	}
	return "unknown error";
}
