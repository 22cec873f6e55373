/* SPDX-License-Identifier: MIT */
/** \brief slab allocator: blocks of one size carved from chunks of a backing allocator */

#include <stdint.h>

#include <base/panic.h>
#include <base/slab.h>

/*
 * A chunk is laid out as
 *   [struct slab_chunk][in-use bitmap, one bit per block][pad][block 0][block 1]...
 * Free blocks of a chunk form a singly linked list through their first word.
 * The bitmap makes a double free an exact, O(1) check. Chunks are found from a
 * block by the address tree (floor lookup), which also rejects foreign pointers.
 */

struct slab_chunk
{
	struct avl_node node;    /* in slab.chunks, by address */
	struct slab_chunk *prev; /* in slab.partial while the chunk has a free block */
	struct slab_chunk *next;
	void *free_list;   /* first free block, NULL when full */
	size_t used;       /* blocks in use */
	uint64_t in_use[]; /* one bit per block */
};

enum { BITS_PER_WORD = 64 };

static size_t align_up(size_t value, size_t align)
{
	return (value + align - 1) & ~(align - 1);
}

static size_t bitmap_bytes(size_t blocks)
{
	return (blocks + BITS_PER_WORD - 1) / BITS_PER_WORD * sizeof(uint64_t);
}

static size_t first_block_offset(size_t blocks)
{
	return align_up(sizeof(struct slab_chunk) + bitmap_bytes(blocks), SLAB_ALIGNMENT);
}

static uintptr_t chunk_address(struct avl_node const *node)
{
	return (uintptr_t)AVL_CONTAINER(node, struct slab_chunk, node);
}

static int compare_address(uintptr_t a, uintptr_t b) { return a < b ? -1 : a > b; }

static int chunk_compare(struct avl_node const *a, struct avl_node const *b, void *context)
{
	(void)context;
	return compare_address(chunk_address(a), chunk_address(b));
}

static int chunk_key_compare(void const *key, struct avl_node const *node, void *context)
{
	(void)context;
	return compare_address(*(uintptr_t const *)key, chunk_address(node));
}

static char *chunk_block(struct slab const *slab, struct slab_chunk *chunk, size_t index)
{
	return (char *)chunk + slab->first_block_offset + index * slab->block_size;
}

/* --- the list of chunks with a free block ----------------------------------------- */

static void partial_unlink(struct slab *slab, struct slab_chunk *chunk)
{
	if (chunk->prev)
		chunk->prev->next = chunk->next;
	else
		slab->partial = chunk->next;
	if (chunk->next)
		chunk->next->prev = chunk->prev;
	else
		slab->partial_tail = chunk->prev;
	chunk->prev = chunk->next = NULL;
}

static void partial_push_front(struct slab *slab, struct slab_chunk *chunk)
{
	chunk->prev = NULL;
	chunk->next = slab->partial;
	if (slab->partial)
		slab->partial->prev = chunk;
	else
		slab->partial_tail = chunk;
	slab->partial = chunk;
}

/* entirely free chunks go last, so that partly used chunks fill up first */
static void partial_push_back(struct slab *slab, struct slab_chunk *chunk)
{
	chunk->next = NULL;
	chunk->prev = slab->partial_tail;
	if (slab->partial_tail)
		slab->partial_tail->next = chunk;
	else
		slab->partial = chunk;
	slab->partial_tail = chunk;
}

/* --- chunks ----------------------------------------------------------------------- */

static enum allocator_result slab_grow(struct slab *slab)
{
	struct allocator_alloc_ret ret = allocator_alloc(slab->backing, slab->chunk_size);
	if (ret.result != ALLOCATOR_OK) return ret.result;
	if ((uintptr_t)ret.ptr % SLAB_ALIGNMENT)
		panic("slab: backing allocator returned misaligned chunk %p", ret.ptr);

	struct slab_chunk *chunk = ret.ptr;
	chunk->used = 0;
	for (size_t i = 0; i < bitmap_bytes(slab->blocks_per_chunk) / sizeof(uint64_t); i++)
		chunk->in_use[i] = 0;

	/* thread the free list in address order */
	chunk->free_list = NULL;
	for (size_t i = slab->blocks_per_chunk; i-- > 0;) {
		void **block = (void **)chunk_block(slab, chunk, i);
		*block = chunk->free_list;
		chunk->free_list = block;
	}
	enum avl_insert_result inserted = avl_tree_insert(&slab->chunks, &chunk->node);
	if (inserted != AVL_INSERT_OK)
		panic("slab: backing allocator returned chunk %p twice", ret.ptr);
	partial_push_back(slab, chunk);
	slab->chunk_count++;
	slab->empty_chunks++;
	return ALLOCATOR_OK;
}

static void slab_release(struct slab *slab, struct slab_chunk *chunk)
{
	avl_tree_remove(&slab->chunks, &chunk->node);
	slab->chunk_count--;
	allocator_free(slab->backing, chunk, slab->chunk_size);
}

/* --- the slab as a struct allocator ------------------------------------------------ */

static struct allocator_alloc_ret slab_allocator_alloc(void *state, size_t size)
{
	struct slab *slab = state;
	if (size == 0 || size > slab->block_size)
		return (struct allocator_alloc_ret){ ALLOCATOR_INVALID_SIZE, NULL };
	return slab_alloc(slab);
}

static void slab_allocator_free(void *state, void *ptr, size_t size)
{
	struct slab *slab = state;
	ASSERT(size <= slab->block_size);
	slab_free(slab, ptr);
}

static size_t slab_allocator_consumed(void *state)
{
	struct slab *slab = state;
	return slab->chunk_count * slab->chunk_size;
}

static size_t slab_allocator_overhead(void *state, size_t size)
{
	struct slab *slab = state;
	size_t rest = size < slab->block_size ? slab->block_size - size : 0;
	size_t chunk_share = slab->chunk_size - slab->blocks_per_chunk * slab->block_size;
	return rest + (chunk_share + slab->blocks_per_chunk - 1) / slab->blocks_per_chunk;
}

static struct allocator_ops const slab_allocator_ops = {
	.alloc = slab_allocator_alloc,
	.free = slab_allocator_free,
	.consumed = slab_allocator_consumed,
	.overhead = slab_allocator_overhead,
};

/* --- public ----------------------------------------------------------------------- */

void slab_init(struct slab *slab, size_t block_size, size_t chunk_size,
               struct allocator *backing)
{
	ASSERT(backing);
	ASSERT(block_size > 0 && block_size <= chunk_size);
	block_size = align_up(block_size, SLAB_ALIGNMENT);

	/* as many blocks as fit beside their header and bitmap */
	size_t blocks = 0;
	if (chunk_size > sizeof(struct slab_chunk))
		blocks = (chunk_size - sizeof(struct slab_chunk)) / block_size;
	while (blocks > 0 && first_block_offset(blocks) + blocks * block_size > chunk_size)
		blocks--;
	if (blocks == 0)
		panic("slab_init: chunk of %zu bytes holds no block of %zu bytes", chunk_size,
		      block_size);

	slab->backing = backing;
	slab->block_size = block_size;
	slab->chunk_size = chunk_size;
	slab->blocks_per_chunk = blocks;
	slab->first_block_offset = first_block_offset(blocks);
	avl_tree_init(&slab->chunks, chunk_compare, NULL);
	slab->partial = slab->partial_tail = NULL;
	slab->chunk_count = 0;
	slab->empty_chunks = 0;
	slab->used_blocks = 0;
	allocator_init(&slab->allocator, &slab_allocator_ops, slab);
}

void slab_destroy(struct slab *slab)
{
	/* release from the bottom of the tree up: no walk through a released chunk */
	while (!avl_tree_empty(&slab->chunks)) {
		struct slab_chunk *chunk = AVL_CONTAINER(slab->chunks.root, struct slab_chunk, node);
		slab_release(slab, chunk);
	}
	slab->partial = slab->partial_tail = NULL;
	slab->empty_chunks = 0;
	slab->used_blocks = 0;
}

struct allocator_alloc_ret slab_alloc(struct slab *slab)
{
	if (!slab->partial) {
		enum allocator_result result = slab_grow(slab);
		if (result != ALLOCATOR_OK) return (struct allocator_alloc_ret){ result, NULL };
	}
	struct slab_chunk *chunk = slab->partial;
	void **block = chunk->free_list;
	ASSERT(block);
	chunk->free_list = *block;

	size_t index = (size_t)((char *)block - chunk_block(slab, chunk, 0)) / slab->block_size;
	chunk->in_use[index / BITS_PER_WORD] |= (uint64_t)1 << (index % BITS_PER_WORD);

	if (chunk->used++ == 0) slab->empty_chunks--;
	if (chunk->used == slab->blocks_per_chunk) partial_unlink(slab, chunk);
	slab->used_blocks++;
	return (struct allocator_alloc_ret){ ALLOCATOR_OK, block };
}

void slab_free(struct slab *slab, void *block)
{
	uintptr_t address = (uintptr_t)block;
	struct slab_chunk *chunk = AVL_CONTAINER(
	    avl_tree_floor(&slab->chunks, &address, chunk_key_compare), struct slab_chunk, node);
	uintptr_t first = chunk ? (uintptr_t)chunk_block(slab, chunk, 0) : 0;
	if (!chunk || address < first ||
	    address - first >= slab->blocks_per_chunk * slab->block_size ||
	    (address - first) % slab->block_size)
		panic("slab_free: %p is not a block of slab %p", block, (void *)slab);

	size_t index = (address - first) / slab->block_size;
	uint64_t bit = (uint64_t)1 << (index % BITS_PER_WORD);
	if (!(chunk->in_use[index / BITS_PER_WORD] & bit))
		panic("slab_free: double free of %p in slab %p", block, (void *)slab);
	chunk->in_use[index / BITS_PER_WORD] &= ~bit;

	*(void **)block = chunk->free_list;
	chunk->free_list = block;
	slab->used_blocks--;

	if (chunk->used-- == slab->blocks_per_chunk) partial_push_front(slab, chunk);
	if (chunk->used > 0) return;

	/* entirely free: keep it as the spare, or give it back if there is one */
	partial_unlink(slab, chunk);
	if (slab->empty_chunks > 0) {
		slab_release(slab, chunk);
	} else {
		slab->empty_chunks++;
		partial_push_back(slab, chunk);
	}
}
