/* SPDX-License-Identifier: MIT */
/** \brief unit tests of util/arg_string: reading, numbers, editing, malformed input */

#include <stdlib.h>

#include <util/arg_string.h>

#include "unit_test.h"

/* a heap copy of exactly `n` bytes without a NUL, so ASan sees any overread */
static char *unterminated(char const *bytes, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, bytes, n);
	return p;
}

/* an editable heap buffer of exactly `capacity` bytes holding `text` */
static char *editable(char const *text, size_t capacity)
{
	char *p = malloc(capacity);
	memset(p, 'Z', capacity);
	strcpy(p, text);
	return p;
}

static enum arg_string_result validate(char const *args)
{
	char *p = unterminated(args, strlen(args));
	enum arg_string_result r = arg_string_validate(p, strlen(args));
	free(p);
	return r;
}

static uint64_t get_unsigned(char const *args, char const *key, enum arg_string_result expect)
{
	char *p = unterminated(args, strlen(args));
	struct arg_string_unsigned_ret r = arg_string_get_unsigned(p, strlen(args), key);
	free(p);
	if (r.result != expect)
		unit_test_fail(__FILE__, __LINE__, "get_unsigned(\"%s\", %s): result %d, expected %d",
		               args, key, r.result, expect);
	return r.value;
}

static int64_t get_signed(char const *args, char const *key, enum arg_string_result expect)
{
	char *p = unterminated(args, strlen(args));
	struct arg_string_signed_ret r = arg_string_get_signed(p, strlen(args), key);
	free(p);
	if (r.result != expect)
		unit_test_fail(__FILE__, __LINE__, "get_signed(\"%s\", %s): result %d, expected %d",
		               args, key, r.result, expect);
	return r.value;
}

/* the raw value of key as a C string in a static buffer ("" unless OK) */
static char const *get_raw(char const *args, char const *key, enum arg_string_result expect)
{
	static char value[256];
	char *p = unterminated(args, strlen(args));
	struct arg_string_raw_ret r = arg_string_get_raw(p, strlen(args), key);
	if (r.result != expect)
		unit_test_fail(__FILE__, __LINE__, "get_raw(\"%s\", %s): result %d, expected %d", args,
		               key, r.result, expect);
	snprintf(value, sizeof(value), "%.*s", (int)r.length, r.value ? r.value : "");
	free(p);
	return value;
}

TEST(validate_accepts_well_formed)
{
	char const *good[] = {
		"",
		"   ",
		"a=1",
		"ram_quota=8M, label=\"init -> test\", priority=0x10",
		"  a = 1 ,b=2  ",
		"a=1,b=2,c=3",
		"label=\"\"",
		"label=\"with, comma and = sign\"",
		"label=\"esc \\\" and \\\\\"",
		"x=-1",
		"x=a.b/c:d",
		"x=a=b",
		"_k=\xc3\xa4",
		"a=1\n,\tb=2",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (validate(good[i]) != ARG_STRING_OK)
			unit_test_fail(__FILE__, __LINE__, "rejected \"%s\"", good[i]);
}

TEST(validate_rejects_malformed)
{
	char const *bad[] = {
		"a",                /* missing '=' */
		"a 1",              /* missing '=' */
		"=1",               /* empty key */
		"a=",               /* empty value */
		"a= ,b=2",          /* empty value */
		"a=1,",             /* trailing comma */
		",a=1",             /* leading comma */
		"a=1,,b=2",         /* empty pair */
		"a=1 b=2",          /* garbage between pairs */
		"a=1;b=2x y",       /* garbage after a value */
		"a=\"unterminated", /* unterminated quote */
		"a=\"esc\\\"",      /* the only quote is escaped */
		"a=\"x\"y",         /* text glued to a string */
		"a=x\"y\"",         /* a string glued to text */
		"a=\"x\" \"y\"",    /* two values */
		"1a=2",             /* key is a number */
		"-a=2",             /* key starts with a delimiter */
		"a-b=2",            /* key is no identifier */
		"\"a\"=2",          /* quoted key */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (validate(bad[i]) != ARG_STRING_MALFORMED)
			unit_test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
}

TEST(malformed_string_gives_no_value)
{
	/* the key comes before the garbage, yet nothing half-parsed comes back */
	get_raw("a=1, b=2 junk", "a", ARG_STRING_MALFORMED);
	get_unsigned("a=1, b=\"x", "a", ARG_STRING_MALFORMED);
	get_signed("a=1,", "a", ARG_STRING_MALFORMED);
	char out[8] = "keep";
	char const *args = "a=\"v\" x";
	struct arg_string_copy_ret r = arg_string_get_string(args, strlen(args), "a", out, 8);
	CHECK_EQ(r.result, ARG_STRING_MALFORMED);
	CHECK_STR(out, "keep");
}

TEST(find_is_exact_not_prefix)
{
	char const *args = "ram_quota=8M, ram=1, label=\"ram=5\"";
	CHECK_STR(get_raw(args, "ram", ARG_STRING_OK), "1");
	CHECK_STR(get_raw(args, "ram_quota", ARG_STRING_OK), "8M");
	CHECK_STR(get_raw(args, "label", ARG_STRING_OK), "\"ram=5\"");
	get_raw(args, "ram_", ARG_STRING_NOT_FOUND);
	get_raw(args, "ram_quota_x", ARG_STRING_NOT_FOUND);
	get_raw(args, "quota", ARG_STRING_NOT_FOUND);
	get_raw(args, "RAM", ARG_STRING_NOT_FOUND);
	get_raw("", "a", ARG_STRING_NOT_FOUND);
}

TEST(find_with_whitespace_and_duplicates)
{
	CHECK_STR(get_raw("  a  =  x.y  ,  b=2  ", "a", ARG_STRING_OK), "x.y");
	CHECK_STR(get_raw("  a  =  x.y  ,  b=2  ", "b", ARG_STRING_OK), "2");
	/* the first of two pairs wins */
	CHECK_STR(get_raw("a=1, a=2", "a", ARG_STRING_OK), "1");
}

TEST(bad_key_is_reported)
{
	get_raw("a=1", "", ARG_STRING_BAD_KEY);
	get_raw("a=1", "a b", ARG_STRING_BAD_KEY);
	get_raw("a=1", "1a", ARG_STRING_BAD_KEY);
	get_raw("a=1", "a=", ARG_STRING_BAD_KEY);
	get_unsigned("a=1", "a,", ARG_STRING_BAD_KEY);
}

TEST(length_bounds_the_string)
{
	char const *args = "a=1, b=2";
	char *p = unterminated(args, strlen(args));
	CHECK_EQ(arg_string_validate(p, 3), ARG_STRING_OK);
	CHECK_EQ(arg_string_get_raw(p, 3, "b").result, ARG_STRING_NOT_FOUND);
	CHECK_EQ(arg_string_validate(p, 4), ARG_STRING_MALFORMED); /* "a=1," */
	CHECK_EQ(arg_string_validate(p, 7), ARG_STRING_MALFORMED); /* "a=1, b=" */
	struct arg_string_raw_ret r = arg_string_get_raw(p, strlen(args), "b");
	CHECK_EQ(r.result, ARG_STRING_OK);
	CHECK(r.value == p + 7 && r.length == 1);
	CHECK_EQ(arg_string_validate(NULL, 0), ARG_STRING_OK);
	free(p);

	/* a NUL ends the string before the length */
	CHECK_EQ(arg_string_get_raw("a=1\0, b=2", 9, "b").result, ARG_STRING_NOT_FOUND);
	CHECK_EQ(arg_string_validate("a=1, \0b=2", 9), ARG_STRING_MALFORMED);
}

TEST(unsigned_decimal_hex_and_suffixes)
{
	CHECK_EQ_U(get_unsigned("a=0", "a", ARG_STRING_OK), 0);
	CHECK_EQ_U(get_unsigned("a=4096", "a", ARG_STRING_OK), 4096);
	CHECK_EQ_U(get_unsigned("a=007", "a", ARG_STRING_OK), 7);
	CHECK_EQ_U(get_unsigned("a=0x10", "a", ARG_STRING_OK), 16);
	CHECK_EQ_U(get_unsigned("a=0XfF", "a", ARG_STRING_OK), 255);
	CHECK_EQ_U(get_unsigned("a=8K", "a", ARG_STRING_OK), 8 << 10);
	CHECK_EQ_U(get_unsigned("a=8k", "a", ARG_STRING_OK), 8 << 10);
	CHECK_EQ_U(get_unsigned("a=8M", "a", ARG_STRING_OK), 8 << 20);
	CHECK_EQ_U(get_unsigned("a=3G", "a", ARG_STRING_OK), 3ull << 30);
	CHECK_EQ_U(get_unsigned("a=0x10M", "a", ARG_STRING_OK), 16ull << 20);
	CHECK_EQ_U(get_unsigned("a=18446744073709551615", "a", ARG_STRING_OK), UINT64_MAX);
	CHECK_EQ_U(get_unsigned("a=0xffffffffffffffff", "a", ARG_STRING_OK), UINT64_MAX);
	CHECK_EQ_U(get_unsigned("a=17179869183G", "a", ARG_STRING_OK), 17179869183ull << 30);
}

TEST(unsigned_overflow_is_detected)
{
	get_unsigned("a=18446744073709551616", "a", ARG_STRING_OVERFLOW);
	get_unsigned("a=99999999999999999999999", "a", ARG_STRING_OVERFLOW);
	get_unsigned("a=0x10000000000000000", "a", ARG_STRING_OVERFLOW);
	get_unsigned("a=17179869184G", "a", ARG_STRING_OVERFLOW); /* 2^34 * 2^30 */
	get_unsigned("a=0x40000000000000K", "a", ARG_STRING_OVERFLOW);
	get_unsigned("a=16777216T", "a", ARG_STRING_BAD_VALUE); /* no T suffix */
}

TEST(unsigned_rejects_non_numbers)
{
	get_unsigned("a=x", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=\"5\"", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=0x", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=0xg", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=8MB", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=K", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=-1", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=1.5", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=12a", "a", ARG_STRING_BAD_VALUE);
	get_unsigned("a=1", "b", ARG_STRING_NOT_FOUND);
}

TEST(signed_values)
{
	CHECK_EQ(get_signed("p=-1", "p", ARG_STRING_OK), -1);
	CHECK_EQ(get_signed("p=+5", "p", ARG_STRING_OK), 5);
	CHECK_EQ(get_signed("p=5", "p", ARG_STRING_OK), 5);
	CHECK_EQ(get_signed("p=-0x10", "p", ARG_STRING_OK), -16);
	CHECK_EQ(get_signed("p=-2K", "p", ARG_STRING_OK), -2048);
	CHECK_EQ(get_signed("p=9223372036854775807", "p", ARG_STRING_OK), INT64_MAX);
	CHECK_EQ(get_signed("p=-9223372036854775808", "p", ARG_STRING_OK), INT64_MIN);
	get_signed("p=9223372036854775808", "p", ARG_STRING_OVERFLOW);
	get_signed("p=-9223372036854775809", "p", ARG_STRING_OVERFLOW);
	get_signed("p=-18446744073709551616", "p", ARG_STRING_OVERFLOW);
	get_signed("p=-", "p", ARG_STRING_BAD_VALUE);
	get_signed("p=--1", "p", ARG_STRING_BAD_VALUE);
	get_signed("p=+-1", "p", ARG_STRING_BAD_VALUE);
	get_signed("p=\"-1\"", "p", ARG_STRING_BAD_VALUE);
}

TEST(parse_numbers_directly)
{
	CHECK_EQ(arg_string_parse_unsigned("", 0).result, ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_parse_unsigned(" 1", 2).result, ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_parse_unsigned("1 ", 2).result, ARG_STRING_BAD_VALUE);
	CHECK_EQ_U(arg_string_parse_unsigned("123", 2).value, 12);
	char *p = unterminated("0x1", 3);
	CHECK_EQ_U(arg_string_parse_unsigned(p, 3).value, 1);
	CHECK_EQ(arg_string_parse_unsigned(p, 2).result, ARG_STRING_BAD_VALUE);
	free(p);
	CHECK_EQ(arg_string_parse_signed("", 0).result, ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_parse_signed("-", 1).result, ARG_STRING_BAD_VALUE);
}

TEST(get_string_unquotes_or_copies)
{
	char const *args = "label=\"init -> test, \\\"x\\\" \\\\\", name=raw.value";
	char out[64];
	struct arg_string_copy_ret r = arg_string_get_string(args, strlen(args), "label", out, 64);
	CHECK_EQ(r.result, ARG_STRING_OK);
	CHECK_STR(out, "init -> test, \"x\" \\");
	CHECK_EQ_U(r.length, strlen(out));

	r = arg_string_get_string(args, strlen(args), "name", out, 64);
	CHECK_EQ(r.result, ARG_STRING_OK);
	CHECK_STR(out, "raw.value");

	r = arg_string_get_string(args, strlen(args), "nope", out, 64);
	CHECK_EQ(r.result, ARG_STRING_NOT_FOUND);

	r = arg_string_get_string("e=\"\"", 4, "e", out, 64);
	CHECK_EQ(r.result, ARG_STRING_OK);
	CHECK_STR(out, "");
}

TEST(get_string_respects_the_buffer)
{
	char const *args = "a=\"abc\", b=abc";
	for (int i = 0; i < 2; i++) {
		char const *key = i ? "b" : "a";
		char *exact = malloc(4);
		struct arg_string_copy_ret r = arg_string_get_string(args, strlen(args), key, exact, 4);
		CHECK_EQ(r.result, ARG_STRING_OK);
		CHECK_STR(exact, "abc");
		free(exact);

		char *small = malloc(3);
		r = arg_string_get_string(args, strlen(args), key, small, 3);
		CHECK_EQ(r.result, ARG_STRING_NO_SPACE);
		CHECK_EQ_U(r.length, 3);
		CHECK_STR(small, "");
		free(small);

		r = arg_string_get_string(args, strlen(args), key, NULL, 0);
		CHECK_EQ(r.result, ARG_STRING_NO_SPACE);
	}
}

TEST(set_replaces_in_place)
{
	char *b = editable("ram_quota=8M, label=\"x\", prio=1", 64);
	CHECK_EQ(arg_string_set(b, 64, "label", "\"init -> test\""), ARG_STRING_OK);
	CHECK_STR(b, "ram_quota=8M, label=\"init -> test\", prio=1");
	CHECK_EQ(arg_string_set(b, 64, "ram_quota", "4K"), ARG_STRING_OK);
	CHECK_STR(b, "ram_quota=4K, label=\"init -> test\", prio=1");
	CHECK_EQ(arg_string_set(b, 64, "prio", "0x100"), ARG_STRING_OK);
	CHECK_STR(b, "ram_quota=4K, label=\"init -> test\", prio=0x100");
	free(b);
}

TEST(set_appends_missing_key)
{
	char *b = editable("a=1", 32);
	CHECK_EQ(arg_string_set(b, 32, "b", "2"), ARG_STRING_OK);
	CHECK_STR(b, "a=1, b=2");
	free(b);

	b = editable("a=1  ", 32); /* after the last pair, before trailing blanks */
	CHECK_EQ(arg_string_set(b, 32, "b", "2"), ARG_STRING_OK);
	CHECK_STR(b, "a=1, b=2  ");
	free(b);

	b = editable("", 8);
	CHECK_EQ(arg_string_set(b, 8, "key", "v"), ARG_STRING_OK);
	CHECK_STR(b, "key=v");
	free(b);

	b = editable("    ", 8); /* only blanks: replaced */
	CHECK_EQ(arg_string_set(b, 8, "k", "v"), ARG_STRING_OK);
	CHECK_STR(b, "k=v");
	free(b);
}

TEST(set_needs_room_for_the_nul)
{
	/* "a=1, b=2" is 8 bytes: capacity 9 fits, 8 does not */
	char *b = editable("a=1", 9);
	CHECK_EQ(arg_string_set(b, 9, "b", "2"), ARG_STRING_OK);
	CHECK_STR(b, "a=1, b=2");
	free(b);

	b = editable("a=1", 8);
	CHECK_EQ(arg_string_set(b, 8, "b", "2"), ARG_STRING_NO_SPACE);
	CHECK_STR(b, "a=1");
	CHECK_EQ(b[4], 'Z'); /* nothing written past the string */
	free(b);

	b = editable("a=1, b=2", 9);
	CHECK_EQ(arg_string_set(b, 9, "a", "10"), ARG_STRING_NO_SPACE);
	CHECK_STR(b, "a=1, b=2");
	CHECK_EQ(arg_string_set(b, 9, "a", "9"), ARG_STRING_OK);
	CHECK_STR(b, "a=9, b=2");
	free(b);
}

TEST(set_removes_later_duplicates)
{
	char *b = editable("a=1, b=2, a=3,   a=4, c=5", 64);
	CHECK_EQ(arg_string_set(b, 64, "a", "7"), ARG_STRING_OK);
	CHECK_STR(b, "a=7, b=2, c=5");
	free(b);

	/* the removed duplicate pays for the longer value: "a=12345678" fits 11 */
	char const *start = "a=1,   a=2";
	b = editable(start, 11);
	CHECK_EQ(arg_string_set(b, 11, "a", "123456789"), ARG_STRING_NO_SPACE);
	CHECK_STR(b, start);
	CHECK_EQ(arg_string_set(b, 11, "a", "12345678"), ARG_STRING_OK);
	CHECK_STR(b, "a=12345678");
	free(b);

	/*
	 * A duplicate goes with the gap before it (",    a=2", 8 bytes), which
	 * is what the room check counts on, not with the gap after it.
	 */
	start = "a=1,    a=2, b=3";
	b = editable(start, 17);
	CHECK_EQ(arg_string_set(b, 17, "a", "123456789"), ARG_STRING_OK);
	CHECK_STR(b, "a=123456789, b=3");
	free(b);
}

TEST(set_rejects_bad_input_unchanged)
{
	char *b = editable("a=1", 32);
	CHECK_EQ(arg_string_set(b, 32, "a b", "1"), ARG_STRING_BAD_KEY);
	CHECK_EQ(arg_string_set(b, 32, "", "1"), ARG_STRING_BAD_KEY);
	CHECK_EQ(arg_string_set(b, 32, "b", ""), ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_set(b, 32, "b", "x y"), ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_set(b, 32, "b", "1,c=2"), ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_set(b, 32, "b", "\"open"), ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_set(b, 32, "b", " 1"), ARG_STRING_BAD_VALUE);
	CHECK_EQ(arg_string_set(b, 32, "b", "\"a\"b"), ARG_STRING_BAD_VALUE);
	CHECK_STR(b, "a=1");
	free(b);

	b = editable("a=1 junk", 32);
	CHECK_EQ(arg_string_set(b, 32, "a", "2"), ARG_STRING_MALFORMED);
	CHECK_STR(b, "a=1 junk");
	free(b);

	/* no NUL within the capacity */
	b = malloc(4);
	memcpy(b, "a=12", 4);
	CHECK_EQ(arg_string_set(b, 4, "a", "2"), ARG_STRING_MALFORMED);
	CHECK_EQ(arg_string_remove(b, 4, "a"), ARG_STRING_MALFORMED);
	CHECK_MEM(b, "a=12", 4);
	free(b);
	CHECK_EQ(arg_string_set(NULL, 0, "a", "1"), ARG_STRING_MALFORMED);
}

TEST(set_string_quotes_and_escapes)
{
	char *b = editable("a=1", 64);
	CHECK_EQ(arg_string_set_string(b, 64, "label", "say \"hi\" \\ bye"), ARG_STRING_OK);
	CHECK_STR(b, "a=1, label=\"say \\\"hi\\\" \\\\ bye\"");
	char out[32];
	struct arg_string_copy_ret r = arg_string_get_string(b, 64, "label", out, sizeof(out));
	CHECK_EQ(r.result, ARG_STRING_OK);
	CHECK_STR(out, "say \"hi\" \\ bye");

	CHECK_EQ(arg_string_set_string(b, 64, "a", ""), ARG_STRING_OK);
	CHECK_STR(b, "a=\"\", label=\"say \\\"hi\\\" \\\\ bye\"");
	free(b);

	/* k="\\" is 6 bytes: the escape counts against the capacity */
	b = editable("", 6);
	CHECK_EQ(arg_string_set_string(b, 6, "k", "\\"), ARG_STRING_NO_SPACE);
	CHECK_STR(b, "");
	free(b);
	b = editable("", 7);
	CHECK_EQ(arg_string_set_string(b, 7, "k", "\\"), ARG_STRING_OK);
	CHECK_STR(b, "k=\"\\\\\"");
	free(b);
}

TEST(set_unsigned_writes_decimal)
{
	char *b = editable("ram_quota=8M", 64);
	CHECK_EQ(arg_string_set_unsigned(b, 64, "ram_quota", 0), ARG_STRING_OK);
	CHECK_STR(b, "ram_quota=0");
	CHECK_EQ(arg_string_set_unsigned(b, 64, "cap", UINT64_MAX), ARG_STRING_OK);
	CHECK_STR(b, "ram_quota=0, cap=18446744073709551615");
	CHECK_EQ_U(arg_string_get_unsigned(b, 64, "cap").value, UINT64_MAX);
	CHECK_EQ(arg_string_set_unsigned(b, 64, "ram_quota", 1234567), ARG_STRING_OK);
	CHECK_EQ_U(arg_string_get_unsigned(b, 64, "ram_quota").value, 1234567);
	free(b);
}

static void check_remove(char const *before, char const *key, char const *after)
{
	size_t capacity = strlen(before) + 1;
	char *b = editable(before, capacity);
	enum arg_string_result r = arg_string_remove(b, capacity, key);
	if (r != ARG_STRING_OK || strcmp(b, after) != 0)
		unit_test_fail(__FILE__, __LINE__, "remove %s from \"%s\": %d \"%s\", expected \"%s\"",
		               key, before, r, b, after);
	CHECK_EQ(arg_string_validate(b, capacity), ARG_STRING_OK);
	CHECK_EQ(arg_string_get_raw(b, capacity, key).result, ARG_STRING_NOT_FOUND);
	free(b);
}

TEST(remove_handles_separators)
{
	check_remove("a=1, b=2, c=3", "a", "b=2, c=3");
	check_remove("a=1, b=2, c=3", "b", "a=1, c=3");
	check_remove("a=1, b=2, c=3", "c", "a=1, b=2");
	check_remove("a=1", "a", "");
	check_remove("  a = 1  ", "a", "");
	check_remove("a=1 ,  b=2", "a", "b=2");
	check_remove("a=1 ,  b=2", "b", "a=1");
	check_remove("a=1,b=\"x, y\",c=3", "b", "a=1,c=3");
	check_remove("  a=1, b=2  ", "b", "  a=1  ");
}

TEST(remove_takes_every_duplicate)
{
	check_remove("a=1, b=2, a=3", "a", "b=2");
	check_remove("a=1, a=2, a=3", "a", "");
	check_remove("b=0, a=1, a=2, c=3, a=4", "a", "b=0, c=3");
}

TEST(remove_missing_or_malformed_changes_nothing)
{
	char *b = editable("a=1, b=2", 16);
	CHECK_EQ(arg_string_remove(b, 16, "c"), ARG_STRING_NOT_FOUND);
	CHECK_EQ(arg_string_remove(b, 16, "a_"), ARG_STRING_NOT_FOUND);
	CHECK_EQ(arg_string_remove(b, 16, "?"), ARG_STRING_BAD_KEY);
	CHECK_STR(b, "a=1, b=2");
	free(b);

	b = editable("a=1, b", 16);
	CHECK_EQ(arg_string_remove(b, 16, "a"), ARG_STRING_MALFORMED);
	CHECK_STR(b, "a=1, b");
	free(b);
}

/* ---- a fuzz-like loop with a fixed-seed local PRNG ---- */

static uint64_t prng_next(uint64_t *state)
{
	/* xorshift64* */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

static size_t prng_below(uint64_t *state, size_t n) { return (size_t)(prng_next(state) % n); }

/* a random string over the bytes that matter to the grammar */
static size_t random_args(uint64_t *state, char *out, size_t max)
{
	static char const *const pieces[] = {
		"a",   "b",  "key", "=",    ",",  " ",      "\"", "\\",  "1",
		"0x1", "8M", "-",   "x\"y", ", ", "=\"v\"", "\t", "a=1", ", b=\"q\\\"\""
	};
	size_t n = 0, count = prng_below(state, 12);
	for (size_t i = 0; i < count; i++) {
		char const *piece = pieces[prng_below(state, sizeof(pieces) / sizeof(pieces[0]))];
		size_t len = strlen(piece);
		if (n + len > max) break;
		memcpy(out + n, piece, len);
		n += len;
	}
	return n;
}

TEST(fuzz_reads_are_consistent)
{
	uint64_t state = 0x5eed0001;
	char text[128];
	for (int round = 0; round < 20000; round++) {
		size_t n = random_args(&state, text, sizeof(text));
		char *p = unterminated(text, n);
		enum arg_string_result valid = arg_string_validate(p, n);
		CHECK(valid == ARG_STRING_OK || valid == ARG_STRING_MALFORMED);
		static char const *const keys[] = { "a", "b", "key" };
		for (size_t k = 0; k < 3; k++) {
			struct arg_string_raw_ret raw = arg_string_get_raw(p, n, keys[k]);
			if (valid == ARG_STRING_MALFORMED) {
				CHECK_EQ(raw.result, ARG_STRING_MALFORMED);
				continue;
			}
			CHECK(raw.result == ARG_STRING_OK || raw.result == ARG_STRING_NOT_FOUND);
			if (raw.result != ARG_STRING_OK) continue;
			CHECK(raw.value >= p && raw.value + raw.length <= p + n && raw.length > 0);
			char out[128];
			struct arg_string_copy_ret s = arg_string_get_string(p, n, keys[k], out, 128);
			CHECK_EQ(s.result, ARG_STRING_OK);
			CHECK(s.length <= raw.length);
			struct arg_string_unsigned_ret u = arg_string_get_unsigned(p, n, keys[k]);
			CHECK(u.result != ARG_STRING_MALFORMED && u.result != ARG_STRING_NOT_FOUND);
		}
		free(p);
	}
}

TEST(fuzz_edits_keep_strings_valid)
{
	uint64_t state = 0x5eed0002;
	char text[64];
	int edited = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = random_args(&state, text, sizeof(text) - 1);
		text[n] = '\0';
		size_t capacity = n + 1 + prng_below(&state, 24);
		char *b = editable(text, capacity);
		char *copy = strdup(b);
		char const *key = prng_below(&state, 2) ? "a" : "b";
		enum arg_string_result valid = arg_string_validate(b, capacity);
		enum arg_string_result r;
		int action = (int)prng_below(&state, 3);
		if (action == 0)
			r = arg_string_set(b, capacity, key, "0x42");
		else if (action == 1)
			r = arg_string_set_string(b, capacity, key, "q\"\\,");
		else
			r = arg_string_remove(b, capacity, key);

		if (r != ARG_STRING_OK) {
			/* a failed edit changes nothing */
			CHECK_STR(b, copy);
			if (valid != ARG_STRING_OK) CHECK_EQ(r, ARG_STRING_MALFORMED);
		} else {
			edited++;
			CHECK_EQ(valid, ARG_STRING_OK);
			CHECK_EQ(arg_string_validate(b, capacity), ARG_STRING_OK);
			CHECK(strlen(b) < capacity);
			if (action == 0) CHECK_EQ_U(arg_string_get_unsigned(b, capacity, key).value, 0x42);
			if (action == 1) {
				char out[8];
				CHECK_EQ(arg_string_get_string(b, capacity, key, out, 8).result, ARG_STRING_OK);
				CHECK_STR(out, "q\"\\,");
			}
			if (action == 2)
				CHECK_EQ(arg_string_get_raw(b, capacity, key).result, ARG_STRING_NOT_FOUND);
			/* set left one pair of the key: setting it again changes nothing */
			if (action != 2) {
				char *again = strdup(b);
				if (action == 0)
					CHECK_EQ(arg_string_set(b, capacity, key, "0x42"), ARG_STRING_OK);
				else
					CHECK_EQ(arg_string_set_string(b, capacity, key, "q\"\\,"), ARG_STRING_OK);
				CHECK_STR(b, again);
				free(again);
			}
		}
		free(copy);
		free(b);
	}
	CHECK(edited > 1000); /* the loop exercised the editing paths */
}
