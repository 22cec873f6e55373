/* SPDX-License-Identifier: MIT */
/**
 * \brief semaphore on a futex
 *
 * Sleepers do not sleep on the count but on a separate word, `wakeups`, that
 * every wake-up changes: up() of a unit when someone may sleep, and the wake
 * function of a cancelled blocker. A down registers as a waiter first, then
 * reads `wakeups`, then looks at the count (and its blocker), and sleeps only
 * while `wakeups` still holds what it read. All of these accesses are
 * sequentially consistent, so:
 *
 * - an up that sees no waiter added its unit before the waiter looked at the
 *   count: the waiter takes the unit instead of sleeping;
 * - an up that sees a waiter changes `wakeups` after adding its unit: the
 *   waiter either reads the new value (and then sees the unit) or its futex
 *   wait fails or is woken;
 * - likewise a cancel sets the flag before it changes `wakeups`.
 */

#include <base/panic.h>
#include <base/semaphore.h>

#include "futex.h"

void semaphore_init(struct semaphore *semaphore, unsigned value)
{
	ASSERT(value <= SEMAPHORE_MAX);
	semaphore->count = (int)value;
	semaphore->waiters = 0;
	semaphore->wakeups = 0;
}

/* wake every sleeper, which then looks again (the wake function of a blocker) */
static void semaphore_wake_all(void *argument)
{
	struct semaphore *semaphore = argument;
	__atomic_add_fetch(&semaphore->wakeups, 1, __ATOMIC_SEQ_CST);
	futex_wake((int *)&semaphore->wakeups, __INT_MAX__);
}

void semaphore_up(struct semaphore *semaphore)
{
	int old = __atomic_fetch_add(&semaphore->count, 1, __ATOMIC_SEQ_CST);
	if (old == SEMAPHORE_MAX) panic("semaphore: up beyond %d units", SEMAPHORE_MAX);
	if (__atomic_load_n(&semaphore->waiters, __ATOMIC_SEQ_CST) > 0) {
		__atomic_add_fetch(&semaphore->wakeups, 1, __ATOMIC_SEQ_CST);
		futex_wake((int *)&semaphore->wakeups, 1);
	}
}

bool semaphore_try_down(struct semaphore *semaphore)
{
	int count = __atomic_load_n(&semaphore->count, __ATOMIC_SEQ_CST);
	while (count > 0) {
		if (__atomic_compare_exchange_n(&semaphore->count, &count, count - 1, true,
		                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

/* block until a unit is taken, or the blocker (if any) is cancelled */
static enum semaphore_result semaphore_block(struct semaphore *semaphore,
                                             struct blocker *blocker)
{
	for (;;) {
		__atomic_add_fetch(&semaphore->waiters, 1, __ATOMIC_SEQ_CST);
		unsigned seen = __atomic_load_n(&semaphore->wakeups, __ATOMIC_SEQ_CST);
		enum semaphore_result result = SEMAPHORE_OK;
		bool done = true;
		if (semaphore_try_down(semaphore))
			result = SEMAPHORE_OK;
		else if (blocker && blocker_cancelled(blocker))
			result = SEMAPHORE_CANCELLED;
		else
			done = false;
		if (!done) futex_wait((int *)&semaphore->wakeups, (int)seen);
		__atomic_sub_fetch(&semaphore->waiters, 1, __ATOMIC_SEQ_CST);
		if (done) return result;
	}
}

void semaphore_down(struct semaphore *semaphore)
{
	if (semaphore_try_down(semaphore)) return;
	enum semaphore_result result = semaphore_block(semaphore, 0);
	ASSERT(result == SEMAPHORE_OK);
}

enum semaphore_result semaphore_down_cancellable(struct semaphore *semaphore,
                                                 struct blocker *blocker)
{
	if (blocker_cancelled(blocker)) return SEMAPHORE_CANCELLED;
	if (semaphore_try_down(semaphore)) return SEMAPHORE_OK;
	if (!blocker_enter(blocker, semaphore_wake_all, semaphore)) return SEMAPHORE_CANCELLED;
	enum semaphore_result result = semaphore_block(semaphore, blocker);
	blocker_leave(blocker);
	return result;
}

unsigned semaphore_value(struct semaphore *semaphore)
{
	return (unsigned)__atomic_load_n(&semaphore->count, __ATOMIC_SEQ_CST);
}
