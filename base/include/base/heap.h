/* SPDX-License-Identifier: MIT */
/**
 * \brief the component heap: blocks of any size from chunks of a backing store
 *
 * A heap takes memory in chunks from a backing (in a component: a RAM
 * dataspace attached through the RM session; in a test: malloc) and hands
 * out blocks through the `struct allocator` interface (heap_allocator()).
 *
 * - Small blocks (below HEAP_LARGE_THRESHOLD bytes) come from an
 *   allocator_avl over the heap's chunks (best fit, free neighbours merged).
 *   Chunks grow: the first has HEAP_CHUNK_MIN bytes, each further one twice
 *   the previous up to HEAP_CHUNK_MAX (or more, when a block needs more).
 *   These chunks stay with the heap until heap_destroy.
 * - A large block (HEAP_LARGE_THRESHOLD bytes or more) gets a chunk of its
 *   own, which goes back to the backing as soon as the block is freed.
 * - The heap needs no other allocator: the block descriptors of the
 *   allocator_avl live in metadata pages (HEAP_METADATA_PAGE bytes each).
 *   The first page is cut off the first chunk, so a small heap takes a
 *   single chunk from the backing. Further pages come from metadata chunks
 *   of their own (HEAP_METADATA_CHUNK_PAGES_MIN pages, doubling up to
 *   HEAP_METADATA_CHUNK_PAGES_MAX), apart from the client blocks: they never
 *   fragment the free space, and a metadata chunk goes back to the backing
 *   as soon as none of its pages is in use.
 * - Every block is aligned to HEAP_ALIGNMENT bytes.
 * - A quota limit (heap_quota_limit_set) caps the bytes taken from the
 *   backing; without one the backing alone decides.
 * - A failure (backing exhausted, quota reached) is a result, never a crash,
 *   and changes nothing the client can see.
 *
 * No locking: wrap it (synced_allocator) or lock around it.
 */

#ifndef _BASE_HEAP_H_
#define _BASE_HEAP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/allocator.h>
#include <base/allocator_avl.h>
#include <util/avl.h>

enum {
	HEAP_ALIGNMENT = 16,              /* of every block */
	HEAP_CHUNK_MIN = 16 * 1024,       /* bytes of the first chunk */
	HEAP_CHUNK_MAX = 1024 * 1024,     /* chunks grow by doubling up to this */
	HEAP_LARGE_THRESHOLD = 64 * 1024, /* blocks this big get their own chunk */
	HEAP_METADATA_PAGE = ALLOCATOR_AVL_METADATA_CHUNK,
	HEAP_METADATA_CHUNK_PAGES_MIN = 4,
	HEAP_METADATA_CHUNK_PAGES_MAX = 16,
};

/** what a backing's alloc returns: `addr` and `size` are valid only with ALLOCATOR_OK */
struct heap_backing_alloc_ret
{
	enum allocator_result result;
	void *addr;  /* aligned to at least HEAP_ALIGNMENT */
	size_t size; /* at least the size asked for (a backing may round up) */
};

/**
 * Where a heap's chunks come from; `state` is the pointer given to heap_init.
 *
 * alloc(state, size): `size` bytes or more of fresh memory aligned to
 * HEAP_ALIGNMENT, or a result that says why not (ALLOCATOR_OUT_OF_MEMORY,
 * ALLOCATOR_OUT_OF_QUOTA; the heap passes it on to its client).
 * free(state, addr, size): takes back a chunk with the address and the size
 * that alloc returned.
 */
struct heap_backing_ops
{
	struct heap_backing_alloc_ret (*alloc)(void *state, size_t size);
	void (*free)(void *state, void *addr, size_t size);
};

struct heap_chunk; /* private to heap.c */
struct heap_large; /* private to heap.c */

struct heap
{
	struct heap_backing_ops const *backing;
	void *backing_state;
	struct allocator_avl avl;              /* the small blocks, over the chunks */
	struct allocator metadata;             /* gives avl its descriptor pages */
	struct heap_chunk *chunks;             /* the chunks of small blocks */
	struct avl_tree large;                 /* the chunks of large blocks, by address */
	struct avl_tree metadata_chunks;       /* by address */
	void *first_page;                      /* the metadata page cut off the first chunk */
	bool first_page_used;                  /* ... and in use by avl */
	enum allocator_result metadata_result; /* why the last metadata page was refused */
	size_t next_chunk_size;                /* of the next chunk of small blocks */
	size_t next_metadata_pages;            /* of the next metadata chunk */
	size_t consumed;                       /* bytes taken from the backing and held */
	size_t chunk_count;                    /* chunks held, of every kind */
	size_t used;                           /* bytes in client blocks, as asked for */
	size_t quota_limit;                    /* cap on `consumed`; SIZE_MAX: none */
	struct allocator allocator;
};

/**
 * Set up an empty heap. Takes nothing from the backing yet.
 *
 * \param backing        gives and takes chunks; must outlive the heap
 * \param backing_state  handed to every call of `backing`
 */
void heap_init(struct heap *heap, struct heap_backing_ops const *backing, void *backing_state);

/**
 * Give every chunk back to the backing. Every block of the heap is invalid
 * afterwards; the heap is empty and may be used (or initialized) again.
 */
void heap_destroy(struct heap *heap);

/**
 * Allocate `size` bytes aligned to HEAP_ALIGNMENT.
 *
 * \return  ALLOCATOR_OK with the block, owned by the caller until heap_free;
 *          ALLOCATOR_INVALID_SIZE for size 0 or a size that no chunk can
 *          hold; ALLOCATOR_OUT_OF_QUOTA when the quota limit does not allow
 *          the chunk that the block (or its metadata) needs; otherwise the
 *          backing's result (ALLOCATOR_OUT_OF_MEMORY, ...). A failure
 *          changes nothing a client can see (the heap may keep a chunk of
 *          small blocks that it added for the attempt).
 */
struct allocator_alloc_ret heap_alloc(struct heap *heap, size_t size)
    __attribute__((warn_unused_result));

/**
 * Give back a block. A large block's chunk goes back to the backing at once.
 *
 * \param ptr   from heap_alloc of this heap, not freed since
 * \param size  the size asked for at allocation; a pointer or size that does
 *              not name an allocated block panics
 */
void heap_free(struct heap *heap, void *ptr, size_t size);

/** results of heap_quota_limit_set */
enum heap_quota_result {
	HEAP_QUOTA_OK = 0,         /* the new limit holds from now on */
	HEAP_QUOTA_BELOW_CONSUMED, /* the heap holds more than `limit` already;
	                              nothing changed */
};

/**
 * Cap the bytes that the heap may take from the backing (chunk sizes as
 * asked; a backing that rounds up may make the heap hold slightly more).
 *
 * \param limit  SIZE_MAX: no limit (the state after heap_init)
 */
enum heap_quota_result heap_quota_limit_set(struct heap *heap, size_t limit)
    __attribute__((warn_unused_result));

/** Bytes taken from the backing and held now (chunk sizes as the backing returned them). */
static inline size_t heap_consumed(struct heap const *heap) { return heap->consumed; }

/** Chunks held now: of small blocks, of large blocks and of metadata. */
static inline size_t heap_chunk_count(struct heap const *heap) { return heap->chunk_count; }

/** Bytes in client blocks now, as asked for. */
static inline size_t heap_used(struct heap const *heap) { return heap->used; }

/**
 * The heap as a `struct allocator`: alloc is heap_alloc, free is heap_free,
 * consumed() is heap_consumed(), overhead(size) is the descriptor of a small
 * block or the chunk header of a large one. Valid as long as the heap is.
 */
static inline struct allocator *heap_allocator(struct heap *heap) { return &heap->allocator; }

#endif /* _BASE_HEAP_H_ */
