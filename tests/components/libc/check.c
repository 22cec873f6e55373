/* SPDX-License-Identifier: MIT */
/** \brief test-libc: the helpers that compare results and report failures */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "test_libc.h"

uint32_t test_random(struct test *t)
{
	/* xorshift32: the state never becomes 0 if it did not start at 0 */
	uint32_t x = t->random ? t->random : 1;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	t->random = x;
	return x;
}

bool test_expect(struct test *t, bool ok, char const *format, ...)
{
	t->checks++;
	if (ok) return true;
	t->failures++;
	va_list args;
	va_start(args, format);
	printf("FAIL [%s] ", t->name);
	vprintf(format, args);
	printf("\n");
	va_end(args);
	return false;
}

bool test_expect_int(struct test *t, char const *what, long long got, long long expected)
{
	return test_expect(t, got == expected, "%s: got %lld expected %lld", what, got, expected);
}

bool test_expect_uint(struct test *t, char const *what, unsigned long long got,
                      unsigned long long expected)
{
	return test_expect(t, got == expected, "%s: got %llu expected %llu", what, got, expected);
}

bool test_expect_string(struct test *t, char const *what, char const *got, char const *expected)
{
	bool ok = (!got && !expected) || (got && expected && strcmp(got, expected) == 0);
	return test_expect(t, ok, "%s: got %s%s%s expected %s%s%s", what, got ? "\"" : "",
	                   got ? got : "NULL", got ? "\"" : "", expected ? "\"" : "",
	                   expected ? expected : "NULL", expected ? "\"" : "");
}

bool test_expect_pointer(struct test *t, char const *what, void const *got,
                         void const *expected)
{
	return test_expect(t, got == expected, "%s: got %p expected %p", what, got, expected);
}

bool test_expect_near(struct test *t, char const *what, double got, double expected,
                      double tolerance)
{
	bool ok;
	if (isnan(expected))
		ok = isnan(got);
	else if (isinf(expected))
		ok = got == expected;
	else {
		double scale = fabs(expected) > 1.0 ? fabs(expected) : 1.0;
		ok = !isnan(got) && fabs(got - expected) <= tolerance * scale;
	}
	return test_expect(t, ok, "%s: got %.17g expected %.17g (within %g)", what, got, expected,
	                   tolerance);
}

bool test_expect_same(struct test *t, char const *what, double got, double expected)
{
	uint64_t a, b;
	memcpy(&a, &got, sizeof(a));
	memcpy(&b, &expected, sizeof(b));
	bool ok = a == b || (isnan(got) && isnan(expected));
	return test_expect(t, ok, "%s: got %.17g (%a) expected %.17g (%a)", what, got, got,
	                   expected, expected);
}

void test_expect_failure(struct test *t, char const *what, long long result, long long failed,
                         int got_errno, int expected_errno)
{
	test_expect(t, result == failed, "%s: got result %lld expected %lld", what, result, failed);
	test_expect(t, got_errno == expected_errno, "%s: got errno %d (%s) expected %d (%s)", what,
	            got_errno, strerror(got_errno), expected_errno, strerror(expected_errno));
}
