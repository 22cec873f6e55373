/* SPDX-License-Identifier: MIT */
/**
 * \brief zero-copy tokenizer over a bounded character buffer
 *
 * A token is a view into the caller's buffer: a start pointer, a length and
 * the number of bytes left in the buffer from its start. Nothing is copied
 * and nothing is allocated; the buffer must outlive the tokens taken from it.
 *
 * The buffer ends after `length` bytes or at its first NUL byte, whichever
 * comes first, so both bounded fields and NUL-terminated strings work. No
 * function reads a byte at or past that end.
 *
 * Token types (every token is as long as possible):
 *   identifier  [A-Za-z_][A-Za-z0-9_]*
 *   number      [0-9][A-Za-z0-9_]*   (so "0x10", "8M" are one token each)
 *   string      '"' ... '"'; a backslash escapes the byte after it, so \" does
 *               not end the string; the token includes both quotes and the
 *               escapes are left as they are (see token_string_unquote)
 *   unterminated string  a '"' whose closing quote is missing before the end
 *               of the buffer; the token runs to the end of the buffer
 *   whitespace  a run of ' ', '\t', '\n', '\v', '\f', '\r'
 *   delimiter   any other single byte (punctuation, bytes >= 0x80, ...)
 *   end         the end of the buffer, length 0
 */

#ifndef _UTIL_TOKEN_H_
#define _UTIL_TOKEN_H_

#include <stdbool.h>
#include <stddef.h>

/** what kind of text a token covers */
enum token_type {
	TOKEN_END = 0,             /**< end of the buffer: length 0 */
	TOKEN_IDENTIFIER,          /**< letter or '_', then letters, digits, '_' */
	TOKEN_NUMBER,              /**< digit, then letters, digits, '_' */
	TOKEN_STRING,              /**< double-quoted string, quotes included */
	TOKEN_STRING_UNTERMINATED, /**< '"' without its closing quote */
	TOKEN_WHITESPACE,          /**< run of ASCII whitespace */
	TOKEN_DELIMITER,           /**< any other single byte */
};

/** a token: a view into the caller's buffer, passed by value */
struct token
{
	char const *start; /* first byte of the token */
	size_t length;     /* bytes of the token; 0 only for TOKEN_END */
	size_t remaining;  /* bytes from start to the end of the buffer (>= length) */
	enum token_type type;
};

/**
 * First token of a buffer.
 *
 * \param buffer  the text; may be NULL only if length is 0
 * \param length  maximum number of bytes; a NUL byte ends the text earlier
 * \return        the first token; TOKEN_END for an empty buffer
 */
struct token token_first(char const *buffer, size_t length);

/**
 * The token after `current`.
 *
 * \param current  a token from token_first() or token_next()
 * \return         the following token; TOKEN_END again after TOKEN_END
 */
struct token token_next(struct token current);

/**
 * `current` itself unless it is whitespace, else the token after it (which
 * is never whitespace, as whitespace tokens are as long as possible).
 */
struct token token_skip_whitespace(struct token current);

/**
 * True if the token's text equals the NUL-terminated `text` exactly (same
 * length, same bytes). A TOKEN_END equals only "".
 */
bool token_equals(struct token token, char const *text);

/** True if the token is the single-byte delimiter `c`. */
bool token_is_delimiter(struct token token, char c);

/** results of token_string_unquote */
enum token_unquote_result {
	TOKEN_UNQUOTE_OK = 0,       /**< dst holds the unquoted text and a NUL */
	TOKEN_UNQUOTE_NOT_A_STRING, /**< the token is not a TOKEN_STRING */
	TOKEN_UNQUOTE_NO_SPACE,     /**< dst_size is too small; dst holds "" if
	                                 dst_size > 0 */
};

/** result and decoded length of token_string_unquote */
struct token_unquote_ret
{
	enum token_unquote_result result;
	size_t length; /* bytes of the unquoted text without NUL (also when
	                  NO_SPACE, so a caller can size its buffer); 0 if
	                  NOT_A_STRING */
};

/**
 * Copy the text between the quotes of a string token into `dst`, turning
 * \" into " and \\ into \. Any other backslash sequence is copied as it is,
 * backslash included.
 *
 * \param token     a TOKEN_STRING
 * \param dst       buffer of dst_size bytes (may be NULL only if dst_size is 0)
 * \param dst_size  room in dst including the terminating NUL
 */
struct token_unquote_ret token_string_unquote(struct token token, char *dst, size_t dst_size)
    __attribute__((warn_unused_result));

#endif /* _UTIL_TOKEN_H_ */
