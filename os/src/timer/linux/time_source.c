/* SPDX-License-Identifier: MIT */
/**
 * \brief the timer's device on Linux: the host's monotonic clock, and a futex
 *        wait with an absolute deadline (time_source.h)
 *
 * The clock is clock_gettime(CLOCK_MONOTONIC) through the raw system call.
 * A wait is FUTEX_WAIT_BITSET on a word that every wake() increments: the
 * kernel sleeps until the absolute deadline on CLOCK_MONOTONIC (no drift from
 * converting to a relative timeout) or until the word changes, and the waiter
 * compares the word with the value it consumed last, so a wake() that comes
 * before the waiter sleeps is not lost.
 */

#include <base/heap.h>
#include <base/log.h>
#include <base/panic.h>

#include "futex.h"
#include "linux_abi.h"
#include "syscall.h"
#include "time_source.h"

enum {
	LINUX_CLOCK_MONOTONIC = 1,
	LINUX_FUTEX_WAIT_BITSET_PRIVATE = 9 | 128, /* absolute timeout on CLOCK_MONOTONIC */
	LINUX_FUTEX_BITSET_MATCH_ANY = -1,
};

static uint64_t const nanoseconds_per_second = 1000000000ull;

struct linux_timespec
{
	int64_t seconds;
	int64_t nanoseconds;
};

struct time_source
{
	uint64_t start_ns; /* the clock's value at create: now() counts from here */
	uint32_t wakeups;  /* futex word: every wake() adds one */
	uint32_t consumed; /* the value of `wakeups` that the last wait() returned on;
	                      the waiter's alone */
};

/* the host's monotonic clock in ns; false if the kernel refuses (never on x86_64 Linux) */
static bool time_source_clock_ns(uint64_t *ns)
{
	struct linux_timespec now;
	if (linux_syscall2(SYS_clock_gettime, LINUX_CLOCK_MONOTONIC, (long)&now) < 0) return false;
	*ns = (uint64_t)now.seconds * nanoseconds_per_second + (uint64_t)now.nanoseconds;
	return true;
}

struct time_source_create_result time_source_create(struct env *env)
{
	struct time_source_create_result r = { TIME_SOURCE_NO_DEVICE, 0 };
	uint64_t start;
	if (!time_source_clock_ns(&start)) {
		log_error("timer: the host's monotonic clock cannot be read");
		return r;
	}
	struct allocator_alloc_ret a = allocator_alloc(env_heap(env), sizeof(struct time_source));
	if (a.result != ALLOCATOR_OK) {
		r.result = TIME_SOURCE_OUT_OF_MEMORY;
		return r;
	}
	struct time_source *source = a.ptr;
	source->start_ns = start;
	source->wakeups = 0;
	source->consumed = 0;
	r.result = TIME_SOURCE_OK;
	r.source = source;
	return r;
}

uint64_t time_source_now_us(struct time_source *source)
{
	uint64_t now;
	if (!time_source_clock_ns(&now)) panic("timer: the monotonic clock failed");
	return (now - source->start_ns) / 1000;
}

void time_source_wait(struct time_source *source, uint64_t deadline_us)
{
	/* the deadline in the host clock's ns; a deadline beyond it is none */
	uint64_t deadline_ns = 0;
	bool never = deadline_us == TIME_SOURCE_NEVER ||
	             __builtin_mul_overflow(deadline_us, 1000, &deadline_ns) ||
	             __builtin_add_overflow(deadline_ns, source->start_ns, &deadline_ns);
	struct linux_timespec timeout = {
		(int64_t)(deadline_ns / nanoseconds_per_second),
		(int64_t)(deadline_ns % nanoseconds_per_second),
	};

	for (;;) {
		uint32_t current = __atomic_load_n(&source->wakeups, __ATOMIC_ACQUIRE);
		if (current != source->consumed) {
			source->consumed = current;
			return;
		}
		uint64_t now;
		if (!never && (!time_source_clock_ns(&now) || now >= deadline_ns)) return;

		/* sleeps only while the word still holds `current`: a wake() meanwhile ends it */
		long r = linux_syscall_blocking(
		    SYS_futex, (long)&source->wakeups, LINUX_FUTEX_WAIT_BITSET_PRIVATE,
		    (long)(int)current, never ? 0 : (long)&timeout, 0, LINUX_FUTEX_BITSET_MATCH_ANY);
		if (r == -LINUX_ETIMEDOUT) return;
		/* 0 (woken), -EAGAIN (the word changed), -EINTR: look again */
	}
}

void time_source_wake(struct time_source *source)
{
	__atomic_add_fetch(&source->wakeups, 1, __ATOMIC_RELEASE);
	(void)futex_wake((int *)&source->wakeups, 1);
}
