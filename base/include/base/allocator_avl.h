/* SPDX-License-Identifier: MIT */
/**
 * \brief best-fit range allocator on two AVL trees
 *
 * allocator_avl manages address ranges (see range_allocator.h) and hands out
 * blocks of them: by size at any power-of-two alignment (best fit), or at a
 * given address. Every block, allocated or free, is in a tree ordered by
 * address; free blocks are also in a tree ordered by size (then address).
 * Free neighbours are always merged, so a free range is always one block.
 *
 * Costs: free, alloc_addr, add_range, remove_range and lookup are O(log n)
 * in the number of blocks. alloc_aligned is O(log n) when the alignment is
 * 1 (the smallest free block that is big enough is the answer). With a
 * larger alignment it tries the free blocks from the smallest big-enough one
 * upwards, at most ALLOCATOR_AVL_FIT_SCAN of them, and then takes the
 * smallest block that fits at any alignment (size >= size + align - 1), which
 * is again O(log n). Only when no such block exists does it go on trying the
 * rest: it never reports OUT_OF_SPACE while a fitting block exists.
 * Within a block, an allocation takes the lowest aligned address.
 *
 * Bookkeeping: one small block descriptor per block, from a slab over the
 * metadata allocator given at init. An operation that cannot get the
 * descriptors it needs fails with _OUT_OF_METADATA and changes nothing.
 *
 * allocator_avl is also a `struct allocator` (allocator_avl_allocator()) over
 * the memory that its ranges name: alloc(size) gives blocks aligned to
 * ALLOCATOR_AVL_ALLOC_ALIGN, which makes it a heap back end over a range of
 * memory. It never touches that memory itself.
 *
 * No locking: wrap it (synced_allocator) or lock around it.
 */

#ifndef _BASE_ALLOCATOR_AVL_H_
#define _BASE_ALLOCATOR_AVL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/allocator.h>
#include <base/range_allocator.h>
#include <base/slab.h>
#include <util/avl.h>

enum {
	ALLOCATOR_AVL_FIT_SCAN = 32,         /* aligned candidates tried in size order */
	ALLOCATOR_AVL_ALLOC_ALIGN = 16,      /* alignment of the struct allocator view */
	ALLOCATOR_AVL_METADATA_CHUNK = 4096, /* bytes per chunk of the descriptor slab */
};

struct allocator_avl
{
	struct avl_tree blocks;       /* every block, by base address */
	struct avl_tree free_by_size; /* free blocks, by size, then base */
	struct slab metadata;         /* the block descriptors */
	size_t available;             /* bytes in free blocks */
	size_t used;                  /* bytes in allocated blocks */
	struct allocator allocator;
	struct range_allocator range_allocator;
};

/**
 * Set up an allocator that manages no range yet.
 *
 * \param metadata_backing  gives chunks of ALLOCATOR_AVL_METADATA_CHUNK bytes
 *                          for the block descriptors; must outlive `allocator`
 */
void allocator_avl_init(struct allocator_avl *allocator, struct allocator *metadata_backing);

/**
 * Give all bookkeeping memory back to the metadata allocator. Every block and
 * range is forgotten; `allocator` may be initialized again.
 */
void allocator_avl_destroy(struct allocator_avl *allocator);

/** See range_allocator_add_range(). O(log n) */
enum range_allocator_add_result allocator_avl_add_range(struct allocator_avl *allocator,
                                                        uintptr_t base, size_t size)
    __attribute__((warn_unused_result));

/** See range_allocator_remove_range(). O(log n) */
enum range_allocator_remove_result allocator_avl_remove_range(struct allocator_avl *allocator,
                                                              uintptr_t base, size_t size)
    __attribute__((warn_unused_result));

/** See range_allocator_alloc_aligned() and the costs above: best fit. */
struct range_allocator_alloc_ret allocator_avl_alloc_aligned(struct allocator_avl *allocator,
                                                             size_t size, unsigned align_log2)
    __attribute__((warn_unused_result));

/** See range_allocator_alloc_addr(). O(log n) */
struct range_allocator_alloc_ret allocator_avl_alloc_addr(struct allocator_avl *allocator,
                                                          size_t size, uintptr_t addr)
    __attribute__((warn_unused_result));

/**
 * See range_allocator_free(). O(log n). An address that is not the start of
 * an allocated block (a double free) gives _NOT_ALLOCATED and no change.
 */
enum range_allocator_free_result allocator_avl_free(struct allocator_avl *allocator,
                                                    uintptr_t addr)
    __attribute__((warn_unused_result));

/** Bytes in free blocks. O(1) */
static inline size_t allocator_avl_available(struct allocator_avl const *allocator)
{
	return allocator->available;
}

/** Bytes in allocated blocks. O(1) */
static inline size_t allocator_avl_used(struct allocator_avl const *allocator)
{
	return allocator->used;
}

/** See range_allocator_lookup(). O(log n) */
struct range_allocator_lookup_ret allocator_avl_lookup(struct allocator_avl const *allocator,
                                                       uintptr_t addr)
    __attribute__((warn_unused_result));

/**
 * Call `visit` for every block, allocated or free, in address order. `visit`
 * must not change `allocator`.
 */
void allocator_avl_for_each_block(struct allocator_avl const *allocator,
                                  void (*visit)(void *context, uintptr_t base, size_t size,
                                                bool used),
                                  void *context);

/**
 * Verify the invariants (both trees, free blocks exactly in the size tree,
 * no two adjacent free blocks, no overlap, the byte counts). For tests and
 * debugging: O(n).
 *
 * \return  true if every invariant holds
 */
bool allocator_avl_check(struct allocator_avl const *allocator)
    __attribute__((warn_unused_result));

/**
 * The range-allocator interface of `allocator`; it stays valid as long as
 * `allocator` does.
 */
static inline struct range_allocator *
allocator_avl_range_allocator(struct allocator_avl *allocator)
{
	return &allocator->range_allocator;
}

/**
 * `allocator` as a plain struct allocator over the memory of its ranges:
 * alloc(size) is alloc_aligned at ALLOCATOR_AVL_ALLOC_ALIGN (no fitting
 * block: ALLOCATOR_OUT_OF_MEMORY; no descriptor: the metadata allocator's
 * result), free(ptr, size) frees the block at `ptr` (unlike
 * allocator_avl_free, a pointer that was not allocated panics: the
 * allocator interface has no error for it), consumed() is
 * allocator_avl_used(), overhead(size) is the size of a block descriptor.
 */
static inline struct allocator *allocator_avl_allocator(struct allocator_avl *allocator)
{
	return &allocator->allocator;
}

#endif /* _BASE_ALLOCATOR_AVL_H_ */
