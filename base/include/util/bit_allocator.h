/* SPDX-License-Identifier: MIT */
/**
 * \brief allocator of indices 0 .. n-1 (ids, slots, pages) over a bit array
 *
 * One bit per index, set while the index is allocated. The storage is a
 * caller-provided buffer of BIT_ALLOCATOR_WORDS(n) words (a fixed-size array,
 * a struct member or heap memory), owned by the caller and kept alive while
 * the allocator is used; the allocator itself never allocates.
 *
 * Every input is checked: an index out of range, a double allocation with
 * bit_allocator_alloc_at() and a double free are results, not crashes, so a
 * server may pass indices that a session client sent. A failed call changes
 * nothing.
 *
 * Search: single indices are allocated next-fit (after the last allocation,
 * wrapping around), which delays the reuse of a freed index; blocks are
 * allocated first-fit. Both skip full words 64 indices at a time: O(n / 64)
 * in the worst case, O(1) when the words after the last allocation are free.
 * No locking.
 */

#ifndef _UTIL_BIT_ALLOCATOR_H_
#define _UTIL_BIT_ALLOCATOR_H_

#include <stddef.h>
#include <stdint.h>

#include <util/bit_array.h>

/** number of uint64_t words that the storage for `count` indices needs */
#define BIT_ALLOCATOR_WORDS(count) BIT_ARRAY_WORDS(count)

struct bit_allocator
{
	struct bit_array bits; /* bit i set: index i allocated */
	size_t allocated;      /* number of set bits */
	size_t next_index;     /* where the next single-index search starts */
};

/** results of the bit_allocator functions */
enum bit_allocator_result {
	BIT_ALLOCATOR_OK = 0,
	/* no free index (alloc) or no free aligned block (alloc_block) is left */
	BIT_ALLOCATOR_EXHAUSTED,
	/* the index (or block) is not within 0 .. count - 1 */
	BIT_ALLOCATOR_OUT_OF_RANGE,
	/* alloc_at: the index is allocated already */
	BIT_ALLOCATOR_ALREADY_ALLOCATED,
	/* free: the index (or an index of the block) is not allocated */
	BIT_ALLOCATOR_NOT_ALLOCATED,
	/* alloc_block, free_block: the block size 2^log2_count is larger than
	   the allocator, or not representable */
	BIT_ALLOCATOR_INVALID_SIZE,
};

/** result and index of an allocation */
struct bit_allocator_alloc_ret
{
	enum bit_allocator_result result;
	size_t index; /* the allocated (first) index when OK, else 0 */
};

/**
 * Set up `allocator` with every index of 0 .. count - 1 free.
 *
 * \param words  BIT_ALLOCATOR_WORDS(count) words, owned by the caller and kept
 *               alive while `allocator` is used; NULL only when count is 0
 * \param count  number of indices; 0 gives an allocator that is always
 *               exhausted
 */
void bit_allocator_init(struct bit_allocator *allocator, uint64_t *words, size_t count);

/**
 * Allocate one free index.
 *
 * \return OK with the index, or BIT_ALLOCATOR_EXHAUSTED when all are in use
 */
struct bit_allocator_alloc_ret bit_allocator_alloc(struct bit_allocator *allocator)
    __attribute__((warn_unused_result));

/**
 * Allocate 2^log2_count consecutive free indices whose first index is a
 * multiple of 2^log2_count. Free them with bit_allocator_free_block() or one
 * by one with bit_allocator_free().
 *
 * \return OK with the first index of the block;
 *         BIT_ALLOCATOR_INVALID_SIZE when the block is larger than the
 *         allocator; BIT_ALLOCATOR_EXHAUSTED when no such block is free
 */
struct bit_allocator_alloc_ret bit_allocator_alloc_block(struct bit_allocator *allocator,
                                                         unsigned log2_count)
    __attribute__((warn_unused_result));

/**
 * Allocate the given index.
 *
 * \return OK; BIT_ALLOCATOR_OUT_OF_RANGE when `index` >= count;
 *         BIT_ALLOCATOR_ALREADY_ALLOCATED when it is in use
 */
enum bit_allocator_result bit_allocator_alloc_at(struct bit_allocator *allocator, size_t index)
    __attribute__((warn_unused_result));

/**
 * Free an allocated index.
 *
 * \return OK; BIT_ALLOCATOR_OUT_OF_RANGE when `index` >= count;
 *         BIT_ALLOCATOR_NOT_ALLOCATED when it is free already (a double free)
 */
enum bit_allocator_result bit_allocator_free(struct bit_allocator *allocator, size_t index)
    __attribute__((warn_unused_result));

/**
 * Free the 2^log2_count indices from `index` on, all of which are allocated.
 *
 * \return OK; BIT_ALLOCATOR_INVALID_SIZE when the block is larger than the
 *         allocator; BIT_ALLOCATOR_OUT_OF_RANGE when the block leaves it;
 *         BIT_ALLOCATOR_NOT_ALLOCATED when one of them is free (nothing is
 *         freed then)
 */
enum bit_allocator_result bit_allocator_free_block(struct bit_allocator *allocator,
                                                   size_t index, unsigned log2_count)
    __attribute__((warn_unused_result));

/** Number of indices that are free now. O(1) */
static inline size_t bit_allocator_available(struct bit_allocator const *allocator)
{
	return allocator->bits.bit_count - allocator->allocated;
}

#endif /* _UTIL_BIT_ALLOCATOR_H_ */
