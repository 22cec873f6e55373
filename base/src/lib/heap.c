/* SPDX-License-Identifier: MIT */
/** \brief the component heap: an allocator_avl over growing chunks, large blocks apart */

#include <base/heap.h>
#include <base/panic.h>

/*
 * Layout:
 * - a chunk of small blocks is [struct heap_chunk][first page?][range of avl]:
 *   the header links the chunk into heap.chunks; only the very first chunk
 *   carries `first_page`, the metadata page that makes the first
 *   descriptors; the rest is a range of heap.avl.
 * - a chunk of a large block is [struct heap_large][block]; the header is in
 *   heap.large by address.
 * - a metadata chunk is [struct heap_metadata_chunk][page 0][page 1]...; the
 *   header is in heap.metadata_chunks by address and has a bit per page.
 *
 * The avl's metadata allocator (the descriptor slab's backing) never calls
 * back into the avl: it hands out the first page or a page of a metadata
 * chunk, and takes a new metadata chunk from the backing when all are in
 * use. When it is refused, it remembers why (heap.metadata_result), the avl
 * fails with _OUT_OF_METADATA and changes nothing, and the heap reports the
 * backing's reason to its client.
 */

enum { ALIGN_LOG2 = 4 }; /* of HEAP_ALIGNMENT */

_Static_assert(HEAP_ALIGNMENT == 1 << ALIGN_LOG2, "ALIGN_LOG2 does not match");
_Static_assert((int)HEAP_ALIGNMENT == (int)ALLOCATOR_AVL_ALLOC_ALIGN,
               "avl blocks are heap blocks");
_Static_assert(HEAP_CHUNK_MIN > HEAP_METADATA_PAGE, "the first chunk must hold its page");
_Static_assert(HEAP_METADATA_CHUNK_PAGES_MAX <= 64, "the page bits are one word");

struct heap_chunk
{
	struct heap_chunk *next;
	size_t size;
};

struct heap_large
{
	struct avl_node node; /* in heap.large */
	size_t chunk_size;    /* as the backing returned it */
	size_t size;          /* of the block, as asked for */
};

struct heap_metadata_chunk
{
	struct avl_node node; /* in heap.metadata_chunks */
	size_t chunk_size;    /* as the backing returned it */
	size_t pages;
	uint64_t in_use; /* bit i: page i is in use */
};

static size_t align_up(size_t value, size_t align)
{
	return (value + align - 1) & ~(align - 1);
}

enum {
	CHUNK_HEADER = (sizeof(struct heap_chunk) + HEAP_ALIGNMENT - 1) & ~(HEAP_ALIGNMENT - 1),
	LARGE_HEADER = (sizeof(struct heap_large) + HEAP_ALIGNMENT - 1) & ~(HEAP_ALIGNMENT - 1),
	METADATA_HEADER =
	    (sizeof(struct heap_metadata_chunk) + HEAP_ALIGNMENT - 1) & ~(HEAP_ALIGNMENT - 1),
};

/* trees of chunk headers by address: the node is the first member of each header */
static int address_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
	return x < y ? -1 : x > y;
}

static int address_key_compare(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	uintptr_t x = *(uintptr_t const *)key, y = (uintptr_t)node;
	return x < y ? -1 : x > y;
}

static struct heap_backing_alloc_ret backing_alloc(struct heap *h, size_t size);
static void backing_free(struct heap *h, void *addr, size_t size);

/* --- the metadata pages ----------------------------------------------------------- */

static char *metadata_page(struct heap_metadata_chunk *chunk, size_t index)
{
	return (char *)chunk + METADATA_HEADER + index * HEAP_METADATA_PAGE;
}

static struct heap_metadata_chunk *metadata_chunk_add(struct heap *h)
{
	size_t pages = h->next_metadata_pages;
	struct heap_backing_alloc_ret r =
	    backing_alloc(h, METADATA_HEADER + pages * HEAP_METADATA_PAGE);
	if (r.result != ALLOCATOR_OK) {
		h->metadata_result = r.result;
		return NULL;
	}
	struct heap_metadata_chunk *chunk = r.addr;
	chunk->chunk_size = r.size;
	/* a backing that rounds up may give room for more pages */
	pages = (r.size - METADATA_HEADER) / HEAP_METADATA_PAGE;
	chunk->pages =
	    pages < HEAP_METADATA_CHUNK_PAGES_MAX ? pages : HEAP_METADATA_CHUNK_PAGES_MAX;
	chunk->in_use = 0;
	enum avl_insert_result inserted = avl_tree_insert(&h->metadata_chunks, &chunk->node);
	ASSERT(inserted == AVL_INSERT_OK);
	if (h->next_metadata_pages < HEAP_METADATA_CHUNK_PAGES_MAX) h->next_metadata_pages *= 2;
	return chunk;
}

static uint64_t all_pages(struct heap_metadata_chunk const *chunk)
{
	return chunk->pages == 64 ? ~(uint64_t)0 : ((uint64_t)1 << chunk->pages) - 1;
}

/* the avl's metadata backing: a page, never by a call into the avl */
static struct allocator_alloc_ret metadata_alloc(void *state, size_t size)
{
	struct heap *h = state;
	ASSERT(size == HEAP_METADATA_PAGE);
	if (h->first_page && !h->first_page_used) {
		h->first_page_used = true;
		return (struct allocator_alloc_ret){ ALLOCATOR_OK, h->first_page };
	}
	/* O(metadata chunks): a page is needed once per slab chunk of descriptors */
	struct avl_node *node;
	struct heap_metadata_chunk *chunk = NULL;
	AVL_TREE_FOR_EACH(node, &h->metadata_chunks)
	{
		struct heap_metadata_chunk *c = AVL_CONTAINER(node, struct heap_metadata_chunk, node);
		if (c->in_use != all_pages(c)) {
			chunk = c;
			break;
		}
	}
	if (!chunk) chunk = metadata_chunk_add(h);
	if (!chunk) return (struct allocator_alloc_ret){ h->metadata_result, NULL };

	size_t index = (size_t)__builtin_ctzll(~chunk->in_use);
	chunk->in_use |= (uint64_t)1 << index;
	return (struct allocator_alloc_ret){ ALLOCATOR_OK, metadata_page(chunk, index) };
}

/* a metadata chunk goes back to the backing as soon as none of its pages is in use */
static void metadata_free(void *state, void *ptr, size_t size)
{
	struct heap *h = state;
	ASSERT(size == HEAP_METADATA_PAGE);
	if (ptr == h->first_page) {
		ASSERT(h->first_page_used);
		h->first_page_used = false;
		return;
	}
	uintptr_t addr = (uintptr_t)ptr;
	struct heap_metadata_chunk *chunk =
	    AVL_CONTAINER(avl_tree_floor(&h->metadata_chunks, &addr, address_key_compare),
	                  struct heap_metadata_chunk, node);
	ASSERT(chunk && addr >= (uintptr_t)metadata_page(chunk, 0));
	size_t index = (addr - (uintptr_t)metadata_page(chunk, 0)) / HEAP_METADATA_PAGE;
	ASSERT(index < chunk->pages && (char *)ptr == metadata_page(chunk, index));
	ASSERT(chunk->in_use & ((uint64_t)1 << index));
	chunk->in_use &= ~((uint64_t)1 << index);
	if (chunk->in_use) return;
	avl_tree_remove(&h->metadata_chunks, &chunk->node);
	backing_free(h, chunk, chunk->chunk_size);
}

static size_t metadata_consumed(void *state)
{
	struct heap *h = state;
	return slab_chunk_count(&h->avl.metadata) * HEAP_METADATA_PAGE;
}

static size_t metadata_overhead(void *state, size_t size)
{
	(void)state;
	(void)size;
	return 0;
}

static struct allocator_ops const metadata_ops = {
	.alloc = metadata_alloc,
	.free = metadata_free,
	.consumed = metadata_consumed,
	.overhead = metadata_overhead,
};

/* --- chunks from the backing ------------------------------------------------------ */

static bool quota_allows(struct heap const *h, size_t size)
{
	return h->consumed <= h->quota_limit && size <= h->quota_limit - h->consumed;
}

/* a chunk of at least `size` bytes from the backing, within the quota */
static struct heap_backing_alloc_ret backing_alloc(struct heap *h, size_t size)
{
	if (!quota_allows(h, size))
		return (struct heap_backing_alloc_ret){ ALLOCATOR_OUT_OF_QUOTA, NULL, 0 };
	struct heap_backing_alloc_ret r = h->backing->alloc(h->backing_state, size);
	if (r.result != ALLOCATOR_OK) return r;
	if ((uintptr_t)r.addr % HEAP_ALIGNMENT || r.size < size)
		panic("heap: backing returned %zu bytes at %p for %zu (misaligned or short)", r.size,
		      r.addr, size);
	h->consumed += r.size;
	h->chunk_count++;
	return r;
}

static void backing_free(struct heap *h, void *addr, size_t size)
{
	h->consumed -= size;
	h->chunk_count--;
	h->backing->free(h->backing_state, addr, size);
}

/*
 * Add a chunk of small blocks that has room for a block of `size` bytes. The
 * preferred size is the growing chunk size; when that is refused, the
 * smallest chunk that fits is tried. The very first chunk carries the first
 * metadata page in front of its range.
 */
static enum allocator_result grow(struct heap *h, size_t size)
{
	size_t needed = CHUNK_HEADER + align_up(size, HEAP_ALIGNMENT);
	if (!h->first_page) needed += HEAP_METADATA_PAGE;
	size_t preferred = h->next_chunk_size > needed ? h->next_chunk_size : needed;

	struct heap_backing_alloc_ret r = backing_alloc(h, preferred);
	bool grown = r.result == ALLOCATOR_OK;
	if (!grown && preferred > needed) r = backing_alloc(h, needed);
	if (r.result != ALLOCATOR_OK) return r.result;

	struct heap_chunk *chunk = r.addr;
	uintptr_t base = (uintptr_t)chunk + CHUNK_HEADER;
	bool first = !h->first_page;
	if (first) {
		h->first_page = (void *)base;
		h->first_page_used = false;
		base += HEAP_METADATA_PAGE;
	}
	h->metadata_result = ALLOCATOR_OK;
	enum range_allocator_add_result added =
	    allocator_avl_add_range(&h->avl, base, (uintptr_t)chunk + r.size - base);
	if (added != RANGE_ALLOCATOR_ADD_OK) {
		/* only a descriptor can be missing: the range is new */
		ASSERT(added == RANGE_ALLOCATOR_ADD_OUT_OF_METADATA);
		if (first) h->first_page = NULL;
		backing_free(h, chunk, r.size);
		return h->metadata_result;
	}
	chunk->size = r.size;
	chunk->next = h->chunks;
	h->chunks = chunk;
	/* the growth advances only with a chunk of the preferred size */
	if (grown && preferred == h->next_chunk_size && h->next_chunk_size < HEAP_CHUNK_MAX)
		h->next_chunk_size *= 2;
	return ALLOCATOR_OK;
}

/* --- blocks ----------------------------------------------------------------------- */

static struct allocator_alloc_ret alloc_large(struct heap *h, size_t size)
{
	if (size > SIZE_MAX - LARGE_HEADER)
		return (struct allocator_alloc_ret){ ALLOCATOR_INVALID_SIZE, NULL };
	struct heap_backing_alloc_ret r = backing_alloc(h, LARGE_HEADER + size);
	if (r.result != ALLOCATOR_OK) return (struct allocator_alloc_ret){ r.result, NULL };

	struct heap_large *large = r.addr;
	large->chunk_size = r.size;
	large->size = size;
	enum avl_insert_result inserted = avl_tree_insert(&h->large, &large->node);
	ASSERT(inserted == AVL_INSERT_OK);
	h->used += size;
	return (struct allocator_alloc_ret){ ALLOCATOR_OK, (char *)large + LARGE_HEADER };
}

static void free_large(struct heap *h, void *ptr, size_t size)
{
	uintptr_t header = (uintptr_t)ptr - LARGE_HEADER;
	struct avl_node *node = (uintptr_t)ptr >= LARGE_HEADER
	                            ? avl_tree_find(&h->large, &header, address_key_compare)
	                            : NULL;
	struct heap_large *large = AVL_CONTAINER(node, struct heap_large, node);
	if (!large || large->size != size)
		panic("heap: free of %p (%zu bytes), which is not a large block", ptr, size);
	avl_tree_remove(&h->large, &large->node);
	h->used -= size;
	backing_free(h, large, large->chunk_size);
}

/* a block of the avl; a missing descriptor gives the backing's reason */
static struct allocator_alloc_ret avl_alloc(struct heap *h, size_t size, bool *out_of_space)
{
	h->metadata_result = ALLOCATOR_OK;
	struct range_allocator_alloc_ret r = allocator_avl_alloc_aligned(&h->avl, size, ALIGN_LOG2);
	*out_of_space = r.result == RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE;
	if (r.result == RANGE_ALLOCATOR_ALLOC_OK) {
		h->used += size;
		return (struct allocator_alloc_ret){ ALLOCATOR_OK, (void *)r.addr };
	}
	if (*out_of_space) return (struct allocator_alloc_ret){ ALLOCATOR_OUT_OF_MEMORY, NULL };
	ASSERT(r.result == RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA);
	ASSERT(h->metadata_result != ALLOCATOR_OK);
	return (struct allocator_alloc_ret){ h->metadata_result, NULL };
}

static struct allocator_alloc_ret alloc_small(struct heap *h, size_t size)
{
	bool out_of_space;
	struct allocator_alloc_ret r = avl_alloc(h, size, &out_of_space);
	if (!out_of_space) return r;

	enum allocator_result grown = grow(h, size);
	if (grown != ALLOCATOR_OK) return (struct allocator_alloc_ret){ grown, NULL };

	/* the new chunk has room for the block; only a descriptor may be missing */
	r = avl_alloc(h, size, &out_of_space);
	ASSERT(!out_of_space);
	return r;
}

struct allocator_alloc_ret heap_alloc(struct heap *heap, size_t size)
{
	if (size == 0) return (struct allocator_alloc_ret){ ALLOCATOR_INVALID_SIZE, NULL };
	if (size >= HEAP_LARGE_THRESHOLD) return alloc_large(heap, size);
	return alloc_small(heap, size);
}

void heap_free(struct heap *heap, void *ptr, size_t size)
{
	if (size >= HEAP_LARGE_THRESHOLD) {
		free_large(heap, ptr, size);
		return;
	}
	/* panics for a pointer that is not an allocated block */
	allocator_free(allocator_avl_allocator(&heap->avl), ptr, size);
	heap->used -= size;
}

enum heap_quota_result heap_quota_limit_set(struct heap *heap, size_t limit)
{
	if (limit < heap->consumed) return HEAP_QUOTA_BELOW_CONSUMED;
	heap->quota_limit = limit;
	return HEAP_QUOTA_OK;
}

/* --- the struct allocator view ------------------------------------------------------ */

static struct allocator_alloc_ret allocator_view_alloc(void *state, size_t size)
{
	return heap_alloc(state, size);
}

static void allocator_view_free(void *state, void *ptr, size_t size)
{
	heap_free(state, ptr, size);
}

static size_t allocator_view_consumed(void *state) { return heap_consumed(state); }

static size_t allocator_view_overhead(void *state, size_t size)
{
	struct heap *h = state;
	if (size >= HEAP_LARGE_THRESHOLD) return LARGE_HEADER;
	return allocator_overhead(allocator_avl_allocator(&h->avl), size) +
	       (align_up(size, HEAP_ALIGNMENT) - size);
}

static struct allocator_ops const allocator_view_ops = {
	.alloc = allocator_view_alloc,
	.free = allocator_view_free,
	.consumed = allocator_view_consumed,
	.overhead = allocator_view_overhead,
};

/* --- life cycle -------------------------------------------------------------------- */

static void reset(struct heap *h)
{
	h->chunks = NULL;
	avl_tree_init(&h->large, address_compare, NULL);
	avl_tree_init(&h->metadata_chunks, address_compare, NULL);
	h->first_page = NULL;
	h->first_page_used = false;
	h->metadata_result = ALLOCATOR_OK;
	h->next_chunk_size = HEAP_CHUNK_MIN;
	h->next_metadata_pages = HEAP_METADATA_CHUNK_PAGES_MIN;
	h->consumed = 0;
	h->chunk_count = 0;
	h->used = 0;
}

void heap_init(struct heap *heap, struct heap_backing_ops const *backing, void *backing_state)
{
	heap->backing = backing;
	heap->backing_state = backing_state;
	heap->quota_limit = SIZE_MAX;
	reset(heap);
	allocator_init(&heap->metadata, &metadata_ops, heap);
	allocator_avl_init(&heap->avl, &heap->metadata);
	allocator_init(&heap->allocator, &allocator_view_ops, heap);
}

void heap_destroy(struct heap *heap)
{
	/* the first descriptor page lies in a chunk: release the descriptors first
	   (this also gives every metadata chunk back) */
	allocator_avl_destroy(&heap->avl);
	ASSERT(avl_tree_empty(&heap->metadata_chunks));

	struct avl_node *node;
	while ((node = avl_tree_first(&heap->large))) {
		struct heap_large *large = AVL_CONTAINER(node, struct heap_large, node);
		avl_tree_remove(&heap->large, node);
		backing_free(heap, large, large->chunk_size);
	}
	while (heap->chunks) {
		struct heap_chunk *chunk = heap->chunks;
		heap->chunks = chunk->next;
		backing_free(heap, chunk, chunk->size);
	}
	ASSERT(heap->consumed == 0 && heap->chunk_count == 0);
	reset(heap);
}
