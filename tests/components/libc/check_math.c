/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: math.h
 *
 * Results that are exact in binary (sqrt of a square, floor, fmod, frexp,
 * ...) must be exact; the others must be within a few units in the last
 * place (MATH_ULPS) of the true value, written here with 17 digits or more.
 */

#include <float.h>
#include <math.h>

#include "test_libc.h"

static double const MATH_ULPS = 4 * DBL_EPSILON;
static double const math_pi = 3.14159265358979323846;
static double const math_e = 2.71828182845904523536;

static void math_exact(struct test *t)
{
	EXPECT_SAME(t, sqrt(16.0), 4.0);
	EXPECT_SAME(t, sqrt(0.25), 0.5);
	EXPECT_SAME(t, sqrt(-0.0), -0.0);
	EXPECT_SAME(t, floor(-1.5), -2.0);
	EXPECT_SAME(t, floor(2.0), 2.0);
	EXPECT_SAME(t, floor(-0.5), -1.0);
	EXPECT_SAME(t, ceil(-1.5), -1.0);
	EXPECT_SAME(t, ceil(1.2), 2.0);
	EXPECT_SAME(t, ceil(-0.5), -0.0);
	EXPECT_SAME(t, round(2.5), 3.0);
	EXPECT_SAME(t, round(-2.5), -3.0);
	EXPECT_SAME(t, round(0.49999999999999994), 0.0);
	EXPECT_SAME(t, trunc(-3.7), -3.0);
	EXPECT_SAME(t, fabs(-3.5), 3.5);
	EXPECT_SAME(t, fmod(7.5, 2.0), 1.5);
	EXPECT_SAME(t, fmod(-7.5, 2.0), -1.5);
	EXPECT_SAME(t, fmod(1e300, 3.0), 0.0);
	EXPECT_SAME(t, fmod(1e300, 7.0), 1.0);
	EXPECT_SAME(t, hypot(3.0, 4.0), 5.0);
	EXPECT_NEAR(t, hypot(1e300, 1e300), 1.4142135623730950488e300, MATH_ULPS);
	EXPECT_SAME(t, pow(2.0, 10.0), 1024.0);
	EXPECT_SAME(t, pow(2.0, -2.0), 0.25);
	EXPECT_SAME(t, pow(-2.0, 3.0), -8.0);
	EXPECT_SAME(t, pow(5.0, 0.0), 1.0);
	EXPECT_SAME(t, ldexp(0.75, 4), 12.0);
	EXPECT_SAME(t, ldexp(1.0, -1074), 0x1p-1074);
	EXPECT_SAME(t, ldexp(1.0, 1024), (double)INFINITY);

	int exponent = 0;
	EXPECT_SAME(t, frexp(8.0, &exponent), 0.5);
	EXPECT_INT(t, exponent, 4);
	EXPECT_SAME(t, frexp(-3.0, &exponent), -0.75);
	EXPECT_INT(t, exponent, 2);
	EXPECT_SAME(t, frexp(0x1p-1074, &exponent), 0.5);
	EXPECT_INT(t, exponent, -1073);
	double whole = 0;
	EXPECT_SAME(t, modf(-2.75, &whole), -0.75);
	EXPECT_SAME(t, whole, -2.0);
}

static void math_approximate(struct test *t)
{
	EXPECT_NEAR(t, sqrt(2.0), 1.41421356237309504880, MATH_ULPS);
	EXPECT_NEAR(t, sin(math_pi / 6), 0.5, MATH_ULPS);
	EXPECT_NEAR(t, sin(1.0), 0.84147098480789650665, MATH_ULPS);
	EXPECT_NEAR(t, sin(1e6), -0.34999350217129295211, MATH_ULPS); /* a large argument */
	EXPECT_NEAR(t, cos(math_pi / 3), 0.5, MATH_ULPS);
	EXPECT_NEAR(t, cos(1.0), 0.54030230586813971740, MATH_ULPS);
	EXPECT_NEAR(t, tan(math_pi / 4), 1.0, MATH_ULPS);
	EXPECT_NEAR(t, tan(1.0), 1.55740772465490223051, MATH_ULPS);
	EXPECT_NEAR(t, atan2(1.0, -1.0), 3 * math_pi / 4, MATH_ULPS);
	EXPECT_NEAR(t, atan2(-1.0, -1.0), -3 * math_pi / 4, MATH_ULPS);
	EXPECT_SAME(t, atan2(0.0, -1.0), math_pi);
	EXPECT_SAME(t, atan2(-0.0, -1.0), -math_pi);
	EXPECT_NEAR(t, atan(1.0), math_pi / 4, MATH_ULPS);
	EXPECT_NEAR(t, asin(1.0), math_pi / 2, MATH_ULPS);
	EXPECT_NEAR(t, acos(-1.0), math_pi, MATH_ULPS);
	EXPECT_NEAR(t, exp(1.0), math_e, MATH_ULPS);
	EXPECT_NEAR(t, exp(-1.0), 0.36787944117144232160, MATH_ULPS);
	EXPECT_NEAR(t, exp(700.0), 1.0142320547350045094e304, MATH_ULPS);
	EXPECT_NEAR(t, log(math_e), 1.0, MATH_ULPS);
	EXPECT_NEAR(t, log(10.0), 2.30258509299404568402, MATH_ULPS);
	EXPECT_NEAR(t, log10(1000.0), 3.0, MATH_ULPS);
	EXPECT_NEAR(t, log10(2.0), 0.30102999566398119521, MATH_ULPS);
	EXPECT_NEAR(t, log2(1024.0), 10.0, MATH_ULPS);
	EXPECT_NEAR(t, pow(2.0, 0.5), 1.41421356237309504880, MATH_ULPS);
	EXPECT_NEAR(t, pow(10.0, -3.0), 0.001, MATH_ULPS);
	EXPECT_NEAR(t, pow(1.0000001, 1e7), 2.71828169413208157060, MATH_ULPS);
	EXPECT_NEAR(t, cbrt(27.0), 3.0, MATH_ULPS);
	EXPECT_NEAR(t, sinh(1.0), 1.17520119364380145688, MATH_ULPS);
	EXPECT_NEAR(t, tanh(0.5), 0.46211715726000975850, MATH_ULPS);
	EXPECT_NEAR(t, sqrtf(2.0f), 1.41421356237309504880, 4 * FLT_EPSILON);
	EXPECT_NEAR(t, sinf(1.0f), 0.84147098480789650665, 4 * FLT_EPSILON);
	EXPECT_NEAR(t, expf(1.0f), math_e, 4 * FLT_EPSILON);
}

static void math_special(struct test *t)
{
	/* arguments outside the functions' domains, on purpose */
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	EXPECT_TRUE(t, isnan(sqrt(-1.0)));
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	/* cppcheck-suppress wrongmathcall ; on purpose */
	EXPECT_TRUE(t, isnan(log(-1.0)));
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	EXPECT_TRUE(t, isnan(acos(2.0)));
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	/* cppcheck-suppress wrongmathcall ; on purpose */
	EXPECT_TRUE(t, isnan(fmod(1.0, 0.0)));
	EXPECT_TRUE(t, isnan(pow(-8.0, 1.0 / 3.0)));
	EXPECT_TRUE(t, isnan(sin((double)INFINITY)));
	EXPECT_TRUE(t, isnan((double)NAN + 1.0));
	EXPECT_TRUE(t, !isnan(1.0) && !isnan((double)INFINITY));
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	/* cppcheck-suppress wrongmathcall ; on purpose */
	EXPECT_SAME(t, log(0.0), -(double)INFINITY);
	EXPECT_SAME(t, exp(1000.0), (double)INFINITY);
	EXPECT_SAME(t, exp(-1000.0), 0.0);
	EXPECT_SAME(t, exp(-(double)INFINITY), 0.0);
	/* cppcheck-suppress wrongmathcall ; on purpose */
	EXPECT_SAME(t, pow(0.0, -1.0), (double)INFINITY);
	EXPECT_SAME(t, pow((double)NAN, 0.0), 1.0);
	EXPECT_SAME(t, atan((double)INFINITY), math_pi / 2);
	/* cppcheck-suppress invalidFunctionArg ; on purpose */
	/* cppcheck-suppress wrongmathcall ; on purpose */
	EXPECT_TRUE(t, isinf(log(0.0)) && isinf(exp(1000.0)) && !isinf(DBL_MAX));
	EXPECT_TRUE(t, isinf(-(double)INFINITY) && signbit(-(double)INFINITY));
	EXPECT_TRUE(t, isfinite(DBL_MAX) && !isfinite((double)NAN));
	EXPECT_TRUE(t, signbit(-0.0) && !signbit(0.0));
	EXPECT_INT(t, fpclassify(0x1p-1074), FP_SUBNORMAL);
	EXPECT_INT(t, fpclassify(1.0), FP_NORMAL);
	EXPECT_INT(t, fpclassify(0.0), FP_ZERO);
}

void test_math_run(struct test *t)
{
	math_exact(t);
	math_approximate(t);
	math_special(t);
}
