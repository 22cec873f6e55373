/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/token: token types, bounds, NUL, unquoting */

#include <stdlib.h>

#include <util/token.h>

#include "unit_test.h"

/* a heap copy of exactly `n` bytes without a NUL, so ASan sees any overread */
static char *unterminated(char const *bytes, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, bytes, n);
	return p;
}

/* check that t has type `type` and text `text` */
static void check_token(struct token t, enum token_type type, char const *text)
{
	if (t.type != type)
		unit_test_fail(__FILE__, __LINE__, "type %d, expected %d for \"%s\"", t.type, type,
		               text);
	if (t.length != strlen(text) || memcmp(t.start, text, t.length) != 0)
		unit_test_fail(__FILE__, __LINE__, "text \"%.*s\", expected \"%s\"", (int)t.length,
		               t.start, text);
}

/* the single token that a whole unterminated buffer `text` forms */
static struct token only_token(char const *text)
{
	size_t n = strlen(text);
	char *p = unterminated(text, n);
	struct token t = token_first(p, n);
	CHECK_EQ_U(t.length, n);
	CHECK_EQ(token_next(t).type, TOKEN_END);
	return t;
}

TEST(empty_buffer_is_end)
{
	struct token t = token_first(NULL, 0);
	CHECK_EQ(t.type, TOKEN_END);
	CHECK_EQ_U(t.length, 0);
	CHECK_EQ(token_next(t).type, TOKEN_END);

	t = token_first("", 5); /* a NUL at once */
	CHECK_EQ(t.type, TOKEN_END);
}

TEST(identifiers)
{
	check_token(only_token("abc"), TOKEN_IDENTIFIER, "abc");
	check_token(only_token("ram_quota"), TOKEN_IDENTIFIER, "ram_quota");
	check_token(only_token("_x9"), TOKEN_IDENTIFIER, "_x9");
	check_token(only_token("Z"), TOKEN_IDENTIFIER, "Z");
}

TEST(numbers_take_suffixes_and_hex)
{
	check_token(only_token("0"), TOKEN_NUMBER, "0");
	check_token(only_token("1234"), TOKEN_NUMBER, "1234");
	check_token(only_token("0x10"), TOKEN_NUMBER, "0x10");
	check_token(only_token("8M"), TOKEN_NUMBER, "8M");
	check_token(only_token("0xdead_beef"), TOKEN_NUMBER, "0xdead_beef");
}

TEST(strings_with_escapes)
{
	check_token(only_token("\"\""), TOKEN_STRING, "\"\"");
	check_token(only_token("\"a b\""), TOKEN_STRING, "\"a b\"");
	check_token(only_token("\"a\\\"b\""), TOKEN_STRING, "\"a\\\"b\"");
	check_token(only_token("\"\\\\\""), TOKEN_STRING, "\"\\\\\"");
	check_token(only_token("\"init -> test, x=1\""), TOKEN_STRING, "\"init -> test, x=1\"");
}

TEST(unterminated_strings)
{
	check_token(only_token("\""), TOKEN_STRING_UNTERMINATED, "\"");
	check_token(only_token("\"abc"), TOKEN_STRING_UNTERMINATED, "\"abc");
	/* the escaped quote does not close the string */
	check_token(only_token("\"abc\\\""), TOKEN_STRING_UNTERMINATED, "\"abc\\\"");
	/* a backslash as the very last byte */
	check_token(only_token("\"abc\\"), TOKEN_STRING_UNTERMINATED, "\"abc\\");
}

TEST(whitespace_runs_and_delimiters)
{
	check_token(only_token(" \t\r\n\v\f"), TOKEN_WHITESPACE, " \t\r\n\v\f");
	check_token(only_token(","), TOKEN_DELIMITER, ",");
	check_token(only_token("\xc3"), TOKEN_DELIMITER, "\xc3");

	/* delimiters are single bytes even when repeated */
	struct token t = token_first("==", 2);
	check_token(t, TOKEN_DELIMITER, "=");
	check_token(token_next(t), TOKEN_DELIMITER, "=");
	CHECK_EQ(token_next(token_next(t)).type, TOKEN_END);
}

TEST(argument_string_sequence)
{
	char const *text = "ram_quota=8M, label=\"a -> b\"";
	struct token t = token_first(text, strlen(text));
	check_token(t, TOKEN_IDENTIFIER, "ram_quota");
	check_token(t = token_next(t), TOKEN_DELIMITER, "=");
	check_token(t = token_next(t), TOKEN_NUMBER, "8M");
	check_token(t = token_next(t), TOKEN_DELIMITER, ",");
	check_token(t = token_next(t), TOKEN_WHITESPACE, " ");
	check_token(t = token_next(t), TOKEN_IDENTIFIER, "label");
	check_token(t = token_next(t), TOKEN_DELIMITER, "=");
	check_token(t = token_next(t), TOKEN_STRING, "\"a -> b\"");
	t = token_next(t);
	CHECK_EQ(t.type, TOKEN_END);
	CHECK_EQ_U(t.remaining, 0);
	CHECK(t.start == text + strlen(text));
}

TEST(length_bounds_the_text)
{
	char const *text = "abc def";
	struct token t = token_first(text, 2);
	check_token(t, TOKEN_IDENTIFIER, "ab");
	CHECK_EQ(token_next(t).type, TOKEN_END);

	t = token_first("\"abc\"", 4);
	check_token(t, TOKEN_STRING_UNTERMINATED, "\"abc");
}

TEST(nul_ends_the_text)
{
	struct token t = token_first("ab\0cd", 5);
	check_token(t, TOKEN_IDENTIFIER, "ab");
	CHECK_EQ_U(t.remaining, 2);
	CHECK_EQ(token_next(t).type, TOKEN_END);

	/* a NUL inside quotes leaves the string unterminated */
	t = token_first("\"ab\0\"", 5);
	check_token(t, TOKEN_STRING_UNTERMINATED, "\"ab");
}

TEST(remaining_counts_down)
{
	char const *text = "a = 1";
	size_t expected = strlen(text);
	for (struct token t = token_first(text, expected); t.type != TOKEN_END; t = token_next(t)) {
		CHECK_EQ_U(t.remaining, expected);
		CHECK(t.length > 0 && t.length <= t.remaining);
		expected -= t.length;
	}
	CHECK_EQ_U(expected, 0);
}

TEST(skip_whitespace)
{
	char const *text = "  x y";
	struct token t = token_skip_whitespace(token_first(text, strlen(text)));
	check_token(t, TOKEN_IDENTIFIER, "x");
	/* a non-whitespace token stays */
	check_token(token_skip_whitespace(t), TOKEN_IDENTIFIER, "x");
	check_token(token_skip_whitespace(token_next(t)), TOKEN_IDENTIFIER, "y");
	CHECK_EQ(token_skip_whitespace(token_first("   ", 3)).type, TOKEN_END);
}

TEST(equals_is_exact)
{
	char const *text = "ram_quota";
	struct token t = token_first(text, strlen(text));
	CHECK(token_equals(t, "ram_quota"));
	CHECK(!token_equals(t, "ram"));
	CHECK(!token_equals(t, "ram_quota_x"));
	CHECK(!token_equals(t, "RAM_QUOTA"));
	CHECK(!token_equals(t, ""));
	CHECK(token_equals(token_first(NULL, 0), ""));
}

TEST(is_delimiter)
{
	struct token t = token_first(",x", 2);
	CHECK(token_is_delimiter(t, ','));
	CHECK(!token_is_delimiter(t, '='));
	CHECK(!token_is_delimiter(token_next(t), 'x'));
	CHECK(!token_is_delimiter(token_first(NULL, 0), '\0'));
}

TEST(unquote_decodes_quote_and_backslash_only)
{
	char out[32];
	char const *text = "\"a\\\"b\\\\c\\nd\"";
	struct token_unquote_ret r = token_string_unquote(token_first(text, strlen(text)), out, 32);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_OK);
	CHECK_STR(out, "a\"b\\c\\nd");
	CHECK_EQ_U(r.length, strlen("a\"b\\c\\nd"));

	r = token_string_unquote(token_first("\"\"", 2), out, sizeof(out));
	CHECK_EQ(r.result, TOKEN_UNQUOTE_OK);
	CHECK_STR(out, "");
}

TEST(unquote_respects_the_buffer_size)
{
	char const *text = "\"abc\"";
	struct token t = token_first(text, strlen(text));
	char out[4];
	/* exactly enough: three bytes and the NUL */
	struct token_unquote_ret r = token_string_unquote(t, out, 4);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_OK);
	CHECK_STR(out, "abc");

	char *small = malloc(3);
	r = token_string_unquote(t, small, 3);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_NO_SPACE);
	CHECK_EQ_U(r.length, 3);
	CHECK_STR(small, "");
	free(small);

	r = token_string_unquote(t, NULL, 0);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_NO_SPACE);
}

TEST(unquote_rejects_other_tokens)
{
	char out[8] = "keep";
	struct token_unquote_ret r = token_string_unquote(token_first("\"abc", 4), out, 8);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_NOT_A_STRING);
	CHECK_EQ_U(r.length, 0);
	CHECK_STR(out, "keep");
	r = token_string_unquote(token_first("abc", 3), out, 8);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_NOT_A_STRING);
	r = token_string_unquote(token_first(NULL, 0), out, 8);
	CHECK_EQ(r.result, TOKEN_UNQUOTE_NOT_A_STRING);
}

/*
 * Every buffer of up to 6 bytes over an alphabet of interesting bytes: the
 * tokens tile the buffer exactly, each has the shape its type says, and a
 * buffer of exactly that size (ASan) is never read past.
 */
TEST(all_short_buffers_tile_exactly)
{
	static char const alphabet[] = { 'a', '1', '"', '\\', ' ', '=', '_', 'x' };
	enum { SYMBOLS = sizeof(alphabet), MAX = 6 };
	char text[MAX];
	for (size_t n = 0; n <= MAX; n++) {
		size_t combinations = 1;
		for (size_t i = 0; i < n; i++) combinations *= SYMBOLS;
		for (size_t k = 0; k < combinations; k++) {
			size_t v = k;
			for (size_t i = 0; i < n; i++, v /= SYMBOLS) text[i] = alphabet[v % SYMBOLS];
			char *p = unterminated(text, n);
			size_t covered = 0;
			struct token t = token_first(p, n);
			for (; t.type != TOKEN_END; t = token_next(t)) {
				CHECK(t.start == p + covered);
				CHECK(t.length > 0);
				CHECK_EQ_U(t.remaining, n - covered);
				char first = t.start[0];
				switch (t.type) {
				case TOKEN_IDENTIFIER:
					CHECK(first == '_' || (first >= 'a' && first <= 'z'));
					break;
				case TOKEN_NUMBER:
					CHECK(first >= '0' && first <= '9');
					break;
				case TOKEN_STRING:
					CHECK(t.length >= 2 && first == '"' && t.start[t.length - 1] == '"');
					break;
				case TOKEN_STRING_UNTERMINATED:
					CHECK(first == '"' && covered + t.length == n);
					break;
				case TOKEN_WHITESPACE:
					CHECK(first == ' ');
					break;
				case TOKEN_DELIMITER:
					CHECK(t.length == 1);
					break;
				case TOKEN_END:
					break;
				}
				covered += t.length;
			}
			CHECK_EQ_U(covered, n);
			free(p);
		}
	}
}
