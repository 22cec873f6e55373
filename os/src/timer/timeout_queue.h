/* SPDX-License-Identifier: MIT */
/**
 * \brief the timer's deadline logic: timeouts ordered by deadline
 *
 * Pure logic without a clock: the caller says what time it is (`now`, in
 * microseconds of its own clock), so the unit tests drive it with fake time
 * (tests/unit/timeout_queue).
 *
 * A timeout is embedded in the caller's object (a Timer session) and is in
 * the queue while it is scheduled: one-shot (period 0) or periodic. The
 * queue is an AVL tree ordered by deadline, and among equal deadlines by the
 * order in which they were scheduled, so timeouts are served in deadline
 * order and none overtakes one that was due before it: whoever schedules
 * often cannot push others back. Schedule, cancel and each expiry are
 * O(log n).
 *
 * No locking: the owner serializes access (the timer's lock).
 */

#ifndef _TIMER_TIMEOUT_QUEUE_H_
#define _TIMER_TIMEOUT_QUEUE_H_

#include <stdbool.h>
#include <stdint.h>

#include <util/avl.h>

/** a timeout; its fields belong to the queue */
struct timeout
{
	struct avl_node node;
	uint64_t deadline; /* when it fires next, valid while scheduled */
	uint64_t period;   /* 0: one-shot */
	uint64_t sequence; /* order of scheduling, the tie-break among equal deadlines */
	bool scheduled;
};

struct timeout_queue
{
	struct avl_tree tree;
	uint64_t sequence; /* of the next schedule */
};

/** what timeout_queue_expire() returns */
struct timeout_expiry
{
	struct timeout *timeout; /* the expired timeout, NULL if none is due */
	uint64_t count;          /* times it fired: 1 for a one-shot, the periods that
	                            passed for a periodic one (>= 1); 0 with NULL */
};

/** what timeout_queue_next() returns */
struct timeout_next
{
	bool any;          /* a timeout is scheduled */
	uint64_t deadline; /* the earliest deadline, if any */
};

/** make `queue` empty */
void timeout_queue_init(struct timeout_queue *queue);

/** prepare `timeout` (not scheduled) before its first use */
void timeout_init(struct timeout *timeout);

/**
 * Schedule `timeout` to fire at `deadline`, and if `period` is not 0 every
 * `period` after it. A timeout that is scheduled already is moved: its
 * previous deadline and period are forgotten.
 *
 * \param timeout   initialized (timeout_init), of this queue or of none; the
 *                  caller keeps it alive while it is scheduled
 * \param deadline  any time, also one that has passed (it is then due at once)
 * \param period    0 for one-shot. deadline + period must not overflow
 *                  (a bug, asserted); the server bounds both far below.
 */
void timeout_queue_schedule(struct timeout_queue *queue, struct timeout *timeout,
                            uint64_t deadline, uint64_t period);

/**
 * Take `timeout` out of the queue. A timeout that is not scheduled stays so
 * (nothing happens). Afterwards the caller may free it.
 */
void timeout_queue_cancel(struct timeout_queue *queue, struct timeout *timeout);

/** whether `timeout` is scheduled */
bool timeout_scheduled(struct timeout const *timeout) __attribute__((warn_unused_result));

/** the earliest scheduled timeout, NULL if none */
struct timeout *timeout_queue_first(struct timeout_queue const *queue)
    __attribute__((warn_unused_result));

/** the earliest deadline, for the caller's wait */
struct timeout_next timeout_queue_next(struct timeout_queue const *queue)
    __attribute__((warn_unused_result));

/**
 * Fire the earliest timeout if it is due (deadline <= now). A one-shot
 * timeout is unscheduled. A periodic one counts every period that has passed
 * (deadline, deadline + period, ... <= now) and is rescheduled at the first
 * multiple of its period after `now`, behind the timeouts of that deadline
 * scheduled before. Call it until it returns NULL: every timeout due at
 * `now` comes exactly once, in deadline order, and the loop ends (a
 * rescheduled timeout is due after `now`).
 *
 * A periodic timeout whose next deadline would overflow uint64_t fires this
 * last time and is unscheduled.
 *
 * \return the timeout and its count, or { NULL, 0 } if none is due
 */
struct timeout_expiry timeout_queue_expire(struct timeout_queue *queue, uint64_t now)
    __attribute__((warn_unused_result));

#endif /* _TIMER_TIMEOUT_QUEUE_H_ */
