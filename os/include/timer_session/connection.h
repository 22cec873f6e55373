/* SPDX-License-Identifier: MIT */
/**
 * \brief a Timer session opened through the parent, with a blocking sleep
 *
 * A connection is a Timer session (timer_session.h) plus a signal receiver
 * with one context of its own, installed as the session's handler when the
 * connection is made. timer_connection_sleep_us() programs the session's
 * one-shot timeout and blocks the calling thread on that receiver until the
 * timeout's signal comes: no busy waiting, no polling.
 *
 * The session capability is `connection->session`: call the interface's
 * functions on it directly for elapsed time and for timeouts delivered to a
 * handler of your own. The session has one timeout at a time, so:
 *   - install your own handler with timer_connection_sigh() (not with
 *     timer_session_sigh() directly), and only then program timeouts with
 *     timer_session_trigger_*(): a timeout that fires into the connection's
 *     own context would end the next sleep early;
 *   - a sleep ends the timeout that you programmed, and reinstalls the
 *     connection's own handler. For a periodic timeout and sleeps at the
 *     same time, open two connections.
 *
 * For a clock that is read often, timer_connection_now_us() interpolates
 * between the timer's readings with the CPU's time-stamp counter and asks the
 * timer only now and then (doc/timer.md, "The interpolated clock").
 *
 * Threads: a connection sleeps in one thread at a time (its receiver has one
 * waiter). now_us is called by one thread at a time (its state is in the
 * connection, unlocked). elapsed and the session's functions may be called
 * from any thread. The struct must not move while the connection is open.
 */

#ifndef _TIMER_SESSION_CONNECTION_H_
#define _TIMER_SESSION_CONNECTION_H_

#include <base/env.h>
#include <base/signal.h>
#include <timer_session/clock_interpolation.h>
#include <timer_session/timer_session.h>

struct timer_connection
{
	struct env *env;
	struct connection connection;     /* as env_session returned it */
	struct timer_session_cap session; /* the session; owned by the connection */

	/* the connection's own handler, used by sleep */
	struct signal_receiver receiver;
	struct signal_slot slot;
	struct signal_context context;
	struct signal_context_cap context_cap;
	bool own_handler; /* the session's handler is `context` */

	struct clock_interpolation clock; /* of now_us: the timer's readings and the TSC */
};

enum timer_connection_result {
	TIMER_CONNECTION_OK = 0,
	TIMER_CONNECTION_DENIED, /* the parent gave no Timer session (logged by env_session) */
	TIMER_CONNECTION_INVALID_LABEL, /* the label does not fit the session arguments */
	TIMER_CONNECTION_NO_RESOURCES,  /* no signal receiver or context (out of handles) */
	TIMER_CONNECTION_SERVER_ERROR,  /* the timer refused the connection's handler */
};

/**
 * Open a Timer session through the parent, donating TIMER_SESSION_RAM_MIN
 * bytes of RAM quota.
 *
 * \param connection  storage, the caller's; must not move until destroyed
 * \param label       the session's own label, NULL or "" for none; `"` and
 *                    `\` are escaped. The parents prefix it with their
 *                    children's names, and the whole label must stay below
 *                    SESSION_LABEL_MAX bytes (or the timer denies it).
 * \return TIMER_CONNECTION_OK: the connection is open; or an error, and
 *         nothing stays open
 */
enum timer_connection_result timer_connection_init(struct timer_connection *connection,
                                                   struct env *env, char const *label)
    __attribute__((warn_unused_result));

/**
 * Close the session (its donated quota comes back) and the connection's
 * receiver. No sleep may be running on it.
 */
void timer_connection_destroy(struct timer_connection *connection);

/**
 * The microseconds since the timer started (timer_session_elapsed_us).
 */
struct timer_elapsed_result timer_connection_elapsed_us(struct timer_connection *connection)
    __attribute__((warn_unused_result));

/**
 * The microseconds since the timer started, interpolated: the timer's clock
 * as the latest real reading (timer_session_elapsed_us) put it, plus the CPU's
 * time-stamp counter since then at the rate measured against the timer
 * (<timer_session/clock_interpolation.h>).
 *
 * Cost: an RPC to the timer only when a real reading is due: at every call
 * in the first 10 ms of readings (calibration), then after an estimated
 * 10, 20, 40 ... ms and from then on once a second, and whenever the counter
 * went backwards. Otherwise a read of the counter and a multiplication.
 *
 * Accuracy: within about half an RPC to the timer (some 10 us on the hosted
 * platform) of elapsed_us, plus the counter's drift against the timer over at
 * most a second. A reading that took long (the thread was preempted in the
 * RPC) moves the estimate only as far as it must. The values never go
 * backwards: never below one returned before, never below a real reading of
 * its own that ended before the call. A real reading below the estimates
 * returned holds the clock there until the estimate passes it. Two
 * connections interpolate each on its own: their values may differ by that
 * accuracy, and elapsed_us may be a little below a value that now_us returned
 * before it.
 *
 * Threads: not thread-safe. One thread at a time calls it on a connection
 * (lwIP's event loop does, from its one thread), or the callers hold a lock.
 *
 * \return `.result` TIMER_OK and `.us`; or the error of the RPC when a real
 *         reading was due (a transport error: the timer is gone), `.us` 0
 *         and nothing changed
 */
struct timer_elapsed_result timer_connection_now_us(struct timer_connection *connection)
    __attribute__((warn_unused_result));

/**
 * Install `handler` as where the session's timeouts go, in place of the
 * connection's own context; the next sleep reinstalls that. The capability
 * stays the caller's.
 *
 * \return TIMER_OK, or the result of timer_session_sigh (nothing changed)
 */
enum timer_session_result timer_connection_sigh(struct timer_connection *connection,
                                                struct signal_context_cap handler)
    __attribute__((warn_unused_result));

/**
 * Block the calling thread for at least `us` microseconds of the timer's
 * clock (at most TIMER_TIMEOUT_MAX_US). Ends a timeout that the caller
 * programmed on the session (see the file comment).
 *
 * \return TIMER_OK after the timeout's signal, or the error of an RPC to the
 *         timer (TIMER_INVALID_DURATION, a transport error: the timer is
 *         gone) without blocking
 *
 * A timer that dies while the thread sleeps sends no signal any more: the
 * sleep does not return then (signals carry no "gone" notice).
 */
enum timer_session_result timer_connection_sleep_us(struct timer_connection *connection,
                                                    uint64_t us)
    __attribute__((warn_unused_result));

#endif /* _TIMER_SESSION_CONNECTION_H_ */
