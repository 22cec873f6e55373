/* SPDX-License-Identifier: MIT */
/**
 * \brief packet stream: the peer's capabilities are checked once, at connect.
 *        Afterwards the four signals need no check per submit (they flow with
 *        fstat denied); a handle that is no signal context is kept and closed
 *        like the others, but never written to
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fixture.h"
#include "test_handles.h"
#include "test_syscall_deny.h"

/*
 * Every kind of signal once, in a queue of 2: packet_avail (the sink caught
 * up), ready_to_submit (a pop from a full submit queue), ack_avail (the
 * source caught up), ready_to_ack (a pop from a full acknowledgement queue).
 * `signalled` says whether each reached its receiver.
 */
static void every_signal(struct fixture *f, bool signalled)
{
	struct signal_receiver *to_sink = &f->sink_receiver, *to_source = &f->source_receiver;
	struct packet_descriptor sent[2] = { fixture_send(f, 10, 0), fixture_send(f, 10, 1) };
	CHECK_EQ(fixture_signalled(to_sink, &f->sink.packet_avail_context), signalled);

	struct packet_stream_get_ret got[2];
	got[0] = packet_stream_sink_try_get(&f->sink);
	CHECK_EQ(got[0].result, PACKET_STREAM_OK);
	CHECK_EQ(fixture_signalled(to_source, &f->source.ready_to_submit_context), signalled);
	got[1] = packet_stream_sink_try_get(&f->sink);
	CHECK_EQ(got[1].result, PACKET_STREAM_OK);

	CHECK_EQ(packet_stream_sink_try_ack(&f->sink, got[0].packet), PACKET_STREAM_OK);
	CHECK_EQ(fixture_signalled(to_source, &f->source.ack_avail_context), signalled);
	CHECK_EQ(packet_stream_sink_try_ack(&f->sink, got[1].packet), PACKET_STREAM_OK);

	for (unsigned i = 0; i < 2; i++) {
		struct packet_stream_get_ret acked = packet_stream_source_try_get_acked(&f->source);
		CHECK_EQ(acked.result, PACKET_STREAM_OK);
		CHECK_EQ(acked.packet.offset, sent[i].offset);
		if (i == 0)
			CHECK_EQ(fixture_signalled(to_sink, &f->sink.ready_to_ack_context), signalled);
		CHECK_EQ(packet_stream_source_release(&f->source, acked.packet),
		         PACKET_STREAM_RELEASE_OK);
	}
}

TEST(signals_of_a_connected_stream_need_no_check_per_submit)
{
	struct fixture f;
	fixture_init(&f, 4096, 2, 0);
	every_signal(&f, true);

	/* checked at connect: with fstat failing from now on they still arrive */
	long const denied[] = { SYS_fstat };
	CHECK(test_syscall_deny(denied, 1));
	every_signal(&f, true);
	fixture_destroy(&f);
}

TEST(peer_handles_that_are_no_signal_context_are_never_written_to)
{
	struct fixture f;
	fixture_init(&f, 4096, 2, 0);
	/* pipes and sockets would take the 8 bytes of a submit */
	int pipe_a[2], pipe_b[2], socket_a[2], socket_b[2];
	CHECK_EQ(pipe2(pipe_a, O_NONBLOCK), 0);
	CHECK_EQ(pipe2(pipe_b, O_NONBLOCK), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, socket_a), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, socket_b), 0);
	packet_stream_source_connect(&f.source, (struct signal_context_cap){ { pipe_a[1] } },
	                             (struct signal_context_cap){ { socket_a[0] } });
	packet_stream_sink_connect(&f.sink, (struct signal_context_cap){ { pipe_b[1] } },
	                           (struct signal_context_cap){ { socket_b[0] } });

	/* the stream works, without a signal and without a byte into the handles */
	for (unsigned round = 0; round < 3; round++) every_signal(&f, false);
	int read_sides[] = { pipe_a[0], pipe_b[0], socket_a[1], socket_b[1] };
	for (unsigned i = 0; i < 4; i++) CHECK(test_handles_nothing_readable(read_sides[i]));

	/* the stream owns them like any peer capability: destroy closes them */
	int written[] = { pipe_a[1], pipe_b[1], socket_a[0], socket_b[0] };
	for (unsigned i = 0; i < 4; i++) CHECK(test_handles_open(written[i]));
	fixture_destroy(&f);
	for (unsigned i = 0; i < 4; i++) CHECK(!test_handles_open(written[i]));
	for (unsigned i = 0; i < 4; i++) close(read_sides[i]);
}

TEST(a_connect_replaces_and_closes_the_earlier_capabilities)
{
	struct fixture f;
	fixture_init(&f, 4096, 2, 0);
	int earlier[] = { f.source.packet_avail.cap.cap.handle,
		              f.source.ready_to_ack.cap.cap.handle,
		              f.sink.ready_to_submit.cap.cap.handle, f.sink.ack_avail.cap.cap.handle };
	int pipe_ends[2];
	CHECK_EQ(pipe2(pipe_ends, O_NONBLOCK), 0);
	/* a pipe replaces a good capability: no signals any more, nothing written */
	packet_stream_source_connect(&f.source, (struct signal_context_cap){ { pipe_ends[1] } },
	                             CAP_INVALID(signal_context));
	packet_stream_sink_connect(&f.sink, CAP_INVALID(signal_context),
	                           CAP_INVALID(signal_context));
	for (unsigned i = 0; i < 4; i++) CHECK(!test_handles_open(earlier[i]));
	every_signal(&f, false);
	CHECK(test_handles_nothing_readable(pipe_ends[0]));

	/* good ones again: the signals come back */
	fixture_connect(&f);
	CHECK(!test_handles_open(pipe_ends[1]));
	every_signal(&f, true);
	close(pipe_ends[0]);
	fixture_destroy(&f);
}
