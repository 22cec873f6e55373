/* SPDX-License-Identifier: MIT */
/** \brief packet-stream tests: the shared fixture */

#include "fixture.h"

void fixture_init(struct fixture *f, uint64_t buffer_size, uint32_t queue_size,
                  uint32_t start_index)
{
	memset(f, 0, sizeof(*f));
	CHECK_EQ(packet_stream_geometry_init(&f->geometry, buffer_size, queue_size),
	         PACKET_STREAM_GEOMETRY_OK);
	f->memory = aligned_alloc(4096, f->geometry.total_size);
	CHECK(f->memory != NULL);
	/* garbage everywhere: memory_init must prepare what matters */
	memset(f->memory, 0xa5, f->geometry.total_size);
	packet_stream_memory_init(f->memory, &f->geometry, start_index);

	unit_backing_init(&f->backing);
	CHECK_EQ(signal_receiver_init(&f->source_receiver, f->source_slots, FIXTURE_SLOTS),
	         SIGNAL_RECEIVER_OK);
	CHECK_EQ(signal_receiver_init(&f->sink_receiver, f->sink_slots, FIXTURE_SLOTS),
	         SIGNAL_RECEIVER_OK);
	CHECK_EQ(packet_stream_source_init(&f->source, &f->geometry, f->memory,
	                                   &f->backing.allocator, &f->source_receiver),
	         PACKET_STREAM_INIT_OK);
	CHECK_EQ(packet_stream_sink_init(&f->sink, &f->geometry, f->memory, &f->sink_receiver),
	         PACKET_STREAM_INIT_OK);

	fixture_connect(f);
	CHECK(cap_valid(f->source.packet_avail.cap.cap) && cap_valid(f->sink.ack_avail.cap.cap));
	blocker_init(&f->cancelled);
	blocker_cancel(&f->cancelled);
}

void fixture_connect(struct fixture *f)
{
	/* each side gets copies of the other's capabilities, as a session would pass them */
	packet_stream_source_connect(
	    &f->source, (struct signal_context_cap){ cap_copy(f->sink.packet_avail.cap) },
	    (struct signal_context_cap){ cap_copy(f->sink.ready_to_ack.cap) });
	packet_stream_sink_connect(
	    &f->sink, (struct signal_context_cap){ cap_copy(f->source.ready_to_submit.cap) },
	    (struct signal_context_cap){ cap_copy(f->source.ack_avail.cap) });
}

void fixture_destroy(struct fixture *f)
{
	packet_stream_source_destroy(&f->source);
	packet_stream_sink_destroy(&f->sink);
	signal_receiver_destroy(&f->source_receiver);
	signal_receiver_destroy(&f->sink_receiver);
	CHECK_EQ(f->backing.outstanding, 0);
	free(f->memory);
}

void fixture_fill(void *content, uint64_t size, uint32_t sequence)
{
	uint8_t *bytes = content;
	for (uint64_t i = 0; i < size; i++) bytes[i] = fixture_pattern(sequence, i);
	for (uint64_t i = 0; i < size && i < 4; i++) bytes[i] = (uint8_t)(sequence >> (8 * i));
}

bool fixture_holds(void const *content, uint64_t size, uint32_t sequence)
{
	uint8_t const *bytes = content;
	for (uint64_t i = 0; i < size; i++) {
		uint8_t expected =
		    i < 4 ? (uint8_t)(sequence >> (8 * i)) : fixture_pattern(sequence, i);
		if (bytes[i] != expected) return false;
	}
	return true;
}

struct packet_descriptor fixture_send(struct fixture *f, uint64_t size, uint32_t sequence)
{
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&f->source, size);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	void *content = packet_stream_source_content(&f->source, a.packet);
	CHECK(content != NULL);
	fixture_fill(content, size, sequence);
	CHECK_EQ(packet_stream_source_try_submit(&f->source, a.packet), PACKET_STREAM_OK);
	return a.packet;
}

struct packet_descriptor fixture_send_quiet(struct fixture *f, uint64_t size, uint32_t sequence)
{
	struct packet_stream_alloc_quiet_ret a = packet_stream_source_alloc_quiet(&f->source, size);
	CHECK_EQ(a.result, PACKET_STREAM_ALLOC_OK);
	fixture_fill(packet_stream_source_content(&f->source, a.packet), size, sequence);
	CHECK_EQ(packet_stream_source_try_submit(&f->source, a.packet), PACKET_STREAM_OK);
	return a.packet;
}

uint32_t fixture_ack_quiet(struct fixture *f)
{
	return fixture_ring(f, f->geometry.ack_offset)->quiet;
}

bool fixture_signalled(struct signal_receiver *receiver, struct signal_context const *context)
{
	bool seen = false;
	for (;;) {
		struct signal s = signal_receiver_poll(receiver);
		if (s.result != SIGNAL_OK) return seen;
		if (s.context == context) seen = true;
	}
}
