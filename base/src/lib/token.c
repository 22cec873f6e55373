/* SPDX-License-Identifier: MIT */
/** \brief zero-copy tokenizer over a bounded character buffer */

#include <util/string.h>
#include <util/token.h>

static bool token_is_identifier_start(char c) { return ascii_is_alpha(c) || c == '_'; }

static bool token_is_identifier_char(char c)
{
	return ascii_is_alpha(c) || ascii_is_digit(c) || c == '_';
}

/* bytes of the string token starting with the quote at s[0]; sets *terminated */
static size_t token_string_extent(char const *s, size_t remaining, bool *terminated)
{
	size_t i = 1;
	while (i < remaining) {
		if (s[i] == '"') {
			*terminated = true;
			return i + 1;
		}
		/* a backslash takes the next byte with it, if there is one */
		i += (s[i] == '\\') ? 2 : 1;
	}
	*terminated = false;
	return remaining;
}

/* classify the token at `start`; `remaining` bytes are valid and NUL-free */
static struct token token_at(char const *start, size_t remaining)
{
	struct token t = { start, 0, remaining, TOKEN_END };
	if (remaining == 0) return t;

	char c = start[0];
	size_t n = 1;
	if (token_is_identifier_start(c)) {
		t.type = TOKEN_IDENTIFIER;
		while (n < remaining && token_is_identifier_char(start[n])) n++;
	} else if (ascii_is_digit(c)) {
		t.type = TOKEN_NUMBER;
		while (n < remaining && token_is_identifier_char(start[n])) n++;
	} else if (ascii_is_space(c)) {
		t.type = TOKEN_WHITESPACE;
		while (n < remaining && ascii_is_space(start[n])) n++;
	} else if (c == '"') {
		bool terminated = false;
		n = token_string_extent(start, remaining, &terminated);
		t.type = terminated ? TOKEN_STRING : TOKEN_STRING_UNTERMINATED;
	} else {
		t.type = TOKEN_DELIMITER;
	}
	t.length = n;
	return t;
}

struct token token_first(char const *buffer, size_t length)
{
	/* the text ends at the first NUL: from here on every byte is NUL-free */
	size_t text = length ? string_length_bounded(buffer, length) : 0;
	return token_at(buffer, text);
}

struct token token_next(struct token current)
{
	if (current.type == TOKEN_END) return current;
	return token_at(current.start + current.length, current.remaining - current.length);
}

struct token token_skip_whitespace(struct token current)
{
	return current.type == TOKEN_WHITESPACE ? token_next(current) : current;
}

bool token_equals(struct token token, char const *text)
{
	size_t length = string_length(text);
	return length == token.length && memory_compare(token.start, text, length) == 0;
}

bool token_is_delimiter(struct token token, char c)
{
	return token.type == TOKEN_DELIMITER && token.start[0] == c;
}

struct token_unquote_ret token_string_unquote(struct token token, char *dst, size_t dst_size)
{
	struct token_unquote_ret ret = { TOKEN_UNQUOTE_NOT_A_STRING, 0 };
	if (token.type != TOKEN_STRING) return ret;

	/* first pass: the unquoted length, so that a short dst changes nothing */
	char const *inner = token.start + 1;
	size_t inner_length = token.length - 2;
	size_t length = 0;
	for (size_t i = 0; i < inner_length; i++, length++)
		if (inner[i] == '\\' && (inner[i + 1] == '"' || inner[i + 1] == '\\')) i++;

	ret.length = length;
	if (length >= dst_size) {
		if (dst_size > 0) dst[0] = '\0';
		ret.result = TOKEN_UNQUOTE_NO_SPACE;
		return ret;
	}
	size_t out = 0;
	for (size_t i = 0; i < inner_length; i++) {
		if (inner[i] == '\\' && (inner[i + 1] == '"' || inner[i + 1] == '\\')) i++;
		dst[out++] = inner[i];
	}
	dst[out] = '\0';
	ret.result = TOKEN_UNQUOTE_OK;
	return ret;
}
