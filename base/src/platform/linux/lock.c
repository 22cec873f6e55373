/* SPDX-License-Identifier: MIT */
/**
 * \brief lock on a futex: three states, so that an uncontended release
 *        needs no system call
 */

#include <base/lock.h>
#include <base/panic.h>

#include "futex.h"

enum { LOCK_UNLOCKED = 0, LOCK_LOCKED = 1, LOCK_CONTENDED = 2 };

void lock_init(struct lock *lock) { lock->state = LOCK_UNLOCKED; }

bool lock_try_acquire(struct lock *lock)
{
	int expected = LOCK_UNLOCKED;
	return __atomic_compare_exchange_n(&lock->state, &expected, LOCK_LOCKED, false,
	                                   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void lock_acquire(struct lock *lock)
{
	int state = LOCK_UNLOCKED;
	if (__atomic_compare_exchange_n(&lock->state, &state, LOCK_LOCKED, false, __ATOMIC_ACQUIRE,
	                                __ATOMIC_RELAXED))
		return;
	/* mark it contended; whoever releases then wakes a waiter */
	if (state != LOCK_CONTENDED)
		state = __atomic_exchange_n(&lock->state, LOCK_CONTENDED, __ATOMIC_ACQUIRE);
	while (state != LOCK_UNLOCKED) {
		futex_wait(&lock->state, LOCK_CONTENDED);
		state = __atomic_exchange_n(&lock->state, LOCK_CONTENDED, __ATOMIC_ACQUIRE);
	}
}

void lock_release(struct lock *lock)
{
	int state = __atomic_exchange_n(&lock->state, LOCK_UNLOCKED, __ATOMIC_RELEASE);
	if (state == LOCK_UNLOCKED) panic("lock released that was not held");
	if (state == LOCK_CONTENDED) futex_wake(&lock->state, 1);
}
