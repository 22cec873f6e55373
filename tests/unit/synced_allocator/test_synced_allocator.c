/* SPDX-License-Identifier: MIT */
/** \brief unit tests of base/synced_allocator: unsynchronized allocators shared by threads */

#include <pthread.h>
#include <stdlib.h>

#include <base/allocator_avl.h>
#include <base/slab.h>
#include <base/synced_allocator.h>

#include "unit_backing.h"
#include "unit_random.h"
#include "unit_test.h"

enum { THREADS = 8, ITERATIONS = 20000, LIVE = 32, BLOCK = 48 };

struct worker
{
	struct allocator *allocator;
	unsigned id;
	unsigned corrupted; /* blocks whose contents another thread changed */
	unsigned failed;    /* allocations that did not succeed */
};

/* allocate, fill with a per-thread pattern, verify and free, LIVE blocks at a time */
static void *work(void *arg)
{
	struct worker *w = arg;
	uint32_t *live[LIVE] = { 0 };
	uint64_t state = 0x9e3779b97f4a7c15u * (w->id + 1);

	for (int i = 0; i < ITERATIONS; i++) {
		unsigned slot = (unsigned)(unit_random_next(&state) % LIVE);
		if (live[slot]) {
			for (unsigned k = 0; k < BLOCK / 4; k++)
				if (live[slot][k] != (w->id << 16 | slot << 8 | k)) w->corrupted++;
			allocator_free(w->allocator, live[slot], BLOCK);
			live[slot] = NULL;
		} else {
			struct allocator_alloc_ret r = allocator_alloc(w->allocator, BLOCK);
			if (r.result != ALLOCATOR_OK) {
				w->failed++;
				continue;
			}
			live[slot] = r.ptr;
			for (unsigned k = 0; k < BLOCK / 4; k++)
				live[slot][k] = w->id << 16 | slot << 8 | k;
		}
	}
	for (unsigned slot = 0; slot < LIVE; slot++)
		if (live[slot]) allocator_free(w->allocator, live[slot], BLOCK);
	return NULL;
}

static void run_workers(struct allocator *allocator)
{
	pthread_t threads[THREADS];
	struct worker workers[THREADS];
	for (unsigned i = 0; i < THREADS; i++) {
		workers[i] = (struct worker){ .allocator = allocator, .id = i };
		CHECK_EQ(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
	}
	for (unsigned i = 0; i < THREADS; i++) CHECK_EQ(pthread_join(threads[i], NULL), 0);
	for (unsigned i = 0; i < THREADS; i++) {
		CHECK_EQ(workers[i].corrupted, 0);
		CHECK_EQ(workers[i].failed, 0);
	}
}

TEST(slab_shared_by_threads)
{
	struct unit_backing backing; /* used only under the synced allocator's lock */
	struct slab slab;
	struct synced_allocator synced;
	unit_backing_init(&backing);
	slab_init(&slab, BLOCK, 1024, &backing.allocator);
	synced_allocator_init(&synced, slab_allocator(&slab));

	run_workers(synced_allocator_allocator(&synced));

	CHECK_EQ(slab_used_blocks(&slab), 0);
	CHECK_EQ(slab_chunk_count(&slab), 1); /* every chunk but the spare went back */
	CHECK_EQ(avl_tree_check(&slab.chunks), AVL_CHECK_OK);
	CHECK_EQ(allocator_consumed(synced_allocator_allocator(&synced)), 1024);
	slab_destroy(&slab);
}

TEST(allocator_avl_heap_shared_by_threads)
{
	enum { ARENA = 1 << 20 };
	struct unit_backing backing; /* used only under the synced allocator's lock */
	struct allocator_avl avl;
	struct synced_allocator synced;
	unsigned char *arena = aligned_alloc(4096, ARENA);
	CHECK(arena);
	unit_backing_init(&backing);
	allocator_avl_init(&avl, &backing.allocator);
	CHECK_EQ(allocator_avl_add_range(&avl, (uintptr_t)arena, ARENA), RANGE_ALLOCATOR_ADD_OK);
	synced_allocator_init(&synced, allocator_avl_allocator(&avl));

	run_workers(synced_allocator_allocator(&synced));

	CHECK(allocator_avl_check(&avl));
	CHECK_EQ(allocator_avl_available(&avl), ARENA);
	CHECK_EQ(allocator_avl_used(&avl), 0);
	CHECK_EQ(allocator_overhead(synced_allocator_allocator(&synced), 1),
	         allocator_overhead(allocator_avl_allocator(&avl), 1));
	allocator_avl_destroy(&avl);
	free(arena);
}
