/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/bit_array: word edges, range checks, conflicts */

#include <stdlib.h>

#include <util/bit_array.h>

#include "unit_random.h"
#include "unit_test.h"

enum { BITS = 200, WORDS = BIT_ARRAY_WORDS(BITS) };

/* storage on the heap, exactly as large as needed, so ASan sees any overrun */
static struct bit_array make_array(size_t bits)
{
	struct bit_array array;
	size_t words = BIT_ARRAY_WORDS(bits);
	uint64_t *storage = malloc(words ? words * sizeof(uint64_t) : 1);
	for (size_t i = 0; i < words; i++) storage[i] = ~(uint64_t)0; /* init must clear */
	bit_array_init(&array, storage, bits);
	return array;
}

static bool all_set(struct bit_array const *array, size_t index, size_t count)
{
	struct bit_array_get_ret r = bit_array_get(array, index, count);
	CHECK_EQ(r.result, BIT_ARRAY_OK);
	return r.all_set;
}

static bool any_set(struct bit_array const *array, size_t index, size_t count)
{
	struct bit_array_get_ret r = bit_array_get(array, index, count);
	CHECK_EQ(r.result, BIT_ARRAY_OK);
	return r.any_set;
}

TEST(words_macro)
{
	CHECK_EQ_U(BIT_ARRAY_WORDS(0), 0);
	CHECK_EQ_U(BIT_ARRAY_WORDS(1), 1);
	CHECK_EQ_U(BIT_ARRAY_WORDS(64), 1);
	CHECK_EQ_U(BIT_ARRAY_WORDS(65), 2);
	CHECK_EQ_U(BIT_ARRAY_WORDS(128), 2);
	CHECK_EQ_U(BIT_ARRAY_WORDS(SIZE_MAX), SIZE_MAX / 64 + 1);
}

TEST(init_clears_everything)
{
	struct bit_array array = make_array(BITS);
	CHECK(!any_set(&array, 0, BITS));
	for (size_t i = 0; i < WORDS; i++) CHECK_EQ_U(array.words[i], 0);
	free(array.words);
}

TEST(single_bits_land_in_the_right_word)
{
	struct bit_array array = make_array(BITS);
	size_t const bits[] = { 0, 1, 62, 63, 64, 65, 127, 128, BITS - 1 };
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		size_t b = bits[i];
		CHECK_EQ(bit_array_set(&array, b, 1), BIT_ARRAY_OK);
		CHECK_EQ_U(array.words[b / 64], (uint64_t)1 << (b % 64));
		CHECK(all_set(&array, b, 1));
		/* no neighbour got it */
		if (b > 0) CHECK(!any_set(&array, 0, b));
		if (b < BITS - 1) CHECK(!any_set(&array, b + 1, BITS - b - 1));
		CHECK_EQ(bit_array_clear(&array, b, 1), BIT_ARRAY_OK);
		CHECK(!any_set(&array, 0, BITS));
	}
	free(array.words);
}

TEST(range_across_word_edge_63_64)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_set(&array, 63, 2), BIT_ARRAY_OK);
	CHECK_EQ_U(array.words[0], (uint64_t)1 << 63);
	CHECK_EQ_U(array.words[1], 1);
	CHECK(all_set(&array, 63, 2));
	CHECK(!all_set(&array, 62, 2));
	CHECK(any_set(&array, 62, 2));
	CHECK(!any_set(&array, 0, 63));
	CHECK(!any_set(&array, 65, BITS - 65));
	free(array.words);
}

TEST(range_of_whole_words_and_partial_ends)
{
	struct bit_array array = make_array(BITS);
	/* 10 .. 194: partial word 0, full words 1 and 2, partial word 3 */
	CHECK_EQ(bit_array_set(&array, 10, 185), BIT_ARRAY_OK);
	CHECK_EQ_U(array.words[0], ~(uint64_t)0 << 10);
	CHECK_EQ_U(array.words[1], ~(uint64_t)0);
	CHECK_EQ_U(array.words[2], ~(uint64_t)0);
	CHECK_EQ_U(array.words[3], 0x7);
	CHECK(all_set(&array, 10, 185));
	CHECK(!any_set(&array, 0, 10));
	CHECK(!any_set(&array, 195, BITS - 195));
	CHECK_EQ(bit_array_clear(&array, 10, 185), BIT_ARRAY_OK);
	for (size_t i = 0; i < WORDS; i++) CHECK_EQ_U(array.words[i], 0);
	free(array.words);
}

TEST(exact_word_ranges)
{
	struct bit_array array = make_array(128);
	CHECK_EQ(bit_array_set(&array, 64, 64), BIT_ARRAY_OK);
	CHECK_EQ_U(array.words[0], 0);
	CHECK_EQ_U(array.words[1], ~(uint64_t)0);
	CHECK_EQ(bit_array_set(&array, 0, 64), BIT_ARRAY_OK);
	CHECK(all_set(&array, 0, 128));
	CHECK_EQ(bit_array_clear(&array, 0, 128), BIT_ARRAY_OK);
	CHECK(!any_set(&array, 0, 128));
	free(array.words);
}

TEST(last_bit_and_whole_array)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_set(&array, BITS - 1, 1), BIT_ARRAY_OK);
	CHECK(all_set(&array, BITS - 1, 1));
	CHECK_EQ(bit_array_set(&array, 0, BITS - 1), BIT_ARRAY_OK);
	CHECK(all_set(&array, 0, BITS));
	/* padding bits past the end of the last word stay clear */
	CHECK_EQ_U(array.words[WORDS - 1], ((uint64_t)1 << (BITS % 64)) - 1);
	CHECK_EQ(bit_array_clear(&array, 0, BITS), BIT_ARRAY_OK);
	CHECK(!any_set(&array, 0, BITS));
	free(array.words);
}

TEST(out_of_range_is_a_result)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_set(&array, BITS, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, BITS - 1, 2), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, 0, BITS + 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, SIZE_MAX, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_clear(&array, BITS, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_clear(&array, 199, 2), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_get(&array, BITS, 1).result, BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_get(&array, 1, BITS).result, BIT_ARRAY_INVALID_RANGE);
	/* nothing was written: in particular the part inside the array is clear */
	CHECK(!any_set(&array, 0, BITS));
	free(array.words);
}

TEST(index_plus_count_overflow_is_a_result)
{
	struct bit_array array = make_array(BITS);
	/* index + count wraps around to a small number */
	CHECK_EQ(bit_array_set(&array, 10, SIZE_MAX), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, 10, SIZE_MAX - 5), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, SIZE_MAX, SIZE_MAX), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_clear(&array, 5, SIZE_MAX - 2), BIT_ARRAY_INVALID_RANGE);
	struct bit_array_get_ret r = bit_array_get(&array, 1, SIZE_MAX);
	CHECK_EQ(r.result, BIT_ARRAY_INVALID_RANGE);
	CHECK(!r.all_set && !r.any_set);
	CHECK(!any_set(&array, 0, BITS));
	free(array.words);
}

TEST(count_zero_is_a_result)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_set(&array, 0, 0), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, BITS, 0), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_clear(&array, 3, 0), BIT_ARRAY_INVALID_RANGE);
	struct bit_array_get_ret r = bit_array_get(&array, 3, 0);
	CHECK_EQ(r.result, BIT_ARRAY_INVALID_RANGE);
	CHECK(!r.all_set && !r.any_set);
	free(array.words);
}

TEST(empty_array_rejects_everything)
{
	struct bit_array array;
	bit_array_init(&array, NULL, 0);
	CHECK_EQ(bit_array_set(&array, 0, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_clear(&array, 0, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_get(&array, 0, 1).result, BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, 0, 0), BIT_ARRAY_INVALID_RANGE);
}

TEST(one_bit_array)
{
	struct bit_array array = make_array(1);
	CHECK_EQ(bit_array_set(&array, 0, 1), BIT_ARRAY_OK);
	CHECK_EQ_U(array.words[0], 1);
	CHECK_EQ(bit_array_set(&array, 1, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, 0, 2), BIT_ARRAY_INVALID_RANGE);
	free(array.words);
}

TEST(array_of_exactly_64_bits)
{
	struct bit_array array = make_array(64);
	CHECK_EQ(bit_array_set(&array, 63, 1), BIT_ARRAY_OK);
	CHECK_EQ(bit_array_set(&array, 64, 1), BIT_ARRAY_INVALID_RANGE);
	CHECK_EQ(bit_array_set(&array, 0, 63), BIT_ARRAY_OK);
	CHECK_EQ_U(array.words[0], ~(uint64_t)0);
	free(array.words);
}

TEST(set_twice_is_reported_and_changes_nothing)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_set(&array, 70, 1), BIT_ARRAY_OK);
	CHECK_EQ(bit_array_set(&array, 70, 1), BIT_ARRAY_ALREADY_SET);
	/* a range that overlaps the set bit at its end: none of it gets set */
	CHECK_EQ(bit_array_set(&array, 10, 61), BIT_ARRAY_ALREADY_SET);
	CHECK(!any_set(&array, 0, 70));
	/* overlapping at its start */
	CHECK_EQ(bit_array_set(&array, 70, 50), BIT_ARRAY_ALREADY_SET);
	CHECK(!any_set(&array, 71, BITS - 71));
	CHECK_EQ_U(array.words[1], (uint64_t)1 << 6);
	free(array.words);
}

TEST(clear_twice_is_reported_and_changes_nothing)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_clear(&array, 5, 1), BIT_ARRAY_ALREADY_CLEAR);
	CHECK_EQ(bit_array_set(&array, 60, 10), BIT_ARRAY_OK);
	CHECK_EQ(bit_array_clear(&array, 65, 1), BIT_ARRAY_OK);
	CHECK_EQ(bit_array_clear(&array, 65, 1), BIT_ARRAY_ALREADY_CLEAR);
	/* a range with one clear bit in the middle: nothing is cleared */
	CHECK_EQ(bit_array_clear(&array, 60, 10), BIT_ARRAY_ALREADY_CLEAR);
	CHECK(all_set(&array, 60, 5));
	CHECK(all_set(&array, 66, 4));
	/* a range that reaches past the set bits */
	CHECK_EQ(bit_array_clear(&array, 66, 5), BIT_ARRAY_ALREADY_CLEAR);
	CHECK(all_set(&array, 66, 4));
	free(array.words);
}

TEST(get_reports_all_and_any)
{
	struct bit_array array = make_array(BITS);
	CHECK_EQ(bit_array_set(&array, 100, 30), BIT_ARRAY_OK);
	struct bit_array_get_ret r = bit_array_get(&array, 100, 30);
	CHECK(r.all_set && r.any_set);
	r = bit_array_get(&array, 90, 20);
	CHECK(!r.all_set && r.any_set);
	r = bit_array_get(&array, 120, 20);
	CHECK(!r.all_set && r.any_set);
	r = bit_array_get(&array, 0, 100);
	CHECK(!r.all_set && !r.any_set);
	r = bit_array_get(&array, 130, 70);
	CHECK(!r.all_set && !r.any_set);
	r = bit_array_get(&array, 0, BITS);
	CHECK(!r.all_set && r.any_set);
	free(array.words);
}

TEST(random_ranges_against_reference)
{
	enum { N = 333 };
	struct bit_array array = make_array(N);
	bool reference[N] = { false };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 20000; round++) {
		size_t index = unit_random_next(&seed) % (N + 2);
		/* mostly short ranges, so that clears of all-set ranges happen too */
		size_t count_bound = unit_random_next(&seed) % 4 ? 6 : 130;
		size_t count = unit_random_next(&seed) % count_bound;
		int op = (int)(unit_random_next(&seed) % 3);

		bool valid = count > 0 && index < N && index + count <= N;
		bool all = valid, any = false;
		for (size_t i = index; valid && i < index + count; i++) {
			all = all && reference[i];
			any = any || reference[i];
		}
		if (op == 0) {
			enum bit_array_result r = bit_array_set(&array, index, count);
			CHECK_EQ(r, !valid ? BIT_ARRAY_INVALID_RANGE
			            : any  ? BIT_ARRAY_ALREADY_SET
			                   : BIT_ARRAY_OK);
			if (r == BIT_ARRAY_OK)
				for (size_t i = index; i < index + count; i++) reference[i] = true;
		} else if (op == 1) {
			enum bit_array_result r = bit_array_clear(&array, index, count);
			CHECK_EQ(r, !valid ? BIT_ARRAY_INVALID_RANGE
			            : !all ? BIT_ARRAY_ALREADY_CLEAR
			                   : BIT_ARRAY_OK);
			if (r == BIT_ARRAY_OK)
				for (size_t i = index; i < index + count; i++) reference[i] = false;
		} else {
			struct bit_array_get_ret r = bit_array_get(&array, index, count);
			CHECK_EQ(r.result, valid ? BIT_ARRAY_OK : BIT_ARRAY_INVALID_RANGE);
			CHECK_EQ(r.all_set, all);
			CHECK_EQ(r.any_set, any);
		}
		/* the array agrees bit for bit, padding included */
		for (size_t i = 0; i < N; i++)
			CHECK_EQ((array.words[i / 64] >> (i % 64)) & 1, reference[i]);
		CHECK_EQ_U(array.words[N / 64] >> (N % 64), 0);
	}
	free(array.words);
}
