/* SPDX-License-Identifier: MIT */
/** \brief blocking waits: woken by submits from other threads, cancelled by blockers */

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include <base/signal.h>

#include "sleeping.h"
#include "unit_test.h"

enum { SLOTS = 4 };

struct waiter
{
	struct signal_receiver receiver;
	struct signal_slot slots[SLOTS];
	struct signal_context context;
	struct signal_context_cap cap;
	struct blocker blocker;
	bool cancellable;
	pid_t tid;
	struct signal signal;
};

static void waiter_init(struct waiter *w, bool cancellable)
{
	CHECK_EQ(signal_receiver_init(&w->receiver, w->slots, SLOTS), SIGNAL_RECEIVER_OK);
	signal_context_init(&w->context, w);
	struct signal_context_cap_result r = signal_receiver_manage(&w->receiver, &w->context);
	CHECK_EQ(r.result, SIGNAL_RECEIVER_OK);
	w->cap = r.cap;
	blocker_init(&w->blocker);
	w->cancellable = cancellable;
	w->tid = 0;
	w->signal = (struct signal){ SIGNAL_NONE, NULL, NULL, 0 };
}

static void waiter_destroy(struct waiter *w)
{
	cap_close(w->cap.cap);
	signal_receiver_destroy(&w->receiver);
}

static void *waiter_run(void *arg)
{
	struct waiter *w = arg;
	__atomic_store_n(&w->tid, test_thread_id(), __ATOMIC_RELEASE);
	w->signal = w->cancellable ? signal_receiver_wait_cancellable(&w->receiver, &w->blocker)
	                           : signal_receiver_wait(&w->receiver);
	return NULL;
}

TEST(a_submit_wakes_a_blocked_wait)
{
	alarm(20);
	struct waiter w;
	waiter_init(&w, false);
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, waiter_run, &w), 0);
	CHECK(test_wait_until_sleeping(&w.tid));
	CHECK_EQ(__atomic_load_n(&w.receiver.busy, __ATOMIC_ACQUIRE), 1);
	CHECK_EQ(signal_submit(w.cap, 3), SIGNAL_SUBMIT_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(w.signal.result, SIGNAL_OK);
	CHECK(w.signal.context == &w.context);
	CHECK(w.signal.imprint == &w);
	CHECK_EQ_U(w.signal.count, 3);
	waiter_destroy(&w);
}

TEST(cancel_a_blocked_wait)
{
	alarm(20);
	struct waiter w;
	waiter_init(&w, true);
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, waiter_run, &w), 0);
	CHECK(test_wait_until_sleeping(&w.tid));
	CHECK_EQ(__atomic_load_n(&w.receiver.busy, __ATOMIC_ACQUIRE), 1);
	blocker_cancel(&w.blocker);
	pthread_join(thread, NULL);
	CHECK_EQ(w.signal.result, SIGNAL_CANCELLED);
	CHECK(w.signal.context == NULL);

	/* the receiver works on; nothing was consumed by the cancelled wait */
	CHECK_EQ(signal_submit(w.cap, 2), SIGNAL_SUBMIT_OK);
	blocker_reset(&w.blocker);
	struct signal s = signal_receiver_wait_cancellable(&w.receiver, &w.blocker);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK_EQ_U(s.count, 2);
	waiter_destroy(&w);
}

TEST(cancel_before_the_wait_is_not_lost)
{
	alarm(20);
	struct waiter w;
	waiter_init(&w, true);
	blocker_cancel(&w.blocker);
	struct signal s = signal_receiver_wait_cancellable(&w.receiver, &w.blocker);
	CHECK_EQ(s.result, SIGNAL_CANCELLED);

	/* cancellation comes first: pending signals stay pending */
	CHECK_EQ(signal_submit(w.cap, 1), SIGNAL_SUBMIT_OK);
	s = signal_receiver_wait_cancellable(&w.receiver, &w.blocker);
	CHECK_EQ(s.result, SIGNAL_CANCELLED);
	CHECK_EQ(signal_receiver_poll(&w.receiver).count, 1);
	waiter_destroy(&w);
}

TEST(cancel_races_with_the_wait)
{
	alarm(120);
	struct waiter w;
	waiter_init(&w, true);
	/* a cancel at any moment of the call: it must return, never hang */
	for (unsigned i = 0; i < 2000; i++) {
		blocker_reset(&w.blocker);
		pthread_t thread;
		CHECK_EQ(pthread_create(&thread, NULL, waiter_run, &w), 0);
		if (i % 2) {
			for (unsigned spin = 0; spin < i % 64; spin++) sched_yield();
		} else {
			/* aim at the moment between entering the wait and sleeping */
			while (!__atomic_load_n(&w.receiver.busy, __ATOMIC_SEQ_CST)) {}
		}
		blocker_cancel(&w.blocker);
		pthread_join(thread, NULL);
		CHECK_EQ(w.signal.result, SIGNAL_CANCELLED);
	}
	waiter_destroy(&w);
}

TEST(cancel_races_with_a_submit)
{
	alarm(120);
	struct waiter w;
	waiter_init(&w, true);
	/* either the signal is delivered, or the wait is cancelled and it stays pending */
	uint64_t delivered = 0;
	for (unsigned i = 0; i < 2000; i++) {
		blocker_reset(&w.blocker);
		pthread_t thread;
		CHECK_EQ(pthread_create(&thread, NULL, waiter_run, &w), 0);
		for (unsigned spin = 0; spin < i % 32; spin++) sched_yield();
		CHECK_EQ(signal_submit(w.cap, 1), SIGNAL_SUBMIT_OK);
		blocker_cancel(&w.blocker);
		pthread_join(thread, NULL);
		if (w.signal.result == SIGNAL_OK)
			delivered += w.signal.count;
		else
			CHECK_EQ(w.signal.result, SIGNAL_CANCELLED);
	}
	for (struct signal s; (s = signal_receiver_poll(&w.receiver)).result == SIGNAL_OK;)
		delivered += s.count;
	CHECK_EQ_U(delivered, 2000);
	waiter_destroy(&w);
}

TEST(dissolve_while_another_thread_waits)
{
	alarm(20);
	struct waiter w;
	waiter_init(&w, false);
	struct signal_context second;
	signal_context_init(&second, NULL);
	struct signal_context_cap_result r = signal_receiver_manage(&w.receiver, &second);
	CHECK_EQ(r.result, SIGNAL_RECEIVER_OK);

	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, waiter_run, &w), 0);
	CHECK(test_wait_until_sleeping(&w.tid));
	/* the sleeping wait is not disturbed by dissolving, nor by dead submits */
	CHECK_EQ(signal_receiver_dissolve(&w.receiver, &w.context), SIGNAL_RECEIVER_OK);
	CHECK_EQ(signal_submit(w.cap, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(r.cap, 4), SIGNAL_SUBMIT_OK);
	pthread_join(thread, NULL);
	CHECK_EQ(w.signal.result, SIGNAL_OK);
	CHECK(w.signal.context == &second);
	CHECK_EQ_U(w.signal.count, 4);
	CHECK_EQ(signal_receiver_poll(&w.receiver).result, SIGNAL_NONE);
	cap_close(r.cap.cap);
	waiter_destroy(&w);
}

TEST_EXPECT_DEATH(two_threads_waiting_on_one_receiver_panics)
{
	alarm(20);
	struct waiter w;
	waiter_init(&w, false);
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, waiter_run, &w), 0);
	CHECK(test_wait_until_sleeping(&w.tid));
	struct signal s = signal_receiver_poll(&w.receiver);
	(void)s;
}
