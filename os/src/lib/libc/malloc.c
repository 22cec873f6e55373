/* SPDX-License-Identifier: MIT */
/**
 * \brief malloc and friends on the component's heap (env_heap)
 *
 * Every block comes from the env's heap, on RAM dataspaces paid from the
 * component's quota, behind the heap's lock (so from any thread). The heap
 * wants a block's size back at free, so each block starts with a header
 * that records what was taken from the heap. When the quota is spent,
 * malloc returns NULL with errno ENOMEM; nothing crashes.
 */

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <base/panic.h>

#include "libc_private.h"

/* in front of every block; keeps the heap's 16-byte alignment */
struct libc_block
{
	size_t size;   /* bytes taken from the heap */
	size_t offset; /* from the start of those bytes to the client's block */
};

_Static_assert(sizeof(struct libc_block) == HEAP_ALIGNMENT, "the header keeps the alignment");

static struct libc_block *libc_block_of(void *ptr) { return (struct libc_block *)ptr - 1; }

static size_t libc_block_usable(struct libc_block const *block)
{
	return block->size - block->offset;
}

/* a block of `size` bytes aligned to `align` (a power of two, at least HEAP_ALIGNMENT) */
static void *libc_alloc(struct _reent *r, size_t align, size_t size)
{
	size_t slack = align - HEAP_ALIGNMENT + sizeof(struct libc_block);
	if (size == 0) size = 1;
	if (size > SIZE_MAX - slack) {
		r->_errno = ENOMEM;
		return 0;
	}
	struct allocator_alloc_ret a = allocator_alloc(env_heap(libc_env()), size + slack);
	if (a.result != ALLOCATOR_OK) {
		r->_errno = ENOMEM;
		return 0;
	}
	uintptr_t start = (uintptr_t)a.ptr;
	uintptr_t ptr = (start + sizeof(struct libc_block) + align - 1) & ~(uintptr_t)(align - 1);
	struct libc_block *block = libc_block_of((void *)ptr);
	block->size = size + slack;
	block->offset = ptr - start;
	return (void *)ptr;
}

void *_malloc_r(struct _reent *r, size_t size) { return libc_alloc(r, HEAP_ALIGNMENT, size); }

void _free_r(struct _reent *r, void *ptr)
{
	(void)r;
	if (!ptr) return;
	struct libc_block *block = libc_block_of(ptr);
	ASSERT(block->offset >= sizeof(*block) && block->offset < block->size);
	allocator_free(env_heap(libc_env()), (char *)ptr - block->offset, block->size);
}

void *_calloc_r(struct _reent *r, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		r->_errno = ENOMEM;
		return 0;
	}
	void *ptr = _malloc_r(r, count * size);
	if (ptr) memset(ptr, 0, count * size);
	return ptr;
}

void *_realloc_r(struct _reent *r, void *old, size_t size)
{
	if (!old) return _malloc_r(r, size);
	if (size == 0) {
		_free_r(r, old);
		return 0;
	}
	size_t usable = libc_block_usable(libc_block_of(old));
	/* shrinking by less than half keeps the block */
	if (size <= usable && size >= usable / 2) return old;
	void *ptr = _malloc_r(r, size);
	if (!ptr) return 0; /* the old block stays valid */
	memcpy(ptr, old, size < usable ? size : usable);
	_free_r(r, old);
	return ptr;
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1)) != 0) {
		r->_errno = EINVAL;
		return 0;
	}
	return libc_alloc(r, align < HEAP_ALIGNMENT ? HEAP_ALIGNMENT : align, size);
}

size_t _malloc_usable_size_r(struct _reent *r, void *ptr)
{
	(void)r;
	return ptr ? libc_block_usable(libc_block_of(ptr)) : 0;
}

void *malloc(size_t size) { return _malloc_r(_REENT, size); }

void free(void *ptr) { _free_r(_REENT, ptr); }

void *calloc(size_t count, size_t size) { return _calloc_r(_REENT, count, size); }

void *realloc(void *old, size_t size) { return _realloc_r(_REENT, old, size); }

void *memalign(size_t align, size_t size) { return _memalign_r(_REENT, align, size); }

void *aligned_alloc(size_t align, size_t size) { return _memalign_r(_REENT, align, size); }

int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)) != 0) return EINVAL;
	void *ptr = _memalign_r(_REENT, align, size);
	if (!ptr) return ENOMEM;
	*out = ptr;
	return 0;
}

size_t malloc_usable_size(void *ptr) { return _malloc_usable_size_r(_REENT, ptr); }
