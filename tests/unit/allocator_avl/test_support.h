/* SPDX-License-Identifier: MIT */
/** \brief allocator_avl tests: set-up over the harness's backing allocator, a PRNG, snapshots
 */

#ifndef _TEST_SUPPORT_H_
#define _TEST_SUPPORT_H_

#include <stdlib.h>

#include <base/allocator_avl.h>

#include "unit_backing.h"
#include "unit_random.h"
#include "unit_test.h"

/* an allocator_avl over `b` */
void avl_setup(struct allocator_avl *a, struct unit_backing *b);

/* every block of an allocator_avl, in address order */
enum { SNAPSHOT_MAX = 4096 };

struct snapshot_block
{
	uintptr_t base;
	size_t size;
	bool used;
};

struct snapshot
{
	struct snapshot_block blocks[SNAPSHOT_MAX];
	unsigned count;
	size_t available, used, descriptors, chunks;
};

void snapshot_take(struct allocator_avl const *a, struct snapshot *s);
bool snapshot_equal(struct snapshot const *x, struct snapshot const *y);

uint64_t test_seed(uint64_t fallback);

#endif /* _TEST_SUPPORT_H_ */
