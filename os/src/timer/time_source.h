/* SPDX-License-Identifier: MIT */
/**
 * \brief the timer's device: a clock, and a wait until a deadline or a wake-up
 *
 * Each platform implements this in os/src/timer/<platform>/time_source.c,
 * which the build picks: linux/ reads the host's monotonic clock and waits on
 * a futex with an absolute timeout; an x86_64 one would count with the PIT or
 * the local APIC timer and wait for its interrupt (IRQ session) or a wake-up
 * signal. Everything else of the timer is the same on every platform.
 *
 * Threads: now() from any thread. wait() from one thread only (the timer's
 * timeout thread). wake() from any thread; it never blocks.
 */

#ifndef _TIMER_TIME_SOURCE_H_
#define _TIMER_TIME_SOURCE_H_

#include <stdint.h>

#include <base/env.h>

/** the platform's device state (opaque) */
struct time_source;

/** a deadline that never comes: wait() returns only after a wake() */
#define TIME_SOURCE_NEVER UINT64_MAX

enum time_source_result {
	TIME_SOURCE_OK = 0,
	TIME_SOURCE_NO_DEVICE,     /* the platform's clock or device is not available (logged) */
	TIME_SOURCE_OUT_OF_MEMORY, /* the device state cannot be allocated */
};

struct time_source_create_result
{
	enum time_source_result result;
	struct time_source *source; /* NULL unless TIME_SOURCE_OK */
};

/**
 * Set up the device; its clock starts at 0 now. The state comes from the
 * env's heap and stays for the life of the component.
 */
struct time_source_create_result time_source_create(struct env *env)
    __attribute__((warn_unused_result));

/** microseconds since time_source_create(); monotonic, never goes back */
uint64_t time_source_now_us(struct time_source *source) __attribute__((warn_unused_result));

/**
 * Block until now() >= `deadline_us` or a wake-up, whichever comes first.
 * A wake() that came since the previous wait() returned ends this one at
 * once, so none is lost between the caller's look at its deadlines and the
 * wait. May return early in rare cases (the caller checks its deadlines and
 * waits again).
 *
 * \param deadline_us  in the clock of now(); TIME_SOURCE_NEVER for none
 */
void time_source_wait(struct time_source *source, uint64_t deadline_us);

/** end the current or the next wait() */
void time_source_wake(struct time_source *source);

#endif /* _TIMER_TIME_SOURCE_H_ */
