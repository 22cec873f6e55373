/* SPDX-License-Identifier: MIT */
/**
 * \brief printf-style formatting into a bounded buffer, without the C library
 *
 * Conversions: %s %c %d %i %u %x %X %p %%.
 * Flags: '-' (left align), '0' (pad with zeros), '+', ' ', '#' (0x prefix
 * for %x/%X). Field width as a number or '*' (a negative '*' width means
 * left align). Precision as '.number' or '.*': the maximum bytes of a %s
 * (the string need not be NUL-terminated within them), the minimum digits of
 * an integer. Length modifiers: hh, h, l, ll, z, j, t.
 *
 * Differences from the C library that callers may notice:
 * - a NULL %s prints "(null)" (cut by the precision like any string);
 * - %p prints "0x" and lower-case hex digits, also for NULL ("0x0");
 * - an unknown conversion, or a '%' at the end of the format, is copied to
 *   the output literally and reads no argument (a '*' width or precision
 *   before it has already read its int).
 * Widths and precisions above INT_MAX are clamped to INT_MAX.
 */

#ifndef _UTIL_FORMAT_H_
#define _UTIL_FORMAT_H_

#include <stdarg.h>
#include <stddef.h>

/**
 * Format into `buf` like vsnprintf.
 *
 * Writes at most `size` bytes; if size > 0 the output is always
 * NUL-terminated, truncated if it does not fit. `args` is consumed as by
 * vsnprintf: va_copy it first to use it again.
 *
 * \param buf   destination (may be NULL only if size is 0)
 * \param size  size of buf in bytes, room for the NUL included
 * \param fmt   the format (not NULL)
 * \return      the length the complete output has, without the NUL; the
 *              output was truncated if this is >= size
 */
size_t format_vstring(char *buf, size_t size, char const *fmt, va_list args);

/**
 * Format into `buf` like snprintf; see format_vstring().
 */
size_t format_string(char *buf, size_t size, char const *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* _UTIL_FORMAT_H_ */
