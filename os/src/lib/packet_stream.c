/* SPDX-License-Identifier: MIT */
/** \brief packet stream: shared-memory queues of packet descriptors, with signals */

#include <base/panic.h>
#include <packet_stream/packet_stream.h>
#include <util/string.h>

enum { PACKET_STREAM_QUEUE_ALIGN = 64, PACKET_STREAM_PAGE = 4096 };

static uint64_t packet_stream_round_up(uint64_t value, uint64_t align)
{
	return (value + align - 1) & ~(align - 1);
}

enum packet_stream_geometry_result
packet_stream_geometry_init(struct packet_stream_geometry *geometry, uint64_t buffer_size,
                            uint32_t queue_size)
{
	if (queue_size < PACKET_STREAM_QUEUE_SIZE_MIN ||
	    queue_size > PACKET_STREAM_QUEUE_SIZE_MAX || (queue_size & (queue_size - 1)) != 0)
		return PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE;
	if (buffer_size == 0 || buffer_size > PACKET_STREAM_BUFFER_MAX)
		return PACKET_STREAM_GEOMETRY_INVALID_BUFFER_SIZE;

	/* both bounded above, so none of the sums can overflow */
	uint64_t queue_bytes =
	    PACKET_STREAM_RING_HEADER + (uint64_t)queue_size * sizeof(struct packet_stream_slot);
	queue_bytes = packet_stream_round_up(queue_bytes, PACKET_STREAM_QUEUE_ALIGN);
	geometry->buffer_size = buffer_size;
	geometry->queue_size = queue_size;
	geometry->submit_offset = 0;
	geometry->ack_offset = queue_bytes;
	geometry->buffer_offset = packet_stream_round_up(2 * queue_bytes, PACKET_STREAM_PAGE);
	geometry->total_size =
	    packet_stream_round_up(geometry->buffer_offset + buffer_size, PACKET_STREAM_PAGE);
	return PACKET_STREAM_GEOMETRY_OK;
}

static struct packet_stream_ring *packet_stream_ring_at(void *memory, uint64_t offset)
{
	return (struct packet_stream_ring *)((uint8_t *)memory + offset);
}

void packet_stream_memory_init(void *memory, struct packet_stream_geometry const *geometry,
                               uint32_t start_index)
{
	ASSERT(((uintptr_t)memory & (PACKET_STREAM_QUEUE_ALIGN - 1)) == 0);
	struct packet_stream_ring *rings[2] = {
		packet_stream_ring_at(memory, geometry->submit_offset),
		packet_stream_ring_at(memory, geometry->ack_offset),
	};
	for (unsigned i = 0; i < 2; i++) {
		memory_set(rings[i], 0, PACKET_STREAM_RING_HEADER);
		__atomic_store_n(&rings[i]->head, start_index, __ATOMIC_RELAXED);
		__atomic_store_n(&rings[i]->tail, start_index, __ATOMIC_RELAXED);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

char const *packet_stream_result_string(enum packet_stream_result result)
{
	switch (result) {
	case PACKET_STREAM_OK:
		return "ok";
	case PACKET_STREAM_QUEUE_FULL:
		return "queue full";
	case PACKET_STREAM_QUEUE_EMPTY:
		return "queue empty";
	case PACKET_STREAM_BAD_DESCRIPTOR:
		return "bad descriptor";
	case PACKET_STREAM_PEER_CORRUPT:
		return "peer corrupt";
	case PACKET_STREAM_CANCELLED:
		return "cancelled";
	}
	return "unknown result";
}

/* ---- the rings ------------------------------------------------------------------
 *
 * Lost wake-ups: a consumer that found the queue empty waits for
 * packet_avail; a producer that found it full waits for ready_to_submit.
 * Each side publishes its index, then a full fence, then reads the other's.
 * Of two such sequences on different cores, at least one sees the other's
 * store (store-load ordering is what the fence buys). So when the consumer
 * read `head` too early to see a new entry, the producer reads the
 * consumer's `tail` late enough to see that it had caught up, and signals.
 * Likewise for a producer that saw the queue full. Extra signals are
 * harmless: the woken side looks again.
 */

static void packet_stream_producer_init(struct packet_stream_producer *p, void *memory,
                                        uint64_t offset, uint32_t size)
{
	p->ring = packet_stream_ring_at(memory, offset);
	p->size = size;
	/* the start index is ours from now on; it is never read back */
	p->head = __atomic_load_n(&p->ring->head, __ATOMIC_ACQUIRE);
}

static void packet_stream_consumer_init(struct packet_stream_consumer *c, void *memory,
                                        uint64_t offset, uint32_t size)
{
	c->ring = packet_stream_ring_at(memory, offset);
	c->size = size;
	c->tail = __atomic_load_n(&c->ring->tail, __ATOMIC_ACQUIRE);
	c->quiet = false;
	__atomic_store_n(&c->ring->quiet, 0, __ATOMIC_RELAXED);
}

/*
 * The consumer's wish for signals. Turned on, the store is followed by a
 * full fence: the caller's next look at `head` and the producer's look at
 * `quiet` after its own fence cannot both miss the other's store.
 */
static void packet_stream_consumer_quiet(struct packet_stream_consumer *c, bool quiet)
{
	if (c->quiet == quiet) return;
	c->quiet = quiet;
	__atomic_store_n(&c->ring->quiet, quiet ? 1u : 0u, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* room for one more entry: OK, QUEUE_FULL or PEER_CORRUPT */
static enum packet_stream_result packet_stream_room(struct packet_stream_producer const *p)
{
	uint32_t tail = __atomic_load_n(&p->ring->tail, __ATOMIC_ACQUIRE);
	uint32_t used = p->head - tail;
	if (used > p->size) return PACKET_STREAM_PEER_CORRUPT;
	return used == p->size ? PACKET_STREAM_QUEUE_FULL : PACKET_STREAM_OK;
}

/* whether the consumer's queue holds an entry (or an impossible index) */
static bool packet_stream_nonempty(struct packet_stream_consumer const *c)
{
	return __atomic_load_n(&c->ring->head, __ATOMIC_ACQUIRE) != c->tail;
}

/* push: *wake tells whether the consumer may wait for it */
static enum packet_stream_result packet_stream_push(struct packet_stream_producer *p,
                                                    struct packet_descriptor packet, bool *wake)
{
	*wake = false;
	enum packet_stream_result room = packet_stream_room(p);
	if (room != PACKET_STREAM_OK) return room;

	struct packet_stream_slot *slot = &p->ring->slots[p->head & (p->size - 1)];
	__atomic_store_n(&slot->offset, packet.offset, __ATOMIC_RELAXED);
	__atomic_store_n(&slot->size, packet.size, __ATOMIC_RELAXED);
	uint32_t before = p->head++;
	__atomic_store_n(&p->ring->head, p->head, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/*
	 * The consumer had taken everything before this entry: it may be
	 * waiting. A quiet one looks by itself, but not necessarily soon: the
	 * entry that fills the queue wakes it, for the producer may wait for
	 * room now, which only the consumer's look gives.
	 */
	uint32_t tail = __atomic_load_n(&p->ring->tail, __ATOMIC_RELAXED);
	if (__atomic_load_n(&p->ring->quiet, __ATOMIC_RELAXED) == 0)
		*wake = tail == before;
	else
		*wake = p->head - tail == p->size;
	return PACKET_STREAM_OK;
}

/* pop: the entry copied once into *packet; *wake tells whether the producer may wait */
static enum packet_stream_result packet_stream_pop(struct packet_stream_consumer *c,
                                                   struct packet_descriptor *packet, bool *wake)
{
	*wake = false;
	uint32_t head = __atomic_load_n(&c->ring->head, __ATOMIC_ACQUIRE);
	uint32_t available = head - c->tail;
	if (available > c->size) return PACKET_STREAM_PEER_CORRUPT;
	if (available == 0) return PACKET_STREAM_QUEUE_EMPTY;

	struct packet_stream_slot const *slot = &c->ring->slots[c->tail & (c->size - 1)];
	packet->offset = __atomic_load_n(&slot->offset, __ATOMIC_RELAXED);
	packet->size = __atomic_load_n(&slot->size, __ATOMIC_RELAXED);
	uint32_t before = c->tail++;
	__atomic_store_n(&c->ring->tail, c->tail, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/*
	 * The queue was full before this pop: the producer may be waiting. It
	 * may have pushed once more meanwhile (size + 1): signal then, too.
	 */
	*wake = __atomic_load_n(&c->ring->head, __ATOMIC_RELAXED) - before >= c->size;
	return PACKET_STREAM_OK;
}

static void packet_stream_notify(struct signal_transmitter const *peer, bool wake)
{
	/*
	 * Checked at connect, so a submit is one write; a dead peer's context
	 * takes the signal without effect, and a refused or invalid
	 * capability is never written to.
	 */
	if (wake) signal_transmitter_submit(peer, 1);
}

/*
 * A blocking call of the source waits for acknowledgements too, so one of a
 * source with quiet acknowledgements (alloc_quiet) turns their signals on
 * before it waits (alloc_wait already at its catch-up). True when it did:
 * the caller looks at its queues once more before it waits, for an
 * acknowledgement that came while they were off came without a signal, and
 * the sink signals the next only once the source has caught up (the fence
 * of the switch orders it before that look). They stay on until alloc_quiet
 * allocates again.
 */
static bool packet_stream_source_ack_signals_on(struct packet_stream_source *source)
{
	if (!source->ack.quiet) return false;
	packet_stream_consumer_quiet(&source->ack, false);
	return true;
}

/* wait for any signal of the side's receiver: OK or CANCELLED */
static enum packet_stream_result packet_stream_wait(struct signal_receiver *receiver,
                                                    struct blocker *blocker)
{
	if (!receiver) panic("packet stream: a blocking call on a side without a receiver");
	struct signal signal = blocker ? signal_receiver_wait_cancellable(receiver, blocker)
	                               : signal_receiver_wait(receiver);
	return signal.result == SIGNAL_CANCELLED ? PACKET_STREAM_CANCELLED : PACKET_STREAM_OK;
}

static bool packet_stream_inside(struct packet_stream_geometry const *geometry,
                                 struct packet_descriptor packet)
{
	return packet.size > 0 && packet.offset < geometry->buffer_size &&
	       packet.size <= geometry->buffer_size - packet.offset;
}

/*
 * Manage a side's two contexts; false (nothing managed) if the receiver is
 * full. Without a receiver there are none: both capabilities are invalid.
 */
static bool packet_stream_manage(struct signal_receiver *receiver, void *imprint,
                                 struct signal_context *first,
                                 struct signal_context_cap *first_cap,
                                 struct signal_context *second,
                                 struct signal_context_cap *second_cap)
{
	signal_context_init(first, imprint);
	signal_context_init(second, imprint);
	*first_cap = *second_cap = CAP_INVALID(signal_context);
	if (!receiver) return true;
	struct signal_context_cap_result a = signal_receiver_manage(receiver, first);
	if (a.result != SIGNAL_RECEIVER_OK) return false;
	struct signal_context_cap_result b = signal_receiver_manage(receiver, second);
	if (b.result != SIGNAL_RECEIVER_OK) {
		signal_receiver_dissolve(receiver, first);
		cap_close(a.cap.cap);
		return false;
	}
	*first_cap = a.cap;
	*second_cap = b.cap;
	return true;
}

/* close one of our own capabilities */
static void packet_stream_close(struct signal_context_cap *own)
{
	cap_close(own->cap);
	*own = CAP_INVALID(signal_context);
}

/* the peer's capability replaces the one of an earlier connect, checked once */
static void packet_stream_replace(struct signal_transmitter *peer,
                                  struct signal_context_cap cap)
{
	signal_transmitter_destroy(peer);
	(void)signal_transmitter_init(peer, cap); /* refused: signals to it go nowhere */
}

/* ---- source --------------------------------------------------------------------- */

enum packet_stream_init_result
packet_stream_source_init(struct packet_stream_source *source,
                          struct packet_stream_geometry const *geometry, void *memory,
                          struct allocator *metadata, struct signal_receiver *receiver)
{
	ASSERT(((uintptr_t)memory & (PACKET_STREAM_QUEUE_ALIGN - 1)) == 0);
	source->geometry = *geometry;
	source->buffer = (uint8_t *)memory + geometry->buffer_offset;
	packet_stream_producer_init(&source->submit, memory, geometry->submit_offset,
	                            geometry->queue_size);
	packet_stream_consumer_init(&source->ack, memory, geometry->ack_offset,
	                            geometry->queue_size);
	source->receiver = receiver;
	source->packet_avail = SIGNAL_TRANSMITTER_INVALID;
	source->ready_to_ack = SIGNAL_TRANSMITTER_INVALID;

	/* offsets into the buffer are the allocator's addresses */
	allocator_avl_init(&source->allocator, metadata);
	if (allocator_avl_add_range(&source->allocator, 0, geometry->buffer_size) !=
	    RANGE_ALLOCATOR_ADD_OK) {
		allocator_avl_destroy(&source->allocator);
		return PACKET_STREAM_INIT_OUT_OF_METADATA;
	}
	if (!packet_stream_manage(receiver, source, &source->ready_to_submit_context,
	                          &source->ready_to_submit, &source->ack_avail_context,
	                          &source->ack_avail)) {
		allocator_avl_destroy(&source->allocator);
		return PACKET_STREAM_INIT_NO_RESOURCES;
	}
	return PACKET_STREAM_INIT_OK;
}

void packet_stream_source_connect(struct packet_stream_source *source,
                                  struct signal_context_cap packet_avail,
                                  struct signal_context_cap ready_to_ack)
{
	packet_stream_replace(&source->packet_avail, packet_avail);
	packet_stream_replace(&source->ready_to_ack, ready_to_ack);
}

void packet_stream_source_destroy(struct packet_stream_source *source)
{
	if (source->receiver) {
		signal_receiver_dissolve(source->receiver, &source->ready_to_submit_context);
		signal_receiver_dissolve(source->receiver, &source->ack_avail_context);
	}
	packet_stream_close(&source->ready_to_submit);
	packet_stream_close(&source->ack_avail);
	signal_transmitter_destroy(&source->packet_avail);
	signal_transmitter_destroy(&source->ready_to_ack);
	allocator_avl_destroy(&source->allocator);
}

struct packet_stream_alloc_ret packet_stream_source_alloc(struct packet_stream_source *source,
                                                          uint64_t size)
{
	struct packet_stream_alloc_ret r = { PACKET_STREAM_ALLOC_INVALID_SIZE, { 0, 0 } };
	if (size == 0 || size > source->geometry.buffer_size) return r;
	struct range_allocator_alloc_ret a =
	    allocator_avl_alloc_aligned(&source->allocator, size, PACKET_STREAM_ALIGN_LOG2);
	switch (a.result) {
	case RANGE_ALLOCATOR_ALLOC_OK:
		r.result = PACKET_STREAM_ALLOC_OK;
		r.packet = (struct packet_descriptor){ a.addr, size };
		return r;
	case RANGE_ALLOCATOR_ALLOC_OUT_OF_METADATA:
		r.result = PACKET_STREAM_ALLOC_OUT_OF_METADATA;
		return r;
	case RANGE_ALLOCATOR_ALLOC_OUT_OF_SPACE:
	case RANGE_ALLOCATOR_ALLOC_CONFLICT:
		r.result = PACKET_STREAM_ALLOC_NO_SPACE;
		return r;
	case RANGE_ALLOCATOR_ALLOC_INVALID:
		break;
	}
	return r;
}

/*
 * Allocate, and when there is no room (NO_SPACE, or OUT_OF_METADATA, which
 * released packets may cure as well) catch up and try once more: only
 * packets that come back make room. The catch-up turns the
 * acknowledgement signals on, then takes every acknowledgement there is.
 * Those queued while the signals were off came without one, and the sink
 * signals the next only once the source has caught up with the queue (the
 * fence of the switch orders it before our look). Stopping after a queue's
 * worth (release_acked's `more`) would leave the rest unsignalled:
 * release_all. So with NO_SPACE still, the next acknowledgement signals
 * ack_avail, and the caller may wait for it at once. The allocation of
 * alloc_quiet and of alloc_wait.
 */
static struct packet_stream_alloc_quiet_ret
packet_stream_source_alloc_catching_up(struct packet_stream_source *source, uint64_t size)
{
	struct packet_stream_alloc_quiet_ret r = { PACKET_STREAM_ALLOC_OK, { 0, 0 }, 0 };
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(source, size);
	if (a.result == PACKET_STREAM_ALLOC_NO_SPACE ||
	    a.result == PACKET_STREAM_ALLOC_OUT_OF_METADATA) {
		(void)packet_stream_source_ack_signals_on(source);
		struct packet_stream_release_acked_ret released =
		    packet_stream_source_release_all(source);
		r.rejected = released.rejected;
		if (released.result != PACKET_STREAM_OK) {
			r.result = PACKET_STREAM_ALLOC_PEER_CORRUPT;
			return r;
		}
		a = packet_stream_source_alloc(source, size);
	}
	r.result = a.result;
	r.packet = a.packet;
	return r;
}

struct packet_stream_alloc_ret
packet_stream_source_alloc_wait(struct packet_stream_source *source, uint64_t size,
                                struct blocker *blocker)
{
	for (;;) {
		struct packet_stream_alloc_quiet_ret a =
		    packet_stream_source_alloc_catching_up(source, size);
		struct packet_stream_alloc_ret r = { a.result, a.packet };
		/*
		 * Only NO_SPACE is waited for: OUT_OF_METADATA that the catch-up
		 * did not cure may be the bookkeeping's own lack, which no
		 * acknowledgement need cure, and with no packet in flight none
		 * comes at all.
		 */
		if (r.result != PACKET_STREAM_ALLOC_NO_SPACE) return r;
		if (packet_stream_wait(source->receiver, blocker) == PACKET_STREAM_CANCELLED) {
			r.result = PACKET_STREAM_ALLOC_CANCELLED;
			return r;
		}
	}
}

struct packet_stream_alloc_quiet_ret
packet_stream_source_alloc_quiet(struct packet_stream_source *source, uint64_t size)
{
	struct packet_stream_alloc_quiet_ret r =
	    packet_stream_source_alloc_catching_up(source, size);
	/*
	 * This allocation waits for nothing: off. Whatever else the caller has
	 * waiting turns them on again when its own allocation fails; a packet
	 * that waits for the submit queue gets ready_to_submit, never quiet.
	 */
	if (r.result == PACKET_STREAM_ALLOC_OK) packet_stream_consumer_quiet(&source->ack, true);
	return r;
}

void *packet_stream_source_content(struct packet_stream_source *source,
                                   struct packet_descriptor packet)
{
	if (!packet_stream_inside(&source->geometry, packet)) return 0;
	return source->buffer + packet.offset;
}

enum packet_stream_result packet_stream_source_try_submit(struct packet_stream_source *source,
                                                          struct packet_descriptor packet)
{
	bool wake;
	enum packet_stream_result r = packet_stream_push(&source->submit, packet, &wake);
	packet_stream_notify(&source->packet_avail, wake);
	return r;
}

enum packet_stream_result packet_stream_source_submit(struct packet_stream_source *source,
                                                      struct packet_descriptor packet,
                                                      struct blocker *blocker)
{
	for (;;) {
		enum packet_stream_result r = packet_stream_source_try_submit(source, packet);
		if (r != PACKET_STREAM_QUEUE_FULL) return r;
		/*
		 * The sink may be waiting for room to acknowledge before it takes
		 * more: make that room, or both would wait for each other.
		 */
		struct packet_stream_release_acked_ret released =
		    packet_stream_source_release_acked(source);
		if (released.result != PACKET_STREAM_OK) return released.result;
		if (released.more) continue;
		if (packet_stream_source_ack_signals_on(source)) continue;
		r = packet_stream_wait(source->receiver, blocker);
		if (r != PACKET_STREAM_OK) return r;
	}
}

/* an acknowledgement must name an allocated packet exactly */
static bool packet_stream_source_owns(struct packet_stream_source const *source,
                                      struct packet_descriptor packet)
{
	if (!packet_stream_inside(&source->geometry, packet)) return false;
	struct range_allocator_lookup_ret block =
	    allocator_avl_lookup(&source->allocator, (uintptr_t)packet.offset);
	return block.result == RANGE_ALLOCATOR_LOOKUP_OK && block.base == packet.offset &&
	       block.size == packet.size;
}

struct packet_stream_get_ret
packet_stream_source_try_get_acked(struct packet_stream_source *source)
{
	struct packet_stream_get_ret r = { PACKET_STREAM_OK, { 0, 0 }, 0 };
	bool wake;
	r.result = packet_stream_pop(&source->ack, &r.packet, &wake);
	packet_stream_notify(&source->ready_to_ack, wake);
	if (r.result != PACKET_STREAM_OK) return r;
	if (!packet_stream_source_owns(source, r.packet))
		r.result = PACKET_STREAM_BAD_DESCRIPTOR;
	else
		r.content = source->buffer + r.packet.offset;
	return r;
}

struct packet_stream_get_ret packet_stream_source_get_acked(struct packet_stream_source *source,
                                                            struct blocker *blocker)
{
	for (;;) {
		struct packet_stream_get_ret r = packet_stream_source_try_get_acked(source);
		if (r.result != PACKET_STREAM_QUEUE_EMPTY) return r;
		if (packet_stream_source_ack_signals_on(source)) continue;
		r.result = packet_stream_wait(source->receiver, blocker);
		if (r.result != PACKET_STREAM_OK) return r;
	}
}

struct packet_stream_release_acked_ret
packet_stream_source_release_acked(struct packet_stream_source *source)
{
	struct packet_stream_release_acked_ret r = { PACKET_STREAM_OK, 0, 0, false };
	/* at most one queue's worth: a sink that refills it as fast gets no more */
	for (uint32_t taken = 0; taken < source->geometry.queue_size; taken++) {
		struct packet_stream_get_ret acked = packet_stream_source_try_get_acked(source);
		switch (acked.result) {
		case PACKET_STREAM_OK:
			/* an acknowledged packet is allocated: try_get_acked checked it */
			if (packet_stream_source_release(source, acked.packet) == PACKET_STREAM_RELEASE_OK)
				r.released++;
			else
				r.rejected++;
			break;
		case PACKET_STREAM_BAD_DESCRIPTOR:
			r.rejected++;
			break;
		case PACKET_STREAM_PEER_CORRUPT:
			r.result = PACKET_STREAM_PEER_CORRUPT;
			return r;
		case PACKET_STREAM_QUEUE_EMPTY:
		case PACKET_STREAM_QUEUE_FULL:
		case PACKET_STREAM_CANCELLED:
			return r;
		}
	}
	r.more = packet_stream_nonempty(&source->ack);
	/*
	 * A queue's worth that released nothing, with more behind it: a sink
	 * that writes invalid acknowledgements as fast as they are taken. It
	 * would keep every caller that loops on `more` going; no sink's mistake
	 * but a corrupt peer.
	 */
	if (r.more && !r.released) {
		r.result = PACKET_STREAM_PEER_CORRUPT;
		r.more = false;
	}
	return r;
}

struct packet_stream_release_acked_ret
packet_stream_source_release_all(struct packet_stream_source *source)
{
	struct packet_stream_release_acked_ret r = { PACKET_STREAM_OK, 0, 0, false };
	for (bool more = true; more;) {
		struct packet_stream_release_acked_ret round =
		    packet_stream_source_release_acked(source);
		r.released += round.released;
		r.rejected += round.rejected;
		r.result = round.result;
		more = round.more; /* never with PEER_CORRUPT */
	}
	return r;
}

enum packet_stream_release_result
packet_stream_source_release(struct packet_stream_source *source,
                             struct packet_descriptor packet)
{
	if (!packet_stream_source_owns(source, packet)) return PACKET_STREAM_RELEASE_NOT_ALLOCATED;
	if (allocator_avl_free(&source->allocator, (uintptr_t)packet.offset) !=
	    RANGE_ALLOCATOR_FREE_OK)
		return PACKET_STREAM_RELEASE_NOT_ALLOCATED;
	return PACKET_STREAM_RELEASE_OK;
}

uint64_t packet_stream_source_available(struct packet_stream_source const *source)
{
	return allocator_avl_available(&source->allocator);
}

/* ---- sink ----------------------------------------------------------------------- */

enum packet_stream_init_result
packet_stream_sink_init(struct packet_stream_sink *sink,
                        struct packet_stream_geometry const *geometry, void *memory,
                        struct signal_receiver *receiver)
{
	ASSERT(((uintptr_t)memory & (PACKET_STREAM_QUEUE_ALIGN - 1)) == 0);
	sink->geometry = *geometry;
	sink->buffer = (uint8_t *)memory + geometry->buffer_offset;
	packet_stream_consumer_init(&sink->submit, memory, geometry->submit_offset,
	                            geometry->queue_size);
	packet_stream_producer_init(&sink->ack, memory, geometry->ack_offset, geometry->queue_size);
	sink->receiver = receiver;
	sink->ready_to_submit = SIGNAL_TRANSMITTER_INVALID;
	sink->ack_avail = SIGNAL_TRANSMITTER_INVALID;
	if (!packet_stream_manage(receiver, sink, &sink->packet_avail_context, &sink->packet_avail,
	                          &sink->ready_to_ack_context, &sink->ready_to_ack))
		return PACKET_STREAM_INIT_NO_RESOURCES;
	return PACKET_STREAM_INIT_OK;
}

void packet_stream_sink_connect(struct packet_stream_sink *sink,
                                struct signal_context_cap ready_to_submit,
                                struct signal_context_cap ack_avail)
{
	packet_stream_replace(&sink->ready_to_submit, ready_to_submit);
	packet_stream_replace(&sink->ack_avail, ack_avail);
}

void packet_stream_sink_destroy(struct packet_stream_sink *sink)
{
	if (sink->receiver) {
		signal_receiver_dissolve(sink->receiver, &sink->packet_avail_context);
		signal_receiver_dissolve(sink->receiver, &sink->ready_to_ack_context);
	}
	packet_stream_close(&sink->packet_avail);
	packet_stream_close(&sink->ready_to_ack);
	signal_transmitter_destroy(&sink->ready_to_submit);
	signal_transmitter_destroy(&sink->ack_avail);
}

struct packet_stream_get_ret packet_stream_sink_try_get(struct packet_stream_sink *sink)
{
	struct packet_stream_get_ret r = { PACKET_STREAM_OK, { 0, 0 }, 0 };
	bool wake;
	r.result = packet_stream_pop(&sink->submit, &r.packet, &wake);
	packet_stream_notify(&sink->ready_to_submit, wake);
	if (r.result != PACKET_STREAM_OK) return r;
	if (!packet_stream_inside(&sink->geometry, r.packet))
		r.result = PACKET_STREAM_BAD_DESCRIPTOR;
	else
		r.content = sink->buffer + r.packet.offset;
	return r;
}

struct packet_stream_get_ret packet_stream_sink_get(struct packet_stream_sink *sink,
                                                    struct blocker *blocker)
{
	for (;;) {
		struct packet_stream_get_ret r = packet_stream_sink_try_get(sink);
		if (r.result != PACKET_STREAM_QUEUE_EMPTY) return r;
		r.result = packet_stream_wait(sink->receiver, blocker);
		if (r.result != PACKET_STREAM_OK) return r;
	}
}

enum packet_stream_result packet_stream_sink_ack_room(struct packet_stream_sink const *sink)
{
	return packet_stream_room(&sink->ack);
}

enum packet_stream_result packet_stream_sink_try_ack(struct packet_stream_sink *sink,
                                                     struct packet_descriptor packet)
{
	bool wake;
	enum packet_stream_result r = packet_stream_push(&sink->ack, packet, &wake);
	packet_stream_notify(&sink->ack_avail, wake);
	return r;
}

enum packet_stream_result packet_stream_sink_ack(struct packet_stream_sink *sink,
                                                 struct packet_descriptor packet,
                                                 struct blocker *blocker)
{
	for (;;) {
		enum packet_stream_result r = packet_stream_sink_try_ack(sink, packet);
		if (r != PACKET_STREAM_QUEUE_FULL) return r;
		r = packet_stream_wait(sink->receiver, blocker);
		if (r != PACKET_STREAM_OK) return r;
	}
}
