/* SPDX-License-Identifier: MIT */
/** \brief best-fit range allocator: blocks in an address tree, free blocks in a size tree */

#include <base/allocator_avl.h>
#include <base/panic.h>

/*
 * Invariants:
 * - the blocks of `blocks` do not overlap and lie inside the managed ranges;
 *   the managed ranges are exactly the union of the blocks;
 * - a block is in `free_by_size` if and only if it is free;
 * - no two free blocks are adjacent (free neighbours are merged at once), so
 *   a free range is always exactly one block;
 * - available == sum of free sizes, used == sum of allocated sizes.
 * Every operation first finds what it will change and gets the descriptors
 * it needs, and only then changes anything: a failure leaves no trace.
 */

struct block
{
	struct avl_node address_node; /* in allocator_avl.blocks */
	struct avl_node size_node;    /* in allocator_avl.free_by_size while free */
	uintptr_t base;
	size_t size;
	bool used;
};

/* key of the size tree: blocks order by size, then by base */
struct size_key
{
	size_t size;
	uintptr_t base;
};

static struct block *block_of_address_node(struct avl_node const *node)
{
	return AVL_CONTAINER(node, struct block, address_node);
}

static struct block *block_of_size_node(struct avl_node const *node)
{
	return AVL_CONTAINER(node, struct block, size_node);
}

static int compare_unsigned(uintptr_t a, uintptr_t b) { return a < b ? -1 : a > b; }

static int address_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	return compare_unsigned(block_of_address_node(a)->base, block_of_address_node(b)->base);
}

static int address_key_compare(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	return compare_unsigned(*(uintptr_t const *)key, block_of_address_node(node)->base);
}

static int size_key_compare(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	struct size_key const *k = key;
	struct block const *b = block_of_size_node(node);
	int order = compare_unsigned(k->size, b->size);
	return order ? order : compare_unsigned(k->base, b->base);
}

static int size_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	struct block const *block = block_of_size_node(a);
	struct size_key key = { block->size, block->base };
	return size_key_compare(&key, b, context);
}

/* the last byte of [base, base + size): no overflow for a range that ends at the top */
static uintptr_t last_byte(uintptr_t base, size_t size) { return base + (size - 1); }

static bool range_valid(uintptr_t base, size_t size)
{
	return size > 0 && size - 1 <= UINTPTR_MAX - base;
}

/* the block that contains `addr`, NULL if none */
static struct block *block_containing(struct allocator_avl const *a, uintptr_t addr)
{
	struct block *b =
	    block_of_address_node(avl_tree_floor(&a->blocks, &addr, address_key_compare));
	return b && addr - b->base < b->size ? b : NULL;
}

/* --- tree maintenance --------------------------------------------------------------- */

static void insert_address(struct allocator_avl *a, struct block *b)
{
	enum avl_insert_result r = avl_tree_insert(&a->blocks, &b->address_node);
	ASSERT(r == AVL_INSERT_OK);
}

static void insert_size(struct allocator_avl *a, struct block *b)
{
	enum avl_insert_result r = avl_tree_insert(&a->free_by_size, &b->size_node);
	ASSERT(r == AVL_INSERT_OK);
}

static void release_descriptor(struct allocator_avl *a, struct block *b)
{
	slab_free(&a->metadata, b);
}

/*
 * Descriptors for an operation, all or none. The slab takes a new chunk for
 * the first of them at most: the second comes from the same chunk (the slab
 * holds at least two per chunk, checked at init), so freeing the first after
 * the second failed does not release a chunk either.
 */
static enum allocator_result get_descriptors(struct allocator_avl *a, struct block **out,
                                             unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct allocator_alloc_ret r = slab_alloc(&a->metadata);
		if (r.result != ALLOCATOR_OK) {
			while (i-- > 0) release_descriptor(a, out[i]);
			return r.result;
		}
		out[i] = r.ptr;
	}
	return ALLOCATOR_OK;
}

/*
 * Mark `b` (in the address tree, not in the size tree) free and merge it with
 * free neighbours; the merged block goes into the size tree.
 */
static void make_free(struct allocator_avl *a, struct block *b)
{
	b->used = false;

	struct block *prev = block_of_address_node(avl_node_prev(&b->address_node));
	if (prev && !prev->used && prev->base + prev->size == b->base) {
		avl_tree_remove(&a->free_by_size, &prev->size_node);
		prev->size += b->size;
		avl_tree_remove(&a->blocks, &b->address_node);
		release_descriptor(a, b);
		b = prev;
	}
	struct block *next = block_of_address_node(avl_node_next(&b->address_node));
	if (next && !next->used && b->base + b->size == next->base) {
		avl_tree_remove(&a->free_by_size, &next->size_node);
		b->size += next->size;
		avl_tree_remove(&a->blocks, &next->address_node);
		release_descriptor(a, next);
	}
	insert_size(a, b);
}

/* --- allocation ------------------------------------------------------------------- */

/* an internal allocation result that keeps the metadata allocator's reason */
struct carve_ret
{
	enum range_allocator_alloc_result result;
	enum allocator_result metadata_result;
	uintptr_t addr;
};

/*
 * Allocate [start, start + size) out of the free block `b`, which contains
 * it. The pieces before and after stay free; `b` becomes the allocated piece.
 */
static struct carve_ret carve(struct allocator_avl *a, struct block *b, uintptr_t start,
                              size_t size)
{
	size_t head = start - b->base;
	size_t tail = b->size - head - size;
	struct block *pieces[2];
	unsigned needed = (head > 0) + (tail > 0);

	enum allocator_result r = get_descriptors(a, pieces, needed);
	if (r != ALLOCATOR_OK)
		return (struct carve_ret){ RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA, r, 0 };

	avl_tree_remove(&a->free_by_size, &b->size_node);
	uintptr_t old_base = b->base;
	/* moving the base inside the block keeps its place in the address order */
	b->base = start;
	b->size = size;
	b->used = true;

	unsigned next_piece = 0;
	if (head) {
		struct block *h = pieces[next_piece++];
		*h = (struct block){ .base = old_base, .size = head, .used = false };
		insert_address(a, h);
		insert_size(a, h);
	}
	if (tail) {
		struct block *t = pieces[next_piece++];
		*t = (struct block){ .base = start + size, .size = tail, .used = false };
		insert_address(a, t);
		insert_size(a, t);
	}
	a->available -= size;
	a->used += size;
	return (struct carve_ret){ RANGE_ALLOCATOR_ALLOC_OK, ALLOCATOR_OK, start };
}

/* whether `size` bytes at alignment `align` fit into `b`; the start if so */
static bool fits(struct block const *b, size_t size, uintptr_t align, uintptr_t *start)
{
	if (b->base > UINTPTR_MAX - (align - 1)) return false;
	uintptr_t aligned = (b->base + (align - 1)) & ~(align - 1);
	size_t head = aligned - b->base;
	if (head >= b->size || b->size - head < size) return false;
	*start = aligned;
	return true;
}

/* the best-fitting free block for `size` at `align`, see the header for the search */
static struct block *find_fit(struct allocator_avl const *a, size_t size, uintptr_t align,
                              uintptr_t *start)
{
	struct size_key key = { size, 0 };
	struct avl_node *node = avl_tree_lower_bound(&a->free_by_size, &key, size_key_compare);

	/* a block of at least `sure` bytes fits at any alignment */
	bool has_sure = size <= SIZE_MAX - (align - 1);
	size_t sure = has_sure ? size + (align - 1) : 0;

	for (unsigned tried = 0; node && tried < ALLOCATOR_AVL_FIT_SCAN; tried++) {
		struct block *b = block_of_size_node(node);
		if (fits(b, size, align, start)) return b;
		node = avl_node_next(node);
	}
	if (!node) return NULL;

	if (has_sure) {
		struct size_key sure_key = { sure, 0 };
		struct avl_node *sure_node =
		    avl_tree_lower_bound(&a->free_by_size, &sure_key, size_key_compare);
		if (sure_node) {
			struct block *b = block_of_size_node(sure_node);
			bool ok = fits(b, size, align, start);
			ASSERT(ok);
			return b;
		}
	}
	/* no block is sure to fit: try the rest (rare: large alignments, fragmentation) */
	for (; node; node = avl_node_next(node)) {
		struct block *b = block_of_size_node(node);
		if (fits(b, size, align, start)) return b;
	}
	return NULL;
}

static struct carve_ret alloc_aligned(struct allocator_avl *a, size_t size, unsigned align_log2)
{
	if (size == 0 || align_log2 >= sizeof(uintptr_t) * 8)
		return (struct carve_ret){ RANGE_ALLOCATOR_ALLOC_INVALID, ALLOCATOR_OK, 0 };

	uintptr_t start = 0;
	struct block *b = find_fit(a, size, (uintptr_t)1 << align_log2, &start);
	if (!b) return (struct carve_ret){ RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE, ALLOCATOR_OK, 0 };
	return carve(a, b, start, size);
}

/* --- public ----------------------------------------------------------------------- */

struct range_allocator_alloc_ret allocator_avl_alloc_aligned(struct allocator_avl *allocator,
                                                             size_t size, unsigned align_log2)
{
	struct carve_ret r = alloc_aligned(allocator, size, align_log2);
	return (struct range_allocator_alloc_ret){ r.result, r.addr };
}

struct range_allocator_alloc_ret allocator_avl_alloc_addr(struct allocator_avl *allocator,
                                                          size_t size, uintptr_t addr)
{
	if (!range_valid(addr, size))
		return (struct range_allocator_alloc_ret){ RANGE_ALLOCATOR_ALLOC_INVALID, 0 };

	struct block *b = block_containing(allocator, addr);
	if (!b || b->used || b->size - (addr - b->base) < size)
		return (struct range_allocator_alloc_ret){ RANGE_ALLOCATOR_ALLOC_CONFLICT, 0 };

	struct carve_ret r = carve(allocator, b, addr, size);
	return (struct range_allocator_alloc_ret){ r.result, r.addr };
}

enum range_allocator_free_result allocator_avl_free(struct allocator_avl *allocator,
                                                    uintptr_t addr)
{
	struct block *b =
	    block_of_address_node(avl_tree_find(&allocator->blocks, &addr, address_key_compare));
	if (!b || !b->used) return RANGE_ALLOCATOR_FREE_NOT_ALLOCATED;

	allocator->available += b->size;
	allocator->used -= b->size;
	make_free(allocator, b);
	return RANGE_ALLOCATOR_FREE_OK;
}

enum range_allocator_add_result allocator_avl_add_range(struct allocator_avl *allocator,
                                                        uintptr_t base, size_t size)
{
	if (!range_valid(base, size)) return RANGE_ALLOCATOR_ADD_INVALID;

	/* the first block at or after `base` must start after the range... */
	struct block *after = block_of_address_node(
	    avl_tree_lower_bound(&allocator->blocks, &base, address_key_compare));
	if (after && after->base <= last_byte(base, size)) return RANGE_ALLOCATOR_ADD_OVERLAP;
	/* ...and the one before must end before it */
	struct block *before = after ? block_of_address_node(avl_node_prev(&after->address_node))
	                             : block_of_address_node(avl_tree_last(&allocator->blocks));
	if (before && last_byte(before->base, before->size) >= base)
		return RANGE_ALLOCATOR_ADD_OVERLAP;

	struct block *b;
	if (get_descriptors(allocator, &b, 1) != ALLOCATOR_OK)
		return RANGE_ALLOCATOR_ADD_OUT_OF_METADATA;
	*b = (struct block){ .base = base, .size = size, .used = true };
	insert_address(allocator, b);
	allocator->available += size;
	make_free(allocator, b);
	return RANGE_ALLOCATOR_ADD_OK;
}

enum range_allocator_remove_result allocator_avl_remove_range(struct allocator_avl *allocator,
                                                              uintptr_t base, size_t size)
{
	if (!range_valid(base, size)) return RANGE_ALLOCATOR_REMOVE_INVALID;

	struct block *b = block_containing(allocator, base);
	if (!b || b->used || b->size - (base - b->base) < size)
		return RANGE_ALLOCATOR_REMOVE_NOT_FREE;

	size_t head = base - b->base;
	size_t tail = b->size - head - size;
	struct block *t = NULL;
	if (head && tail && get_descriptors(allocator, &t, 1) != ALLOCATOR_OK)
		return RANGE_ALLOCATOR_REMOVE_OUT_OF_METADATA;

	avl_tree_remove(&allocator->free_by_size, &b->size_node);
	if (!head && !tail) {
		avl_tree_remove(&allocator->blocks, &b->address_node);
		release_descriptor(allocator, b);
	} else if (!tail) {
		b->size = head;
		insert_size(allocator, b);
	} else if (!head) {
		b->base = base + size;
		b->size = tail;
		insert_size(allocator, b);
	} else {
		b->size = head;
		insert_size(allocator, b);
		*t = (struct block){ .base = base + size, .size = tail, .used = false };
		insert_address(allocator, t);
		insert_size(allocator, t);
	}
	allocator->available -= size;
	return RANGE_ALLOCATOR_REMOVE_OK;
}

struct range_allocator_lookup_ret allocator_avl_lookup(struct allocator_avl const *allocator,
                                                       uintptr_t addr)
{
	struct block const *b = block_containing(allocator, addr);
	if (!b)
		return (struct range_allocator_lookup_ret){ RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, 0, 0 };
	return (struct range_allocator_lookup_ret){ b->used ? RANGE_ALLOCATOR_LOOKUP_OK
		                                                : RANGE_ALLOCATOR_LOOKUP_FREE,
		                                        b->base, b->size };
}

void allocator_avl_for_each_block(struct allocator_avl const *allocator,
                                  void (*visit)(void *context, uintptr_t base, size_t size,
                                                bool used),
                                  void *context)
{
	struct avl_node *node;
	AVL_TREE_FOR_EACH(node, &allocator->blocks)
	{
		struct block const *b = block_of_address_node(node);
		visit(context, b->base, b->size, b->used);
	}
}

bool allocator_avl_check(struct allocator_avl const *allocator)
{
	if (avl_tree_check(&allocator->blocks) != AVL_CHECK_OK) return false;
	if (avl_tree_check(&allocator->free_by_size) != AVL_CHECK_OK) return false;

	size_t available = 0, used = 0, free_blocks = 0;
	struct block const *prev = NULL;
	struct avl_node *node;
	AVL_TREE_FOR_EACH(node, &allocator->blocks)
	{
		struct block const *b = block_of_address_node(node);
		if (!range_valid(b->base, b->size)) return false;
		if (prev && last_byte(prev->base, prev->size) >= b->base) return false;
		bool adjacent = prev && last_byte(prev->base, prev->size) + 1 == b->base;
		if (adjacent && !prev->used && !b->used) return false;
		if (b->used) {
			used += b->size;
		} else {
			/* a free block is in the size tree (its key finds exactly it) */
			struct size_key key = { b->size, b->base };
			if (avl_tree_find(&allocator->free_by_size, &key, size_key_compare) !=
			    &b->size_node)
				return false;
			available += b->size;
			free_blocks++;
		}
		prev = b;
	}
	return available == allocator->available && used == allocator->used &&
	       free_blocks == avl_tree_count(&allocator->free_by_size);
}

/* --- the interfaces ------------------------------------------------------------------ */

static enum range_allocator_add_result range_add(void *state, uintptr_t base, size_t size)
{
	return allocator_avl_add_range(state, base, size);
}

static enum range_allocator_remove_result range_remove(void *state, uintptr_t base, size_t size)
{
	return allocator_avl_remove_range(state, base, size);
}

static struct range_allocator_alloc_ret range_alloc_aligned(void *state, size_t size,
                                                            unsigned align_log2)
{
	return allocator_avl_alloc_aligned(state, size, align_log2);
}

static struct range_allocator_alloc_ret range_alloc_addr(void *state, size_t size,
                                                         uintptr_t addr)
{
	return allocator_avl_alloc_addr(state, size, addr);
}

static enum range_allocator_free_result range_free(void *state, uintptr_t addr)
{
	return allocator_avl_free(state, addr);
}

static size_t range_available(void *state) { return allocator_avl_available(state); }

static struct range_allocator_lookup_ret range_lookup(void *state, uintptr_t addr)
{
	return allocator_avl_lookup(state, addr);
}

static struct range_allocator_ops const range_ops = {
	.add_range = range_add,
	.remove_range = range_remove,
	.alloc_aligned = range_alloc_aligned,
	.alloc_addr = range_alloc_addr,
	.free = range_free,
	.available = range_available,
	.lookup = range_lookup,
};

static unsigned log2_of(size_t power_of_two)
{
	unsigned log2 = 0;
	while (((size_t)1 << log2) < power_of_two) log2++;
	return log2;
}

static struct allocator_alloc_ret heap_alloc(void *state, size_t size)
{
	struct carve_ret r = alloc_aligned(state, size, log2_of(ALLOCATOR_AVL_ALLOC_ALIGN));
	switch (r.result) {
	case RANGE_ALLOCATOR_ALLOC_OK:
		return (struct allocator_alloc_ret){ ALLOCATOR_OK, (void *)r.addr };
	case RANGE_ALLOCATOR_ALLOC_INVALID:
		return (struct allocator_alloc_ret){ ALLOCATOR_INVALID_SIZE, NULL };
	case RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA:
		return (struct allocator_alloc_ret){ r.metadata_result, NULL };
	default:
		return (struct allocator_alloc_ret){ ALLOCATOR_OUT_OF_MEMORY, NULL };
	}
}

static void heap_free(void *state, void *ptr, size_t size)
{
	struct allocator_avl *a = state;
	uintptr_t addr = (uintptr_t)ptr;
	struct block *b =
	    block_of_address_node(avl_tree_find(&a->blocks, &addr, address_key_compare));
	if (!b || !b->used || size > b->size)
		panic("allocator_avl: free of %p (%zu bytes), which is not an allocated block", ptr,
		      size);
	enum range_allocator_free_result r = allocator_avl_free(a, addr);
	ASSERT(r == RANGE_ALLOCATOR_FREE_OK);
}

static size_t heap_consumed(void *state) { return allocator_avl_used(state); }

static size_t heap_overhead(void *state, size_t size)
{
	(void)state;
	(void)size;
	return sizeof(struct block);
}

static struct allocator_ops const heap_ops = {
	.alloc = heap_alloc,
	.free = heap_free,
	.consumed = heap_consumed,
	.overhead = heap_overhead,
};

void allocator_avl_init(struct allocator_avl *allocator, struct allocator *metadata_backing)
{
	avl_tree_init(&allocator->blocks, address_compare, NULL);
	avl_tree_init(&allocator->free_by_size, size_compare, NULL);
	slab_init(&allocator->metadata, sizeof(struct block), ALLOCATOR_AVL_METADATA_CHUNK,
	          metadata_backing);
	/* get_descriptors relies on two descriptors per chunk */
	ASSERT(allocator->metadata.blocks_per_chunk >= 2);
	allocator->available = 0;
	allocator->used = 0;
	allocator_init(&allocator->allocator, &heap_ops, allocator);
	range_allocator_init(&allocator->range_allocator, &range_ops, allocator);
}

void allocator_avl_destroy(struct allocator_avl *allocator)
{
	slab_destroy(&allocator->metadata);
	avl_tree_init(&allocator->blocks, address_compare, NULL);
	avl_tree_init(&allocator->free_by_size, size_compare, NULL);
	allocator->available = 0;
	allocator->used = 0;
}
