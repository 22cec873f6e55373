/* SPDX-License-Identifier: MIT */
/**
 * \brief blocker: a cancel token that lets one thread end another thread's
 *        blocking call
 *
 * A thread passes a blocker to a cancellable blocking call
 * (semaphore_down_cancellable(), signal_receiver_wait_cancellable()). Any
 * other thread may call blocker_cancel(); the blocked call then returns at
 * once with its own CANCELLED result, and nothing it waited for is consumed.
 *
 * Cancellation is sticky, so none is ever lost: a cancel that comes before
 * the call blocks (or before the call is even made) makes the call return
 * CANCELLED without blocking, and so does every later call with the same
 * blocker until blocker_reset(). A typical worker loop therefore reads
 *
 *   while (semaphore_down_cancellable(&work, &stop) == SEMAPHORE_OK) ...
 *
 * and another thread ends it with blocker_cancel(&stop).
 *
 * One blocking call uses a blocker at a time (a blocker belongs to one
 * thread); blocker_cancel() may come from any thread, any number of times.
 *
 * Implementing a cancellable blocking call: blocker_enter() registers how to
 * wake the call and fails if the blocker is cancelled already. The call then
 * blocks until what it waits for, or a wake-up, and checks blocker_cancelled()
 * each time before it blocks again. blocker_leave() ends the registration
 * before the call returns. The wake function runs in the cancelling thread,
 * with the blocker's lock held; it must leave a trace that the blocked call
 * sees even if it is not asleep yet (change the futex word it sleeps on,
 * write the eventfd it polls), and it must neither block nor take locks.
 * Once blocker_leave() has returned, no wake function of that call runs any
 * more, so the object it touches may go away.
 */

#ifndef _BASE_BLOCKER_H_
#define _BASE_BLOCKER_H_

#include <stdbool.h>

#include <base/lock.h>

/** wakes the call blocked on `argument` (see the file comment) */
typedef void (*blocker_wake_function)(void *argument);

struct blocker
{
	int cancelled;              /* sticky; read and written atomically */
	struct lock lock;           /* orders a cancel against enter and leave */
	blocker_wake_function wake; /* of the call blocked now, or NULL */
	void *wake_argument;
};

#define BLOCKER_INITIALIZER       \
	{                             \
		0, LOCK_INITIALIZER, 0, 0 \
	}

/** initialize a blocker that is not cancelled */
void blocker_init(struct blocker *blocker);

/**
 * Cancel: the call blocked with this blocker now (if any) returns CANCELLED
 * at once, and so does every later call until blocker_reset(). Callable from
 * any thread; cancelling again does nothing more.
 */
void blocker_cancel(struct blocker *blocker);

/** whether the blocker is cancelled */
bool blocker_cancelled(struct blocker *blocker) __attribute__((warn_unused_result));

/**
 * Make a cancelled blocker usable again. Only when no call uses it and no
 * thread cancels it at the same time: the caller orders reset and cancel.
 */
void blocker_reset(struct blocker *blocker);

/**
 * For implementers of blocking calls: register the call that is about to
 * block, and how to wake it.
 *
 * \param wake      makes the call return from its block (see the file comment)
 * \param argument  passed to `wake`
 * \return true: registered, block now, and blocker_leave() before returning;
 *         false: the blocker is cancelled already, return CANCELLED without
 *         blocking (nothing registered, no blocker_leave())
 *
 * Entering a blocker that another call has entered already is a bug.
 */
bool blocker_enter(struct blocker *blocker, blocker_wake_function wake, void *argument)
    __attribute__((warn_unused_result));

/**
 * For implementers of blocking calls: end the registration of blocker_enter().
 * Afterwards no wake function of the call runs, nor will run.
 */
void blocker_leave(struct blocker *blocker);

#endif /* _BASE_BLOCKER_H_ */
