/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: malloc, calloc, realloc, free and the aligned allocations
 *
 * Blocks of many sizes (1 byte to more than 1 MiB) live at the same time,
 * each filled with a pattern of its own: a block that overlaps another, or
 * loses content in a realloc, shows as a wrong byte. Sizes that cannot be
 * had fail with NULL and ENOMEM, never with a crash.
 */

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_libc.h"

static size_t const memory_sizes[] = {
	1,    2,     3,     7,     8,     15,    16,     17,     31,      32,           33,   63,
	64,   65,    100,   127,   128,   129,   255,    256,    257,     1000,         4095, 4096,
	4097, 12345, 65519, 65535, 65536, 65537, 100000, 262144, 1048576, 1048576 + 17,
};

enum {
	MEMORY_BLOCKS = sizeof(memory_sizes) / sizeof(memory_sizes[0]),
	MEMORY_SMALL_BLOCKS = 2000, /* of random sizes up to MEMORY_SMALL_MAX */
	MEMORY_SMALL_MAX = 300,
};

/* the byte at `offset` of a block with `seed` (no short period: offsets differ) */
static unsigned char memory_pattern(unsigned seed, size_t offset)
{
	return (unsigned char)(seed * 37 + offset * 131 + (offset >> 9));
}

static void memory_fill(void *block, unsigned seed, size_t from, size_t to)
{
	unsigned char *bytes = block;
	for (size_t i = from; i < to; i++) bytes[i] = memory_pattern(seed, i);
}

/* the offset of the first wrong byte in [from, to), or `to` */
static size_t memory_first_wrong(void const *block, unsigned seed, size_t from, size_t to)
{
	unsigned char const *bytes = block;
	for (size_t i = from; i < to; i++)
		if (bytes[i] != memory_pattern(seed, i)) return i;
	return to;
}

static bool memory_aligned(void const *p, size_t alignment)
{
	return ((uintptr_t)p & (alignment - 1)) == 0;
}

/* blocks of every size at once; realloc grows and shrinks them with their content */
static void memory_sizes_check(struct test *t)
{
	void *blocks[MEMORY_BLOCKS];
	unsigned missing = 0, misaligned = 0, small = 0;
	for (unsigned i = 0; i < MEMORY_BLOCKS; i++) {
		blocks[i] = malloc(memory_sizes[i]);
		if (!blocks[i]) {
			missing++;
			continue;
		}
		if (!memory_aligned(blocks[i], 16)) misaligned++;
		if (malloc_usable_size(blocks[i]) < memory_sizes[i]) small++;
		memory_fill(blocks[i], i, 0, memory_sizes[i]);
	}
	EXPECT_UINT(t, missing, 0);
	EXPECT_UINT(t, misaligned, 0);
	EXPECT_UINT(t, small, 0);
	if (missing) goto out;

	/* all filled: a block that overlapped another would show it now */
	for (unsigned i = 0; i < MEMORY_BLOCKS; i++) {
		size_t wrong = memory_first_wrong(blocks[i], i, 0, memory_sizes[i]);
		test_expect(t, wrong == memory_sizes[i], "block %u of %zu bytes: byte %zu is wrong", i,
		            memory_sizes[i], wrong);
	}

	/* grow: the content moves along, the new part is usable */
	unsigned lost = 0, failed = 0;
	for (unsigned i = 0; i < MEMORY_BLOCKS; i++) {
		size_t size = memory_sizes[i], bigger = 2 * size + 3;
		void *p = realloc(blocks[i], bigger);
		if (!p) {
			failed++;
			continue;
		}
		blocks[i] = p;
		if (memory_first_wrong(p, i, 0, size) != size) lost++;
		memory_fill(p, i, size, bigger);
		if (!memory_aligned(p, 16)) misaligned++;
	}
	for (unsigned i = 0; i < MEMORY_BLOCKS; i++) {
		size_t bigger = 2 * memory_sizes[i] + 3;
		if (memory_first_wrong(blocks[i], i, 0, bigger) != bigger) lost++;
	}
	EXPECT_UINT(t, failed, 0);
	EXPECT_UINT(t, lost, 0);

	/* shrink to a quarter of the grown size and less: the head stays */
	for (unsigned i = 0; i < MEMORY_BLOCKS; i++) {
		size_t smaller = memory_sizes[i] / 2 + 1;
		void *p = realloc(blocks[i], smaller);
		if (!p) {
			failed++;
			continue;
		}
		blocks[i] = p;
		if (memory_first_wrong(p, i, 0, smaller) != smaller) lost++;
		if (malloc_usable_size(p) < smaller) small++;
	}
	EXPECT_UINT(t, failed, 0);
	EXPECT_UINT(t, lost, 0);
	EXPECT_UINT(t, small, 0);
	EXPECT_UINT(t, misaligned, 0);
out:
	/* odd ones first, then even ones */
	for (unsigned i = 1; i < MEMORY_BLOCKS; i += 2) free(blocks[i]);
	for (unsigned i = 0; i < MEMORY_BLOCKS; i += 2) free(blocks[i]);
}

/* many small blocks, half of them freed and taken again in between */
static void memory_small_check(struct test *t)
{
	void **blocks = calloc(MEMORY_SMALL_BLOCKS, sizeof(void *));
	size_t *sizes = calloc(MEMORY_SMALL_BLOCKS, sizeof(size_t));
	if (!EXPECT_TRUE(t, blocks && sizes)) goto out;
	unsigned missing = 0, wrong = 0;
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = round; i < MEMORY_SMALL_BLOCKS; i += 1 + round) {
			sizes[i] = 1 + test_random(t) % MEMORY_SMALL_MAX;
			blocks[i] = malloc(sizes[i]);
			if (!blocks[i]) {
				missing++;
				continue;
			}
			memory_fill(blocks[i], i + 1000, 0, sizes[i]);
		}
		/* the odd ones go and come back (with new sizes) in the second round */
		if (round == 0)
			for (unsigned i = 1; i < MEMORY_SMALL_BLOCKS; i += 2) {
				free(blocks[i]);
				blocks[i] = 0;
			}
	}
	for (unsigned i = 0; i < MEMORY_SMALL_BLOCKS; i++)
		if (blocks[i] && memory_first_wrong(blocks[i], i + 1000, 0, sizes[i]) != sizes[i])
			wrong++;
	EXPECT_UINT(t, missing, 0);
	EXPECT_UINT(t, wrong, 0);
out:
	if (blocks)
		for (unsigned i = 0; i < MEMORY_SMALL_BLOCKS; i++) free(blocks[i]);
	free(blocks);
	free(sizes);
}

static void memory_calloc_check(struct test *t)
{
	/* dirty memory first, so that a calloc that does not clear shows */
	enum { COUNT = 1000, SIZE = 4 };
	unsigned char *dirty = malloc(COUNT * SIZE);
	if (dirty) memset(dirty, 0xaa, COUNT * SIZE);
	free(dirty);
	unsigned char *zero = calloc(COUNT, SIZE);
	if (EXPECT_TRUE(t, zero != 0)) {
		size_t nonzero = 0;
		for (size_t i = 0; i < COUNT * SIZE; i++) nonzero += zero[i] != 0;
		EXPECT_UINT(t, nonzero, 0);
	}
	free(zero);

	unsigned char *large = calloc(3, 100000);
	if (EXPECT_TRUE(t, large != 0)) {
		size_t nonzero = 0;
		for (size_t i = 0; i < 300000; i++) nonzero += large[i] != 0;
		EXPECT_UINT(t, nonzero, 0);
	}
	free(large);

	/* count * size overflows: no allocation of the wrapped size */
	volatile size_t half = SIZE_MAX / 2, big = (size_t)1 << 33;
	EXPECT_FAILURE(t, calloc(half, 4), 0, ENOMEM);
	EXPECT_FAILURE(t, calloc(big, big), 0, ENOMEM);
	EXPECT_FAILURE(t, calloc(4, half), 0, ENOMEM);
	void *empty = calloc(0, 16);
	free(empty); /* NULL or a block: both may be freed */
}

static void memory_limits_check(struct test *t)
{
	volatile size_t huge = SIZE_MAX, almost = SIZE_MAX - 8, large = (size_t)1 << 62;
	EXPECT_FAILURE(t, malloc(huge), 0, ENOMEM);
	EXPECT_FAILURE(t, malloc(almost), 0, ENOMEM);
	EXPECT_FAILURE(t, malloc(large), 0, ENOMEM);

	/* malloc(0) gives a block of its own */
	void *a = malloc(0), *b = malloc(0);
	EXPECT_TRUE(t, a && b && a != b);
	free(a);
	free(b);
	free(0);
	EXPECT_UINT(t, malloc_usable_size(0), 0);

	/* a failed realloc leaves the block as it was */
	char *p = malloc(100);
	if (!EXPECT_TRUE(t, p != 0)) return;
	memory_fill(p, 7, 0, 100);
	EXPECT_FAILURE(t, realloc(p, huge), 0, ENOMEM);
	EXPECT_FAILURE(t, realloc(p, large), 0, ENOMEM);
	EXPECT_UINT(t, memory_first_wrong(p, 7, 0, 100), 100);
	free(p);

	/* realloc of NULL is malloc */
	p = realloc(0, 50);
	EXPECT_TRUE(t, p != 0 && memory_aligned(p, 16));
	free(p);
}

static void memory_aligned_check(struct test *t)
{
	static size_t const sizes[] = { 1, 100, 5000 };
	unsigned missing = 0, misaligned = 0, wrong = 0;
	for (size_t alignment = 32; alignment <= 4096; alignment *= 2) {
		for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			size_t size = sizes[s];
			/* aligned_alloc with a multiple of the alignment, as C11 asks */
			size_t multiple = (size + alignment - 1) & ~(alignment - 1);
			void *p[3] = { memalign(alignment, size), 0, aligned_alloc(alignment, multiple) };
			if (posix_memalign(&p[1], alignment, size) != 0) p[1] = 0;
			for (unsigned k = 0; k < 3; k++) {
				if (!p[k]) {
					missing++;
					continue;
				}
				if (!memory_aligned(p[k], alignment)) misaligned++;
				if (malloc_usable_size(p[k]) < size) wrong++;
				memory_fill(p[k], k, 0, size);
			}
			for (unsigned k = 0; k < 3; k++) {
				if (p[k] && memory_first_wrong(p[k], k, 0, size) != size) wrong++;
				free(p[k]);
			}
		}
	}
	EXPECT_UINT(t, missing, 0);
	EXPECT_UINT(t, misaligned, 0);
	EXPECT_UINT(t, wrong, 0);

	/* alignments that are no power of two, or too small for posix_memalign */
	void *untouched = &untouched, *out = untouched;
	EXPECT_INT(t, posix_memalign(&out, 3, 10), EINVAL);
	EXPECT_INT(t, posix_memalign(&out, 4, 10), EINVAL);
	EXPECT_INT(t, posix_memalign(&out, 0, 10), EINVAL);
	EXPECT_PTR(t, out, untouched);
	volatile size_t huge = SIZE_MAX;
	EXPECT_INT(t, posix_memalign(&out, 64, huge), ENOMEM);
	EXPECT_PTR(t, out, untouched);
	EXPECT_FAILURE(t, memalign(3, 10), 0, EINVAL);
	EXPECT_FAILURE(t, memalign(48, 10), 0, EINVAL);
	EXPECT_FAILURE(t, memalign(4096, huge), 0, ENOMEM);

	/* alignments below the heap's are at least the heap's */
	void *p = memalign(4, 10);
	EXPECT_TRUE(t, p && memory_aligned(p, 16));
	free(p);
}

void test_memory_run(struct test *t)
{
	memory_sizes_check(t);
	memory_small_check(t);
	memory_calloc_check(t);
	memory_limits_check(t);
	memory_aligned_check(t);
}
