/* SPDX-License-Identifier: MIT */
/**
 * \brief packet stream: packets in a dataspace shared by a source and a sink,
 *        passed by descriptor through a submit and an acknowledgement queue
 *
 * One dataspace holds the whole stream (doc/nic.md):
 *
 *   geometry.submit_offset  submit queue: source -> sink, "take this packet"
 *   geometry.ack_offset     acknowledgement queue: sink -> source, "done"
 *   geometry.buffer_offset  the packet buffer, page aligned
 *
 * A packet is a range of the buffer, named by a descriptor (offset into the
 * buffer, size). The source allocates packets in the buffer (allocator_avl,
 * in its own memory: the sink never sees it), fills them and submits their
 * descriptors; the sink gets them, reads or writes the content and
 * acknowledges them; the source gets the acknowledged descriptors back and
 * releases the packets. Only descriptors travel; the content stays where
 * the source put it.
 *
 * Each queue is a single-producer, single-consumer ring of `queue_size`
 * slots (a power of two). Its producer writes the slot and then publishes
 * its `head` index (release); the consumer reads `head` (acquire), copies
 * the slot once into its own memory and publishes its `tail`. The indices
 * run freely modulo 2^32; a slot is `index & (queue_size - 1)`. One side
 * of a stream is used by one thread at a time (or under the caller's lock).
 *
 * Trust: each side keeps its own copy of the geometry and of its own index
 * (the start index is read once, at init) and never reads either back from
 * shared memory. What the peer writes is
 * checked before it is used: an index of the peer that would make the queue
 * hold more than queue_size entries is reported as PACKET_STREAM_PEER_CORRUPT
 * (nothing read), a descriptor that the sink gets must lie inside the
 * buffer (size > 0, offset + size <= buffer_size without overflow), and a
 * descriptor that the source gets acknowledged must be one of its allocated
 * packets (offset and size of an allocated block). A bad descriptor is
 * consumed from the queue and reported as PACKET_STREAM_BAD_DESCRIPTOR,
 * never dereferenced. A sink that writes invalid acknowledgements as fast
 * as the source takes them would keep the source taking them without end:
 * a queue's worth of them with more behind is PACKET_STREAM_PEER_CORRUPT
 * too (release_acked). The content of a packet is shared memory that the
 * peer may change at any moment: copy it before checking it.
 *
 * Signals (base/signal.h), counted wake-ups without payload:
 *   packet_avail     source -> sink    the submit queue is not empty
 *   ready_to_submit  sink -> source    the submit queue has room again
 *   ack_avail        sink -> source    the acknowledgement queue is not empty
 *   ready_to_ack     source -> sink    the acknowledgement queue has room again
 * Each side manages its two receiving contexts at a signal receiver of the
 * caller's choice and hands their capabilities to the peer (how is up to the
 * session, e.g. nic_session.h); it gets the peer's two with connect(). A push
 * signals the peer only when the consumer had caught up with the queue (it
 * may be waiting), a pop only when the queue was full before it (the
 * producer may be waiting): a full fence between publishing an index and
 * reading the peer's makes sure that one of the two sides sees the other, so
 * no wake-up is lost, and a busy stream costs no signal per packet. A signal
 * only says "look again": the state is in the queues.
 *
 * Quiet acknowledgements: a source that takes its acknowledgements back
 * at times of its own (a NIC client's transmit side before each frame it
 * sends, a driver's receive side whenever its entrypoint runs: doc/nic.md)
 * needs ack_avail only while it waits for room. Such a source allocates
 * with packet_stream_source_alloc_quiet(), which turns the signals on when
 * the buffer has no room (and takes every acknowledgement there is, so
 * none slips by unsignalled) and off again with the next allocation that
 * succeeds; an allocation that finds room takes none. The switch is the
 * consumer's `quiet` word in the acknowledgement queue, which the sink
 * reads after its fence, like `tail`. Then a packet round trip costs the
 * source no wake-up for its acknowledgement. Only the acknowledgement that
 * fills the queue still signals: the sink may wait for room then (it
 * acknowledges more packets at once than the queue has slots), and only
 * the source's look gives it.
 * alloc_wait turns the signals on when it finds no room (its catch-up),
 * submit and get_acked when they must wait; each looks once more before it
 * waits. They stay on until alloc_quiet allocates again. The word is the
 * source's wish only: a sink that ignores it wakes the source for nothing,
 * and one that honours it wrongly only keeps its own packets from being
 * reused.
 *
 * Backpressure: a full queue or buffer is reported (try_submit, try_ack:
 * PACKET_STREAM_QUEUE_FULL; alloc: PACKET_STREAM_ALLOC_NO_SPACE), or waited
 * for (submit, ack, alloc_wait: blocking on the side's receiver until the
 * peer signals). Nothing is dropped by the stream itself.
 *
 * The blocking calls of the source, submit and alloc_wait, are for a source
 * that does not look at acknowledgements (a NIC's transmit side): while they
 * wait, they take every acknowledgement and release its packet. So a sink
 * that waits for room in the acknowledgement queue is never left waiting by
 * a source that waits itself. A source that needs its acknowledgements uses
 * the try_ calls and get_acked, and waits on its receiver in its own loop.
 *
 * Blocking calls wait on the receiver given at init. Every signal of that
 * receiver ends one wait and the call checks its queue again, so the
 * receiver may be shared with other contexts only if their owners treat
 * their signals as hints too (a signal of theirs that a blocking call takes
 * is gone). A blocking call with a blocker returns PACKET_STREAM_CANCELLED
 * when it is cancelled. A peer that dies sends no signal any more: a
 * blocking call waits forever then, unless its blocker is cancelled.
 *
 * A side set up without a receiver has no contexts of its own: the caller
 * receives the peer's signals at contexts it manages itself (say, the
 * sources of an event loop, which dispatch on their own imprints) and hands
 * their capabilities to the peer. Such a side offers the try_ calls only;
 * a blocking call on it is a bug and panics.
 */

#ifndef _PACKET_STREAM_PACKET_STREAM_H_
#define _PACKET_STREAM_PACKET_STREAM_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/allocator_avl.h>
#include <base/blocker.h>
#include <base/signal.h>

enum {
	PACKET_STREAM_QUEUE_SIZE_MIN = 2,
	PACKET_STREAM_QUEUE_SIZE_MAX = 1 << 16,
	PACKET_STREAM_ALIGN_LOG2 = 6, /* packets start at multiples of 64 bytes */
	PACKET_STREAM_RING_HEADER = 128,
};

/* the largest packet buffer: 1 GiB */
#define PACKET_STREAM_BUFFER_MAX (1ull << 30)

/** a packet: `size` bytes at `offset` in the packet buffer */
struct packet_descriptor
{
	uint64_t offset;
	uint64_t size;
};

/* ---- the layout in shared memory (the wire format of both sides) -------------- */

/** one queue entry */
struct packet_stream_slot
{
	uint64_t offset;
	uint64_t size;
};

/**
 * One queue. `head` is written by the producer only, `tail` and `quiet` by
 * the consumer only; each side has a cache line of its own. `quiet`
 * nonzero: the consumer wants no signal for new entries (it looks by
 * itself) but the one that fills the queue; zero after
 * packet_stream_memory_init.
 */
struct packet_stream_ring
{
	uint32_t head;
	uint8_t head_line[60];
	uint32_t tail;
	uint32_t quiet;
	uint8_t tail_line[56];
	struct packet_stream_slot slots[]; /* queue_size of them */
};

_Static_assert(sizeof(struct packet_stream_ring) == PACKET_STREAM_RING_HEADER,
               "ring header layout");

/** where the parts of a stream lie in its dataspace; each side computes its own */
struct packet_stream_geometry
{
	uint64_t buffer_size;   /* bytes of the packet buffer */
	uint32_t queue_size;    /* slots of each queue */
	uint64_t submit_offset; /* the submit queue (0) */
	uint64_t ack_offset;    /* the acknowledgement queue */
	uint64_t buffer_offset; /* the packet buffer, page aligned */
	uint64_t total_size;    /* the dataspace size it needs, page aligned */
};

enum packet_stream_geometry_result {
	PACKET_STREAM_GEOMETRY_OK = 0,
	PACKET_STREAM_GEOMETRY_INVALID_QUEUE_SIZE,  /* no power of two in [MIN, MAX] */
	PACKET_STREAM_GEOMETRY_INVALID_BUFFER_SIZE, /* 0 or above PACKET_STREAM_BUFFER_MAX */
};

/**
 * Compute the layout of a stream with a buffer of `buffer_size` bytes and
 * queues of `queue_size` slots.
 *
 * \return PACKET_STREAM_GEOMETRY_OK with *geometry filled, or why not
 *         (*geometry unchanged)
 */
enum packet_stream_geometry_result
packet_stream_geometry_init(struct packet_stream_geometry *geometry, uint64_t buffer_size,
                            uint32_t queue_size) __attribute__((warn_unused_result));

/**
 * Prepare the queues of a stream's memory: both indices of both queues are
 * `start_index` (0 for a session; tests start near 2^32 to cross the
 * wrap-around). The side that allocates the dataspace calls it once, before
 * either side's init; the buffer is left as it is.
 *
 * \param memory  at least geometry->total_size bytes, 64-byte aligned
 */
void packet_stream_memory_init(void *memory, struct packet_stream_geometry const *geometry,
                               uint32_t start_index);

/* ---- results -------------------------------------------------------------------- */

/** results of the queue operations of both sides (each function lists its own) */
enum packet_stream_result {
	PACKET_STREAM_OK = 0,
	PACKET_STREAM_QUEUE_FULL,     /* push: no room in the queue; nothing changed */
	PACKET_STREAM_QUEUE_EMPTY,    /* get: nothing in the queue */
	PACKET_STREAM_BAD_DESCRIPTOR, /* get: the peer's descriptor is invalid (see the file
	                                 comment); it was taken from the queue and is returned
	                                 for the log, never to be used */
	PACKET_STREAM_PEER_CORRUPT,   /* the peer's index in shared memory is impossible;
	                                 nothing read or written */
	PACKET_STREAM_CANCELLED,      /* blocking call: its blocker is cancelled; nothing
	                                 changed */
};

/** results of packet allocation at the source */
enum packet_stream_alloc_result {
	PACKET_STREAM_ALLOC_OK = 0,
	PACKET_STREAM_ALLOC_NO_SPACE,        /* no free range of that size now: release
	                                        acknowledged packets, or wait */
	PACKET_STREAM_ALLOC_INVALID_SIZE,    /* 0 or larger than the buffer */
	PACKET_STREAM_ALLOC_OUT_OF_METADATA, /* the allocator's bookkeeping got no memory */
	PACKET_STREAM_ALLOC_CANCELLED,       /* alloc_wait: its blocker is cancelled */
	PACKET_STREAM_ALLOC_PEER_CORRUPT,    /* alloc_wait, alloc_quiet: the acknowledgement
	                                        queue is corrupt, no packet can come back */
};

struct packet_stream_alloc_ret
{
	enum packet_stream_alloc_result result;
	struct packet_descriptor packet; /* valid only with PACKET_STREAM_ALLOC_OK */
};

/** results of releasing a packet at the source */
enum packet_stream_release_result {
	PACKET_STREAM_RELEASE_OK = 0,
	PACKET_STREAM_RELEASE_NOT_ALLOCATED, /* no allocated packet has that offset and size */
};

/** results of setting up a side */
enum packet_stream_init_result {
	PACKET_STREAM_INIT_OK = 0,
	PACKET_STREAM_INIT_NO_RESOURCES,    /* the receiver has no free slot or handle */
	PACKET_STREAM_INIT_OUT_OF_METADATA, /* source: no memory for the allocator */
};

/** a descriptor taken from a queue */
struct packet_stream_get_ret
{
	enum packet_stream_result result;
	struct packet_descriptor packet; /* with OK and BAD_DESCRIPTOR */
	void *content;                   /* with OK: the packet's bytes in the buffer */
};

/* ---- the sides ------------------------------------------------------------------ */

/* the producer's end of a queue: its own index, its own copy of the size */
struct packet_stream_producer
{
	struct packet_stream_ring *ring;
	uint32_t head;
	uint32_t size;
};

/* the consumer's end of a queue */
struct packet_stream_consumer
{
	struct packet_stream_ring *ring;
	uint32_t tail;
	uint32_t size;
	bool quiet; /* what it last wrote to ring->quiet */
};

/**
 * The source (transmitting) side. The fields are private; the two
 * capabilities of its own contexts are public, for the peer: they stay the
 * source's (hand out copies, or pass them as IN_CAP). They are invalid for
 * a side without a receiver.
 */
struct packet_stream_source
{
	struct packet_stream_geometry geometry; /* own copy, never read back */
	uint8_t *buffer;
	struct packet_stream_producer submit;
	struct packet_stream_consumer ack;
	struct allocator_avl allocator; /* the packets, by offset into the buffer */
	struct signal_receiver *receiver;
	struct signal_context ready_to_submit_context, ack_avail_context;
	struct signal_context_cap ready_to_submit, ack_avail; /* ours, for the sink */
	struct signal_transmitter packet_avail, ready_to_ack; /* the sink's, or invalid */
};

/** The sink (receiving) side; like the source, with its own two contexts. */
struct packet_stream_sink
{
	struct packet_stream_geometry geometry;
	uint8_t *buffer;
	struct packet_stream_consumer submit;
	struct packet_stream_producer ack;
	struct signal_receiver *receiver;
	struct signal_context packet_avail_context, ready_to_ack_context;
	struct signal_context_cap packet_avail, ready_to_ack; /* ours, for the source */
	struct signal_transmitter ready_to_submit, ack_avail; /* the source's, or invalid */
};

/* ---- source --------------------------------------------------------------------- */

/**
 * Set up the source side over the stream's memory.
 *
 * \param geometry  the source's own layout (copied)
 * \param memory    the stream's memory, attached, geometry->total_size bytes,
 *                  64-byte aligned, prepared (packet_stream_memory_init); it
 *                  must stay attached until destroy
 * \param metadata  backs the packet allocator's bookkeeping; must outlive
 *                  the source
 * \param receiver  where the source's two contexts are managed (two free
 *                  slots), with the source as their imprint; the blocking
 *                  calls wait on it. NULL: no contexts (see the file
 *                  comment), the try_ calls only.
 * \return PACKET_STREAM_INIT_OK, or an error and nothing to destroy
 */
enum packet_stream_init_result
packet_stream_source_init(struct packet_stream_source *source,
                          struct packet_stream_geometry const *geometry, void *memory,
                          struct allocator *metadata, struct signal_receiver *receiver)
    __attribute__((warn_unused_result));

/**
 * The sink's contexts: where the source's signals go. Both capabilities
 * move to the source (it closes those of an earlier connect); invalid ones
 * send no signals, and neither do ones that are no signal context (checked
 * here, once: never written to).
 */
void packet_stream_source_connect(struct packet_stream_source *source,
                                  struct signal_context_cap packet_avail,
                                  struct signal_context_cap ready_to_ack);

/**
 * Dissolve the source's contexts, close every capability it holds and
 * forget its packets. The memory stays attached (the caller's).
 */
void packet_stream_source_destroy(struct packet_stream_source *source);

/**
 * Allocate a packet of `size` bytes in the buffer (PACKET_STREAM_ALIGN_LOG2
 * aligned). It is the caller's until it is submitted, or released.
 */
struct packet_stream_alloc_ret packet_stream_source_alloc(struct packet_stream_source *source,
                                                          uint64_t size)
    __attribute__((warn_unused_result));

/**
 * Like alloc, but when there is no room it catches up as alloc_quiet
 * does: it releases every packet that came back acknowledged (release_all:
 * they must be of no further use to the caller) and tries once more. While
 * the buffer still has no room it waits for the next acknowledgement, and
 * catches up again. Invalid acknowledgements met on the way are skipped
 * uncounted (alloc_quiet counts them for its caller).
 *
 * \param blocker  cancels the wait, or NULL
 * \return as alloc, never NO_SPACE; PACKET_STREAM_ALLOC_OUT_OF_METADATA
 *         only when the catch-up did not cure it (it is not waited for: no
 *         acknowledgement need cure it, and with no packet in flight none
 *         comes); or PACKET_STREAM_ALLOC_CANCELLED, or
 *         PACKET_STREAM_ALLOC_PEER_CORRUPT (release_all found the
 *         acknowledgement queue corrupt, or a sink that writes invalid
 *         acknowledgements without end)
 */
struct packet_stream_alloc_ret
packet_stream_source_alloc_wait(struct packet_stream_source *source, uint64_t size,
                                struct blocker *blocker) __attribute__((warn_unused_result));

/** what alloc_quiet did */
struct packet_stream_alloc_quiet_ret
{
	enum packet_stream_alloc_result result; /* as alloc, or PACKET_STREAM_ALLOC_PEER_CORRUPT */
	struct packet_descriptor packet;        /* valid only with PACKET_STREAM_ALLOC_OK */
	uint32_t rejected; /* invalid acknowledgements it took and skipped (the caller's to
	                      log: the sink's mistakes) */
};

/**
 * Allocate for a source with quiet acknowledgements (see the file comment):
 * one that takes its acknowledgements back by itself (release_acked: they
 * must be of no further use to the caller) and needs ack_avail only while
 * an allocation must wait for room. The switch is turned here, so that the
 * caller never does:
 *
 * - no room (NO_SPACE, or OUT_OF_METADATA, which released packets may cure
 *   as well): acknowledgement signals on, then every acknowledgement there
 *   is taken and its packet released, and the allocation is tried once
 *   more. Still no room: the signals stay on and the source has caught up
 *   with the queue, so the sink's next acknowledgement signals ack_avail.
 *   The caller may wait for it (or for ready_to_submit) right away.
 *   OUT_OF_METADATA still: the same, but no acknowledgement need cure it
 *   (the bookkeeping may lack memory for reasons of its own).
 * - success: acknowledgement signals off (a store and a fence only when
 *   they were on, so a busy source pays nothing per packet). Whatever the
 *   caller still has waiting turns them on again with its own failed
 *   allocation.
 *
 * Until the first call they are on, as after init; nothing can be
 * acknowledged before a packet is allocated. alloc_wait turns them on when
 * it finds no room, submit and get_acked when they must wait, each before
 * it looks once more.
 *
 * \return the result of the last allocation with its packet (the caller's,
 *         as with alloc), and the invalid acknowledgements skipped on the
 *         way; a failed allocation leaves nothing allocated;
 *         PACKET_STREAM_ALLOC_PEER_CORRUPT: the acknowledgement queue is
 *         corrupt, or the sink wrote a queue's worth of invalid
 *         acknowledgements and more behind them (no packet allocated, the
 *         signals are on)
 */
struct packet_stream_alloc_quiet_ret
packet_stream_source_alloc_quiet(struct packet_stream_source *source, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * The bytes of `packet`, or NULL if it does not lie inside the buffer.
 */
void *packet_stream_source_content(struct packet_stream_source *source,
                                   struct packet_descriptor packet);

/**
 * Hand a packet to the sink. The source does not check the descriptor
 * (the sink does): submitting anything but an allocated packet is the
 * caller's bug, which the sink reports and which never comes back.
 *
 * \return PACKET_STREAM_OK (the packet belongs to the stream until it comes
 *         back acknowledged), PACKET_STREAM_QUEUE_FULL or
 *         PACKET_STREAM_PEER_CORRUPT (nothing changed; the packet is still
 *         the caller's)
 */
enum packet_stream_result packet_stream_source_try_submit(struct packet_stream_source *source,
                                                          struct packet_descriptor packet)
    __attribute__((warn_unused_result));

/**
 * Like try_submit, but waits while the queue is full, and meanwhile releases
 * every packet that comes back acknowledged (release_acked).
 *
 * \return PACKET_STREAM_OK, PACKET_STREAM_PEER_CORRUPT (a queue is corrupt,
 *         or release_acked found a sink that writes invalid acknowledgements
 *         without end) or PACKET_STREAM_CANCELLED (packet still the caller's)
 */
enum packet_stream_result packet_stream_source_submit(struct packet_stream_source *source,
                                                      struct packet_descriptor packet,
                                                      struct blocker *blocker)
    __attribute__((warn_unused_result));

/**
 * Take the next acknowledged packet; it is the caller's again (release it,
 * or submit it anew).
 *
 * \return PACKET_STREAM_OK with the packet, PACKET_STREAM_QUEUE_EMPTY,
 *         PACKET_STREAM_BAD_DESCRIPTOR (an acknowledgement that names no
 *         allocated packet: consumed, nothing released) or
 *         PACKET_STREAM_PEER_CORRUPT
 */
struct packet_stream_get_ret
packet_stream_source_try_get_acked(struct packet_stream_source *source)
    __attribute__((warn_unused_result));

/**
 * Like try_get_acked, but waits while nothing is acknowledged.
 *
 * \return as try_get_acked but never QUEUE_EMPTY; or PACKET_STREAM_CANCELLED
 */
struct packet_stream_get_ret packet_stream_source_get_acked(struct packet_stream_source *source,
                                                            struct blocker *blocker)
    __attribute__((warn_unused_result));

/** what release_acked and release_all did */
struct packet_stream_release_acked_ret
{
	enum packet_stream_result result; /* PACKET_STREAM_OK or PACKET_STREAM_PEER_CORRUPT */
	uint32_t released;                /* packets taken back and released */
	uint32_t rejected;                /* invalid acknowledgements taken and skipped */
	bool more; /* release_acked stopped after queue_size of them and more are there: call
	              again before waiting (their signal may have come before it took the
	              ones before them). Never with PACKET_STREAM_PEER_CORRUPT, nor from
	              release_all */
};

/**
 * Take every acknowledgement there is, at most queue_size of them, and
 * release their packets: for a source that does not look at
 * acknowledgements.
 *
 * \return the acknowledgements taken, with PACKET_STREAM_OK, or
 *         PACKET_STREAM_PEER_CORRUPT: the acknowledgement queue is corrupt,
 *         or it took a queue's worth of invalid acknowledgements, released
 *         nothing, and more are behind them (a sink that writes them as fast
 *         as they are taken, which would keep a caller that loops on `more`
 *         going forever). No packet can come back any more.
 */
struct packet_stream_release_acked_ret
packet_stream_source_release_acked(struct packet_stream_source *source)
    __attribute__((warn_unused_result));

/**
 * release_acked until no more are there: every acknowledgement there is,
 * however many, for a source that must have caught up with the queue (so
 * that the sink signals the next one). It ends, for each round but the last
 * released a packet and nothing is allocated meanwhile.
 *
 * \return the sums of the rounds (`more` false), with PACKET_STREAM_OK, or
 *         PACKET_STREAM_PEER_CORRUPT as release_acked (it stops there)
 */
struct packet_stream_release_acked_ret
packet_stream_source_release_all(struct packet_stream_source *source)
    __attribute__((warn_unused_result));

/**
 * Give a packet back to the buffer: one that came back acknowledged, or one
 * that was allocated and never submitted.
 */
enum packet_stream_release_result
packet_stream_source_release(struct packet_stream_source *source,
                             struct packet_descriptor packet)
    __attribute__((warn_unused_result));

/** bytes of the buffer that are not allocated (not necessarily in one piece) */
uint64_t packet_stream_source_available(struct packet_stream_source const *source);

/* ---- sink ----------------------------------------------------------------------- */

/**
 * Set up the sink side over the stream's memory; parameters as for
 * packet_stream_source_init (the sink needs no allocator).
 */
enum packet_stream_init_result
packet_stream_sink_init(struct packet_stream_sink *sink,
                        struct packet_stream_geometry const *geometry, void *memory,
                        struct signal_receiver *receiver) __attribute__((warn_unused_result));

/** the source's contexts; both capabilities move to the sink (as source_connect) */
void packet_stream_sink_connect(struct packet_stream_sink *sink,
                                struct signal_context_cap ready_to_submit,
                                struct signal_context_cap ack_avail);

/** dissolve the sink's contexts and close every capability it holds */
void packet_stream_sink_destroy(struct packet_stream_sink *sink);

/**
 * Take the next submitted packet. The sink owes the source an
 * acknowledgement of it (try_ack or ack), and may use its content until
 * then.
 *
 * \return PACKET_STREAM_OK with the packet and its content,
 *         PACKET_STREAM_QUEUE_EMPTY, PACKET_STREAM_BAD_DESCRIPTOR (outside
 *         the buffer, or empty: consumed, not to be acknowledged) or
 *         PACKET_STREAM_PEER_CORRUPT
 */
struct packet_stream_get_ret packet_stream_sink_try_get(struct packet_stream_sink *sink)
    __attribute__((warn_unused_result));

/**
 * Like try_get, but waits while the queue is empty.
 *
 * \return as try_get but never QUEUE_EMPTY; or PACKET_STREAM_CANCELLED
 */
struct packet_stream_get_ret packet_stream_sink_get(struct packet_stream_sink *sink,
                                                    struct blocker *blocker)
    __attribute__((warn_unused_result));

/**
 * Whether an acknowledgement fits now: PACKET_STREAM_OK,
 * PACKET_STREAM_QUEUE_FULL or PACKET_STREAM_PEER_CORRUPT. Only the sink
 * fills that queue, so room stays room until it acknowledges. A sink that
 * checks this before each get never holds a packet that it cannot
 * acknowledge.
 */
enum packet_stream_result packet_stream_sink_ack_room(struct packet_stream_sink const *sink)
    __attribute__((warn_unused_result));

/**
 * Acknowledge a packet (the sink is done with its content).
 *
 * \return PACKET_STREAM_OK, PACKET_STREAM_QUEUE_FULL or
 *         PACKET_STREAM_PEER_CORRUPT (nothing changed)
 */
enum packet_stream_result packet_stream_sink_try_ack(struct packet_stream_sink *sink,
                                                     struct packet_descriptor packet)
    __attribute__((warn_unused_result));

/**
 * Like try_ack, but waits while the queue is full.
 *
 * \return PACKET_STREAM_OK, PACKET_STREAM_PEER_CORRUPT or
 *         PACKET_STREAM_CANCELLED
 */
enum packet_stream_result packet_stream_sink_ack(struct packet_stream_sink *sink,
                                                 struct packet_descriptor packet,
                                                 struct blocker *blocker)
    __attribute__((warn_unused_result));

/** name of a result, for messages */
char const *packet_stream_result_string(enum packet_stream_result result);

#endif /* _PACKET_STREAM_PACKET_STREAM_H_ */
