/* SPDX-License-Identifier: MIT */
/**
 * \brief signal_receiver_poll_taken: the signals an earlier wait or poll took
 *        in, without another look at the kernel
 */

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <base/signal.h>

#include "signal_checks.h"
#include "sleeping.h"
#include "test_syscall_deny.h"
#include "unit_test.h"

enum { CONTEXTS = 3 };

struct fixture
{
	struct signal_receiver receiver;
	struct signal_slot slots[CONTEXTS];
	struct signal_context contexts[CONTEXTS];
	struct signal_context_cap caps[CONTEXTS];
	pid_t tid; /* of a waiting thread */
	struct signal waited;
};

static void fixture_init(struct fixture *f)
{
	CHECK_EQ(signal_receiver_init(&f->receiver, f->slots, CONTEXTS), SIGNAL_RECEIVER_OK);
	for (unsigned i = 0; i < CONTEXTS; i++)
		f->caps[i] = check_managed(&f->receiver, &f->contexts[i], &f->caps[i]);
	f->tid = 0;
}

static void fixture_destroy(struct fixture *f)
{
	for (unsigned i = 0; i < CONTEXTS; i++) cap_close(f->caps[i].cap);
	signal_receiver_destroy(&f->receiver);
}

/* the index of a delivered signal's context, checked to be one of ours with its imprint */
static unsigned signal_index(struct fixture *f, struct signal s)
{
	CHECK_EQ(s.result, SIGNAL_OK);
	unsigned i = (unsigned)(s.context - f->contexts);
	CHECK(i < CONTEXTS);
	CHECK(s.imprint == &f->caps[i]);
	return i;
}

/* signal_index, and the count checked */
static unsigned expect_signal(struct fixture *f, struct signal s, uint64_t count)
{
	unsigned i = signal_index(f, s);
	CHECK_EQ_U(s.count, count);
	return i;
}

TEST(nothing_taken_in_is_nothing)
{
	struct fixture f;
	fixture_init(&f);
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	/* pending at the kernel, but not taken in yet: poll_taken does not look */
	CHECK_EQ(signal_submit(f.caps[0], 1), SIGNAL_SUBMIT_OK);
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	expect_signal(&f, signal_receiver_poll(&f.receiver), 1);
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	fixture_destroy(&f);
}

TEST(the_rest_of_a_look_in_order_and_then_none)
{
	struct fixture f;
	fixture_init(&f);
	for (unsigned i = 0; i < CONTEXTS; i++)
		CHECK_EQ(signal_submit(f.caps[i], i + 1), SIGNAL_SUBMIT_OK);
	bool seen[CONTEXTS] = { false };
	/* the poll takes in all three and delivers one, poll_taken the two others */
	for (unsigned n = 0; n < CONTEXTS; n++) {
		struct signal s = n == 0 ? signal_receiver_poll(&f.receiver)
		                         : signal_receiver_poll_taken(&f.receiver);
		unsigned i = signal_index(&f, s);
		CHECK(!seen[i]);
		CHECK_EQ_U(s.count, i + 1);
		seen[i] = true;
	}
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	check_no_signal(signal_receiver_poll(&f.receiver));
	fixture_destroy(&f);
}

TEST(signals_after_the_look_wait_for_the_next_poll)
{
	struct fixture f;
	fixture_init(&f);
	CHECK_EQ(signal_submit(f.caps[0], 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(f.caps[1], 1), SIGNAL_SUBMIT_OK);
	unsigned first = expect_signal(&f, signal_receiver_poll(&f.receiver), 1);
	/* a new context and more for a taken one, after the look */
	CHECK_EQ(signal_submit(f.caps[2], 5), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(f.caps[1 - first], 2), SIGNAL_SUBMIT_OK);
	/* only what the look took in: the other one, with its count of then */
	CHECK_EQ(expect_signal(&f, signal_receiver_poll_taken(&f.receiver), 1), 1 - first);
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	/* nothing lost: the next poll finds the rest */
	uint64_t counts[CONTEXTS] = { 0 };
	struct signal s;
	while ((s = signal_receiver_poll(&f.receiver)).result == SIGNAL_OK)
		counts[signal_index(&f, s)] += s.count;
	CHECK_EQ(counts[2], 5);
	CHECK_EQ(counts[1 - first], 2);
	CHECK_EQ(counts[first], 0);
	fixture_destroy(&f);
}

TEST(after_a_wait_too)
{
	struct fixture f;
	fixture_init(&f);
	CHECK_EQ(signal_submit(f.caps[1], 3), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(f.caps[2], 3), SIGNAL_SUBMIT_OK);
	unsigned first = expect_signal(&f, signal_receiver_wait(&f.receiver), 3);
	CHECK(first == 1 || first == 2);
	CHECK_EQ(expect_signal(&f, signal_receiver_poll_taken(&f.receiver), 3), 3 - first);
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	fixture_destroy(&f);
}

TEST(no_system_call)
{
	struct fixture f;
	fixture_init(&f);
	for (unsigned i = 0; i < CONTEXTS; i++)
		CHECK_EQ(signal_submit(f.caps[i], 1), SIGNAL_SUBMIT_OK);
	expect_signal(&f, signal_receiver_poll(&f.receiver), 1);
	/* a look at the kernel fails from now on (a poll panics then); taking does not look */
	long const denied[] = { SYS_epoll_wait, SYS_epoll_pwait, SYS_read };
	CHECK(test_syscall_deny(denied, 3));
	expect_signal(&f, signal_receiver_poll_taken(&f.receiver), 1);
	expect_signal(&f, signal_receiver_poll_taken(&f.receiver), 1);
	check_no_signal(signal_receiver_poll_taken(&f.receiver));
	fixture_destroy(&f);
}

static void *fixture_wait(void *argument)
{
	struct fixture *f = argument;
	__atomic_store_n(&f->tid, test_thread_id(), __ATOMIC_RELEASE);
	f->waited = signal_receiver_wait(&f->receiver);
	return NULL;
}

TEST_EXPECT_DEATH(poll_taken_while_another_thread_waits_panics)
{
	alarm(20);
	static struct fixture f;
	fixture_init(&f);
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, fixture_wait, &f), 0);
	CHECK(test_wait_until_sleeping(&f.tid));
	struct signal s = signal_receiver_poll_taken(&f.receiver);
	(void)s;
}
