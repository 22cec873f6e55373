/* SPDX-License-Identifier: MIT */
/** \brief a backing allocator for unit tests: chunks from malloc, counted, refused past a limit
 */

#include <stdlib.h>
#include <string.h>

#include "unit_backing.h"
#include "unit_test.h"

static struct allocator_alloc_ret unit_backing_alloc(void *state, size_t size)
{
	struct unit_backing *b = state;
	if (b->outstanding >= b->limit) return (struct allocator_alloc_ret){ b->refusal, NULL };
	void *ptr = aligned_alloc(16, (size + 15) & ~(size_t)15);
	CHECK(ptr);
	memset(ptr, 0xa5, size);
	b->allocs++;
	b->outstanding++;
	b->bytes += size;
	return (struct allocator_alloc_ret){ ALLOCATOR_OK, ptr };
}

static void unit_backing_free(void *state, void *ptr, size_t size)
{
	struct unit_backing *b = state;
	CHECK(b->outstanding > 0);
	b->frees++;
	b->outstanding--;
	b->bytes -= size;
	free(ptr);
}

static size_t unit_backing_consumed(void *state)
{
	return ((struct unit_backing *)state)->bytes;
}

static size_t unit_backing_overhead(void *state, size_t size)
{
	(void)state;
	(void)size;
	return 0;
}

static struct allocator_ops const unit_backing_ops = { unit_backing_alloc, unit_backing_free,
	                                                   unit_backing_consumed,
	                                                   unit_backing_overhead };

void unit_backing_init(struct unit_backing *b)
{
	*b = (struct unit_backing){ .limit = (size_t)-1, .refusal = ALLOCATOR_OUT_OF_MEMORY };
	allocator_init(&b->allocator, &unit_backing_ops, b);
}
