/* SPDX-License-Identifier: MIT */
/** \brief a Timer session opened through the parent, with a blocking sleep */

#include <base/log.h>
#include <base/panic.h>
#include <base/timestamp.h>
#include <timer_session/connection.h>
#include <util/arg_string.h>

/* the session's arguments: ram_quota and, if given, the label */
static bool timer_connection_args(char *args, size_t capacity, char const *label)
{
	args[0] = 0;
	if (arg_string_set_unsigned(args, capacity, "ram_quota", TIMER_SESSION_RAM_MIN) !=
	    ARG_STRING_OK)
		return false;
	if (!label || !label[0]) return true;
	return arg_string_set_string(args, capacity, "label", label) == ARG_STRING_OK;
}

enum timer_connection_result timer_connection_init(struct timer_connection *c, struct env *env,
                                                   char const *label)
{
	c->env = env;
	c->session = CAP_INVALID(timer_session);
	c->context_cap = CAP_INVALID(signal_context);
	c->own_handler = false;
	clock_interpolation_init(&c->clock);

	char args[SESSION_ARGS_MAX];
	if (!timer_connection_args(args, sizeof(args), label))
		return TIMER_CONNECTION_INVALID_LABEL;

	if (signal_receiver_init(&c->receiver, &c->slot, 1) != SIGNAL_RECEIVER_OK)
		return TIMER_CONNECTION_NO_RESOURCES;
	signal_context_init(&c->context, c);
	struct signal_context_cap_result managed =
	    signal_receiver_manage(&c->receiver, &c->context);
	if (managed.result != SIGNAL_RECEIVER_OK) {
		signal_receiver_destroy(&c->receiver);
		return TIMER_CONNECTION_NO_RESOURCES;
	}
	c->context_cap = managed.cap;

	c->connection = env_session(env, "Timer", args);
	if (c->connection.result != PARENT_OK) {
		signal_receiver_destroy(&c->receiver);
		cap_close(c->context_cap.cap);
		return TIMER_CONNECTION_DENIED;
	}
	c->session = CAP_CAST(timer_session, c->connection.cap);

	enum timer_session_result r = timer_session_sigh(c->session, c->context_cap);
	if (r != TIMER_OK) {
		log_error("timer connection: the timer refused the handler (%d)", (int)r);
		timer_connection_destroy(c);
		return TIMER_CONNECTION_SERVER_ERROR;
	}
	c->own_handler = true;
	return TIMER_CONNECTION_OK;
}

void timer_connection_destroy(struct timer_connection *c)
{
	/* closing the session ends its timeout and drops the server's handler reference */
	env_session_close(c->env, &c->connection);
	c->session = CAP_INVALID(timer_session);
	signal_receiver_destroy(&c->receiver);
	cap_close(c->context_cap.cap);
	c->context_cap = CAP_INVALID(signal_context);
	c->own_handler = false;
}

struct timer_elapsed_result timer_connection_elapsed_us(struct timer_connection *c)
{
	return timer_session_elapsed_us(c->session);
}

struct timer_elapsed_result timer_connection_now_us(struct timer_connection *c)
{
	uint64_t ticks = timestamp();
	if (clock_interpolation_due(&c->clock, ticks)) {
		struct timer_elapsed_result e = timer_session_elapsed_us(c->session);
		uint64_t after = timestamp();
		if (e.result != TIMER_OK) return e;
		clock_interpolation_feed(&c->clock, ticks, after, e.us);
		ticks = after;
	}
	return (struct timer_elapsed_result){ TIMER_OK, clock_interpolation_now(&c->clock, ticks) };
}

enum timer_session_result timer_connection_sigh(struct timer_connection *c,
                                                struct signal_context_cap handler)
{
	enum timer_session_result r = timer_session_sigh(c->session, handler);
	if (r == TIMER_OK) c->own_handler = false;
	return r;
}

enum timer_session_result timer_connection_sleep_us(struct timer_connection *c, uint64_t us)
{
	if (us > TIMER_TIMEOUT_MAX_US) return TIMER_INVALID_DURATION;

	/*
	 * Each sleep consumes exactly the one signal of its one-shot timeout, so
	 * the own context has nothing pending here, as long as only sleeps program
	 * timeouts for it. Back from a handler of the caller, its timeout is
	 * stopped first: a periodic one might otherwise fire into the own context
	 * between sigh and trigger_once and end this sleep early.
	 */
	if (!c->own_handler) {
		enum timer_session_result r = timer_session_trigger_periodic(c->session, 0);
		if (r == TIMER_OK) r = timer_session_sigh(c->session, c->context_cap);
		if (r != TIMER_OK) return r;
		c->own_handler = true;
	}
	enum timer_session_result r = timer_session_trigger_once(c->session, us);
	if (r != TIMER_OK) return r;

	struct signal signal = signal_receiver_wait(&c->receiver);
	ASSERT(signal.result == SIGNAL_OK && signal.context == &c->context);
	return TIMER_OK;
}
