/* SPDX-License-Identifier: MIT */
/**
 * \brief a ring of frames in one buffer: variable-sized records copied in by
 *        one producer thread and taken out in order by one consumer thread
 *
 * nic_drv (doc/nic_drv.md) keeps one, in its one thread: the backlog, the
 * frames that slirp sent while the client had no room for them. The ring
 * still allows its two ends in two threads (below).
 *
 * Layout. The buffer holds records of an 8-byte header (the frame's length)
 * and the frame, padded to 8 bytes. A record never wraps: when it does not
 * fit before the buffer's end, a pad record fills the rest and the frame
 * starts at the beginning. `head` and `tail` count bytes since the start
 * and only grow; their difference is the bytes in use.
 *
 * Threads. push() is called by the producer only, peek() and pop() by the
 * consumer only, each side by one thread at a time; used() and empty() by
 * either (a moment's view). push() reports whether the ring was empty at
 * the moment the frame became visible, with sequentially consistent
 * ordering against pop(): if the consumer took the last frame and then
 * found the ring empty, the producer's next push() says `was_empty`. So a
 * consumer that sleeps after finding the ring empty is woken by a producer
 * that wakes it only on `was_empty`, without a lost wake-up.
 */

#ifndef _NIC_DRV_FRAME_RING_H_
#define _NIC_DRV_FRAME_RING_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FRAME_RING_HEADER = 8,   /* bytes before each frame */
	FRAME_RING_SIZE_MIN = 64 /* the smallest buffer */
};

struct frame_ring
{
	uint8_t *buffer;
	size_t size;       /* a power of two */
	size_t frame_max;  /* the largest frame push() takes */
	size_t head, tail; /* bytes pushed and popped since init; atomics */
};

enum frame_ring_init_result {
	FRAME_RING_INIT_OK = 0,
	FRAME_RING_INIT_INVALID, /* size not a power of two or below FRAME_RING_SIZE_MIN,
	                            or memory not 8-byte aligned */
};

/**
 * Set up an empty ring over `memory`.
 *
 * \param memory  `size` bytes, 8-byte aligned; stays the caller's and must
 *                live as long as the ring
 * \return FRAME_RING_INIT_OK, or FRAME_RING_INIT_INVALID (nothing set up).
 *         The largest frame is half of `size` minus the header: such a
 *         frame fits an empty ring wherever its head is.
 */
enum frame_ring_init_result frame_ring_init(struct frame_ring *ring, void *memory, size_t size)
    __attribute__((warn_unused_result));

enum frame_ring_push_result {
	FRAME_RING_PUSH_OK = 0,
	FRAME_RING_PUSH_FULL,    /* not enough room now; nothing changed. The consumer's
	                            pops make room. */
	FRAME_RING_PUSH_INVALID, /* 0 bytes or above the ring's frame_max; nothing changed */
};

struct frame_ring_push_ret
{
	enum frame_ring_push_result result;
	bool was_empty; /* with OK: the ring held no other frame when this one became
	                   visible (the consumer may be asleep) */
};

/**
 * Copy a frame into the ring (producer).
 *
 * \param frame  `size` bytes, copied
 */
struct frame_ring_push_ret frame_ring_push(struct frame_ring *ring, void const *frame,
                                           size_t size) __attribute__((warn_unused_result));

struct frame_ring_frame
{
	void const *data; /* NULL if the ring is empty */
	size_t size;
};

/**
 * The oldest frame (consumer). It stays in the ring, unchanged, until pop().
 *
 * \return the frame, or { NULL, 0 } if the ring is empty
 */
struct frame_ring_frame frame_ring_peek(struct frame_ring *ring);

/**
 * Remove the oldest frame (consumer); the ring must not be empty (a bug:
 * panic). Its memory may be reused by the next push().
 */
void frame_ring_pop(struct frame_ring *ring);

/** The bytes in use (headers and padding included), at this moment. */
size_t frame_ring_used(struct frame_ring const *ring);

/** Whether the ring holds no frame, at this moment. */
bool frame_ring_empty(struct frame_ring const *ring);

#endif /* _NIC_DRV_FRAME_RING_H_ */
