/* SPDX-License-Identifier: MIT */
/**
 * \brief packet stream: quiet acknowledgements. With ack signals off the
 *        sink's acknowledgements reach the source's receiver without a
 *        signal, except the one that fills the queue; turned on, the next
 *        one after the source caught up signals again; alloc_quiet turns
 *        them on when it finds no room (and takes what came meanwhile) and
 *        off when it allocates; a blocking call of a quiet source that must
 *        wait turns them on itself
 */

#include "fixture.h"

/* the sink takes the next packet, which must be `sent`, and acknowledges it */
static void quiet_sink_ack(struct fixture *f, struct packet_descriptor sent)
{
	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f->sink);
	CHECK_EQ(got.result, PACKET_STREAM_OK);
	CHECK_EQ(got.packet.offset, sent.offset);
	CHECK_EQ(packet_stream_sink_try_ack(&f->sink, got.packet), PACKET_STREAM_OK);
}

/* one packet through the sink: got, then acknowledged */
static struct packet_descriptor quiet_round(struct fixture *f, uint32_t sequence)
{
	struct packet_descriptor sent = fixture_send(f, 100, sequence);
	quiet_sink_ack(f, sent);
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

/* whether an acknowledgement signal reached the source since the last look */
static bool quiet_ack_heard(struct fixture *f)
{
	return fixture_signalled(&f->source_receiver, &f->source.ack_avail_context);
}

TEST(ack_signals_off_keep_acknowledgements_quiet_until_turned_on)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	/* the memory held garbage before init: both consumers want signals now */
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	CHECK_EQ_U(submit->quiet, 0);

	/* the default: an acknowledgement that the source has not caught up with signals */
	struct packet_descriptor sent = quiet_round(&f, 0);
	CHECK(quiet_ack_heard(&f));
	quiet_take_back(&f, sent);

	/* off (alloc_quiet found room): the word in shared memory says so, and none signals */
	for (uint32_t i = 1; i <= 3; i++) {
		sent = fixture_send_quiet(&f, 100, i);
		CHECK_EQ_U(fixture_ack_quiet(&f), 1);
		CHECK_EQ_U(submit->quiet, 0); /* the sink's own wish is untouched */
		quiet_sink_ack(&f, sent);
		CHECK(!quiet_ack_heard(&f));
		/* the acknowledgement is there all the same, for a source that looks */
		quiet_take_back(&f, sent);
	}

	/*
	 * On: a blocking call that must wait. Its blocker is cancelled, so it
	 * returns instead of sleeping, but only after turning them on.
	 */
	CHECK_EQ(packet_stream_source_get_acked(&f.source, &f.cancelled).result,
	         PACKET_STREAM_CANCELLED);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);

	/* on, after the source caught up: the next acknowledgement signals again */
	sent = quiet_round(&f, 4);
	CHECK(quiet_ack_heard(&f));
	quiet_take_back(&f, sent);
	fixture_destroy(&f);
}

TEST(a_quiet_source_is_woken_by_the_acknowledgement_that_fills_the_queue)
{
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	struct packet_stream_get_ret got[4];
	for (uint32_t i = 0; i < 4; i++) {
		(void)fixture_send_quiet(&f, 64, i); /* the first turns the signals off */
		got[i] = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(got[i].result, PACKET_STREAM_OK);
	}
	for (uint32_t i = 0; i < 3; i++) {
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[i].packet), PACKET_STREAM_OK);
		CHECK(!quiet_ack_heard(&f));
	}
	/* the sink may wait for room now, and only the source's look gives it */
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[3].packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_ack_room(&f.sink), PACKET_STREAM_QUEUE_FULL);
	CHECK(quiet_ack_heard(&f));

	/* the look: the first pop from the full queue gives the sink ready_to_ack */
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.result, PACKET_STREAM_OK);
	CHECK_EQ(r.released, 4);
	CHECK(fixture_signalled(&f.sink_receiver, &f.sink.ready_to_ack_context));

	/* the next round: three acknowledgements quiet again, the fourth signals */
	for (uint32_t i = 0; i < 4; i++) {
		(void)fixture_send_quiet(&f, 64, 4 + i);
		got[i] = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(got[i].result, PACKET_STREAM_OK);
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[i].packet), PACKET_STREAM_OK);
		CHECK_EQ(quiet_ack_heard(&f), i == 3);
	}
	r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.released, 4);
	fixture_destroy(&f);
}

TEST(a_quiet_source_takes_what_is_there_without_blocking)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	struct packet_descriptor sent = fixture_send_quiet(&f, 100, 0);
	quiet_sink_ack(&f, sent);
	/* an acknowledgement is there: the blocking call returns it and never waits */
	struct packet_stream_get_ret acked = packet_stream_source_get_acked(&f.source, 0);
	CHECK_EQ(acked.result, PACKET_STREAM_OK);
	CHECK_EQ(acked.packet.offset, sent.offset);
	CHECK_EQ(packet_stream_source_release(&f.source, acked.packet), PACKET_STREAM_RELEASE_OK);
	/* room in the buffer and the queue: alloc_wait and submit do not wait either */
	struct packet_stream_alloc_ret a = packet_stream_source_alloc_wait(&f.source, 100, 0);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_submit(&f.source, a.packet, 0), PACKET_STREAM_OK);
	/* and none of them touched the switch: a call that does not wait needs no signal */
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	fixture_destroy(&f);
}

/* ---- alloc_quiet ------------------------------------------------------------------ */

TEST(alloc_quiet_turns_ack_signals_on_when_it_finds_no_room_and_off_when_it_allocates)
{
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0); /* on until the first allocation */

	/* the steady state: every allocation finds room, no acknowledgement wakes the source */
	for (uint32_t i = 0; i < 20; i++) {
		struct packet_descriptor sent = fixture_send_quiet(&f, 1000, i);
		CHECK_EQ_U(fixture_ack_quiet(&f), 1);
		quiet_sink_ack(&f, sent);
		CHECK(!quiet_ack_heard(&f));
		quiet_take_back(&f, sent);
	}

	/* the buffer full with two packets in flight: no room, and the signals go on */
	struct packet_descriptor a = fixture_send_quiet(&f, 2048, 20);
	struct packet_descriptor b = fixture_send_quiet(&f, 2048, 21);
	struct packet_stream_alloc_quiet_ret r = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_NO_SPACE);
	CHECK_EQ(packet_stream_source_available(&f.source), 0); /* nothing came back */
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	/* so the acknowledgement that makes room wakes the source that waits for it */
	quiet_sink_ack(&f, a);
	CHECK(quiet_ack_heard(&f));

	/* the next allocation takes it back, finds room and turns them off again */
	r = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 4096 - 2048 - 64); /* a is free */
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	/* the source has caught up with the queue: only the quiet word keeps this one silent */
	quiet_sink_ack(&f, b);
	CHECK(!quiet_ack_heard(&f));
	quiet_take_back(&f, b);
	CHECK_EQ(packet_stream_source_release(&f.source, r.packet), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 4096);
	fixture_destroy(&f);
}

TEST(a_failed_alloc_quiet_takes_what_came_unsignalled_so_the_next_acknowledgement_signals)
{
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	struct packet_descriptor p0 = fixture_send_quiet(&f, 1024, 0);
	struct packet_descriptor p1 = fixture_send_quiet(&f, 1024, 1);
	struct packet_descriptor p2 = fixture_send_quiet(&f, 2048, 2);
	/* acknowledged while the signals are off: nobody hears of it */
	quiet_sink_ack(&f, p0);
	CHECK(!quiet_ack_heard(&f));

	/*
	 * Full: the first try fails, p0 comes back, and 1024 bytes are still
	 * too few. Had p0 stayed in the queue, the sink would not signal p1
	 * (the source would be behind) and the source would wait for ever.
	 */
	struct packet_stream_alloc_quiet_ret r = packet_stream_source_alloc_quiet(&f.source, 2048);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_NO_SPACE);
	CHECK_EQ(packet_stream_source_available(&f.source), 1024); /* p0 is free */
	CHECK_EQ(r.rejected, 0);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	quiet_sink_ack(&f, p1);
	CHECK(quiet_ack_heard(&f));

	/* p0 and p1 are one free range now */
	r = packet_stream_source_alloc_quiet(&f.source, 2048);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(r.packet.offset, p0.offset);
	CHECK_EQ(packet_stream_source_available(&f.source), 0);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	quiet_sink_ack(&f, p2);
	CHECK(!quiet_ack_heard(&f));
	quiet_take_back(&f, p2);
	CHECK_EQ(packet_stream_source_release(&f.source, r.packet), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}

TEST(alloc_quiet_leaves_the_signals_off_for_a_full_submit_queue_which_signals_by_itself)
{
	/* nic_netif relies on it: a frame that waits for the submit queue needs no ack_avail */
	struct fixture f;
	fixture_init(&f, 65536, 2, 0);
	struct packet_descriptor first = fixture_send_quiet(&f, 100, 0);
	(void)fixture_send_quiet(&f, 100, 1);
	struct packet_stream_alloc_quiet_ret r = packet_stream_source_alloc_quiet(&f.source, 100);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, r.packet), PACKET_STREAM_QUEUE_FULL);
	CHECK(!fixture_signalled(&f.source_receiver, &f.source.ready_to_submit_context));
	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(got.packet.offset, first.offset);
	CHECK(fixture_signalled(&f.source_receiver, &f.source.ready_to_submit_context));
	CHECK_EQ(packet_stream_source_try_submit(&f.source, r.packet), PACKET_STREAM_OK);
	fixture_destroy(&f);
}

TEST(alloc_quiet_reports_what_no_acknowledgement_cures_and_the_sinks_mistakes)
{
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);
	struct packet_descriptor whole = fixture_send_quiet(&f, 4096, 0);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);

	/* a size that never fits: nothing to wait for, the switch stays as it is */
	CHECK_EQ(packet_stream_source_alloc_quiet(&f.source, 0).result,
	         PACKET_STREAM_ALLOC_INVALID_SIZE);
	CHECK_EQ(packet_stream_source_alloc_quiet(&f.source, 8192).result,
	         PACKET_STREAM_ALLOC_INVALID_SIZE);
	CHECK_EQ_U(fixture_ack_quiet(&f), 1);

	/* an acknowledgement of no packet in flight is taken, counted and skipped */
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, (struct packet_descriptor){ 64, 64 }),
	         PACKET_STREAM_OK);
	struct packet_stream_alloc_quiet_ret r = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_NO_SPACE);
	CHECK_EQ(packet_stream_source_available(&f.source), 0);
	CHECK_EQ(r.rejected, 1);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);

	/* a corrupt queue: no packet, and the signals stay on */
	uint32_t tail = ack->tail;
	__atomic_store_n(&ack->head, tail + 9, __ATOMIC_RELEASE);
	r = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_PEER_CORRUPT);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	__atomic_store_n(&ack->head, tail, __ATOMIC_RELEASE);
	quiet_sink_ack(&f, whole);
	r = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(r.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 4096 - 64); /* whole is free */
	fixture_destroy(&f);
}

/*
 * OUT_OF_METADATA: room in the buffer, but the allocator's bookkeeping gets
 * no memory for the free range that a packet splits off. Released packets
 * may cure it (a freed block takes a packet of its size as it is), so
 * alloc_quiet and alloc_wait catch up for it as for NO_SPACE; what the
 * catch-up does not cure both report, and alloc_wait does not wait for it.
 */
TEST(an_allocation_short_of_bookkeeping_catches_up_and_reports_what_stays_short)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	f.backing.limit = f.backing.outstanding; /* no chunk for more bookkeeping */
	enum { MOST = 65536 / 64 };
	struct packet_descriptor packets[MOST];
	uint32_t count = 0;
	struct packet_stream_alloc_ret a;
	while ((a = packet_stream_source_alloc(&f.source, 64)).result == PACKET_STREAM_ALLOC_OK) {
		CHECK(count < MOST);
		packets[count++] = a.packet;
	}
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OUT_OF_METADATA);
	CHECK(count >= 2);
	uint64_t available = packet_stream_source_available(&f.source);
	CHECK(available >= 64);

	/* alloc_quiet: the acknowledged packet comes back, and its block is the new packet */
	CHECK_EQ(packet_stream_source_try_submit(&f.source, packets[0]), PACKET_STREAM_OK);
	quiet_sink_ack(&f, packets[0]);
	struct packet_stream_alloc_quiet_ret q = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(q.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(q.packet.offset, packets[0].offset);
	CHECK_EQ(q.rejected, 0);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	/* nothing comes back: reported, nothing allocated, the signals on as for NO_SPACE */
	q = packet_stream_source_alloc_quiet(&f.source, 64);
	CHECK_EQ(q.result, PACKET_STREAM_ALLOC_OUT_OF_METADATA);
	CHECK_EQ(packet_stream_source_available(&f.source), available);
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);

	/* alloc_wait: the same catch-up; with the blocker cancelled, a wait would say so */
	CHECK_EQ(packet_stream_source_try_submit(&f.source, packets[1]), PACKET_STREAM_OK);
	quiet_sink_ack(&f, packets[1]);
	a = packet_stream_source_alloc_wait(&f.source, 64, &f.cancelled);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(a.packet.offset, packets[1].offset);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	a = packet_stream_source_alloc_wait(&f.source, 64, &f.cancelled);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OUT_OF_METADATA);
	CHECK_EQ(packet_stream_source_available(&f.source), available);

	/* every packet goes back, and with it the bookkeeping that it split off */
	for (uint32_t i = 0; i < count; i++)
		CHECK_EQ(packet_stream_source_release(&f.source, packets[i]), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 65536);
	fixture_destroy(&f);
}

/*
 * A blocking call of a quiet source that must wait turns the signals on
 * before it waits, so the acknowledgement it waits for wakes it. Its
 * blocker is cancelled beforehand: the call returns CANCELLED instead of
 * sleeping (tests/unit/packet_stream/test_packet_stream_threads.c has them
 * sleep and wake), with the switch on and the source caught up.
 */
static void quiet_check_turned_on(struct fixture *f, struct packet_descriptor in_flight)
{
	CHECK_EQ_U(fixture_ack_quiet(f), 0);
	quiet_sink_ack(f, in_flight);
	CHECK(quiet_ack_heard(f));
}

TEST(get_acked_of_a_quiet_source_turns_ack_signals_on_before_it_waits)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	struct packet_descriptor sent = fixture_send_quiet(&f, 100, 0);
	CHECK_EQ(packet_stream_source_get_acked(&f.source, &f.cancelled).result,
	         PACKET_STREAM_CANCELLED);
	quiet_check_turned_on(&f, sent);
	fixture_destroy(&f);
}

TEST(alloc_wait_of_a_quiet_source_turns_ack_signals_on_before_it_waits)
{
	struct fixture f;
	fixture_init(&f, 4096, 8, 0);
	struct packet_descriptor whole = fixture_send_quiet(&f, 4096, 0); /* the whole buffer */
	CHECK_EQ(packet_stream_source_alloc_wait(&f.source, 64, &f.cancelled).result,
	         PACKET_STREAM_ALLOC_CANCELLED);
	quiet_check_turned_on(&f, whole);
	fixture_destroy(&f);
}

TEST(submit_of_a_quiet_source_turns_ack_signals_on_before_it_waits)
{
	struct fixture f;
	fixture_init(&f, 65536, 2, 0);
	(void)fixture_send_quiet(&f, 100, 0);
	(void)fixture_send_quiet(&f, 100, 1); /* the submit queue is full */
	struct packet_stream_alloc_quiet_ret a = packet_stream_source_alloc_quiet(&f.source, 100);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_submit(&f.source, a.packet, &f.cancelled),
	         PACKET_STREAM_CANCELLED);
	/* the sink's get from the full queue signals ready_to_submit, quiet or not */
	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(got.result, PACKET_STREAM_OK);
	CHECK(fixture_signalled(&f.source_receiver, &f.source.ready_to_submit_context));
	CHECK_EQ_U(fixture_ack_quiet(&f), 0);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got.packet), PACKET_STREAM_OK);
	CHECK(quiet_ack_heard(&f));
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}
