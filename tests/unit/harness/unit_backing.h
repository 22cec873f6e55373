/* SPDX-License-Identifier: MIT */
/**
 * \brief a backing allocator for unit tests: chunks from malloc, counted,
 *        refused past a limit
 *
 * For the tests of what builds on a struct allocator (slab, allocator_avl,
 * packet stream, synced allocator). Chunks are 16-byte aligned and filled
 * with garbage (0xa5): what they back must not rely on zeroed memory.
 * Not thread-safe: the caller serializes.
 */

#ifndef _UNIT_BACKING_H_
#define _UNIT_BACKING_H_

#include <base/allocator.h>

struct unit_backing
{
	struct allocator allocator; /* hand out &allocator */
	size_t allocs;              /* chunks given out */
	size_t frees;               /* chunks given back */
	size_t outstanding;         /* chunks given out and not back */
	size_t bytes;               /* their bytes: what allocator_consumed() says */
	size_t limit;               /* outstanding chunks allowed; past it, `refusal` */
	enum allocator_result refusal;
};

/**
 * Set up `b` with nothing outstanding, no limit and ALLOCATOR_OUT_OF_MEMORY
 * as the refusal (change `limit` and `refusal` afterwards as a case needs).
 * A chunk that malloc cannot give, or a free with nothing outstanding,
 * fails the case.
 */
void unit_backing_init(struct unit_backing *b);

#endif /* _UNIT_BACKING_H_ */
