/* SPDX-License-Identifier: MIT */
/**
 * \brief lock: a non-recursive mutex for threads of one component
 *
 * Uncontended acquire and release are one atomic operation each; a contended
 * lock blocks in the kernel (on Linux, a futex). Not recursive: acquiring a
 * lock the thread already holds is a deadlock, and releasing a lock that is
 * not held is a bug.
 */

#ifndef _BASE_LOCK_H_
#define _BASE_LOCK_H_

#include <stdbool.h>

struct lock
{
	int state; /* LOCK_UNLOCKED, LOCK_LOCKED, or LOCK_CONTENDED (see lock.c) */
};

#define LOCK_INITIALIZER \
	{                    \
		0                \
	}

/** initialize an unlocked lock */
void lock_init(struct lock *lock);

/** acquire, blocking until the lock is free */
void lock_acquire(struct lock *lock);

/** acquire if free; true if the caller now holds the lock */
bool lock_try_acquire(struct lock *lock) __attribute__((warn_unused_result));

/** release a lock the caller holds; wakes one waiter */
void lock_release(struct lock *lock);

#endif /* _BASE_LOCK_H_ */
