/* SPDX-License-Identifier: MIT */
/**
 * \brief test-nic-slirp's minimal TCP: one connection at a time from the
 *        host through slirp's forward to 10.0.2.15:8181
 *
 * Just enough TCP for a lossless link: the handshake (with our MSS), data
 * in order and acknowledged, a sender that keeps within the peer's window,
 * and both sides' FIN. Anything out of order is answered with an ACK of
 * where we are (slirp retransmits); a reset or a silence of TEST_TIMEOUT_US
 * fails the check. No retransmissions of ours: the Nic session and the
 * driver lose nothing (run/nic_slirp.run checks that).
 */

#include <util/string.h>

#include "test_nic_slirp.h"

enum {
	TEST_ISS = 1000000,        /* our initial sequence number */
	TEST_WINDOW = 65535,       /* no window scaling: slirp's TCP does not take it */
	TEST_PATTERN_PERIOD = 251, /* byte o of a bench stream is o % 251 */
	TEST_TCP_HEADERS = ETH_HEADER + IPV4_HEADER + TCP_HEADER,
	TEST_PROBE_US = 100000, /* a zero window is probed this often */
};

struct test_tcp
{
	uint32_t peer_ip;
	uint16_t peer_port;
	uint32_t snd_nxt, snd_una, rcv_nxt;
	uint32_t peer_window;
	uint16_t peer_mss, mss;
	struct eth_tcp segment; /* the one received last */
	unsigned misaddressed;  /* segments that did not go to our MAC (the first fails) */
};

static bool test_tcp_match(struct test *t, void *argument)
{
	struct test_tcp *c = argument;
	struct eth_ipv4 ip;
	if (!eth_parse_ipv4(t->frame, t->frame_size, &ip) || ip.destination != TEST_GUEST_IP ||
	    !eth_parse_tcp(&ip, &c->segment) || c->segment.destination_port != TEST_GUEST_PORT)
		return false;
	if (c->peer_port == 0) { /* the first: a SYN */
		if (c->segment.flags != TCP_SYN) return false;
		c->peer_ip = ip.source;
		c->peer_port = c->segment.source_port;
	} else if (ip.source != c->peer_ip || c->segment.source_port != c->peer_port) {
		return false;
	}
	/* the connection's segment: it must have gone to our MAC, as an echo reply must
	   (test_echo_reply); it is taken all the same, so that the connection ends soon */
	if (!test_frame_to_us(t, t->frame, t->frame_size) && c->misaddressed++ == 0) {
		uint8_t const *m = t->frame;
		TEST_FAIL(t, "tcp: a segment of the host to %02x:%02x:%02x:%02x:%02x:%02x, not our MAC",
		          m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	return true;
}

/* send a segment: `data` (may lie in t->out already) at snd_nxt */
static void test_tcp_send(struct test *t, struct test_tcp *c, uint8_t flags, void const *data,
                          size_t length)
{
	struct eth_tcp s = { .source_port = TEST_GUEST_PORT,
		                 .destination_port = c->peer_port,
		                 .seq = c->snd_nxt,
		                 .ack = c->rcv_nxt,
		                 .flags = flags,
		                 .window = TEST_WINDOW,
		                 .mss = (flags & TCP_SYN) ? c->mss : 0,
		                 .payload = data,
		                 .length = length };
	test_send(t, t->out, eth_tcp(t->out, t->host_mac, t->mac, TEST_GUEST_IP, c->peer_ip, &s));
	c->snd_nxt += (uint32_t)length + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
}

/* take what a segment of the peer says about our sending */
static void test_tcp_update(struct test_tcp *c)
{
	struct eth_tcp const *s = &c->segment;
	if (!(s->flags & TCP_ACK)) return;
	/* an acknowledgement within what we sent moves snd_una */
	if ((int32_t)(s->ack - c->snd_una) > 0 && (int32_t)(s->ack - c->snd_nxt) <= 0)
		c->snd_una = s->ack;
	c->peer_window = s->window;
}

/* the next segment of the connection; false (failed) on a timeout or a reset */
static bool test_tcp_next(struct test *t, struct test_tcp *c, char const *waiting_for)
{
	if (!test_receive(t, test_tcp_match, c, TEST_TIMEOUT_US, 0)) {
		TEST_FAIL(t, "tcp: nothing while waiting for %s", waiting_for);
		return false;
	}
	if (c->segment.flags & TCP_RST) {
		TEST_FAIL(t, "tcp: reset while waiting for %s", waiting_for);
		return false;
	}
	test_tcp_update(c);
	return true;
}

/* wait for the host's connection and complete the handshake's first half */
static bool test_tcp_accept(struct test *t, struct test_tcp *c)
{
	memory_set(c, 0, sizeof(*c));
	c->mss = (uint16_t)(t->frame_max - TEST_TCP_HEADERS);
	log_info("waiting for a connection to 10.0.2.15:%u", (unsigned)TEST_GUEST_PORT);
	if (!test_receive(t, test_tcp_match, c, TEST_CONNECT_TIMEOUT_US, 0)) {
		TEST_FAIL(t, "tcp: no connection");
		return false;
	}
	c->peer_mss = c->segment.mss ? c->segment.mss : 536;
	c->peer_window = c->segment.window;
	c->rcv_nxt = c->segment.seq + 1;
	c->snd_nxt = c->snd_una = TEST_ISS;
	test_tcp_send(t, c, TCP_SYN | TCP_ACK, 0, 0);
	return true;
}

/* our FIN after the host's; true when both are acknowledged */
static bool test_tcp_close(struct test *t, struct test_tcp *c, bool closed_by_peer)
{
	while (!closed_by_peer || c->snd_una != c->snd_nxt) {
		if (!test_tcp_next(t, c, closed_by_peer ? "the last ACK" : "the host's FIN"))
			return false;
		struct eth_tcp const *s = &c->segment;
		if ((s->flags & TCP_FIN) && s->seq == c->rcv_nxt && !closed_by_peer) {
			c->rcv_nxt += (uint32_t)s->length + 1; /* nothing more was expected */
			closed_by_peer = true;
		}
		if (s->length || (s->flags & TCP_FIN)) test_tcp_send(t, c, TCP_ACK, 0, 0);
	}
	test_tcp_send(t, c, TCP_FIN | TCP_ACK, 0, 0);
	while (c->snd_una != c->snd_nxt)
		if (!test_tcp_next(t, c, "the ACK of our FIN")) return false;
	return true;
}

/* ---- the echo of a line -------------------------------------------------------------- */

void test_tcp_echo(struct test *t)
{
	struct test_tcp c;
	if (!test_tcp_accept(t, &c)) return;
	log_info("tcp: SYN from %u.%u.%u.%u", c.peer_ip >> 24, (c.peer_ip >> 16) & 0xff,
	         (c.peer_ip >> 8) & 0xff, c.peer_ip & 0xff);

	/* until the host's line is complete: every segment in order is acknowledged */
	char line[256];
	size_t line_length = 0;
	bool closed_by_peer = false;
	while (!closed_by_peer && (line_length == 0 || line[line_length - 1] != '\n')) {
		if (!test_tcp_next(t, &c, "the host's line")) return;
		struct eth_tcp const *s = &c.segment;
		if (s->seq != c.rcv_nxt) { /* a repeat: say again where we are */
			test_tcp_send(t, &c, TCP_ACK, 0, 0);
			continue;
		}
		if (s->length) {
			if (line_length + s->length > sizeof(line)) {
				TEST_FAIL(t, "tcp: a line longer than %u bytes", (unsigned)sizeof(line));
				return;
			}
			memory_copy(line + line_length, s->payload, s->length);
			line_length += s->length;
			c.rcv_nxt += (uint32_t)s->length;
		}
		if (s->flags & TCP_FIN) {
			c.rcv_nxt++;
			closed_by_peer = true;
		}
		if (s->length || (s->flags & TCP_FIN)) test_tcp_send(t, &c, TCP_ACK, 0, 0);
	}
	if (closed_by_peer) {
		TEST_FAIL(t, "tcp: closed by the host before a whole line");
		return;
	}

	/* the answer; the host closes after it, then we do */
	char answer[sizeof(line) + 8] = "echo: ";
	memory_copy(answer + 6, line, line_length);
	test_tcp_send(t, &c, TCP_PSH | TCP_ACK, answer, 6 + line_length);
	if (test_tcp_close(t, &c, false) && !c.misaddressed)
		log_info("tcp through the forward: \"%.*s\" answered, closed by both sides: ok",
		         (int)(line_length - 1), line);
}

/* ---- bulk transfer ------------------------------------------------------------------- */

static uint8_t test_pattern(uint64_t offset) { return (uint8_t)(offset % TEST_PATTERN_PERIOD); }

/*
 * Check `length` bytes against the pattern from stream offset `offset`, or
 * fill them with it: one division per segment, not per byte (the guest's
 * own cost is in the figures).
 */
static size_t test_pattern_mismatch(uint8_t const *bytes, size_t length, uint64_t offset)
{
	unsigned value = test_pattern(offset);
	for (size_t i = 0; i < length; i++) {
		if (bytes[i] != value) return i;
		if (++value == TEST_PATTERN_PERIOD) value = 0;
	}
	return length;
}

static void test_pattern_fill(uint8_t *bytes, size_t length, uint64_t offset)
{
	unsigned value = test_pattern(offset);
	for (size_t i = 0; i < length; i++) {
		bytes[i] = (uint8_t)value;
		if (++value == TEST_PATTERN_PERIOD) value = 0;
	}
}

/* receive `bytes` in order, acknowledged once per batch of frames; false (failed) on error */
static bool test_tcp_bench_receive(struct test *t, struct test_tcp *c, uint64_t bytes)
{
	uint32_t start = c->rcv_nxt;
	uint64_t received = 0;
	while (received < bytes) {
		bool answer = false;
		uint64_t deadline = test_now(t) + TEST_TIMEOUT_US;
		/* every frame there is, then one ACK */
		while (received < bytes) {
			test_release_acked(t);
			if (!test_try_receive(t)) {
				if (answer) break;
				if (test_now(t) >= deadline) {
					TEST_FAIL(t, "bench: %llu of %llu bytes came", (unsigned long long)received,
					          (unsigned long long)bytes);
					return false;
				}
				test_wait(t, deadline);
				continue;
			}
			if (!test_tcp_match(t, c)) continue;
			struct eth_tcp const *s = &c->segment;
			if (s->flags & (TCP_RST | TCP_FIN)) {
				TEST_FAIL(t, "bench: %s after %llu of %llu bytes",
				          s->flags & TCP_RST ? "reset" : "closed", (unsigned long long)received,
				          (unsigned long long)bytes);
				return false;
			}
			test_tcp_update(c); /* the handshake's ACK among them */
			answer = true;
			if (s->seq != c->rcv_nxt || !s->length) continue; /* the ACK says where we are */
			uint64_t offset = c->rcv_nxt - start;
			size_t bad = test_pattern_mismatch(s->payload, s->length, offset);
			if (bad < s->length) {
				TEST_FAIL(t, "bench: byte %llu is %u, not %u",
				          (unsigned long long)(offset + bad), s->payload[bad],
				          test_pattern(offset + bad));
				return false;
			}
			c->rcv_nxt += (uint32_t)s->length;
			received += s->length;
		}
		test_tcp_send(t, c, TCP_ACK, 0, 0);
	}
	return true;
}

/* send `bytes` within the peer's window; false (failed) on error */
static bool test_tcp_bench_send(struct test *t, struct test_tcp *c, uint64_t bytes)
{
	uint32_t start = c->snd_nxt;
	uint16_t mss = c->peer_mss < c->mss ? c->peer_mss : c->mss;
	uint8_t *payload = t->out + TEST_TCP_HEADERS;
	uint64_t deadline = test_now(t) + TEST_TIMEOUT_US;
	while ((uint32_t)(c->snd_una - start) < bytes) {
		/* as much as the window takes */
		bool sent = false;
		for (;;) {
			uint64_t offset = c->snd_nxt - start;
			uint32_t in_flight = c->snd_nxt - c->snd_una;
			uint64_t length = bytes - offset;
			if (length > mss) length = mss;
			/* a full segment within the window, or what fits when nothing is in flight
			   (a peer whose window is below our MSS sends no update on its own) */
			if (in_flight + length > c->peer_window && in_flight == 0) length = c->peer_window;
			if (length == 0 || in_flight + length > c->peer_window) break;
			test_pattern_fill(payload, (size_t)length, offset);
			test_tcp_send(t, c, TCP_ACK | TCP_PSH, payload, (size_t)length);
			sent = true;
		}
		/* then the segments there are, or a wait for one */
		bool progress = sent;
		test_release_acked(t);
		while (test_try_receive(t)) {
			if (!test_tcp_match(t, c)) continue;
			if (c->segment.flags & TCP_RST) {
				TEST_FAIL(t, "bench: reset while sending");
				return false;
			}
			test_tcp_update(c);
			progress = true; /* an acknowledgement, or a window update: send again */
		}
		if (progress) {
			deadline = test_now(t) + TEST_TIMEOUT_US;
			continue;
		}
		if (test_now(t) >= deadline) {
			TEST_FAIL(t, "bench: %u of %llu bytes acknowledged, window %u",
			          (unsigned)(c->snd_una - start), (unsigned long long)bytes,
			          (unsigned)c->peer_window);
			return false;
		}
		/* a zero window: probe it now and then with an old byte, which the peer answers */
		uint64_t probe_at = test_now(t) + TEST_PROBE_US;
		test_wait(t, probe_at < deadline ? probe_at : deadline);
		if (c->peer_window == 0 && c->snd_nxt == c->snd_una && test_now(t) >= probe_at) {
			c->snd_nxt--;
			test_tcp_send(t, c, TCP_ACK, 0, 0);
			c->snd_nxt++;
		}
	}
	return true;
}

void test_tcp_bench(struct test *t, uint64_t bytes)
{
	struct test_tcp c;
	if (!test_tcp_accept(t, &c)) return;
	uint64_t t0 = test_now(t);
	if (!test_tcp_bench_receive(t, &c, bytes)) return;
	uint64_t t1 = test_now(t);
	if (!test_tcp_bench_send(t, &c, bytes)) return;
	uint64_t t2 = test_now(t);
	if (!test_tcp_close(t, &c, false) || c.misaddressed) return;
	log_info("bench mtu %u: mss %u, host -> guest %llu bytes in %llu us, guest -> host in %llu "
	         "us",
	         (unsigned)(t->frame_max - ETH_HEADER),
	         (unsigned)(c.peer_mss < c.mss ? c.peer_mss : c.mss), (unsigned long long)bytes,
	         (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1));
	log_info("bench: %llu bytes each way, byte for byte: ok", (unsigned long long)bytes);
}
