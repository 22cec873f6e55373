/* SPDX-License-Identifier: MIT */
/** \brief a test backing for base/heap over posix_memalign that records every chunk */

#include <stdlib.h>

#include "backing.h"
#include "unit_random.h"
#include "unit_test.h"

/* whether all `size` bytes at `p` are `value` (memcmp is fast under ASan, a byte loop is not)
 */
static bool all_bytes(unsigned char const *p, size_t size, unsigned char value)
{
	return size == 0 || (p[0] == value && memcmp(p, p + 1, size - 1) == 0);
}

static struct heap_backing_alloc_ret alloc(void *state, size_t size)
{
	struct backing *b = state;
	if (b->alloc_calls < BACKING_MAX_SIZES) b->asked[b->alloc_calls] = size;
	b->alloc_calls++;
	if (b->round) size = (size + b->round - 1) / b->round * b->round;

	bool refuse = b->refuse || size > b->budget - b->outstanding_bytes ||
	              (b->fail_rate && unit_random_next(&b->random) % b->fail_rate == 0);
	if (refuse) {
		b->refused++;
		return (struct heap_backing_alloc_ret){ ALLOCATOR_OUT_OF_MEMORY, NULL, 0 };
	}
	CHECK(b->chunk_count < BACKING_MAX_CHUNKS);
	void *addr = NULL;
	CHECK(posix_memalign(&addr, 16, size) == 0);
	unsigned char *owner = calloc(size, 1);
	CHECK(owner);
	b->chunks[b->chunk_count++] = (struct backing_chunk){ addr, size, owner };
	b->outstanding_bytes += size;
	return (struct heap_backing_alloc_ret){ ALLOCATOR_OK, addr, size };
}

static void release(void *state, void *addr, size_t size)
{
	struct backing *b = state;
	b->free_calls++;
	for (size_t i = 0; i < b->chunk_count; i++) {
		struct backing_chunk *c = &b->chunks[i];
		if (c->addr != addr) continue;
		/* the heap gives back exactly what it got, and no client block is left in it */
		CHECK_EQ(c->size, size);
		CHECK(all_bytes(c->owner, size, 0));
		free(c->owner);
		free(addr);
		b->outstanding_bytes -= size;
		*c = b->chunks[--b->chunk_count];
		return;
	}
	unit_test_fail(__FILE__, __LINE__, "free of %p (%zu bytes), not a chunk", addr, size);
}

struct heap_backing_ops const backing_ops = { alloc, release };

void backing_init(struct backing *b)
{
	*b = (struct backing){ .budget = SIZE_MAX, .random = 0x9e3779b97f4a7c15ull };
}

struct backing_chunk *backing_chunk_of(struct backing *b, void const *ptr, size_t size)
{
	uintptr_t p = (uintptr_t)ptr;
	for (size_t i = 0; i < b->chunk_count; i++) {
		uintptr_t base = (uintptr_t)b->chunks[i].addr;
		if (p >= base && p - base <= b->chunks[i].size &&
		    size <= b->chunks[i].size - (p - base))
			return &b->chunks[i];
	}
	return NULL;
}

void backing_claim(struct backing *b, void const *ptr, size_t size)
{
	struct backing_chunk *c = backing_chunk_of(b, ptr, size);
	CHECK(c);
	size_t offset = (size_t)((uintptr_t)ptr - (uintptr_t)c->addr);
	CHECK(all_bytes(c->owner + offset, size, 0));
	memset(c->owner + offset, 1, size);
}

void backing_release(struct backing *b, void const *ptr, size_t size)
{
	struct backing_chunk *c = backing_chunk_of(b, ptr, size);
	CHECK(c);
	size_t offset = (size_t)((uintptr_t)ptr - (uintptr_t)c->addr);
	CHECK(all_bytes(c->owner + offset, size, 1));
	memset(c->owner + offset, 0, size);
}
