/* SPDX-License-Identifier: MIT */
/**
 * \brief the entrypoint's signal handler (rpc_entrypoint_set_signal_handler):
 *        a signal submitted to a context of the receiver makes the serving
 *        thread call the handler, between requests it serves as well
 */

#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <base/rpc_entrypoint.h>
#include <base/signal.h>

#include "sleeping.h"
#include "unit_test.h"

enum { CONTEXTS = 2, CALLS = 50 };

struct signal_test
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[4];
	struct signal_receiver receiver;
	struct signal_slot slots[CONTEXTS];
	struct signal_context contexts[CONTEXTS];
	struct signal_context_cap caps[CONTEXTS];
	bool take_one;    /* the handler takes one signal per call, not all */
	pthread_t server; /* the thread that serves */
	pid_t server_tid; /* its kernel id, published before it sleeps */
	unsigned calls;   /* of the handler */
	bool elsewhere;   /* a call came in another thread than `server` */
	uint64_t counts[CONTEXTS];
	unsigned requests; /* served by signal_test_dispatch */
};

static void signal_test_handler(void *argument)
{
	struct signal_test *t = argument;
	__atomic_add_fetch(&t->calls, 1, __ATOMIC_RELEASE);
	if (!pthread_equal(pthread_self(), t->server)) t->elsewhere = true;
	for (;;) {
		struct signal s = signal_receiver_poll(&t->receiver);
		if (s.result != SIGNAL_OK) return;
		unsigned i = (unsigned)(s.context - t->contexts);
		CHECK(i < CONTEXTS && s.imprint == t);
		t->counts[i] += s.count;
		if (t->take_one) return;
	}
}

static void signal_test_init(struct signal_test *t)
{
	memset(t, 0, sizeof(*t));
	t->server = pthread_self();
	CHECK_EQ(rpc_entrypoint_init(&t->ep, t->endpoints, 4), RPC_ENTRYPOINT_OK);
	CHECK_EQ(signal_receiver_init(&t->receiver, t->slots, CONTEXTS), SIGNAL_RECEIVER_OK);
	for (unsigned i = 0; i < CONTEXTS; i++) {
		signal_context_init(&t->contexts[i], t);
		struct signal_context_cap_result r =
		    signal_receiver_manage(&t->receiver, &t->contexts[i]);
		CHECK_EQ(r.result, SIGNAL_RECEIVER_OK);
		t->caps[i] = r.cap;
	}
}

static void signal_test_set(struct signal_test *t)
{
	CHECK_EQ(rpc_entrypoint_set_signal_handler(&t->ep, &t->receiver, signal_test_handler, t),
	         RPC_ENTRYPOINT_OK);
}

static void signal_test_destroy(struct signal_test *t)
{
	for (unsigned i = 0; i < CONTEXTS; i++) cap_close(t->caps[i].cap);
	rpc_entrypoint_destroy(&t->ep);
	signal_receiver_destroy(&t->receiver);
}

/* whether the entrypoint's wait set (what hybrid_entrypoint_handle gives) is readable */
static bool signal_test_ready(struct signal_test *t)
{
	struct pollfd p = { t->ep.event_handle, POLLIN, 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* serve with blocking waits until the handler ran `calls` times */
static void *signal_test_serve(void *argument)
{
	struct signal_test *t = argument;
	t->server = pthread_self(); /* before it serves: the handler compares */
	__atomic_store_n(&t->server_tid, test_thread_id(), __ATOMIC_RELEASE);
	while (__atomic_load_n(&t->calls, __ATOMIC_ACQUIRE) == 0)
		(void)rpc_entrypoint_serve_once(&t->ep, -1);
	return NULL;
}

TEST(a_signal_calls_the_handler_in_the_serving_thread)
{
	alarm(20); /* a broken entrypoint would serve or sleep for ever: fail instead */
	static struct signal_test t;
	signal_test_init(&t);
	signal_test_set(&t);
	/* nothing pending: nothing served, the wait set is not readable */
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 0);
	CHECK(!signal_test_ready(&t));
	CHECK_EQ(t.calls, 0);

	/* another thread serves and sleeps in the entrypoint; the signal wakes it */
	pthread_t server;
	CHECK_EQ(pthread_create(&server, NULL, signal_test_serve, &t), 0);
	CHECK(test_wait_until_sleeping(&t.server_tid));
	CHECK_EQ(signal_submit(t.caps[0], 3), SIGNAL_SUBMIT_OK);
	pthread_join(server, NULL);
	CHECK_EQ(t.calls, 1);
	CHECK(!t.elsewhere);
	CHECK_EQ(t.counts[0], 3);
	CHECK_EQ(t.counts[1], 0);

	/* the handler took everything: nothing is pending any more */
	t.server = pthread_self();
	CHECK(!signal_test_ready(&t));
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 0);
	CHECK_EQ(t.calls, 1);

	/* each new signal makes the wait set readable until it is served */
	CHECK_EQ(signal_submit(t.caps[1], 1), SIGNAL_SUBMIT_OK);
	CHECK(signal_test_ready(&t));
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1);
	CHECK_EQ(t.calls, 2);
	CHECK_EQ(t.counts[1], 1);
	CHECK(!signal_test_ready(&t));
	CHECK(!t.elsewhere);
	signal_test_destroy(&t);
}

TEST(signals_of_several_contexts_are_taken_in_one_call)
{
	static struct signal_test t;
	signal_test_init(&t);
	signal_test_set(&t);
	CHECK_EQ(signal_submit(t.caps[0], 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(t.caps[1], 2), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(t.caps[0], 4), SIGNAL_SUBMIT_OK);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1); /* one event: the receiver's */
	CHECK_EQ(t.calls, 1);
	CHECK_EQ(t.counts[0], 5);
	CHECK_EQ(t.counts[1], 2);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 0);
	signal_test_destroy(&t);
}

TEST(a_signal_pending_before_the_handler_is_set_is_served)
{
	static struct signal_test t;
	signal_test_init(&t);
	CHECK_EQ(signal_submit(t.caps[0], 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 0); /* no handler: not the entrypoint's */
	signal_test_set(&t);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1);
	CHECK_EQ(t.calls, 1);
	CHECK_EQ(t.counts[0], 1);
	signal_test_destroy(&t);
}

/*
 * A handler that leaves signals: those the receiver had not read from the
 * kernel yet keep the entrypoint ready and call it again; those it had
 * read already (one wait takes in all that are there) wait for the next
 * signal. Hence the contract: take them all.
 */
TEST(a_handler_that_takes_one_signal_leaves_the_others_for_the_next_signal)
{
	static struct signal_test t;
	signal_test_init(&t);
	signal_test_set(&t);
	t.take_one = true;
	CHECK_EQ(signal_submit(t.caps[0], 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(t.caps[1], 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1);
	CHECK_EQ(t.calls, 1);
	CHECK_EQ(t.counts[0] + t.counts[1], 1);
	/* the other one is the receiver's now, not the kernel's: no call for it */
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 0);
	CHECK_EQ(t.calls, 1);
	/* the next signal brings it */
	CHECK_EQ(signal_submit(t.caps[0], 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1);
	CHECK_EQ(t.calls, 2);
	CHECK_EQ(t.counts[0] + t.counts[1], 2);
	signal_test_destroy(&t);
}

/* ---- requests and signals in one thread ------------------------------------------ */

static enum rpc_result signal_test_dispatch(void const *ops, void *state,
                                            struct rpc_msg *request, struct rpc_msg *reply)
{
	(void)ops;
	(void)request;
	struct signal_test *t = state;
	if (!pthread_equal(pthread_self(), t->server)) t->elsewhere = true;
	t->requests++;
	rpc_msg_init(reply, 0);
	return RPC_OK;
}

struct signal_test_client
{
	struct cap cap;
	struct signal_context_cap signal;
	unsigned failed;
};

/* a signal, then a call (which waits for its reply), CALLS times */
static void *signal_test_client_run(void *argument)
{
	struct signal_test_client *c = argument;
	for (unsigned i = 0; i < CALLS; i++) {
		if (signal_submit(c->signal, 1) != SIGNAL_SUBMIT_OK) c->failed++;
		struct rpc_msg msg;
		rpc_msg_init(&msg, 0);
		if (rpc_call(c->cap, &msg) != RPC_OK) c->failed++;
	}
	return NULL;
}

TEST(requests_and_signals_are_served_by_one_thread)
{
	alarm(20); /* as above */
	static struct signal_test t;
	signal_test_init(&t);
	signal_test_set(&t);
	struct rpc_object object;
	memset(&object, 0, sizeof(object));
	rpc_entrypoint_manage(&t.ep, &object, signal_test_dispatch, NULL, &t);
	struct rpc_entrypoint_cap_result cap = rpc_object_cap(&object);
	CHECK_EQ(cap.result, RPC_ENTRYPOINT_OK);

	struct signal_test_client client = { cap.cap, t.caps[0], 0 };
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, signal_test_client_run, &client), 0);
	while (t.requests < CALLS) (void)rpc_entrypoint_serve_once(&t.ep, -1);
	/* every signal was submitted before its call: all are there once the calls are,
	 * without waiting for more */
	while (rpc_entrypoint_serve_once(&t.ep, 0) > 0) {}
	pthread_join(thread, NULL);
	CHECK_EQ(client.failed, 0);
	CHECK_EQ(t.requests, CALLS); /* none served twice, after the drain too */
	CHECK_EQ(t.counts[0], CALLS);
	CHECK(t.calls >= 1 && t.calls <= CALLS);
	CHECK(!t.elsewhere);
	cap_close(cap.cap);
	rpc_entrypoint_dissolve(&t.ep, &object);
	signal_test_destroy(&t);
}

TEST_EXPECT_DEATH(one_receiver_per_entrypoint)
{
	static struct signal_test t;
	signal_test_init(&t);
	signal_test_set(&t);
	enum rpc_entrypoint_result r =
	    rpc_entrypoint_set_signal_handler(&t.ep, &t.receiver, signal_test_handler, &t);
	(void)r; /* not reached: a second receiver is a bug */
}
