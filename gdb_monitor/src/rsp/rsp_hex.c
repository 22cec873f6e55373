/* SPDX-License-Identifier: MIT */
/** \brief hex codecs of the GDB remote protocol, table-driven (rsp/hex.h) */

#include <stdint.h>

#include <rsp/hex.h>

/*
 * The tables are built by the preprocessor, so they are constant data
 * without an init function or a global that someone must set up.
 */
#define HEX_DIGIT(n) ((n) < 10 ? '0' + (n) : 'a' - 10 + (n))
#define HEX_PAIR(b)  (char)HEX_DIGIT((b) >> 4), (char)HEX_DIGIT((b)&15)
#define HEX_SUM(b)   (uint16_t)(HEX_DIGIT((b) >> 4) + HEX_DIGIT((b)&15))
#define HEX_ROW(M, h)                                                                         \
	M(h + 0), M(h + 1), M(h + 2), M(h + 3), M(h + 4), M(h + 5), M(h + 6), M(h + 7), M(h + 8), \
	    M(h + 9), M(h + 10), M(h + 11), M(h + 12), M(h + 13), M(h + 14), M(h + 15)
#define HEX_TABLE(M)                                                                         \
	HEX_ROW(M, 0), HEX_ROW(M, 16), HEX_ROW(M, 32), HEX_ROW(M, 48), HEX_ROW(M, 64),           \
	    HEX_ROW(M, 80), HEX_ROW(M, 96), HEX_ROW(M, 112), HEX_ROW(M, 128), HEX_ROW(M, 144),   \
	    HEX_ROW(M, 160), HEX_ROW(M, 176), HEX_ROW(M, 192), HEX_ROW(M, 208), HEX_ROW(M, 224), \
	    HEX_ROW(M, 240)

/* the two digits of each byte, and their sum for the checksum */
static char const hex_pairs[512] = { HEX_TABLE(HEX_PAIR) };
static uint16_t const hex_sums[256] = { HEX_TABLE(HEX_SUM) };

/* the value of each char as a digit; HEX_BAD (bit 4) for a non-digit, so that
 * or-ing the values of a run tells whether any was bad */
#define HEX_BAD 0x10
#define HEX_VALUE(c)                                      \
	(uint8_t)((c) >= '0' && (c) <= '9'   ? (c) - '0'      \
	          : (c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10 \
	          : (c) >= 'A' && (c) <= 'F' ? (c) - 'A' + 10 \
	                                     : HEX_BAD)
static uint8_t const hex_values[256] = { HEX_TABLE(HEX_VALUE) };

size_t rsp_hex_encode(char *digits, void const *bytes, size_t length)
{
	uint8_t const *in = bytes;
	size_t sum = 0;
	size_t i = 0;

	/*
	 * Four bytes per round, each pair copied with a two-byte load and
	 * store (the compiler's memcpy of a constant 2), the sums kept in
	 * two accumulators so the additions do not wait on each other.
	 */
	size_t sum_odd = 0;
	for (; i + 4 <= length; i += 4) {
		uint8_t b0 = in[i], b1 = in[i + 1], b2 = in[i + 2], b3 = in[i + 3];
		__builtin_memcpy(digits + 2 * i, hex_pairs + 2 * b0, 2);
		__builtin_memcpy(digits + 2 * i + 2, hex_pairs + 2 * b1, 2);
		__builtin_memcpy(digits + 2 * i + 4, hex_pairs + 2 * b2, 2);
		__builtin_memcpy(digits + 2 * i + 6, hex_pairs + 2 * b3, 2);
		sum += (size_t)hex_sums[b0] + hex_sums[b2];
		sum_odd += (size_t)hex_sums[b1] + hex_sums[b3];
	}
	for (; i < length; i++) {
		__builtin_memcpy(digits + 2 * i, hex_pairs + 2 * in[i], 2);
		sum += hex_sums[in[i]];
	}
	return sum + sum_odd;
}

bool rsp_hex_valid(char const *digits, size_t length)
{
	if (length % 2) return false;
	uint8_t bad = 0;
	for (size_t i = 0; i < length; i++) bad |= hex_values[(uint8_t)digits[i]];
	return !(bad & HEX_BAD);
}

enum rsp_hex_decode rsp_hex_decode(void *bytes, char const *digits, size_t length)
{
	if (length % 2) return RSP_HEX_DECODE_INVALID;
	uint8_t *out = bytes;
	uint8_t bad = 0;
	for (size_t i = 0; i < length / 2; i++) {
		uint8_t high = hex_values[(uint8_t)digits[2 * i]];
		uint8_t low = hex_values[(uint8_t)digits[2 * i + 1]];
		bad |= high | low;
		out[i] = (uint8_t)(high << 4 | (low & 15));
	}
	return (bad & HEX_BAD) ? RSP_HEX_DECODE_INVALID : RSP_HEX_DECODE_OK;
}
