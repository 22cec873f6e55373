/* SPDX-License-Identifier: MIT */
/** \brief allocator of indices over a bit array, searching a word at a time */

#include <base/panic.h>
#include <util/bit_allocator.h>

enum { BIT_ALLOCATOR_LOG2_WORD_BITS = 6 };

static size_t bit_allocator_word_count(struct bit_allocator const *allocator)
{
	return BIT_ARRAY_WORDS(allocator->bits.bit_count);
}

/*
 * Word `word` with every index that cannot be allocated set: the allocated
 * ones and, in the last word, the bits past the end of the allocator.
 */
static uint64_t bit_allocator_occupied(struct bit_allocator const *allocator, size_t word)
{
	uint64_t bits = allocator->bits.words[word];
	size_t tail = allocator->bits.bit_count % BIT_ARRAY_WORD_BITS;
	if (tail && word == bit_allocator_word_count(allocator) - 1) bits |= ~(uint64_t)0 << tail;
	return bits;
}

/* take the free range that a search found: it must be free */
static void bit_allocator_take(struct bit_allocator *allocator, size_t index, size_t count)
{
	enum bit_array_result result = bit_array_set(&allocator->bits, index, count);
	if (result != BIT_ARRAY_OK)
		panic("bit_allocator: found range %zu+%zu is not free (%d)", index, count, result);
	allocator->allocated += count;
}

void bit_allocator_init(struct bit_allocator *allocator, uint64_t *words, size_t count)
{
	bit_array_init(&allocator->bits, words, count);
	allocator->allocated = 0;
	allocator->next_index = 0;
}

/* index of the lowest clear bit of `occupied` in `word`, which has one */
static size_t bit_allocator_first_clear(size_t word, uint64_t occupied)
{
	return word * BIT_ARRAY_WORD_BITS + (size_t)__builtin_ctzll(~occupied);
}

struct bit_allocator_alloc_ret bit_allocator_alloc(struct bit_allocator *allocator)
{
	if (bit_allocator_available(allocator) == 0)
		return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_EXHAUSTED, 0 };

	/*
	 * next-fit: from next_index to the end, then from 0 up to it. The first
	 * word is visited twice: first without the bits below next_index, at the
	 * end of the wrap-around in full.
	 */
	size_t words = bit_allocator_word_count(allocator);
	size_t start_word = allocator->next_index / BIT_ARRAY_WORD_BITS;
	uint64_t below_start = ((uint64_t)1 << (allocator->next_index % BIT_ARRAY_WORD_BITS)) - 1;
	for (size_t i = 0; i <= words; i++) {
		size_t word = start_word + i;
		if (word >= words) word -= words;
		uint64_t occupied = bit_allocator_occupied(allocator, word);
		if (i == 0) occupied |= below_start;
		if (occupied == ~(uint64_t)0) continue;

		size_t index = bit_allocator_first_clear(word, occupied);
		bit_allocator_take(allocator, index, 1);
		allocator->next_index = index + 1 < allocator->bits.bit_count ? index + 1 : 0;
		return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_OK, index };
	}
	panic("bit_allocator: %zu of %zu allocated, but no free bit", allocator->allocated,
	      allocator->bits.bit_count);
}

/* first-fit search for an aligned block of `size` < 64 indices */
static struct bit_allocator_alloc_ret bit_allocator_find_small(struct bit_allocator *allocator,
                                                               size_t size)
{
	/* a bit at every multiple of `size`: the aligned block starts */
	uint64_t starts = 1;
	for (size_t period = size; period < BIT_ARRAY_WORD_BITS; period <<= 1)
		starts |= starts << period;

	size_t words = bit_allocator_word_count(allocator);
	for (size_t word = 0; word < words; word++) {
		uint64_t occupied = bit_allocator_occupied(allocator, word);
		if (occupied == ~(uint64_t)0) continue;

		/* afterwards bit i of `free` tells whether bits i .. i+size-1 are free */
		uint64_t free = ~occupied;
		for (size_t shift = 1; shift < size; shift <<= 1) free &= free >> shift;
		free &= starts;
		if (!free) continue;

		size_t index = word * BIT_ARRAY_WORD_BITS + (size_t)__builtin_ctzll(free);
		return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_OK, index };
	}
	return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_EXHAUSTED, 0 };
}

/* first-fit search for an aligned block of `size` >= 64 indices: whole words */
static struct bit_allocator_alloc_ret bit_allocator_find_large(struct bit_allocator *allocator,
                                                               size_t size)
{
	size_t block_words = size / BIT_ARRAY_WORD_BITS;
	/* only blocks that end within the allocator: bit_count / 64 full words */
	size_t full_words = allocator->bits.bit_count / BIT_ARRAY_WORD_BITS;
	for (size_t first = 0; block_words <= full_words - first; first += block_words) {
		size_t word = first;
		while (word < first + block_words && allocator->bits.words[word] == 0) word++;
		if (word == first + block_words)
			return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_OK,
				                                     first * BIT_ARRAY_WORD_BITS };
	}
	return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_EXHAUSTED, 0 };
}

/* whether a block of 2^log2_count indices fits into the allocator at all */
static bool bit_allocator_block_size_valid(struct bit_allocator const *allocator,
                                           unsigned log2_count)
{
	return log2_count < sizeof(size_t) * 8 &&
	       ((size_t)1 << log2_count) <= allocator->bits.bit_count;
}

struct bit_allocator_alloc_ret bit_allocator_alloc_block(struct bit_allocator *allocator,
                                                         unsigned log2_count)
{
	if (!bit_allocator_block_size_valid(allocator, log2_count))
		return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_INVALID_SIZE, 0 };

	size_t size = (size_t)1 << log2_count;
	if (size > bit_allocator_available(allocator))
		return (struct bit_allocator_alloc_ret){ BIT_ALLOCATOR_EXHAUSTED, 0 };

	struct bit_allocator_alloc_ret found = log2_count < BIT_ALLOCATOR_LOG2_WORD_BITS
	                                           ? bit_allocator_find_small(allocator, size)
	                                           : bit_allocator_find_large(allocator, size);
	if (found.result == BIT_ALLOCATOR_OK) bit_allocator_take(allocator, found.index, size);
	return found;
}

enum bit_allocator_result bit_allocator_alloc_at(struct bit_allocator *allocator, size_t index)
{
	switch (bit_array_set(&allocator->bits, index, 1)) {
	case BIT_ARRAY_OK:
		allocator->allocated++;
		return BIT_ALLOCATOR_OK;
	case BIT_ARRAY_INVALID_RANGE:
		return BIT_ALLOCATOR_OUT_OF_RANGE;
	case BIT_ARRAY_ALREADY_SET:
		return BIT_ALLOCATOR_ALREADY_ALLOCATED;
	case BIT_ARRAY_ALREADY_CLEAR:
		break;
	}
	panic("bit_allocator: unexpected bit_array_set result");
}

/* free `count` indices from `index` on, after the size is validated */
static enum bit_allocator_result bit_allocator_release(struct bit_allocator *allocator,
                                                       size_t index, size_t count)
{
	switch (bit_array_clear(&allocator->bits, index, count)) {
	case BIT_ARRAY_OK:
		allocator->allocated -= count;
		return BIT_ALLOCATOR_OK;
	case BIT_ARRAY_INVALID_RANGE:
		return BIT_ALLOCATOR_OUT_OF_RANGE;
	case BIT_ARRAY_ALREADY_CLEAR:
		return BIT_ALLOCATOR_NOT_ALLOCATED;
	case BIT_ARRAY_ALREADY_SET:
		break;
	}
	panic("bit_allocator: unexpected bit_array_clear result");
}

enum bit_allocator_result bit_allocator_free(struct bit_allocator *allocator, size_t index)
{
	return bit_allocator_release(allocator, index, 1);
}

enum bit_allocator_result bit_allocator_free_block(struct bit_allocator *allocator,
                                                   size_t index, unsigned log2_count)
{
	if (!bit_allocator_block_size_valid(allocator, log2_count))
		return BIT_ALLOCATOR_INVALID_SIZE;
	return bit_allocator_release(allocator, index, (size_t)1 << log2_count);
}
