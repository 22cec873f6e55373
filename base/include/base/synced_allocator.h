/* SPDX-License-Identifier: MIT */
/**
 * \brief synced allocator: an allocator wrapper that makes every call under a lock
 *
 * None of the allocators (slab, allocator_avl, guard) locks by itself. An
 * allocator that threads share is wrapped in a synced_allocator: each of its
 * calls takes the wrapper's lock, calls the backing allocator, and releases
 * the lock. The backing allocator must then be used only through the
 * wrapper. The lock is not recursive: the backing allocator must not call
 * back into the wrapper.
 */

#ifndef _BASE_SYNCED_ALLOCATOR_H_
#define _BASE_SYNCED_ALLOCATOR_H_

#include <base/allocator.h>
#include <base/lock.h>

struct synced_allocator
{
	struct allocator *backing;
	struct lock lock; /* held during every call of the backing allocator */
	struct allocator allocator;
};

/**
 * Set up `synced` around `backing`.
 *
 * \param backing  must outlive `synced`; used only through it from now on
 */
void synced_allocator_init(struct synced_allocator *synced, struct allocator *backing);

/**
 * The locked allocator: alloc, free, consumed and overhead are those of the
 * backing allocator, each called with the lock held.
 */
static inline struct allocator *synced_allocator_allocator(struct synced_allocator *synced)
{
	return &synced->allocator;
}

#endif /* _BASE_SYNCED_ALLOCATOR_H_ */
