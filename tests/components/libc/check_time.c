/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc: clocks and sleeps, with a Timer and without one
 *
 * A sleep must take at least what it asked for, measured with
 * CLOCK_MONOTONIC, and not much more: within TIME_TOLERANCE_US in one of
 * TIME_ATTEMPTS attempts (a loaded host may delay one wake-up, and two
 * threads sleep at the same time here). Without a Timer every clock and
 * sleep call fails with ENOTSUP at once.
 */

#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "test_libc.h"

enum {
	TIME_SLEEP_US = 20000,
	TIME_TOLERANCE_US = 10000,
	TIME_ATTEMPTS = 3,
	TIME_READINGS = 1000, /* consecutive readings of the monotonic clock */
};

static uint64_t time_us(struct timespec const *ts)
{
	return (uint64_t)ts->tv_sec * 1000000 + (uint64_t)ts->tv_nsec / 1000;
}

uint64_t test_time_now_us(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
	return time_us(&ts);
}

static int time_nanosleep_us(unsigned us)
{
	struct timespec request = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	return nanosleep(&request, 0);
}

static int time_usleep_us(unsigned us) { return usleep(us); }

/* a sleep of TIME_SLEEP_US: never shorter, and once within the tolerance */
static void time_sleep_check(struct test *t, char const *name, int (*sleep_us)(unsigned))
{
	unsigned failed = 0, shorter = 0, attempts = 0;
	uint64_t took = 0;
	bool within = false;
	while (attempts < TIME_ATTEMPTS && !within) {
		attempts++;
		uint64_t start = test_time_now_us();
		if (sleep_us(TIME_SLEEP_US) != 0) failed++;
		took = test_time_now_us() - start;
		if (took < TIME_SLEEP_US) shorter++;
		if (took >= TIME_SLEEP_US && took < TIME_SLEEP_US + TIME_TOLERANCE_US) within = true;
	}
	test_expect(t, failed == 0, "%s(%u us): failed %u times: errno %d", name, TIME_SLEEP_US,
	            failed, errno);
	test_expect(t, shorter == 0, "%s(%u us): got %llu us expected at least %u", name,
	            TIME_SLEEP_US, (unsigned long long)took, TIME_SLEEP_US);
	test_expect(t, within, "%s(%u us): got %llu us (%u attempts) expected below %u", name,
	            TIME_SLEEP_US, (unsigned long long)took, attempts,
	            TIME_SLEEP_US + TIME_TOLERANCE_US);
}

static void time_clocks(struct test *t)
{
	/* the monotonic clock never goes back */
	struct timespec now;
	uint64_t previous = 0;
	unsigned back = 0, failed = 0, malformed = 0;
	for (unsigned i = 0; i < TIME_READINGS; i++) {
		if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
			failed++;
			continue;
		}
		if (now.tv_nsec < 0 || now.tv_nsec >= 1000000000) malformed++;
		if (time_us(&now) < previous) back++;
		previous = time_us(&now);
	}
	EXPECT_UINT(t, failed, 0);
	EXPECT_UINT(t, malformed, 0);
	EXPECT_UINT(t, back, 0);

	/* gettimeofday and time() read the same clock as CLOCK_REALTIME */
	struct timespec before, after;
	struct timeval tv;
	time_t stored = 0;
	EXPECT_INT(t, clock_gettime(CLOCK_REALTIME, &before), 0);
	EXPECT_INT(t, gettimeofday(&tv, 0), 0);
	time_t seconds = time(0);
	time_t seconds_again = time(&stored);
	EXPECT_INT(t, clock_gettime(CLOCK_REALTIME, &after), 0);
	uint64_t tv_us = (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
	test_expect(t, time_us(&before) <= tv_us && tv_us <= time_us(&after),
	            "gettimeofday: got %llu us expected between %llu and %llu",
	            (unsigned long long)tv_us, (unsigned long long)time_us(&before),
	            (unsigned long long)time_us(&after));
	test_expect(t, before.tv_sec <= seconds && seconds <= after.tv_sec,
	            "time(0): got %lld expected between %lld and %lld", (long long)seconds,
	            (long long)before.tv_sec, (long long)after.tv_sec);
	EXPECT_INT(t, stored, seconds_again);
	EXPECT_TRUE(t, seconds <= seconds_again && seconds_again <= after.tv_sec);
	EXPECT_INT(t, gettimeofday(0, 0), 0);

	struct timespec resolution = { -1, -1 };
	EXPECT_INT(t, clock_getres(CLOCK_MONOTONIC, &resolution), 0);
	EXPECT_TRUE(t, resolution.tv_sec == 0 && resolution.tv_nsec > 0 &&
	                   resolution.tv_nsec <= 1000000);

	/* a clock that does not exist */
	EXPECT_FAILURE(t, clock_gettime((clockid_t)12345, &now), -1, EINVAL);
	EXPECT_FAILURE(t, clock_getres((clockid_t)12345, &resolution), -1, EINVAL);
}

static void time_sleeps(struct test *t)
{
	time_sleep_check(t, "nanosleep", time_nanosleep_us);
	time_sleep_check(t, "usleep", time_usleep_us);

	/* nothing to sleep */
	struct timespec zero = { 0, 0 };
	uint64_t start = test_time_now_us();
	EXPECT_INT(t, nanosleep(&zero, 0), 0);
	EXPECT_INT(t, usleep(0), 0);
	EXPECT_UINT(t, sleep(0), 0);
	uint64_t took = test_time_now_us() - start;
	test_expect(t, took < TIME_SLEEP_US, "sleeps of 0: got %llu us expected below %u",
	            (unsigned long long)took, TIME_SLEEP_US);

	/* requests out of range */
	struct timespec bad[] = { { 0, 1000000000 }, { 0, -1 }, { -1, 0 } };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[64];
		snprintf(what, sizeof(what), "nanosleep({%lld, %ld})", (long long)bad[i].tv_sec,
		         bad[i].tv_nsec);
		errno = 0;
		int result = nanosleep(&bad[i], 0);
		test_expect_failure(t, what, result, -1, errno, EINVAL);
	}
}

void test_time_run(struct test *t)
{
	time_clocks(t);
	time_sleeps(t);
}

void test_time_run_without_timer(struct test *t)
{
	struct timespec ts = { 123, 456 };
	EXPECT_FAILURE(t, clock_gettime(CLOCK_MONOTONIC, &ts), -1, ENOTSUP);
	EXPECT_FAILURE(t, clock_gettime(CLOCK_REALTIME, &ts), -1, ENOTSUP);
	EXPECT_TRUE(t, ts.tv_sec == 123 && ts.tv_nsec == 456);
	EXPECT_FAILURE(t, clock_gettime((clockid_t)12345, &ts), -1, EINVAL);

	struct timeval tv = { 7, 8 };
	EXPECT_FAILURE(t, gettimeofday(&tv, 0), -1, ENOTSUP);
	EXPECT_TRUE(t, tv.tv_sec == 7 && tv.tv_usec == 8);
	time_t stored = 5;
	EXPECT_FAILURE(t, time(0), -1, ENOTSUP);
	EXPECT_FAILURE(t, time(&stored), -1, ENOTSUP);
	EXPECT_INT(t, stored, -1);

	struct timespec request = { 0, TIME_SLEEP_US * 1000 };
	EXPECT_FAILURE(t, nanosleep(&request, 0), -1, ENOTSUP);
	EXPECT_FAILURE(t, usleep(1000), -1, ENOTSUP);
	EXPECT_UINT(t, sleep(1), 1); /* nothing slept */
	EXPECT_FAILURE(t, nanosleep(&request, 0), -1, ENOTSUP);
	struct timespec bad = { 0, 1000000000 };
	EXPECT_FAILURE(t, nanosleep(&bad, 0), -1, EINVAL);
}
