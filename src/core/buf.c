/* Growable byte buffer with a size cap. */
/* measures with vsnprintf, then writes exactly that much: results checked */
#undef snprintf   /* allowed here: see core/banned.h */
#undef vsnprintf
#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->rc = OK;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->rc = OK;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->rc = OK;
	if (b->data)
		b->data[0] = '\0';
}

static int reserve(struct buf *b, size_t n)
{
	size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
	size_t want, cap;
	char *p;

	if (n > max || b->len > max - n)
		return ERR_TOOLARGE;
	want = b->len + n + 1;
	if (want <= b->cap)
		return OK;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
	if (cap > max + 1)
		cap = max + 1;
	p = realloc(b->data, cap);
	if (!p) {
		fprintf(stderr, "shinsa: out of memory (%zu bytes)\n", cap);
		abort();
	}
	b->data = p;
	b->cap = cap;
	return OK;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	int rc = reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return OK;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return ERR_INVALID;
	rc = reserve(b, (size_t)n);
	if (rc)
		return rc;
	if ((size_t)n < sizeof(small)) {
		memcpy(b->data + b->len, small, (size_t)n + 1);
		b->len += (size_t)n;
		return OK;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return OK;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;

	if (len)
		*len = b->len;
	if (!p) {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	}
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->rc == OK)
		b->rc = buf_append(b, p, n);
}

void buf_adds(struct buf *b, const char *s)
{
	if (b->rc == OK)
		b->rc = buf_append(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	if (b->rc == OK)
		b->rc = buf_append(b, &c, 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	if (b->rc == OK)
		b->rc = buf_vprintf(b, fmt, ap);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *buf_done(const struct buf *b)
{
	if (b->rc != OK) {
		fprintf(stderr, "shinsa: out of memory (a text past %zu bytes)\n",
		        b->max ? b->max : BUF_DEFAULT_MAX);
		abort();
	}
	return buf_str(b);
}
