/* SPDX-License-Identifier: MIT */
/**
 * \brief time and sleep through the Timer session
 *
 * The component's clock is the timer's elapsed time: CLOCK_MONOTONIC
 * counts from the timer's start. There is no real-time clock session yet,
 * so CLOCK_REALTIME (and time(), gettimeofday()) counts from the epoch at
 * that start as well; doc/libc.md says so.
 *
 * The clock is read through one Timer session, opened at the first call
 * (label "libc"), with an RPC per call (timer_connection_elapsed_us), not
 * interpolated (timer_connection_now_us): a real reading is never ahead of the
 * timer, so a sleep measured with CLOCK_MONOTONIC is never shorter than
 * asked, and any thread reads the clock without a lock held across an RPC.
 * A component that reads the clock in a hot loop opens a connection of its
 * own and uses now_us (doc/timer.md).
 *
 * A sleep needs the session's one timeout, so each thread that sleeps gets a
 * session of its own (labelled with the thread's name), opened at its first
 * sleep and closed when the thread ends: threads sleep at once without
 * waiting for each other. Without a Timer route every call fails with
 * ENOTSUP, and the component's log says why once.
 */

#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <base/lock_guard.h>
#include <base/log.h>
#include <base/thread.h>

#include "libc_private.h"

static struct
{
	struct lock lock;
	struct timer_connection clock;
	enum { LIBC_CLOCK_CLOSED, LIBC_CLOCK_OPEN, LIBC_CLOCK_FAILED } state;
} libc_time = { .lock = LOCK_INITIALIZER, .state = LIBC_CLOCK_CLOSED };

static int libc_time_fail(int error)
{
	errno = error;
	return -1;
}

static void libc_time_unavailable(enum timer_connection_result r)
{
	char const *reason = r == TIMER_CONNECTION_DENIED          ? "the parent denied it"
	                     : r == TIMER_CONNECTION_INVALID_LABEL ? "the label does not fit"
	                     : r == TIMER_CONNECTION_NO_RESOURCES  ? "no signal handler left"
	                                                          : "the timer refused the handler";
	log_error("libc: no Timer session (%s): time and sleep calls fail with ENOTSUP", reason);
}

/* the timer's elapsed time; false (errno set) without a timer */
static bool libc_elapsed_us(uint64_t *us)
{
	lock_acquire(&libc_time.lock);
	if (libc_time.state == LIBC_CLOCK_CLOSED) {
		enum timer_connection_result r =
		    timer_connection_init(&libc_time.clock, libc_env(), "libc");
		libc_time.state = r == TIMER_CONNECTION_OK ? LIBC_CLOCK_OPEN : LIBC_CLOCK_FAILED;
		if (r != TIMER_CONNECTION_OK) libc_time_unavailable(r);
	}
	bool open = libc_time.state == LIBC_CLOCK_OPEN;
	lock_release(&libc_time.lock);
	if (!open) return libc_time_fail(ENOTSUP), false;

	struct timer_elapsed_result e = timer_connection_elapsed_us(&libc_time.clock);
	if (e.result != TIMER_OK) return libc_time_fail(EIO), false;
	*us = e.us;
	return true;
}

/* block the calling thread for `us`; false (errno set) without a timer */
static bool libc_sleep_us(uint64_t us)
{
	struct libc_thread *thread = libc_thread_self();
	if (!thread->sleep_timer_open) {
		/* the clock's state tells whether a Timer route exists at all */
		uint64_t now;
		if (!libc_elapsed_us(&now)) return false;
		char const *label = thread->thread ? thread->thread->name : "libc";
		enum timer_connection_result r =
		    timer_connection_init(&thread->sleep_timer, libc_env(), label);
		if (r != TIMER_CONNECTION_OK) {
			libc_time_unavailable(r);
			return libc_time_fail(ENOTSUP), false;
		}
		thread->sleep_timer_open = true;
	}
	while (us > 0) {
		uint64_t step = us < TIMER_TIMEOUT_MAX_US ? us : TIMER_TIMEOUT_MAX_US;
		if (timer_connection_sleep_us(&thread->sleep_timer, step) != TIMER_OK)
			return libc_time_fail(EIO), false;
		us -= step;
	}
	return true;
}

void libc_time_thread_end(struct libc_thread *thread)
{
	if (!thread->sleep_timer_open) return;
	timer_connection_destroy(&thread->sleep_timer);
	thread->sleep_timer_open = false;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME) return libc_time_fail(EINVAL);
	uint64_t us;
	if (!libc_elapsed_us(&us)) return -1;
	ts->tv_sec = (time_t)(us / 1000000);
	ts->tv_nsec = (long)(us % 1000000) * 1000;
	return 0;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME) return libc_time_fail(EINVAL);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1000;
	}
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t us;
	if (!libc_elapsed_us(&us)) return -1;
	if (tv) {
		tv->tv_sec = (time_t)(us / 1000000);
		tv->tv_usec = (suseconds_t)(us % 1000000);
	}
	return 0;
}

int nanosleep(struct timespec const *request, struct timespec *remain)
{
	if (!request || request->tv_sec < 0 || request->tv_nsec < 0 ||
	    request->tv_nsec >= 1000000000)
		return libc_time_fail(EINVAL);
	/*
	 * Rounded up: a sleep is never shorter than asked. Beyond 2^64 µs (some
	 * 584000 years) it is 2^64 - 1 µs rather than what the product wraps to.
	 */
	uint64_t const seconds_max = (UINT64_MAX - 1000000) / 1000000;
	uint64_t us =
	    (uint64_t)request->tv_sec > seconds_max
	        ? UINT64_MAX
	        : (uint64_t)request->tv_sec * 1000000 + ((uint64_t)request->tv_nsec + 999) / 1000;
	if (!libc_sleep_us(us)) return -1;
	if (remain) remain->tv_sec = remain->tv_nsec = 0;
	return 0;
}

int usleep(useconds_t us)
{
	struct timespec t = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	return nanosleep(&t, 0);
}

unsigned sleep(unsigned seconds)
{
	struct timespec t = { (time_t)seconds, 0 };
	return nanosleep(&t, 0) == 0 ? 0 : seconds;
}
