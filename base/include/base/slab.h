/* SPDX-License-Identifier: MIT */
/**
 * \brief slab allocator: blocks of one size carved from larger chunks
 *
 * A slab hands out blocks of one fixed size. It takes chunks of `chunk_size`
 * bytes from a backing allocator, carves them into blocks, and gives a chunk
 * back as soon as it is entirely free, except for one entirely free chunk
 * that it keeps as a spare (so that a block allocated and freed in a loop
 * does not take and release a chunk each time).
 *
 * Blocks are aligned to SLAB_ALIGNMENT. Allocation is O(1) (plus a chunk
 * from the backing allocator when every chunk is full), free is O(log chunks).
 * A double free and the free of a foreign pointer are detected and panic.
 *
 * SLAB_TYPED() declares a typed front end. A slab is also a plain
 * `struct allocator` (slab_allocator()) for blocks up to its block size.
 * No locking: wrap it in a synced_allocator or lock around it.
 */

#ifndef _BASE_SLAB_H_
#define _BASE_SLAB_H_

#include <stddef.h>

#include <base/allocator.h>
#include <util/avl.h>

/** alignment of every block (that of max_align_t on x86_64) */
enum { SLAB_ALIGNMENT = 16 };

struct slab_chunk; /* private to slab.c */

struct slab
{
	struct allocator *backing; /* where the chunks come from */
	size_t block_size;         /* bytes per block, a multiple of SLAB_ALIGNMENT */
	size_t chunk_size;         /* bytes per chunk, as taken from `backing` */
	size_t blocks_per_chunk;
	size_t first_block_offset;  /* from the chunk start: header and in-use bitmap */
	struct avl_tree chunks;     /* every chunk, by address: block -> chunk */
	struct slab_chunk *partial; /* chunks with a free block; entirely free ones last */
	struct slab_chunk *partial_tail;
	size_t chunk_count;
	size_t empty_chunks; /* chunks without a block in use (at most one) */
	size_t used_blocks;
	struct allocator allocator; /* the slab as a struct allocator */
};

/**
 * Set up an empty slab. Takes nothing from `backing` yet.
 *
 * \param block_size  bytes per block (> 0), rounded up to SLAB_ALIGNMENT
 * \param chunk_size  bytes per chunk; must hold the chunk header and at least
 *                    one block (an assertion: these are constants of the
 *                    caller, not input)
 * \param backing     gives chunks; must outlive the slab
 */
void slab_init(struct slab *slab, size_t block_size, size_t chunk_size,
               struct allocator *backing);

/**
 * Give every chunk back to the backing allocator, including chunks with
 * blocks in use: every block of the slab is invalid afterwards.
 */
void slab_destroy(struct slab *slab);

/**
 * Allocate one block of slab->block_size bytes.
 *
 * \return  ALLOCATOR_OK and the block; or the backing allocator's result when
 *          a new chunk was needed and the backing allocator refused it, and
 *          then nothing changed
 */
struct allocator_alloc_ret slab_alloc(struct slab *slab) __attribute__((warn_unused_result));

/**
 * Give back `block`. A chunk that becomes entirely free goes back to the
 * backing allocator unless it is the only entirely free chunk.
 *
 * \param block  from slab_alloc of this slab, not freed since; anything else
 *               (a double free, a foreign or misaligned pointer) panics
 */
void slab_free(struct slab *slab, void *block);

/** Blocks in use. */
static inline size_t slab_used_blocks(struct slab const *slab) { return slab->used_blocks; }

/** Chunks held (taken from the backing allocator and not given back). */
static inline size_t slab_chunk_count(struct slab const *slab) { return slab->chunk_count; }

/**
 * The slab as a `struct allocator`: alloc(size) gives a block for any size
 * from 1 to block_size (ALLOCATOR_INVALID_SIZE otherwise), free(ptr, size) is
 * slab_free, consumed() is chunk_count * chunk_size, overhead(size) is the
 * unused rest of the block plus a block's share of the chunk header.
 */
static inline struct allocator *slab_allocator(struct slab *slab) { return &slab->allocator; }

/**
 * Declare a typed front end `struct <prefix>_slab` for objects of `type`:
 *   void <prefix>_slab_init(struct <prefix>_slab *, size_t chunk_size,
 *                           struct allocator *backing);
 *   void <prefix>_slab_destroy(struct <prefix>_slab *);
 *   struct <prefix>_slab_alloc_ret { enum allocator_result result; type *ptr; }
 *       <prefix>_slab_alloc(struct <prefix>_slab *);
 *   void <prefix>_slab_free(struct <prefix>_slab *, type *);
 * with the contracts of slab_init, slab_destroy, slab_alloc and slab_free.
 */
#define SLAB_TYPED(prefix, type)                                                          \
	struct prefix##_slab                                                                  \
	{                                                                                     \
		struct slab slab;                                                                 \
	};                                                                                    \
	struct prefix##_slab_alloc_ret                                                        \
	{                                                                                     \
		enum allocator_result result;                                                     \
		type *ptr;                                                                        \
	};                                                                                    \
	static inline void prefix##_slab_init(struct prefix##_slab *typed, size_t chunk_size, \
	                                      struct allocator *backing)                      \
	{                                                                                     \
		_Static_assert(_Alignof(type) <= SLAB_ALIGNMENT,                                  \
		               #type " needs more alignment than a slab gives");                  \
		slab_init(&typed->slab, sizeof(type), chunk_size, backing);                       \
	}                                                                                     \
	static inline void prefix##_slab_destroy(struct prefix##_slab *typed)                 \
	{                                                                                     \
		slab_destroy(&typed->slab);                                                       \
	}                                                                                     \
	__attribute__((warn_unused_result)) static inline struct prefix##_slab_alloc_ret      \
	    prefix##_slab_alloc(struct prefix##_slab *typed)                                  \
	{                                                                                     \
		struct allocator_alloc_ret ret = slab_alloc(&typed->slab);                        \
		return (struct prefix##_slab_alloc_ret){ ret.result, (type *)ret.ptr };           \
	}                                                                                     \
	static inline void prefix##_slab_free(struct prefix##_slab *typed, type *object)      \
	{                                                                                     \
		slab_free(&typed->slab, object);                                                  \
	}

#endif /* _BASE_SLAB_H_ */
