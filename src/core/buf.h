/* Growable byte buffer with a size cap: appends past the cap fail cleanly with
 * ERR_TOOLARGE and leave the buffer as it was. The data is always NUL-terminated. */
#ifndef SHINSA_BUF_H
#define SHINSA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;   /* 0 means the default cap (BUF_DEFAULT_MAX) */
	int rc;       /* the first failure of a sticky append (buf_add…), else OK */
};

#define BUF_DEFAULT_MAX ((size_t)1 << 30)
#define BUF_INIT { NULL, 0, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
/* Appends return OK, or ERR_TOOLARGE past the cap (the buffer then is as it
 * was): every result is looked at. */
#define BUF_MUST_CHECK __attribute__((warn_unused_result))
int buf_append(struct buf *b, const void *p, size_t n) BUF_MUST_CHECK;
int buf_puts(struct buf *b, const char *s) BUF_MUST_CHECK;
int buf_putc(struct buf *b, char c) BUF_MUST_CHECK;
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3))) BUF_MUST_CHECK;
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0))) BUF_MUST_CHECK;
/* Sticky appends, for output built in many steps (a table, a JSON text):
 * the first failure is kept in b->rc and later appends do nothing, so the
 * caller looks once, with buf_error(), before the text is used. */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static inline int buf_error(const struct buf *b) BUF_MUST_CHECK;
static inline int buf_error(const struct buf *b)
{
	return b->rc;
}

/* The text of a scratch buffer built with the sticky appends under the
 * default cap (BUF_DEFAULT_MAX, 1 GiB): a failure there means memory ran
 * out, which aborts with a message, as out of memory does everywhere. For
 * output with a cap of its own, read buf_error() and report it instead. */
const char *buf_done(const struct buf *b);

/* The data as a string ("" when empty); never NULL. */
const char *buf_str(const struct buf *b);
/* Hand over the data (caller frees) and reset b. */
char *buf_detach(struct buf *b, size_t *len);

#endif
