/* SPDX-License-Identifier: MIT */
/**
 * \brief the range-allocator interface: allocation of address ranges
 *
 * A range allocator manages ranges of numbers (virtual addresses of an RM
 * session, physical memory, I/O ports). It does not touch the memory that
 * those numbers may name, so it can manage ranges of another address space.
 * The ranges are added and removed explicitly; inside them it hands out
 * blocks by size and alignment or at a given address.
 *
 * Like struct allocator, a `struct range_allocator` is a table of functions
 * plus a state pointer, set up by a back end's _init() (allocator_avl).
 *
 * Every range is [base, base + size) with size > 0 that does not wrap past the
 * top of the address space (it may end exactly at the top). Every function
 * checks its arguments first; a failure changes nothing.
 */

#ifndef _BASE_RANGE_ALLOCATOR_H_
#define _BASE_RANGE_ALLOCATOR_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** results of range_allocator_add_range */
enum range_allocator_add_result {
	RANGE_ALLOCATOR_ADD_OK = 0,          /* the range is managed and free */
	RANGE_ALLOCATOR_ADD_INVALID,         /* size 0 or the range wraps */
	RANGE_ALLOCATOR_ADD_OVERLAP,         /* part of the range is managed already */
	RANGE_ALLOCATOR_ADD_OUT_OF_METADATA, /* no memory for the bookkeeping */
};

/** results of range_allocator_remove_range */
enum range_allocator_remove_result {
	RANGE_ALLOCATOR_REMOVE_OK = 0,          /* the range is no longer managed */
	RANGE_ALLOCATOR_REMOVE_INVALID,         /* size 0 or the range wraps */
	RANGE_ALLOCATOR_REMOVE_NOT_FREE,        /* part of the range is allocated or not
	                                           managed */
	RANGE_ALLOCATOR_REMOVE_OUT_OF_METADATA, /* no memory for the bookkeeping */
};

/** results of range_allocator_alloc_aligned and range_allocator_alloc_addr */
enum range_allocator_alloc_result {
	RANGE_ALLOCATOR_ALLOC_OK = 0,          /* `addr` is the start of the new block */
	RANGE_ALLOCATOR_ALLOC_INVALID,         /* size 0, alignment beyond the address
	                                          width, or (alloc_addr) the range wraps */
	RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE,    /* (alloc_aligned) no free block is big
	                                          enough at that alignment */
	RANGE_ALLOCATOR_ALLOC_CONFLICT,        /* (alloc_addr) part of the range is
	                                          allocated or not managed */
	RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA, /* no memory for the bookkeeping */
};

/** results of range_allocator_free */
enum range_allocator_free_result {
	RANGE_ALLOCATOR_FREE_OK = 0,        /* the block is free again */
	RANGE_ALLOCATOR_FREE_NOT_ALLOCATED, /* no allocated block starts at that
	                                       address (double free, wrong address) */
};

/** results of range_allocator_lookup */
enum range_allocator_lookup_result {
	RANGE_ALLOCATOR_LOOKUP_OK = 0,      /* the address lies in an allocated block */
	RANGE_ALLOCATOR_LOOKUP_FREE,        /* the address lies in a free block */
	RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, /* the address is outside every range */
};

/** what range_allocator_alloc_* returns: `addr` is valid only with _OK */
struct range_allocator_alloc_ret
{
	enum range_allocator_alloc_result result;
	uintptr_t addr;
};

/**
 * What range_allocator_lookup returns: with _OK the allocated block, with
 * _FREE the whole free block (free neighbours are always merged, so it is
 * the largest free range around the address); nothing otherwise.
 */
struct range_allocator_lookup_ret
{
	enum range_allocator_lookup_result result;
	uintptr_t base;
	size_t size;
};

/** the functions of one back end; `state` is the allocator's state pointer */
struct range_allocator_ops
{
	enum range_allocator_add_result (*add_range)(void *state, uintptr_t base, size_t size);
	enum range_allocator_remove_result (*remove_range)(void *state, uintptr_t base,
	                                                   size_t size);
	struct range_allocator_alloc_ret (*alloc_aligned)(void *state, size_t size,
	                                                  unsigned align_log2);
	struct range_allocator_alloc_ret (*alloc_addr)(void *state, size_t size, uintptr_t addr);
	enum range_allocator_free_result (*free)(void *state, uintptr_t addr);
	size_t (*available)(void *state);
	struct range_allocator_lookup_ret (*lookup)(void *state, uintptr_t addr);
};

struct range_allocator
{
	struct range_allocator_ops const *ops;
	void *state;
};

/** Set up `allocator` to run `ops` on `state`. Used by the back ends' _init(). */
static inline void range_allocator_init(struct range_allocator *allocator,
                                        struct range_allocator_ops const *ops, void *state)
{
	allocator->ops = ops;
	allocator->state = state;
}

/**
 * Manage [base, base + size) from now on, all of it free. A range that
 * touches a managed range merges with it.
 */
__attribute__((warn_unused_result)) static inline enum range_allocator_add_result
range_allocator_add_range(struct range_allocator *allocator, uintptr_t base, size_t size)
{
	return allocator->ops->add_range(allocator->state, base, size);
}

/**
 * Stop managing [base, base + size), which must be free as a whole (it may
 * be part of a larger free range).
 */
__attribute__((warn_unused_result)) static inline enum range_allocator_remove_result
range_allocator_remove_range(struct range_allocator *allocator, uintptr_t base, size_t size)
{
	return allocator->ops->remove_range(allocator->state, base, size);
}

/**
 * Allocate `size` bytes at an address that is a multiple of 2^align_log2.
 * Which free block is used is up to the back end (allocator_avl: best fit).
 *
 * \param align_log2  below the width of uintptr_t in bits (0: any address)
 */
__attribute__((warn_unused_result)) static inline struct range_allocator_alloc_ret
range_allocator_alloc_aligned(struct range_allocator *allocator, size_t size,
                              unsigned align_log2)
{
	return allocator->ops->alloc_aligned(allocator->state, size, align_log2);
}

/** Allocate exactly [addr, addr + size), which must be free as a whole. */
__attribute__((warn_unused_result)) static inline struct range_allocator_alloc_ret
range_allocator_alloc_addr(struct range_allocator *allocator, size_t size, uintptr_t addr)
{
	return allocator->ops->alloc_addr(allocator->state, size, addr);
}

/**
 * Free the allocated block that starts at `addr` (the address that its
 * allocation returned), whatever its size. It merges with free neighbours.
 */
__attribute__((warn_unused_result)) static inline enum range_allocator_free_result
range_allocator_free(struct range_allocator *allocator, uintptr_t addr)
{
	return allocator->ops->free(allocator->state, addr);
}

/** Total size of all free blocks (not necessarily one block). */
static inline size_t range_allocator_available(struct range_allocator *allocator)
{
	return allocator->ops->available(allocator->state);
}

/** The block that contains `addr`, allocated or free. */
__attribute__((warn_unused_result)) static inline struct range_allocator_lookup_ret
range_allocator_lookup(struct range_allocator *allocator, uintptr_t addr)
{
	return allocator->ops->lookup(allocator->state, addr);
}

#endif /* _BASE_RANGE_ALLOCATOR_H_ */
