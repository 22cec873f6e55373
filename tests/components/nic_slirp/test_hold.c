/* SPDX-License-Identifier: MIT */
/**
 * \brief test-nic-slirp, 8.: a client that holds its received frames and
 *        acknowledges them later, sending nothing meanwhile
 *
 * The driver takes the rx stream's acknowledgements back without a signal
 * for each (quiet acknowledgements, packet_stream.h): its allocation turns
 * their signals on only when it finds the client's buffer full
 * (nic_driver_receive, alloc_quiet). Two clients that rely on what is
 * left:
 *
 *  a. one that holds more frames than the acknowledgement queue has slots
 *     (a zero-copy stack may) and then acknowledges them all: the driver
 *     has room and nothing to deliver, so only the entry that fills the
 *     acknowledgement queue can make it look and give ready_to_ack
 *  b. one that holds full frames until the driver's rx buffer is full and
 *     a reply stays in the driver's backlog, then acknowledges them (fewer
 *     than the queue's slots, so it never fills): only the acknowledgement
 *     signals that the driver's allocation turned on can end its pause. No
 *     frame of the client waits in the tx queue (a busy one would be offered
 *     again), nothing comes from the host, and the rx queue never fills (no
 *     ready_to_submit): a driver that does not hear of them keeps the reply
 *     for ever.
 *
 * A frame's way: the guest's ping goes through transmit() into slirp,
 * whose reply comes back within that call (slirp answers an echo of its
 * host address at once) and goes into the rx queue or, with no room, into
 * the backlog; only then is the ping acknowledged. So once every tx packet
 * is back, the reply is in the rx queue or held back by the driver.
 */

#include "test_nic_slirp.h"

enum {
	TEST_HOLD_ID = 0x4848,
	TEST_HOLD_SMALL = 56,                            /* bytes of data */
	TEST_HOLD_MANY = NIC_SESSION_QUEUE_SIZE + 44,    /* more than an ack queue holds */
	TEST_HOLD_ALIGN = 1 << PACKET_STREAM_ALIGN_LOG2, /* the packet stream's granule */
};

static uint64_t test_hold_aligned(uint64_t size)
{
	return (size + TEST_HOLD_ALIGN - 1) / TEST_HOLD_ALIGN * TEST_HOLD_ALIGN;
}

/* every tx packet back: what the driver did with each frame is done */
static bool test_hold_tx_settle(struct test *t)
{
	uint64_t const size = t->nic.tx.geometry.buffer_size;
	uint64_t deadline = test_now(t) + TEST_TIMEOUT_US;
	for (;;) {
		test_release_acked(t);
		if (packet_stream_source_available(&t->nic.tx) == size) return true;
		if (test_now(t) >= deadline) return false;
		test_wait(t, deadline);
	}
}

/* take every frame of the rx queue without acknowledging it; true if `wanted` came */
static bool test_hold_take(struct test *t, struct test_echo const *wanted, uint64_t *held_bytes)
{
	bool replied = false;
	for (;;) {
		struct packet_stream_get_ret g = packet_stream_sink_try_get(&t->nic.rx);
		if (g.result == PACKET_STREAM_QUEUE_EMPTY) return replied;
		if (g.result != PACKET_STREAM_OK || t->held_count == TEST_HOLD_MAX) {
			TEST_FAIL(t, "hold: rx %s after %u frames", packet_stream_result_string(g.result),
			          t->held_count);
			return false;
		}
		t->held[t->held_count++] = g.packet;
		*held_bytes += test_hold_aligned(g.packet.size);
		if (test_echo_is_reply(t, g.content, (size_t)g.packet.size, wanted)) replied = true;
	}
}

/*
 * Ping with `length` bytes, one at a time, holding every received frame,
 * until `count` replies came or one stays with the driver. Returns the
 * number of replies that came; fails the check if a ping is not taken.
 */
static unsigned test_hold_fill(struct test *t, size_t length, unsigned count,
                               uint64_t *held_bytes)
{
	for (unsigned seq = 0; seq < count; seq++) {
		struct test_echo echo = { TEST_HOLD_ID, (uint16_t)seq, length };
		test_echo_send(t, &echo);
		if (!test_hold_tx_settle(t)) {
			TEST_FAIL(t, "hold: ping %u not acknowledged", seq);
			return seq;
		}
		if (!test_hold_take(t, &echo, held_bytes)) return seq;
	}
	return count;
}

/* acknowledge every held frame; a full acknowledgement queue is waited for */
static bool test_hold_release(struct test *t)
{
	uint64_t deadline = test_now(t) + TEST_TIMEOUT_US;
	for (unsigned i = 0; i < t->held_count;) {
		enum packet_stream_result r = packet_stream_sink_try_ack(&t->nic.rx, t->held[i]);
		if (r == PACKET_STREAM_OK) {
			i++;
			deadline = test_now(t) + TEST_TIMEOUT_US;
			continue;
		}
		if (r != PACKET_STREAM_QUEUE_FULL || test_now(t) >= deadline) {
			TEST_FAIL(t, "hold: acknowledgement %u of %u: %s", i + 1, t->held_count,
			          packet_stream_result_string(r));
			return false;
		}
		test_wait(t, deadline); /* for ready_to_ack */
	}
	t->held_count = 0;
	return true;
}

/* a.: more frames held than the acknowledgement queue has slots */
static void test_hold_many(struct test *t)
{
	unsigned failed = t->failed;
	uint64_t held_bytes = 0;
	t->held_count = 0;
	unsigned replies = test_hold_fill(t, TEST_HOLD_SMALL, TEST_HOLD_MANY, &held_bytes);
	if (t->failed != failed) return;
	if (replies != TEST_HOLD_MANY) {
		TEST_FAIL(t, "hold: %u of %u small replies came, with %llu bytes held", replies,
		          (unsigned)TEST_HOLD_MANY, (unsigned long long)held_bytes);
		return;
	}
	if (!test_hold_release(t)) return;
	log_info("holding more frames than the ack queue has slots, then acknowledging: ok");
}

/* b.: full frames held until the driver's rx buffer is full */
static void test_hold_full(struct test *t)
{
	unsigned failed = t->failed;
	uint64_t const rx_size = t->nic.rx.geometry.buffer_size;
	uint64_t held_bytes = 0;
	t->held_count = 0;
	unsigned replies = test_hold_fill(t, TEST_ECHO_FULL, TEST_HOLD_MAX, &held_bytes);
	if (t->failed != failed) return;
	/* the reply is missing because the client has no room, not for another reason */
	if (replies == TEST_HOLD_MAX || held_bytes + test_hold_aligned(ETH_FRAME_MAX) <= rx_size) {
		TEST_FAIL(t, "hold: %u full replies came, with %llu of %llu bytes held", replies,
		          (unsigned long long)held_bytes, (unsigned long long)rx_size);
		return;
	}
	/* otherwise the full acknowledgement queue would wake the driver (a.) */
	if (t->held_count >= NIC_SESSION_QUEUE_SIZE) {
		TEST_FAIL(t, "hold: %u frames fill the rx buffer: take a smaller one", t->held_count);
		return;
	}
	log_info("hold: the driver's rx buffer was full after %u frames", t->held_count);
	log_info("holding every frame: the driver keeps a reply back, the rx buffer is full");

	/* acknowledgements only: the reply must come without anything sent */
	if (!test_hold_release(t)) return;
	struct test_echo wanted = { TEST_HOLD_ID, (uint16_t)replies, TEST_ECHO_FULL };
	if (!test_receive(t, test_echo_match, &wanted, TEST_TIMEOUT_US, 0)) {
		TEST_FAIL(t, "hold: acknowledged all, sent nothing: the reply to ping %u did not come",
		          replies);
		return;
	}
	log_info("acknowledged without sending: the reply held back came");
}

void test_hold(struct test *t)
{
	if (!test_hold_tx_settle(t)) {
		TEST_FAIL(t, "hold: tx packets not back before the start");
		return;
	}
	test_hold_many(t);
	if (t->failed) return;
	test_hold_full(t);
}
