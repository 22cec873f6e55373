/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: printf and snprintf (floats, widths, flags, truncation),
 *        sscanf, strtod and strtof, strtol and friends
 *
 * Every expected text is what the C standard prescribes for the value (the
 * decimal expansions of binary doubles are exact), so a formatter that
 * rounds wrongly, loses digits or mishandles a flag fails here.
 */

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "test_libc.h"

enum { FORMAT_BUFFER = 512 };

static double const format_pi = 3.14159265358979323846;

/* snprintf of `format` gives exactly `expected`, returns its length and ends it with 0 */
static void format_expect(struct test *t, char const *expected, char const *format, ...)
    __attribute__((format(printf, 3, 4)));
static void format_expect(struct test *t, char const *expected, char const *format, ...)
{
	char buffer[FORMAT_BUFFER];
	memset(buffer, '#', sizeof(buffer));
	va_list args;
	va_start(args, format);
	int n = vsnprintf(buffer, sizeof(buffer), format, args);
	va_end(args);
	size_t length = strlen(expected);
	bool ok = n == (int)length && memcmp(buffer, expected, length + 1) == 0;
	if (!ok) buffer[sizeof(buffer) - 1] = 0;
	test_expect(t, ok, "snprintf(\"%s\"): got \"%s\" (returned %d) expected \"%s\" (%zu)",
	            format, buffer, n, expected, length);
}

static void format_floats(struct test *t)
{
	/* the conversions */
	format_expect(t, "3.141593", "%f", format_pi);
	format_expect(t, "3.142", "%.3f", format_pi);
	format_expect(t, "3.141593e+00", "%e", format_pi);
	format_expect(t, "3.14159", "%g", format_pi);
	format_expect(t, "0x1.921fb54442d18p+1", "%a", format_pi);
	format_expect(t, "0x1p+0", "%a", 1.0);
	format_expect(t, "0x1.8p+1", "%a", 3.0);
	format_expect(t, "-0x1p-2", "%a", -0.25);
	format_expect(t, "0X1.8P+1", "%A", 3.0);
	format_expect(t, "1.234568e+04", "%e", 12345.678);
	format_expect(t, "1.2346E+04", "%.4E", 12345.678);
	format_expect(t, "1e+01", "%.0e", 12.0);
	format_expect(t, "1.000000e-300", "%e", 1e-300);

	/* %g: fixed or exponent, trailing zeros */
	format_expect(t, "0.0001", "%g", 0.0001);
	format_expect(t, "1e-05", "%g", 0.00001);
	format_expect(t, "1.23457e+08", "%g", 123456789.0);
	format_expect(t, "100000", "%g", 100000.0);
	format_expect(t, "1e+06", "%g", 1e6);
	format_expect(t, "0.5", "%g", 0.5);
	format_expect(t, "1.5e+300", "%g", 1.5e300);
	format_expect(t, "1.00000", "%#g", 1.0);
	format_expect(t, "1.2E-10", "%G", 1.2e-10);

	/* exact decimal expansions and correct rounding */
	format_expect(t, "3.14159265358979311600", "%.20f", format_pi);
	format_expect(t, "0.10000000000000000555", "%.20f", 0.1);
	format_expect(t, "0.10000000000000001", "%.17g", 0.1);
	format_expect(t, "0.3333333333333333148296162562473909929395", "%.40f", 1.0 / 3.0);
	format_expect(t, "10000000000000000000000.000000", "%f", 1e22);
	format_expect(t, "1180591620717411303424", "%.0f", 0x1p70);
	format_expect(t, "9007199254740994", "%.0f", 9007199254740994.0);
	format_expect(t, "0.000001", "%f", 6e-7);
	format_expect(t, "0.000000", "%f", 4e-7);
	format_expect(t, "1.0", "%.1f", 0.96);
	format_expect(t, "2.675", "%.3f", 2.675);
	format_expect(t, "2.67", "%.2f", 2.675); /* 2.675 is 2.67499999... in binary */
	format_expect(t, "0.12", "%.2f", 0.125); /* an exact tie: to even */
	format_expect(t, "0.38", "%.2f", 0.375);
	format_expect(t, "2", "%.0f", 2.5);
	format_expect(t, "4", "%.0f", 3.5);

	/* widths, precision and flags */
	format_expect(t, "   3.142|", "%8.3f|", format_pi);
	format_expect(t, "3.14    |", "%-8.2f|", format_pi);
	format_expect(t, "-003.142", "%08.3f", -format_pi);
	format_expect(t, "+3.1", "%+.1f", format_pi);
	format_expect(t, " 1.50", "% .2f", 1.5);
	format_expect(t, "3.", "%#.0f", 3.0);
	format_expect(t, "0003.14", "%07.2f", format_pi);
	format_expect(t, "   +3.14e+00", "%+12.2e", format_pi);
	format_expect(t, "  3.14", "%*.*f", 6, 2, format_pi);
	format_expect(t, "3.14  |", "%*.2f|", -6, format_pi);
	format_expect(t, "3.141593", "%.*f", -1, format_pi); /* a negative precision: none */

	/* infinities and NaN */
	format_expect(t, "inf", "%f", (double)INFINITY);
	format_expect(t, "-inf", "%f", -(double)INFINITY);
	format_expect(t, "INF", "%F", (double)INFINITY);
	format_expect(t, "inf", "%e", (double)INFINITY);
	format_expect(t, "-inf", "%g", -(double)INFINITY);
	format_expect(t, "+inf", "%+f", (double)INFINITY);
	format_expect(t, "  inf", "%5.1f", (double)INFINITY);
	format_expect(t, "inf  |", "%-5f|", (double)INFINITY);
	format_expect(t, "nan", "%f", (double)NAN);
	format_expect(t, "NAN", "%E", (double)NAN);
	format_expect(t, "nan", "%g", (double)NAN);

	/* negative zero keeps its sign */
	format_expect(t, "-0.000000", "%f", -0.0);
	format_expect(t, "-0", "%g", -0.0);
	format_expect(t, "-0", "%.0f", -0.4);
	format_expect(t, "-0.000000e+00", "%e", -0.0);
	format_expect(t, "0.000000", "%f", 0.0);

	/* a float argument is promoted; long double has its own length */
	format_expect(t, "0.100000001490116119384765625", "%.27f", (double)0.1f);
	format_expect(t, "2.50", "%.2Lf", 2.5L);
	format_expect(t, "1.25e+00", "%.2Le", 1.25L);
}

static void format_integers(struct test *t)
{
	format_expect(t, "-9223372036854775808", "%lld", LLONG_MIN);
	format_expect(t, "9223372036854775807", "%lld", LLONG_MAX);
	format_expect(t, "18446744073709551615", "%llu", ULLONG_MAX);
	format_expect(t, "ffffffffffffffff", "%llx", ULLONG_MAX);
	format_expect(t, "1777777777777777777777", "%llo", ULLONG_MAX);
	format_expect(t, "-9223372036854775808", "%ld", LONG_MIN);
	format_expect(t, "18446744073709551615", "%zu", SIZE_MAX);
	format_expect(t, "-5", "%zd", (ssize_t)-5);
	format_expect(t, "9223372036854775807", "%jd", INTMAX_MAX);
	format_expect(t, "-3", "%td", (ptrdiff_t)-3);
	format_expect(t, "-2147483648", "%d", INT_MIN);
	format_expect(t, "4294967295", "%u", UINT_MAX);
	format_expect(t, "-1", "%hhd", 255);
	format_expect(t, "65535", "%hu", 65535);
	format_expect(t, "0xff", "%#x", 255);
	format_expect(t, "0XFF", "%#X", 255);
	format_expect(t, "0", "%#x", 0);
	format_expect(t, "010", "%#o", 8);
	format_expect(t, "+5", "%+d", 5);
	format_expect(t, " 5", "% d", 5);
	format_expect(t, "00042", "%05d", 42);
	format_expect(t, "42   |", "%-5d|", 42);
	format_expect(t, "  -42", "%5d", -42);
	format_expect(t, "-0042", "%05d", -42);
	format_expect(t, "00042", "%.5d", 42);
	format_expect(t, "   00042", "%8.5d", 42);
	format_expect(t, "", "%.0d", 0);
	format_expect(t, "0x00ff", "%#06x", 255);
	format_expect(t, "0x1234", "%p", (void *)0x1234);

	/* strings and characters */
	format_expect(t, "ab", "%.2s", "abc");
	format_expect(t, "  abc", "%5s", "abc");
	format_expect(t, "abc  |", "%-5s|", "abc");
	format_expect(t, "x", "%c", 'x');
	format_expect(t, "100%", "%d%%", 100);
	format_expect(t, "a b 3", "%s %c %d", "a", 'b', 3);
}

/* what snprintf returns when the buffer is too small, and what it writes */
static void format_truncation(struct test *t)
{
	char buffer[16];
	memset(buffer, '#', sizeof(buffer));
	EXPECT_INT(t, snprintf(buffer, 5, "%d", 123456), 6);
	EXPECT_STR(t, buffer, "1234");
	EXPECT_INT(t, buffer[5], '#'); /* nothing beyond the size */

	memset(buffer, '#', sizeof(buffer));
	EXPECT_INT(t, snprintf(buffer, 1, "%s", "abc"), 3);
	EXPECT_INT(t, buffer[0], 0);
	EXPECT_INT(t, buffer[1], '#');

	memset(buffer, '#', sizeof(buffer));
	EXPECT_INT(t, snprintf(buffer, 0, "%s", "abc"), 3);
	EXPECT_INT(t, buffer[0], '#');

	EXPECT_INT(t, snprintf(0, 0, "%f", 1.5), 8);
	EXPECT_INT(t, snprintf(0, 0, "%.40f", 1.0 / 3.0), 42);

	memset(buffer, '#', sizeof(buffer));
	EXPECT_INT(t, snprintf(buffer, 4, "%e", 1.0), 12);
	EXPECT_STR(t, buffer, "1.0");

	memset(buffer, '#', sizeof(buffer));
	EXPECT_INT(t, snprintf(buffer, 8, "%.3f", 2.0 / 3.0), 5);
	EXPECT_STR(t, buffer, "0.667");

	EXPECT_INT(t, sprintf(buffer, "%5.1f|", -2.25), 6);
	EXPECT_STR(t, buffer, " -2.2|"); /* -2.25 is a tie: to even */

	/* a text longer than stdio's buffers */
	enum { LONG_TEXT = 5000 };
	char *text = malloc(LONG_TEXT + 1);
	char *copy = malloc(LONG_TEXT + 16);
	if (!EXPECT_TRUE(t, text && copy)) {
		free(text);
		free(copy);
		return;
	}
	for (int i = 0; i < LONG_TEXT; i++) text[i] = (char)('a' + i % 26);
	text[LONG_TEXT] = 0;
	EXPECT_INT(t, snprintf(copy, LONG_TEXT + 16, "<%s>", text), LONG_TEXT + 2);
	EXPECT_TRUE(t, copy[0] == '<' && memcmp(copy + 1, text, LONG_TEXT) == 0 &&
	                   strcmp(copy + 1 + LONG_TEXT, ">") == 0);
	free(text);
	free(copy);
}

static void format_scan(struct test *t)
{
	int i = 0;
	double d = 0;
	char word[8] = "";
	unsigned x = 0;
	EXPECT_INT(t, sscanf("12 3.5 abc ff", "%d %lf %7s %x", &i, &d, word, &x), 4);
	EXPECT_INT(t, i, 12);
	EXPECT_SAME(t, d, 3.5);
	EXPECT_STR(t, word, "abc");
	EXPECT_UINT(t, x, 255);
	EXPECT_INT(t, sscanf("-1e-3", "%lf", &d), 1);
	EXPECT_SAME(t, d, -1e-3);
	EXPECT_INT(t, sscanf("x", "%d", &i), 0);
	EXPECT_INT(t, sscanf("", "%d", &i), EOF);
}

/*
 * strtod of `text`: exactly `expected`, the end after `consumed` characters,
 * errno `expected_errno` (not checked if negative)
 */
static void format_strtod(struct test *t, char const *text, double expected, size_t consumed,
                          int expected_errno)
{
	char *end = 0;
	errno = 0;
	double got = strtod(text, &end);
	int error = errno;
	char what[96];
	snprintf(what, sizeof(what), "strtod(\"%s\")", text);
	test_expect_same(t, what, got, expected);
	test_expect(t, end == text + consumed, "%s: end at %td, expected %zu", what, end - text,
	            consumed);
	if (expected_errno >= 0)
		test_expect(t, error == expected_errno, "%s: errno %d expected %d", what, error,
		            expected_errno);
}

static void format_strtod_all(struct test *t)
{
	format_strtod(t, "3.25", 3.25, 4, 0);
	format_strtod(t, "  -1.5e3xyz", -1500.0, 8, 0);
	format_strtod(t, "\t\n +.5", 0.5, 6, 0);
	format_strtod(t, "1e", 1.0, 1, 0);
	format_strtod(t, "1e+", 1.0, 1, 0);
	format_strtod(t, "0x1.8p1", 3.0, 7, 0);
	format_strtod(t, "0X10", 16.0, 4, 0);
	format_strtod(t, "0x.8", 0.5, 4, 0);
	format_strtod(t, "-0x1p-1074", -0x1p-1074, 10, 0);
	format_strtod(t, "inf", (double)INFINITY, 3, 0);
	format_strtod(t, "-Infinity", -(double)INFINITY, 9, 0);
	format_strtod(t, "infinit", (double)INFINITY, 3, 0);
	format_strtod(t, "nan", (double)NAN, 3, 0);
	format_strtod(t, "-0", -0.0, 2, 0);
	format_strtod(t, "1e999", HUGE_VAL, 5, ERANGE);
	format_strtod(t, "-1e999", -HUGE_VAL, 6, ERANGE);
	format_strtod(t, "1.7976931348623159e308", HUGE_VAL, 22, ERANGE);
	format_strtod(t, "1.7976931348623157e308", DBL_MAX, 22, 0);
	format_strtod(t, "2.2250738585072014e-308", DBL_MIN, 23, 0);
	format_strtod(t, "4.9406564584124654e-324", 0x1p-1074, 23, -1); /* ERANGE or not */
	format_strtod(t, "0.1", 0.1, 3, 0);
	format_strtod(t, "1e23", 1e23, 4, 0);
	format_strtod(t, "123456789012345678901234567890", 123456789012345678901234567890.0, 30, 0);
	format_strtod(t, "9007199254740993", 9007199254740992.0, 16, 0); /* a tie: to even */
	format_strtod(t, "9007199254740995", 9007199254740996.0, 16, 0);
	format_strtod(t, "abc", 0.0, 0, 0);
	format_strtod(t, "", 0.0, 0, 0);
	format_strtod(t, "   ", 0.0, 0, 0); /* no number: the end is the start */
	format_strtod(t, "-", 0.0, 0, 0);
	format_strtod(t, ".e1", 0.0, 0, 0);

	char *end = 0;
	errno = 0;
	EXPECT_SAME(t, strtof("1.5", &end), 1.5f);
	errno = 0;
	EXPECT_SAME(t, strtof("1e40", &end), (double)HUGE_VALF);
	EXPECT_INT(t, errno, ERANGE);
	EXPECT_SAME(t, strtof("0.1", 0), (double)0.1f);
	EXPECT_SAME(t, atof("2.5e-1"), 0.25);
}

/* strtol of `text` in `base`: `expected`, the end after `consumed` characters, errno */
static void format_strtol(struct test *t, char const *text, int base, long expected,
                          size_t consumed, int expected_errno)
{
	char *end = 0;
	errno = 0;
	long got = strtol(text, &end, base);
	int error = errno;
	test_expect(t, got == expected && end == text + consumed && error == expected_errno,
	            "strtol(\"%s\", %d): got %ld, end at %td, errno %d expected %ld, %zu, %d", text,
	            base, got, end - text, error, expected, consumed, expected_errno);
}

static void format_strtoul(struct test *t, char const *text, int base, unsigned long expected,
                           size_t consumed, int expected_errno)
{
	char *end = 0;
	errno = 0;
	unsigned long got = strtoul(text, &end, base);
	int error = errno;
	test_expect(t, got == expected && end == text + consumed && error == expected_errno,
	            "strtoul(\"%s\", %d): got %lu, end at %td, errno %d expected %lu, %zu, %d",
	            text, base, got, end - text, error, expected, consumed, expected_errno);
}

static void format_strtol_all(struct test *t)
{
	format_strtol(t, "  -42abc", 10, -42, 5, 0);
	format_strtol(t, "+7", 10, 7, 2, 0);
	format_strtol(t, "0x1F", 0, 31, 4, 0);
	format_strtol(t, "0x1F", 16, 31, 4, 0);
	format_strtol(t, "0x1F", 10, 0, 1, 0);
	format_strtol(t, "0755", 0, 493, 4, 0);
	format_strtol(t, "0755", 10, 755, 4, 0);
	format_strtol(t, "089", 0, 0, 1, 0); /* octal: 8 is no digit */
	format_strtol(t, "z", 36, 35, 1, 0);
	format_strtol(t, "Zz", 36, 1295, 2, 0);
	format_strtol(t, "1011", 2, 11, 4, 0);
	format_strtol(t, "12", 2, 1, 1, 0);
	format_strtol(t, "777", 8, 511, 3, 0);
	format_strtol(t, "", 10, 0, 0, 0);
	format_strtol(t, "-", 10, 0, 0, 0);
	format_strtol(t, "  x", 10, 0, 0, 0);
	format_strtol(t, "9223372036854775807", 10, LONG_MAX, 19, 0);
	format_strtol(t, "9223372036854775808", 10, LONG_MAX, 19, ERANGE);
	format_strtol(t, "-9223372036854775808", 10, LONG_MIN, 20, 0);
	format_strtol(t, "-9223372036854775809", 10, LONG_MIN, 20, ERANGE);
	format_strtol(t, "99999999999999999999999x", 10, LONG_MAX, 23, ERANGE);
	format_strtol(t, "7fffffffffffffff", 16, LONG_MAX, 16, 0);

	format_strtoul(t, "18446744073709551615", 10, ULONG_MAX, 20, 0);
	format_strtoul(t, "18446744073709551616", 10, ULONG_MAX, 20, ERANGE);
	format_strtoul(t, "-1", 10, ULONG_MAX, 2, 0); /* negated in the unsigned type */
	format_strtoul(t, "ffffffffffffffff", 16, ULONG_MAX, 16, 0);
	format_strtoul(t, "0xFFFFFFFFFFFFFFFFF", 0, ULONG_MAX, 19, ERANGE);

	/* a base that does not exist (where the end points is not specified) */
	char *end = 0;
	errno = 0;
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	EXPECT_INT(t, strtol("10", &end, 1), 0);
	EXPECT_INT(t, errno, EINVAL);
	errno = 0;
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	EXPECT_INT(t, strtol("10", &end, 37), 0);
	EXPECT_INT(t, errno, EINVAL);

	errno = 0;
	EXPECT_INT(t, strtoll("-9223372036854775809", &end, 10), LLONG_MIN);
	EXPECT_INT(t, errno, ERANGE);
	errno = 0;
	EXPECT_UINT(t, strtoull("0xffffffffffffffff", &end, 0), ULLONG_MAX);
	EXPECT_INT(t, errno, 0);
	EXPECT_INT(t, *end, 0);
	EXPECT_INT(t, atoi(" -17x"), -17);
	EXPECT_INT(t, atol("123456789012"), 123456789012L);
	EXPECT_INT(t, atoll("-123456789012345"), -123456789012345LL);
}

void test_format_run(struct test *t)
{
	format_floats(t);
	format_integers(t);
	format_truncation(t);
	format_scan(t);
	format_strtod_all(t);
	format_strtol_all(t);
}
