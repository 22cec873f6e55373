/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: the checks' state and the helpers that compare results
 *
 * Each thread that runs the check suite has its own `struct test`. A check
 * compares a result with what is expected; it prints nothing when they are
 * equal, and otherwise one line `FAIL [<thread>] <what>: got ... expected
 * ...` to stdout. Every call of a test_expect_* function counts as one check
 * (test_expect_failure as two), whatever its outcome, so the number of
 * checks of a complete run is fixed (the run script compares it).
 */

#ifndef _TEST_LIBC_H_
#define _TEST_LIBC_H_

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

struct test_rendezvous; /* test_libc.c: where two threads meet */

struct test
{
	char const *name; /* the thread's, in FAIL lines: "main" or "second" */
	unsigned index;   /* 0 for main, 1 for the second thread: picks per-thread data */
	unsigned checks;
	unsigned failures;
	uint32_t random;                    /* the state of test_random, seeded per thread */
	struct test_rendezvous *rendezvous; /* 0 when a thread runs the suite alone */
};

/** a pseudo-random number from the thread's own sequence */
uint32_t test_random(struct test *t);

/** count a check; print `FAIL [thread] <format...>` if `ok` is false; returns ok */
bool test_expect(struct test *t, bool ok, char const *format, ...)
    __attribute__((format(printf, 3, 4)));

/** `got` == `expected` (signed) */
bool test_expect_int(struct test *t, char const *what, long long got, long long expected);

/** `got` == `expected` (unsigned) */
bool test_expect_uint(struct test *t, char const *what, unsigned long long got,
                      unsigned long long expected);

/** strings equal; a null pointer equals only a null pointer */
bool test_expect_string(struct test *t, char const *what, char const *got,
                        char const *expected);

/** pointers equal */
bool test_expect_pointer(struct test *t, char const *what, void const *got,
                         void const *expected);

/**
 * `got` within `tolerance` of `expected`: relative to |expected| when that
 * is above 1, absolute below. A NaN expected takes any NaN, an infinity
 * only the same infinity.
 */
bool test_expect_near(struct test *t, char const *what, double got, double expected,
                      double tolerance);

/** `got` is bit for bit `expected` (so -0.0 is not 0.0); any NaN equals any NaN */
bool test_expect_same(struct test *t, char const *what, double got, double expected);

/**
 * A call that must fail: `result` == `failed` and errno `got_errno` ==
 * `expected_errno`. Two checks.
 */
void test_expect_failure(struct test *t, char const *what, long long result, long long failed,
                         int got_errno, int expected_errno);

#define EXPECT_INT(t, expr, expected)  test_expect_int((t), #expr, (expr), (expected))
#define EXPECT_UINT(t, expr, expected) test_expect_uint((t), #expr, (expr), (expected))
#define EXPECT_STR(t, expr, expected)  test_expect_string((t), #expr, (expr), (expected))
#define EXPECT_PTR(t, expr, expected)  test_expect_pointer((t), #expr, (expr), (expected))
#define EXPECT_NEAR(t, expr, expected, tolerance) \
	test_expect_near((t), #expr, (expr), (expected), (tolerance))
#define EXPECT_SAME(t, expr, expected) test_expect_same((t), #expr, (expr), (expected))
#define EXPECT_TRUE(t, expr)           test_expect((t), (expr), "%s: got false expected true", #expr)

/* `call` returns `failed` (a number or a pointer) and sets errno to `expected_errno` */
#define EXPECT_FAILURE(t, call, failed, expected_errno)                                 \
	do {                                                                                \
		errno = 0;                                                                      \
		long long result_ = (long long)(intptr_t)(call);                                \
		int errno_ = errno;                                                             \
		test_expect_failure((t), #call, result_, (long long)(intptr_t)(failed), errno_, \
		                    (expected_errno));                                          \
	} while (0)

/*
 * The parts of the check suite, one per file. Each runs in any thread, at
 * the same time as in another one.
 */

/** printf and snprintf, sscanf, strtod, strtol and friends (check_format.c) */
void test_format_run(struct test *t);

/** qsort and bsearch (check_sort.c) */
void test_sort_run(struct test *t);

/** malloc, calloc, realloc, free, the aligned allocations (check_memory.c) */
void test_memory_run(struct test *t);

/** string.h (check_string.c) */
void test_string_run(struct test *t);

/** math.h (check_math.c) */
void test_math_run(struct test *t);

/** clocks and sleeps with a Timer (check_time.c) */
void test_time_run(struct test *t);

/** the same calls without a Timer: each fails with ENOTSUP (check_time.c) */
void test_time_run_without_timer(struct test *t);

/** microseconds of CLOCK_MONOTONIC (check_time.c); 0 if the clock fails */
uint64_t test_time_now_us(void);

/** the calls that have no meaning here, and their errno (check_system.c) */
void test_system_run(struct test *t);

#endif /* _TEST_LIBC_H_ */
