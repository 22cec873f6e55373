/* SPDX-License-Identifier: MIT */
/**
 * \brief packet-stream tests: one stream in heap memory, a source and a sink
 *        over it, each with a signal receiver of its own, connected
 */

#ifndef _PACKET_STREAM_FIXTURE_H_
#define _PACKET_STREAM_FIXTURE_H_

#include <stdlib.h>

#include <packet_stream/packet_stream.h>

#include "unit_backing.h"
#include "unit_test.h"

enum { FIXTURE_SLOTS = 4 };

struct fixture
{
	struct packet_stream_geometry geometry;
	void *memory;
	struct unit_backing backing; /* for the source's bookkeeping */
	struct signal_receiver source_receiver, sink_receiver;
	struct signal_slot source_slots[FIXTURE_SLOTS], sink_slots[FIXTURE_SLOTS];
	struct packet_stream_source source;
	struct packet_stream_sink sink;
	struct blocker cancelled; /* cancelled at init: a blocking call with it returns
	                             CANCELLED where it would wait */
};

/**
 * Set up a stream of `buffer_size` bytes and `queue_size` slots whose
 * indices start at `start_index`, and both sides, connected. Any failure
 * fails the case.
 */
void fixture_init(struct fixture *f, uint64_t buffer_size, uint32_t queue_size,
                  uint32_t start_index);

/** connect source and sink with copies of each other's signal capabilities */
void fixture_connect(struct fixture *f);

/** tear both sides down and free the memory; every bookkeeping block must be back */
void fixture_destroy(struct fixture *f);

/** the ring at `offset` of the stream's memory, to play a hostile peer */
static inline struct packet_stream_ring *fixture_ring(struct fixture *f, uint64_t offset)
{
	return (struct packet_stream_ring *)((uint8_t *)f->memory + offset);
}

/** the byte `index` of packet number `sequence` */
static inline uint8_t fixture_pattern(uint32_t sequence, uint64_t index)
{
	return (uint8_t)(sequence * 131u + index * 7u + (index >> 8));
}

/** fill a packet with the pattern of `sequence`; its first 4 bytes are the sequence */
void fixture_fill(void *content, uint64_t size, uint32_t sequence);

/** whether a packet holds the pattern of `sequence` */
bool fixture_holds(void const *content, uint64_t size, uint32_t sequence);

/** allocate, fill and submit a packet; fails the case unless all of it works */
struct packet_descriptor fixture_send(struct fixture *f, uint64_t size, uint32_t sequence);

/** the same with alloc_quiet, which turns the source's acknowledgement signals off */
struct packet_descriptor fixture_send_quiet(struct fixture *f, uint64_t size,
                                            uint32_t sequence);

/** the source's switch for acknowledgement signals as the ack ring holds it (1: off) */
uint32_t fixture_ack_quiet(struct fixture *f);

/**
 * Whether `receiver` has a signal pending for `context`; every pending
 * signal is consumed.
 */
bool fixture_signalled(struct signal_receiver *receiver, struct signal_context const *context);

#endif /* _PACKET_STREAM_FIXTURE_H_ */
