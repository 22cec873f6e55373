/* SPDX-License-Identifier: MIT */
/**
 * \brief timer: serves the Timer session (timer_session/timer_session.h)
 *        to every client its parent routes to it (doc/timer.md)
 *
 * Two threads. The main thread serves the entrypoint: the root, announced
 * to the parent as "Timer", and one session object per session; its handlers
 * read the clock and (re)program the session's timeout in the queue. The
 * timeout thread sleeps on the time source until the earliest deadline,
 * fires every timeout that is due by submitting its signal, and sleeps again;
 * the entrypoint wakes it when a new timeout goes first. So timeouts fire on
 * time however many RPCs the entrypoint has to serve: a client that floods
 * the timer with calls delays other clients' calls by its turn at the
 * entrypoint, never their timeouts. Timeouts fire in deadline order
 * (timeout_queue.h).
 *
 * One lock guards the queue and each session's timeout and handler: the
 * timeout thread submits under it, so a handler is never closed while it is
 * used. A closed session is out of the queue and gone: it costs nothing.
 *
 * Log lines:
 *   session for "<label>"             a session was made
 *   closed session of "<label>"       a session was closed
 *   denied session for "<label>": ... | denied session: ...
 *                                     a request the root refused, and why
 */

#include <base/env.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <os/server.h>
#include <os/session_request.h>
#include <root/root.h>
#include <timer_session/timer_session.h>
#include <util/string.h>

#include "time_source.h"
#include "timeout_queue.h"

RPC_SERVER(timer_session, TIMER_SESSION_RPC)
RPC_SERVER_OBJECT(timer_session)

/*
 * One endpoint per minted capability and per client channel: a session
 * needs one for its capability and one per client thread that calls it.
 */
enum { TIMER_ENDPOINTS = 512 };

struct timer_server
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[TIMER_ENDPOINTS];
	struct rpc_object root;
	struct time_source *source;
	struct thread timeout_thread;

	struct lock lock; /* guards the queue, and each session's timeout and handler */
	struct timeout_queue queue;
};

/* one session, from env->heap; lives from root session() to root close() */
struct timer_session_component
{
	struct rpc_object object;
	struct timeout timeout; /* in the queue while programmed; guarded by the lock */
	struct timer_server *server;
	struct signal_context_cap handler; /* the server's reference, or invalid */
	char label[SESSION_LABEL_MAX];
};

static struct timer_session_component *timer_session_of(struct timeout *timeout)
{
	return (
	    struct timer_session_component *)((char *)timeout -
	                                      offsetof(struct timer_session_component, timeout));
}

/* ---- the timeout thread ---------------------------------------------------------- */

/* submit the signals of every timeout due at `now`; lock held */
static void timer_fire_due(struct timer_server *server, uint64_t now)
{
	for (;;) {
		struct timeout_expiry e = timeout_queue_expire(&server->queue, now);
		if (!e.timeout) return;
		struct timer_session_component *session = timer_session_of(e.timeout);
		unsigned count = e.count > 0xffffffffu ? 0xffffffffu : (unsigned)e.count;
		/* without a handler the signal is dropped; a full counter drops it, too */
		if (cap_valid(session->handler.cap)) signal_submit(session->handler, count);
	}
}

static void timer_timeout_thread(void *argument)
{
	struct timer_server *server = argument;
	for (;;) {
		lock_acquire(&server->lock);
		timer_fire_due(server, time_source_now_us(server->source));
		struct timeout_next next = timeout_queue_next(&server->queue);
		lock_release(&server->lock);
		/* a timeout that goes first meanwhile wakes this wait (time_source.h) */
		time_source_wait(server->source, next.any ? next.deadline : TIME_SOURCE_NEVER);
	}
}

/* ---- the session ----------------------------------------------------------------- */

static struct timer_elapsed_result timer_elapsed_us(void *state)
{
	struct timer_session_component *session = state;
	return (struct timer_elapsed_result){ TIMER_OK,
		                                  time_source_now_us(session->server->source) };
}

/* the received reference of `handler` is ours: kept, or closed */
static enum timer_session_result timer_sigh(void *state, struct signal_context_cap handler)
{
	struct timer_session_component *session = state;
	struct timer_server *server = session->server;

	/* a count of 0 checks that the capability is a signal context and sends nothing */
	if (cap_valid(handler.cap) && signal_submit(handler, 0) != SIGNAL_SUBMIT_OK) {
		cap_close(handler.cap);
		return TIMER_INVALID_SIGNAL_CONTEXT;
	}
	lock_acquire(&server->lock);
	struct signal_context_cap previous = session->handler;
	session->handler = handler;
	lock_release(&server->lock);
	cap_close(previous.cap);
	return TIMER_OK;
}

/* (re)program the session's timeout: `us` from now, then every `period` (0: once) */
static void timer_schedule(struct timer_session_component *session, uint64_t us,
                           uint64_t period)
{
	struct timer_server *server = session->server;
	lock_acquire(&server->lock);
	uint64_t deadline = time_source_now_us(server->source) + us;
	timeout_queue_schedule(&server->queue, &session->timeout, deadline, period);
	bool first = timeout_queue_first(&server->queue) == &session->timeout;
	lock_release(&server->lock);
	if (first) time_source_wake(server->source);
}

static enum timer_session_result timer_trigger_once(void *state, uint64_t us)
{
	if (us > TIMER_TIMEOUT_MAX_US) return TIMER_INVALID_DURATION;
	timer_schedule(state, us, 0);
	return TIMER_OK;
}

static enum timer_session_result timer_trigger_periodic(void *state, uint64_t us)
{
	struct timer_session_component *session = state;
	if (us == 0) {
		/* the timeout thread may wake for it once more, and find nothing due */
		lock_acquire(&session->server->lock);
		timeout_queue_cancel(&session->server->queue, &session->timeout);
		lock_release(&session->server->lock);
		return TIMER_OK;
	}
	if (us < TIMER_PERIOD_MIN_US || us > TIMER_TIMEOUT_MAX_US) return TIMER_INVALID_DURATION;
	timer_schedule(session, us, us);
	return TIMER_OK;
}

static struct timer_session_ops const timer_session_ops = {
	timer_elapsed_us,
	timer_sigh,
	timer_trigger_once,
	timer_trigger_periodic,
};

/* ---- the root -------------------------------------------------------------------- */

static enum root_result timer_root_session(void *state, char const *args,
                                           struct session_cap *cap)
{
	struct timer_server *server = state;
	/* decode and check everything first */
	struct session_request request;
	enum root_result checked = session_request_decode(args, TIMER_SESSION_RAM_MIN, &request);
	if (checked != ROOT_OK) return checked;
	char const *label = request.label;

	struct timer_session_component *session =
	    session_request_object_alloc(server->env, &request, sizeof(*session));
	if (!session) return ROOT_NO_RESOURCES;
	session->server = server;
	session->handler = CAP_INVALID(signal_context);
	timeout_init(&session->timeout);
	string_copy(session->label, label, sizeof(session->label));

	struct timer_session_cap session_cap =
	    timer_session_manage(&server->ep, &session->object, &timer_session_ops, session);
	if (!cap_valid(session_cap.cap))
		return session_request_object_refuse(server->env, &request, &server->ep,
		                                     &session->object, session, sizeof(*session));
	*cap = CAP_CAST(session, session_cap); /* moves to the parent with the reply */
	log_info("session for \"%s\"", session->label);
	return ROOT_OK;
}

/* the received reference of `cap` is ours: closed on every path */
static enum root_result timer_root_close(void *state, struct session_cap cap)
{
	struct timer_server *server = state;
	struct rpc_object *object =
	    session_request_close_lookup(&server->ep, cap, &timer_session_ops);
	if (!object) return ROOT_INVALID_ARGUMENT;

	struct timer_session_component *session = object->state;
	lock_acquire(&server->lock);
	timeout_queue_cancel(&server->queue, &session->timeout);
	struct signal_context_cap handler = session->handler;
	session->handler = CAP_INVALID(signal_context);
	lock_release(&server->lock);
	cap_close(handler.cap);

	log_info("closed session of \"%s\"", session->label);
	rpc_entrypoint_dissolve(&server->ep, &session->object);
	allocator_free(env_heap(server->env), session, sizeof(*session));
	return ROOT_OK;
}

static struct root_ops const timer_root_ops = { timer_root_session, timer_root_close };

/* ---- start ----------------------------------------------------------------------- */

int component_construct(struct env *env)
{
	static struct timer_server server;
	server.env = env;
	lock_init(&server.lock);
	timeout_queue_init(&server.queue);

	struct time_source_create_result source = time_source_create(env);
	if (source.result != TIME_SOURCE_OK) {
		log_error("timer: no time source (%d)", (int)source.result);
		return 1;
	}
	server.source = source.source;

	if (rpc_entrypoint_init(&server.ep, server.endpoints, TIMER_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("timer: no entrypoint");
		return 1;
	}
	if (thread_create(&server.timeout_thread, env, "timeout", timer_timeout_thread, &server,
	                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK) {
		log_error("timer: no timeout thread");
		return 1;
	}
	if (server_root_announce(env, &server.ep, &server.root, &timer_root_ops, &server,
	                         "Timer") != SERVER_ROOT_OK)
		return 1; /* logged */

	/* serves until rpc_entrypoint_stop(), which nobody calls: the timer stays */
	rpc_entrypoint_serve(&server.ep);
	return 0;
}
