/* SPDX-License-Identifier: MIT */
/** \brief allocator_avl tests: set-up over the harness's backing allocator, a PRNG, snapshots
 */

#include "test_support.h"
#include "unit_random.h"

void avl_setup(struct allocator_avl *a, struct unit_backing *b)
{
	unit_backing_init(b);
	allocator_avl_init(a, &b->allocator);
}

static void snapshot_visit(void *context, uintptr_t base, size_t size, bool used)
{
	struct snapshot *s = context;
	CHECK(s->count < SNAPSHOT_MAX);
	s->blocks[s->count++] = (struct snapshot_block){ base, size, used };
}

void snapshot_take(struct allocator_avl const *a, struct snapshot *s)
{
	s->count = 0;
	allocator_avl_for_each_block(a, snapshot_visit, s);
	s->available = allocator_avl_available(a);
	s->used = allocator_avl_used(a);
	s->descriptors = slab_used_blocks(&a->metadata);
	s->chunks = slab_chunk_count(&a->metadata);
}

bool snapshot_equal(struct snapshot const *x, struct snapshot const *y)
{
	if (x->count != y->count || x->available != y->available || x->used != y->used ||
	    x->descriptors != y->descriptors || x->chunks != y->chunks)
		return false;
	for (unsigned i = 0; i < x->count; i++)
		if (x->blocks[i].base != y->blocks[i].base || x->blocks[i].size != y->blocks[i].size ||
		    x->blocks[i].used != y->blocks[i].used)
			return false;
	return true;
}

uint64_t test_seed(uint64_t fallback)
{
	char const *text = getenv("TEST_SEED");
	return text ? strtoull(text, NULL, 0) : fallback;
}
