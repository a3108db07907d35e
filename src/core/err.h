/* Error codes and the error record that carries a code, a human message and,
 * where the error is in a file, its position as data (file, line, column), so
 * that no caller ever parses a message to recover where it was. The message
 * lives on the caller's struct err, never in a global. */
#ifndef SHINSA_ERR_H
#define SHINSA_ERR_H

#include <stddef.h>
#include <stdint.h>

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

#define ERR_MSG_MAX 2048
#define ERR_FILE_MAX 256

struct err {
	int code;
	uint32_t line, col;         /* 1-based; 0 when the error has no position */
	char file[ERR_FILE_MAX];    /* "" when it is not about a file */
	char msg[ERR_MSG_MAX];      /* what is wrong, without the position */
};

/* Record code and a printf-style message in e (which may be NULL), with no
 * position; return code. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same at line:col (1-based). */
int err_set_at(struct err *e, int code, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Name the file the error is in (cut at ERR_FILE_MAX - 1 bytes). */
void err_set_file(struct err *e, const char *file);

/* Prefix the message already in e with "prefix: " (e.g. a part of a rule). */
void err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

/* A short English name for a code: "invalid", "not found", ... */
const char *err_str(int code);

/* "file:line:column: message", leaving out what e does not have, into out
 * (n bytes, NUL-terminated, cut at n - 1). Returns out. */
const char *err_text(const struct err *e, char *out, size_t n);

/* The system's words for errnum (strerror_r: strerror is not safe in threads).
 * out needs ERR_ERRNO_MAX bytes; returns the text (out, or a static string). */
#define ERR_ERRNO_MAX 128
const char *err_errno_text(int errnum, char out[ERR_ERRNO_MAX]);

/* Exit statuses that scripts can rely on. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,     /* the command ran and the answer is "no" (or the rule threw) */
	EXIT_USAGE = 2,    /* bad arguments or bad input */
	EXIT_INTERNAL = 3, /* shinsa's own fault */
};

/* The one map from error codes to exit statuses (the HTTP map goes beside it). */
int err_exit_status(int code);

#endif
