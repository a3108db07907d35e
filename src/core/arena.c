/* Arena allocator: bump allocation in blocks, released all at once. */
/* measures with vsnprintf, then writes exactly that much: results checked */
#undef snprintf   /* allowed here: see core/banned.h */
#undef vsnprintf
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16   /* arena_alloc's inline part in arena.h rounds to 16 too */
#define DEFAULT_BLOCK 8192

struct arena_block {
	struct arena_block *prev;
	size_t size;
	_Alignas(ALIGN) char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *arg;
};

static void oom(size_t n)
{
	fprintf(stderr, "shinsa: out of memory (%zu bytes)\n", n);
	abort();
}

void arena_init(struct arena *a, size_t block_size)
{
	memset(a, 0, sizeof(*a));
	a->block_size = block_size ? block_size : DEFAULT_BLOCK;
}

struct arena *arena_new(size_t block_size)
{
	struct arena *a = malloc(sizeof(*a));

	if (!a)
		oom(sizeof(*a));
	arena_init(a, block_size);
	return a;
}

static void run_cleanups(struct arena *a, struct arena_cleanup *stop)
{
	while (a->cleanups && a->cleanups != stop) {
		struct arena_cleanup *c = a->cleanups;

		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

void arena_release(struct arena *a)
{
	struct arena_block *b;

	run_cleanups(a, NULL);
	while ((b = a->head)) {
		a->head = b->prev;
		free(b);
	}
	a->ptr = a->end = NULL;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	arena_release(a);
	free(a);
}

void arena_reset(struct arena *a)
{
	struct arena_block *b;

	run_cleanups(a, NULL);
	if (!a->head)
		return;
	while (a->head->prev) {
		b = a->head;
		a->head = b->prev;
		a->total -= b->size;
		free(b);
	}
	a->ptr = a->head->data;
	a->end = a->head->data + a->head->size;
}

static void *grow(struct arena *a, size_t n)
{
	size_t size = n > a->block_size ? n : a->block_size;
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		oom(n);
	b = malloc(sizeof(*b) + size);
	if (!b)
		oom(n);
	b->prev = a->head;
	b->size = size;
	a->head = b;
	a->total += size;
	a->ptr = b->data + n;
	a->end = b->data + size;
	return b->data;
}

void *arena_alloc_slow(struct arena *a, size_t n)
{
	char *p;

	if (n > SIZE_MAX - ALIGN)
		oom(n);
	n = (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	if (!a->ptr)
		return grow(a, n);
	/* text allocations may have left the pointer unaligned */
	p = (char *)(((uintptr_t)a->ptr + (ALIGN - 1)) & ~(uintptr_t)(ALIGN - 1));
	if (p > a->end || (size_t)(a->end - p) < n)
		return grow(a, n);
	a->ptr = p + n;
	return p;
}

void *arena_alloc_bytes(struct arena *a, size_t n)
{
	char *p;

	if (n == 0)
		n = 1;
	if (!a->ptr || (size_t)(a->end - a->ptr) < n) {
		if (n > SIZE_MAX - ALIGN)
			oom(n);
		return grow(a, (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1));
	}
	p = a->ptr;
	a->ptr += n;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

void *arena_array(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		oom(SIZE_MAX);
	return arena_zalloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_bytes(a, n + 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	p = arena_alloc_bytes(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_realloc(struct arena *a, void *p, size_t old, size_t new)
{
	size_t o = (old + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
	size_t n = (new + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
	void *q;

	if (p && (char *)p + o == a->ptr && (size_t)(a->end - (char *)p) >= n) {
		a->ptr = (char *)p + n;
		return p;
	}
	if (new <= old && p)
		return p;
	q = arena_alloc(a, new);
	if (p && old)
		memcpy(q, p, old);
	return q;
}

void arena_cleanup(struct arena *a, void (*fn)(void *), void *arg)
{
	struct arena_cleanup *c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

void arena_rewind_slow(struct arena *a, struct arena_mark m)
{
	struct arena_block *b;

	run_cleanups(a, m.cleanups);
	while (a->head && a->head != m.head) {
		/* A mark taken on an empty arena keeps the first block for reuse:
		 * an evaluation loop must not malloc and free a block each time. */
		if (!m.head && !a->head->prev) {
			a->ptr = a->head->data;
			a->end = a->head->data + a->head->size;
			return;
		}
		b = a->head;
		a->head = b->prev;
		a->total -= b->size;
		free(b);
	}
	a->ptr = m.ptr;
	a->end = m.end;
}
