/* SPDX-License-Identifier: MIT */
/**
 * \brief string and memory helpers for code that cannot use the C library
 *
 * Everything here works on plain byte arrays and NUL-terminated strings and
 * touches no global state. Comparisons order bytes as unsigned char, like the
 * C library. Pointers passed here must be valid for the sizes given; NULL is
 * accepted only where a function says so.
 */

#ifndef _UTIL_STRING_H_
#define _UTIL_STRING_H_

#include <stdbool.h>
#include <stddef.h>

/**
 * Length of a NUL-terminated string, without the NUL.
 *
 * \param s  the string (not NULL)
 */
size_t string_length(char const *s);

/**
 * Length of a string that may lack its NUL: stops after `max` bytes.
 *
 * Reads at most `max` bytes of `s`, so it is safe on a fixed-size field
 * that is not terminated.
 *
 * \param s    the string (may be NULL only if max is 0)
 * \param max  upper bound on the bytes examined
 * \return     the index of the first NUL, or `max` if none of the first
 *             `max` bytes is NUL
 */
size_t string_length_bounded(char const *s, size_t max);

/** result of string_copy() */
enum string_copy_result {
	STRING_COPY_OK = 0,    /**< the whole source fit, including its NUL */
	STRING_COPY_TRUNCATED, /**< the destination holds a truncated prefix (or,
	                            with dst_size 0, nothing at all) */
};

/**
 * Copy a string into a bounded buffer.
 *
 * Never writes more than `dst_size` bytes and, if dst_size > 0, always
 * NUL-terminates `dst`. The two strings must not overlap.
 *
 * Not warn_unused_result on purpose: a truncated label in a log line is
 * often acceptable, and gcc does not let a (void) cast silence that
 * attribute.
 *
 * \param dst       destination buffer of dst_size bytes (may be NULL only if
 *                  dst_size is 0)
 * \param src       NUL-terminated source (not NULL)
 * \param dst_size  size of dst in bytes, room for the NUL included
 * \return          STRING_COPY_OK or STRING_COPY_TRUNCATED
 */
enum string_copy_result string_copy(char *dst, char const *src, size_t dst_size);

/**
 * Compare two NUL-terminated strings.
 *
 * \return  < 0, 0 or > 0 as `a` sorts before, equal to or after `b`
 */
int string_compare(char const *a, char const *b);

/**
 * Compare at most `n` bytes of two strings; stops early at a NUL.
 *
 * \return  < 0, 0 or > 0 as the first `n` bytes of `a` sort before, equal to
 *          or after those of `b`
 */
int string_compare_n(char const *a, char const *b, size_t n);

/** True if the two NUL-terminated strings are equal. */
bool string_equal(char const *a, char const *b);

/** True if the NUL-terminated string `s` begins with `prefix`. */
bool string_starts_with(char const *s, char const *prefix);

/**
 * First occurrence of a byte in a NUL-terminated string.
 *
 * \param c  the byte to find; '\0' finds the terminating NUL
 * \return   a pointer into `s`, or NULL if `c` does not occur
 */
char const *string_find_char(char const *s, char c);

/**
 * Copy `n` bytes from `src` to `dst`; the ranges must not overlap.
 *
 * \return  dst
 */
void *memory_copy(void *dst, void const *src, size_t n);

/**
 * Copy `n` bytes from `src` to `dst`; the ranges may overlap.
 *
 * \return  dst
 */
void *memory_move(void *dst, void const *src, size_t n);

/**
 * Fill `n` bytes at `dst` with the byte `value`.
 *
 * \return  dst
 */
void *memory_set(void *dst, unsigned char value, size_t n);

/**
 * Compare `n` bytes.
 *
 * \return  < 0, 0 or > 0 as the first differing byte of `a` is below, equal
 *          to or above that of `b` (as unsigned char); 0 if n is 0
 */
int memory_compare(void const *a, void const *b, size_t n);

/** True for '0'..'9'. */
static inline bool ascii_is_digit(char c) { return c >= '0' && c <= '9'; }

/** True for 'a'..'z' and 'A'..'Z'. */
static inline bool ascii_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** True for space, tab, newline, vertical tab, form feed and carriage return. */
static inline bool ascii_is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/** True for '0'..'9', 'a'..'f' and 'A'..'F'. */
static inline bool ascii_is_hex_digit(char c)
{
	return ascii_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/**
 * Value of a hexadecimal digit.
 *
 * \return  0..15, or -1 if `c` is not a hex digit
 */
static inline int ascii_hex_digit_value(char c)
{
	if (ascii_is_digit(c)) return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/** Lower-case form of an ASCII letter; any other byte unchanged. */
static inline char ascii_to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/** True for the printable ASCII range ' '..'~'. */
static inline bool ascii_is_print(char c) { return c >= ' ' && c <= '~'; }

#endif /* _UTIL_STRING_H_ */
