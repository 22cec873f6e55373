/* SPDX-License-Identifier: MIT */
/**
 * \brief packet stream: quiet acknowledgements. With ack signals off the
 *        sink's acknowledgements reach the source's receiver without a
 *        signal, except the one that fills the queue; turned on, the next
 *        one after the source caught up signals again; the blocking calls
 *        of a quiet source panic instead of waiting for nothing
 */

#include "fixture.h"

/* one packet through the sink: got, then acknowledged */
static struct packet_descriptor quiet_round(struct fixture *f, uint32_t sequence)
{
	struct packet_descriptor sent = fixture_send(f, 100, sequence);
	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f->sink);
	CHECK_EQ(got.result, PACKET_STREAM_OK);
	CHECK_EQ(got.packet.offset, sent.offset);
	CHECK_EQ(packet_stream_sink_try_ack(&f->sink, got.packet), PACKET_STREAM_OK);
	return sent;
}

/* the source takes the acknowledgement of `sent` back; the queue is empty then */
static void quiet_take_back(struct fixture *f, struct packet_descriptor sent)
{
	struct packet_stream_get_ret acked = packet_stream_source_try_get_acked(&f->source);
	CHECK_EQ(acked.result, PACKET_STREAM_OK);
	CHECK_EQ(acked.packet.offset, sent.offset);
	CHECK_EQ(packet_stream_source_release(&f->source, acked.packet), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_try_get_acked(&f->source).result, PACKET_STREAM_QUEUE_EMPTY);
}

TEST(ack_signals_off_keep_acknowledgements_quiet_until_turned_on)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	struct signal_receiver *to_source = &f.source_receiver;
	struct signal_context *ack_avail = &f.source.ack_avail_context;
	/* the memory held garbage before init: both consumers want signals now */
	CHECK_EQ_U(ack->quiet, 0);
	CHECK_EQ_U(submit->quiet, 0);

	/* the default: an acknowledgement that the source has not caught up with signals */
	struct packet_descriptor sent = quiet_round(&f, 0);
	CHECK(fixture_signalled(to_source, ack_avail));
	quiet_take_back(&f, sent);

	/* off: the word in shared memory says so, and no acknowledgement signals */
	packet_stream_source_ack_signals(&f.source, false);
	CHECK_EQ_U(ack->quiet, 1);
	CHECK_EQ_U(submit->quiet, 0); /* the sink's own wish is untouched */
	for (uint32_t i = 1; i <= 3; i++) {
		sent = quiet_round(&f, i);
		CHECK(!fixture_signalled(to_source, ack_avail));
		/* the acknowledgement is there all the same, for a source that looks */
		quiet_take_back(&f, sent);
	}
	/* turning it off twice changes nothing */
	packet_stream_source_ack_signals(&f.source, false);
	CHECK_EQ_U(ack->quiet, 1);

	/* one acknowledged while off, then on: no signal for it, the source looks once more */
	sent = quiet_round(&f, 4);
	packet_stream_source_ack_signals(&f.source, true);
	CHECK_EQ_U(ack->quiet, 0);
	CHECK(!fixture_signalled(to_source, ack_avail));
	quiet_take_back(&f, sent);

	/* on, after the source caught up: the next acknowledgement signals again */
	sent = quiet_round(&f, 5);
	CHECK(fixture_signalled(to_source, ack_avail));
	quiet_take_back(&f, sent);
	fixture_destroy(&f);
}

TEST(a_quiet_source_is_woken_by_the_acknowledgement_that_fills_the_queue)
{
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	packet_stream_source_ack_signals(&f.source, false);
	struct signal_context *ack_avail = &f.source.ack_avail_context;
	struct packet_stream_get_ret got[4];
	for (uint32_t i = 0; i < 4; i++) {
		(void)fixture_send(&f, 64, i);
		got[i] = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(got[i].result, PACKET_STREAM_OK);
	}
	for (uint32_t i = 0; i < 3; i++) {
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[i].packet), PACKET_STREAM_OK);
		CHECK(!fixture_signalled(&f.source_receiver, ack_avail));
	}
	/* the sink may wait for room now, and only the source's look gives it */
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[3].packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_ack_room(&f.sink), PACKET_STREAM_QUEUE_FULL);
	CHECK(fixture_signalled(&f.source_receiver, ack_avail));

	/* the look: the first pop from the full queue gives the sink ready_to_ack */
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.result, PACKET_STREAM_OK);
	CHECK_EQ(r.released, 4);
	CHECK(fixture_signalled(&f.sink_receiver, &f.sink.ready_to_ack_context));

	/* the next round: three acknowledgements quiet again, the fourth signals */
	for (uint32_t i = 0; i < 4; i++) {
		(void)fixture_send(&f, 64, 4 + i);
		got[i] = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(got[i].result, PACKET_STREAM_OK);
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[i].packet), PACKET_STREAM_OK);
		CHECK_EQ(fixture_signalled(&f.source_receiver, ack_avail), i == 3);
	}
	r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.released, 4);
	fixture_destroy(&f);
}

TEST(a_quiet_source_takes_what_is_there_without_blocking)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	packet_stream_source_ack_signals(&f.source, false);
	struct packet_descriptor sent = quiet_round(&f, 0);
	/* an acknowledgement is there: the blocking call returns it and never waits */
	struct packet_stream_get_ret acked = packet_stream_source_get_acked(&f.source, 0);
	CHECK_EQ(acked.result, PACKET_STREAM_OK);
	CHECK_EQ(acked.packet.offset, sent.offset);
	CHECK_EQ(packet_stream_source_release(&f.source, acked.packet), PACKET_STREAM_RELEASE_OK);
	/* room in the buffer and the queue: alloc_wait and submit do not wait either */
	struct packet_stream_alloc_ret a = packet_stream_source_alloc_wait(&f.source, 100, 0);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_submit(&f.source, a.packet, 0), PACKET_STREAM_OK);
	fixture_destroy(&f);
}

/*
 * A blocking call that would wait for an acknowledgement signal that does
 * not come. Its blocker is cancelled beforehand: without the panic the call
 * returns CANCELLED (a failure of the case) instead of hanging.
 */
TEST_EXPECT_DEATH(get_acked_of_a_quiet_source_panics_instead_of_waiting)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	packet_stream_source_ack_signals(&f.source, false);
	(void)fixture_send(&f, 100, 0);
	struct blocker blocker;
	blocker_init(&blocker);
	blocker_cancel(&blocker);
	struct packet_stream_get_ret r = packet_stream_source_get_acked(&f.source, &blocker);
	(void)r; /* not reached */
}

TEST_EXPECT_DEATH(alloc_wait_of_a_quiet_source_panics_instead_of_waiting)
{
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	packet_stream_source_ack_signals(&f.source, false);
	(void)fixture_send(&f, 4096, 0); /* the whole buffer */
	struct blocker blocker;
	blocker_init(&blocker);
	blocker_cancel(&blocker);
	struct packet_stream_alloc_ret r = packet_stream_source_alloc_wait(&f.source, 64, &blocker);
	(void)r; /* not reached */
}

TEST_EXPECT_DEATH(submit_of_a_quiet_source_panics_instead_of_waiting)
{
	struct fixture f;
	fixture_init(&f, 65536, 2, 0);
	packet_stream_source_ack_signals(&f.source, false);
	(void)fixture_send(&f, 100, 0);
	(void)fixture_send(&f, 100, 1); /* the submit queue is full */
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&f.source, 100);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	struct blocker blocker;
	blocker_init(&blocker);
	blocker_cancel(&blocker);
	enum packet_stream_result r = packet_stream_source_submit(&f.source, a.packet, &blocker);
	(void)r; /* not reached */
}
