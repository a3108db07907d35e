/* Tests for the arena allocator: block boundaries, alignment, cleanups in
 * reverse order, marks and rewinds, and reallocation in place and by copy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"

#define BLOCK 256

/* The cleanups append their tag here so that tests can check the order. */
struct trace {
	int order[16];
	int n;
};

struct tag {
	struct trace *t;
	int id;
};

static void record(void *arg)
{
	struct tag *g = arg;

	if (g->t->n < 16)
		g->t->order[g->t->n] = g->id;
	g->t->n++;
}

static int aligned(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static void test_alloc_alignment(void **state)
{
	struct arena a;
	size_t n;

	(void)state;
	arena_init(&a, BLOCK);
	/* Odd sizes, zero and sizes straddling the block end all come back
	 * aligned, and every byte can be written (ASan checks the bounds). */
	for (n = 0; n < 600; n += (n < 40 ? 1 : 37)) {
		char *p = arena_alloc(&a, n);

		assert_non_null(p);
		assert_true(aligned(p));
		memset(p, 0xAB, n);
	}
	assert_true(aligned(arena_strdup(&a, "x")));
	assert_true(aligned(arena_printf(&a, "%d", 7)));
	assert_true(aligned(arena_zalloc(&a, 3)));
	assert_true(aligned(arena_array(&a, 3, 5)));
	arena_release(&a);
}

static void test_alloc_distinct(void **state)
{
	struct arena a;
	char *p[100];
	int i, j;

	(void)state;
	arena_init(&a, BLOCK);
	for (i = 0; i < 100; i++) {
		p[i] = arena_alloc(&a, 24);
		memset(p[i], i, 24);
	}
	/* Nothing overlapped: every allocation kept its own bytes. */
	for (i = 0; i < 100; i++)
		for (j = 0; j < 24; j++)
			assert_int_equal((unsigned char)p[i][j], i);
	arena_release(&a);
}

static void test_big_alloc(void **state)
{
	struct arena a;
	char *small, *big, *after;

	(void)state;
	arena_init(&a, BLOCK);
	small = arena_alloc(&a, 10);
	memcpy(small, "abcdefghi", 10);
	big = arena_alloc(&a, BLOCK * 4 + 1);
	assert_true(aligned(big));
	memset(big, 'z', BLOCK * 4 + 1);
	assert_true(a.total >= BLOCK + BLOCK * 4 + 1);
	after = arena_alloc(&a, 10);
	assert_true(aligned(after));
	memset(after, 'y', 10);
	assert_string_equal(small, "abcdefghi");
	assert_int_equal(big[0], 'z');
	assert_int_equal(big[BLOCK * 4], 'z');
	/* Exactly one block's worth also fits. */
	big = arena_alloc(&a, BLOCK);
	memset(big, 'w', BLOCK);
	arena_release(&a);
	assert_int_equal(a.total, 0);
	assert_null(a.head);
}

static void test_zalloc_array(void **state)
{
	struct arena a;
	struct arena_mark m;
	unsigned char *p;
	int *v;
	size_t i;

	(void)state;
	arena_init(&a, BLOCK);
	/* Dirty the memory first so that zeroing is really tested after a
	 * rewind hands the same bytes back. */
	m = arena_mark(&a);
	p = arena_alloc(&a, 100);
	memset(p, 0xFF, 100);
	arena_rewind(&a, m);
	p = arena_zalloc(&a, 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	v = arena_array(&a, 50, sizeof(*v));
	for (i = 0; i < 50; i++)
		assert_int_equal(v[i], 0);
	assert_non_null(arena_array(&a, 0, 8));
	assert_non_null(arena_array(&a, 8, 0));
	arena_release(&a);
}

/* Out of memory aborts by design; run the call in a child and expect
 * SIGABRT rather than a wrapped-around small allocation. */
static void expect_abort(void (*fn)(void))
{
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 2);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void array_overflow(void)
{
	struct arena a;

	arena_init(&a, BLOCK);
	arena_array(&a, SIZE_MAX / 2 + 1, 2);
}

static void alloc_huge(void)
{
	struct arena a;

	arena_init(&a, BLOCK);
	arena_alloc(&a, SIZE_MAX - 3);
}

static void test_overflow_aborts(void **state)
{
	(void)state;
	expect_abort(array_overflow);
	expect_abort(alloc_huge);
}

static void test_strings(void **state)
{
	struct arena a;
	char big[1000];
	char *s;

	(void)state;
	arena_init(&a, BLOCK);
	assert_string_equal(arena_strdup(&a, "日本語"), "日本語");
	assert_string_equal(arena_strdup(&a, ""), "");
	s = arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	s = arena_strndup(&a, NULL, 0);
	assert_string_equal(s, "");
	assert_string_equal(arena_printf(&a, "%s-%d", "x", 42), "x-42");
	/* Past the 256-byte stack buffer and past the block size. */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s = arena_printf(&a, "<%s>", big);
	assert_int_equal(strlen(s), sizeof(big) + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof(big)], '>');
	assert_memory_equal(s + 1, big, sizeof(big) - 1);
	s = arena_printf(&a, "%255d", 1);
	assert_int_equal(strlen(s), 255);
	s = arena_printf(&a, "%256d", 1);
	assert_int_equal(strlen(s), 256);
	arena_release(&a);
}

static void test_cleanup_reverse_on_reset(void **state)
{
	struct arena a;
	struct trace t = { { 0 }, 0 };
	struct tag g[3];
	char *first, *p;
	int i;

	(void)state;
	arena_init(&a, BLOCK);
	first = arena_alloc(&a, 16);
	for (i = 0; i < 3; i++) {
		g[i].t = &t;
		g[i].id = i + 1;
		arena_cleanup(&a, record, &g[i]);
	}
	for (i = 0; i < 20; i++)
		arena_alloc(&a, 100);
	assert_true(a.total > BLOCK);
	arena_reset(&a);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.order[0], 3);
	assert_int_equal(t.order[1], 2);
	assert_int_equal(t.order[2], 1);
	/* Only the first block is kept, and it is reused from its start. */
	assert_int_equal(a.total, BLOCK);
	assert_null(a.cleanups);
	p = arena_alloc(&a, 16);
	assert_ptr_equal(p, first);

	/* Still a working arena: more blocks, more cleanups, a second reset. */
	for (i = 0; i < 20; i++)
		memset(arena_alloc(&a, 100), i, 100);
	arena_cleanup(&a, record, &g[0]);
	arena_reset(&a);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.order[3], 1);
	arena_reset(&a);
	assert_int_equal(t.n, 4);
	arena_release(&a);
	assert_int_equal(t.n, 4);
}

static void test_reset_empty(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, BLOCK);
	arena_reset(&a);
	assert_null(a.head);
	assert_non_null(arena_alloc(&a, 1));
	arena_release(&a);
	arena_release(&a);
}

static void test_new_free_runs_cleanups(void **state)
{
	struct arena *a = arena_new(0);
	struct trace t = { { 0 }, 0 };
	struct tag g1 = { &t, 1 }, g2 = { &t, 2 };

	(void)state;
	assert_int_equal(a->block_size, 8192);
	arena_cleanup(a, record, &g1);
	arena_cleanup(a, record, &g2);
	arena_free(a);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.order[0], 2);
	assert_int_equal(t.order[1], 1);
	arena_free(NULL);
}

static void test_mark_rewind(void **state)
{
	struct arena a;
	struct trace t = { { 0 }, 0 };
	struct tag g[4];
	struct arena_mark m;
	struct arena_block *head;
	char *keep, *p, *q;
	size_t total;
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		g[i].t = &t;
		g[i].id = i + 1;
	}
	arena_init(&a, BLOCK);
	keep = arena_strdup(&a, "kept");
	arena_cleanup(&a, record, &g[0]);
	m = arena_mark(&a);
	head = a.head;
	total = a.total;
	p = arena_alloc(&a, 16);
	arena_cleanup(&a, record, &g[1]);
	arena_cleanup(&a, record, &g[2]);
	for (i = 0; i < 10; i++)
		arena_alloc(&a, 200);
	arena_alloc(&a, BLOCK * 3);
	arena_cleanup(&a, record, &g[3]);
	assert_true(a.total > total);

	arena_rewind(&a, m);
	/* Only what came after the mark ran, newest first. */
	assert_int_equal(t.n, 3);
	assert_int_equal(t.order[0], 4);
	assert_int_equal(t.order[1], 3);
	assert_int_equal(t.order[2], 2);
	assert_ptr_equal(a.head, head);
	assert_int_equal(a.total, total);
	assert_string_equal(keep, "kept");
	/* The space after the mark is handed out again. */
	q = arena_alloc(&a, 16);
	assert_ptr_equal(q, p);

	/* Rewinding to the same mark twice is harmless. */
	arena_rewind(&a, m);
	assert_int_equal(t.n, 3);
	arena_release(&a);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.order[3], 1);
}

static void test_mark_nested(void **state)
{
	struct arena a;
	struct trace t = { { 0 }, 0 };
	struct tag g1 = { &t, 1 }, g2 = { &t, 2 };
	struct arena_mark outer, inner;
	int i;

	(void)state;
	arena_init(&a, BLOCK);
	arena_alloc(&a, 8);
	outer = arena_mark(&a);
	arena_cleanup(&a, record, &g1);
	for (i = 0; i < 5; i++)
		arena_alloc(&a, 200);
	inner = arena_mark(&a);
	arena_cleanup(&a, record, &g2);
	for (i = 0; i < 5; i++)
		arena_alloc(&a, 200);
	arena_rewind(&a, inner);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.order[0], 2);
	arena_rewind(&a, outer);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.order[1], 1);
	assert_int_equal(a.total, BLOCK);
	arena_release(&a);
	assert_int_equal(t.n, 2);
}

static void test_mark_on_empty_arena(void **state)
{
	struct arena a;
	struct arena_mark m;
	char *first, *p;
	int round, i;

	(void)state;
	arena_init(&a, BLOCK);
	m = arena_mark(&a);
	first = NULL;
	/* An evaluation loop: the first block is kept across rewinds. */
	for (round = 0; round < 3; round++) {
		p = arena_alloc(&a, 32);
		if (!first)
			first = p;
		assert_ptr_equal(p, first);
		for (i = 0; i < 10; i++)
			memset(arena_alloc(&a, 100), i, 100);
		arena_rewind(&a, m);
		assert_non_null(a.head);
		assert_int_equal(a.total, BLOCK);
	}
	arena_release(&a);
	assert_null(a.head);
}

static void test_realloc_in_place(void **state)
{
	struct arena a;
	char *p, *q;

	(void)state;
	arena_init(&a, BLOCK);
	p = arena_alloc(&a, 20);
	memcpy(p, "0123456789012345678", 20);
	q = arena_realloc(&a, p, 20, 100);
	assert_ptr_equal(q, p);
	memset(q + 20, 'x', 80);
	assert_memory_equal(q, "0123456789012345678", 20);
	/* The next allocation starts after the grown one. */
	p = arena_alloc(&a, 16);
	assert_true(p >= q + 100);
	/* Shrinking the last allocation hands the tail back. */
	p = arena_alloc(&a, 64);
	q = arena_realloc(&a, p, 64, 1);
	assert_ptr_equal(q, p);
	p = arena_alloc(&a, 16);
	assert_ptr_equal(p, q + 16);
	arena_release(&a);
}

static void test_realloc_copy(void **state)
{
	struct arena a;
	char *p, *q, *r;

	(void)state;
	arena_init(&a, BLOCK);
	p = arena_alloc(&a, 32);
	memcpy(p, "abcdefghijklmnopqrstuvwxyz01234", 32);
	q = arena_alloc(&a, 16);
	/* p is no longer last: growing must copy. */
	r = arena_realloc(&a, p, 32, 64);
	assert_ptr_not_equal(r, p);
	assert_true(aligned(r));
	assert_memory_equal(r, "abcdefghijklmnopqrstuvwxyz01234", 32);
	memset(r + 32, 0, 32);
	/* Shrinking something that is not last keeps it where it is. */
	assert_ptr_equal(arena_realloc(&a, q, 16, 8), q);
	/* Last in the block but the block is full: copy into a new block. */
	p = arena_realloc(&a, r, 64, BLOCK * 2);
	assert_ptr_not_equal(p, r);
	assert_memory_equal(p, "abcdefghijklmnopqrstuvwxyz01234", 32);
	memset(p, 'm', BLOCK * 2);
	/* From nothing it behaves as arena_alloc. */
	p = arena_realloc(&a, NULL, 0, 40);
	assert_non_null(p);
	memset(p, 0, 40);
	arena_release(&a);
}

static void test_realloc_grow_loop(void **state)
{
	struct arena a;
	size_t cap = 1, len = 0, i;
	char *p;

	(void)state;
	arena_init(&a, BLOCK);
	p = arena_alloc(&a, cap);
	/* The pattern of a growing vector: double as needed, check content. */
	for (i = 0; i < 5000; i++) {
		if (len == cap) {
			p = arena_realloc(&a, p, cap, cap * 2);
			cap *= 2;
		}
		p[len++] = (char)('a' + i % 26);
	}
	for (i = 0; i < len; i++)
		assert_int_equal(p[i], 'a' + i % 26);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_alignment),
		cmocka_unit_test(test_alloc_distinct),
		cmocka_unit_test(test_big_alloc),
		cmocka_unit_test(test_zalloc_array),
		cmocka_unit_test(test_overflow_aborts),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_cleanup_reverse_on_reset),
		cmocka_unit_test(test_reset_empty),
		cmocka_unit_test(test_new_free_runs_cleanups),
		cmocka_unit_test(test_mark_rewind),
		cmocka_unit_test(test_mark_nested),
		cmocka_unit_test(test_mark_on_empty_arena),
		cmocka_unit_test(test_realloc_in_place),
		cmocka_unit_test(test_realloc_copy),
		cmocka_unit_test(test_realloc_grow_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
