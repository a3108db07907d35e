/* Error codes and the error record that carries a code with a human message.
 * The message lives on the caller's struct err, never in a global. */
#ifndef SHINSA_ERR_H
#define SHINSA_ERR_H

#include <stddef.h>

enum {
	OK = 0,
	ERR_INVALID = -1,   /* bad input: names what and where */
	ERR_NOTFOUND = -2,
	ERR_EXISTS = -3,
	ERR_FORBIDDEN = -4,
	ERR_TOOLARGE = -5,  /* a size or depth cap was reached */
	ERR_IO = -6,
	ERR_INTERNAL = -7,
};

#define ERR_MSG_MAX 512

struct err {
	int code;
	char msg[ERR_MSG_MAX];
};

/* Record code and a printf-style message in e (which may be NULL); return code. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the message already in e with "prefix: " (e.g. a file name). */
void err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

/* A short English name for a code: "invalid", "not found", ... */
const char *err_str(int code);

#endif
