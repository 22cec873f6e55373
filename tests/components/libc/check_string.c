/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: string.h
 *
 * The block functions run over every small length and misalignment, so that
 * the word-at-a-time paths and their edges are all taken.
 */

#include <stdlib.h>
#include <string.h>

#include "test_libc.h"

enum { STRING_AREA = 96 };

static int string_sign(int value) { return (value > 0) - (value < 0); }

static char const text_mixed_case[] = "HeLLo";

/* the sign of strcmp(a, b) */
static void string_compare(struct test *t, char const *a, char const *b, int sign)
{
	int got = string_sign(strcmp(a, b));
	test_expect(t, got == sign, "strcmp(\"%s\", \"%s\"): got sign %d expected %d", a, b, got,
	            sign);
}

/* the sign of strncmp(a, b, n) */
static void string_compare_bounded(struct test *t, char const *a, char const *b, size_t n,
                                   int sign)
{
	int got = string_sign(strncmp(a, b, n));
	test_expect(t, got == sign, "strncmp(\"%s\", \"%s\", %zu): got sign %d expected %d", a, b,
	            n, got, sign);
}

static void string_basics(struct test *t)
{
	EXPECT_UINT(t, strlen(""), 0);
	EXPECT_UINT(t, strlen("hello"), 5);
	EXPECT_UINT(t, strnlen("hello", 3), 3);
	string_compare(t, "abc", "abc", 0);
	string_compare(t, "abc", "abd", -1);
	string_compare(t, "abd", "abc", 1);
	string_compare(t, "ab", "abc", -1);
	string_compare(t, "\x80", "\x01", 1); /* compared as unsigned char */
	string_compare_bounded(t, "abcX", "abcY", 3, 0);
	string_compare_bounded(t, "abcX", "abcY", 4, -1);
	string_compare_bounded(t, "a", "b", 0, 0);
	EXPECT_INT(t, strcasecmp(text_mixed_case, "hello"), 0);

	char buffer[32];
	EXPECT_PTR(t, strcpy(buffer, "copy"), buffer);
	EXPECT_STR(t, buffer, "copy");
	EXPECT_PTR(t, strcat(buffer, "+cat"), buffer);
	EXPECT_STR(t, buffer, "copy+cat");
	EXPECT_PTR(t, strncat(buffer, "123456", 2), buffer);
	EXPECT_STR(t, buffer, "copy+cat12");

	/* strncpy pads with zeros, and does not terminate a truncated copy */
	memset(buffer, 'x', sizeof(buffer));
	EXPECT_PTR(t, strncpy(buffer, "ab", 6), buffer);
	EXPECT_INT(t, memcmp(buffer, "ab\0\0\0\0x", 7), 0);
	memset(buffer, 'x', sizeof(buffer));
	strncpy(buffer, "abcdef", 3);
	EXPECT_INT(t, memcmp(buffer, "abcx", 4), 0);

	char const *text = "hello, world";
	EXPECT_PTR(t, strchr(text, 'o'), text + 4);
	EXPECT_PTR(t, strrchr(text, 'o'), text + 8);
	EXPECT_PTR(t, strchr(text, 'z'), 0);
	EXPECT_PTR(t, strchr(text, 0), text + 12);
	EXPECT_PTR(t, strrchr(text, 0), text + 12);
	EXPECT_PTR(t, strstr(text, "wor"), text + 7);
	EXPECT_PTR(t, strstr(text, "word"), 0);
	EXPECT_PTR(t, strstr(text, ""), text);
	char const *repeat = "aaab";
	EXPECT_PTR(t, strstr(repeat, "aab"), repeat + 1);
	EXPECT_PTR(t, strpbrk(text, ",w"), text + 5);
	EXPECT_UINT(t, strspn("  \tx y", " \t"), 3);
	EXPECT_UINT(t, strspn("abc", ""), 0);
	EXPECT_UINT(t, strcspn("key=value", "=;"), 3);
	EXPECT_UINT(t, strcspn("key", "=;"), 3);
	EXPECT_PTR(t, memchr(text, 'w', 12), text + 7);
	EXPECT_PTR(t, memchr(text, 'w', 7), 0);

	/* strtok: empty fields are skipped, the string is cut in place */
	char fields[] = "  a,,b c,";
	EXPECT_STR(t, strtok(fields, ", "), "a");
	EXPECT_STR(t, strtok(0, ", "), "b");
	EXPECT_STR(t, strtok(0, ", "), "c");
	EXPECT_PTR(t, strtok(0, ", "), 0);
	EXPECT_PTR(t, strtok(0, ", "), 0);
	char *state = 0;
	char pairs[] = "x=1;y=2";
	EXPECT_STR(t, strtok_r(pairs, ";", &state), "x=1");
	EXPECT_STR(t, strtok_r(0, ";", &state), "y=2");
	EXPECT_PTR(t, strtok_r(0, ";", &state), 0);

	char *copy = strdup(text);
	if (EXPECT_TRUE(t, copy && copy != text)) EXPECT_STR(t, copy, text);
	free(copy);
	copy = strndup(text, 5);
	if (EXPECT_TRUE(t, copy != 0)) EXPECT_STR(t, copy, "hello");
	free(copy);
}

static void string_errors(struct test *t)
{
	EXPECT_STR(t, strerror(EINVAL), "Invalid argument");
	EXPECT_STR(t, strerror(ENOMEM), "Not enough space");
	EXPECT_STR(t, strerror(ENOSYS), "Function not implemented");
	EXPECT_STR(t, strerror(EBADF), "Bad file number");
	EXPECT_STR(t, strerror(ERANGE), "Result too large");
	EXPECT_TRUE(t, strerror(123456) != 0);
	char buffer[64];
	EXPECT_INT(t, strerror_r(ENOTSUP, buffer, sizeof(buffer)), 0);
	EXPECT_STR(t, buffer, "Not supported");
}

/* memcpy, memmove, memset and memcmp over every small length and offset */
static void string_blocks(struct test *t)
{
	unsigned char area[STRING_AREA], expected[STRING_AREA];
	unsigned wrong_copy = 0, wrong_move = 0, wrong_set = 0, wrong_compare = 0;
	for (unsigned length = 0; length <= 40; length++) {
		for (unsigned from = 0; from < 8; from++) {
			for (unsigned to = 0; to < 16; to++) {
				for (unsigned i = 0; i < STRING_AREA; i++) area[i] = (unsigned char)(i * 7 + 1);

				/* memmove within the area, in both directions (overlapping) */
				memcpy(expected, area, STRING_AREA);
				for (unsigned i = 0; i < length; i++)
					expected[to + 20 + i] = area[from + 20 + i];
				if (memmove(area + to + 20, area + from + 20, length) != area + to + 20)
					wrong_move++;
				if (memcmp(area, expected, STRING_AREA) != 0) wrong_move++;

				/* memcpy into a separate block */
				unsigned char copy[STRING_AREA];
				memset(copy, 0xee, sizeof(copy));
				if (memcpy(copy + to, area + from, length) != copy + to) wrong_copy++;
				for (unsigned i = 0; i < STRING_AREA; i++) {
					bool inside = i >= to && i < to + length;
					unsigned char want = inside ? area[from + i - to] : 0xee;
					if (copy[i] != want) wrong_copy++;
				}

				/* memcmp sees a difference at its last byte, as unsigned */
				if (length > 0) {
					copy[to + length - 1] = 0x80;
					area[from + length - 1] = 0x7f;
					if (memcmp(copy + to, area + from, length) <= 0) wrong_compare++;
					if (memcmp(area + from, copy + to, length) >= 0) wrong_compare++;
					if (memcmp(copy + to, area + from, length - 1) != 0) wrong_compare++;
				}

				/* memset exactly its range */
				memset(copy, 1, sizeof(copy));
				if (memset(copy + to, 0x5a, length) != copy + to) wrong_set++;
				for (unsigned i = 0; i < STRING_AREA; i++) {
					bool inside = i >= to && i < to + length;
					if (copy[i] != (inside ? 0x5a : 1)) wrong_set++;
				}
			}
		}
	}
	EXPECT_UINT(t, wrong_copy, 0);
	EXPECT_UINT(t, wrong_move, 0);
	EXPECT_UINT(t, wrong_set, 0);
	EXPECT_UINT(t, wrong_compare, 0);

	/* the classic overlap by one, forwards and backwards */
	char text[] = "abcdefgh";
	memmove(text + 1, text, 7);
	EXPECT_STR(t, text, "aabcdefg");
	memmove(text, text + 1, 7);
	EXPECT_STR(t, text, "abcdefgg");
	EXPECT_INT(t, memcmp(text, text + 1, 0), 0);
}

void test_string_run(struct test *t)
{
	string_basics(t);
	string_errors(t);
	string_blocks(t);
}
