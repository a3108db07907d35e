/* Arena allocator: one per command, request or evaluation, released at once.
 * Non-memory resources (files, statements) are registered as cleanups and run
 * when the arena is reset or freed, newest first. Out of memory aborts. */
#ifndef SHINSA_ARENA_H
#define SHINSA_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct arena_block;
struct arena_cleanup;

/* Fields are private; the struct is public so that an arena can live on the stack. */
struct arena {
	struct arena_block *head;      /* current block, newest first */
	char *ptr, *end;               /* free space in head */
	struct arena_cleanup *cleanups;
	size_t block_size;             /* size of ordinary new blocks */
	size_t total;                  /* bytes held in blocks, for statistics */
};

/* A point to rewind to: everything allocated after it is released at once. */
struct arena_mark {
	struct arena_block *head;
	char *ptr, *end;
	struct arena_cleanup *cleanups;
};

void arena_init(struct arena *a, size_t block_size);
struct arena *arena_new(size_t block_size);
void arena_free(struct arena *a);     /* runs cleanups, frees blocks and a itself */
void arena_release(struct arena *a);  /* for an arena_init'ed arena: runs cleanups, frees blocks */

/* Run the cleanups and drop every block but the first, ready for reuse. */
void arena_reset(struct arena *a);

void *arena_alloc_slow(struct arena *a, size_t n);

/* n bytes aligned to 16. Inline: evaluation allocates a little, often, and
 * usually the block has room. */
static inline void *arena_alloc(struct arena *a, size_t n)
{
	char *p = (char *)(((uintptr_t)a->ptr + 15) & ~(uintptr_t)15);
	size_t m = (n + 15) & ~(size_t)15;

	if (a->ptr && m >= n && m && p <= a->end && (size_t)(a->end - p) >= m) {
		a->ptr = p + m;
		return p;
	}
	return arena_alloc_slow(a, n);
}
void *arena_alloc_bytes(struct arena *a, size_t n);   /* no alignment: text */
void *arena_zalloc(struct arena *a, size_t n);
void *arena_array(struct arena *a, size_t count, size_t size);  /* zeroed, overflow-checked */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Grow the most recent allocation p (of old bytes) to new bytes when it is
 * last in the block, else copy it. */
void *arena_realloc(struct arena *a, void *p, size_t old, size_t new);

void arena_cleanup(struct arena *a, void (*fn)(void *), void *arg);

void arena_rewind_slow(struct arena *a, struct arena_mark m);

static inline struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->ptr, a->end, a->cleanups };

	return m;
}

/* Release everything allocated since m. Inline: an evaluation loop rewinds
 * once per evaluation, and usually nothing but the bump pointer moved. */
static inline void arena_rewind(struct arena *a, struct arena_mark m)
{
	if (a->head == m.head && a->cleanups == m.cleanups && m.head) {
		a->ptr = m.ptr;
		a->end = m.end;
		return;
	}
	arena_rewind_slow(a, m);
}

#endif
