/* SPDX-License-Identifier: MIT */
/**
 * \brief packet stream in one thread: geometry, the way of a packet, empty
 *        and full queues, wrap-around, bad descriptors and acknowledgements,
 *        a corrupt peer index, allocation, and which operation signals
 */

#include "fixture.h"

/* ---- geometry ------------------------------------------------------------------ */

TEST(geometry_refuses_bad_sizes)
{
	struct packet_stream_geometry g;
	memset(&g, 0x5a, sizeof(g));
	struct packet_stream_geometry before = g;
	CHECK_EQ(packet_stream_geometry_init(&g, 4096, 0),
	         PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, 4096, 1),
	         PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, 4096, 3),
	         PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, 4096, 96),
	         PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, 4096, PACKET_STREAM_QUEUE_SIZE_MAX * 2),
	         PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, 0, 16),
	         PACKET_STREAM_GEOMETRY_INVALID_BUFFER_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, PACKET_STREAM_BUFFER_MAX + 1, 16),
	         PACKET_STREAM_GEOMETRY_INVALID_BUFFER_SIZE);
	CHECK_EQ(packet_stream_geometry_init(&g, UINT64_MAX, 16),
	         PACKET_STREAM_GEOMETRY_INVALID_BUFFER_SIZE);
	CHECK_MEM(&g, &before, sizeof(g)); /* a refusal changes nothing */
}

TEST(geometry_lays_out_queues_then_a_page_aligned_buffer)
{
	uint32_t const queues[] = { PACKET_STREAM_QUEUE_SIZE_MIN, 4, 256,
		                        PACKET_STREAM_QUEUE_SIZE_MAX };
	uint64_t const buffers[] = { 1, 100, 4096, 65536, PACKET_STREAM_BUFFER_MAX };
	for (unsigned q = 0; q < sizeof(queues) / sizeof(queues[0]); q++) {
		for (unsigned b = 0; b < sizeof(buffers) / sizeof(buffers[0]); b++) {
			struct packet_stream_geometry g;
			CHECK_EQ(packet_stream_geometry_init(&g, buffers[b], queues[q]),
			         PACKET_STREAM_GEOMETRY_OK);
			uint64_t ring = PACKET_STREAM_RING_HEADER +
			                (uint64_t)queues[q] * sizeof(struct packet_stream_slot);
			CHECK_EQ(g.buffer_size, buffers[b]);
			CHECK_EQ(g.queue_size, queues[q]);
			CHECK_EQ(g.submit_offset, 0);
			CHECK(g.ack_offset >= ring && g.ack_offset % 64 == 0);
			CHECK(g.buffer_offset >= g.ack_offset + ring && g.buffer_offset % 4096 == 0);
			CHECK(g.total_size >= g.buffer_offset + g.buffer_size && g.total_size % 4096 == 0);
			CHECK(g.total_size - (g.buffer_offset + g.buffer_size) < 4096);
		}
	}
}

TEST(memory_init_sets_every_index_and_leaves_the_buffer)
{
	struct fixture f;
	fixture_init(&f, 8192, 8, 0xfffffff0u);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);
	CHECK_EQ_U(submit->head, 0xfffffff0u);
	CHECK_EQ_U(submit->tail, 0xfffffff0u);
	CHECK_EQ_U(ack->head, 0xfffffff0u);
	CHECK_EQ_U(ack->tail, 0xfffffff0u);
	CHECK_EQ(((uint8_t *)f.memory)[f.geometry.buffer_offset], 0xa5);
	fixture_destroy(&f);
}

/* ---- the way of a packet --------------------------------------------------------- */

TEST(a_packet_goes_to_the_sink_and_comes_back)
{
	struct fixture f;
	fixture_init(&f, 16384, 16, 0);
	uint64_t available = packet_stream_source_available(&f.source);
	CHECK_EQ(available, 16384);

	struct packet_descriptor sent = fixture_send(&f, 1000, 42);
	CHECK_EQ(packet_stream_source_available(&f.source), 16384 - 1000);

	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(got.result, PACKET_STREAM_OK);
	CHECK_EQ(got.packet.offset, sent.offset);
	CHECK_EQ(got.packet.size, 1000);
	CHECK(got.content == packet_stream_source_content(&f.source, sent));
	CHECK(fixture_holds(got.content, 1000, 42));
	/* the sink may write the content: the source sees it (no copy) */
	((uint8_t *)got.content)[999] = 0x77;
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got.packet), PACKET_STREAM_OK);

	struct packet_stream_get_ret acked = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(acked.result, PACKET_STREAM_OK);
	CHECK_EQ(acked.packet.offset, sent.offset);
	CHECK_EQ(acked.packet.size, sent.size);
	CHECK_EQ(((uint8_t *)acked.content)[999], 0x77);
	CHECK_EQ(packet_stream_source_release(&f.source, acked.packet), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 16384);
	fixture_destroy(&f);
}

TEST(empty_queues_give_nothing)
{
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	struct packet_descriptor p = fixture_send(&f, 10, 1);
	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(got.result, PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got.packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_QUEUE_EMPTY);
	CHECK_EQ(packet_stream_source_release(&f.source, p), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}

TEST(a_full_submit_queue_refuses_and_keeps_everything_in_order)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0);
	struct packet_descriptor sent[8];
	for (uint32_t i = 0; i < 8; i++) sent[i] = fixture_send(&f, 100 + i, i);

	/* the ninth is refused, and still the caller's */
	struct packet_stream_alloc_ret extra = packet_stream_source_alloc(&f.source, 50);
	CHECK_EQ(extra.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, extra.packet),
	         PACKET_STREAM_QUEUE_FULL);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, extra.packet),
	         PACKET_STREAM_QUEUE_FULL);

	/* one out, one in: the refused one goes last */
	struct packet_stream_get_ret got = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(got.result, PACKET_STREAM_OK);
	CHECK_EQ(got.packet.offset, sent[0].offset);
	fixture_fill(packet_stream_source_content(&f.source, extra.packet), 50, 8);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, extra.packet), PACKET_STREAM_OK);
	for (uint32_t i = 1; i <= 8; i++) {
		got = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(got.result, PACKET_STREAM_OK);
		CHECK_EQ(got.packet.size, i < 8 ? 100 + i : 50);
		CHECK(fixture_holds(got.content, got.packet.size, i));
	}
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);
	fixture_destroy(&f);
}

TEST(a_full_ack_queue_refuses)
{
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	struct packet_descriptor got[5];
	for (uint32_t round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < 4; i++) {
			(void)fixture_send(&f, 64, i);
			struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
			CHECK_EQ(g.result, PACKET_STREAM_OK);
			got[i] = g.packet;
		}
		if (round == 0) {
			for (uint32_t i = 0; i < 4; i++) {
				CHECK_EQ(packet_stream_sink_ack_room(&f.sink), PACKET_STREAM_OK);
				CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[i]), PACKET_STREAM_OK);
			}
		}
	}
	/* four acknowledgements wait, four packets are at the sink: no room */
	CHECK_EQ(packet_stream_sink_ack_room(&f.sink), PACKET_STREAM_QUEUE_FULL);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[0]), PACKET_STREAM_QUEUE_FULL);
	struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(a.result, PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_sink_ack_room(&f.sink), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[0]), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[1]), PACKET_STREAM_QUEUE_FULL);

	/* drain: 3 of round 0, then got[0] of round 1 */
	for (unsigned i = 0; i < 4; i++) {
		a = packet_stream_source_try_get_acked(&f.source);
		CHECK_EQ(a.result, PACKET_STREAM_OK);
		CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	}
	for (uint32_t i = 1; i < 4; i++)
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, got[i]), PACKET_STREAM_OK);
	for (unsigned i = 0; i < 3; i++) {
		a = packet_stream_source_try_get_acked(&f.source);
		CHECK_EQ(a.result, PACKET_STREAM_OK);
		CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	}
	CHECK_EQ(packet_stream_source_available(&f.source), 65536);
	fixture_destroy(&f);
}

/* pass `count` packets in batches of 1..queue_size through a stream */
static void pass_through(struct fixture *f, uint32_t count)
{
	uint32_t sequence = 0, expected = 0;
	uint32_t batch = 1;
	while (expected < count) {
		uint32_t n = batch;
		for (uint32_t i = 0; i < n && sequence < count; i++)
			(void)fixture_send(f, 1 + (sequence % 200), sequence), sequence++;
		for (;;) {
			struct packet_stream_get_ret g = packet_stream_sink_try_get(&f->sink);
			if (g.result == PACKET_STREAM_QUEUE_EMPTY) break;
			CHECK_EQ(g.result, PACKET_STREAM_OK);
			CHECK_EQ(g.packet.size, 1 + (expected % 200));
			CHECK(fixture_holds(g.content, g.packet.size, expected));
			expected++;
			CHECK_EQ(packet_stream_sink_try_ack(&f->sink, g.packet), PACKET_STREAM_OK);
			struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f->source);
			CHECK_EQ(a.result, PACKET_STREAM_OK);
			CHECK_EQ(a.packet.offset, g.packet.offset);
			CHECK_EQ(packet_stream_source_release(&f->source, a.packet),
			         PACKET_STREAM_RELEASE_OK);
		}
		batch = batch % f->geometry.queue_size + 1;
	}
	CHECK_EQ(packet_stream_source_available(&f->source), f->geometry.buffer_size);
}

TEST(queues_wrap_around_their_slots)
{
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	pass_through(&f, 1000);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	CHECK_EQ(submit->head, 1000);
	CHECK_EQ(submit->tail, 1000);
	fixture_destroy(&f);
}

TEST(indices_wrap_around_2_to_the_32)
{
	struct fixture f;
	fixture_init(&f, 65536, 8, 0xfffffffau);
	pass_through(&f, 100);
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);
	CHECK_EQ_U(ack->head, (uint32_t)(0xfffffffau + 100));
	CHECK_EQ_U(ack->tail, (uint32_t)(0xfffffffau + 100));

	/* full and empty stay exact across the wrap */
	fixture_destroy(&f);
	fixture_init(&f, 65536, 8, 0xfffffffcu);
	for (uint32_t i = 0; i < 8; i++) (void)fixture_send(&f, 64, i);
	struct packet_stream_alloc_ret extra = packet_stream_source_alloc(&f.source, 64);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, extra.packet),
	         PACKET_STREAM_QUEUE_FULL);
	for (uint32_t i = 0; i < 8; i++) {
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(g.result, PACKET_STREAM_OK);
		CHECK(fixture_holds(g.content, 64, i));
	}
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);
	fixture_destroy(&f);
}

/* ---- a hostile peer -------------------------------------------------------------- */

/* submit a descriptor as the source, unchecked */
static void submit_raw(struct fixture *f, uint64_t offset, uint64_t size)
{
	CHECK_EQ(
	    packet_stream_source_try_submit(&f->source, (struct packet_descriptor){ offset, size }),
	    PACKET_STREAM_OK);
}

TEST(the_sink_rejects_descriptors_outside_the_buffer)
{
	struct fixture f;
	fixture_init(&f, 4096, 16, 0);
	struct
	{
		uint64_t offset, size;
	} const bad[] = {
		{ 0, 0 },                  /* empty */
		{ 4096, 1 },               /* starts at the end */
		{ 4095, 2 },               /* one byte beyond */
		{ 0, 4097 },               /* larger than the buffer */
		{ UINT64_MAX - 5, 10 },    /* offset + size overflows */
		{ 8, UINT64_MAX },         /* size overflows */
		{ UINT64_MAX, UINT64_MAX } /* all ones */
	};
	unsigned const count = sizeof(bad) / sizeof(bad[0]);
	for (unsigned i = 0; i < count; i++) submit_raw(&f, bad[i].offset, bad[i].size);
	submit_raw(&f, 4095, 1); /* the last byte: fine */
	submit_raw(&f, 0, 4096); /* all of it: fine */

	for (unsigned i = 0; i < count; i++) {
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(g.result, PACKET_STREAM_BAD_DESCRIPTOR);
		CHECK_EQ_U(g.packet.offset, bad[i].offset); /* for the log */
		CHECK_EQ_U(g.packet.size, bad[i].size);
		CHECK(g.content == NULL);
	}
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	CHECK(g.content == (uint8_t *)f.memory + f.geometry.buffer_offset + 4095);
	g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	CHECK_EQ(g.packet.size, 4096);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);

	/* the source's content view refuses them as well */
	for (unsigned i = 0; i < count; i++)
		CHECK(packet_stream_source_content(
		          &f.source, (struct packet_descriptor){ bad[i].offset, bad[i].size }) == NULL);
	fixture_destroy(&f);
}

TEST(the_sink_reads_a_descriptor_once)
{
	/* a source that rewrites a slot after the sink took it changes nothing */
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	submit_raw(&f, 100, 10);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	submit->slots[0].offset = UINT64_MAX;
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	CHECK_EQ(g.packet.offset, 100);
	CHECK(g.content == (uint8_t *)f.memory + f.geometry.buffer_offset + 100);
	fixture_destroy(&f);
}

TEST(the_source_rejects_acknowledgements_of_no_packet)
{
	struct fixture f;
	fixture_init(&f, 8192, 16, 0);
	struct packet_descriptor p = fixture_send(&f, 100, 1);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);

	struct packet_descriptor const bad[] = {
		{ p.offset, p.size + 1 }, /* wrong size */
		{ p.offset, p.size - 1 }, /* wrong size */
		{ p.offset + 1, 10 },     /* inside, not its start */
		{ 4096, 100 },            /* free space */
		{ 8192, 1 },              /* outside */
		{ UINT64_MAX - 5, 10 },   /* overflow */
		{ 0, 0 },                 /* empty */
	};
	unsigned const count = sizeof(bad) / sizeof(bad[0]);
	for (unsigned i = 0; i < count; i++)
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, bad[i]), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK); /* twice */

	for (unsigned i = 0; i < count; i++) {
		struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f.source);
		CHECK_EQ(a.result, PACKET_STREAM_BAD_DESCRIPTOR);
		CHECK_EQ_U(a.packet.offset, bad[i].offset);
		CHECK(a.content == NULL);
	}
	CHECK_EQ(packet_stream_source_available(&f.source), 8192 - 100); /* nothing released */
	struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(a.result, PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	/* the second acknowledgement of it names a packet that is gone */
	a = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(a.result, PACKET_STREAM_BAD_DESCRIPTOR);
	CHECK_EQ(packet_stream_source_release(&f.source, p), PACKET_STREAM_RELEASE_NOT_ALLOCATED);
	CHECK_EQ(packet_stream_source_available(&f.source), 8192);
	fixture_destroy(&f);
}

TEST(an_impossible_peer_index_is_reported_and_nothing_read)
{
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	struct packet_stream_ring *submit = fixture_ring(&f, f.geometry.submit_offset);
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);

	/* a source that claims five entries in a queue of four */
	__atomic_store_n(&submit->head, 5, __ATOMIC_RELEASE);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_PEER_CORRUPT);
	__atomic_store_n(&submit->head, 0xffffffffu, __ATOMIC_RELEASE); /* "behind" the tail */
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_PEER_CORRUPT);
	CHECK_EQ(submit->tail, 0); /* the sink took nothing */

	/* the sink's own index is its own: once the source is sane again, it goes on */
	__atomic_store_n(&submit->head, 0, __ATOMIC_RELEASE);
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_QUEUE_EMPTY);
	struct packet_descriptor p = fixture_send(&f, 32, 9);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	CHECK(fixture_holds(g.content, 32, 9));

	/* a sink whose tail runs ahead of the source's head: the source pushes nothing */
	__atomic_store_n(&submit->tail, 7, __ATOMIC_RELEASE);
	CHECK_EQ(packet_stream_source_try_submit(&f.source, p), PACKET_STREAM_PEER_CORRUPT);
	CHECK_EQ(submit->head, 1);
	__atomic_store_n(&submit->tail, 1, __ATOMIC_RELEASE);

	/* the acknowledgement queue, both ways */
	__atomic_store_n(&ack->tail, 100, __ATOMIC_RELEASE);
	CHECK_EQ(packet_stream_sink_ack_room(&f.sink), PACKET_STREAM_PEER_CORRUPT);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_PEER_CORRUPT);
	__atomic_store_n(&ack->tail, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&ack->head, 0x80000000u, __ATOMIC_RELEASE);
	CHECK_EQ(packet_stream_source_try_get_acked(&f.source).result, PACKET_STREAM_PEER_CORRUPT);
	__atomic_store_n(&ack->head, 0, __ATOMIC_RELEASE);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(a.result, PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}

TEST(each_side_keeps_its_own_geometry)
{
	/*
	 * A sink that was told a smaller buffer than the source uses (its own
	 * copy of the geometry) rejects what lies beyond its own view.
	 */
	struct fixture f;
	fixture_init(&f, 8192, 4, 0);
	struct packet_stream_sink small;
	struct signal_receiver receiver;
	struct signal_slot slots[2];
	CHECK_EQ(signal_receiver_init(&receiver, slots, 2), SIGNAL_RECEIVER_OK);
	struct packet_stream_geometry g = f.geometry;
	g.buffer_size = 4096;
	CHECK_EQ(packet_stream_sink_init(&small, &g, f.memory, &receiver), PACKET_STREAM_INIT_OK);
	submit_raw(&f, 4000, 200);
	CHECK_EQ(packet_stream_sink_try_get(&small).result, PACKET_STREAM_BAD_DESCRIPTOR);
	packet_stream_sink_destroy(&small);
	signal_receiver_destroy(&receiver);
	fixture_destroy(&f);
}

/* ---- allocation ------------------------------------------------------------------ */

TEST(allocation_sizes_alignment_and_exhaustion)
{
	struct fixture f;
	fixture_init(&f, 4096, 64, 0);
	CHECK_EQ(packet_stream_source_alloc(&f.source, 0).result, PACKET_STREAM_ALLOC_INVALID_SIZE);
	CHECK_EQ(packet_stream_source_alloc(&f.source, 4097).result,
	         PACKET_STREAM_ALLOC_INVALID_SIZE);
	CHECK_EQ(packet_stream_source_alloc(&f.source, UINT64_MAX).result,
	         PACKET_STREAM_ALLOC_INVALID_SIZE);

	/* 64 packets of 1 byte fill 4096 bytes at 64-byte alignment */
	struct packet_descriptor p[64];
	for (unsigned i = 0; i < 64; i++) {
		struct packet_stream_alloc_ret a = packet_stream_source_alloc(&f.source, 1);
		CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
		CHECK_EQ(a.packet.offset % 64, 0);
		CHECK_EQ(a.packet.size, 1);
		p[i] = a.packet;
	}
	CHECK_EQ(packet_stream_source_alloc(&f.source, 1).result, PACKET_STREAM_ALLOC_NO_SPACE);
	CHECK_EQ(packet_stream_source_release(&f.source, p[10]), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_release(&f.source, p[10]),
	         PACKET_STREAM_RELEASE_NOT_ALLOCATED);
	CHECK_EQ(packet_stream_source_alloc(&f.source, 65).result, PACKET_STREAM_ALLOC_NO_SPACE);
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&f.source, 64);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(a.packet.offset, p[10].offset);
	for (unsigned i = 0; i < 64; i++)
		CHECK_EQ(packet_stream_source_release(&f.source, i == 10 ? a.packet : p[i]),
		         PACKET_STREAM_RELEASE_OK);

	/* the whole buffer in one packet */
	a = packet_stream_source_alloc(&f.source, 4096);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(a.packet.offset, 0);
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	fixture_destroy(&f);
}

TEST(alloc_wait_releases_acknowledged_packets)
{
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	(void)fixture_send(&f, 4096, 1);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	/* the buffer is full, but its packet is back: alloc_wait releases it, no wait */
	struct packet_stream_alloc_ret a = packet_stream_source_alloc_wait(&f.source, 2048, NULL);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	CHECK_EQ(packet_stream_source_available(&f.source), 4096);
	fixture_destroy(&f);
}

TEST(release_acked_counts_what_it_took)
{
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	struct packet_descriptor held[3];
	for (uint32_t i = 0; i < 4; i++) {
		(void)fixture_send(&f, 64, i);
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&f.sink);
		CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g.packet), PACKET_STREAM_OK);
	}
	for (uint32_t i = 0; i < 3; i++) {
		(void)fixture_send(&f, 64, 4 + i);
		held[i] = packet_stream_sink_try_get(&f.sink).packet;
	}
	/* a full queue of four: all taken, none left */
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.result, PACKET_STREAM_OK);
	CHECK_EQ(r.released, 4);
	CHECK_EQ(r.rejected, 0);
	CHECK(!r.more);
	r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.released + r.rejected, 0);

	/* two good ones around a bad one */
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, held[0]), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, held[0]), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, held[1]), PACKET_STREAM_OK);
	r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.released, 2);
	CHECK_EQ(r.rejected, 1);
	CHECK(!r.more);
	CHECK_EQ(packet_stream_source_available(&f.source), 65536 - 64);

	/* a corrupt queue stops it */
	struct packet_stream_ring *ack = fixture_ring(&f, f.geometry.ack_offset);
	__atomic_store_n(&ack->head, ack->tail + 5, __ATOMIC_RELEASE);
	r = packet_stream_source_release_acked(&f.source);
	CHECK_EQ(r.result, PACKET_STREAM_PEER_CORRUPT);
	CHECK_EQ(r.released, 0);
	fixture_destroy(&f);
}

/* ---- signals --------------------------------------------------------------------- */

TEST(signals_only_where_the_peer_may_wait)
{
	struct fixture f;
	fixture_init(&f, 65536, 4, 0);
	struct signal_receiver *to_sink = &f.sink_receiver, *to_source = &f.source_receiver;

	/* packet_avail: only for the entry that the sink has not caught up with yet */
	struct packet_descriptor p[4];
	p[0] = fixture_send(&f, 10, 0);
	struct signal s = signal_receiver_poll(to_sink);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK(s.context == &f.sink.packet_avail_context);
	CHECK(s.imprint == &f.sink); /* every context of a side has the side as imprint */
	CHECK_EQ(s.count, 1);
	p[1] = fixture_send(&f, 10, 1);
	CHECK(!fixture_signalled(to_sink, &f.sink.packet_avail_context)); /* busy: no signal */
	struct packet_stream_get_ret g0 = packet_stream_sink_try_get(&f.sink);
	struct packet_stream_get_ret g1 = packet_stream_sink_try_get(&f.sink);
	CHECK(!fixture_signalled(to_source, &f.source.ready_to_submit_context)); /* not full */
	p[2] = fixture_send(&f, 10, 2);
	CHECK(fixture_signalled(to_sink, &f.sink.packet_avail_context)); /* caught up */

	/* ready_to_submit: the pop from a full queue */
	p[3] = fixture_send(&f, 10, 3);
	struct packet_descriptor q[2];
	q[0] = fixture_send(&f, 10, 4);
	q[1] = fixture_send(&f, 10, 5);
	(void)fixture_signalled(to_sink, &f.sink.packet_avail_context);
	struct packet_stream_get_ret g2 = packet_stream_sink_try_get(&f.sink);
	CHECK(fixture_signalled(to_source, &f.source.ready_to_submit_context));
	struct packet_stream_get_ret g3 = packet_stream_sink_try_get(&f.sink);
	CHECK(!fixture_signalled(to_source, &f.source.ready_to_submit_context));

	/* ack_avail and ready_to_ack likewise */
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g0.packet), PACKET_STREAM_OK);
	CHECK(fixture_signalled(to_source, &f.source.ack_avail_context));
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g1.packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g2.packet), PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&f.sink, g3.packet), PACKET_STREAM_OK);
	CHECK(!fixture_signalled(to_source, &f.source.ack_avail_context));
	CHECK(!fixture_signalled(to_sink, &f.sink.ready_to_ack_context));
	struct packet_stream_get_ret a = packet_stream_source_try_get_acked(&f.source);
	CHECK_EQ(a.result, PACKET_STREAM_OK);
	CHECK(fixture_signalled(to_sink, &f.sink.ready_to_ack_context)); /* it was full */
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	a = packet_stream_source_try_get_acked(&f.source);
	CHECK(!fixture_signalled(to_sink, &f.sink.ready_to_ack_context));
	CHECK_EQ(packet_stream_source_release(&f.source, a.packet), PACKET_STREAM_RELEASE_OK);
	(void)p;
	(void)q;
	fixture_destroy(&f);
}

TEST(a_side_without_its_peer_sends_no_signal)
{
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	packet_stream_source_connect(&f.source, CAP_INVALID(signal_context),
	                             CAP_INVALID(signal_context));
	(void)fixture_send(&f, 10, 0);
	CHECK(!fixture_signalled(&f.sink_receiver, &f.sink.packet_avail_context));
	CHECK_EQ(packet_stream_sink_try_get(&f.sink).result, PACKET_STREAM_OK);
	fixture_destroy(&f);
}

TEST(a_receiver_without_room_fails_init_cleanly)
{
	struct fixture f;
	fixture_init(&f, 4096, 4, 0);
	struct signal_receiver receiver;
	struct signal_slot slot;
	CHECK_EQ(signal_receiver_init(&receiver, &slot, 1), SIGNAL_RECEIVER_OK);
	struct packet_stream_sink sink;
	struct packet_stream_source source;
	CHECK_EQ(packet_stream_sink_init(&sink, &f.geometry, f.memory, &receiver),
	         PACKET_STREAM_INIT_NO_RESOURCES);
	CHECK_EQ(packet_stream_source_init(&source, &f.geometry, f.memory, &f.backing.allocator,
	                                   &receiver),
	         PACKET_STREAM_INIT_NO_RESOURCES);
	/* the one slot is free again: a context fits */
	struct signal_context context;
	signal_context_init(&context, 0);
	struct signal_context_cap_result m = signal_receiver_manage(&receiver, &context);
	CHECK_EQ(m.result, SIGNAL_RECEIVER_OK);
	cap_close(m.cap.cap);
	signal_receiver_destroy(&receiver);
	fixture_destroy(&f); /* checks that the source's bookkeeping went back */
}

TEST(result_names)
{
	CHECK_STR(packet_stream_result_string(PACKET_STREAM_OK), "ok");
	CHECK_STR(packet_stream_result_string(PACKET_STREAM_QUEUE_FULL), "queue full");
	CHECK_STR(packet_stream_result_string(PACKET_STREAM_BAD_DESCRIPTOR), "bad descriptor");
	CHECK_STR(packet_stream_result_string((enum packet_stream_result)99), "unknown result");
}

/* ---- a side without a receiver --------------------------------------------------- */

struct bare
{
	struct packet_stream_geometry geometry;
	void *memory;
	struct unit_backing backing;
	struct packet_stream_source source;
	struct packet_stream_sink sink;
};

static void bare_init(struct bare *b)
{
	CHECK_EQ(packet_stream_geometry_init(&b->geometry, 4096, 4), PACKET_STREAM_GEOMETRY_OK);
	b->memory = aligned_alloc(4096, b->geometry.total_size);
	packet_stream_memory_init(b->memory, &b->geometry, 0);
	unit_backing_init(&b->backing);
	CHECK_EQ(packet_stream_source_init(&b->source, &b->geometry, b->memory,
	                                   &b->backing.allocator, NULL),
	         PACKET_STREAM_INIT_OK);
	CHECK_EQ(packet_stream_sink_init(&b->sink, &b->geometry, b->memory, NULL),
	         PACKET_STREAM_INIT_OK);
}

TEST(a_side_without_a_receiver_signals_the_callers_contexts)
{
	struct bare b;
	bare_init(&b);
	CHECK(!cap_valid(b.source.ready_to_submit.cap) && !cap_valid(b.source.ack_avail.cap));
	CHECK(!cap_valid(b.sink.packet_avail.cap) && !cap_valid(b.sink.ready_to_ack.cap));

	/* the caller's own contexts, with an imprint of its own, receive the signals */
	struct signal_receiver receiver;
	struct signal_slot slots[2];
	struct signal_context to_sink, to_source;
	int imprint;
	CHECK_EQ(signal_receiver_init(&receiver, slots, 2), SIGNAL_RECEIVER_OK);
	signal_context_init(&to_sink, &imprint);
	signal_context_init(&to_source, &imprint);
	struct signal_context_cap_result sink_cap = signal_receiver_manage(&receiver, &to_sink);
	struct signal_context_cap_result source_cap = signal_receiver_manage(&receiver, &to_source);
	packet_stream_source_connect(&b.source, sink_cap.cap, CAP_INVALID(signal_context));
	packet_stream_sink_connect(&b.sink, CAP_INVALID(signal_context), source_cap.cap);

	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&b.source, 100);
	CHECK_EQ(packet_stream_source_try_submit(&b.source, a.packet), PACKET_STREAM_OK);
	struct signal s = signal_receiver_poll(&receiver);
	CHECK_EQ(s.result, SIGNAL_OK);
	CHECK(s.context == &to_sink);
	CHECK(s.imprint == &imprint);
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&b.sink);
	CHECK_EQ(g.result, PACKET_STREAM_OK);
	CHECK_EQ(packet_stream_sink_try_ack(&b.sink, g.packet), PACKET_STREAM_OK);
	s = signal_receiver_poll(&receiver);
	CHECK(s.context == &to_source);
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&b.source);
	CHECK_EQ(r.released, 1);

	packet_stream_source_destroy(&b.source); /* closes the capabilities it took */
	packet_stream_sink_destroy(&b.sink);
	signal_receiver_destroy(&receiver);
	CHECK_EQ(b.backing.outstanding, 0);
	free(b.memory);
}
