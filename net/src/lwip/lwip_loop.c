/* SPDX-License-Identifier: MIT */
/**
 * \brief the event loop of a component on lwIP, and lwIP's clock (sys_now)
 *
 * sys_now() has no context argument, so the loop that serves it is named in
 * the one process-wide struct `lwip_loop_global`. During a run it returns the
 * clock as the loop read it at the start of the current pass: one reading per
 * pass instead of one per call (lwIP asks several times per pass), and a
 * clock that stands still while a pass runs, so that lwIP's timeouts and the
 * deadline the loop arms see the same time. Outside a run (setting up,
 * between runs) it reads the clock anew, so that a timeout registered there
 * counts from the moment it was registered.
 *
 * A reading is timer_connection_now_us(): the timer's clock interpolated with
 * the CPU's time-stamp counter, which asks the timer only about once a
 * second. So a pass costs no RPC for the clock, where elapsed_us would cost one
 * per pass (a switch to the timer and back, some 20 us of a GDB packet's 100 us round
 * trip through the monitor). A timer that is gone shows at the next real
 * reading or the next timeout the loop programs, not at once.
 */

#include <lwip/init.h>
#include <lwip/netif.h>
#include <lwip/sys.h>
#include <lwip/timeouts.h>

#include <base/log.h>
#include <base/panic.h>
#include <lwip_loop/lwip_loop.h>

#include "lwip_port.h"

static struct
{
	struct lwip_loop *loop; /* the component's loop, NULL before lwip_loop_init */
} lwip_loop_global;

/* read the clock into now_us (interpolated); false when the timer does not answer */
static bool lwip_loop_clock_read(struct lwip_loop *loop)
{
	struct timer_elapsed_result e = timer_connection_now_us(&loop->timer);
	if (e.result != TIMER_OK) return false;
	loop->now_us = e.us;
	return true;
}

/* the clock of this pass, or read now outside a run (the last reading if the timer is gone) */
static uint64_t lwip_loop_clock(struct lwip_loop *loop)
{
	if (!loop->running) (void)lwip_loop_clock_read(loop);
	return loop->now_us;
}

u32_t sys_now(void)
{
	struct lwip_loop *loop = lwip_loop_global.loop;
	if (!loop) panic("lwIP: sys_now before lwip_loop_init");
	/* lwIP's clock is 32-bit milliseconds and wraps; it compares times modulo 2^32 */
	return (u32_t)(lwip_loop_clock(loop) / 1000);
}

enum lwip_loop_result lwip_loop_init(struct lwip_loop *loop, struct env *env)
{
	if (lwip_loop_global.loop) panic("lwip_loop_init: a component has one lwIP loop");

	*loop = (struct lwip_loop){ .env = env };
	loop->timer_cap = CAP_INVALID(signal_context);

	switch (timer_connection_init(&loop->timer, env, "lwip")) {
	case TIMER_CONNECTION_OK:
		break;
	case TIMER_CONNECTION_DENIED:
		return LWIP_LOOP_NO_TIMER;
	case TIMER_CONNECTION_NO_RESOURCES:
		return LWIP_LOOP_NO_RESOURCES;
	case TIMER_CONNECTION_INVALID_LABEL: /* a constant label: cannot happen */
	case TIMER_CONNECTION_SERVER_ERROR:
		return LWIP_LOOP_TIMER_ERROR;
	}

	enum lwip_loop_result result = LWIP_LOOP_NO_RESOURCES;
	if (signal_receiver_init(&loop->receiver, loop->slots, LWIP_LOOP_SOURCES_MAX + 1) !=
	    SIGNAL_RECEIVER_OK)
		goto close_timer;
	signal_context_init(&loop->timer_context, loop);
	struct signal_context_cap_result managed =
	    signal_receiver_manage(&loop->receiver, &loop->timer_context);
	if (managed.result != SIGNAL_RECEIVER_OK) goto destroy_receiver;
	loop->timer_cap = managed.cap;

	result = LWIP_LOOP_TIMER_ERROR;
	if (timer_connection_sigh(&loop->timer, loop->timer_cap) != TIMER_OK) goto close_cap;
	if (!lwip_loop_clock_read(loop)) goto close_cap;

	/* the clock's microseconds at start-up differ from one start to the next */
	lwip_port_random_seed(loop->now_us);
	lwip_loop_global.loop = loop;
	lwip_init();
	return LWIP_LOOP_OK;

close_cap:
	cap_close(loop->timer_cap.cap);
	loop->timer_cap = CAP_INVALID(signal_context);
destroy_receiver:
	signal_receiver_destroy(&loop->receiver);
close_timer:
	timer_connection_destroy(&loop->timer);
	return result;
}

void lwip_loop_stop(struct lwip_loop *loop) { loop->stop = true; }

uint64_t lwip_loop_now_us(struct lwip_loop *loop) { return lwip_loop_clock(loop); }

struct lwip_loop_stats lwip_loop_stats(struct lwip_loop const *loop) { return loop->stats; }

struct lwip_loop_source_result lwip_loop_source_add(struct lwip_loop *loop,
                                                    struct lwip_loop_source *source,
                                                    lwip_loop_handler handler, void *arg)
{
	struct lwip_loop_source_result r = { LWIP_LOOP_NO_RESOURCES, CAP_INVALID(signal_context) };
	ASSERT(handler != NULL);
	if (loop->source_count == LWIP_LOOP_SOURCES_MAX) return r;

	*source = (struct lwip_loop_source){ .handler = handler, .arg = arg };
	signal_context_init(&source->context, source);
	struct signal_context_cap_result managed =
	    signal_receiver_manage(&loop->receiver, &source->context);
	if (managed.result != SIGNAL_RECEIVER_OK) return r;

	source->loop = loop;
	loop->source_count++;
	r.result = LWIP_LOOP_OK;
	r.cap = managed.cap;
	return r;
}

void lwip_loop_source_remove(struct lwip_loop *loop, struct lwip_loop_source *source)
{
	if (source->loop != loop) panic("lwip_loop_source_remove: the source is not added");

	if (source->scheduled) {
		struct lwip_loop_source **link = &loop->scheduled_first, *previous = NULL;
		while (*link != source) {
			previous = *link;
			link = &(*link)->next_scheduled;
		}
		*link = source->next_scheduled;
		if (loop->scheduled_last == source) loop->scheduled_last = previous;
	}
	(void)signal_receiver_dissolve(&loop->receiver, &source->context);
	loop->source_count--;
	*source = (struct lwip_loop_source){ 0 };
}

void lwip_loop_source_schedule(struct lwip_loop *loop, struct lwip_loop_source *source)
{
	ASSERT(source->loop == loop);
	if (source->scheduled) return;
	source->scheduled = true;
	source->round = loop->schedule_round;
	source->next_scheduled = NULL;
	if (loop->scheduled_last)
		loop->scheduled_last->next_scheduled = source;
	else
		loop->scheduled_first = source;
	loop->scheduled_last = source;
}

/*
 * The handlers of the sources scheduled before this call, in order. Those
 * that the handlers schedule (again) carry the next round and wait for the
 * next pass; a handler may remove any source, so the list is walked from its
 * head each time.
 */
static void lwip_loop_run_scheduled(struct lwip_loop *loop)
{
	uint64_t round = loop->schedule_round++;
	while (loop->scheduled_first && loop->scheduled_first->round <= round) {
		struct lwip_loop_source *source = loop->scheduled_first;
		loop->scheduled_first = source->next_scheduled;
		if (!loop->scheduled_first) loop->scheduled_last = NULL;
		source->scheduled = false;
		source->next_scheduled = NULL;
		source->handler(source->arg, 0);
	}
}

/* true when a loopback netif holds packets for netif_poll */
static bool lwip_loop_loopback_pending(void)
{
	struct netif *netif;
	NETIF_FOREACH(netif)
	{
		if (netif->loop_first) return true;
	}
	return false;
}

/*
 * Make the Timer signal the loop at lwIP's next deadline, `sleep_ms` after
 * the clock of this pass. A one-shot timeout that is armed already and fires
 * no later stays: waking early costs a pass, reprogramming costs an RPC.
 */
static bool lwip_loop_timer_arm(struct lwip_loop *loop, u32_t sleep_ms)
{
	uint64_t deadline_us = (loop->now_us / 1000 + sleep_ms) * 1000;
	if (loop->timer_armed && loop->deadline_us <= deadline_us) return true;
	uint64_t delay_us = deadline_us > loop->now_us ? deadline_us - loop->now_us : 0;
	if (timer_session_trigger_once(loop->timer.session, delay_us) != TIMER_OK) return false;
	loop->timer_armed = true;
	loop->deadline_us = deadline_us;
	loop->stats.timer_programs++;
	return true;
}

static void lwip_loop_dispatch(struct lwip_loop *loop, struct signal const *signal)
{
	if (signal->context == &loop->timer_context) {
		loop->timer_armed = false;
		loop->stats.timer_wakeups++;
		return;
	}
	struct lwip_loop_source *source = signal->imprint;
	loop->stats.signals++;
	source->handler(source->arg, signal->count);
}

static enum lwip_loop_result lwip_loop_pass(struct lwip_loop *loop)
{
	loop->stats.passes++;
	if (!lwip_loop_clock_read(loop)) return LWIP_LOOP_TIMER_ERROR;
	sys_check_timeouts();
	netif_poll_all();
	lwip_loop_run_scheduled(loop);
	if (loop->stop) return LWIP_LOOP_OK;

	struct signal signal;
	u32_t sleep_ms = sys_timeouts_sleeptime();
	if (loop->scheduled_first || lwip_loop_loopback_pending() || sleep_ms == 0) {
		signal = signal_receiver_poll(&loop->receiver);
	} else {
		if (sleep_ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE && !lwip_loop_timer_arm(loop, sleep_ms))
			return LWIP_LOOP_TIMER_ERROR;
		loop->stats.waits++;
		signal = signal_receiver_wait(&loop->receiver);
	}

	/*
	 * Everything that the wait or poll took in, but at most one signal per
	 * context: the receiver queues a delivered context behind the pending
	 * ones, so a source that signals without pause cannot keep the pass
	 * from ending. What came after that look waits for the next pass, whose
	 * wait or poll finds it at once: no look that finds nothing per pass.
	 * After lwip_loop_stop() the rest stays pending for the next run.
	 */
	while (signal.result == SIGNAL_OK) {
		lwip_loop_dispatch(loop, &signal);
		if (loop->stop) break;
		signal = signal_receiver_poll_taken(&loop->receiver);
	}
	return LWIP_LOOP_OK;
}

enum lwip_loop_result lwip_loop_run(struct lwip_loop *loop)
{
	ASSERT(!loop->running); /* a handler must not run the loop it was called from */
	loop->stop = false;
	loop->running = true;
	enum lwip_loop_result r = LWIP_LOOP_OK;
	while (!loop->stop && r == LWIP_LOOP_OK) r = lwip_loop_pass(loop);
	loop->running = false;
	return r;
}
