/* SPDX-License-Identifier: MIT */
/**
 * \brief test-nic-slirp: raw Ethernet over nic_drv's Nic session, checked
 *        against slirp's answers (run/nic_slirp.run)
 *
 * A guest without a TCP/IP stack: every frame is built and checked byte by
 * byte (eth_frame.h). In order:
 *  1. the session: MAC 52:54:00:12:34:56 (nic_drv's default), frame_max
 *     1514 (MTU 1500), link up
 *  2. DHCP: discover -> offer of 10.0.2.15 by 10.0.2.2 with mask, router
 *     and DNS; request -> ack
 *  3. ARP: 10.0.2.2 and 10.0.2.3 answer with slirp's MACs 52:55:0a:00:02:0x,
 *     10.0.2.77 (nobody) does not
 *  4. ICMP echo to 10.0.2.2 (slirp answers itself), of 56 bytes and of a
 *     full frame
 *  5. malformed frames of every kind (short, lying lengths, bad checksums,
 *     unknown types, one above frame_max): no answer, no crash, the next
 *     ping is answered
 *  6. TCP through the forward (test_tcp.c): announces "waiting for a
 *     connection", then plays a minimal TCP for one connection from the
 *     host (the run script's): handshake, a line in, "echo: <line>" out,
 *     both sides close
 *  7. backpressure: pings without receiving until the tx stream stops
 *     taking frames (the driver's backlog and slirp wait for us), then every
 *     reply must come, in order
 *  8. a client that holds its frames (test_hold.c): a. more than the
 *     acknowledgement queue has slots, then all acknowledged; b. full
 *     frames until the driver's rx buffer is full, then acknowledged and
 *     nothing sent: the reply that the driver held back comes
 * Each check logs one line without numbers that vary; those go to lines
 * of their own. A failed check logs `Error: ...`; exit code 0 only if all
 * passed.
 *
 * With <config mode="bench" bytes="16M"/> (run/nic_slirp_mtu.run) it does
 * 1. and 2., finds slirp's MAC, and then takes one connection through the
 * forward that sends `bytes` of a pattern, checks them, sends as many
 * back, and logs the times: the driver and slirp at the session's MTU,
 * with a guest that costs next to nothing.
 */

#include <os/config.h>
#include <util/string.h>

#include "test_nic_slirp.h"

enum {
	TEST_TX_BUF = 65536,
	TEST_RX_BUF = 256 << 10,  /* fewer full frames than a queue's slots (test_hold.c) */
	TEST_BENCH_BUF = 4 << 20, /* both streams, for frames up to 64 KiB */
	TEST_SILENCE_US = 300000, /* how long "no answer" is waited for */
	TEST_PING_ID = 0x5e5e,
	TEST_FLOOD_ID = 0x7777,
	TEST_FLOOD_MAX = 60000,
	TEST_DHCP_XID = 0x1badcafe,
};

static uint32_t const test_guest_ip = TEST_GUEST_IP;
static uint32_t const test_host_ip = TEST_HOST_IP;
static uint32_t const test_dns_ip = TEST_DNS_IP;

/* ---- sending and receiving ---------------------------------------------------------- */

uint64_t test_now(struct test *t)
{
	struct timer_elapsed_result e = timer_connection_elapsed_us(&t->timer);
	return e.result == TIMER_OK ? e.us : 0;
}

void test_release_acked(struct test *t)
{
	struct packet_stream_release_acked_ret r = packet_stream_source_release_acked(&t->nic.tx);
	if (r.result != PACKET_STREAM_OK || r.rejected)
		TEST_FAIL(t, "tx acknowledgements: %s, %u rejected",
		          packet_stream_result_string(r.result), (unsigned)r.rejected);
}

/* send a frame; waits while the stream is full */
void test_send(struct test *t, void const *frame, size_t size)
{
	struct packet_stream_alloc_ret a = packet_stream_source_alloc_wait(&t->nic.tx, size, 0);
	if (a.result != PACKET_STREAM_ALLOC_OK) {
		TEST_FAIL(t, "alloc of %lu bytes: %d", (unsigned long)size, (int)a.result);
		return;
	}
	memory_copy(packet_stream_source_content(&t->nic.tx, a.packet), frame, size);
	enum packet_stream_result r = packet_stream_source_submit(&t->nic.tx, a.packet, 0);
	if (r != PACKET_STREAM_OK) TEST_FAIL(t, "submit: %s", packet_stream_result_string(r));
}

/* take one received frame into t->frame; false if there is none now */
bool test_try_receive(struct test *t)
{
	struct packet_stream_get_ret g = packet_stream_sink_try_get(&t->nic.rx);
	if (g.result == PACKET_STREAM_QUEUE_EMPTY) return false;
	if (g.result != PACKET_STREAM_OK) {
		TEST_FAIL(t, "rx: %s", packet_stream_result_string(g.result));
		return false;
	}
	t->frame_size = g.packet.size <= sizeof(t->frame) ? (size_t)g.packet.size : 0;
	if (!t->frame_size) TEST_FAIL(t, "rx frame of %lu bytes", (unsigned long)g.packet.size);
	memory_copy(t->frame, g.content, t->frame_size);
	enum packet_stream_result r = packet_stream_sink_ack(&t->nic.rx, g.packet, 0);
	if (r != PACKET_STREAM_OK) TEST_FAIL(t, "rx ack: %s", packet_stream_result_string(r));
	return t->frame_size != 0;
}

bool test_frame_to_us(struct test *t, uint8_t const *frame, size_t size)
{
	struct eth_mac destination, source;
	uint16_t type;
	return eth_parse(frame, size, &destination, &source, &type) &&
	       eth_mac_equal(destination, t->mac);
}

/* wait for any signal, at most until `deadline` (timer clock, us) */
void test_wait(struct test *t, uint64_t deadline)
{
	uint64_t now = test_now(t);
	if (now >= deadline) return;
	/* armed anew each time: a blocking call may have taken the timer's last signal */
	if (timer_session_trigger_once(t->timer.session, deadline - now) != TIMER_OK)
		TEST_FAIL(t, "timer trigger failed");
	struct signal s = signal_receiver_wait(&t->nic.receiver);
	if (s.result != SIGNAL_OK) TEST_FAIL(t, "wait: no signal");
}

/*
 * Receive until a frame matches, for at most `timeout_us`; frames that
 * do not match are skipped (counted in *skipped, if given).
 */
bool test_receive(struct test *t, test_match match, void *argument, uint64_t timeout_us,
                  unsigned *skipped)
{
	uint64_t deadline = test_now(t) + timeout_us;
	for (;;) {
		test_release_acked(t);
		while (test_try_receive(t)) {
			if (match(t, argument)) return true;
			if (skipped) (*skipped)++;
		}
		if (test_now(t) >= deadline) return false;
		test_wait(t, deadline);
	}
}

/* ---- 1. the session ----------------------------------------------------------------- */

static bool test_info(struct test *t, bool bench)
{
	struct nic_mac_address_result mac = nic_session_mac_address(t->nic.session);
	struct nic_frame_max_result frame_max = nic_session_frame_max(t->nic.session);
	struct nic_link_state_result link = nic_session_link_state(t->nic.session);
	if (mac.result != NIC_OK || frame_max.result != NIC_OK || link.result != NIC_OK) {
		TEST_FAIL(t, "session info: %d %d %d", (int)mac.result, (int)frame_max.result,
		          (int)link.result);
		return false;
	}
	memory_copy(t->mac.bytes, mac.mac.bytes, 6);
	uint8_t const *m = t->mac.bytes;
	log_info("mac %02x:%02x:%02x:%02x:%02x:%02x, frame_max %u, link %s", m[0], m[1], m[2], m[3],
	         m[4], m[5], (unsigned)frame_max.bytes, link.up ? "up" : "down");
	t->frame_max = frame_max.bytes;
	if (bench ? frame_max.bytes > ETH_BUFFER || frame_max.bytes < 576 + ETH_HEADER
	          : frame_max.bytes != ETH_FRAME_MAX) {
		TEST_FAIL(t, "frame_max %u, not %u", (unsigned)frame_max.bytes,
		          (unsigned)ETH_FRAME_MAX);
		return false;
	}
	return true;
}

/* ---- 2. DHCP ------------------------------------------------------------------------ */

enum {
	DHCP_HEADER = 240, /* BOOTP's fixed part and the magic cookie */
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_ACK = 5,
};

struct test_dhcp
{
	uint8_t type; /* option 53 */
	uint32_t yiaddr, server, router, dns, mask;
};

static size_t test_dhcp_build(struct test *t, uint8_t *frame, uint8_t type)
{
	uint8_t m[DHCP_HEADER + 32];
	memory_set(m, 0, sizeof(m));
	m[0] = 1; /* request */
	m[1] = 1; /* Ethernet */
	m[2] = 6;
	eth_put32(m + 4, TEST_DHCP_XID);
	eth_put16(m + 10, 0x8000); /* answer by broadcast: we have no address yet */
	memory_copy(m + 28, t->mac.bytes, 6);
	eth_put32(m + 236, 0x63825363);
	uint8_t *o = m + DHCP_HEADER;
	*o++ = 53, *o++ = 1, *o++ = type;
	if (type == DHCP_REQUEST) {
		*o++ = 50, *o++ = 4, eth_put32(o, test_guest_ip), o += 4;
		*o++ = 54, *o++ = 4, eth_put32(o, test_host_ip), o += 4;
	}
	*o++ = 55, *o++ = 3, *o++ = 1, *o++ = 3, *o++ = 6; /* mask, router, DNS */
	*o++ = 255;
	return eth_udp(frame, eth_broadcast, t->mac, 0, 68, 0xffffffff, 67, m, (size_t)(o - m));
}

static bool test_dhcp_match(struct test *t, void *argument)
{
	struct test_dhcp *reply = argument;
	struct eth_ipv4 ip;
	struct eth_udp udp;
	if (!eth_parse_ipv4(t->frame, t->frame_size, &ip) || !eth_parse_udp(&ip, &udp) ||
	    udp.source_port != 67 || udp.destination_port != 68 || udp.length < DHCP_HEADER)
		return false;
	uint8_t const *m = udp.payload;
	if (m[0] != 2 || eth_get32(m + 4) != TEST_DHCP_XID || eth_get32(m + 236) != 0x63825363 ||
	    memory_compare(m + 28, t->mac.bytes, 6) != 0)
		return false;
	memory_set(reply, 0, sizeof(*reply));
	reply->yiaddr = eth_get32(m + 16);
	for (size_t at = DHCP_HEADER; at < udp.length && m[at] != 255;) {
		uint8_t code = m[at];
		if (code == 0) {
			at++;
			continue;
		}
		if (at + 2 > udp.length || at + 2 + m[at + 1] > udp.length) return false;
		uint8_t length = m[at + 1];
		uint8_t const *value = m + at + 2;
		if (code == 53 && length == 1) reply->type = value[0];
		if (length >= 4) {
			uint32_t v = eth_get32(value);
			if (code == 1) reply->mask = v;
			if (code == 3) reply->router = v;
			if (code == 6) reply->dns = v;
			if (code == 54) reply->server = v;
		}
		at += 2 + (size_t)length;
	}
	return true;
}

static bool test_dhcp_exchange(struct test *t, uint8_t type, uint8_t expected, char const *name)
{
	uint8_t frame[ETH_FRAME_MAX];
	test_send(t, frame, test_dhcp_build(t, frame, type));
	struct test_dhcp reply;
	if (!test_receive(t, test_dhcp_match, &reply, TEST_TIMEOUT_US, 0)) {
		TEST_FAIL(t, "dhcp: no %s", name);
		return false;
	}
	if (reply.type != expected || reply.yiaddr != test_guest_ip ||
	    reply.server != test_host_ip || reply.router != test_host_ip ||
	    reply.dns != test_dns_ip || reply.mask != IP(255, 255, 255, 0)) {
		TEST_FAIL(
		    t, "dhcp %s: type %u, address 0x%x, server 0x%x, router 0x%x, dns 0x%x, mask 0x%x",
		    name, reply.type, reply.yiaddr, reply.server, reply.router, reply.dns, reply.mask);
		return false;
	}
	log_info("dhcp %s: 10.0.2.15 from 10.0.2.2, mask 255.255.255.0, router 10.0.2.2, dns "
	         "10.0.2.3",
	         name);
	return true;
}

/* ---- 3. ARP ------------------------------------------------------------------------- */

static bool test_arp_match(struct test *t, void *argument)
{
	struct eth_arp *arp = argument;
	struct eth_mac destination, source;
	uint16_t type;
	if (!eth_parse(t->frame, t->frame_size, &destination, &source, &type) ||
	    !eth_parse_arp(t->frame, t->frame_size, arp) || arp->op != 2)
		return false;
	/* the reply is to us, from the address it names */
	return eth_mac_equal(destination, t->mac) && eth_mac_equal(source, arp->sender_mac);
}

/* ask who has `ip`; true and its MAC if someone answers */
static bool test_arp(struct test *t, uint32_t ip, uint64_t timeout_us, struct eth_mac *mac)
{
	uint8_t frame[ETH_FRAME_MAX];
	test_send(t, frame, eth_arp_request(frame, t->mac, test_guest_ip, ip));
	struct eth_arp arp;
	if (!test_receive(t, test_arp_match, &arp, timeout_us, 0)) return false;
	if (arp.sender_ip != ip || arp.target_ip != test_guest_ip ||
	    !eth_mac_equal(arp.target_mac, t->mac)) {
		TEST_FAIL(t, "arp reply for 0x%x: from 0x%x to 0x%x", ip, arp.sender_ip, arp.target_ip);
		return false;
	}
	*mac = arp.sender_mac;
	return true;
}

static void test_arps(struct test *t)
{
	uint32_t const asked[2] = { test_host_ip, test_dns_ip };
	for (unsigned i = 0; i < 2; i++) {
		struct eth_mac mac;
		if (!test_arp(t, asked[i], TEST_TIMEOUT_US, &mac)) {
			TEST_FAIL(t, "arp %u.%u.%u.%u: no answer", 10, 0, 2, asked[i] & 0xff);
			return;
		}
		uint8_t const *m = mac.bytes;
		log_info("arp 10.0.2.%u is at %02x:%02x:%02x:%02x:%02x:%02x", asked[i] & 0xff, m[0],
		         m[1], m[2], m[3], m[4], m[5]);
		if (i == 0) t->host_mac = mac;
	}
	struct eth_mac nobody;
	if (test_arp(t, IP(10, 0, 2, 77), TEST_SILENCE_US, &nobody))
		TEST_FAIL(t, "arp 10.0.2.77: answered");
	else
		log_info("arp 10.0.2.77: no answer");
}

/* ---- 4. ICMP echo ------------------------------------------------------------------- */

/* byte `i` of the data of echo `id`, `seq`: each test's pings (their own id) differ */
static uint8_t test_echo_byte(uint16_t id, uint16_t seq, size_t i)
{
	return (uint8_t)(id + seq * 7 + i * 13);
}

size_t test_echo_frame(struct test *t, uint8_t *frame, struct test_echo const *echo)
{
	uint8_t data[TEST_ECHO_FULL];
	for (size_t i = 0; i < echo->length; i++) data[i] = test_echo_byte(echo->id, echo->seq, i);
	return eth_icmp_echo(frame, t->host_mac, t->mac, test_guest_ip, test_host_ip, echo->id,
	                     echo->seq, data, echo->length);
}

void test_echo_send(struct test *t, struct test_echo const *echo)
{
	uint8_t frame[ETH_FRAME_MAX];
	test_send(t, frame, test_echo_frame(t, frame, echo));
}

bool test_echo_reply(struct test *t, uint8_t const *frame, size_t size, struct test_echo *echo,
                     bool *intact)
{
	struct eth_ipv4 ip;
	uint8_t const *data;
	if (!eth_parse_ipv4(frame, size, &ip) || ip.source != test_host_ip ||
	    ip.destination != test_guest_ip ||
	    !eth_parse_icmp_echo_reply(&ip, &echo->id, &echo->seq, &data, &echo->length))
		return false;
	*intact = test_frame_to_us(t, frame, size);
	for (size_t i = 0; i < echo->length && *intact; i++)
		*intact = data[i] == test_echo_byte(echo->id, echo->seq, i);
	return true;
}

bool test_echo_is_reply(struct test *t, uint8_t const *frame, size_t size,
                        struct test_echo const *wanted)
{
	struct test_echo got;
	bool intact;
	return test_echo_reply(t, frame, size, &got, &intact) && got.id == wanted->id &&
	       got.seq == wanted->seq && got.length == wanted->length && intact;
}

bool test_echo_match(struct test *t, void *argument)
{
	return test_echo_is_reply(t, t->frame, t->frame_size, argument);
}

static bool test_ping(struct test *t, uint16_t seq, size_t length)
{
	struct test_echo echo = { TEST_PING_ID, seq, length };
	test_echo_send(t, &echo);
	return test_receive(t, test_echo_match, &echo, TEST_TIMEOUT_US, 0);
}

static void test_pings(struct test *t)
{
	if (!test_ping(t, 1, 56) || !test_ping(t, 2, TEST_ECHO_FULL))
		TEST_FAIL(t, "ping 10.0.2.2: no intact reply");
	else
		log_info("ping 10.0.2.2: 56 and %u bytes echoed", (unsigned)TEST_ECHO_FULL);
}

/* ---- 5. malformed frames ------------------------------------------------------------ */

/* a well-formed IPv4 frame to slirp, for the caller to spoil */
static size_t test_bad_ipv4(struct test *t, uint8_t *frame, uint8_t proto, size_t length)
{
	uint8_t *payload = frame + ETH_HEADER + IPV4_HEADER;
	for (size_t i = 0; i < length; i++) payload[i] = (uint8_t)(0xa5 ^ i);
	return eth_ipv4(frame, t->host_mac, t->mac, proto, test_guest_ip, test_host_ip, length);
}

static void test_fix_ip_checksum(uint8_t *frame)
{
	uint8_t *ip = frame + ETH_HEADER;
	eth_put16(ip + 10, 0);
	eth_put16(ip + 10, eth_checksum(ip, (size_t)(ip[0] & 0xf) * 4, 0));
}

static void test_malformed(struct test *t)
{
	uint8_t frame[ETH_FRAME_MAX + 1];
	unsigned sent = 0;
	size_t size;
	memory_set(frame, 0, sizeof(frame));

	/* shorter than an Ethernet header, and a header alone of each type */
	eth_header(frame, t->host_mac, t->mac, ETH_TYPE_IPV4);
	test_send(t, frame, 1), sent++;
	test_send(t, frame, 13), sent++;
	test_send(t, frame, 14), sent++;
	eth_header(frame, t->host_mac, t->mac, ETH_TYPE_ARP);
	test_send(t, frame, 14), sent++;
	test_send(t, frame, 20), sent++;                /* a truncated ARP */
	eth_header(frame, t->host_mac, t->mac, 0x86dd); /* IPv6, which slirp does not serve here */
	test_send(t, frame, 60), sent++;

	/* IPv4: total length beyond the frame */
	size = test_bad_ipv4(t, frame, IP_PROTO_UDP, 40);
	eth_put16(frame + ETH_HEADER + 2, 1500);
	test_fix_ip_checksum(frame);
	test_send(t, frame, size), sent++;
	/* a header length of 60 bytes in a 34-byte frame */
	size = test_bad_ipv4(t, frame, IP_PROTO_TCP, 0);
	frame[ETH_HEADER] = 0x4f;
	test_send(t, frame, size), sent++;
	/* a header length below 20 */
	size = test_bad_ipv4(t, frame, IP_PROTO_ICMP, 8);
	frame[ETH_HEADER] = 0x44;
	test_send(t, frame, size), sent++;
	/* version 6 in an IPv4 frame */
	size = test_bad_ipv4(t, frame, IP_PROTO_ICMP, 8);
	frame[ETH_HEADER] = 0x65;
	test_fix_ip_checksum(frame);
	test_send(t, frame, size), sent++;
	/* a wrong header checksum */
	size = test_bad_ipv4(t, frame, IP_PROTO_ICMP, 64);
	frame[ETH_HEADER + 10] ^= 0xff;
	test_send(t, frame, size), sent++;
	/* a total length below the header */
	size = test_bad_ipv4(t, frame, IP_PROTO_UDP, 16);
	eth_put16(frame + ETH_HEADER + 2, 12);
	test_fix_ip_checksum(frame);
	test_send(t, frame, size), sent++;
	/* a fragment that never completes, and one whose offset runs past 64 KiB */
	size = test_bad_ipv4(t, frame, IP_PROTO_UDP, 64);
	eth_put16(frame + ETH_HEADER + 6, 0x2000 | 100); /* more fragments, offset 800 */
	test_fix_ip_checksum(frame);
	test_send(t, frame, size), sent++;
	eth_put16(frame + ETH_HEADER + 6, 0x1fff);
	test_fix_ip_checksum(frame);
	test_send(t, frame, size), sent++;
	/* a TCP header cut short, and one whose data offset points beyond the segment */
	size = test_bad_ipv4(t, frame, IP_PROTO_TCP, 8);
	test_send(t, frame, size), sent++;
	size = test_bad_ipv4(t, frame, IP_PROTO_TCP, 24);
	frame[ETH_HEADER + IPV4_HEADER + 12] = 0xf0;
	test_send(t, frame, size), sent++;
	/* a UDP length beyond the datagram, and BOOTP cut short */
	size = test_bad_ipv4(t, frame, IP_PROTO_UDP, 16);
	eth_put16(frame + ETH_HEADER + IPV4_HEADER + 4, 1000);
	test_send(t, frame, size), sent++;
	uint8_t bootp[10] = { 1, 1, 6 };
	test_send(t, frame,
	          eth_udp(frame, eth_broadcast, t->mac, 0, 68, 0xffffffff, 67, bootp, 10)),
	    sent++;
	/* ICMP: cut short, an unknown type, an echo with a wrong checksum */
	size = test_bad_ipv4(t, frame, IP_PROTO_ICMP, 3);
	test_send(t, frame, size), sent++;
	size = test_bad_ipv4(t, frame, IP_PROTO_ICMP, 40);
	frame[ETH_HEADER + IPV4_HEADER] = 200;
	test_send(t, frame, size), sent++;
	size = test_bad_ipv4(t, frame, IP_PROTO_ICMP, 40);
	frame[ETH_HEADER + IPV4_HEADER] = 8;
	test_send(t, frame, size), sent++;
	/* an unknown protocol */
	size = test_bad_ipv4(t, frame, 253, 100);
	test_send(t, frame, size), sent++;
	/* every byte after the Ethernet header garbage, of many sizes */
	for (unsigned i = 0; i < 64; i++) {
		size_t length = 15 + (i * 97) % (ETH_FRAME_MAX - 15);
		eth_header(frame, t->host_mac, t->mac, i & 1 ? ETH_TYPE_IPV4 : ETH_TYPE_ARP);
		uint32_t x = 0x9e3779b9u * (i + 1);
		for (size_t j = ETH_HEADER; j < length; j++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			frame[j] = (uint8_t)x;
		}
		/* IPv4 to nobody: a header checksum that happens to fit must not reach the world */
		if (i & 1) frame[ETH_HEADER] = 0x46, frame[ETH_HEADER + 9] = 253;
		test_send(t, frame, length), sent++;
	}
	/* one byte above frame_max: the driver helper drops it and says so */
	size = test_bad_ipv4(t, frame, IP_PROTO_UDP, ETH_FRAME_MAX - ETH_HEADER - IPV4_HEADER + 1);
	test_send(t, frame, size), sent++;

	/* nothing of that may be answered; the next ping is */
	struct test_echo echo = { TEST_PING_ID, 3, 56 };
	unsigned skipped = 0;
	test_echo_send(t, &echo);
	if (!test_receive(t, test_echo_match, &echo, TEST_TIMEOUT_US, &skipped))
		TEST_FAIL(t, "malformed frames: no reply to the ping after them");
	else if (skipped)
		TEST_FAIL(t, "malformed frames: %u answers", skipped);
	else
		log_info("malformed frames: none answered, the next ping is: ok");
	log_info("malformed frames sent: %u", sent);
}

/* ---- 7. backpressure ---------------------------------------------------------------- */

enum { TEST_FLOOD_DATA = 56 };

/* submit one flood ping if the stream takes it now */
static bool test_flood_try_send(struct test *t, uint16_t seq)
{
	uint8_t frame[ETH_FRAME_MAX];
	struct test_echo echo = { TEST_FLOOD_ID, seq, TEST_FLOOD_DATA };
	size_t size = test_echo_frame(t, frame, &echo);
	struct packet_stream_alloc_ret a = packet_stream_source_alloc(&t->nic.tx, size);
	if (a.result != PACKET_STREAM_ALLOC_OK) return false;
	memory_copy(packet_stream_source_content(&t->nic.tx, a.packet), frame, size);
	if (packet_stream_source_try_submit(&t->nic.tx, a.packet) == PACKET_STREAM_OK) return true;
	if (packet_stream_source_release(&t->nic.tx, a.packet) != PACKET_STREAM_RELEASE_OK)
		TEST_FAIL(t, "flood: release failed");
	return false;
}

static void test_backpressure(struct test *t)
{
	unsigned failed = t->failed;
	/* send without receiving, until the stream takes nothing for a while */
	unsigned sent = 0;
	for (;;) {
		test_release_acked(t);
		bool progress = false;
		while (sent < TEST_FLOOD_MAX && test_flood_try_send(t, (uint16_t)sent))
			sent++, progress = true;
		if (sent == TEST_FLOOD_MAX) {
			TEST_FAIL(t, "flood: %u pings taken without receiving any reply", sent);
			return;
		}
		if (progress) continue;
		/* stopped: no acknowledgement for TEST_SILENCE_US (a signal may end a wait early) */
		uint64_t before = packet_stream_source_available(&t->nic.tx);
		uint64_t quiet_until = test_now(t) + TEST_SILENCE_US;
		while (test_now(t) < quiet_until && !progress) {
			test_wait(t, quiet_until);
			test_release_acked(t);
			progress = packet_stream_source_available(&t->nic.tx) != before;
		}
		if (!progress) break;
	}
	if (t->failed != failed) return;
	log_info("not receiving: the tx stream stopped after %u pings", sent);
	if (sent <= NIC_SESSION_QUEUE_SIZE) { /* the rx queue alone takes that many */
		TEST_FAIL(t, "flood: stopped after %u pings already", sent);
		return;
	}
	log_info("not receiving, the driver stops taking frames: backpressure ok");

	/* now every reply must come, in order, while the rest is sent */
	unsigned received = 0;
	uint64_t deadline = test_now(t) + 5 * TEST_TIMEOUT_US;
	while (received < sent && t->failed == failed) {
		test_release_acked(t);
		bool progress = false;
		while (test_try_receive(t)) {
			struct test_echo echo;
			bool intact;
			if (!test_echo_reply(t, t->frame, t->frame_size, &echo, &intact) ||
			    echo.id != TEST_FLOOD_ID)
				continue;
			if (echo.seq != (uint16_t)received || !intact || echo.length != TEST_FLOOD_DATA) {
				TEST_FAIL(t, "flood: reply %u of %u is seq %u, %s", received, sent, echo.seq,
				          intact ? "intact" : "damaged");
				break;
			}
			received++;
			progress = true;
		}
		if (progress) {
			deadline = test_now(t) + 5 * TEST_TIMEOUT_US;
			continue;
		}
		if (test_now(t) >= deadline) {
			TEST_FAIL(t, "flood: %u of %u replies came", received, sent);
			break;
		}
		test_wait(t, deadline);
	}
	if (t->failed == failed)
		log_info("every ping taken was answered, in order: backpressure lost nothing");
}

/* ---- main ----------------------------------------------------------------------------- */

static bool test_setup(struct test *t, bool bench)
{
	struct nic_connection_args args = { .label = "",
		                                .tx_buf_size = bench ? TEST_BENCH_BUF : TEST_TX_BUF,
		                                .rx_buf_size = bench ? TEST_BENCH_BUF : TEST_RX_BUF };
	enum nic_connection_result r = nic_connection_init(&t->nic, t->env, &args);
	if (r != NIC_CONNECTION_OK) {
		TEST_FAIL(t, "no Nic connection (%d)", (int)r);
		return false;
	}
	if (timer_connection_init(&t->timer, t->env, "deadline") != TIMER_CONNECTION_OK) {
		TEST_FAIL(t, "no Timer connection");
		nic_connection_destroy(&t->nic);
		return false;
	}
	/* the timer's signals end waits on the connection's receiver */
	signal_context_init(&t->timer_context, &t->timer_context);
	struct signal_context_cap_result managed =
	    signal_receiver_manage(&t->nic.receiver, &t->timer_context);
	enum timer_session_result sigh = managed.result == SIGNAL_RECEIVER_OK
	                                     ? timer_connection_sigh(&t->timer, managed.cap)
	                                     : TIMER_INVALID_SIGNAL_CONTEXT;
	cap_close(managed.cap.cap); /* the timer holds its own reference */
	if (sigh != TIMER_OK) {
		TEST_FAIL(t, "no timer handler");
		signal_receiver_dissolve(&t->nic.receiver, &t->timer_context);
		timer_connection_destroy(&t->timer);
		nic_connection_destroy(&t->nic);
		return false;
	}
	return true;
}

/* the config: <config mode="check"/> (the default) or <config mode="bench" bytes="16M"/> */
static bool test_config(struct test *t, bool *bench, uint64_t *bytes)
{
	*bench = false;
	*bytes = 0;
	struct config config;
	if (config_init(&config, t->env) != CONFIG_OK) return true; /* no config: check */
	char mode[16] = "check";
	struct xml_copy_ret m = xml_node_attribute_string(config.root, "mode", mode, sizeof(mode));
	struct xml_unsigned_ret b = xml_node_attribute_unsigned(config.root, "bytes");
	*bench = string_equal(mode, "bench");
	*bytes = b.value;
	config_destroy(&config, t->env);
	if ((m.result != XML_ACCESS_OK && m.result != XML_ACCESS_NOT_FOUND) ||
	    (!*bench && !string_equal(mode, "check")) ||
	    (*bench && (b.result != XML_ACCESS_OK || b.value == 0))) {
		TEST_FAIL(t, "config: mode \"check\", or \"bench\" with bytes");
		return false;
	}
	return true;
}

static void test_checks(struct test *t)
{
	test_arps(t);
	if (t->failed) return;
	test_pings(t);
	test_malformed(t);
	test_tcp_echo(t);
	test_backpressure(t);
	if (t->failed) return;
	test_hold(t);
}

static void test_bench(struct test *t, uint64_t bytes)
{
	struct eth_mac mac;
	if (!test_arp(t, test_host_ip, TEST_TIMEOUT_US, &mac)) {
		TEST_FAIL(t, "arp 10.0.2.2: no answer");
		return;
	}
	t->host_mac = mac;
	test_tcp_bench(t, bytes);
}

int component_construct(struct env *env)
{
	static struct test t;
	t.env = env;
	bool bench;
	uint64_t bytes;
	if (test_config(&t, &bench, &bytes) && test_setup(&t, bench)) {
		if (test_info(&t, bench) &&
		    test_dhcp_exchange(&t, DHCP_DISCOVER, DHCP_OFFER, "offer") &&
		    test_dhcp_exchange(&t, DHCP_REQUEST, DHCP_ACK, "ack")) {
			if (bench)
				test_bench(&t, bytes);
			else
				test_checks(&t);
		}
		signal_receiver_dissolve(&t.nic.receiver, &t.timer_context);
		timer_connection_destroy(&t.timer);
		nic_connection_destroy(&t.nic);
	}
	if (t.failed) {
		log_error("%u checks failed", t.failed);
		return 1;
	}
	log_info("all checks passed");
	return 0;
}
