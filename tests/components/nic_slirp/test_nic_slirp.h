/* SPDX-License-Identifier: MIT */
/**
 * \brief what the files of test-nic-slirp share: the test's state and its
 *        way of sending and receiving frames
 */

#ifndef _TEST_NIC_SLIRP_H_
#define _TEST_NIC_SLIRP_H_

#include <base/log.h>
#include <nic_session/connection.h>
#include <timer_session/connection.h>

#include "eth_frame.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

#define TEST_GUEST_IP IP(10, 0, 2, 15)
#define TEST_HOST_IP  IP(10, 0, 2, 2)
#define TEST_DNS_IP   IP(10, 0, 2, 3)

enum {
	TEST_GUEST_PORT = 8181, /* where the run scripts' forwards point */
	TEST_TIMEOUT_US = 2000000,
	TEST_CONNECT_TIMEOUT_US = 120000000, /* the bench's clients wait for their turn */
	TEST_HOLD_MAX = 1024,                /* received frames held at once (test_hold.c) */
	/* the data of an ICMP echo in a full frame */
	TEST_ECHO_FULL = ETH_FRAME_MAX - ETH_HEADER - IPV4_HEADER - 8,
};

struct test
{
	struct env *env;
	unsigned failed;
	struct nic_connection nic;
	struct timer_connection timer;
	struct signal_context timer_context;
	struct eth_mac mac;      /* ours, from the session */
	struct eth_mac host_mac; /* slirp's, from ARP */
	uint32_t frame_max;      /* the session's */

	uint8_t frame[ETH_BUFFER]; /* the frame received last */
	size_t frame_size;
	uint8_t out[ETH_BUFFER]; /* where frames to send are built */

	struct packet_descriptor held[TEST_HOLD_MAX]; /* received, not acknowledged yet */
	unsigned held_count;
};

#define TEST_FAIL(test, ...)    \
	do {                        \
		(test)->failed++;       \
		log_error(__VA_ARGS__); \
	} while (0)

/** the timer's clock in us (0 if the timer fails) */
uint64_t test_now(struct test *t);

/** take the driver's tx acknowledgements and release their packets */
void test_release_acked(struct test *t);

/** send a frame (copied); waits while the tx stream is full */
void test_send(struct test *t, void const *frame, size_t size);

/** take one received frame into t->frame; false if there is none now */
bool test_try_receive(struct test *t);

/** wait for any signal, at most until `deadline` (test_now's clock) */
void test_wait(struct test *t, uint64_t deadline);

/** whether the frame `frame` of `size` bytes went to our MAC (t->mac) */
bool test_frame_to_us(struct test *t, uint8_t const *frame, size_t size);

typedef bool (*test_match)(struct test *t, void *argument);

/**
 * Receive until a frame matches (it is in t->frame then), for at most
 * `timeout_us`; frames that do not match are skipped and counted in
 * *skipped (if given). False on the timeout.
 */
bool test_receive(struct test *t, test_match match, void *argument, uint64_t timeout_us,
                  unsigned *skipped);

/** an ICMP echo between us and slirp's host address 10.0.2.2: a request or its reply */
struct test_echo
{
	uint16_t id, seq;
	size_t length; /* bytes of data, at most TEST_ECHO_FULL */
};

/**
 * Build the echo request `echo` from us (10.0.2.15, t->mac) to 10.0.2.2
 * (t->host_mac) in `frame` (ETH_FRAME_MAX bytes) and return its size. Its
 * data is a pattern of the echo's id and seq, which test_echo_reply checks.
 */
size_t test_echo_frame(struct test *t, uint8_t *frame, struct test_echo const *echo);

/** send the echo request `echo` (test_echo_frame); waits while the tx stream is full */
void test_echo_send(struct test *t, struct test_echo const *echo);

/**
 * Whether the received frame `frame` of `size` bytes is an echo reply from
 * 10.0.2.2 to 10.0.2.15; if so, *echo gets its id, seq and length and
 * *intact whether it went to our MAC and carries the data that
 * test_echo_frame put into the request of that id and seq.
 */
bool test_echo_reply(struct test *t, uint8_t const *frame, size_t size, struct test_echo *echo,
                     bool *intact);

/** whether `frame` is an intact reply (test_echo_reply) to the request `wanted` */
bool test_echo_is_reply(struct test *t, uint8_t const *frame, size_t size,
                        struct test_echo const *wanted);

/** a test_match: whether t->frame is an intact reply to `argument`, a struct test_echo */
bool test_echo_match(struct test *t, void *argument);

/**
 * TCP through the forward (test_tcp.c), one connection from the host each:
 * a line in, "echo: <line>" out, both sides close.
 */
void test_tcp_echo(struct test *t);

/**
 * `bytes` of a pattern from the host, checked, then as many back, with
 * segments as large as the MTU allows; the times go to the log.
 */
void test_tcp_bench(struct test *t, uint64_t bytes);

/**
 * A client that holds its received frames (test_hold.c): a. more than the
 * acknowledgement queue has slots, then acknowledged all; b. full frames
 * until the driver's rx buffer is full and a reply stays in the driver,
 * then acknowledged, nothing sent: that reply must come.
 */
void test_hold(struct test *t);

#endif /* _TEST_NIC_SLIRP_H_ */
