/* SPDX-License-Identifier: MIT */
/**
 * \brief the allocator interface: a back end of blocks of memory
 *
 * A `struct allocator` is a table of functions plus the state they work on,
 * set up once by the back end's _init() (slab, allocator_avl, guard, synced
 * allocator, heap). Code that needs memory takes a `struct allocator *` and
 * calls the inline wrappers below; it never knows which back end it has.
 *
 * Contract for every back end:
 * - alloc(size) returns `size` bytes aligned for any object type
 *   (_Alignof(max_align_t)) or a result that says why not, and then nothing
 *   changed in the allocator.
 * - free(ptr, size) takes back a block that alloc() returned, with the size
 *   that was asked for. Freeing anything else is a bug of the caller and
 *   may panic. The block belongs to the allocator again afterwards.
 * - consumed() is the amount of backing store the allocator holds for its
 *   clients now, overhead(size) the metadata cost of one block of `size`
 *   bytes on top of `size`; each back end says what exactly it counts.
 * - No back end locks unless it says so: see synced_allocator.h.
 */

#ifndef _BASE_ALLOCATOR_H_
#define _BASE_ALLOCATOR_H_

#include <stddef.h>

/** results of allocator_alloc */
enum allocator_result {
	ALLOCATOR_OK = 0,        /* the block is allocated */
	ALLOCATOR_OUT_OF_MEMORY, /* the backing store has no room for the block (or
	                            for the metadata that it needs) */
	ALLOCATOR_OUT_OF_QUOTA,  /* a quota (allocator_guard) does not allow it; an
	                            upgrade of the quota may help */
	ALLOCATOR_INVALID_SIZE,  /* size 0, or more than this allocator can ever
	                            hand out in one block */
};

/** what allocator_alloc returns: `ptr` is valid only with ALLOCATOR_OK */
struct allocator_alloc_ret
{
	enum allocator_result result;
	void *ptr;
};

/** the functions of one back end; `state` is the allocator's state pointer */
struct allocator_ops
{
	struct allocator_alloc_ret (*alloc)(void *state, size_t size);
	void (*free)(void *state, void *ptr, size_t size);
	size_t (*consumed)(void *state);
	size_t (*overhead)(void *state, size_t size);
};

struct allocator
{
	struct allocator_ops const *ops;
	void *state;
};

/** Set up `allocator` to run `ops` on `state`. Used by the back ends' _init(). */
static inline void allocator_init(struct allocator *allocator, struct allocator_ops const *ops,
                                  void *state)
{
	allocator->ops = ops;
	allocator->state = state;
}

/**
 * Allocate `size` bytes.
 *
 * \return  ALLOCATOR_OK with the block, which the caller owns until it passes
 *          it to allocator_free; otherwise a result of enum allocator_result
 *          and no change.
 */
__attribute__((warn_unused_result)) static inline struct allocator_alloc_ret
allocator_alloc(struct allocator *allocator, size_t size)
{
	return allocator->ops->alloc(allocator->state, size);
}

/**
 * Give back a block.
 *
 * \param ptr   a block from allocator_alloc of this allocator, not yet freed
 * \param size  the size that was asked for when it was allocated
 */
static inline void allocator_free(struct allocator *allocator, void *ptr, size_t size)
{
	allocator->ops->free(allocator->state, ptr, size);
}

/** Bytes of backing store that `allocator` holds for its clients now. */
static inline size_t allocator_consumed(struct allocator *allocator)
{
	return allocator->ops->consumed(allocator->state);
}

/**
 * Metadata bytes that one block of `size` bytes costs beyond `size`. The same
 * size always gives the same answer (quota accounting depends on it).
 */
static inline size_t allocator_overhead(struct allocator *allocator, size_t size)
{
	return allocator->ops->overhead(allocator->state, size);
}

#endif /* _BASE_ALLOCATOR_H_ */
