/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/bit_allocator: exhaustion, conflicts, blocks, random */

#include <stdlib.h>

#include <util/bit_allocator.h>

#include "unit_random.h"
#include "unit_test.h"

/* storage on the heap, exactly as large as needed, so ASan sees any overrun */
static void make_allocator(struct bit_allocator *allocator, size_t count)
{
	size_t words = BIT_ALLOCATOR_WORDS(count);
	uint64_t *storage = malloc(words ? words * sizeof(uint64_t) : 1);
	for (size_t i = 0; i < words; i++) storage[i] = ~(uint64_t)0; /* init must clear */
	bit_allocator_init(allocator, storage, count);
}

static bool allocated(struct bit_allocator const *allocator, size_t index)
{
	struct bit_array_get_ret r = bit_array_get(&allocator->bits, index, 1);
	CHECK_EQ(r.result, BIT_ARRAY_OK);
	return r.all_set;
}

static size_t alloc_ok(struct bit_allocator *allocator)
{
	struct bit_allocator_alloc_ret r = bit_allocator_alloc(allocator);
	CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
	return r.index;
}

/* allocate every index of an allocator of `count`, free all, allocate all again */
static void exhaust_free_realloc(size_t count)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, count);
	bool *seen = calloc(count ? count : 1, sizeof(bool));

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < count; i++) {
			size_t index = alloc_ok(&allocator);
			CHECK(index < count);
			CHECK(!seen[index]);
			seen[index] = true;
			CHECK_EQ_U(bit_allocator_available(&allocator), count - i - 1);
		}
		struct bit_allocator_alloc_ret r = bit_allocator_alloc(&allocator);
		CHECK_EQ(r.result, BIT_ALLOCATOR_EXHAUSTED);
		CHECK_EQ(bit_allocator_alloc_block(&allocator, 0).result, BIT_ALLOCATOR_EXHAUSTED);
		/* exhausted twice in a row still changes nothing */
		CHECK_EQ(bit_allocator_alloc(&allocator).result, BIT_ALLOCATOR_EXHAUSTED);
		/* free in a scattered order */
		for (size_t step = 0; step < 7; step++)
			for (size_t i = step; i < count; i += 7) {
				CHECK_EQ(bit_allocator_free(&allocator, i), BIT_ALLOCATOR_OK);
				seen[i] = false;
			}
		CHECK_EQ_U(bit_allocator_available(&allocator), count);
	}
	free(seen);
	free(allocator.bits.words);
}

TEST(exhaust_every_index_then_free_and_realloc)
{
	exhaust_free_realloc(200); /* partial last word */
	exhaust_free_realloc(128); /* whole words */
	exhaust_free_realloc(64);
	exhaust_free_realloc(65);
	exhaust_free_realloc(1);
}

TEST(alloc_hands_out_ascending_indices)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 100);
	for (size_t i = 0; i < 100; i++) CHECK_EQ_U(alloc_ok(&allocator), i);
	free(allocator.bits.words);
}

TEST(alloc_is_next_fit_and_wraps_around)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 130);
	for (size_t i = 0; i < 10; i++) alloc_ok(&allocator);
	CHECK_EQ(bit_allocator_free(&allocator, 3), BIT_ALLOCATOR_OK);
	/* a freed index is not reused right away */
	CHECK_EQ_U(alloc_ok(&allocator), 10);
	for (size_t i = 11; i < 130; i++) CHECK_EQ_U(alloc_ok(&allocator), i);
	/* only 3 is left: the search wraps around to it */
	CHECK_EQ_U(alloc_ok(&allocator), 3);
	CHECK_EQ(bit_allocator_alloc(&allocator).result, BIT_ALLOCATOR_EXHAUSTED);
	/* a free index below the search start within the same word is found */
	CHECK_EQ(bit_allocator_free(&allocator, 1), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(alloc_ok(&allocator), 1);
	CHECK_EQ(bit_allocator_free(&allocator, 129), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(alloc_ok(&allocator), 129);
	free(allocator.bits.words);
}

TEST(alloc_skips_full_words)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 64 * 5);
	for (size_t i = 0; i < 64 * 4 + 7; i++)
		CHECK_EQ(bit_allocator_alloc_at(&allocator, i), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(alloc_ok(&allocator), 64 * 4 + 7);
	free(allocator.bits.words);
}

TEST(alloc_at_conflicts)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 100);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 0), BIT_ALLOCATOR_OK);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 2), BIT_ALLOCATOR_OK);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 99), BIT_ALLOCATOR_OK);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 2), BIT_ALLOCATOR_ALREADY_ALLOCATED);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 99), BIT_ALLOCATOR_ALREADY_ALLOCATED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 97);
	/* alloc steps around the taken ones */
	CHECK_EQ_U(alloc_ok(&allocator), 1);
	CHECK_EQ_U(alloc_ok(&allocator), 3);
	/* an index that alloc handed out conflicts too */
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 3), BIT_ALLOCATOR_ALREADY_ALLOCATED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 95);
	free(allocator.bits.words);
}

TEST(alloc_at_out_of_range)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 100);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 100), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 127), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, SIZE_MAX), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ_U(bit_allocator_available(&allocator), 100);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 99), BIT_ALLOCATOR_OK);
	free(allocator.bits.words);
}

TEST(double_free_is_a_result)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 100);
	size_t index = alloc_ok(&allocator);
	CHECK_EQ(bit_allocator_free(&allocator, index), BIT_ALLOCATOR_OK);
	CHECK_EQ(bit_allocator_free(&allocator, index), BIT_ALLOCATOR_NOT_ALLOCATED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 100);
	/* never allocated */
	CHECK_EQ(bit_allocator_free(&allocator, 50), BIT_ALLOCATOR_NOT_ALLOCATED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 100);
	free(allocator.bits.words);
}

TEST(free_out_of_range_is_a_result)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 100);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 99), BIT_ALLOCATOR_OK);
	CHECK_EQ(bit_allocator_free(&allocator, 100), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ(bit_allocator_free(&allocator, SIZE_MAX), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK(allocated(&allocator, 99));
	free(allocator.bits.words);
}

TEST(empty_allocator)
{
	struct bit_allocator allocator;
	bit_allocator_init(&allocator, NULL, 0);
	CHECK_EQ_U(bit_allocator_available(&allocator), 0);
	CHECK_EQ(bit_allocator_alloc(&allocator).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 0).result, BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 0), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ(bit_allocator_free(&allocator, 0), BIT_ALLOCATOR_OUT_OF_RANGE);
}

TEST(blocks_are_aligned_and_disjoint)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 1024);
	/* scatter single allocations so that blocks must skip around them */
	size_t const taken[] = { 0, 5, 17, 63, 64, 130, 300, 511 };
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		CHECK_EQ(bit_allocator_alloc_at(&allocator, taken[i]), BIT_ALLOCATOR_OK);
	for (unsigned log2 = 0; log2 <= 8; log2++) {
		size_t size = (size_t)1 << log2;
		size_t before = bit_allocator_available(&allocator);
		struct bit_allocator_alloc_ret r = bit_allocator_alloc_block(&allocator, log2);
		CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
		CHECK_EQ_U(r.index % size, 0);
		CHECK_EQ_U(bit_allocator_available(&allocator), before - size);
		struct bit_array_get_ret g = bit_array_get(&allocator.bits, r.index, size);
		CHECK(g.all_set);
	}
	free(allocator.bits.words);
}

TEST(block_first_fit_positions)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 512);
	CHECK_EQ(bit_allocator_alloc_at(&allocator, 1), BIT_ALLOCATOR_OK);
	/* 0 is free, 1 taken: the first free pair is 2..3, the first quad 4..7 */
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 1).index, 2);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 2).index, 4);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 0).index, 0);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 3).index, 8);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 5).index, 32);
	/* 16 .. 31 are still free */
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 4).index, 16);
	/* word 0 is full now: the next aligned 32 is in word 1 */
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 5).index, 64);
	/* whole-word blocks skip the partly used words 0 and 1 */
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 6).index, 128);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 7).index, 256);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 6).index, 192);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 7).index, 384);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 7).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 6).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 5).index, 96);
	free(allocator.bits.words);
}

TEST(block_sizes_that_do_not_fit)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 200);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 8).result, BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 63).result, BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 64).result, BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 1000).result, BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, ~0u).result, BIT_ALLOCATOR_INVALID_SIZE);
	/* 128 fits into 200 only at 0 */
	struct bit_allocator_alloc_ret r = bit_allocator_alloc_block(&allocator, 7);
	CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
	CHECK_EQ_U(r.index, 0);
	/* 64 fits once more, at 128; 192..199 is no whole word */
	r = bit_allocator_alloc_block(&allocator, 6);
	CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
	CHECK_EQ_U(r.index, 128);
	CHECK_EQ_U(bit_allocator_available(&allocator), 8);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 6).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 4).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 3).index, 192);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 0).result, BIT_ALLOCATOR_EXHAUSTED);
	free(allocator.bits.words);
}

TEST(blocks_never_reach_past_a_partial_last_word)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 203); /* 192 .. 202: 11 indices in the last word */
	for (size_t i = 0; i < 192; i++)
		CHECK_EQ(bit_allocator_alloc_at(&allocator, i), BIT_ALLOCATOR_OK);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 4).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 3).index, 192);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 2).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 1).index, 200);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 1).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 0).index, 202);
	CHECK_EQ(bit_allocator_alloc_block(&allocator, 0).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 0);
	free(allocator.bits.words);
}

TEST(fragmented_space_exhausts_blocks_but_not_singles)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 256);
	/* every other index taken: half is free, but no pair */
	for (size_t i = 0; i < 256; i += 2)
		CHECK_EQ(bit_allocator_alloc_at(&allocator, i), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(bit_allocator_available(&allocator), 128);
	for (unsigned log2 = 1; log2 <= 7; log2++)
		CHECK_EQ(bit_allocator_alloc_block(&allocator, log2).result, BIT_ALLOCATOR_EXHAUSTED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 128);
	CHECK_EQ_U(alloc_ok(&allocator), 1);
	/* freeing 254 makes the aligned pair 254..255 free (255 always was) */
	CHECK_EQ(bit_allocator_free(&allocator, 254), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(bit_allocator_alloc_block(&allocator, 1).index, 254);
	free(allocator.bits.words);
}

TEST(free_block)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, 256);
	struct bit_allocator_alloc_ret r = bit_allocator_alloc_block(&allocator, 4);
	CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
	/* a block that is only partly allocated is not freed at all */
	CHECK_EQ(bit_allocator_free_block(&allocator, r.index, 5), BIT_ALLOCATOR_NOT_ALLOCATED);
	CHECK_EQ_U(bit_allocator_available(&allocator), 256 - 16);
	CHECK_EQ(bit_allocator_free_block(&allocator, 250, 4), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ(bit_allocator_free_block(&allocator, SIZE_MAX, 1), BIT_ALLOCATOR_OUT_OF_RANGE);
	CHECK_EQ(bit_allocator_free_block(&allocator, 0, 9), BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_free_block(&allocator, 0, 200), BIT_ALLOCATOR_INVALID_SIZE);
	CHECK_EQ(bit_allocator_free_block(&allocator, r.index, 4), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(bit_allocator_available(&allocator), 256);
	CHECK_EQ(bit_allocator_free_block(&allocator, r.index, 4), BIT_ALLOCATOR_NOT_ALLOCATED);
	/* a block can also be freed index by index */
	r = bit_allocator_alloc_block(&allocator, 2);
	for (size_t i = 0; i < 4; i++)
		CHECK_EQ(bit_allocator_free(&allocator, r.index + i), BIT_ALLOCATOR_OK);
	CHECK_EQ_U(bit_allocator_available(&allocator), 256);
	free(allocator.bits.words);
}

/* whether the reference has a free aligned block of 2^log2 indices */
static bool reference_block_free(bool const *reference, size_t count, unsigned log2)
{
	size_t size = (size_t)1 << log2;
	for (size_t start = 0; start + size <= count; start += size) {
		bool all_free = true;
		for (size_t i = start; i < start + size; i++) all_free = all_free && !reference[i];
		if (all_free) return true;
	}
	return false;
}

static void random_against_reference(size_t count, uint64_t seed)
{
	struct bit_allocator allocator;
	make_allocator(&allocator, count);
	bool *reference = calloc(count, sizeof(bool));
	size_t used = 0;

	for (int round = 0; round < 20000; round++) {
		uint64_t op = unit_random_next(&seed) % 10;
		/* indices a little past the end, to exercise the range checks */
		size_t index = unit_random_next(&seed) % (count + 3);
		if (op < 3) {
			struct bit_allocator_alloc_ret r = bit_allocator_alloc(&allocator);
			if (used == count) {
				CHECK_EQ(r.result, BIT_ALLOCATOR_EXHAUSTED);
				continue;
			}
			CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
			CHECK(r.index < count && !reference[r.index]);
			reference[r.index] = true;
			used++;
		} else if (op < 5) {
			enum bit_allocator_result r = bit_allocator_alloc_at(&allocator, index);
			if (index >= count) {
				CHECK_EQ(r, BIT_ALLOCATOR_OUT_OF_RANGE);
			} else if (reference[index]) {
				CHECK_EQ(r, BIT_ALLOCATOR_ALREADY_ALLOCATED);
			} else {
				CHECK_EQ(r, BIT_ALLOCATOR_OK);
				reference[index] = true;
				used++;
			}
		} else if (op < 8) {
			enum bit_allocator_result r = bit_allocator_free(&allocator, index);
			if (index >= count) {
				CHECK_EQ(r, BIT_ALLOCATOR_OUT_OF_RANGE);
			} else if (!reference[index]) {
				CHECK_EQ(r, BIT_ALLOCATOR_NOT_ALLOCATED);
			} else {
				CHECK_EQ(r, BIT_ALLOCATOR_OK);
				reference[index] = false;
				used--;
			}
		} else if (op < 9) {
			unsigned log2 = (unsigned)(unit_random_next(&seed) % 9);
			size_t size = (size_t)1 << log2;
			struct bit_allocator_alloc_ret r = bit_allocator_alloc_block(&allocator, log2);
			if (size > count) {
				CHECK_EQ(r.result, BIT_ALLOCATOR_INVALID_SIZE);
			} else if (!reference_block_free(reference, count, log2)) {
				CHECK_EQ(r.result, BIT_ALLOCATOR_EXHAUSTED);
			} else {
				CHECK_EQ(r.result, BIT_ALLOCATOR_OK);
				CHECK_EQ_U(r.index % size, 0);
				CHECK(r.index + size <= count);
				for (size_t i = r.index; i < r.index + size; i++) {
					CHECK(!reference[i]);
					reference[i] = true;
				}
				used += size;
			}
		} else {
			unsigned log2 = (unsigned)(unit_random_next(&seed) % 4);
			size_t size = (size_t)1 << log2;
			index &= ~(size - 1);
			enum bit_allocator_result r = bit_allocator_free_block(&allocator, index, log2);
			bool all = index + size <= count;
			for (size_t i = index; all && i < index + size; i++) all = reference[i];
			if (index + size > count)
				CHECK_EQ(r, BIT_ALLOCATOR_OUT_OF_RANGE);
			else if (!all)
				CHECK_EQ(r, BIT_ALLOCATOR_NOT_ALLOCATED);
			else {
				CHECK_EQ(r, BIT_ALLOCATOR_OK);
				for (size_t i = index; i < index + size; i++) reference[i] = false;
				used -= size;
			}
		}
		CHECK_EQ_U(bit_allocator_available(&allocator), count - used);
	}
	for (size_t i = 0; i < count; i++) CHECK_EQ(allocated(&allocator, i), reference[i]);
	free(reference);
	free(allocator.bits.words);
}

TEST(random_operations_against_reference)
{
	random_against_reference(300, 0x243f6a8885a308d3ull);
	random_against_reference(256, 0x13198a2e03707344ull);
	random_against_reference(70, 0xa4093822299f31d0ull);
}
