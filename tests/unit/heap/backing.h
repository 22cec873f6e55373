/* SPDX-License-Identifier: MIT */
/**
 * \brief a test backing for base/heap over posix_memalign that records every chunk
 *
 * It counts calls, keeps every outstanding chunk with a byte map (one byte
 * per chunk byte: 0 free, 1 a client block), refuses on request (always,
 * beyond a byte budget, or by a random rate) and can round sizes up as a
 * dataspace backing does.
 */

#ifndef _TESTS_UNIT_HEAP_BACKING_H_
#define _TESTS_UNIT_HEAP_BACKING_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/heap.h>

enum { BACKING_MAX_CHUNKS = 4096, BACKING_MAX_SIZES = 512 };

struct backing_chunk
{
	void *addr;
	size_t size;
	unsigned char *owner; /* byte map of client blocks */
};

struct backing
{
	size_t alloc_calls, free_calls, refused;
	size_t asked[BACKING_MAX_SIZES]; /* the sizes of the first alloc calls */
	size_t outstanding_bytes;
	size_t chunk_count;
	struct backing_chunk chunks[BACKING_MAX_CHUNKS];
	bool refuse;        /* refuse every call */
	size_t budget;      /* refuse a chunk that would exceed this (SIZE_MAX: none) */
	size_t round;       /* round sizes up to this (0: exact) */
	unsigned fail_rate; /* refuse one call in fail_rate at random (0: never) */
	uint64_t random;    /* state of the random refusals */
};

extern struct heap_backing_ops const backing_ops;

/** An empty backing without limits. */
void backing_init(struct backing *b);

/** The chunk that holds [ptr, ptr + size), NULL if none does. */
struct backing_chunk *backing_chunk_of(struct backing *b, void const *ptr, size_t size);

/**
 * Record a client block in the byte map: fails the test if it is not inside
 * one chunk or overlaps another block.
 */
void backing_claim(struct backing *b, void const *ptr, size_t size);

/** Remove a client block from the byte map. */
void backing_release(struct backing *b, void const *ptr, size_t size);

#endif /* _TESTS_UNIT_HEAP_BACKING_H_ */
