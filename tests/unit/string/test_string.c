/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/string: bounds, ordering, overlap, ASCII classes */

#include <ctype.h>
#include <stdlib.h>

#include <util/string.h>

#include "unit_test.h"

/* a heap copy of exactly `n` bytes without a NUL, so ASan sees any overread */
static char *unterminated(char const *bytes, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, bytes, n);
	return p;
}

TEST(length_counts_bytes_before_nul)
{
	CHECK_EQ_U(string_length(""), 0);
	CHECK_EQ_U(string_length("a"), 1);
	CHECK_EQ_U(string_length("hello"), 5);
	CHECK_EQ_U(string_length("ab\0cd"), 2);
}

TEST(length_bounded_stops_at_nul_or_bound)
{
	CHECK_EQ_U(string_length_bounded("hello", 10), 5);
	CHECK_EQ_U(string_length_bounded("hello", 5), 5);
	CHECK_EQ_U(string_length_bounded("hello", 3), 3);
	CHECK_EQ_U(string_length_bounded("", 3), 0);
	CHECK_EQ_U(string_length_bounded(NULL, 0), 0);
}

TEST(length_bounded_never_reads_past_bound)
{
	char *p = unterminated("abcd", 4);
	CHECK_EQ_U(string_length_bounded(p, 4), 4);
	CHECK_EQ_U(string_length_bounded(p, 2), 2);
	free(p);
}

TEST(copy_fits)
{
	char dst[8];
	memset(dst, 'x', sizeof(dst));
	CHECK_EQ(string_copy(dst, "abc", sizeof(dst)), STRING_COPY_OK);
	CHECK_STR(dst, "abc");
	CHECK_EQ(dst[4], 'x'); /* nothing written after the NUL */
}

TEST(copy_exact_fit_is_ok)
{
	char *dst = malloc(4);
	CHECK_EQ(string_copy(dst, "abc", 4), STRING_COPY_OK);
	CHECK_STR(dst, "abc");
	free(dst);
}

TEST(copy_truncates_and_terminates)
{
	/* exactly-sized heap buffers: ASan catches a write past the end */
	for (size_t size = 1; size <= 6; size++) {
		char *dst = malloc(size);
		enum string_copy_result r = string_copy(dst, "hello", size);
		CHECK_EQ(r, size >= 6 ? STRING_COPY_OK : STRING_COPY_TRUNCATED);
		CHECK_EQ_U(strlen(dst), size - 1);
		CHECK(strncmp(dst, "hello", size - 1) == 0);
		free(dst);
	}
}

TEST(copy_size_zero_writes_nothing)
{
	char dst[2] = { 'x', 'y' };
	CHECK_EQ(string_copy(dst, "a", 0), STRING_COPY_TRUNCATED);
	CHECK_EQ(dst[0], 'x');
	CHECK_EQ(string_copy(NULL, "", 0), STRING_COPY_TRUNCATED);
}

TEST(copy_empty_source)
{
	char dst[1] = { 'x' };
	CHECK_EQ(string_copy(dst, "", 1), STRING_COPY_OK);
	CHECK_EQ(dst[0], '\0');
}

static int sign(int v) { return (v > 0) - (v < 0); }

TEST(compare_orders_like_strcmp)
{
	char const *words[] = { "",  "a",    "ab",   "abc",  "abd",   "b",
		                    "B", "\x7f", "\x80", "\xff", "a\x80", "a\x01" };
	size_t n = sizeof(words) / sizeof(words[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			CHECK_EQ(sign(string_compare(words[i], words[j])),
			         sign(strcmp(words[i], words[j])));
			CHECK_EQ(string_equal(words[i], words[j]), strcmp(words[i], words[j]) == 0);
			for (size_t k = 0; k < 5; k++)
				CHECK_EQ(sign(string_compare_n(words[i], words[j], k)),
				         sign(strncmp(words[i], words[j], k)));
		}
}

TEST(compare_bytes_are_unsigned)
{
	CHECK(string_compare("\x80", "a") > 0);
	CHECK(string_compare_n("\xff", "\x01", 1) > 0);
	CHECK(memory_compare("\x80", "\x7f", 1) > 0);
}

TEST(compare_n_stops_at_bound_and_nul)
{
	CHECK_EQ(string_compare_n("abcX", "abcY", 3), 0);
	CHECK(string_compare_n("abcX", "abcY", 4) < 0);
	CHECK_EQ(string_compare_n("x", "y", 0), 0);
	/* equal strings shorter than n: bytes after the NUL are never read */
	char *a = unterminated("ab", 3), *b = unterminated("ab", 3);
	CHECK_EQ(string_compare_n(a, b, 100), 0);
	free(a);
	free(b);
}

TEST(starts_with)
{
	CHECK(string_starts_with("hello", ""));
	CHECK(string_starts_with("hello", "he"));
	CHECK(string_starts_with("hello", "hello"));
	CHECK(!string_starts_with("hello", "hello!"));
	CHECK(!string_starts_with("hello", "hx"));
	CHECK(!string_starts_with("", "a"));
}

TEST(find_char)
{
	char const *s = "a,b,c";
	CHECK(string_find_char(s, ',') == s + 1);
	CHECK(string_find_char(s, 'c') == s + 4);
	CHECK(string_find_char(s, 'z') == NULL);
	CHECK(string_find_char(s, '\0') == s + 5);
	CHECK(string_find_char("", 'a') == NULL);
}

TEST(memory_copy_and_set)
{
	unsigned char src[300], dst[300];
	for (size_t i = 0; i < sizeof(src); i++) src[i] = (unsigned char)(i * 7);
	memset(dst, 0xee, sizeof(dst));
	CHECK(memory_copy(dst, src, 257) == dst);
	CHECK_MEM(dst, src, 257);
	CHECK_EQ(dst[257], 0xee);

	CHECK(memory_set(dst + 3, 0xab, 10) == dst + 3);
	CHECK_EQ(dst[2], src[2]);
	for (size_t i = 3; i < 13; i++) CHECK_EQ(dst[i], 0xab);
	CHECK_EQ(dst[13], src[13]);

	memory_copy(dst, src, 0);
	memory_set(dst, 0, 0);
	CHECK_EQ(dst[0], src[0]);
}

TEST(memory_move_overlapping)
{
	char buf[16], ref[16];
	for (int shift = -5; shift <= 5; shift++) {
		for (int i = 0; i < 16; i++) buf[i] = ref[i] = (char)('a' + i);
		int from = 5, to = 5 + shift;
		CHECK(memory_move(buf + to, buf + from, 6) == buf + to);
		memmove(ref + to, ref + from, 6);
		CHECK_MEM(buf, ref, sizeof(buf));
	}
}

TEST(memory_compare_like_memcmp)
{
	CHECK_EQ(memory_compare("abc", "abd", 0), 0);
	CHECK_EQ(memory_compare("abc", "abc", 3), 0);
	CHECK(memory_compare("abc", "abd", 3) < 0);
	CHECK(memory_compare("abd", "abc", 3) > 0);
	/* NUL bytes are data, not terminators */
	CHECK(memory_compare("a\0b", "a\0c", 3) < 0);
}

TEST(ascii_classes_match_c_locale)
{
	for (int i = 0; i < 256; i++) {
		char c = (char)i;
		CHECK_EQ(ascii_is_digit(c), isdigit(i) != 0);
		CHECK_EQ(ascii_is_alpha(c), isalpha(i) != 0);
		CHECK_EQ(ascii_is_space(c), isspace(i) != 0);
		CHECK_EQ(ascii_is_hex_digit(c), isxdigit(i) != 0);
		CHECK_EQ(ascii_is_print(c), isprint(i) != 0);
		CHECK_EQ(ascii_to_lower(c), (char)tolower(i));
		int value = ascii_hex_digit_value(c);
		if (isxdigit(i)) {
			char digit[2] = { c, 0 };
			CHECK_EQ(value, strtol(digit, NULL, 16));
		} else {
			CHECK_EQ(value, -1);
		}
	}
}
