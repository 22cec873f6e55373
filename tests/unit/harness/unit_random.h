/* SPDX-License-Identifier: MIT */
/**
 * \brief the unit tests' pseudo-random numbers: one fixed-seed generator, the
 *        same sequence on every machine, and a CHECK that names seed and step
 */

#ifndef _UNIT_RANDOM_H_
#define _UNIT_RANDOM_H_

#include <stdint.h>

#include "unit_test.h"

/** xorshift64: the next number of the sequence in `state` (never 0 for a state other than 0) */
static inline uint64_t unit_random_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* a CHECK that names the seed and step of a randomized run */
#define CHECK_RANDOM(cond, seed, step)                                                 \
	do {                                                                               \
		if (!(cond))                                                                   \
			unit_test_fail(__FILE__, __LINE__, "CHECK(%s) seed=0x%llx step=%u", #cond, \
			               (unsigned long long)(seed), (unsigned)(step));              \
	} while (0)

#endif /* _UNIT_RANDOM_H_ */
