/* SPDX-License-Identifier: MIT */
/**
 * \brief Timer session: elapsed time, and timeouts delivered as signals
 *
 * The timer component (os/src/timer, doc/timer.md) announces the service
 * "Timer". A client opens a session through its parent with
 * `env_session(env, "Timer", "ram_quota=4096")` and CAP_CASTs the capability
 * to `struct timer_session_cap`, or uses the helper <timer_session/connection.h>,
 * which also sleeps.
 *
 * Time is counted in microseconds of one monotonic clock that starts when the
 * timer component starts: every session of a timer reads the same clock, so
 * two clients can compare what they read. It never goes back.
 *
 * A session has one timeout at a time, either one-shot or periodic; each
 * trigger replaces the timeout programmed before. A timeout fires by
 * submitting a signal to the session's handler (sigh), the handler installed
 * at the moment it fires; without a handler its signal is dropped. Signals
 * are counted: a periodic timeout that fires N times before the client reads
 * its signal arrives as one signal with count N. If the server falls behind
 * (it was not scheduled for a while), one signal carries the count of all
 * the periods that passed, so counting periods stays exact.
 *
 * Session arguments (checked by the timer's root before anything is made):
 *   ram_quota  at least TIMER_SESSION_RAM_MIN bytes, otherwise the request
 *              is denied with ROOT_INSUFFICIENT_DONATION
 *   label      the client's label as the parents wrote it (missing: ""),
 *              used in the timer's log lines
 * A malformed argument string, a ram_quota that is no number or a label of
 * SESSION_LABEL_MAX bytes or more is denied with ROOT_INVALID_ARGUMENT; a
 * server out of memory or capabilities answers ROOT_NO_RESOURCES.
 *
 * The functions (results: enum timer_session_result, alone or leading a
 * struct; every function may also return the transport errors
 * TIMER_INVALID_CAP, ... of RPC_RESULT_ERRORS):
 *
 * elapsed_us()
 *   The microseconds since the timer started, in `.us`.
 *
 * sigh(handler)
 *   Install `handler`, a signal context capability, as where the session's
 *   timeouts go; it replaces the handler before. The capability stays the
 *   caller's (the server keeps a reference of its own until it is replaced
 *   or the session is closed). An invalid capability removes the handler:
 *   timeouts keep running and their signals are dropped.
 *   TIMER_INVALID_SIGNAL_CONTEXT: `handler` is a capability but no signal
 *   context (say, a session capability); nothing changed.
 *
 * trigger_once(us)
 *   Fire once, `us` microseconds from now (0: as soon as possible). Ends the
 *   session's periodic timeout if one runs.
 *   TIMER_INVALID_DURATION: `us` exceeds TIMER_TIMEOUT_MAX_US; nothing
 *   changed.
 *
 * trigger_periodic(us)
 *   Fire every `us` microseconds, first `us` from now. The deadlines are
 *   multiples of the period after the first one, not after the moment a
 *   signal went out, so they do not drift. `us` = 0 stops the session's
 *   timeout, one-shot or periodic; a signal already submitted stays counted
 *   at the client.
 *   TIMER_INVALID_DURATION: `us` is below TIMER_PERIOD_MIN_US (and not 0) or
 *   exceeds TIMER_TIMEOUT_MAX_US; nothing changed.
 */

#ifndef _TIMER_SESSION_TIMER_SESSION_H_
#define _TIMER_SESSION_TIMER_SESSION_H_

#include <stdint.h>

#include <base/rpc.h>
#include <base/session.h>
#include <base/signal.h>

enum {
	TIMER_SESSION_RAM_MIN = 4096, /* ram_quota a session needs */
};

/*
 * The shortest period: bounds the wake-ups that one session can cost the
 * server (1000 per second). One-shot timeouts have no minimum: each costs
 * the client an RPC.
 */
#define TIMER_PERIOD_MIN_US 1000ull

/* the longest timeout or period: about 8.9 years */
#define TIMER_TIMEOUT_MAX_US (1ull << 48)

enum timer_session_result {
	TIMER_OK = 0,
	TIMER_INVALID_DURATION,       /* trigger: a duration out of range; nothing changed */
	TIMER_INVALID_SIGNAL_CONTEXT, /* sigh: the capability is no signal context */
	RPC_RESULT_ERRORS(TIMER),
};

struct timer_elapsed_result
{
	enum timer_session_result result;
	uint64_t us; /* microseconds since the timer started, 0 unless TIMER_OK */
};

#define TIMER_SESSION_RPC(M, I)                                              \
	M(I, elapsed_us, struct timer_elapsed_result)                            \
	M(I, sigh, enum timer_session_result, (IN_CAP, signal_context, handler)) \
	M(I, trigger_once, enum timer_session_result, (IN, uint64_t, us))        \
	M(I, trigger_periodic, enum timer_session_result, (IN, uint64_t, us))

RPC_INTERFACE(timer_session, TIMER_SESSION_RPC)

#endif /* _TIMER_SESSION_TIMER_SESSION_H_ */
