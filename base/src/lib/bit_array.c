/* SPDX-License-Identifier: MIT */
/** \brief array of bits over caller-provided word storage */

#include <base/panic.h>
#include <util/bit_array.h>

/*
 * A range is walked word by word: `bit_array_span` gives, for the word that
 * holds bit `index`, the mask of the range's bits in that word and how many
 * bits of the range it holds.
 */
struct bit_array_span
{
	size_t word;
	uint64_t mask;
	size_t bits;
};

static struct bit_array_span bit_array_span(size_t index, size_t remaining)
{
	size_t shift = index % BIT_ARRAY_WORD_BITS;
	size_t bits = BIT_ARRAY_WORD_BITS - shift;
	if (bits > remaining) bits = remaining;
	uint64_t mask = bits == BIT_ARRAY_WORD_BITS ? ~(uint64_t)0 : (((uint64_t)1 << bits) - 1);
	return (struct bit_array_span){ index / BIT_ARRAY_WORD_BITS, mask << shift, bits };
}

static bool bit_array_range_valid(struct bit_array const *array, size_t index, size_t count)
{
	/* written so that index + count cannot overflow */
	return count != 0 && index < array->bit_count && count <= array->bit_count - index;
}

void bit_array_init(struct bit_array *array, uint64_t *words, size_t bit_count)
{
	ASSERT(words != NULL || bit_count == 0);
	array->words = words;
	array->bit_count = bit_count;
	for (size_t i = 0; i < BIT_ARRAY_WORDS(bit_count); i++) words[i] = 0;
}

struct bit_array_get_ret bit_array_get(struct bit_array const *array, size_t index,
                                       size_t count)
{
	if (!bit_array_range_valid(array, index, count))
		return (struct bit_array_get_ret){ BIT_ARRAY_INVALID_RANGE, false, false };

	bool all = true, any = false;
	while (count) {
		struct bit_array_span span = bit_array_span(index, count);
		uint64_t bits = array->words[span.word] & span.mask;
		if (bits != span.mask) all = false;
		if (bits) any = true;
		if (!all && any) break;
		index += span.bits;
		count -= span.bits;
	}
	return (struct bit_array_get_ret){ BIT_ARRAY_OK, all, any };
}

/* write the (validated, conflict-free) range to `value` */
static void bit_array_write(struct bit_array *array, size_t index, size_t count, bool value)
{
	while (count) {
		struct bit_array_span span = bit_array_span(index, count);
		if (value)
			array->words[span.word] |= span.mask;
		else
			array->words[span.word] &= ~span.mask;
		index += span.bits;
		count -= span.bits;
	}
}

enum bit_array_result bit_array_set(struct bit_array *array, size_t index, size_t count)
{
	/* check the whole range before the first write: a failure changes nothing */
	struct bit_array_get_ret now = bit_array_get(array, index, count);
	if (now.result != BIT_ARRAY_OK) return now.result;
	if (now.any_set) return BIT_ARRAY_ALREADY_SET;
	bit_array_write(array, index, count, true);
	return BIT_ARRAY_OK;
}

enum bit_array_result bit_array_clear(struct bit_array *array, size_t index, size_t count)
{
	struct bit_array_get_ret now = bit_array_get(array, index, count);
	if (now.result != BIT_ARRAY_OK) return now.result;
	if (!now.all_set) return BIT_ARRAY_ALREADY_CLEAR;
	bit_array_write(array, index, count, false);
	return BIT_ARRAY_OK;
}
