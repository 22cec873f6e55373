/* SPDX-License-Identifier: MIT */
/**
 * \brief hex codecs of the GDB remote protocol: memory and register contents
 *
 * Table-driven: encoding is one table load and one two-byte store per byte,
 * decoding one table load per digit. Encoding is the hot path of memory
 * reads (`m`), so it also returns the checksum contribution of what it wrote
 * and the writer need not read its output again.
 */

#ifndef _RSP_HEX_H_
#define _RSP_HEX_H_

#include <stdbool.h>
#include <stddef.h>

/**
 * Encode `length` bytes as 2 * `length` lower-case hex digits, each byte's
 * high digit first.
 *
 * \param digits  room for 2 * length chars (no NUL is written); must not
 *                overlap `bytes`
 * \return        the sum of the digits written, for a packet checksum
 *                (it exceeds 255; reduce it modulo 256)
 */
size_t rsp_hex_encode(char *digits, void const *bytes, size_t length);

/** whether `length` chars are all hex digits (either case) and `length` is even */
bool rsp_hex_valid(char const *digits, size_t length) __attribute__((warn_unused_result));

/** result of rsp_hex_decode() */
enum rsp_hex_decode {
	RSP_HEX_DECODE_OK = 0,  /**< all bytes decoded */
	RSP_HEX_DECODE_INVALID, /**< an odd length, or a char that is not a hex digit */
};

/**
 * Decode hex digits (either case) into `length` / 2 bytes.
 *
 * Decodes as it checks, so on RSP_HEX_DECODE_INVALID `bytes` may hold a
 * partial result: check with rsp_hex_valid() first (the parsers do) where a
 * partial write matters, e.g. into the target's memory.
 *
 * \param bytes   room for length / 2 bytes; must not overlap `digits`
 * \param digits  the hex text
 * \param length  chars of `digits`
 */
enum rsp_hex_decode rsp_hex_decode(void *bytes, char const *digits, size_t length)
    __attribute__((warn_unused_result));

#endif /* _RSP_HEX_H_ */
