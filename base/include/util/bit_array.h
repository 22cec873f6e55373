/* SPDX-License-Identifier: MIT */
/**
 * \brief array of bits over caller-provided word storage
 *
 * The caller provides the words (BIT_ARRAY_WORDS(bits) of them) and keeps them
 * alive as long as the bit array is used; the bit array never allocates. Every
 * access is range-checked: an index or count outside the array (including an
 * index + count that overflows) is a result, never an access past the words.
 * Setting a bit that is already set or clearing a clear one is reported, so
 * that an allocator on top catches a double allocation or a double free; such
 * a failed call changes no bit.
 *
 * Bit i lives in word i / 64 at bit position i % 64. Cost of set, clear and
 * get: O(count / 64 + 1). No locking.
 */

#ifndef _UTIL_BIT_ARRAY_H_
#define _UTIL_BIT_ARRAY_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { BIT_ARRAY_WORD_BITS = 64 };

/** number of uint64_t words that hold `bits` bits (usable in array sizes) */
#define BIT_ARRAY_WORDS(bits) \
	((bits) / BIT_ARRAY_WORD_BITS + ((bits) % BIT_ARRAY_WORD_BITS != 0))

struct bit_array
{
	uint64_t *words;  /* BIT_ARRAY_WORDS(bit_count) words, owned by the caller */
	size_t bit_count; /* valid indices are 0 .. bit_count - 1 */
};

/** results of bit_array_set, bit_array_clear and bit_array_get */
enum bit_array_result {
	BIT_ARRAY_OK = 0,
	/* count is 0, or index + count (computed without overflow) > bit_count */
	BIT_ARRAY_INVALID_RANGE,
	/* bit_array_set only: a bit of the range is set already */
	BIT_ARRAY_ALREADY_SET,
	/* bit_array_clear only: a bit of the range is clear already */
	BIT_ARRAY_ALREADY_CLEAR,
};

/** result and value of bit_array_get */
struct bit_array_get_ret
{
	enum bit_array_result result;
	bool all_set; /* every bit of the range is set (false unless OK) */
	bool any_set; /* at least one bit of the range is set (false unless OK) */
};

/**
 * Set up `array` over `words` and clear all of its bits.
 *
 * \param words      BIT_ARRAY_WORDS(bit_count) words, owned by the caller and
 *                   kept alive while `array` is used; NULL only when
 *                   bit_count is 0
 * \param bit_count  number of bits; 0 gives an array on which every access
 *                   is BIT_ARRAY_INVALID_RANGE
 */
void bit_array_init(struct bit_array *array, uint64_t *words, size_t bit_count);

/**
 * Set the `count` bits from `index` on.
 *
 * \return BIT_ARRAY_OK             all of them were clear and are set now
 *         BIT_ARRAY_INVALID_RANGE  the range is empty or leaves the array
 *         BIT_ARRAY_ALREADY_SET    one of them was set already
 *         on any failure no bit changes
 */
enum bit_array_result bit_array_set(struct bit_array *array, size_t index, size_t count)
    __attribute__((warn_unused_result));

/**
 * Clear the `count` bits from `index` on.
 *
 * \return BIT_ARRAY_OK             all of them were set and are clear now
 *         BIT_ARRAY_INVALID_RANGE  the range is empty or leaves the array
 *         BIT_ARRAY_ALREADY_CLEAR  one of them was clear already
 *         on any failure no bit changes
 */
enum bit_array_result bit_array_clear(struct bit_array *array, size_t index, size_t count)
    __attribute__((warn_unused_result));

/**
 * Look at the `count` bits from `index` on.
 *
 * \return result BIT_ARRAY_OK with `all_set` and `any_set` describing the
 *         range, or BIT_ARRAY_INVALID_RANGE (the range is empty or leaves
 *         the array) with both false
 */
struct bit_array_get_ret bit_array_get(struct bit_array const *array, size_t index,
                                       size_t count) __attribute__((warn_unused_result));

#endif /* _UTIL_BIT_ARRAY_H_ */
