/* SPDX-License-Identifier: MIT */
/**
 * \brief a ring of frames in one buffer, one producer and one consumer
 *        (frame_ring.h)
 */

#include <base/panic.h>
#include <util/string.h>

#include "frame_ring.h"

/* the length of a pad record, which fills the buffer up to its end */
#define FRAME_RING_PAD UINT64_MAX

static size_t frame_ring_record(size_t size)
{
	return FRAME_RING_HEADER +
	       ((size + FRAME_RING_HEADER - 1) & ~(size_t)(FRAME_RING_HEADER - 1));
}

enum frame_ring_init_result frame_ring_init(struct frame_ring *ring, void *memory, size_t size)
{
	if (size < FRAME_RING_SIZE_MIN || (size & (size - 1)) != 0 ||
	    ((uintptr_t)memory & (FRAME_RING_HEADER - 1)) != 0)
		return FRAME_RING_INIT_INVALID;
	ring->buffer = memory;
	ring->size = size;
	ring->frame_max = size / 2 - FRAME_RING_HEADER;
	ring->head = 0;
	ring->tail = 0;
	return FRAME_RING_INIT_OK;
}

struct frame_ring_push_ret frame_ring_push(struct frame_ring *ring, void const *frame,
                                           size_t size)
{
	struct frame_ring_push_ret r = { FRAME_RING_PUSH_INVALID, false };
	if (size == 0 || size > ring->frame_max) return r;

	size_t head = ring->head; /* ours */
	size_t tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	size_t position = head & (ring->size - 1);
	size_t record = frame_ring_record(size);
	size_t pad = ring->size - position < record ? ring->size - position : 0;
	if (ring->size - (head - tail) < pad + record) {
		r.result = FRAME_RING_PUSH_FULL;
		return r;
	}
	if (pad) {
		uint64_t marker = FRAME_RING_PAD;
		memory_copy(ring->buffer + position, &marker, sizeof(marker));
		position = 0;
	}
	uint64_t length = size;
	memory_copy(ring->buffer + position, &length, sizeof(length));
	memory_copy(ring->buffer + position + FRAME_RING_HEADER, frame, size);

	/*
	 * Publish, then look at the tail again: either the consumer's last pop
	 * is seen here (the ring was empty: was_empty), or the consumer's look
	 * at the head after that pop sees this frame (both sequentially
	 * consistent).
	 */
	__atomic_store_n(&ring->head, head + pad + record, __ATOMIC_SEQ_CST);
	r.was_empty = __atomic_load_n(&ring->tail, __ATOMIC_SEQ_CST) == head;
	r.result = FRAME_RING_PUSH_OK;
	return r;
}

/* skip a pad record at the tail; the consumer's */
static void frame_ring_skip_pad(struct frame_ring *ring, size_t head)
{
	size_t tail = ring->tail;
	if (tail == head) return;
	size_t position = tail & (ring->size - 1);
	uint64_t length;
	memory_copy(&length, ring->buffer + position, sizeof(length));
	if (length != FRAME_RING_PAD) return;
	__atomic_store_n(&ring->tail, tail + ring->size - position, __ATOMIC_SEQ_CST);
}

struct frame_ring_frame frame_ring_peek(struct frame_ring *ring)
{
	struct frame_ring_frame frame = { NULL, 0 };
	size_t head = __atomic_load_n(&ring->head, __ATOMIC_SEQ_CST);
	frame_ring_skip_pad(ring, head);
	size_t tail = ring->tail;
	if (tail == head) return frame;
	size_t position = tail & (ring->size - 1);
	uint64_t length;
	memory_copy(&length, ring->buffer + position, sizeof(length));
	ASSERT(length > 0 && length <= ring->frame_max);
	frame.data = ring->buffer + position + FRAME_RING_HEADER;
	frame.size = (size_t)length;
	return frame;
}

void frame_ring_pop(struct frame_ring *ring)
{
	struct frame_ring_frame frame = frame_ring_peek(ring);
	if (!frame.data) panic("frame_ring_pop of an empty ring");
	__atomic_store_n(&ring->tail, ring->tail + frame_ring_record(frame.size), __ATOMIC_SEQ_CST);
}

size_t frame_ring_used(struct frame_ring const *ring)
{
	size_t tail = __atomic_load_n(&ring->tail, __ATOMIC_SEQ_CST);
	size_t head = __atomic_load_n(&ring->head, __ATOMIC_SEQ_CST);
	return head - tail;
}

bool frame_ring_empty(struct frame_ring const *ring) { return frame_ring_used(ring) == 0; }
