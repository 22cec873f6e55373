/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of base/heap: sizes, alignment, reuse, chunk growth, large
 *        blocks, exhaustion, quota, destroy, the allocator view
 */

#include <stdlib.h>

#include <base/heap.h>

#include "backing.h"
#include "unit_test.h"

static struct backing backing;
static struct heap heap;

static void setup(void)
{
	backing_init(&backing);
	heap_init(&heap, &backing_ops, &backing);
}

static void *alloc_ok(size_t size)
{
	struct allocator_alloc_ret r = heap_alloc(&heap, size);
	CHECK_EQ(r.result, ALLOCATOR_OK);
	CHECK(r.ptr);
	CHECK_EQ((uintptr_t)r.ptr % HEAP_ALIGNMENT, 0);
	backing_claim(&backing, r.ptr, size);
	return r.ptr;
}

static void free_ok(void *ptr, size_t size)
{
	backing_release(&backing, ptr, size);
	heap_free(&heap, ptr, size);
}

static bool avl_consistent(void) { return allocator_avl_check(&heap.avl); }

TEST(nothing_taken_before_the_first_allocation)
{
	setup();
	CHECK_EQ(backing.alloc_calls, 0);
	CHECK_EQ(heap_consumed(&heap), 0);
	CHECK_EQ(heap_chunk_count(&heap), 0);
	heap_destroy(&heap);
	CHECK_EQ(backing.free_calls, 0);
}

TEST(first_chunk_is_the_minimum_and_carries_the_metadata)
{
	setup();
	void *p = alloc_ok(1);
	CHECK_EQ(backing.alloc_calls, 1);
	CHECK_EQ(backing.asked[0], HEAP_CHUNK_MIN);
	CHECK_EQ(heap_chunk_count(&heap), 1);
	CHECK_EQ(heap_consumed(&heap), HEAP_CHUNK_MIN);
	CHECK_EQ(heap_used(&heap), 1);
	/* the first page of descriptors lies in that chunk, the block after it */
	CHECK((char *)p >= (char *)backing.chunks[0].addr + HEAP_METADATA_PAGE);
	free_ok(p, 1);
	CHECK_EQ(heap_used(&heap), 0);
	CHECK(avl_consistent());
	heap_destroy(&heap);
}

TEST(many_sizes_aligned_and_disjoint)
{
	setup();
	enum { COUNT = 600 };
	void *blocks[COUNT];
	size_t sizes[COUNT];
	size_t total = 0;
	for (int i = 0; i < COUNT; i++) {
		/* 1..~9000 bytes, odd and even, below and above a page */
		sizes[i] = 1 + (size_t)(i * 7919 % 9001);
		blocks[i] = alloc_ok(sizes[i]);
		memset(blocks[i], i & 0xff, sizes[i]);
		total += sizes[i];
	}
	CHECK_EQ(heap_used(&heap), total);
	for (int i = 0; i < COUNT; i++) {
		unsigned char const *b = blocks[i];
		for (size_t k = 0; k < sizes[i]; k++) CHECK_EQ(b[k], i & 0xff);
	}
	CHECK(avl_consistent());
	for (int i = 0; i < COUNT; i += 2) free_ok(blocks[i], sizes[i]);
	for (int i = 1; i < COUNT; i += 2) free_ok(blocks[i], sizes[i]);
	CHECK_EQ(heap_used(&heap), 0);
	CHECK(avl_consistent());
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
}

TEST(free_and_reuse_take_no_new_chunk)
{
	setup();
	void *keep = alloc_ok(100);
	void *p = alloc_ok(200);
	free_ok(p, 200);
	void *q = alloc_ok(200);
	CHECK(p == q); /* best fit takes the same hole again */
	size_t calls = backing.alloc_calls;
	size_t consumed = heap_consumed(&heap);
	for (int i = 0; i < 20000; i++) {
		void *r = alloc_ok(1 + (size_t)i % 3000);
		free_ok(r, 1 + (size_t)i % 3000);
	}
	CHECK_EQ(backing.alloc_calls, calls);
	CHECK_EQ(heap_consumed(&heap), consumed);
	free_ok(q, 200);
	free_ok(keep, 100);
	heap_destroy(&heap);
}

/* the sizes of the chunks of small blocks asked for: powers of two, unlike metadata chunks */
static size_t small_chunk_requests(size_t *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < backing.alloc_calls && i < BACKING_MAX_SIZES && n < max; i++)
		if ((backing.asked[i] & (backing.asked[i] - 1)) == 0) out[n++] = backing.asked[i];
	return n;
}

TEST(chunks_double_up_to_the_maximum)
{
	setup();
	enum { BLOCK = 4000 };
	static void *blocks[4000];
	size_t count = 0;
	size_t requests[16];
	while (small_chunk_requests(requests, 16) < 10) {
		CHECK(count < 4000);
		blocks[count++] = alloc_ok(BLOCK);
	}
	size_t expected = HEAP_CHUNK_MIN;
	for (size_t i = 0; i < 10; i++) {
		CHECK_EQ(requests[i], expected);
		if (expected < HEAP_CHUNK_MAX) expected *= 2;
	}
	CHECK_EQ(requests[9], HEAP_CHUNK_MAX);
	CHECK_EQ(requests[8], HEAP_CHUNK_MAX);
	for (size_t i = 0; i < count; i++) free_ok(blocks[i], BLOCK);
	/* chunks of small blocks stay until destroy */
	size_t held = heap_chunk_count(&heap);
	CHECK(held >= 10);
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
	CHECK_EQ(backing.free_calls, backing.alloc_calls);
}

TEST(metadata_chunks_grow_and_go_back_when_unused)
{
	setup();
	enum { COUNT = 20000 };
	static void *blocks[COUNT];
	for (int i = 0; i < COUNT; i++) blocks[i] = alloc_ok(32);
	/* about a hundred bytes of descriptor per block: many metadata pages */
	size_t metadata_chunks = avl_tree_count(&heap.metadata_chunks);
	CHECK(metadata_chunks > 10);
	/* pages are packed: as many metadata chunks (4, 8, 16, 16, ... pages) as the
	   pages in use beyond the first page need, no more */
	size_t pages = slab_chunk_count(&heap.avl.metadata) - 1;
	size_t expected = 0, capacity = 0, next = HEAP_METADATA_CHUNK_PAGES_MIN;
	while (capacity < pages) {
		capacity += next;
		expected++;
		if (next < HEAP_METADATA_CHUNK_PAGES_MAX) next *= 2;
	}
	CHECK_EQ(metadata_chunks, expected);
	size_t consumed = heap_consumed(&heap);
	for (int i = COUNT - 1; i >= 0; i--) free_ok(blocks[i], 32);
	CHECK(avl_consistent());
	/* what stays: the descriptors of the free ranges (one per chunk of small blocks)
	   and the slab's spare page, so at most that many metadata chunks */
	size_t small_chunks = heap_chunk_count(&heap) - avl_tree_count(&heap.metadata_chunks);
	CHECK(avl_tree_count(&heap.metadata_chunks) <= small_chunks + 1);
	CHECK(heap_consumed(&heap) < consumed - metadata_chunks / 2 * HEAP_METADATA_PAGE);
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
}

TEST(metadata_refusal_is_a_result)
{
	setup();
	/* one chunk with room for many blocks, so only descriptors can run out */
	void *big = alloc_ok(60000);
	free_ok(big, 60000);
	CHECK_EQ(heap_chunk_count(&heap), 1);
	backing.refuse = true;
	static void *blocks[1000];
	size_t count = 0;
	struct allocator_alloc_ret r;
	for (;;) {
		r = heap_alloc(&heap, 16);
		if (r.result != ALLOCATOR_OK) break;
		CHECK(count < 1000);
		backing_claim(&backing, r.ptr, 16);
		blocks[count++] = r.ptr;
	}
	CHECK_EQ(r.result, ALLOCATOR_OUT_OF_MEMORY);
	CHECK(count > 10); /* the first page's descriptors */
	CHECK_EQ(heap_used(&heap), count * 16);
	CHECK_EQ(heap_chunk_count(&heap), 1);
	CHECK(avl_consistent());
	/* the quota's reason comes through as well */
	backing.refuse = false;
	CHECK_EQ(heap_quota_limit_set(&heap, heap_consumed(&heap)), HEAP_QUOTA_OK);
	CHECK_EQ(heap_alloc(&heap, 16).result, ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(heap_used(&heap), count * 16);
	/* and with a metadata chunk allowed, it goes on */
	CHECK_EQ(heap_quota_limit_set(&heap, SIZE_MAX), HEAP_QUOTA_OK);
	void *p = alloc_ok(16);
	CHECK_EQ(avl_tree_count(&heap.metadata_chunks), 1);
	free_ok(p, 16);
	for (size_t i = 0; i < count; i++) free_ok(blocks[i], 16);
	CHECK(avl_consistent());
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
}

TEST(a_block_bigger_than_the_next_chunk_gets_a_chunk_that_fits)
{
	setup();
	size_t size = HEAP_LARGE_THRESHOLD - 1; /* the biggest small block */
	void *p = alloc_ok(size);
	CHECK_EQ(backing.alloc_calls, 1);
	CHECK(backing.asked[0] >= size + HEAP_METADATA_PAGE);
	memset(p, 0x5a, size);
	free_ok(p, size);
	CHECK_EQ(heap_chunk_count(&heap), 1); /* a small block's chunk stays */
	heap_destroy(&heap);
}

TEST(large_blocks_get_their_own_chunk_and_give_it_back)
{
	setup();
	void *small = alloc_ok(64);
	CHECK_EQ(heap_chunk_count(&heap), 1);
	size_t consumed = heap_consumed(&heap);

	void *large = alloc_ok(HEAP_LARGE_THRESHOLD);
	CHECK_EQ(heap_chunk_count(&heap), 2);
	CHECK_EQ(backing.alloc_calls, 2);
	CHECK(backing.asked[1] >= HEAP_LARGE_THRESHOLD);
	CHECK(backing.asked[1] < HEAP_LARGE_THRESHOLD + 256); /* header only */
	CHECK(heap_consumed(&heap) > consumed + HEAP_LARGE_THRESHOLD - 1);
	memset(large, 0xa5, HEAP_LARGE_THRESHOLD);

	void *huge = alloc_ok(3 * 1024 * 1024 + 5);
	CHECK_EQ(heap_chunk_count(&heap), 3);
	memset(huge, 0x11, 3 * 1024 * 1024 + 5);

	free_ok(large, HEAP_LARGE_THRESHOLD);
	CHECK_EQ(backing.free_calls, 1);
	CHECK_EQ(heap_chunk_count(&heap), 2);
	free_ok(huge, 3 * 1024 * 1024 + 5);
	CHECK_EQ(backing.free_calls, 2);
	CHECK_EQ(heap_consumed(&heap), consumed);
	CHECK_EQ(heap_used(&heap), 64);
	free_ok(small, 64);
	heap_destroy(&heap);
	CHECK_EQ(backing.free_calls, 3);
}

TEST(backing_that_rounds_up)
{
	setup();
	backing.round = 64 * 1024;
	void *a = alloc_ok(10);
	void *b = alloc_ok(HEAP_LARGE_THRESHOLD + 1);
	CHECK_EQ(heap_consumed(&heap), 64 * 1024 + 2 * 64 * 1024);
	free_ok(b, HEAP_LARGE_THRESHOLD + 1); /* the backing checks the size it gets back */
	free_ok(a, 10);
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
}

TEST(invalid_sizes)
{
	setup();
	CHECK_EQ(heap_alloc(&heap, 0).result, ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(heap_alloc(&heap, SIZE_MAX).result, ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(heap_alloc(&heap, SIZE_MAX - 8).result, ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(backing.alloc_calls, 0);
	/* a size the backing cannot give is its refusal */
	backing.budget = 1024 * 1024 * 1024;
	CHECK_EQ(heap_alloc(&heap, SIZE_MAX / 2).result, ALLOCATOR_OUT_OF_MEMORY);
	CHECK_EQ(heap_chunk_count(&heap), 0);
	heap_destroy(&heap);
}

TEST(backing_exhaustion_is_a_result)
{
	setup();
	backing.refuse = true;
	CHECK_EQ(heap_alloc(&heap, 10).result, ALLOCATOR_OUT_OF_MEMORY);
	CHECK_EQ(heap_alloc(&heap, HEAP_LARGE_THRESHOLD).result, ALLOCATOR_OUT_OF_MEMORY);
	CHECK_EQ(heap_consumed(&heap), 0);
	CHECK_EQ(heap_chunk_count(&heap), 0);
	backing.refuse = false;
	void *p = alloc_ok(10);
	free_ok(p, 10);
	heap_destroy(&heap);
}

TEST(exhaustion_under_a_byte_budget_then_recovery)
{
	setup();
	backing.budget = 300 * 1024;
	static void *blocks[100000];
	static size_t sizes[100000];
	size_t count = 0;
	/* small blocks until the backing says no: many descriptors, many metadata pages */
	for (;;) {
		size_t size = 16 + (count * 37) % 200;
		struct allocator_alloc_ret r = heap_alloc(&heap, size);
		if (r.result != ALLOCATOR_OK) {
			CHECK_EQ(r.result, ALLOCATOR_OUT_OF_MEMORY);
			break;
		}
		CHECK(count < 100000);
		backing_claim(&backing, r.ptr, size);
		blocks[count] = r.ptr;
		sizes[count++] = size;
	}
	CHECK(count > 100);
	CHECK(backing.outstanding_bytes <= 300 * 1024);
	CHECK(avl_consistent());
	/* still usable: a failure again, then frees make room */
	CHECK_EQ(heap_alloc(&heap, 1000).result, ALLOCATOR_OUT_OF_MEMORY);
	for (size_t i = 0; i < count; i += 2) free_ok(blocks[i], sizes[i]);
	CHECK(avl_consistent());
	void *p = alloc_ok(100);
	free_ok(p, 100);
	for (size_t i = 1; i < count; i += 2) free_ok(blocks[i], sizes[i]);
	CHECK_EQ(heap_used(&heap), 0);
	/* after everything is free, the descriptor pages are back in the avl but one */
	CHECK(1);
	CHECK(avl_consistent());
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
	CHECK_EQ(backing.free_calls, backing.alloc_calls - backing.refused);
}

TEST(quota_limit)
{
	setup();
	CHECK_EQ(heap_quota_limit_set(&heap, HEAP_CHUNK_MIN + 8 * 1024), HEAP_QUOTA_OK);
	void *a = alloc_ok(100);
	CHECK_EQ(heap_consumed(&heap), HEAP_CHUNK_MIN);
	CHECK_EQ(heap_quota_limit_set(&heap, HEAP_CHUNK_MIN - 1), HEAP_QUOTA_BELOW_CONSUMED);
	void *b = alloc_ok(5000);
	void *c = alloc_ok(5000);
	CHECK_EQ(heap_chunk_count(&heap), 1);
	/* the first chunk is full; the next preferred chunk (32 KiB) exceeds the quota,
	   the smallest chunk that fits does not */
	void *d = alloc_ok(5000);
	CHECK_EQ(heap_chunk_count(&heap), 2);
	CHECK_EQ(backing.alloc_calls, 2);
	CHECK(backing.asked[1] < 8 * 1024);
	CHECK(heap_consumed(&heap) <= HEAP_CHUNK_MIN + 8 * 1024);
	size_t consumed = heap_consumed(&heap);
	size_t calls = backing.alloc_calls;
	struct allocator_alloc_ret r = heap_alloc(&heap, 5000);
	CHECK_EQ(r.result, ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(heap_alloc(&heap, HEAP_LARGE_THRESHOLD).result, ALLOCATOR_OUT_OF_QUOTA);
	CHECK_EQ(backing.alloc_calls, calls); /* the quota refuses before the backing is asked */
	CHECK_EQ(heap_consumed(&heap), consumed);
	/* a higher limit makes room */
	CHECK_EQ(heap_quota_limit_set(&heap, SIZE_MAX), HEAP_QUOTA_OK);
	void *f = alloc_ok(5000);
	free_ok(f, 5000);
	free_ok(a, 100);
	free_ok(b, 5000);
	free_ok(c, 5000);
	free_ok(d, 5000);
	heap_destroy(&heap);
}

TEST(a_refused_chunk_is_tried_again_at_the_smallest_size_that_fits)
{
	setup();
	backing.budget = HEAP_CHUNK_MIN + 10 * 1024;
	void *a = alloc_ok(6000);
	void *b = alloc_ok(6000);
	/* 32 KiB is refused by the backing, the smallest chunk for 6000 bytes is not */
	void *c = alloc_ok(6000);
	CHECK_EQ(backing.alloc_calls, 3);
	CHECK_EQ(backing.asked[1], 2 * HEAP_CHUNK_MIN);
	CHECK(backing.asked[2] < 10 * 1024);
	CHECK_EQ(heap_chunk_count(&heap), 2);
	/* and the growth did not advance: the next preferred size is still 32 KiB */
	backing.budget = SIZE_MAX;
	void *d = alloc_ok(6000);
	CHECK_EQ(backing.asked[backing.alloc_calls - 1], 2 * HEAP_CHUNK_MIN);
	free_ok(a, 6000);
	free_ok(b, 6000);
	free_ok(c, 6000);
	free_ok(d, 6000);
	heap_destroy(&heap);
}

TEST(destroy_returns_every_chunk_and_the_heap_is_usable_again)
{
	setup();
	for (int i = 0; i < 3000; i++) (void)alloc_ok(1 + (size_t)i * 13 % 5000);
	for (int i = 0; i < 5; i++) (void)alloc_ok(HEAP_LARGE_THRESHOLD + (size_t)i * 4096);
	size_t taken = backing.alloc_calls;
	CHECK(taken > 5 + 3);
	CHECK_EQ(heap_chunk_count(&heap), taken);
	/* blocks are still allocated: destroy takes them all; clear the byte map first */
	for (size_t i = 0; i < backing.chunk_count; i++)
		memset(backing.chunks[i].owner, 0, backing.chunks[i].size);
	heap_destroy(&heap);
	CHECK_EQ(backing.free_calls, taken);
	CHECK_EQ(backing.chunk_count, 0);
	CHECK_EQ(backing.outstanding_bytes, 0);
	CHECK_EQ(heap_consumed(&heap), 0);
	CHECK_EQ(heap_chunk_count(&heap), 0);
	CHECK_EQ(heap_used(&heap), 0);

	/* again from scratch: the first chunk is the minimum again */
	void *p = alloc_ok(50);
	CHECK_EQ(backing.asked[taken], HEAP_CHUNK_MIN);
	free_ok(p, 50);
	heap_destroy(&heap);
	CHECK_EQ(backing.chunk_count, 0);
}

TEST(allocator_view)
{
	setup();
	struct allocator *a = heap_allocator(&heap);
	struct allocator_alloc_ret r = allocator_alloc(a, 300);
	CHECK_EQ(r.result, ALLOCATOR_OK);
	CHECK_EQ(allocator_consumed(a), HEAP_CHUNK_MIN);
	CHECK(allocator_overhead(a, 300) > 0);
	CHECK_EQ(allocator_overhead(a, 300), allocator_overhead(a, 300));
	CHECK(allocator_overhead(a, HEAP_LARGE_THRESHOLD) > 0);
	CHECK(allocator_overhead(a, HEAP_LARGE_THRESHOLD) < 256);
	struct allocator_alloc_ret big = allocator_alloc(a, HEAP_LARGE_THRESHOLD * 2);
	CHECK_EQ(big.result, ALLOCATOR_OK);
	CHECK_EQ(heap_chunk_count(&heap), 2);
	allocator_free(a, big.ptr, HEAP_LARGE_THRESHOLD * 2);
	allocator_free(a, r.ptr, 300);
	CHECK_EQ(heap_chunk_count(&heap), 1);
	CHECK_EQ(allocator_alloc(a, 0).result, ALLOCATOR_INVALID_SIZE);
	heap_destroy(&heap);
}

TEST_EXPECT_DEATH(free_of_a_foreign_pointer_panics)
{
	setup();
	void *p = alloc_ok(100);
	(void)p;
	static char other[64] __attribute__((aligned(16)));
	heap_free(&heap, other, 64);
}

TEST_EXPECT_DEATH(double_free_of_a_large_block_panics)
{
	setup();
	void *p = alloc_ok(HEAP_LARGE_THRESHOLD);
	backing_release(&backing, p, HEAP_LARGE_THRESHOLD);
	heap_free(&heap, p, HEAP_LARGE_THRESHOLD);
	heap_free(&heap, p, HEAP_LARGE_THRESHOLD);
}

TEST_EXPECT_DEATH(free_of_a_large_block_with_another_size_panics)
{
	setup();
	void *p = alloc_ok(HEAP_LARGE_THRESHOLD * 2);
	heap_free(&heap, p, HEAP_LARGE_THRESHOLD * 2 + 16);
}

TEST_EXPECT_DEATH(free_of_a_large_block_as_a_small_one_panics)
{
	setup();
	void *p = alloc_ok(HEAP_LARGE_THRESHOLD * 2);
	heap_free(&heap, p, 100);
}

TEST_EXPECT_DEATH(double_free_of_a_small_block_panics)
{
	setup();
	void *keep = alloc_ok(32);
	void *p = alloc_ok(32);
	(void)keep;
	backing_release(&backing, p, 32);
	heap_free(&heap, p, 32);
	heap_free(&heap, p, 32);
}
