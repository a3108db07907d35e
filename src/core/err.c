/* Error records: a code plus a message that says what went wrong, and where
 * as data; the map from codes to exit statuses. */
#include "core/err.h"
#include "core/fmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void set_msg(struct err *e, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void set_msg(struct err *e, const char *fmt, va_list ap)
{
	/* A message cut at ERR_MSG_MAX is still a useful message. */
	fmt_vmessage(e->msg, sizeof(e->msg), fmt, ap);
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->line = e->col = 0;
	e->file[0] = '\0';
	va_start(ap, fmt);
	set_msg(e, fmt, ap);
	va_end(ap);
	return code;
}

int err_set_at(struct err *e, int code, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->line = line;
	e->col = col;
	e->file[0] = '\0';
	va_start(ap, fmt);
	set_msg(e, fmt, ap);
	va_end(ap);
	return code;
}

void err_set_file(struct err *e, const char *file)
{
	size_t n;

	if (!e)
		return;
	n = strlen(file);
	if (n >= sizeof(e->file))
		n = sizeof(e->file) - 1;
	memcpy(e->file, file, n);
	e->file[n] = '\0';
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[ERR_MSG_MAX], tmp[ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	fmt_vmessage(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	/* cut at ERR_MSG_MAX like any message: the start says the most */
	fmt_message(tmp, sizeof(tmp), "%s: %s", pre, e->msg);
	memcpy(e->msg, tmp, sizeof(e->msg));
}

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->code = OK;
	e->line = e->col = 0;
	e->file[0] = '\0';
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

const char *err_text(const struct err *e, char *out, size_t n)
{
	if (!n)
		return out;
	/* a cut text keeps its start, which says where and what */
	if (e->file[0] && e->line)
		fmt_message(out, n, "%s:%u:%u: %s", e->file, e->line, e->col, e->msg);
	else if (e->file[0])
		fmt_message(out, n, "%s: %s", e->file, e->msg);
	else if (e->line)
		fmt_message(out, n, "%u:%u: %s", e->line, e->col, e->msg);
	else
		fmt_message(out, n, "%s", e->msg);
	return out;
}

const char *err_errno_text(int errnum, char out[ERR_ERRNO_MAX])
{
	/* the GNU strerror_r (_GNU_SOURCE): it may return its own static text */
	return strerror_r(errnum, out, ERR_ERRNO_MAX);
}

int err_exit_status(int code)
{
	switch (code) {
	case OK:
		return EXIT_OK;
	case ERR_INVALID:
	case ERR_NOTFOUND:
	case ERR_EXISTS:
	case ERR_FORBIDDEN:
	case ERR_TOOLARGE:
	case ERR_IO:        /* a file named that cannot be read is the caller's to mend */
		return EXIT_USAGE;
	case ERR_INTERNAL:
		return EXIT_INTERNAL;
	}
	return EXIT_INTERNAL;
}
