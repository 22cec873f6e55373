/* SPDX-License-Identifier: MIT */
/** \brief unit tests of base/allocator_avl: ranges, fits, conflicts, errors, exhaustion */

#include "test_support.h"

static void add_ok(struct allocator_avl *a, uintptr_t base, size_t size)
{
	CHECK_EQ(allocator_avl_add_range(a, base, size), RANGE_ALLOCATOR_ADD_OK);
	CHECK(allocator_avl_check(a));
}

static uintptr_t alloc_ok(struct allocator_avl *a, size_t size, unsigned align_log2)
{
	struct range_allocator_alloc_ret r = allocator_avl_alloc_aligned(a, size, align_log2);
	CHECK_EQ(r.result, RANGE_ALLOCATOR_ALLOC_OK);
	CHECK_EQ(r.addr % ((uintptr_t)1 << align_log2), 0);
	CHECK(allocator_avl_check(a));
	return r.addr;
}

static void alloc_addr_ok(struct allocator_avl *a, size_t size, uintptr_t addr)
{
	struct range_allocator_alloc_ret r = allocator_avl_alloc_addr(a, size, addr);
	CHECK_EQ(r.result, RANGE_ALLOCATOR_ALLOC_OK);
	CHECK_EQ_U(r.addr, addr);
	CHECK(allocator_avl_check(a));
}

static void free_ok(struct allocator_avl *a, uintptr_t addr)
{
	CHECK_EQ(allocator_avl_free(a, addr), RANGE_ALLOCATOR_FREE_OK);
	CHECK(allocator_avl_check(a));
}

static void check_lookup(struct allocator_avl *a, uintptr_t addr,
                         enum range_allocator_lookup_result result, uintptr_t base, size_t size)
{
	struct range_allocator_lookup_ret r = allocator_avl_lookup(a, addr);
	CHECK_EQ(r.result, result);
	if (result == RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED) return;
	CHECK_EQ_U(r.base, base);
	CHECK_EQ_U(r.size, size);
}

TEST(empty_allocator)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	CHECK_EQ(allocator_avl_available(&a), 0);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 1, 0).result, RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 1, 0x1000).result, RANGE_ALLOCATOR_ALLOC_CONFLICT);
	CHECK_EQ(allocator_avl_free(&a, 0x1000), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED);
	check_lookup(&a, 0, RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, 0, 0);
	CHECK(allocator_avl_check(&a));
	CHECK_EQ(b.allocs, 0);
}

TEST(add_range_rejects_empty_and_wrapping_ranges)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	CHECK_EQ(allocator_avl_add_range(&a, 0x1000, 0), RANGE_ALLOCATOR_ADD_INVALID);
	CHECK_EQ(allocator_avl_add_range(&a, UINTPTR_MAX, 2), RANGE_ALLOCATOR_ADD_INVALID);
	CHECK_EQ(allocator_avl_add_range(&a, 2, SIZE_MAX), RANGE_ALLOCATOR_ADD_INVALID);
	CHECK_EQ(allocator_avl_available(&a), 0);
	/* a range may end exactly at the top, and may start at 0 */
	add_ok(&a, UINTPTR_MAX - 0xfff, 0x1000);
	add_ok(&a, 0, 0x1000);
	CHECK_EQ(allocator_avl_available(&a), 0x2000);
	check_lookup(&a, UINTPTR_MAX, RANGE_ALLOCATOR_LOOKUP_FREE, UINTPTR_MAX - 0xfff, 0x1000);
	check_lookup(&a, 0, RANGE_ALLOCATOR_LOOKUP_FREE, 0, 0x1000);
}

TEST(whole_address_space_but_one_byte)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 1, SIZE_MAX);
	CHECK_EQ_U(allocator_avl_available(&a), SIZE_MAX);
	alloc_addr_ok(&a, 1, UINTPTR_MAX);
	/* the top byte is taken: the upper half minus one byte is left at that alignment */
	CHECK_EQ(allocator_avl_alloc_aligned(&a, (size_t)1 << 63, 63).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	uintptr_t top = alloc_ok(&a, ((size_t)1 << 63) - 1, 63);
	CHECK_EQ_U(top, (uintptr_t)1 << 63);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 1, 64).result, RANGE_ALLOCATOR_ALLOC_INVALID);
	free_ok(&a, top);
	free_ok(&a, UINTPTR_MAX);
	CHECK_EQ_U(allocator_avl_available(&a), SIZE_MAX);
	check_lookup(&a, 12345, RANGE_ALLOCATOR_LOOKUP_FREE, 1, SIZE_MAX);
}

TEST(overlapping_add_range_is_rejected)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x10000, 0x1000);
	struct snapshot before, after;
	snapshot_take(&a, &before);
	CHECK_EQ(allocator_avl_add_range(&a, 0x10000, 0x1000), RANGE_ALLOCATOR_ADD_OVERLAP);
	CHECK_EQ(allocator_avl_add_range(&a, 0x10800, 0x10), RANGE_ALLOCATOR_ADD_OVERLAP);
	CHECK_EQ(allocator_avl_add_range(&a, 0xf000, 0x1001), RANGE_ALLOCATOR_ADD_OVERLAP);
	CHECK_EQ(allocator_avl_add_range(&a, 0x10fff, 0x10), RANGE_ALLOCATOR_ADD_OVERLAP);
	CHECK_EQ(allocator_avl_add_range(&a, 0x8000, 0x10000), RANGE_ALLOCATOR_ADD_OVERLAP);
	/* also against allocated blocks */
	alloc_addr_ok(&a, 0x1000, 0x10000);
	CHECK_EQ(allocator_avl_add_range(&a, 0x10400, 1), RANGE_ALLOCATOR_ADD_OVERLAP);
	free_ok(&a, 0x10000);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));
}

TEST(touching_ranges_merge)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x3000, 0x1000);
	add_ok(&a, 0x1000, 0x1000);
	CHECK_EQ(avl_tree_count(&a.blocks), 2);
	add_ok(&a, 0x2000, 0x1000); /* fills the gap: one block */
	CHECK_EQ(avl_tree_count(&a.blocks), 1);
	check_lookup(&a, 0x2345, RANGE_ALLOCATOR_LOOKUP_FREE, 0x1000, 0x3000);
	/* a whole-range allocation crosses the former range borders */
	alloc_addr_ok(&a, 0x3000, 0x1000);
	CHECK_EQ(allocator_avl_available(&a), 0);
	check_lookup(&a, 0x3fff, RANGE_ALLOCATOR_LOOKUP_OK, 0x1000, 0x3000);
	check_lookup(&a, 0x4000, RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, 0, 0);
	check_lookup(&a, 0xfff, RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, 0, 0);
}

TEST(best_fit_picks_the_smallest_block_that_fits)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	/* free holes of 100, 50, 70 bytes separated by allocations */
	add_ok(&a, 0, 1000);
	alloc_addr_ok(&a, 10, 100);
	alloc_addr_ok(&a, 10, 160);
	alloc_addr_ok(&a, 10, 240);
	alloc_addr_ok(&a, 10, 990);
	/* holes: [0,100) 100, [110,160) 50, [170,240) 70, [250,990) 740 */
	CHECK_EQ_U(alloc_ok(&a, 60, 0), 170);
	CHECK_EQ_U(alloc_ok(&a, 50, 0), 110);
	CHECK_EQ_U(alloc_ok(&a, 1, 0), 230); /* the 10 bytes left of the 70 */
	CHECK_EQ_U(alloc_ok(&a, 100, 0), 0);
	CHECK_EQ_U(alloc_ok(&a, 101, 0), 250);
}

TEST(best_fit_among_equal_sizes_takes_the_lowest_address)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x3000, 0x100);
	add_ok(&a, 0x1000, 0x100);
	add_ok(&a, 0x2000, 0x100);
	CHECK_EQ_U(alloc_ok(&a, 0x100, 0), 0x1000);
	CHECK_EQ_U(alloc_ok(&a, 0x100, 0), 0x2000);
}

TEST(alignment_is_honoured_and_leaves_the_head_free)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x1001, 0x4000);
	uintptr_t x = alloc_ok(&a, 0x100, 12);
	CHECK_EQ_U(x, 0x2000);
	check_lookup(&a, 0x1001, RANGE_ALLOCATOR_LOOKUP_FREE, 0x1001, 0xfff);
	check_lookup(&a, 0x2100, RANGE_ALLOCATOR_LOOKUP_FREE, 0x2100, 0x2f01);
	/* free: [0x1001,0x2000) [0x2100,0x5001); two aligned 4 KiB places are left */
	CHECK_EQ_U(alloc_ok(&a, 0x1000, 12), 0x3000);
	CHECK_EQ_U(alloc_ok(&a, 0x1000, 12), 0x4000);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 0x1000, 12).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	/* an alignment beyond every range */
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 1, 40).result, RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 0, 0).result, RANGE_ALLOCATOR_ALLOC_INVALID);
	free_ok(&a, 0x3000);
	free_ok(&a, x);
	free_ok(&a, 0x4000);
	check_lookup(&a, 0x1001, RANGE_ALLOCATOR_LOOKUP_FREE, 0x1001, 0x4000);
}

/* more than ALLOCATOR_AVL_FIT_SCAN candidates fail to fit, and no block is sure to */
TEST(aligned_fit_beyond_the_scan_limit_is_still_found)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	enum { HOLES = ALLOCATOR_AVL_FIT_SCAN + 8 };
	/* holes of 0x30 bytes at 0x...10: no 0x100-aligned start inside */
	for (uintptr_t i = 0; i < HOLES; i++) add_ok(&a, 0x10000 + i * 0x1000 + 0x10, 0x30);
	/* one hole of 0x40 bytes at an aligned address: bigger, so last in size order */
	add_ok(&a, 0x80000, 0x40);
	CHECK_EQ_U(alloc_ok(&a, 0x20, 8), 0x80000);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 0x20, 8).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	/* a block that fits at any alignment is found past the scan limit too */
	add_ok(&a, 0x90010, 0x200);
	CHECK_EQ_U(alloc_ok(&a, 0x20, 8), 0x90100);
}

TEST(alloc_addr_conflicts)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x1000, 0x1000);
	add_ok(&a, 0x3000, 0x1000);
	alloc_addr_ok(&a, 0x100, 0x1800);
	struct snapshot before, after;
	snapshot_take(&a, &before);

	/* overlaps the allocated block: from before, from inside, exactly */
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x101, 0x1700).result,
	         RANGE_ALLOCATOR_ALLOC_CONFLICT);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 1, 0x18ff).result, RANGE_ALLOCATOR_ALLOC_CONFLICT);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x100, 0x1800).result,
	         RANGE_ALLOCATOR_ALLOC_CONFLICT);
	/* runs past the end of a range, into unmanaged space */
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x101, 0x1f00).result,
	         RANGE_ALLOCATOR_ALLOC_CONFLICT);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x2000, 0x1000).result,
	         RANGE_ALLOCATOR_ALLOC_CONFLICT);
	/* unmanaged */
	CHECK_EQ(allocator_avl_alloc_addr(&a, 1, 0x2000).result, RANGE_ALLOCATOR_ALLOC_CONFLICT);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 1, 0xfff).result, RANGE_ALLOCATOR_ALLOC_CONFLICT);
	/* wraps, empty */
	CHECK_EQ(allocator_avl_alloc_addr(&a, 2, UINTPTR_MAX).result,
	         RANGE_ALLOCATOR_ALLOC_INVALID);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0, 0x1000).result, RANGE_ALLOCATOR_ALLOC_INVALID);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));

	/* right up to the neighbours works */
	alloc_addr_ok(&a, 0x800, 0x1000);
	alloc_addr_ok(&a, 0x700, 0x1900);
	CHECK_EQ(allocator_avl_available(&a), 0x1000);
}

TEST(free_errors_change_nothing)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x1000, 0x1000);
	uintptr_t x = alloc_ok(&a, 0x100, 0);
	alloc_addr_ok(&a, 0x100, 0x1800);
	struct snapshot before, after;
	snapshot_take(&a, &before);
	CHECK_EQ(allocator_avl_free(&a, x + 1), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED);
	CHECK_EQ(allocator_avl_free(&a, 0x1400), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED); /* free */
	CHECK_EQ(allocator_avl_free(&a, 0x1100), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED); /* free */
	CHECK_EQ(allocator_avl_free(&a, 0x9000), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));

	free_ok(&a, x);
	snapshot_take(&a, &before);
	CHECK_EQ(allocator_avl_free(&a, x), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED); /* double free */
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));
}

TEST(free_merges_with_both_neighbours)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0, 0x300);
	alloc_addr_ok(&a, 0x100, 0);
	alloc_addr_ok(&a, 0x100, 0x100);
	alloc_addr_ok(&a, 0x100, 0x200);
	CHECK_EQ(avl_tree_count(&a.free_by_size), 0);
	free_ok(&a, 0);
	free_ok(&a, 0x200);
	CHECK_EQ(avl_tree_count(&a.free_by_size), 2);
	free_ok(&a, 0x100);
	CHECK_EQ(avl_tree_count(&a.blocks), 1);
	check_lookup(&a, 0x150, RANGE_ALLOCATOR_LOOKUP_FREE, 0, 0x300);
	CHECK_EQ(slab_used_blocks(&a.metadata), 1);
}

TEST(exhaustion_reports_and_changes_nothing)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x1000, 0x1000);
	add_ok(&a, 0x3000, 0x800);
	(void)alloc_ok(&a, 0x400, 0);
	struct snapshot before, after;
	snapshot_take(&a, &before);
	/* more than any free block, though not more than all of them */
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 0x1001, 0).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, SIZE_MAX, 0).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, SIZE_MAX, 63).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));
}

TEST(remove_range)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x1000, 0x4000);
	alloc_addr_ok(&a, 0x100, 0x4000);
	struct snapshot before, after;
	snapshot_take(&a, &before);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x3f00, 0x200), RANGE_ALLOCATOR_REMOVE_NOT_FREE);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x4000, 0x100), RANGE_ALLOCATOR_REMOVE_NOT_FREE);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x0, 0x1001), RANGE_ALLOCATOR_REMOVE_NOT_FREE);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x4f00, 0x200), RANGE_ALLOCATOR_REMOVE_NOT_FREE);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x2000, 0), RANGE_ALLOCATOR_REMOVE_INVALID);
	CHECK_EQ(allocator_avl_remove_range(&a, UINTPTR_MAX, 2), RANGE_ALLOCATOR_REMOVE_INVALID);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));

	/* the middle of a free block: splits it */
	CHECK_EQ(allocator_avl_remove_range(&a, 0x2000, 0x1000), RANGE_ALLOCATOR_REMOVE_OK);
	CHECK(allocator_avl_check(&a));
	check_lookup(&a, 0x2800, RANGE_ALLOCATOR_LOOKUP_NOT_MANAGED, 0, 0);
	check_lookup(&a, 0x1fff, RANGE_ALLOCATOR_LOOKUP_FREE, 0x1000, 0x1000);
	check_lookup(&a, 0x3000, RANGE_ALLOCATOR_LOOKUP_FREE, 0x3000, 0x1000);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x10, 0x2000).result, RANGE_ALLOCATOR_ALLOC_CONFLICT);
	/* the start and the end of one */
	CHECK_EQ(allocator_avl_remove_range(&a, 0x1000, 0x100), RANGE_ALLOCATOR_REMOVE_OK);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x3f00, 0x100), RANGE_ALLOCATOR_REMOVE_OK);
	check_lookup(&a, 0x3000, RANGE_ALLOCATOR_LOOKUP_FREE, 0x3000, 0xf00);
	/* a whole one */
	CHECK_EQ(allocator_avl_remove_range(&a, 0x4100, 0xf00), RANGE_ALLOCATOR_REMOVE_OK);
	CHECK(allocator_avl_check(&a));
	CHECK_EQ(allocator_avl_available(&a), 0xf00 + 0xf00);
	/* the allocation survives, and can be freed */
	free_ok(&a, 0x4000);
	check_lookup(&a, 0x4000, RANGE_ALLOCATOR_LOOKUP_FREE, 0x4000, 0x100);
	/* and the removed part can be added back */
	add_ok(&a, 0x2000, 0x1000);
	check_lookup(&a, 0x2000, RANGE_ALLOCATOR_LOOKUP_FREE, 0x1100, 0x2e00);
}

/* --- metadata exhaustion -------------------------------------------------------------- */

TEST(no_metadata_for_add_range)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	b.limit = 0;
	CHECK_EQ(allocator_avl_add_range(&a, 0x1000, 0x1000), RANGE_ALLOCATOR_ADD_OUT_OF_METADATA);
	CHECK_EQ(allocator_avl_available(&a), 0);
	CHECK(avl_tree_empty(&a.blocks));
	CHECK(allocator_avl_check(&a));
}

/* fill the single descriptor chunk, leaving `left` descriptors free */
static void fill_descriptors(struct allocator_avl *a, struct unit_backing *b, size_t left)
{
	b->limit = 1;
	add_ok(a, 0x100000, 0x100000);
	/* each allocation at the start of the free block costs one descriptor */
	while (slab_used_blocks(&a->metadata) < a->metadata.blocks_per_chunk - left)
		(void)alloc_ok(a, 0x10, 0);
	CHECK_EQ(b->outstanding, 1);
}

TEST(no_metadata_for_a_split_changes_nothing)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	fill_descriptors(&a, &b, 0);
	struct snapshot before, after;
	snapshot_take(&a, &before);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 0x10, 0).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x10, 0x180000).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA);
	CHECK_EQ(allocator_avl_remove_range(&a, 0x180000, 0x10),
	         RANGE_ALLOCATOR_REMOVE_OUT_OF_METADATA);
	CHECK_EQ(allocator_avl_add_range(&a, 0x1000, 0x10), RANGE_ALLOCATOR_ADD_OUT_OF_METADATA);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));
	CHECK(allocator_avl_check(&a));

	/* what needs no new descriptor still works: the whole rest, at its start */
	struct range_allocator_lookup_ret rest = allocator_avl_lookup(&a, 0x1fffff);
	CHECK_EQ(rest.result, RANGE_ALLOCATOR_LOOKUP_FREE);
	alloc_addr_ok(&a, rest.size, rest.base);
	CHECK_EQ(allocator_avl_available(&a), 0);
}

/* alloc_addr in the middle needs two descriptors; with one left it must undo the first */
TEST(half_the_metadata_for_a_split_changes_nothing)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	fill_descriptors(&a, &b, 1);
	struct snapshot before, after;
	snapshot_take(&a, &before);
	CHECK_EQ(allocator_avl_alloc_addr(&a, 0x10, 0x180000).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA);
	CHECK_EQ(allocator_avl_alloc_aligned(&a, 0x10, 16).result,
	         RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA);
	snapshot_take(&a, &after);
	CHECK(snapshot_equal(&before, &after));
	CHECK_EQ(b.outstanding, 1);
	/* one descriptor is enough at the start of the free block */
	(void)alloc_ok(&a, 0x10, 0);
}

TEST(destroy_gives_back_all_metadata)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0, 0x100000);
	for (int i = 0; i < 500; i++) (void)alloc_ok(&a, 0x20, 0);
	CHECK(b.outstanding > 1);
	allocator_avl_destroy(&a);
	CHECK_EQ(b.outstanding, 0);
	CHECK_EQ(allocator_avl_available(&a), 0);
	/* usable again after a new init */
	allocator_avl_init(&a, &b.allocator);
	add_ok(&a, 0, 0x1000);
}

/* --- the two interfaces ------------------------------------------------------------- */

TEST(range_allocator_interface)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	struct range_allocator *r = allocator_avl_range_allocator(&a);
	CHECK_EQ(range_allocator_add_range(r, 0x10000, 0x10000), RANGE_ALLOCATOR_ADD_OK);
	struct range_allocator_alloc_ret x = range_allocator_alloc_aligned(r, 0x1000, 12);
	CHECK_EQ(x.result, RANGE_ALLOCATOR_ALLOC_OK);
	CHECK_EQ(range_allocator_alloc_addr(r, 0x1000, 0x18000).result, RANGE_ALLOCATOR_ALLOC_OK);
	CHECK_EQ(range_allocator_available(r), 0xe000);
	struct range_allocator_lookup_ret l = range_allocator_lookup(r, 0x18fff);
	CHECK_EQ(l.result, RANGE_ALLOCATOR_LOOKUP_OK);
	CHECK_EQ_U(l.base, 0x18000);
	CHECK_EQ_U(l.size, 0x1000);
	CHECK_EQ(range_allocator_free(r, 0x18000), RANGE_ALLOCATOR_FREE_OK);
	CHECK_EQ(range_allocator_free(r, 0x18000), RANGE_ALLOCATOR_FREE_NOT_ALLOCATED);
	CHECK_EQ(range_allocator_free(r, x.addr), RANGE_ALLOCATOR_FREE_OK);
	CHECK_EQ(range_allocator_remove_range(r, 0x10000, 0x10000), RANGE_ALLOCATOR_REMOVE_OK);
	CHECK_EQ(range_allocator_available(r), 0);
}

TEST(allocator_interface_over_real_memory)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	enum { ARENA = 0x10000 };
	unsigned char *arena = aligned_alloc(4096, ARENA);
	CHECK(arena);
	memset(arena, 0, ARENA);
	add_ok(&a, (uintptr_t)arena + 3, ARENA - 3);
	struct allocator *heap = allocator_avl_allocator(&a);

	CHECK_EQ(allocator_alloc(heap, 0).result, ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(allocator_alloc(heap, ARENA).result, ALLOCATOR_OUT_OF_MEMORY);

	enum { N = 64 };
	unsigned char *p[N];
	for (int i = 0; i < N; i++) {
		struct allocator_alloc_ret r = allocator_alloc(heap, (size_t)i + 1);
		CHECK_EQ(r.result, ALLOCATOR_OK);
		CHECK_EQ((uintptr_t)r.ptr % ALLOCATOR_AVL_ALLOC_ALIGN, 0);
		p[i] = r.ptr;
		CHECK(p[i] >= arena + 3 && p[i] + i + 1 <= arena + ARENA);
		memset(p[i], i, (size_t)i + 1);
	}
	size_t expected = N * (N + 1) / 2;
	CHECK_EQ(allocator_consumed(heap), expected);
	CHECK(allocator_overhead(heap, 1) > 0);
	for (int i = 0; i < N; i++)
		for (int j = 0; j <= i; j++) CHECK_EQ(p[i][j], i);
	for (int i = 0; i < N; i++) allocator_free(heap, p[i], (size_t)i + 1);
	CHECK_EQ(allocator_consumed(heap), 0);
	CHECK_EQ(allocator_avl_available(&a), ARENA - 3);
	CHECK(allocator_avl_check(&a));
	allocator_avl_destroy(&a);
	free(arena);
}

TEST(allocator_interface_reports_the_metadata_allocators_result)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	fill_descriptors(&a, &b, 0);
	b.refusal = ALLOCATOR_OUT_OF_QUOTA;
	CHECK_EQ(allocator_alloc(allocator_avl_allocator(&a), 16).result, ALLOCATOR_OUT_OF_QUOTA);
	b.refusal = ALLOCATOR_OUT_OF_MEMORY;
	CHECK_EQ(allocator_alloc(allocator_avl_allocator(&a), 16).result, ALLOCATOR_OUT_OF_MEMORY);
}

TEST_EXPECT_DEATH(allocator_interface_free_of_unknown_pointer_panics)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x10000, 0x1000);
	struct allocator_alloc_ret r = allocator_alloc(allocator_avl_allocator(&a), 32);
	CHECK_EQ(r.result, ALLOCATOR_OK);
	allocator_free(allocator_avl_allocator(&a), (char *)r.ptr + 16, 16);
}

TEST_EXPECT_DEATH(allocator_interface_double_free_panics)
{
	struct allocator_avl a;
	struct unit_backing b;
	avl_setup(&a, &b);
	add_ok(&a, 0x10000, 0x1000);
	struct allocator_alloc_ret r = allocator_alloc(allocator_avl_allocator(&a), 32);
	CHECK_EQ(r.result, ALLOCATOR_OK);
	allocator_free(allocator_avl_allocator(&a), r.ptr, 32);
	allocator_free(allocator_avl_allocator(&a), r.ptr, 32);
}
