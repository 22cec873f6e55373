/* SPDX-License-Identifier: MIT */
/** \brief synced allocator: every call of the backing allocator under one lock */

#include <base/panic.h>
#include <base/synced_allocator.h>

static struct allocator_alloc_ret synced_alloc(void *state, size_t size)
{
	struct synced_allocator *synced = state;
	lock_acquire(&synced->lock);
	struct allocator_alloc_ret ret = allocator_alloc(synced->backing, size);
	lock_release(&synced->lock);
	return ret;
}

static void synced_free(void *state, void *ptr, size_t size)
{
	struct synced_allocator *synced = state;
	lock_acquire(&synced->lock);
	allocator_free(synced->backing, ptr, size);
	lock_release(&synced->lock);
}

static size_t synced_consumed(void *state)
{
	struct synced_allocator *synced = state;
	lock_acquire(&synced->lock);
	size_t consumed = allocator_consumed(synced->backing);
	lock_release(&synced->lock);
	return consumed;
}

static size_t synced_overhead(void *state, size_t size)
{
	struct synced_allocator *synced = state;
	lock_acquire(&synced->lock);
	size_t overhead = allocator_overhead(synced->backing, size);
	lock_release(&synced->lock);
	return overhead;
}

static struct allocator_ops const synced_ops = {
	.alloc = synced_alloc,
	.free = synced_free,
	.consumed = synced_consumed,
	.overhead = synced_overhead,
};

void synced_allocator_init(struct synced_allocator *synced, struct allocator *backing)
{
	ASSERT(backing);
	synced->backing = backing;
	lock_init(&synced->lock);
	allocator_init(&synced->allocator, &synced_ops, synced);
}
