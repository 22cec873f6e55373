/* SPDX-License-Identifier: MIT */
/** \brief unit tests of base/slab: carving, chunk reuse and release, misuse, typed front end */

#include <stdlib.h>

#include <base/slab.h>

#include "unit_backing.h"
#include "unit_random.h"
#include "unit_test.h"

enum { CHUNK = 1024 };

static void *alloc_ok(struct slab *slab)
{
	struct allocator_alloc_ret ret = slab_alloc(slab);
	CHECK_EQ(ret.result, ALLOCATOR_OK);
	CHECK(ret.ptr);
	CHECK_EQ((uintptr_t)ret.ptr % SLAB_ALIGNMENT, 0);
	return ret.ptr;
}

TEST(geometry)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 20, CHUNK, &b.allocator);
	CHECK_EQ(slab.block_size, 32);
	CHECK(slab.blocks_per_chunk > 0);
	CHECK(slab.first_block_offset + slab.blocks_per_chunk * slab.block_size <= CHUNK);
	/* no room for one more block */
	CHECK(slab.first_block_offset + (slab.blocks_per_chunk + 1) * slab.block_size > CHUNK);
	CHECK_EQ(slab_chunk_count(&slab), 0);
	CHECK_EQ(b.allocs, 0);
}

TEST(blocks_are_distinct_and_inside_their_chunks)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 48, CHUNK, &b.allocator);
	size_t n = slab.blocks_per_chunk * 3;
	unsigned char **blocks = calloc(n, sizeof(*blocks));

	for (size_t i = 0; i < n; i++) {
		blocks[i] = alloc_ok(&slab);
		memset(blocks[i], (int)(i & 0xff), 48);
	}
	CHECK_EQ(slab_chunk_count(&slab), 3);
	CHECK_EQ(slab_used_blocks(&slab), n);
	/* writing a block clobbered no other block (and no chunk header) */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < 48; j++) CHECK_EQ(blocks[i][j], i & 0xff);
	for (size_t i = 0; i < n; i++) slab_free(&slab, blocks[i]);
	free(blocks);
	CHECK_EQ(slab_used_blocks(&slab), 0);
}

TEST(chunk_is_taken_only_when_full)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	for (size_t i = 0; i < slab.blocks_per_chunk; i++) {
		(void)alloc_ok(&slab);
		CHECK_EQ(b.allocs, 1);
	}
	(void)alloc_ok(&slab);
	CHECK_EQ(b.allocs, 2);
	CHECK_EQ(slab_chunk_count(&slab), 2);
}

TEST(alloc_free_loop_reuses_the_spare_chunk)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	for (int i = 0; i < 1000; i++) slab_free(&slab, alloc_ok(&slab));
	CHECK_EQ(b.allocs, 1);
	CHECK_EQ(b.frees, 0);
	CHECK_EQ(slab_chunk_count(&slab), 1);
	/* the freed block is handed out again */
	void *first = alloc_ok(&slab);
	slab_free(&slab, first);
	CHECK(alloc_ok(&slab) == first);
}

TEST(second_empty_chunk_is_released_first_is_kept)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	size_t per = slab.blocks_per_chunk, n = per * 3;
	void **blocks = calloc(n, sizeof(*blocks));
	for (size_t i = 0; i < n; i++) blocks[i] = alloc_ok(&slab);
	CHECK_EQ(b.outstanding, 3);

	/* empty one chunk: it stays as the spare */
	for (size_t i = 0; i < per; i++) slab_free(&slab, blocks[i]);
	CHECK_EQ(slab_chunk_count(&slab), 3);
	CHECK_EQ(b.frees, 0);

	/* empty another: it goes back */
	for (size_t i = per; i < 2 * per; i++) slab_free(&slab, blocks[i]);
	CHECK_EQ(slab_chunk_count(&slab), 2);
	CHECK_EQ(b.frees, 1);
	CHECK_EQ(b.outstanding, 2);

	/* a new allocation uses a partly used chunk before the spare... */
	slab_free(&slab, blocks[2 * per]);
	CHECK(alloc_ok(&slab) == blocks[2 * per]);
	/* ...and refilling takes no new chunk until both are full */
	for (size_t i = 0; i < per; i++) (void)alloc_ok(&slab);
	CHECK_EQ(b.allocs, 3);
	CHECK_EQ(slab_chunk_count(&slab), 2);
	(void)alloc_ok(&slab);
	CHECK_EQ(b.allocs, 4);
	free(blocks);
}

TEST(backing_refusal_is_reported_and_changes_nothing)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	b.limit = 1;
	b.refusal = ALLOCATOR_OUT_OF_QUOTA;
	for (size_t i = 0; i < slab.blocks_per_chunk; i++) (void)alloc_ok(&slab);

	struct allocator_alloc_ret ret = slab_alloc(&slab);
	CHECK_EQ(ret.result, ALLOCATOR_OUT_OF_QUOTA);
	CHECK(ret.ptr == NULL);
	CHECK_EQ(slab_used_blocks(&slab), slab.blocks_per_chunk);
	CHECK_EQ(slab_chunk_count(&slab), 1);

	b.limit = 2;
	(void)alloc_ok(&slab);
	CHECK_EQ(slab_chunk_count(&slab), 2);
}

TEST(empty_slab_refused_by_backing)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	b.limit = 0;
	slab_init(&slab, 64, CHUNK, &b.allocator);
	CHECK_EQ(slab_alloc(&slab).result, ALLOCATOR_OUT_OF_MEMORY);
	CHECK_EQ(slab_chunk_count(&slab), 0);
	CHECK_EQ(slab_used_blocks(&slab), 0);
}

TEST(destroy_returns_every_chunk)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 100, CHUNK, &b.allocator);
	for (size_t i = 0; i < slab.blocks_per_chunk * 5 + 1; i++) (void)alloc_ok(&slab);
	CHECK_EQ(b.outstanding, 6);
	slab_destroy(&slab);
	CHECK_EQ(b.outstanding, 0);
	CHECK_EQ(b.bytes, 0);
	CHECK_EQ(slab_chunk_count(&slab), 0);
}

TEST(one_block_per_chunk)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 512, 700, &b.allocator);
	CHECK_EQ(slab.blocks_per_chunk, 1);
	void *x = alloc_ok(&slab), *y = alloc_ok(&slab), *z = alloc_ok(&slab);
	CHECK_EQ(b.outstanding, 3);
	slab_free(&slab, y);
	CHECK_EQ(b.outstanding, 3); /* the spare */
	slab_free(&slab, x);
	CHECK_EQ(b.outstanding, 2);
	slab_free(&slab, z);
	CHECK_EQ(b.outstanding, 1);
	CHECK_EQ(slab_used_blocks(&slab), 0);
}

TEST_EXPECT_DEATH(chunk_without_room_for_a_block_panics)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, 80, &b.allocator);
}

TEST_EXPECT_DEATH(double_free_panics)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	void *x = alloc_ok(&slab);
	(void)alloc_ok(&slab);
	slab_free(&slab, x);
	slab_free(&slab, x);
}

TEST_EXPECT_DEATH(foreign_pointer_panics)
{
	struct unit_backing b;
	struct slab slab;
	static char elsewhere[64];
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	(void)alloc_ok(&slab);
	slab_free(&slab, elsewhere);
}

TEST_EXPECT_DEATH(pointer_into_the_middle_of_a_block_panics)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	char *x = alloc_ok(&slab);
	slab_free(&slab, x + 16);
}

TEST_EXPECT_DEATH(pointer_into_a_chunk_header_panics)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	char *x = alloc_ok(&slab);
	slab_free(&slab, x - slab.first_block_offset);
}

/* --- typed front end and allocator view ------------------------------------------ */

struct point
{
	long x, y, z;
};

SLAB_TYPED(point, struct point)

TEST(typed_front_end)
{
	struct unit_backing b;
	struct point_slab points;
	unit_backing_init(&b);
	point_slab_init(&points, CHUNK, &b.allocator);
	CHECK_EQ(points.slab.block_size, 32);

	struct point_slab_alloc_ret p = point_slab_alloc(&points), q = point_slab_alloc(&points);
	CHECK_EQ(p.result, ALLOCATOR_OK);
	CHECK_EQ(q.result, ALLOCATOR_OK);
	*p.ptr = (struct point){ 1, 2, 3 };
	*q.ptr = (struct point){ 4, 5, 6 };
	CHECK_EQ(p.ptr->z + q.ptr->x, 7);
	point_slab_free(&points, p.ptr);
	point_slab_free(&points, q.ptr);
	CHECK_EQ(slab_used_blocks(&points.slab), 0);
	point_slab_destroy(&points);
	CHECK_EQ(b.outstanding, 0);
}

TEST(as_allocator)
{
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, 64, CHUNK, &b.allocator);
	struct allocator *a = slab_allocator(&slab);

	CHECK_EQ(allocator_alloc(a, 0).result, ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(allocator_alloc(a, 65).result, ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(allocator_consumed(a), 0);
	CHECK_EQ(b.allocs, 0);

	struct allocator_alloc_ret r = allocator_alloc(a, 64), s = allocator_alloc(a, 1);
	CHECK_EQ(r.result, ALLOCATOR_OK);
	CHECK_EQ(s.result, ALLOCATOR_OK);
	CHECK_EQ(allocator_consumed(a), CHUNK);
	CHECK(allocator_overhead(a, 1) >= 63);
	CHECK(allocator_overhead(a, 64) > 0); /* its share of the chunk header */
	CHECK(allocator_overhead(a, 64) < 64);
	allocator_free(a, r.ptr, 64);
	allocator_free(a, s.ptr, 1);
	CHECK_EQ(slab_used_blocks(&slab), 0);
}

/* --- randomized ----------------------------------------------------------------------- */

enum { SLOTS = 600, STEPS = 20000, BLOCK = 40 };

TEST(random_alloc_free_keeps_contents_and_at_most_one_spare)
{
	char const *text = getenv("TEST_SEED");
	uint64_t seed = text ? strtoull(text, NULL, 0) : 0x51ab5eedu, state = seed;
	static uint32_t *slots[SLOTS];
	struct unit_backing b;
	struct slab slab;
	unit_backing_init(&b);
	slab_init(&slab, BLOCK, CHUNK, &b.allocator);
	size_t used = 0;

	for (unsigned step = 0; step < STEPS; step++) {
		unsigned i = (unsigned)(unit_random_next(&state) % SLOTS);
		if (slots[i]) {
			/* the block still holds what was written to it */
			for (unsigned w = 0; w < BLOCK / 4; w++)
				CHECK_RANDOM(slots[i][w] == i * 1000 + w, seed, step);
			slab_free(&slab, slots[i]);
			slots[i] = NULL;
			used--;
		} else {
			struct allocator_alloc_ret r = slab_alloc(&slab);
			CHECK_RANDOM(r.result == ALLOCATOR_OK, seed, step);
			slots[i] = r.ptr;
			for (unsigned w = 0; w < BLOCK / 4; w++) slots[i][w] = i * 1000 + w;
			used++;
		}
		CHECK_RANDOM(slab_used_blocks(&slab) == used, seed, step);
		CHECK_RANDOM(slab.empty_chunks <= 1, seed, step);
		CHECK_RANDOM(b.outstanding == slab_chunk_count(&slab), seed, step);
		CHECK_RANDOM(slab_chunk_count(&slab) * slab.blocks_per_chunk >= used, seed, step);
		CHECK_RANDOM(avl_tree_check(&slab.chunks) == AVL_CHECK_OK, seed, step);
	}
	for (unsigned i = 0; i < SLOTS; i++)
		if (slots[i]) slab_free(&slab, slots[i]);
	CHECK_EQ(slab_chunk_count(&slab), 1);
	slab_destroy(&slab);
	CHECK_EQ(b.outstanding, 0);
}
