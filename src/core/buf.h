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
};

#define BUF_DEFAULT_MAX ((size_t)1 << 30)
#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The data as a string ("" when empty); never NULL. */
const char *buf_str(const struct buf *b);
/* Hand over the data (caller frees) and reset b. */
char *buf_detach(struct buf *b, size_t *len);

#endif
