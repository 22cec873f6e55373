/* SPDX-License-Identifier: MIT */
/**
 * \brief semaphore: a counting semaphore for threads of one component
 *
 * up() adds a unit and wakes one blocked down(); down() takes a unit, blocking
 * while there is none. Uncontended up and down are one atomic operation each
 * (on Linux the blocking is a futex wait). A down can be made cancellable by
 * another thread with a blocker (<base/blocker.h>). Which of several blocked
 * threads gets the next unit is not specified.
 *
 * The count is at most SEMAPHORE_MAX; an up beyond it is a bug.
 */

#ifndef _BASE_SEMAPHORE_H_
#define _BASE_SEMAPHORE_H_

#include <stdbool.h>

#include <base/blocker.h>

enum { SEMAPHORE_MAX = __INT_MAX__ }; /* (<limits.h> does not build with -nostdinc) */

struct semaphore
{
	int count;        /* units available, 0..SEMAPHORE_MAX */
	int waiters;      /* threads that may sleep on `wakeups` right now */
	unsigned wakeups; /* futex word: changes on every wake-up of sleepers */
};

#define SEMAPHORE_INITIALIZER(value) \
	{                                \
		(value), 0, 0                \
	}

/** results of a cancellable down */
enum semaphore_result {
	SEMAPHORE_OK = 0,    /* a unit was taken */
	SEMAPHORE_CANCELLED, /* the blocker was cancelled: no unit taken */
};

/**
 * Initialize with `value` units (at most SEMAPHORE_MAX). No thread may use
 * the semaphore meanwhile.
 */
void semaphore_init(struct semaphore *semaphore, unsigned value);

/** add a unit, and wake a blocked down if there is one; any thread */
void semaphore_up(struct semaphore *semaphore);

/** take a unit, blocking until there is one */
void semaphore_down(struct semaphore *semaphore);

/** take a unit if there is one, without blocking; true if taken */
bool semaphore_try_down(struct semaphore *semaphore) __attribute__((warn_unused_result));

/**
 * Take a unit, blocking until there is one or `blocker` is cancelled.
 *
 * \param blocker  the calling thread's cancel token; used by this call only
 *                 while it runs
 * \return SEMAPHORE_OK         a unit was taken
 *         SEMAPHORE_CANCELLED  the blocker is cancelled (before or during the
 *                              call; checked first, so a cancelled blocker
 *                              takes no unit even if one is available)
 */
enum semaphore_result semaphore_down_cancellable(struct semaphore *semaphore,
                                                 struct blocker *blocker)
    __attribute__((warn_unused_result));

/** the number of units available now (a snapshot, for statistics and tests) */
unsigned semaphore_value(struct semaphore *semaphore) __attribute__((warn_unused_result));

#endif /* _BASE_SEMAPHORE_H_ */
