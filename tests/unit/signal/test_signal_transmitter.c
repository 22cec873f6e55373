/* SPDX-License-Identifier: MIT */
/**
 * \brief signal transmitters: a capability checked once (signal_transmitter_init),
 *        then submitted to without the check; refused ones are never written to
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <base/signal.h>

#include "signal_checks.h"
#include "test_handles.h"
#include "test_syscall_deny.h"
#include "unit_test.h"

enum { SLOTS = 4 };

struct fixture
{
	struct signal_receiver receiver;
	struct signal_slot slots[SLOTS];
	struct signal_context context;
	struct signal_context_cap cap; /* the context's first capability, ours */
};

static void fixture_init(struct fixture *f)
{
	CHECK_EQ(signal_receiver_init(&f->receiver, f->slots, SLOTS), SIGNAL_RECEIVER_OK);
	f->cap = check_managed(&f->receiver, &f->context, f);
}

static void fixture_destroy(struct fixture *f)
{
	cap_close(f->cap.cap);
	signal_receiver_destroy(&f->receiver);
}

/* a copy of the context's capability, for a transmitter to own */
static struct signal_context_cap fixture_copy(struct fixture *f)
{
	struct signal_context_cap copy = { cap_copy(f->cap.cap) };
	CHECK(cap_valid(copy.cap));
	return copy;
}

/* the count of the next signal, 0 when none is pending */
static uint64_t fixture_count(struct fixture *f)
{
	struct signal s = signal_receiver_poll(&f->receiver);
	if (s.result != SIGNAL_OK) return 0;
	CHECK(s.context == &f->context);
	return s.count;
}

TEST(a_checked_transmitter_counts_like_submit)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_transmitter t;
	CHECK_EQ(signal_transmitter_init(&t, fixture_copy(&f)), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_transmitter_submit(&t, 0), SIGNAL_SUBMIT_OK); /* counts nothing */
	CHECK_EQ(fixture_count(&f), 0);
	CHECK_EQ(signal_transmitter_submit(&t, 2), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_transmitter_submit(&t, 3), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_submit(f.cap, 1), SIGNAL_SUBMIT_OK); /* the same context */
	CHECK_EQ_U(fixture_count(&f), 6);
	CHECK_EQ(fixture_count(&f), 0);
	signal_transmitter_destroy(&t);
	fixture_destroy(&f);
}

TEST(submits_after_the_check_need_no_fstat)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_transmitter t;
	CHECK_EQ(signal_transmitter_init(&t, fixture_copy(&f)), SIGNAL_SUBMIT_OK);

	/* the check is done: without fstat the transmitter still submits, signal_submit cannot */
	long const denied[] = { SYS_fstat };
	CHECK(test_syscall_deny(denied, 1));
	CHECK_EQ(signal_submit(f.cap, 1), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(fixture_count(&f), 0);
	CHECK_EQ(signal_transmitter_submit(&t, 4), SIGNAL_SUBMIT_OK);
	CHECK_EQ_U(fixture_count(&f), 4);

	/* and a transmitter checked now refuses: the check is its init's */
	struct signal_transmitter late;
	CHECK_EQ(signal_transmitter_init(&late, fixture_copy(&f)), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(signal_transmitter_submit(&late, 1), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(fixture_count(&f), 0);
	signal_transmitter_destroy(&late);
	signal_transmitter_destroy(&t);
	fixture_destroy(&f);
}

TEST(a_refused_handle_is_never_written_to)
{
	/* a pipe and sockets would take the 8 bytes */
	int pipe_ends[2];
	CHECK_EQ(pipe2(pipe_ends, O_NONBLOCK), 0);
	int pair[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, pair), 0);
	int stream[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, stream), 0);
	int written[] = { pipe_ends[1], pair[0], stream[0] };
	int read_side[] = { pipe_ends[0], pair[1], stream[1] };
	for (unsigned i = 0; i < 3; i++) {
		struct signal_transmitter t;
		CHECK_EQ(signal_transmitter_init(&t, (struct signal_context_cap){ { written[i] } }),
		         SIGNAL_SUBMIT_INVALID_CAP);
		for (unsigned n = 0; n < 3; n++)
			CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_INVALID_CAP);
		CHECK_EQ(signal_transmitter_submit(&t, 0), SIGNAL_SUBMIT_INVALID_CAP);
		CHECK(test_handles_nothing_readable(read_side[i]));
		/* the transmitter owns what it was given, refused or not */
		CHECK(test_handles_open(written[i]));
		signal_transmitter_destroy(&t);
		CHECK(!test_handles_open(written[i]));
		close(read_side[i]);
	}
}

TEST(invalid_and_closed_capabilities_are_refused)
{
	struct signal_transmitter t;
	CHECK_EQ(signal_transmitter_init(&t, CAP_INVALID(signal_context)),
	         SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_INVALID_CAP);
	signal_transmitter_destroy(&t); /* nothing to close */

	struct fixture f;
	fixture_init(&f);
	struct signal_context_cap closed = fixture_copy(&f);
	cap_close(closed.cap);
	CHECK_EQ(signal_transmitter_init(&t, closed), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(fixture_count(&f), 0);
	t = SIGNAL_TRANSMITTER_INVALID; /* the closed handle is not ours to close again */
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_INVALID_CAP);
	fixture_destroy(&f);
}

TEST(destroy_closes_and_empties_the_transmitter)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_transmitter t;
	struct signal_context_cap copy = fixture_copy(&f);
	CHECK_EQ(signal_transmitter_init(&t, copy), SIGNAL_SUBMIT_OK);
	signal_transmitter_destroy(&t);
	CHECK(!test_handles_open(copy.cap.handle));
	CHECK(!cap_valid(t.cap.cap));
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_INVALID_CAP);
	CHECK_EQ(fixture_count(&f), 0);
	signal_transmitter_destroy(&t); /* again: harmless */

	/* and it takes a capability anew */
	CHECK_EQ(signal_transmitter_init(&t, fixture_copy(&f)), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(fixture_count(&f), 1);
	signal_transmitter_destroy(&t);
	fixture_destroy(&f);
}

TEST(a_dissolved_context_takes_submits_without_effect)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_transmitter t;
	CHECK_EQ(signal_transmitter_init(&t, fixture_copy(&f)), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_receiver_dissolve(&f.receiver, &f.context), SIGNAL_RECEIVER_OK);
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_receiver_poll(&f.receiver).result, SIGNAL_NONE);
	signal_transmitter_destroy(&t);
	fixture_destroy(&f);
}

TEST(a_full_counter_is_reported)
{
	struct fixture f;
	fixture_init(&f);
	struct signal_transmitter t;
	CHECK_EQ(signal_transmitter_init(&t, fixture_copy(&f)), SIGNAL_SUBMIT_OK);
	uint64_t near_full = 0xfffffffffffffffeull - 5; /* the eventfd's maximum less 5 */
	CHECK_EQ(write(f.cap.cap.handle, &near_full, sizeof(near_full)), sizeof(near_full));
	CHECK_EQ(signal_transmitter_submit(&t, 5), SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_OVERFLOW);
	CHECK_EQ_U(fixture_count(&f), 0xfffffffffffffffeull);
	CHECK_EQ(signal_transmitter_submit(&t, 1), SIGNAL_SUBMIT_OK);
	CHECK_EQ(fixture_count(&f), 1);
	signal_transmitter_destroy(&t);
	fixture_destroy(&f);
}
