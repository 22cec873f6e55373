/* SPDX-License-Identifier: MIT */
/**
 * \brief timestamp: the CPU's cycle counter, read without a system call
 *
 * timestamp() returns the x86 time-stamp counter (rdtsc). x86_64 is the only
 * architecture of Vitrine, hosted (linux) and bare metal (x86_64) alike, so
 * this header is the architecture's and holds no platform choice; a port to
 * another architecture puts its counter here (or an arch folder the build
 * picks). It compiles freestanding: no libc, no system call.
 *
 * What the value is good for: a cheap, fine-grained count that increases
 * with time, to measure short intervals or to interpolate between readings
 * of a real clock (<timer_session/clock_interpolation.h>). It is no clock:
 *   - its rate is the CPU's (an invariant TSC runs at a constant rate, about
 *     the nominal frequency, but nothing here says which); calibrate it
 *     against a real clock before turning ticks into time;
 *   - it may differ between CPUs where the TSCs are not synchronized (old
 *     hardware, some virtual machines), so two readings on different CPUs
 *     can go backwards; a user must cope with that;
 *   - rdtsc is not serializing: the CPU may read it a few instructions early
 *     or late. Around a system call or an RPC this does not matter.
 *
 * On Linux, user code reads the TSC unless the process disabled it (prctl
 * PR_SET_TSC, which Vitrine does not use); on bare metal the kernel must
 * leave CR4.TSD clear for user mode to read it.
 */

#ifndef _BASE_TIMESTAMP_H_
#define _BASE_TIMESTAMP_H_

#include <stdint.h>

/** the time-stamp counter: ticks at the CPU's (calibrate it) rate, see above */
static inline uint64_t timestamp(void)
{
	uint32_t low, high;
	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return ((uint64_t)high << 32) | low;
}

#endif /* _BASE_TIMESTAMP_H_ */
