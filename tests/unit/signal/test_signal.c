/* SPDX-License-Identifier: MIT */
/** \brief signals in one process: counting, contexts, fairness, dissolve, bad handles */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <base/signal.h>

#include "signal_checks.h"
#include "test_handles.h"
#include "unit_test.h"

enum { SLOTS = 8 };

struct fixture
{
	struct signal_receiver receiver;
	struct signal_slot slots[SLOTS];
};

static void fixture_init(struct fixture *f)
{
	CHECK_EQ(signal_receiver_init(&f->receiver, f->slots, SLOTS), SIGNAL_RECEIVER_OK);
}

static struct signal_context_cap manage(struct fixture *f, struct signal_context *context,
                                        void *imprint)
{
	return check_managed(&f->receiver, context, imprint);
}

static void expect_none(struct fixture *f)
{
	check_no_signal(signal_receiver_poll(&f->receiver));
}

TEST(poll_when_nothing_is_pending)
{
	struct fixture f;
	fixture_init(&f);
	expect_none(&f); /* no context at all */

	struct signal_context a;
	struct signal_context_cap cap = manage(&f, &a, &a);
	expect_none(&f); /* a context that nobody signalled */
	CHECK_EQ(signal_submit(cap, 0), SIGNAL_SUBMIT_OK);
	expect_none(&f); /* a count of 0 counts nothing */
	cap_close(cap.cap);
	signal_receiver_destroy(&f.receiver);
}

TEST(submits_coalesce_into_one_count)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context a;
	int tag;
	struct signal_context_cap cap = manage(&f, &a, &tag);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap, 2), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap, 3), SIGNAL_SUBMIT_OK);

	struct signal s = signal_receiver_poll(&f.receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK(s.context == &a);
	CHECK(s.imprint == &tag);
	CHECK_EQ_U(s.count, 6);
	expect_none(&f); /* delivered once, not again */

	/* later submits make a new signal; a blocking wait returns it at once */
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OK);
	s = signal_receiver_wait(&f.receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK_EQ_U(s.count, 1);

	/* the largest count of one submit */
	CHECK_EQ(signal_submit(cap, ~0u), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap, ~0u), SIGNAL_SUBMIT_OK);
	s = signal_receiver_poll(&f.receiver);
	CHECK_EQ_U(s.count, 2ull * ~0u);
	cap_close(cap.cap);
	signal_receiver_destroy(&f.receiver);
}

TEST(contexts_are_told_apart)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context contexts[3];
	struct signal_context_cap caps[3];
	char imprints[3];
	uint64_t const counts[3] = { 1, 20, 300 };
	for (int i = 0; i < 3; i++) caps[i] = manage(&f, &contexts[i], &imprints[i]);
	for (int i = 2; i >= 0; i--)
		for (uint64_t n = 0; n < counts[i]; n++)
			CHECK_EQ(signal_submit(caps[i], 1), SIGNAL_SUBMIT_OK);

	bool seen[3] = { false, false, false };
	for (int k = 0; k < 3; k++) {
		struct signal s = signal_receiver_poll(&f.receiver);
		CHECK_EQ(s.result, SIGNAL_OK);
		int i = (int)(s.context - contexts);
		CHECK(i >= 0 && i < 3);
		CHECK(!seen[i]);
		seen[i] = true;
		CHECK(s.imprint == &imprints[i]);
		CHECK_EQ_U(s.count, counts[i]);
	}
	expect_none(&f);
	for (int i = 0; i < 3; i++) cap_close(caps[i].cap);
	signal_receiver_destroy(&f.receiver);
}

TEST(copies_of_a_capability_count_into_the_same_context)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context a;
	struct signal_context_cap cap = manage(&f, &a, NULL);
	struct signal_context_cap copy = { cap_copy(cap.cap) };
	CHECK(cap_valid(copy.cap));
	CHECK(copy.cap.handle != cap.cap.handle);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OK);
	cap_close(cap.cap);
	/* closing one reference leaves the other working */
	CHECK_EQ(signal_submit(copy, 4), SIGNAL_SUBMIT_OK);
	struct signal s = signal_receiver_poll(&f.receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK_EQ_U(s.count, 5);
	cap_close(copy.cap);
	expect_none(&f);
	signal_receiver_destroy(&f.receiver);
}

TEST(a_busy_context_does_not_starve_the_others)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context contexts[3];
	struct signal_context_cap caps[3];
	for (int i = 0; i < 3; i++) {
		caps[i] = manage(&f, &contexts[i], NULL);
		CHECK_EQ(signal_submit(caps[i], 1), SIGNAL_SUBMIT_OK);
	}
	/* whichever comes first is signalled again at once: the others go first */
	struct signal first = signal_receiver_poll(&f.receiver);
	CHECK_EQ(first.result, SIGNAL_OK);
	int busy = (int)(first.context - contexts);
	CHECK_EQ(signal_submit(caps[busy], 1), SIGNAL_SUBMIT_OK);
	struct signal second = signal_receiver_poll(&f.receiver);
	CHECK_EQ(signal_submit(caps[busy], 1), SIGNAL_SUBMIT_OK);
	struct signal third = signal_receiver_poll(&f.receiver);
	CHECK_EQ(second.result, SIGNAL_OK);
	CHECK_EQ(third.result, SIGNAL_OK);
	CHECK(second.context != first.context);
	CHECK(third.context != first.context);
	CHECK(third.context != second.context);
	struct signal fourth = signal_receiver_poll(&f.receiver);
	CHECK(fourth.context == first.context);
	CHECK_EQ_U(fourth.count, 2);
	expect_none(&f);
	for (int i = 0; i < 3; i++) cap_close(caps[i].cap);
	signal_receiver_destroy(&f.receiver);
}

struct hammer
{
	struct signal_context_cap cap;
	int stop;
	unsigned long submitted;
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE))
		if (signal_submit(h->cap, 1) == SIGNAL_SUBMIT_OK) h->submitted++;
	return NULL;
}

TEST(a_hammered_context_does_not_starve_a_quiet_one)
{
	alarm(60);
	struct fixture f;
	fixture_init(&f);
	struct signal_context loud, quiet;
	struct hammer h = { manage(&f, &loud, NULL), 0, 0 };
	struct signal_context_cap quiet_cap = manage(&f, &quiet, NULL);
	pthread_t thread;
	CHECK_EQ(pthread_create(&thread, NULL, hammer_run, &h), 0);

	uint64_t loud_count = 0;
	for (int round = 0; round < 200; round++) {
		CHECK_EQ(signal_submit(quiet_cap, 1), SIGNAL_SUBMIT_OK);
		/* the loud context is always ready, yet the quiet one comes within 2 */
		bool quiet_seen = false;
		for (int i = 0; i < 2 && !quiet_seen; i++) {
			struct signal s = signal_receiver_wait(&f.receiver);
			CHECK_EQ(s.result, SIGNAL_OK);
			if (s.context == &quiet) {
				CHECK_EQ_U(s.count, 1);
				quiet_seen = true;
			} else {
				loud_count += s.count;
			}
		}
		CHECK(quiet_seen);
	}
	__atomic_store_n(&h.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	for (struct signal s; (s = signal_receiver_poll(&f.receiver)).result == SIGNAL_OK;) {
		CHECK(s.context == &loud);
		loud_count += s.count;
	}
	CHECK_EQ_U(loud_count, h.submitted);
	cap_close(h.cap.cap);
	cap_close(quiet_cap.cap);
	signal_receiver_destroy(&f.receiver);
}

TEST(dissolved_context_is_harmless)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context a, b;
	struct signal_context_cap cap_a = manage(&f, &a, NULL);
	struct signal_context_cap cap_b = manage(&f, &b, NULL);

	/* pending counts are discarded with the context */
	CHECK_EQ(signal_submit(cap_a, 3), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_receiver_dissolve(&f.receiver, &a), SIGNAL_RECEIVER_OK);
	expect_none(&f);

	/* later submits succeed and go nowhere; other contexts are unaffected */
	CHECK_EQ(signal_submit(cap_a, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap_b, 2), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap_a, 1), SIGNAL_SUBMIT_OK);
	struct signal s = signal_receiver_poll(&f.receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK(s.context == &b);
	CHECK_EQ_U(s.count, 2);
	expect_none(&f);

	/* dissolving again, or at another receiver, changes nothing */
	CHECK_EQ(signal_receiver_dissolve(&f.receiver, &a), SIGNAL_RECEIVER_NOT_MANAGED);
	struct fixture other;
	fixture_init(&other);
	CHECK_EQ(signal_receiver_dissolve(&other.receiver, &b), SIGNAL_RECEIVER_NOT_MANAGED);
	CHECK_EQ(signal_submit(cap_b, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ_U(signal_receiver_poll(&f.receiver).count, 1);

	/* managed anew, the context gets a new capability; the old one stays dead */
	struct signal_context_cap again = manage(&f, &a, NULL);
	CHECK_EQ(signal_submit(cap_a, 5), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(again, 7), SIGNAL_SUBMIT_OK);
	s = signal_receiver_poll(&f.receiver);
	CHECK(s.context == &a);
	CHECK_EQ_U(s.count, 7);
	expect_none(&f);

	cap_close(cap_a.cap);
	cap_close(cap_b.cap);
	cap_close(again.cap);
	signal_receiver_destroy(&other.receiver);
	signal_receiver_destroy(&f.receiver);
}

TEST(dissolve_between_kernel_event_and_delivery)
{
	/* a signal read into the FIFO and then dissolved is not delivered */
	struct fixture f;
	fixture_init(&f);
	struct signal_context a, b;
	struct signal_context_cap cap_a = manage(&f, &a, NULL);
	struct signal_context_cap cap_b = manage(&f, &b, NULL);
	CHECK_EQ(signal_submit(cap_a, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap_b, 1), SIGNAL_SUBMIT_OK);
	struct signal s = signal_receiver_poll(&f.receiver); /* reads both, delivers one */
	CHECK_EQ(s.result, SIGNAL_OK);
	struct signal_context *other = s.context == &a ? &b : &a;
	CHECK_EQ(signal_receiver_dissolve(&f.receiver, other), SIGNAL_RECEIVER_OK);
	expect_none(&f);
	cap_close(cap_a.cap);
	cap_close(cap_b.cap);
	signal_receiver_destroy(&f.receiver);
}

TEST(slots_bound_the_contexts)
{
	struct signal_receiver receiver;
	struct signal_slot slots[2];
	CHECK_EQ(signal_receiver_init(&receiver, slots, 2), SIGNAL_RECEIVER_OK);
	struct signal_context contexts[3];
	for (int i = 0; i < 3; i++) signal_context_init(&contexts[i], NULL);
	struct signal_context_cap_result r0 = signal_receiver_manage(&receiver, &contexts[0]);
	struct signal_context_cap_result r1 = signal_receiver_manage(&receiver, &contexts[1]);
	struct signal_context_cap_result r2 = signal_receiver_manage(&receiver, &contexts[2]);
	CHECK_EQ(r0.result, SIGNAL_RECEIVER_OK);
	CHECK_EQ(r1.result, SIGNAL_RECEIVER_OK);
	CHECK_EQ(r2.result, SIGNAL_RECEIVER_NO_RESOURCES);
	CHECK(!cap_valid(r2.cap.cap));
	CHECK(contexts[2].receiver == NULL);

	/* a freed slot is reused; the old capability does not reach its new context */
	CHECK_EQ(signal_submit(r0.cap, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_receiver_dissolve(&receiver, &contexts[0]), SIGNAL_RECEIVER_OK);
	r2 = signal_receiver_manage(&receiver, &contexts[2]);
	CHECK_EQ(r2.result, SIGNAL_RECEIVER_OK);
	CHECK_EQ(signal_submit(r0.cap, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(r2.cap, 9), SIGNAL_SUBMIT_OK);
	struct signal s = signal_receiver_poll(&receiver);
	CHECK(s.context == &contexts[2]);
	CHECK_EQ_U(s.count, 9);
	CHECK_EQ(signal_receiver_poll(&receiver).result, SIGNAL_NONE);

	cap_close(r0.cap.cap);
	cap_close(r1.cap.cap);
	cap_close(r2.cap.cap);
	signal_receiver_destroy(&receiver);
}

TEST(destroy_dissolves_every_context)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context a;
	struct signal_context_cap cap = manage(&f, &a, NULL);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OK);
	signal_receiver_destroy(&f.receiver);
	CHECK(a.receiver == NULL);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OK); /* harmless */

	/* the context can be managed by a new receiver */
	fixture_init(&f);
	struct signal_context_cap again = manage(&f, &a, NULL);
	CHECK_EQ(signal_submit(again, 2), SIGNAL_SUBMIT_OK);
	CHECK_EQ_U(signal_receiver_poll(&f.receiver).count, 2);
	cap_close(cap.cap);
	cap_close(again.cap);
	signal_receiver_destroy(&f.receiver);
}

TEST(submit_refuses_bad_handles)
{
	CHECK_EQ(signal_submit(CAP_INVALID(signal_context), 1), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { -42 } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { 1 << 30 } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);

	/* a closed capability */
	struct fixture f;
	fixture_init(&f);
	struct signal_context a;
	struct signal_context_cap cap = manage(&f, &a, NULL);
	cap_close(cap.cap);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_INVALID_CAP);
	expect_none(&f);

	/* a pipe would take the 8 bytes: refused before writing */
	int pipe_ends[2];
	CHECK_EQ(pipe2(pipe_ends, O_NONBLOCK), 0);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { pipe_ends[1] } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { pipe_ends[0] } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);
	CHECK(test_handles_nothing_readable(pipe_ends[0]));
	close(pipe_ends[0]);
	close(pipe_ends[1]);

	/* so would a socket, e.g. an RPC capability */
	int types[] = { SOCK_SEQPACKET, SOCK_STREAM, SOCK_DGRAM };
	for (int i = 0; i < 3; i++) {
		int pair[2];
		CHECK_EQ(socketpair(AF_UNIX, types[i] | SOCK_NONBLOCK, 0, pair), 0);
		CHECK_EQ(signal_submit((struct signal_context_cap){ { pair[0] } }, 1),
		         SIGNAL_SUBMIT_INVALID_CAP);
		CHECK(test_handles_nothing_readable(pair[1]));
		close(pair[0]);
		close(pair[1]);
	}

	/* a file and a device */
	int null = open("/dev/null", O_WRONLY);
	CHECK(null >= 0);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { null } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);
	close(null);
	int file = memfd_create("not-a-signal", 0);
	CHECK(file >= 0);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { file } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(lseek(file, 0, SEEK_END), 0);
	close(file);

	/* anonymous-inode files that are no eventfd refuse the write */
	int epoll = epoll_create1(0);
	CHECK(epoll >= 0);
	CHECK_EQ(signal_submit((struct signal_context_cap){ { epoll } }, 1),
	         SIGNAL_SUBMIT_INVALID_CAP);
	close(epoll);
	signal_receiver_destroy(&f.receiver);
}

TEST(submit_reports_a_full_counter)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context a;
	struct signal_context_cap cap = manage(&f, &a, NULL);
	/* bring the counter next to its maximum (2^64 - 2) directly */
	uint64_t near_full = 0xfffffffffffffffeull - 5;
	CHECK_EQ(write(cap.cap.handle, &near_full, sizeof(near_full)), sizeof(near_full));
	CHECK_EQ(signal_submit(cap, 5), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OVERFLOW); /* not blocked, not counted */
	struct signal s = signal_receiver_poll(&f.receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK_EQ_U(s.count, 0xfffffffffffffffeull);
	CHECK_EQ(signal_submit(cap, 1), SIGNAL_SUBMIT_OK); /* room again */
	CHECK_EQ_U(signal_receiver_poll(&f.receiver).count, 1);
	cap_close(cap.cap);
	signal_receiver_destroy(&f.receiver);
}

TEST_EXPECT_DEATH(managing_a_managed_context_panics)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_context a;
	struct signal_context_cap cap = manage(&f, &a, NULL);
	(void)cap;
	struct signal_context_cap_result r = signal_receiver_manage(&f.receiver, &a);
	(void)r;
}
