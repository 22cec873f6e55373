/* SPDX-License-Identifier: MIT */
/**
 * \brief reading and editing session-argument strings
 *
 * A session-argument string is a comma-separated list of key=value pairs:
 *
 *     ram_quota=8M, label="init -> test", priority=0x10
 *
 * Grammar (whitespace is allowed around '=' and ','; see util/token.h):
 *
 *     args   := ws* [ pair ( ws* ',' ws* pair )* ] ws*
 *     pair   := identifier ws* '=' ws* value
 *     value  := string | raw
 *     string := '"' ... '"'       with \" and \\ as escapes
 *     raw    := one or more bytes that are not whitespace, ',' or '"'
 *
 * Anything else (a missing '=', an empty key or value, an unterminated
 * quote, an empty pair, a trailing comma, two pairs without a comma) makes
 * the whole string malformed: every function checks the whole string and
 * answers ARG_STRING_MALFORMED for it, never a half-parsed value.
 *
 * Keys are compared exactly and case-sensitively ("ram" does not find
 * "ram_quota"). If a key occurs more than once, reads see the first pair;
 * set and remove leave no second pair of that key behind.
 *
 * Reading works on (pointer, length): the string ends after `length` bytes
 * or at a NUL, whichever comes first. Editing works in a caller-owned buffer
 * of `capacity` bytes that holds a NUL-terminated string; an edit that does
 * not fit leaves the buffer unchanged. Nothing here allocates or reads or
 * writes outside the given bounds.
 *
 * Numbers: decimal ("4096") or hexadecimal ("0x1000"), optionally followed by
 * one of the suffixes K, M, G (or k, m, g) meaning 2^10, 2^20, 2^30. Signed
 * numbers may start with '-' or '+'.
 */

#ifndef _UTIL_ARG_STRING_H_
#define _UTIL_ARG_STRING_H_

#include <stddef.h>
#include <stdint.h>

/** results of every arg_string function */
enum arg_string_result {
	ARG_STRING_OK = 0,    /**< done */
	ARG_STRING_NOT_FOUND, /**< the key does not occur */
	ARG_STRING_MALFORMED, /**< the argument string breaks the grammar (or,
	                           for editing, has no NUL within capacity) */
	ARG_STRING_BAD_VALUE, /**< the value is not of the requested form (not a
	                           number, not a valid value to set) */
	ARG_STRING_OVERFLOW,  /**< the number does not fit the result type */
	ARG_STRING_NO_SPACE,  /**< the result does not fit the given buffer;
	                           nothing was changed */
	ARG_STRING_BAD_KEY,   /**< the key is not an identifier */
};

/** result and value span of arg_string_get_raw */
struct arg_string_raw_ret
{
	enum arg_string_result result;
	char const *value; /* first byte of the value, quotes included; NULL unless OK */
	size_t length;     /* bytes of the value; 0 unless OK */
};

/** result and value of the unsigned readers */
struct arg_string_unsigned_ret
{
	enum arg_string_result result;
	uint64_t value; /* 0 unless OK */
};

/** result and value of the signed readers */
struct arg_string_signed_ret
{
	enum arg_string_result result;
	int64_t value; /* 0 unless OK */
};

/** result of arg_string_get_string */
struct arg_string_copy_ret
{
	enum arg_string_result result;
	size_t length; /* bytes of the value without NUL: set for OK and, so that
	                  a caller can size its buffer, for NO_SPACE */
};

/**
 * Check a whole argument string against the grammar.
 *
 * \return ARG_STRING_OK or ARG_STRING_MALFORMED
 */
enum arg_string_result arg_string_validate(char const *args, size_t length)
    __attribute__((warn_unused_result));

/**
 * The value of `key` as written, e.g. `8M` or `"init -> test"` (with quotes).
 *
 * \param args    the argument string (may be NULL only if length is 0)
 * \param length  maximum bytes of args; a NUL ends it earlier
 * \param key     NUL-terminated identifier
 * \return        OK with a span into args, NOT_FOUND, MALFORMED or BAD_KEY
 */
struct arg_string_raw_ret arg_string_get_raw(char const *args, size_t length, char const *key)
    __attribute__((warn_unused_result));

/**
 * The value of `key` as an unsigned 64-bit number.
 *
 * \return OK, NOT_FOUND, MALFORMED, BAD_KEY, BAD_VALUE (a string or other
 *         text that is no number), OVERFLOW (more than 2^64 - 1)
 */
struct arg_string_unsigned_ret arg_string_get_unsigned(char const *args, size_t length,
                                                       char const *key)
    __attribute__((warn_unused_result));

/**
 * The value of `key` as a signed 64-bit number.
 *
 * \return like arg_string_get_unsigned; OVERFLOW outside INT64_MIN..INT64_MAX
 */
struct arg_string_signed_ret arg_string_get_signed(char const *args, size_t length,
                                                   char const *key)
    __attribute__((warn_unused_result));

/**
 * The value of `key` as a NUL-terminated string in `dst`: a quoted value is
 * unquoted (\" and \\ decoded), a raw value is copied as it is.
 *
 * \param dst       buffer of dst_size bytes (may be NULL only if dst_size is 0)
 * \param dst_size  room in dst including the NUL
 * \return          OK, NOT_FOUND, MALFORMED, BAD_KEY, NO_SPACE (dst then
 *                  holds "" if dst_size > 0)
 */
struct arg_string_copy_ret arg_string_get_string(char const *args, size_t length,
                                                 char const *key, char *dst, size_t dst_size)
    __attribute__((warn_unused_result));

/**
 * Set `key` to the raw `value`: replace the value of its first pair, drop any
 * later pair of the key, or append ", key=value" after the last pair.
 *
 * \param buffer    NUL-terminated argument string, edited in place
 * \param capacity  bytes of buffer, room for the NUL included
 * \param key       NUL-terminated identifier
 * \param value     NUL-terminated value as it shall appear, e.g. "8M" or
 *                  "\"a b\"": a complete quoted string or raw text (see
 *                  the grammar); must not point into buffer
 * \return          OK, MALFORMED (buffer), BAD_KEY, BAD_VALUE (value is
 *                  no valid value), NO_SPACE; on failure buffer is unchanged
 */
enum arg_string_result arg_string_set(char *buffer, size_t capacity, char const *key,
                                      char const *value) __attribute__((warn_unused_result));

/**
 * Like arg_string_set, with `text` quoted: the value becomes "text" with
 * every " and \ of text escaped. Any text is valid (the empty one too).
 */
enum arg_string_result arg_string_set_string(char *buffer, size_t capacity, char const *key,
                                             char const *text)
    __attribute__((warn_unused_result));

/**
 * Like arg_string_set, with `value` written in decimal without suffix.
 */
enum arg_string_result arg_string_set_unsigned(char *buffer, size_t capacity, char const *key,
                                               uint64_t value)
    __attribute__((warn_unused_result));

/**
 * Remove every pair of `key` together with its separating comma and the
 * whitespace around it ("a=1, b=2, c=3" without b is "a=1, c=3"; without its
 * only pair the string becomes "").
 *
 * \return OK, NOT_FOUND (buffer unchanged), MALFORMED, BAD_KEY
 */
enum arg_string_result arg_string_remove(char *buffer, size_t capacity, char const *key)
    __attribute__((warn_unused_result));

/**
 * Parse a complete unsigned number: all `length` bytes must form it (no
 * whitespace, no NUL). Shared by other parsers of size values (util/xml).
 *
 * \return OK, BAD_VALUE (not a number), OVERFLOW (more than 2^64 - 1)
 */
struct arg_string_unsigned_ret arg_string_parse_unsigned(char const *text, size_t length)
    __attribute__((warn_unused_result));

/**
 * Parse a complete signed number ('-' or '+', then an unsigned number).
 *
 * \return OK, BAD_VALUE, OVERFLOW (outside INT64_MIN..INT64_MAX)
 */
struct arg_string_signed_ret arg_string_parse_signed(char const *text, size_t length)
    __attribute__((warn_unused_result));

#endif /* _UTIL_ARG_STRING_H_ */
