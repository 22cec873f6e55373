/* SPDX-License-Identifier: MIT */
/**
 * \brief bench-net-server: the component side of the network benchmark
 *        (tests/bench/net/bench_net.run, doc/bench.md): a TCP sink, source
 *        and echo on lwIP over a Nic session
 *
 * Config: <config> <net .../> </config> (nic_netif_config.h; none: DHCP).
 *
 * One port, BENCH_PORT. A connection starts with a header of 9 bytes: a
 * mode byte and a count, 64 bits little-endian:
 *   'S' count: sink. The server takes `count` bytes and drops them, then
 *       sends the single byte 'K'.
 *   'R' count: source. The server sends `count` bytes, byte i being
 *       i % 251, as fast as its send buffer takes them.
 *   'E' (count unused): echo. Every further byte comes back, in order;
 *       what is received is acknowledged (tcp_recved) once written back.
 * The connection ends with the peer's FIN or a reset. The host's program
 * (bench_net) serves the same protocol on host loopback as the reference.
 *
 * Log lines:
 *   listening on <a.b.c.d>: tcp <port>
 *   connection <n> (<sink|source|echo>) closed after <bytes> bytes
 *   connection <n> (<mode>) reset | aborted after <bytes> bytes
 *   Error: <what>  (a header with an unknown mode)
 * <bytes> counts what the peer sent after the header (sink, echo) or what the
 * source sent.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/pbuf.h>
#include <lwip/tcp.h>

#include <libc/libc.h>
#include <lwip_loop/lwip_loop.h>
#include <lwip_tcp/lwip_tcp.h>
#include <nic_netif/nic_netif.h>
#include <os/config.h>

#include "test_lwip_echo.h"

enum {
	BENCH_PORT = 5001,
	HEADER_SIZE = 9,
	PATTERN_PERIOD = 251,
	SOURCE_SIZE = PATTERN_PERIOD * 256, /* the source sends from here */
	WRITE_MAX = 0xffff,                 /* tcp_write's length is 16 bits */
	POLL_INTERVAL = 2,                  /* lwIP's 500 ms ticks: a refused write is retried */
};

/* the process-wide state of the component */
static struct server
{
	struct lwip_loop loop;
	struct nic_netif netif;
	struct config config;
	unsigned connections;
	uint8_t source[SOURCE_SIZE]; /* byte i is i % PATTERN_PERIOD; lwIP refers to it */
} server;

struct bench_conn
{
	struct tcp_pcb *pcb;
	uint8_t header[HEADER_SIZE];
	unsigned header_length;
	char mode;            /* 0 until the header is whole, then 'S', 'R' or 'E' */
	uint64_t count;       /* sink: still to take; source: still to send */
	uint64_t sent;        /* source: bytes handed to tcp_write */
	struct pbuf *pending; /* echo: received, not yet written back */
	bool peer_closed;
	unsigned number;
	uint64_t bytes; /* received after the header (sink, echo), sent (source) */
};

static char const *conn_mode_name(struct bench_conn const *c)
{
	switch (c->mode) {
	case 'S':
	case 'D':
		return "sink";
	case 'R':
		return "source";
	case 'E':
		return "echo";
	default:
		return "no header";
	}
}

/* ERR_ABRT if the pcb had to be aborted: a callback must return that to lwIP */
static err_t conn_close(struct bench_conn *c)
{
	struct tcp_pcb *pcb = c->pcb;
	printf("connection %u (%s) closed after %llu bytes\n", c->number, conn_mode_name(c),
	       (unsigned long long)c->bytes);
	if (c->pending) pbuf_free(c->pending);
	free(c);
	return lwip_tcp_close(pcb);
}

/* write what is due and the send buffer takes: the source's bytes, the echo's pending */
static err_t conn_flush(struct bench_conn *c)
{
	if (c->mode == 'R') {
		while (c->count > 0) {
			size_t offset = (size_t)(c->sent % PATTERN_PERIOD);
			uint64_t length = c->count;
			if (length > tcp_sndbuf(c->pcb)) length = tcp_sndbuf(c->pcb);
			if (length > WRITE_MAX) length = WRITE_MAX;
			if (length > SOURCE_SIZE - offset) length = SOURCE_SIZE - offset;
			if (length == 0) break;
			u8_t flags = length < c->count ? TCP_WRITE_FLAG_MORE : 0;
			if (tcp_write(c->pcb, server.source + offset, (u16_t)length, flags) != ERR_OK)
				break; /* out of segments: the next sent or poll tries again */
			c->sent += length;
			c->bytes += length;
			c->count -= length;
		}
	}
	if (c->mode == 'E') (void)test_lwip_echo_write(c->pcb, &c->pending);
	tcp_output(c->pcb);
	if (c->peer_closed && !c->pending) return conn_close(c);
	return ERR_OK;
}

/* take the header's bytes from the front of p; returns the rest (NULL: none) */
static struct pbuf *conn_header(struct bench_conn *c, struct pbuf *p)
{
	u16_t want = (u16_t)(HEADER_SIZE - c->header_length);
	u16_t taken = pbuf_copy_partial(p, c->header + c->header_length, want, 0);
	c->header_length += taken;
	tcp_recved(c->pcb, taken);
	p = pbuf_free_header(p, taken);
	if (c->header_length < HEADER_SIZE) return p;
	c->count = 0;
	for (unsigned i = 0; i < 8; i++) c->count |= (uint64_t)c->header[1 + i] << (8 * i);
	c->mode = (char)c->header[0];
	return p;
}

static err_t conn_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct bench_conn *c = arg;
	(void)pcb;
	if (err != ERR_OK) {
		if (p) pbuf_free(p);
		return ERR_OK;
	}
	if (!p) {
		c->peer_closed = true;
		return conn_flush(c);
	}
	if (!c->mode) p = conn_header(c, p);
	if (!c->mode) return ERR_OK; /* the header is not whole yet (p is all taken) */
	if (p && c->mode != 'R') c->bytes += p->tot_len;
	switch (c->mode) {
	case 'S':
		if (p) {
			u16_t length = p->tot_len;
			tcp_recved(c->pcb, length);
			pbuf_free(p);
			c->count = length < c->count ? c->count - length : 0;
		}
		if (c->count > 0) return ERR_OK;
		c->mode = 'D'; /* done: later bytes are dropped too */
		if (tcp_write(c->pcb, "K", 1, TCP_WRITE_FLAG_COPY) != ERR_OK)
			printf("Error: sink: no room for the answer\n");
		break;
	case 'D':
	case 'R':
		if (p) {
			tcp_recved(c->pcb, p->tot_len);
			pbuf_free(p);
		}
		break;
	case 'E':
		if (p) test_lwip_echo_take(&c->pending, p);
		break;
	default:
		printf("Error: unknown mode 0x%02x\n", (unsigned)c->header[0]);
		if (p) pbuf_free(p);
		tcp_err(c->pcb, NULL); /* tcp_abort calls it */
		tcp_abort(c->pcb);
		free(c);
		return ERR_ABRT;
	}
	return conn_flush(c);
}

static err_t conn_sent(void *arg, struct tcp_pcb *pcb, u16_t length)
{
	(void)pcb;
	(void)length;
	return conn_flush(arg);
}

static err_t conn_poll(void *arg, struct tcp_pcb *pcb)
{
	(void)pcb;
	return conn_flush(arg);
}

/* the pcb is gone already (a reset, or lwIP gave up) */
static void conn_err(void *arg, err_t err)
{
	struct bench_conn *c = arg;
	printf("connection %u (%s) %s after %llu bytes\n", c->number, conn_mode_name(c),
	       err == ERR_RST ? "reset" : "aborted", (unsigned long long)c->bytes);
	if (c->pending) pbuf_free(c->pending);
	free(c);
}

static err_t conn_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb) return ERR_VAL;
	struct bench_conn *c = calloc(1, sizeof(*c));
	if (!c) return ERR_MEM; /* lwIP aborts the connection */
	c->pcb = pcb;
	c->number = ++server.connections;
	tcp_arg(pcb, c);
	tcp_recv(pcb, conn_recv);
	tcp_sent(pcb, conn_sent);
	tcp_err(pcb, conn_err);
	tcp_poll(pcb, conn_poll, POLL_INTERVAL);
	tcp_nagle_disable(pcb);
	return ERR_OK;
}

static void up(void *arg, uint32_t address)
{
	(void)arg;
	printf("listening on %u.%u.%u.%u: tcp %u\n", address >> 24, (address >> 16) & 0xff,
	       (address >> 8) & 0xff, address & 0xff, (unsigned)BENCH_PORT);
	fflush(stdout);
}

int main(void)
{
	struct env *env = libc_env();
	for (size_t i = 0; i < SOURCE_SIZE; i++) server.source[i] = (uint8_t)(i % PATTERN_PERIOD);
	if (config_init(&server.config, env) != CONFIG_OK) return 1;
	if (lwip_loop_init(&server.loop, env) != LWIP_LOOP_OK) return 1;
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb || tcp_bind(pcb, IP_ANY_TYPE, BENCH_PORT) != ERR_OK) {
		printf("Error: no listener\n");
		return 1;
	}
	struct tcp_pcb *listener = tcp_listen(pcb);
	if (!listener) {
		printf("Error: no listener\n");
		return 1;
	}
	tcp_accept(listener, conn_accept);
	struct nic_netif_args args = { .config = &server.config.root, .up = up };
	enum nic_netif_result r = nic_netif_init(&server.netif, &server.loop, &args);
	if (r != NIC_NETIF_OK) {
		printf("Error: no network: %s\n", nic_netif_result_string(r));
		return 1;
	}
	return lwip_loop_run(&server.loop) == LWIP_LOOP_OK ? 0 : 1;
}
