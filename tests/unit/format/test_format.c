/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of util/format, with the host's snprintf as the model
 *
 * Every comparison formats into exactly-sized heap buffers (so ASan sees any
 * write past the end) and checks the returned length, the stored bytes and
 * the termination against vsnprintf, at every buffer size up to the full
 * output length plus one.
 */

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <util/format.h>

#include "unit_test.h"

/* format with both implementations into a buffer of `size` bytes and compare */
static void compare_at_size(char const *file, int line, size_t size, char const *fmt,
                            va_list args)
{
	char *ours = size ? malloc(size) : NULL;
	char *model = malloc(size + 1);
	va_list copy;

	va_copy(copy, args);
	size_t length = format_vstring(ours, size, fmt, copy);
	va_end(copy);

	va_copy(copy, args);
	int expected = vsnprintf(model, size ? size : 1, fmt, copy);
	va_end(copy);

	if (expected < 0) unit_test_fail(file, line, "model rejected \"%s\"", fmt);
	if (length != (size_t)expected)
		unit_test_fail(file, line, "\"%s\" size %zu: length %zu, model %d", fmt, size, length,
		               expected);
	if (size && memcmp(ours, model, size) != 0) {
		/* stored bytes may contain an embedded NUL (%c of 0): compare all */
		unit_test_fail(file, line, "\"%s\" size %zu: \"%.*s\", model \"%.*s\"", fmt, size,
		               (int)size, ours, (int)size, model);
	}
	free(ours);
	free(model);
}

/* compare at every buffer size 0 .. full length + 1 */
static void compare_all_sizes(char const *file, int line, char const *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	va_list copy;
	va_copy(copy, args);
	int full = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	for (size_t size = 0; size <= (size_t)full + 1; size++)
		compare_at_size(file, line, size, fmt, args);
	va_end(args);
}

/* compare with one comfortable buffer and two tight ones (cheap, for big matrices) */
static void compare_some_sizes(char const *file, int line, char const *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	va_list copy;
	va_copy(copy, args);
	int full = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	compare_at_size(file, line, (size_t)full + 1, fmt, args);
	compare_at_size(file, line, (size_t)full, fmt, args);
	compare_at_size(file, line, (size_t)full / 2 + 1, fmt, args);
	va_end(args);
}

#define SAME(...)       compare_all_sizes(__FILE__, __LINE__, __VA_ARGS__)
#define SAME_QUICK(...) compare_some_sizes(__FILE__, __LINE__, __VA_ARGS__)

/* our result alone, for the places where we differ from glibc on purpose */
static char result[256];
static size_t ours(char const *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	size_t n = format_vstring(result, sizeof(result), fmt, args);
	va_end(args);
	return n;
}

TEST(plain_text)
{
	SAME("");
	SAME("hello, world");
	SAME("100%% sure %%");
}

TEST(basic_conversions)
{
	SAME("%d %i %u %x %X %c %s", -12, 34, 56u, 0xabcu, 0xabcu, 'q', "str");
	SAME("[%s][%s]", "", "x");
	SAME("%c%c%c", 'a', 'b', 'c');
}

TEST(signed_matrix)
{
	static char const *const flags[] = { "", "-", "0", "+", " ", "-0", "+0", " 0", "-+", "- " };
	static char const *const widths[] = { "", "1", "5", "12", "25" };
	static char const *const precisions[] = { "", ".", ".0", ".1", ".5", ".15" };
	static int const values[] = { 0, 1, -1, 42, -42, 100000, INT32_MIN, INT32_MAX };
	char fmt[64];

	for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
			for (size_t p = 0; p < sizeof(precisions) / sizeof(*precisions); p++) {
				for (size_t v = 0; v < sizeof(values) / sizeof(*values); v++) {
					snprintf(fmt, sizeof(fmt), "<%%%s%s%sd>", flags[f], widths[w],
					         precisions[p]);
					SAME_QUICK(fmt, values[v]);
					snprintf(fmt, sizeof(fmt), "<%%%s%s%sli>", flags[f], widths[w],
					         precisions[p]);
					SAME_QUICK(fmt, (long)values[v] * 3000000000L);
				}
				snprintf(fmt, sizeof(fmt), "<%%%s%s%slld>", flags[f], widths[w], precisions[p]);
				SAME_QUICK(fmt, (long long)INT64_MIN);
				SAME_QUICK(fmt, (long long)INT64_MAX);
			}
}

TEST(unsigned_matrix)
{
	static char const *const flags[] = { "", "-", "0", "#", "-#", "#0", "-0" };
	static char const *const widths[] = { "", "1", "6", "20" };
	static char const *const precisions[] = { "", ".0", ".3", ".12" };
	static char const conversions[] = "uxX";
	static unsigned const values[] = { 0, 1, 9, 10, 15, 16, 0xdeadbeef, UINT32_MAX };
	char fmt[64];

	for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
			for (size_t p = 0; p < sizeof(precisions) / sizeof(*precisions); p++)
				for (size_t c = 0; c < 3; c++) {
					for (size_t v = 0; v < sizeof(values) / sizeof(*values); v++) {
						snprintf(fmt, sizeof(fmt), "%%%s%s%s%c", flags[f], widths[w],
						         precisions[p], conversions[c]);
						SAME_QUICK(fmt, values[v]);
					}
					snprintf(fmt, sizeof(fmt), "%%%s%s%sll%c", flags[f], widths[w],
					         precisions[p], conversions[c]);
					SAME_QUICK(fmt, (unsigned long long)UINT64_MAX);
					SAME_QUICK(fmt, 0x0123456789abcdefULL);
				}
}

TEST(int64_extremes)
{
	SAME("%lld|%lld", (long long)INT64_MIN, (long long)INT64_MAX);
	SAME("%ld|%li", (long)INT64_MIN, (long)-1);
	SAME("%llu|%llx|%llX", (unsigned long long)UINT64_MAX, (unsigned long long)UINT64_MAX,
	     (unsigned long long)UINT64_MAX);
	SAME("%030lld", (long long)INT64_MIN);
	SAME("%-30lld|", (long long)INT64_MIN);
	SAME("%+.25lld", (long long)INT64_MIN);
}

TEST(length_modifiers)
{
	SAME("%hhd %hhu %hhx", 300, 300, 0x1ff);
	SAME("%hhd %hhd", 128, -129);
	SAME("%hd %hu %hx", 70000, 70000, 0x12345);
	SAME("%hd", -32769);
	SAME("%zu %zx %zd", (size_t)SIZE_MAX, (size_t)0x1234, (ssize_t)-5);
	SAME("%jd %ju", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX);
	SAME("%td %tu", (ptrdiff_t)-77, (ptrdiff_t)77);
	SAME("%lu %lx", (unsigned long)ULONG_MAX, 0xfeedUL);
}

TEST(star_width_and_precision)
{
	SAME("[%*d]", 6, 42);
	SAME("[%*d]", -6, 42); /* negative width: left aligned */
	SAME("[%-*d]", -6, 42);
	SAME("[%0*d]", 6, -42);
	SAME("[%.*d]", 4, 7);
	SAME("[%.*d]", -1, 7); /* negative precision: as if none */
	SAME("[%0.*d]", -1, 7);
	SAME("[%*.*s]", 8, 3, "abcdef");
	SAME("[%-*.*s]", 8, 3, "abcdef");
	SAME("[%.*s]", 0, "abc");
	SAME("[%.*s]", -3, "abc");
	SAME("[%*s|%*c]", 3, "abcdef", 4, 'z');
}

TEST(strings_and_characters)
{
	static char const *const specs[] = { "%s",    "%10s",  "%-10s",  "%.0s", "%.2s",
		                                 "%.10s", "%5.2s", "%-5.2s", "%1s" };
	static char const *const strings[] = { "", "a", "hello", "a longer string" };
	for (size_t s = 0; s < sizeof(specs) / sizeof(*specs); s++)
		for (size_t v = 0; v < sizeof(strings) / sizeof(*strings); v++)
			SAME(specs[s], strings[v]);

	SAME("%5c|%-5c|%c", 'x', 'y', 'z');
	SAME("a%cb", 0); /* an embedded NUL is output like any byte */
	SAME("%c", 0x141);
}

TEST(string_precision_never_reads_past_it)
{
	/* no NUL anywhere in the allocation: ASan reports any byte read past 3 */
	char *s = malloc(3);
	memcpy(s, "xyz", 3);
	char buf[16];
	CHECK_EQ_U(format_string(buf, sizeof(buf), "[%.3s]", s), 5);
	CHECK_STR(buf, "[xyz]");
	CHECK_EQ_U(format_string(buf, sizeof(buf), "[%.*s]", 2, s), 4);
	CHECK_STR(buf, "[xy]");
	free(s);
}

TEST(null_string)
{
	char const *null = NULL;
	CHECK_EQ_U(ours("[%s]", null), 8);
	CHECK_STR(result, "[(null)]");
	CHECK_EQ_U(ours("[%8s]", null), 10);
	CHECK_STR(result, "[  (null)]");
	CHECK_EQ_U(ours("[%.3s]", null), 5);
	CHECK_STR(result, "[(nu]");
}

TEST(pointers)
{
	int object;
	SAME("%p", (void *)&object);
	SAME("[%20p]", (void *)&object);
	SAME("[%-20p]", (void *)&object);
	SAME("%p", (void *)1);
	SAME("%p", (void *)UINTPTR_MAX);

	CHECK_EQ_U(ours("%p", (void *)NULL), 3);
	CHECK_STR(result, "0x0");
	CHECK_EQ_U(ours("[%5p]", (void *)NULL), 7);
	CHECK_STR(result, "[  0x0]");
}

TEST(percent_with_modifiers)
{
	CHECK_EQ_U(ours("%%d"), 2);
	CHECK_STR(result, "%d");
	CHECK_EQ_U(ours("a%%%%b"), 4);
	CHECK_STR(result, "a%%b");
}

/* formats the compiler would reject: built at run time */
static char const *runtime(char const *fmt)
{
	static char copy[64];
	strcpy(copy, fmt);
	return copy;
}

TEST(unknown_conversion_is_literal_and_reads_nothing)
{
	CHECK_EQ_U(ours(runtime("%q %d"), 7), 4);
	CHECK_STR(result, "%q 7");
	CHECK_EQ_U(ours(runtime("[%-05.3lq] %s"), "next"), 15);
	CHECK_STR(result, "[%-05.3lq] next");
	CHECK_EQ_U(ours(runtime("%n%d"), 9), 3);
	CHECK_STR(result, "%n9");
	/* '*' belongs to the specification and reads its int even so */
	CHECK_EQ_U(ours(runtime("%*y|%d"), 5, 6), 5);
	CHECK_STR(result, "%*y|6");
}

TEST(percent_at_end_of_format)
{
	CHECK_EQ_U(ours(runtime("abc%")), 4);
	CHECK_STR(result, "abc%");
	CHECK_EQ_U(ours(runtime("abc%-5")), 6);
	CHECK_STR(result, "abc%-5");
	CHECK_EQ_U(ours(runtime("x%ll")), 4);
	CHECK_STR(result, "x%ll");
}

TEST(size_zero_and_one)
{
	CHECK_EQ_U(format_string(NULL, 0, "%d-%s", 12345, "abc"), 9);
	char one[1] = { 'x' };
	CHECK_EQ_U(format_string(one, 1, "%d-%s", 12345, "abc"), 9);
	CHECK_EQ(one[0], '\0');
	char two[2] = { 'x', 'y' };
	CHECK_EQ_U(format_string(two, 2, "%d", 98), 2);
	CHECK_STR(two, "9");
	CHECK_EQ_U(format_string(one, 1, "%s", ""), 0);
	CHECK_EQ(one[0], '\0');
}

TEST(truncation_at_every_size)
{
	SAME("%s=%-8d|%08x|%+.3i|%5c|%.2s|%llu", "name", -17, 0xbeefu, 5, 'k', "xyz",
	     (unsigned long long)UINT64_MAX);
	SAME("%-20s|%20s", "left", "right");
	SAME("%0*d", 40, -1);
}

TEST(width_larger_than_buffer)
{
	SAME("%1000d", 5);
	SAME("%-1000s|", "x");
	SAME("%.1000d", 5);
	char small[8];
	CHECK_EQ_U(format_string(small, sizeof(small), "%100s", "end"), 100);
	CHECK_STR(small, "       ");
}

TEST(huge_width_costs_no_time_once_full)
{
	char small[8];
	clock_t start = clock();
	CHECK_EQ_U(
	    format_string(small, sizeof(small), runtime("%2000000000d|%-2000000000s|"), 1, "a"),
	    4000000002ULL);
	CHECK_STR(small, "       ");
	CHECK((clock() - start) / CLOCKS_PER_SEC < 2);
}

TEST(width_and_precision_clamp_at_int_max)
{
	char small[4];
	CHECK_EQ_U(format_string(small, sizeof(small), runtime("%99999999999d"), 1),
	           (size_t)INT32_MAX);
	CHECK_EQ_U(format_string(small, sizeof(small), runtime("%.99999999999d"), 1),
	           (size_t)INT32_MAX);
	CHECK_EQ_U(format_string(small, sizeof(small), runtime("%*d"), INT32_MIN, 1),
	           (size_t)INT32_MAX);
	CHECK_STR(small, "1  ");
}

TEST(va_list_reuse_through_copy)
{
	/* format_vstring is usable twice with va_copy, like vsnprintf */
	SAME("%d %s %d", 1, "two", 3);
}
