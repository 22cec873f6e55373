/* SPDX-License-Identifier: MIT */
/**
 * \brief blocker: a sticky cancel flag plus the registration of the one call
 *        that blocks on it
 *
 * Why a cancel is never lost: blocker_cancel() sets the flag and reads the
 * registration under the blocker's lock, and blocker_enter() checks the flag
 * and registers under the same lock. So either enter sees the flag, or cancel
 * sees the registration and calls the wake function, whose trace (a changed
 * futex word, a written eventfd) the blocked call cannot miss. The flag is
 * also read without the lock (blocker_cancelled) by the blocked call between
 * two sleeps; sequentially consistent accesses order that read against the
 * wake function's trace (see semaphore.c).
 */

#include <base/blocker.h>
#include <base/lock_guard.h>
#include <base/panic.h>

void blocker_init(struct blocker *blocker)
{
	blocker->cancelled = 0;
	lock_init(&blocker->lock);
	blocker->wake = 0;
	blocker->wake_argument = 0;
}

void blocker_cancel(struct blocker *blocker)
{
	LOCK_GUARD(&blocker->lock);
	__atomic_store_n(&blocker->cancelled, 1, __ATOMIC_SEQ_CST);
	if (blocker->wake) blocker->wake(blocker->wake_argument);
}

bool blocker_cancelled(struct blocker *blocker)
{
	return __atomic_load_n(&blocker->cancelled, __ATOMIC_SEQ_CST) != 0;
}

void blocker_reset(struct blocker *blocker)
{
	LOCK_GUARD(&blocker->lock);
	ASSERT(blocker->wake == 0);
	__atomic_store_n(&blocker->cancelled, 0, __ATOMIC_SEQ_CST);
}

bool blocker_enter(struct blocker *blocker, blocker_wake_function wake, void *argument)
{
	ASSERT(wake != 0);
	LOCK_GUARD(&blocker->lock);
	if (blocker->wake) panic("blocker: entered by two blocking calls at once");
	if (__atomic_load_n(&blocker->cancelled, __ATOMIC_SEQ_CST)) return false;
	blocker->wake = wake;
	blocker->wake_argument = argument;
	return true;
}

void blocker_leave(struct blocker *blocker)
{
	LOCK_GUARD(&blocker->lock);
	ASSERT(blocker->wake != 0);
	blocker->wake = 0;
	blocker->wake_argument = 0;
}
