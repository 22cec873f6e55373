/* SPDX-License-Identifier: MIT */
/**
 * \brief randomized stress of base/heap against a byte-map model
 *
 * Random allocations (small, near the large threshold, large) and frees, with
 * a backing that refuses at random and under a byte budget. The model: every
 * live block with its size and fill byte; the backing's byte map of client
 * bytes (no block outside a chunk, no two blocks overlapping). Checked along
 * the way: alignment, contents (descriptors never land in client blocks),
 * the avl invariants, heap_used, chunk counts against the backing, and at the
 * end that destroy gives every chunk back.
 */

#include <stdlib.h>

#include <base/heap.h>

#include "backing.h"
#include "unit_random.h"
#include "unit_test.h"

enum { MAX_LIVE = 3000, STEPS = 60000 };

struct live
{
	unsigned char *ptr;
	size_t size;
	unsigned char fill;
};

static size_t random_size(uint64_t *s)
{
	switch (unit_random_next(s) % 16) {
	case 0:
		return HEAP_LARGE_THRESHOLD - 64 + unit_random_next(s) % 128; /* around the threshold */
	case 1:
		return HEAP_LARGE_THRESHOLD + unit_random_next(s) % (300 * 1024);
	case 2:
	case 3:
		return 1 + unit_random_next(s) % 16384;
	default:
		return 1 + unit_random_next(s) % 256;
	}
}

static void check_block(struct live const *l)
{
	if (l->ptr[0] != l->fill || memcmp(l->ptr, l->ptr + 1, l->size - 1) != 0)
		unit_test_fail(__FILE__, __LINE__, "block %p (%zu bytes) changed", (void *)l->ptr,
		               l->size);
}

static void stress(uint64_t seed, size_t budget, unsigned fail_rate)
{
	static struct backing backing;
	static struct heap heap;
	static struct live live[MAX_LIVE];
	size_t count = 0, used = 0, failures = 0, larges = 0;
	uint64_t s = seed;

	backing_init(&backing);
	backing.budget = budget;
	backing.fail_rate = fail_rate;
	backing.random = seed * 2654435761u + 1;
	heap_init(&heap, &backing_ops, &backing);

	for (int step = 0; step < STEPS; step++) {
		bool do_alloc = count == 0 || (count < MAX_LIVE && unit_random_next(&s) % 100 < 55);
		if (do_alloc) {
			size_t size = random_size(&s);
			size_t chunks = heap_chunk_count(&heap);
			size_t consumed = heap_consumed(&heap);
			struct allocator_alloc_ret r = heap_alloc(&heap, size);
			if (r.result != ALLOCATOR_OK) {
				CHECK_EQ(r.result, ALLOCATOR_OUT_OF_MEMORY);
				/* a failed large allocation leaves no trace; a small one at most
				   a chunk it took (it keeps it) */
				if (size >= HEAP_LARGE_THRESHOLD) {
					CHECK_EQ(heap_chunk_count(&heap), chunks);
					CHECK_EQ(heap_consumed(&heap), consumed);
				}
				failures++;
			} else {
				CHECK_EQ((uintptr_t)r.ptr % HEAP_ALIGNMENT, 0);
				backing_claim(&backing, r.ptr, size);
				unsigned char fill = (unsigned char)(unit_random_next(&s) | 1);
				memset(r.ptr, fill, size);
				live[count++] = (struct live){ r.ptr, size, fill };
				used += size;
				if (size >= HEAP_LARGE_THRESHOLD) larges++;
			}
		} else {
			size_t i = (size_t)(unit_random_next(&s) % count);
			check_block(&live[i]);
			backing_release(&backing, live[i].ptr, live[i].size);
			heap_free(&heap, live[i].ptr, live[i].size);
			used -= live[i].size;
			live[i] = live[--count];
		}
		CHECK_EQ(heap_used(&heap), used);
		CHECK_EQ(heap_chunk_count(&heap), backing.chunk_count);
		CHECK_EQ(heap_consumed(&heap), backing.outstanding_bytes);
		if (step % 5000 == 0) {
			CHECK(allocator_avl_check(&heap.avl));
			for (size_t i = 0; i < count; i++) check_block(&live[i]);
		}
	}
	for (size_t i = 0; i < count; i++) check_block(&live[i]);
	CHECK(allocator_avl_check(&heap.avl));
	/* the run exercised what it claims to */
	CHECK(larges > 100);
	if (fail_rate || budget != SIZE_MAX) CHECK(failures > 0);

	/* free half, destroy with the rest in place */
	while (count > MAX_LIVE / 4 && count > 0) {
		size_t i = (size_t)(unit_random_next(&s) % count);
		backing_release(&backing, live[i].ptr, live[i].size);
		heap_free(&heap, live[i].ptr, live[i].size);
		live[i] = live[--count];
	}
	for (size_t i = 0; i < count; i++) backing_release(&backing, live[i].ptr, live[i].size);
	size_t held = backing.chunk_count;
	size_t frees = backing.free_calls;
	heap_destroy(&heap);
	CHECK_EQ(backing.free_calls, frees + held);
	CHECK_EQ(backing.chunk_count, 0);
	CHECK_EQ(backing.outstanding_bytes, 0);
}

TEST(random_unlimited) { stress(1, SIZE_MAX, 0); }

TEST(random_with_refusals) { stress(2, SIZE_MAX, 7); }

TEST(random_under_a_budget) { stress(3, 8 * 1024 * 1024, 0); }

TEST(random_under_a_budget_with_refusals) { stress(4, 6 * 1024 * 1024, 11); }
