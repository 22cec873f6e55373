/* SPDX-License-Identifier: MIT */
/**
 * \brief test-timer: a client of the Timer session (run/timer.run)
 *
 * Config: `<config role="..." tolerance_ms="5" duration_ms="1500"/>`, role
 *   measure  (default) checks the Timer session: sleeps of 0, 10, 50 and
 *            100 ms measured with elapsed_us, a periodic timeout of 100 ms
 *            counted over a second, a one-shot that replaces it, a stopped
 *            periodic that stays silent, the refused arguments and a closed
 *            session. A sleep passes if it took at least what it asked for
 *            and at most `tolerance_ms` more (see test_check_sleep).
 *   flood    calls the timer (trigger_once and elapsed_us) as fast as it can
 *            for `duration_ms`, so that the other clients' timeouts compete
 *            with a flood of RPCs
 *   vanish   programs a periodic timeout of TIMER_PERIOD_MIN_US and exits
 *            without closing its session: init closes it
 *   many     opens TEST_MANY sessions more, whose one-shot timeouts are due
 *            in the reverse order of their triggers, 5 ms apart: their
 *            signals must come in deadline order
 *
 * Each check logs one line without measured numbers (`sleep 10 ms: ok`), so
 * that a run script can compare it exactly; the figures go to lines of their
 * own (`sleep 10 ms took 10093 us`). A failed check logs `Error: ...`; the
 * client returns 0 (its exit code) only if every check passed.
 */

#include <base/env.h>
#include <base/log.h>
#include <os/config.h>
#include <timer_session/connection.h>
#include <util/string.h>

enum {
	TEST_TOLERANCE_MS = 5,            /* default: how much longer than asked a sleep may take */
	TEST_FLOOD_MS = 1500,             /* default: how long the flood lasts */
	TEST_PERIOD_US = 100000,          /* the periodic timeout */
	TEST_PERIODS_WINDOW_US = 1050000, /* counted over a second and half a period */
	TEST_QUIET_US = 300000,           /* how long a stopped timeout must stay silent */
	TEST_SLEEP_ATTEMPTS = 3,          /* see test_check_sleep */
	TEST_MANY = 24,                   /* sessions of role many (a child has 32 at most) */
	TEST_MANY_SPACING_US = 5000,      /* between their deadlines */
	TEST_MANY_LEAD_US = 50000,        /* from the first trigger to the first deadline */
};

enum test_role { TEST_MEASURE, TEST_FLOOD, TEST_VANISH, TEST_MANY_SESSIONS };

struct test
{
	struct env *env;
	enum test_role role;
	uint64_t tolerance_us;
	uint64_t flood_us;
	unsigned failed;

	struct timer_connection timer; /* sleeps and measures */

	/* the test's own handler, for timeouts of a second session */
	struct signal_receiver receiver;
	struct signal_slot slot;
	struct signal_context context;
	struct signal_context_cap context_cap;
};

/* count a failed check and log it as an error line */
#define TEST_FAIL(test, ...)    \
	do {                        \
		(test)->failed++;       \
		log_error(__VA_ARGS__); \
	} while (0)

/* ---- config ---------------------------------------------------------------------- */

static uint64_t test_config_number(struct test *t, struct xml_node config, char const *name,
                                   uint64_t fallback)
{
	if (!xml_node_has_attribute(config, name)) return fallback;
	struct xml_unsigned_ret v = xml_node_attribute_unsigned(config, name);
	if (v.result != XML_ACCESS_OK) {
		TEST_FAIL(t, "config: %s is no number", name);
		return fallback;
	}
	return v.value;
}

static void test_config(struct test *t)
{
	t->role = TEST_MEASURE;
	t->tolerance_us = TEST_TOLERANCE_MS * 1000ull;
	t->flood_us = TEST_FLOOD_MS * 1000ull;
	struct config config;
	if (config_init(&config, t->env) != CONFIG_OK) return;
	struct xml_attribute_ret role = xml_node_attribute(config.root, "role");
	if (role.result == XML_ACCESS_OK) {
		if (xml_attribute_equals(role.attribute, "flood"))
			t->role = TEST_FLOOD;
		else if (xml_attribute_equals(role.attribute, "vanish"))
			t->role = TEST_VANISH;
		else if (xml_attribute_equals(role.attribute, "many"))
			t->role = TEST_MANY_SESSIONS;
		else if (!xml_attribute_equals(role.attribute, "measure"))
			TEST_FAIL(t, "config: role is none of measure, flood, vanish and many");
	}
	t->tolerance_us =
	    test_config_number(t, config.root, "tolerance_ms", TEST_TOLERANCE_MS) * 1000;
	t->flood_us = test_config_number(t, config.root, "duration_ms", TEST_FLOOD_MS) * 1000;
	config_destroy(&config, t->env);
}

/* ---- helpers --------------------------------------------------------------------- */

static char const *test_result_name(enum timer_session_result r)
{
	switch (r) {
	case TIMER_OK:
		return "ok";
	case TIMER_INVALID_DURATION:
		return "invalid duration";
	case TIMER_INVALID_SIGNAL_CONTEXT:
		return "no signal context";
	case TIMER_INVALID_CAP:
		return "invalid capability";
	case TIMER_INVALID_OPCODE:
	case TIMER_MALFORMED:
	case TIMER_TOO_LARGE:
	case TIMER_NO_RESOURCES:
		break;
	}
	return "transport error";
}

static uint64_t test_elapsed(struct test *t)
{
	struct timer_elapsed_result e = timer_connection_elapsed_us(&t->timer);
	if (e.result != TIMER_OK) TEST_FAIL(t, "elapsed_us: %s", test_result_name(e.result));
	return e.us;
}

static void test_sleep(struct test *t, uint64_t us)
{
	enum timer_session_result r = timer_connection_sleep_us(&t->timer, us);
	if (r != TIMER_OK)
		TEST_FAIL(t, "sleep of %llu us: %s", (unsigned long long)us, test_result_name(r));
}

/* the signals of the test's own handler that are pending now, summed */
static uint64_t test_pending_signals(struct test *t)
{
	uint64_t count = 0;
	for (;;) {
		struct signal s = signal_receiver_poll(&t->receiver);
		if (s.result != SIGNAL_OK) return count;
		count += s.count;
	}
}

/* ---- measure --------------------------------------------------------------------- */

/*
 * A sleep passes if one of TEST_SLEEP_ATTEMPTS took at least what it asked
 * for and at most the tolerance more. Every attempt must take at least what
 * it asked for: a timer that is early once is broken. A timer that is late
 * is late every time, while a stall of the whole host (other work on a busy
 * machine) delays one attempt.
 */
static void test_check_sleep(struct test *t, unsigned ms)
{
	uint64_t us = ms * 1000ull;
	for (unsigned attempt = 1; attempt <= TEST_SLEEP_ATTEMPTS; attempt++) {
		uint64_t before = test_elapsed(t);
		test_sleep(t, us);
		uint64_t took = test_elapsed(t) - before;
		log_info("sleep %u ms took %llu us", ms, (unsigned long long)took);
		if (took < us) {
			TEST_FAIL(t, "sleep %u ms took %llu us: too short", ms, (unsigned long long)took);
			return;
		}
		if (took <= us + t->tolerance_us) {
			log_info("sleep %u ms: ok", ms);
			return;
		}
	}
	TEST_FAIL(t, "sleep %u ms took more than %llu us %u times", ms,
	          (unsigned long long)(us + t->tolerance_us), (unsigned)TEST_SLEEP_ATTEMPTS);
}

/* the periodic timeout of session `ticker` counted over a second, then stopped */
static void test_check_periodic(struct test *t, struct timer_session_cap ticker)
{
	enum timer_session_result r = timer_session_trigger_periodic(ticker, TEST_PERIOD_US);
	if (r != TIMER_OK) {
		TEST_FAIL(t, "trigger_periodic: %s", test_result_name(r));
		return;
	}
	test_sleep(t, TEST_PERIODS_WINDOW_US);
	uint64_t count = test_pending_signals(t);
	log_info("periodic 100 ms: %llu signals in 1050 ms", (unsigned long long)count);
	/*
	 * all ten deadlines lie before the sleep's, and the timer fires in
	 * deadline order: at least ten; an eleventh only after a host stall
	 */
	if (count >= 10 && count <= 11)
		log_info("periodic 100 ms over 1 s: ok");
	else
		TEST_FAIL(t, "periodic 100 ms: %llu signals in 1050 ms, expected 10 or 11",
		          (unsigned long long)count);

	/* stopped: whatever was submitted before the stop is pending now, nothing after it */
	r = timer_session_trigger_periodic(ticker, 0);
	(void)test_pending_signals(t);
	test_sleep(t, TEST_QUIET_US);
	count = test_pending_signals(t);
	if (r == TIMER_OK && count == 0)
		log_info("periodic stopped: ok");
	else
		TEST_FAIL(t, "periodic stopped: %s, %llu signals afterwards", test_result_name(r),
		          (unsigned long long)count);
}

/*
 * A one-shot replaces the periodic timeout: exactly one signal, not before the
 * one-shot's time, and none of the periodic one afterwards. (How late it may
 * be is what the sleeps check: they are one-shots, too.)
 */
static void test_check_one_shot(struct test *t, struct timer_session_cap ticker)
{
	uint64_t before = test_elapsed(t);
	/* the periodic would fire at 100, 200 and 300 ms, within the quiet time */
	enum timer_session_result r = timer_session_trigger_periodic(ticker, TEST_PERIOD_US);
	if (r == TIMER_OK) r = timer_session_trigger_once(ticker, 20000);
	if (r != TIMER_OK) {
		TEST_FAIL(t, "trigger_once: %s", test_result_name(r));
		return;
	}
	struct signal s = signal_receiver_wait(&t->receiver);
	uint64_t took = test_elapsed(t) - before;
	log_info("one-shot 20 ms took %llu us", (unsigned long long)took);
	test_sleep(t, TEST_QUIET_US);
	uint64_t later = test_pending_signals(t);
	if (s.count == 1 && later == 0 && took >= 20000)
		log_info("one-shot 20 ms replacing a periodic: ok");
	else
		TEST_FAIL(t, "one-shot 20 ms: count %llu, %llu signals afterwards, took %llu us",
		          (unsigned long long)s.count, (unsigned long long)later,
		          (unsigned long long)took);
}

static void test_check_refusals(struct test *t, struct timer_session_cap ticker)
{
	enum timer_session_result r =
	    timer_session_trigger_periodic(ticker, TIMER_PERIOD_MIN_US - 1);
	if (r == TIMER_INVALID_DURATION)
		log_info("periodic below the minimum: invalid duration");
	else
		TEST_FAIL(t, "periodic below the minimum: %s", test_result_name(r));

	r = timer_session_trigger_once(ticker, TIMER_TIMEOUT_MAX_US + 1);
	if (r == TIMER_INVALID_DURATION)
		log_info("one-shot beyond the maximum: invalid duration");
	else
		TEST_FAIL(t, "one-shot beyond the maximum: %s", test_result_name(r));

	/* a capability that is no signal context: the session's own */
	r = timer_session_sigh(ticker, CAP_CAST(signal_context, ticker));
	if (r == TIMER_INVALID_SIGNAL_CONTEXT)
		log_info("handler that is no signal context: refused");
	else
		TEST_FAIL(t, "handler that is no signal context: %s", test_result_name(r));
}

static void test_measure(struct test *t)
{
	/* too little quota: the timer refuses */
	struct connection poor = env_session_request(t->env, "Timer", "ram_quota=1024");
	if (poor.result == PARENT_INSUFFICIENT_DONATION)
		log_info("session with ram_quota=1024: insufficient donation");
	else
		TEST_FAIL(t, "session with ram_quota=1024: result %d", (int)poor.result);
	if (poor.result == PARENT_OK) env_session_close(t->env, &poor);

	test_check_sleep(t, 0);
	test_check_sleep(t, 10);
	test_check_sleep(t, 50);
	test_check_sleep(t, 100);

	/* a second session, whose timeouts go to the test's own handler */
	struct timer_connection ticker;
	if (timer_connection_init(&ticker, t->env, "ticker") != TIMER_CONNECTION_OK) {
		TEST_FAIL(t, "no second Timer session");
		return;
	}
	enum timer_session_result r = timer_connection_sigh(&ticker, t->context_cap);
	if (r != TIMER_OK) {
		TEST_FAIL(t, "sigh: %s", test_result_name(r));
	} else {
		test_check_periodic(t, ticker.session);
		test_check_one_shot(t, ticker.session);
		test_check_refusals(t, ticker.session);
	}

	/* a closed session is gone at the server */
	struct timer_session_cap closed = { cap_copy(ticker.session.cap) };
	timer_connection_destroy(&ticker);
	struct timer_elapsed_result e = timer_session_elapsed_us(closed);
	cap_close(closed.cap);
	if (e.result == TIMER_INVALID_CAP)
		log_info("elapsed after close: invalid capability");
	else
		TEST_FAIL(t, "elapsed after close: %s", test_result_name(e.result));
}

/* ---- flood, vanish, many --------------------------------------------------------- */

static void test_flood(struct test *t)
{
	uint64_t start = test_elapsed(t);
	uint64_t calls = 0;
	for (uint64_t now = start; now - start < t->flood_us && !t->failed; calls += 2) {
		enum timer_session_result r = timer_session_trigger_once(t->timer.session, 1000000);
		if (r != TIMER_OK) TEST_FAIL(t, "trigger_once: %s", test_result_name(r));
		now = test_elapsed(t);
	}
	log_info("flood: %llu calls in %llu ms", (unsigned long long)calls,
	         (unsigned long long)(t->flood_us / 1000));
	if (!t->failed) log_info("flood: ok");
}

static void test_vanish(struct test *t)
{
	enum timer_session_result r =
	    timer_session_trigger_periodic(t->timer.session, TIMER_PERIOD_MIN_US);
	if (r == TIMER_OK)
		log_info("leaving with a periodic timeout of %llu us", TIMER_PERIOD_MIN_US);
	else
		TEST_FAIL(t, "trigger_periodic: %s", test_result_name(r));
}

/* one more session, whose timeouts go to `context` of `receiver` */
static bool test_many_open(struct test *t, struct connection *session,
                           struct signal_receiver *receiver, struct signal_context *context)
{
	struct signal_context_cap_result managed = signal_receiver_manage(receiver, context);
	if (managed.result != SIGNAL_RECEIVER_OK) {
		TEST_FAIL(t, "many: no signal context");
		return false;
	}
	*session = env_session(t->env, "Timer", "ram_quota=4096");
	enum timer_session_result r = TIMER_INVALID_CAP;
	if (session->result == PARENT_OK)
		r = timer_session_sigh(CAP_CAST(timer_session, session->cap), managed.cap);
	cap_close(managed.cap.cap); /* the timer holds a reference of its own */
	if (r != TIMER_OK) {
		TEST_FAIL(t, "many: session %d, sigh %s", (int)session->result, test_result_name(r));
		if (session->result == PARENT_OK) env_session_close(t->env, session);
		return false;
	}
	return true;
}

/*
 * Session i is due at first + (TEST_MANY - 1 - i) * spacing: the last one
 * triggered comes first. Each trigger is relative to the elapsed time read
 * just before it, so the deadlines lie as planned (plus the latency of one
 * RPC, far below the spacing).
 */
static void test_many(struct test *t)
{
	static struct signal_slot slots[TEST_MANY];
	static struct signal_context contexts[TEST_MANY];
	static struct connection sessions[TEST_MANY];
	struct signal_receiver receiver;
	if (signal_receiver_init(&receiver, slots, TEST_MANY) != SIGNAL_RECEIVER_OK) {
		TEST_FAIL(t, "many: no signal receiver");
		return;
	}
	unsigned open = 0;
	while (open < TEST_MANY) {
		signal_context_init(&contexts[open], &sessions[open]);
		if (!test_many_open(t, &sessions[open], &receiver, &contexts[open])) break;
		open++;
	}

	uint64_t first = test_elapsed(t) + TEST_MANY_LEAD_US;
	for (unsigned i = 0; i < open && !t->failed; i++) {
		uint64_t deadline = first + (TEST_MANY - 1 - i) * TEST_MANY_SPACING_US;
		uint64_t now = test_elapsed(t);
		enum timer_session_result r = TIMER_INVALID_DURATION;
		if (now < deadline)
			r = timer_session_trigger_once(CAP_CAST(timer_session, sessions[i].cap),
			                               deadline - now);
		if (r != TIMER_OK) TEST_FAIL(t, "many: trigger %u: %s", i, test_result_name(r));
	}
	for (unsigned n = 0; n < open && !t->failed; n++) {
		struct signal s = signal_receiver_wait(&receiver);
		unsigned index = (unsigned)((struct connection *)s.imprint - sessions);
		if (index != open - 1 - n || s.count != 1)
			TEST_FAIL(t, "many: signal %u from session %u (count %llu), expected session %u", n,
			          index, (unsigned long long)s.count, open - 1 - n);
	}
	if (!t->failed) log_info("%u sessions: timeouts in deadline order: ok", open);

	for (unsigned i = 0; i < open; i++) env_session_close(t->env, &sessions[i]);
	signal_receiver_destroy(&receiver);
}

/* ---- start ----------------------------------------------------------------------- */

int component_construct(struct env *env)
{
	static struct test test;
	struct test *t = &test;
	t->env = env;
	test_config(t);

	if (signal_receiver_init(&t->receiver, &t->slot, 1) != SIGNAL_RECEIVER_OK) {
		log_error("no signal receiver");
		return 1;
	}
	signal_context_init(&t->context, t);
	struct signal_context_cap_result managed =
	    signal_receiver_manage(&t->receiver, &t->context);
	if (managed.result != SIGNAL_RECEIVER_OK) {
		log_error("no signal context");
		return 1;
	}
	t->context_cap = managed.cap;

	if (timer_connection_init(&t->timer, env, NULL) != TIMER_CONNECTION_OK) {
		log_error("no Timer session");
		return 1;
	}
	switch (t->role) {
	case TEST_MEASURE:
		test_measure(t);
		break;
	case TEST_FLOOD:
		test_flood(t);
		break;
	case TEST_MANY_SESSIONS:
		test_many(t);
		break;
	case TEST_VANISH:
		test_vanish(t);
		/* gone without closing anything: the parent closes the session */
		return t->failed ? 1 : 0;
	}
	timer_connection_destroy(&t->timer);
	if (t->failed) return 1;
	log_info("all checks passed");
	return 0;
}
