/* SPDX-License-Identifier: MIT */
/**
 * \brief the event loop of a component on lwIP: signals and lwIP's timeouts together
 *
 * lwIP runs with NO_SYS=1: it has no threads of its own, and everything it
 * does happens in calls from one thread, the loop's. The loop owns a signal
 * receiver and a Timer session. It blocks until either a signal of one of
 * its sources arrives (a Nic session's "packet available", "ack available",
 * ...) or lwIP's next timeout is due, whichever comes first: the Timer's
 * one-shot timeout is programmed to that deadline (sys_timeouts_sleeptime),
 * and its signal arrives at the same receiver. No busy polling, no fixed
 * sleeps. doc/lwip.md describes a pass in detail.
 *
 * One pass of lwip_loop_run():
 *   1. read the clock (timer_connection_now_us: the timer's clock
 *      interpolated with the CPU's time-stamp counter, an RPC to the timer
 *      about once a second; sys_now() returns this reading until the next
 *      pass; outside a run it reads the clock at each call),
 *   2. run lwIP's due timeouts (sys_check_timeouts),
 *   3. deliver the packets queued on loopback netifs (netif_poll_all; it
 *      delivers until the queues are empty, also what the deliveries send
 *      in turn, so traffic within the component runs to its end or to a
 *      closed window in one pass),
 *   4. call the handlers of scheduled sources (count 0),
 *   5. wait: block on the receiver if nothing is left to do, otherwise only
 *      poll it; then call the handler of each signalled source with its
 *      signal's count.
 *
 * A netif plugs in through sources: it adds one source per signal that it
 * wants (lwip_loop_source_add), hands the capabilities to its session (e.g.
 * a Nic session's signal handlers), and handles them in the loop's thread,
 * where it may call lwIP (netif->input) freely. A handler that leaves work
 * for later (it takes a bounded batch per call, or waits for room in a
 * queue that has signalled) schedules its source again
 * (lwip_loop_source_schedule) and is called in the next pass without
 * blocking.
 *
 * lwIP's state is process-wide, so a component has one loop, made once.
 * Threads: every function here, every source handler, and every lwIP call
 * belongs to the thread that runs the loop; only signal capabilities go to
 * other threads and components.
 */

#ifndef _LWIP_LOOP_LWIP_LOOP_H_
#define _LWIP_LOOP_LWIP_LOOP_H_

#include <stdbool.h>
#include <stdint.h>

#include <base/env.h>
#include <base/signal.h>
#include <timer_session/connection.h>

/** sources that a loop can serve at the same time */
enum { LWIP_LOOP_SOURCES_MAX = 15 };

/**
 * A source's handler, called in the loop's thread.
 *
 * \param arg    as given to lwip_loop_source_add
 * \param count  the signal's count (>= 1), or 0 for a call that
 *               lwip_loop_source_schedule asked for
 */
typedef void (*lwip_loop_handler)(void *arg, uint64_t count);

/** a source of signals served by the loop; storage is the caller's, the fields the loop's */
struct lwip_loop_source
{
	struct signal_context context;
	lwip_loop_handler handler;
	void *arg;
	struct lwip_loop *loop; /* NULL while not added */
	bool scheduled;         /* on the loop's list of scheduled sources */
	uint64_t round;         /* the loop's schedule round when it was scheduled */
	struct lwip_loop_source *next_scheduled;
};

/** counters of a loop, for tests and benchmarks */
struct lwip_loop_stats
{
	uint64_t passes;         /* passes of lwip_loop_run */
	uint64_t waits;          /* passes that blocked on the receiver */
	uint64_t signals;        /* signals delivered to source handlers */
	uint64_t timer_wakeups;  /* signals of the loop's own timeout */
	uint64_t timer_programs; /* one-shot timeouts programmed at the Timer */
};

struct lwip_loop
{
	struct env *env;
	struct timer_connection timer;
	struct signal_receiver receiver;
	struct signal_slot slots[LWIP_LOOP_SOURCES_MAX + 1]; /* the sources and the timer */
	struct signal_context timer_context;
	struct signal_context_cap timer_cap;
	unsigned source_count;
	uint64_t now_us;      /* the clock (now_us) at the start of this pass */
	uint64_t deadline_us; /* of the programmed one-shot timeout, if timer_armed */
	bool timer_armed;
	bool running; /* in lwip_loop_run */
	bool stop;
	uint64_t schedule_round; /* counts the passes that ran scheduled sources */
	struct lwip_loop_source *scheduled_first;
	struct lwip_loop_source *scheduled_last;
	struct lwip_loop_stats stats;
};

enum lwip_loop_result {
	LWIP_LOOP_OK = 0,
	LWIP_LOOP_NO_TIMER,     /* init: the parent gave no Timer session */
	LWIP_LOOP_NO_RESOURCES, /* init, source_add: out of signal contexts or platform
	                           handles, or LWIP_LOOP_SOURCES_MAX sources are added */
	LWIP_LOOP_TIMER_ERROR,  /* init, run: an RPC to the timer failed (it is gone) */
};

struct lwip_loop_source_result
{
	enum lwip_loop_result result;
	struct signal_context_cap cap; /* invalid unless LWIP_LOOP_OK */
};

/**
 * Open the loop's Timer session (label "lwip") and its receiver, seed the
 * port's random numbers, and initialize lwIP (lwip_init). Afterwards lwIP's
 * API may be used; the loopback netif 127.0.0.1 is up.
 *
 * \param loop  storage, the caller's; must not move while the component
 *              uses lwIP
 * \return LWIP_LOOP_OK, or LWIP_LOOP_NO_TIMER, LWIP_LOOP_NO_RESOURCES or
 *         LWIP_LOOP_TIMER_ERROR with nothing left open (lwIP is not
 *         initialized then)
 *
 * Once per component: lwIP cannot be initialized twice, so a second call
 * after a successful one is a bug and panics.
 */
enum lwip_loop_result lwip_loop_init(struct lwip_loop *loop, struct env *env)
    __attribute__((warn_unused_result));

/**
 * Serve signals and timeouts until a handler or an lwIP callback calls
 * lwip_loop_stop(); return after that pass. Not from within a run (a
 * handler or lwIP callback): that is a bug and panics.
 *
 * \return LWIP_LOOP_OK after lwip_loop_stop(), or LWIP_LOOP_TIMER_ERROR
 *         when the timer cannot be read or programmed any more (lwIP's
 *         state is intact; a later run tries again)
 */
enum lwip_loop_result lwip_loop_run(struct lwip_loop *loop) __attribute__((warn_unused_result));

/** End lwip_loop_run after the current pass. Outside a run it has no effect. */
void lwip_loop_stop(struct lwip_loop *loop);

/**
 * Serve a source's signals.
 *
 * \param source   storage, the caller's; not added to a loop. It must stay
 *                 until removed.
 * \param handler  called with `arg` and the count of each signal
 * \return the capability of the source's signal context, the caller's: hand
 *         it to the transmitter (a session's sigh), cap_close() it when no
 *         longer needed; or LWIP_LOOP_NO_RESOURCES (nothing changed)
 */
struct lwip_loop_source_result lwip_loop_source_add(struct lwip_loop *loop,
                                                    struct lwip_loop_source *source,
                                                    lwip_loop_handler handler, void *arg)
    __attribute__((warn_unused_result));

/**
 * Stop serving `source`: pending signals and a pending scheduled call are
 * dropped, later submits to its capabilities go nowhere. Afterwards the
 * storage is the caller's again. Removing a source that is not added is a
 * bug and panics.
 */
void lwip_loop_source_remove(struct lwip_loop *loop, struct lwip_loop_source *source);

/**
 * Call the handler of `source` (with count 0) in the next pass, which then
 * does not block. Scheduling a scheduled source again has no effect.
 */
void lwip_loop_source_schedule(struct lwip_loop *loop, struct lwip_loop_source *source);

/**
 * The timer's clock in microseconds (timer_connection_now_us, interpolated):
 * in a run, as read at the start of the current pass (what sys_now() says);
 * outside a run, read now.
 */
uint64_t lwip_loop_now_us(struct lwip_loop *loop);

/** The loop's counters since init. */
struct lwip_loop_stats lwip_loop_stats(struct lwip_loop const *loop);

#endif /* _LWIP_LOOP_LWIP_LOOP_H_ */
