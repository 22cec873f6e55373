/* SPDX-License-Identifier: MIT */
/**
 * \brief test-nic: a client of a loopback Nic driver (run/nic.run)
 *
 * In order:
 *  1. session requests that the driver must refuse: too little ram_quota,
 *     a buffer size out of range
 *  2. starts its child `vanish` (test-nic-vanish), whose Nic request goes
 *     on to our parent; the child fills its tx stream and exits. While its
 *     session is open (the child exited, it is not destroyed yet), our own
 *     request is denied; once the child is destroyed (its session closed),
 *     ours is served
 *  3. one session, one thread waiting on the connection's receiver:
 *     - MAC address, frame_max, link state
 *     - TEST_ECHO frames of every size from 1 to frame_max, each echoed
 *       frame checked byte for byte and in order
 *     - without receiving, sends small frames until try_submit says the tx
 *       queue is full; then every one of them must come back, in order
 *     - without receiving or taking acknowledgements, allocates frames of
 *       frame_max until the tx buffer is full (a known count); then
 *       alloc_wait must get one, and every frame must come back
 *     - a frame above frame_max: the driver drops and acknowledges it
 *     - descriptors outside the buffer (one whose offset + size overflows,
 *       an empty one): never acknowledged, and the next frame comes back
 *  4. a second session (with a larger tx buffer, so that the queue fills
 *     before the buffer does), whose streams are used by two threads with
 *     the blocking calls: TEST_THREADED frames, checked by the receiving
 *     thread
 *  5. a third session whose signals go to contexts of our own (as an event
 *     loop's sources would have them): an echo of TEST_ECHO frames, waiting
 *     on our receiver only
 *  6. starts a loopback driver of its own (drv2), opens a session at its
 *     root and destroys it: the session's calls answer NIC_INVALID_CAP
 *
 * Each check logs one line without measured numbers; numbers that vary
 * go to lines of their own. A failed check logs `Error: ...`; the exit
 * code is 0 only if every check passed.
 */

#include <base/child.h>
#include <base/log.h>
#include <base/semaphore.h>
#include <nic_session/connection.h>
#include <root/root.h>
#include <util/format.h>
#include <util/string.h>

#include "test_parent.h"

enum {
	TEST_TX_BUF = 65536,
	TEST_RX_BUF = 1 << 20,
	TEST_ECHO = 2000,
	TEST_SMALL = 64,
	TEST_THREADED = 5000,
	TEST_CHILD_QUOTA = 2 << 20,
};

struct test
{
	struct env *env;
	unsigned failed;
	struct nic_connection nic;
	uint32_t frame_max;

	/* the frames in flight of the single-threaded checks, and where they wait */
	uint32_t sent, received;
	struct signal_receiver *wait_receiver;
	unsigned foreign_signals; /* of phase 5: signals with an imprint that is not ours */

	/* the vanishing child, and a driver of our own */
	struct test_parent parent;
	struct child child;
	struct semaphore child_exited;
	struct child driver;
	struct semaphore driver_announced;
	struct root_cap driver_root;
};

#define TEST_FAIL(test, ...)    \
	do {                        \
		(test)->failed++;       \
		log_error(__VA_ARGS__); \
	} while (0)

/* ---- frames -------------------------------------------------------------------- */

/* byte `i` of frame number `sequence`: its first four bytes are the sequence */
static uint8_t test_byte(uint32_t sequence, uint64_t i)
{
	if (i < 4) return (uint8_t)(sequence >> (8 * i));
	return (uint8_t)(sequence * 131u + i * 7u + (i >> 8));
}

static void test_fill(void *frame, uint64_t size, uint32_t sequence)
{
	uint8_t *bytes = frame;
	for (uint64_t i = 0; i < size; i++) bytes[i] = test_byte(sequence, i);
}

static bool test_holds(void const *frame, uint64_t size, uint32_t sequence)
{
	uint8_t const *bytes = frame;
	for (uint64_t i = 0; i < size; i++)
		if (bytes[i] != test_byte(sequence, i)) return false;
	return true;
}

/* every size from 1 to frame_max over the sequence, and both ends often */
static uint64_t test_echo_size(struct test *t, uint32_t sequence)
{
	if (sequence % 50 == 0) return 1;
	if (sequence % 50 == 1) return t->frame_max;
	return 1 + ((uint64_t)sequence * 2654435761u >> 7) % t->frame_max;
}

static uint64_t test_small_size(struct test *t, uint32_t sequence)
{
	(void)t;
	(void)sequence;
	return TEST_SMALL;
}

static uint64_t test_max_size(struct test *t, uint32_t sequence)
{
	(void)sequence;
	return t->frame_max;
}

/* ---- the single-threaded loop ------------------------------------------------------- */

/* wait for any signal of the connection: something changed */
static void test_wait(struct test *t)
{
	struct signal s = signal_receiver_wait(t->wait_receiver);
	if (s.result != SIGNAL_OK) TEST_FAIL(t, "wait: no signal");
	if (t->wait_receiver != &t->nic.receiver && s.imprint != t) t->foreign_signals++;
}

/* take the tx acknowledgements; false on a bad one */
static bool test_release_acked(struct test *t, bool *progress)
{
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&t->nic.tx);
	if (r.result != PACKET_STREAM_OK || r.rejected) {
		TEST_FAIL(t, "tx acknowledgements: %s, %u rejected",
		          packet_stream_result_string(r.result), (unsigned)r.rejected);
		return false;
	}
	if (r.released) *progress = true;
	return true;
}

/* send one frame if the stream takes it now; false when it does not */
static bool test_try_send(struct test *t, uint64_t size, uint32_t sequence)
{
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&t->nic.tx, size);
	if (a.result == PACKET_STREAM_ALLOC_NO_SPACE) return false;
	if (a.result != PACKET_STREAM_ALLOC_OK) {
		TEST_FAIL(t, "alloc of %lu bytes: %d", (unsigned long)size, (int)a.result);
		return false;
	}
	test_fill(packet_stream_source_content(&t->nic.tx, a.packet), size, sequence);
	enum packet_stream_result r = packet_stream_source_try_submit(&t->nic.tx, a.packet);
	if (r == PACKET_STREAM_OK) return true;
	if (r != PACKET_STREAM_QUEUE_FULL)
		TEST_FAIL(t, "submit: %s", packet_stream_result_string(r));
	if (packet_stream_source_release(&t->nic.tx, a.packet) != PACKET_STREAM_RELEASE_OK)
		TEST_FAIL(t, "release of a packet never submitted");
	return false;
}

/* check the next echoed frame; false if there is none now */
static bool test_try_receive(struct test *t, uint64_t (*size_of)(struct test *, uint32_t))
{
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&t->nic.rx);
	if (g.result == PACKET_STREAM_QUEUE_EMPTY) return false;
	if (g.result != PACKET_STREAM_OK) {
		TEST_FAIL(t, "rx: %s", packet_stream_result_string(g.result));
		return false;
	}
	uint32_t sequence = t->received++;
	uint64_t size = size_of(t, sequence);
	if (g.packet.size != size || !test_holds(g.content, g.packet.size, sequence))
		TEST_FAIL(t, "frame %u: %lu bytes, %s", (unsigned)sequence,
		          (unsigned long)g.packet.size,
		          g.packet.size != size ? "wrong size" : "wrong content");
	/* the driver takes acknowledgements whenever we signal: this wait ends */
	enum packet_stream_result r = packet_stream_sink_ack(&t->nic.rx, g.packet, 0);
	if (r != PACKET_STREAM_OK) TEST_FAIL(t, "rx ack: %s", packet_stream_result_string(r));
	return true;
}

/*
 * Send frames up to number `count` (those from t->sent on), and receive
 * and check them up to number `count`, with sizes by `size_of`. Waits only
 * when a whole round made no progress: every change at the driver after
 * that round's checks sends a signal (packet_stream.h).
 */
static void test_exchange(struct test *t, uint32_t count,
                          uint64_t (*size_of)(struct test *, uint32_t))
{
	unsigned failed = t->failed;
	while (t->received < count && t->failed == failed) {
		bool progress = false;
		if (!test_release_acked(t, &progress)) return;
		while (t->sent < count && test_try_send(t, size_of(t, t->sent), t->sent))
			t->sent++, progress = true;
		while (t->received < t->sent && test_try_receive(t, size_of)) progress = true;
		if (!progress) test_wait(t);
	}
	/* whatever is still acknowledged comes back before the next check */
	while (packet_stream_source_available(&t->nic.tx) < TEST_TX_BUF && t->failed == failed) {
		bool progress = false;
		if (!test_release_acked(t, &progress)) return;
		if (!progress) test_wait(t);
	}
}

/* ---- 1. refused requests ------------------------------------------------------------ */

static void test_refused(struct test *t, char const *what, char const *args,
                         enum parent_result expected, char const *expected_name)
{
	struct connection c = env_session_request(t->env, "Nic", args);
	if (c.result == expected)
		log_info("session with %s: %s", what, expected_name);
	else
		TEST_FAIL(t, "session with %s: %d instead of %s", what, (int)c.result, expected_name);
	if (c.result == PARENT_OK) env_session_close(t->env, &c);
}

static void test_requests(struct test *t)
{
	char args[SESSION_ARGS_MAX];
	format_string(args, sizeof(args), "ram_quota=%lu, tx_buf_size=%u, rx_buf_size=%u",
	              (unsigned long)(nic_session_ram_quota(TEST_TX_BUF, TEST_RX_BUF) - 1),
	              (unsigned)TEST_TX_BUF, (unsigned)TEST_RX_BUF);
	test_refused(t, "one byte too little ram_quota", args, PARENT_INSUFFICIENT_DONATION,
	             "insufficient donation");
	format_string(args, sizeof(args), "ram_quota=%lu, tx_buf_size=100, rx_buf_size=%u",
	              (unsigned long)nic_session_ram_quota(TEST_TX_BUF, TEST_RX_BUF),
	              (unsigned)TEST_RX_BUF);
	test_refused(t, "tx_buf_size=100", args, PARENT_INVALID_ARGUMENT, "invalid arguments");
}

/* ---- 2. a client that vanishes ------------------------------------------------------ */

static void test_child_exited(void *state, struct child *child, int code)
{
	struct test *t = state;
	(void)child;
	if (code != 0) TEST_FAIL(t, "vanish exited with %d", code);
	semaphore_up(&t->child_exited);
}

static void test_vanish(struct test *t)
{
	semaphore_init(&t->child_exited, 0);
	test_parent_init(&t->parent, t->env);
	struct child_args args = { .name = "vanish",
		                       .binary = "test-nic-vanish",
		                       .ram_quota = TEST_CHILD_QUOTA,
		                       .policy = { .exited = test_child_exited, .state = t },
		                       .rm_override = CAP_INVALID(session),
		                       .cpu_override = CAP_INVALID(session) };
	if (child_start(&t->child, t->env, &t->parent.ep, &args) != CHILD_OK) {
		TEST_FAIL(t, "vanish did not start");
		return;
	}
	semaphore_down(&t->child_exited);
	log_info("vanish exited with its session open");

	char session_args[SESSION_ARGS_MAX];
	format_string(session_args, sizeof(session_args),
	              "ram_quota=%lu, tx_buf_size=%u, rx_buf_size=%u",
	              (unsigned long)nic_session_ram_quota(TEST_TX_BUF, TEST_RX_BUF),
	              (unsigned)TEST_TX_BUF, (unsigned)TEST_RX_BUF);
	test_refused(t, "the session of vanish open", session_args, PARENT_SERVICE_DENIED,
	             "denied");
	child_destroy(&t->child);
	log_info("vanish destroyed");
}

/* ---- 3. one session, one thread ----------------------------------------------------- */

static bool test_connect(struct test *t, uint64_t tx_buf_size, struct signal_receiver *tx,
                         struct signal_receiver *rx)
{
	struct nic_connection_args args = { .label = "",
		                                .tx_buf_size = tx_buf_size,
		                                .rx_buf_size = TEST_RX_BUF,
		                                .tx_receiver = tx,
		                                .rx_receiver = rx };
	enum nic_connection_result r = nic_connection_init(&t->nic, t->env, &args);
	if (r != NIC_CONNECTION_OK) TEST_FAIL(t, "no Nic connection (%d)", (int)r);
	t->sent = t->received = 0;
	t->wait_receiver = &t->nic.receiver;
	return r == NIC_CONNECTION_OK;
}

static void test_info(struct test *t)
{
	struct nic_mac_address_result mac = nic_session_mac_address(t->nic.session);
	struct nic_frame_max_result frame_max = nic_session_frame_max(t->nic.session);
	struct nic_link_state_result link = nic_session_link_state(t->nic.session);
	if (mac.result != NIC_OK || frame_max.result != NIC_OK || link.result != NIC_OK ||
	    frame_max.bytes == 0 || frame_max.bytes > NIC_SESSION_FRAME_MAX) {
		TEST_FAIL(t, "session info: %d %d %d", (int)mac.result, (int)frame_max.result,
		          (int)link.result);
		return;
	}
	t->frame_max = frame_max.bytes;
	uint8_t const *m = mac.mac.bytes;
	log_info("mac %02x:%02x:%02x:%02x:%02x:%02x, frame_max %u, link %s", m[0], m[1], m[2], m[3],
	         m[4], m[5], (unsigned)t->frame_max, link.up ? "up" : "down");
}

static void test_echo(struct test *t)
{
	unsigned failed = t->failed;
	test_exchange(t, TEST_ECHO, test_echo_size);
	if (t->failed == failed)
		log_info("echo of %u frames of 1 to %u bytes: ok", (unsigned)TEST_ECHO,
		         (unsigned)t->frame_max);
}

static void test_queue_full(struct test *t)
{
	unsigned failed = t->failed;
	t->sent = t->received = 0;
	/* receive nothing: the driver stops when our rx queue is full, and so does tx */
	while (t->sent < 4 * NIC_SESSION_QUEUE_SIZE &&
	       test_try_send(t, test_small_size(t, t->sent), t->sent))
		t->sent++;
	if (t->failed != failed) return;
	if (t->sent < NIC_SESSION_QUEUE_SIZE || t->sent > 2 * NIC_SESSION_QUEUE_SIZE + 1) {
		TEST_FAIL(t, "tx queue full after %u frames", (unsigned)t->sent);
		return;
	}
	log_info("tx queue full while not receiving: backpressure ok");
	log_info("tx queue full after %u frames", (unsigned)t->sent);
	uint32_t in_flight = t->sent;
	test_exchange(t, in_flight, test_small_size);
	if (t->failed == failed)
		log_info("every frame came back in order after the full queue: ok");
}

static void test_buffer_full(struct test *t)
{
	unsigned failed = t->failed;
	t->sent = t->received = 0;
	/* neither receive nor take acknowledgements: the tx buffer fills up */
	while (test_try_send(t, t->frame_max, t->sent)) t->sent++;
	/* packets start at multiples of 64 bytes */
	uint64_t stride = (t->frame_max + 63) / 64 * 64;
	uint32_t expected = (uint32_t)((TEST_TX_BUF - t->frame_max) / stride + 1);
	if (t->failed != failed) return;
	if (t->sent != expected) {
		TEST_FAIL(t, "tx buffer full after %u frames, not %u", (unsigned)t->sent,
		          (unsigned)expected);
		return;
	}
	log_info("tx buffer full after %u frames of %u bytes: backpressure ok", (unsigned)t->sent,
	         (unsigned)t->frame_max);

	/* the driver sent them all: alloc_wait releases the acknowledged ones */
	struct packet_stream_alloc_ret a =
	    packet_stream_source_alloc_wait(&t->nic.tx, t->frame_max, 0);
	if (a.result != PACKET_STREAM_ALLOC_OK) {
		TEST_FAIL(t, "alloc_wait: %d", (int)a.result);
		return;
	}
	test_fill(packet_stream_source_content(&t->nic.tx, a.packet), t->frame_max, t->sent);
	enum packet_stream_result r = packet_stream_source_submit(&t->nic.tx, a.packet, 0);
	if (r != PACKET_STREAM_OK) TEST_FAIL(t, "submit: %s", packet_stream_result_string(r));
	t->sent++;
	test_exchange(t, t->sent, test_max_size);
	if (t->failed == failed) log_info("alloc_wait after the full buffer, every frame back: ok");
}

/* submit a descriptor as it is: the driver must check it */
static void test_submit_raw(struct test *t, uint64_t offset, uint64_t size)
{
	enum packet_stream_result r =
	    packet_stream_source_submit(&t->nic.tx, (struct packet_descriptor){ offset, size }, 0);
	if (r != PACKET_STREAM_OK) TEST_FAIL(t, "submit: %s", packet_stream_result_string(r));
}

/* the next acknowledgement, which must name `expected` */
static void test_expect_ack(struct test *t, struct packet_descriptor expected, char const *what)
{
	struct packet_stream_get_ret a = packet_stream_source_get_acked(&t->nic.tx, 0);
	if (a.result != PACKET_STREAM_OK || a.packet.offset != expected.offset ||
	    a.packet.size != expected.size) {
		TEST_FAIL(t, "%s: acknowledgement %s of offset 0x%lx, size %lu", what,
		          packet_stream_result_string(a.result), (unsigned long)a.packet.offset,
		          (unsigned long)a.packet.size);
		return;
	}
	if (packet_stream_source_release(&t->nic.tx, a.packet) != PACKET_STREAM_RELEASE_OK)
		TEST_FAIL(t, "%s: release failed", what);
}

/* one frame of `size` whose acknowledgement and echo (if `echoed`) are checked */
static void test_single(struct test *t, uint64_t size, uint32_t sequence, bool echoed,
                        char const *what)
{
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&t->nic.tx, size);
	if (a.result != PACKET_STREAM_ALLOC_OK) {
		TEST_FAIL(t, "%s: alloc %d", what, (int)a.result);
		return;
	}
	test_fill(packet_stream_source_content(&t->nic.tx, a.packet), size, sequence);
	if (packet_stream_source_try_submit(&t->nic.tx, a.packet) != PACKET_STREAM_OK) {
		TEST_FAIL(t, "%s: submit", what);
		return;
	}
	test_expect_ack(t, a.packet, what);
	if (!echoed) return;
	struct packet_stream_get_ret g = packet_stream_sink_get(&t->nic.rx, 0);
	if (g.result != PACKET_STREAM_OK || g.packet.size != size ||
	    !test_holds(g.content, size, sequence))
		TEST_FAIL(t, "%s: the echo is not the frame", what);
	if (g.result == PACKET_STREAM_OK &&
	    packet_stream_sink_ack(&t->nic.rx, g.packet, 0) != PACKET_STREAM_OK)
		TEST_FAIL(t, "%s: rx ack", what);
}

static void test_bad_frames(struct test *t)
{
	/* above frame_max: acknowledged, not sent; the frame after it comes back first */
	unsigned failed = t->failed;
	test_single(t, t->frame_max + 1, 7, false, "frame above frame_max");
	test_single(t, 100, 8, true, "frame after the one above frame_max");
	if (t->failed == failed)
		log_info("frame of %u bytes dropped by the driver, acknowledged: ok",
		         (unsigned)t->frame_max + 1);

	/* outside the buffer: never acknowledged, never echoed */
	failed = t->failed;
	test_submit_raw(t, TEST_TX_BUF - 10, 100);
	test_submit_raw(t, UINT64_MAX - 5, 10);
	test_submit_raw(t, 0, 0);
	test_single(t, 60, 9, true, "frame after bad descriptors");
	if (packet_stream_source_try_get_acked(&t->nic.tx).result != PACKET_STREAM_QUEUE_EMPTY ||
	    packet_stream_sink_try_get(&t->nic.rx).result != PACKET_STREAM_QUEUE_EMPTY)
		TEST_FAIL(t, "a bad descriptor came back");
	if (t->failed == failed) log_info("bad descriptors rejected, the driver still serves: ok");
}

/* ---- 4. two threads with blocking calls --------------------------------------------- */

struct test_receiver_thread
{
	struct test *t;
	unsigned bad;
};

static void test_receive_blocking(void *argument)
{
	struct test_receiver_thread *r = argument;
	struct test *t = r->t;
	for (uint32_t sequence = 0; sequence < TEST_THREADED; sequence++) {
		struct packet_stream_get_ret g = packet_stream_sink_get(&t->nic.rx, 0);
		if (g.result != PACKET_STREAM_OK) {
			r->bad++;
			return;
		}
		if (g.packet.size != test_echo_size(t, sequence) ||
		    !test_holds(g.content, g.packet.size, sequence))
			r->bad++;
		if (packet_stream_sink_ack(&t->nic.rx, g.packet, 0) != PACKET_STREAM_OK) r->bad++;
	}
}

static void test_threads(struct test *t)
{
	static struct signal_receiver tx_receiver, rx_receiver;
	static struct signal_slot tx_slots[2], rx_slots[3];
	if (signal_receiver_init(&tx_receiver, tx_slots, 2) != SIGNAL_RECEIVER_OK ||
	    signal_receiver_init(&rx_receiver, rx_slots, 3) != SIGNAL_RECEIVER_OK) {
		TEST_FAIL(t, "no signal receivers");
		return;
	}
	if (!test_connect(t, TEST_RX_BUF, &tx_receiver, &rx_receiver)) return;

	struct test_receiver_thread receiving = { t, 0 };
	static struct thread thread;
	if (thread_create(&thread, t->env, "receiver", test_receive_blocking, &receiving,
	                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK) {
		TEST_FAIL(t, "no receiver thread");
		return;
	}
	unsigned submit_waits = 0, alloc_waits = 0;
	for (uint32_t sequence = 0; sequence < TEST_THREADED; sequence++) {
		uint64_t size = test_echo_size(t, sequence);
		struct packet_stream_alloc_ret a = packet_stream_source_alloc(&t->nic.tx, size);
		if (a.result == PACKET_STREAM_ALLOC_NO_SPACE) {
			alloc_waits++;
			a = packet_stream_source_alloc_wait(&t->nic.tx, size, 0);
		}
		if (a.result != PACKET_STREAM_ALLOC_OK) {
			TEST_FAIL(t, "alloc_wait: %d", (int)a.result);
			break;
		}
		test_fill(packet_stream_source_content(&t->nic.tx, a.packet), size, sequence);
		enum packet_stream_result r = packet_stream_source_try_submit(&t->nic.tx, a.packet);
		if (r == PACKET_STREAM_QUEUE_FULL) {
			submit_waits++;
			r = packet_stream_source_submit(&t->nic.tx, a.packet, 0);
		}
		if (r != PACKET_STREAM_OK) {
			TEST_FAIL(t, "submit: %s", packet_stream_result_string(r));
			break;
		}
	}
	/*
	 * The driver stops when its acknowledgements find no room: take them
	 * until all came back, and only then wait for the receiving thread.
	 */
	while (!t->failed && packet_stream_source_available(&t->nic.tx) < TEST_RX_BUF) {
		struct packet_stream_get_ret a = packet_stream_source_get_acked(&t->nic.tx, 0);
		if (a.result != PACKET_STREAM_OK ||
		    packet_stream_source_release(&t->nic.tx, a.packet) != PACKET_STREAM_RELEASE_OK)
			TEST_FAIL(t, "tx acknowledgement: %s", packet_stream_result_string(a.result));
	}
	thread_join(&thread);
	if (receiving.bad)
		TEST_FAIL(t, "%u frames wrong or missing on the receiving thread", receiving.bad);
	else
		log_info("%u frames with blocking calls on two threads: ok", (unsigned)TEST_THREADED);
	log_info("the sending thread waited %u times for queue room, %u times for buffer room",
	         submit_waits, alloc_waits);
	nic_connection_destroy(&t->nic);
	signal_receiver_destroy(&tx_receiver);
	signal_receiver_destroy(&rx_receiver);
}

/* ---- 5. the caller's own contexts, as an event loop has them ------------------------ */

static void test_own_contexts(struct test *t)
{
	static struct signal_receiver receiver;
	static struct signal_slot slots[5];
	static struct signal_context contexts[5];
	struct signal_context_cap caps[5];
	if (signal_receiver_init(&receiver, slots, 5) != SIGNAL_RECEIVER_OK) {
		TEST_FAIL(t, "no signal receiver");
		return;
	}
	for (unsigned i = 0; i < 5; i++) {
		signal_context_init(&contexts[i], t); /* the imprint an event loop dispatches on */
		struct signal_context_cap_result m = signal_receiver_manage(&receiver, &contexts[i]);
		if (m.result != SIGNAL_RECEIVER_OK) {
			TEST_FAIL(t, "no signal context");
			return;
		}
		caps[i] = m.cap;
	}
	struct nic_connection_signals signals = { caps[0], caps[1], caps[2], caps[3], caps[4] };
	struct nic_connection_args args = { .label = "own contexts",
		                                .tx_buf_size = TEST_TX_BUF,
		                                .rx_buf_size = TEST_RX_BUF,
		                                .signals = &signals };
	enum nic_connection_result r = nic_connection_init(&t->nic, t->env, &args);
	if (r != NIC_CONNECTION_OK) {
		TEST_FAIL(t, "no Nic connection with own contexts (%d)", (int)r);
		return;
	}
	unsigned failed = t->failed;
	t->sent = t->received = 0;
	t->wait_receiver = &receiver;
	t->foreign_signals = 0;
	test_exchange(t, TEST_ECHO, test_echo_size);
	if (t->foreign_signals) TEST_FAIL(t, "%u signals not at our contexts", t->foreign_signals);
	if (t->failed == failed)
		log_info("echo of %u frames with the signals at our own contexts: ok",
		         (unsigned)TEST_ECHO);
	nic_connection_destroy(&t->nic);
	signal_receiver_destroy(&receiver);
	for (unsigned i = 0; i < 5; i++) cap_close(caps[i].cap);
}

/* ---- 6. a driver that dies -------------------------------------------------------- */

static enum parent_result test_driver_announce(void *state, struct child *child,
                                               char const *service, struct root_cap root)
{
	struct test *t = state;
	(void)child;
	if (!string_equal(service, "Nic") || cap_valid(t->driver_root.cap)) {
		cap_close(root.cap);
		return PARENT_SERVICE_DENIED;
	}
	t->driver_root = root; /* ours now */
	semaphore_up(&t->driver_announced);
	return PARENT_OK;
}

static void test_driver_gone(struct test *t)
{
	semaphore_init(&t->driver_announced, 0);
	t->driver_root = CAP_INVALID(root);
	struct child_args args = { .name = "drv2",
		                       .binary = "nic_loopback",
		                       .ram_quota = TEST_CHILD_QUOTA,
		                       .policy = { .announce = test_driver_announce, .state = t },
		                       .rm_override = CAP_INVALID(session),
		                       .cpu_override = CAP_INVALID(session) };
	if (child_start(&t->driver, t->env, &t->parent.ep, &args) != CHILD_OK) {
		TEST_FAIL(t, "drv2 did not start");
		return;
	}
	semaphore_down(&t->driver_announced);

	/* a session at our own child's root: we are its parent, and pay its donation */
	uint64_t quota = nic_session_ram_quota(NIC_SESSION_BUF_MIN, NIC_SESSION_BUF_MIN);
	char session_args[SESSION_ARGS_MAX];
	format_string(session_args, sizeof(session_args),
	              "ram_quota=%lu, tx_buf_size=%u, rx_buf_size=%u, label=\"direct\"",
	              (unsigned long)quota, (unsigned)NIC_SESSION_BUF_MIN,
	              (unsigned)NIC_SESSION_BUF_MIN);
	struct session_cap session = CAP_INVALID(session);
	if (ram_session_transfer_quota(t->env->ram, child_ram(&t->driver), quota) != RAM_OK ||
	    root_session(t->driver_root, session_args, &session) != ROOT_OK) {
		TEST_FAIL(t, "no session at drv2");
		child_destroy(&t->driver);
		cap_close(t->driver_root.cap);
		return;
	}
	struct nic_session_cap nic = CAP_CAST(nic_session, session);
	struct nic_link_state_result before = nic_session_link_state(nic);
	child_destroy(&t->driver); /* its process is killed */
	struct nic_link_state_result after = nic_session_link_state(nic);
	struct dataspace_cap ds = CAP_INVALID(dataspace);
	enum nic_session_result tx = nic_session_tx_dataspace(nic, &ds);
	if (before.result != NIC_OK || after.result != NIC_INVALID_CAP || tx != NIC_INVALID_CAP ||
	    cap_valid(ds.cap))
		TEST_FAIL(t, "driver gone: link state %d before, %d after, tx_dataspace %d",
		          (int)before.result, (int)after.result, (int)tx);
	else
		log_info("drv2 gone: its session answers invalid capability: ok");
	cap_close(session.cap);
	cap_close(t->driver_root.cap);
}

int component_construct(struct env *env)
{
	static struct test t;
	t.env = env;
	test_requests(&t);
	test_vanish(&t);
	if (test_connect(&t, TEST_TX_BUF, 0, 0)) {
		test_info(&t);
		if (t.frame_max) {
			test_echo(&t);
			test_queue_full(&t);
			test_buffer_full(&t);
			test_bad_frames(&t);
		}
		nic_connection_destroy(&t.nic);
	}
	if (t.frame_max) test_threads(&t);
	if (t.frame_max) test_own_contexts(&t);
	test_driver_gone(&t);
	if (t.failed) {
		log_error("%u checks failed", t.failed);
		return 1;
	}
	log_info("all checks passed");
	return 0;
}
