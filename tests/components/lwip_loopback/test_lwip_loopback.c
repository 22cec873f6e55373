/* SPDX-License-Identifier: MIT */
/**
 * \brief test-lwip-loopback: lwIP's raw API over its loopback netif, in one component
 *
 * A TCP and UDP echo server and their clients on 127.0.0.1, all driven by the
 * event loop (lwip_loop.h), for run/lwip_loopback.run. In order:
 *   - a connect to a port without listener is refused (RST, ERR_RST),
 *   - TCP echo of 1 KiB and of 16 MiB, every byte compared with what was sent,
 *   - UDP echo of datagrams of 1, 100, 1472 and 8192 bytes, compared likewise,
 *   - a source: a second Timer session signals it while the loop blocks, the
 *     handler schedules itself once; a removed source is not called again;
 *     no more than LWIP_LOOP_SOURCES_MAX sources,
 *   - an idle second: the loop must wake for lwIP's timers only, not spin.
 * Each check prints "<what>: ok" or "<what>: FAILED (<why>)"; the figures go
 * to lines of their own. Exit code 0 when every check passed, else 1.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lwip/ip_addr.h>
#include <lwip/pbuf.h>
#include <lwip/tcp.h>
#include <lwip/timeouts.h>
#include <lwip/udp.h>

#include <libc/libc.h>
#include <lwip_loop/lwip_loop.h>
#include <lwip_tcp/lwip_tcp.h>
#include <timer_session/connection.h>

#include "test_lwip_echo.h"

enum {
	ECHO_PORT = 7,            /* TCP and UDP echo */
	CLOSED_PORT = 9,          /* nobody listens */
	WRITE_CHUNK = 16 * 1024,  /* the client's pattern buffer */
	PHASE_TIMEOUT_MS = 60000, /* a check that takes longer failed */
	IDLE_MS = 1000,
	RETRY_POLLS = 1,      /* tcp_poll interval (lwIP's 500 ms ticks): a write refused for want
	                         of memory is tried again then, even with nothing in flight */
	IDLE_PASSES_MAX = 20, /* lwIP's cyclic timers: TCP 4, DHCP 2, ARP 1, reassembly 1 per s */
	SOURCE_DELAY_US = 50000, /* the second timer's one-shot */
};

struct test
{
	struct lwip_loop loop;
	ip_addr_t loopback;
	unsigned failures;
	bool timed_out; /* the current phase ran out of time */
	char const *phase;
};

/* the byte at `offset` of every stream and datagram: no short period, so a lost,
 * repeated or misplaced segment shows */
static uint8_t pattern_byte(uint64_t offset)
{
	return (uint8_t)((offset * 0x9e3779b97f4a7c15ull) >> 56);
}

static void pattern_fill(uint8_t *data, size_t length, uint64_t offset)
{
	for (size_t i = 0; i < length; i++) data[i] = pattern_byte(offset + i);
}

/* the real time in microseconds (the loop's clock stands still during a pass) */
static uint64_t clock_us(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void check(struct test *test, bool ok, char const *what, char const *why)
{
	if (ok) {
		printf("%s: ok\n", what);
		return;
	}
	printf("%s: FAILED (%s)\n", what, why);
	test->failures++;
}

static void phase_timeout(void *arg)
{
	struct test *test = arg;
	printf("%s: timed out after %u ms\n", test->phase, (unsigned)PHASE_TIMEOUT_MS);
	test->timed_out = true;
	lwip_loop_stop(&test->loop);
}

/* run the loop until the phase stops it, at most PHASE_TIMEOUT_MS */
static void phase_run(struct test *test, char const *phase)
{
	test->phase = phase;
	test->timed_out = false;
	sys_timeout(PHASE_TIMEOUT_MS, phase_timeout, test);
	if (lwip_loop_run(&test->loop) != LWIP_LOOP_OK) {
		printf("%s: the loop lost its timer\n", phase);
		exit(1);
	}
	sys_untimeout(phase_timeout, test);
}

/* --- TCP echo server: echoes what it receives, acknowledges it once echoed --- */

struct echo_connection
{
	struct tcp_pcb *pcb;
	struct pbuf *pending; /* received, not yet echoed (test_lwip_echo.h) */
	bool peer_closed;
};

static void echo_connection_free(struct echo_connection *c)
{
	if (c->pending) pbuf_free(c->pending);
	free(c);
}

/*
 * Echo as much as the send buffer takes; the window opens by what went out.
 * Returns ERR_ABRT when the connection was aborted (and `c` freed).
 */
static err_t echo_connection_send(struct echo_connection *c)
{
	(void)test_lwip_echo_write(c->pcb, &c->pending);
	(void)tcp_output(c->pcb);
	if (!c->peer_closed || c->pending) return ERR_OK;
	err_t err = lwip_tcp_close(c->pcb);
	echo_connection_free(c);
	return err;
}

static err_t echo_server_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct echo_connection *c = arg;
	(void)pcb;
	(void)err;
	if (!p)
		c->peer_closed = true;
	else
		test_lwip_echo_take(&c->pending, p);
	return echo_connection_send(c);
}

static err_t echo_server_sent(void *arg, struct tcp_pcb *pcb, u16_t length)
{
	(void)pcb;
	(void)length;
	return echo_connection_send(arg);
}

static err_t echo_server_poll(void *arg, struct tcp_pcb *pcb)
{
	(void)pcb;
	return echo_connection_send(arg);
}

static void echo_server_err(void *arg, err_t err)
{
	(void)err;
	echo_connection_free(arg); /* lwIP has freed the pcb */
}

static err_t echo_server_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb) return ERR_VAL;
	struct echo_connection *c = calloc(1, sizeof(*c));
	if (!c) return ERR_MEM; /* lwIP aborts the connection */
	c->pcb = pcb;
	tcp_arg(pcb, c);
	tcp_recv(pcb, echo_server_recv);
	tcp_sent(pcb, echo_server_sent);
	tcp_err(pcb, echo_server_err);
	tcp_poll(pcb, echo_server_poll, RETRY_POLLS);
	return ERR_OK;
}

/* --- UDP echo server: sends each datagram back to where it came from --- */

static void udp_echo_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, ip_addr_t const *addr,
                          u16_t port)
{
	(void)arg;
	(void)udp_sendto(pcb, p, addr, port);
	pbuf_free(p);
}

static bool servers_start(struct test *test)
{
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb || tcp_bind(pcb, &test->loopback, ECHO_PORT) != ERR_OK) return false;
	struct tcp_pcb *listener = tcp_listen(pcb);
	if (!listener) return false;
	tcp_accept(listener, echo_server_accept);

	struct udp_pcb *udp = udp_new();
	if (!udp || udp_bind(udp, &test->loopback, ECHO_PORT) != ERR_OK) return false;
	udp_recv(udp, udp_echo_recv, NULL);
	return true;
}

/* --- TCP client: sends the pattern, compares what comes back --- */

struct echo_client
{
	struct test *test;
	struct tcp_pcb *pcb;
	uint8_t *buffer; /* WRITE_CHUNK bytes */
	uint64_t total, sent, received;
	uint64_t mismatch_at; /* first byte that differed, valid if mismatched */
	bool mismatched;
	bool done;
	err_t error; /* what ended the connection early, ERR_OK if nothing */
	char const *why;
};

/* the check is over: close, stop the loop; ERR_ABRT when the pcb had to be aborted */
static err_t echo_client_finish(struct echo_client *client, char const *why)
{
	client->why = why;
	client->done = true;
	lwip_loop_stop(&client->test->loop);
	if (!client->pcb) return ERR_OK;
	err_t err = lwip_tcp_close(client->pcb);
	client->pcb = NULL;
	return err;
}

static void echo_client_send(struct echo_client *client)
{
	while (client->sent < client->total && tcp_sndbuf(client->pcb) > 0) {
		uint64_t length = client->total - client->sent;
		if (length > tcp_sndbuf(client->pcb)) length = tcp_sndbuf(client->pcb);
		if (length > WRITE_CHUNK) length = WRITE_CHUNK;
		pattern_fill(client->buffer, length, client->sent);
		u8_t flags = TCP_WRITE_FLAG_COPY;
		if (client->sent + length < client->total) flags |= TCP_WRITE_FLAG_MORE;
		if (tcp_write(client->pcb, client->buffer, (u16_t)length, flags) != ERR_OK) break;
		client->sent += length;
	}
	(void)tcp_output(client->pcb);
}

static err_t echo_client_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct echo_client *client = arg;
	(void)err;
	if (!p) return echo_client_finish(client, "the server closed early");
	for (struct pbuf *q = p; q; q = q->next) {
		uint8_t const *data = q->payload;
		for (u16_t i = 0; i < q->len && !client->mismatched; i++) {
			if (data[i] == pattern_byte(client->received + i)) continue;
			client->mismatched = true;
			client->mismatch_at = client->received + i;
		}
		client->received += q->len;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	if (client->received > client->total)
		return echo_client_finish(client, "more bytes came back than were sent");
	if (client->received == client->total) return echo_client_finish(client, NULL);
	return ERR_OK;
}

static err_t echo_client_sent(void *arg, struct tcp_pcb *pcb, u16_t length)
{
	(void)pcb;
	(void)length;
	echo_client_send(arg);
	return ERR_OK;
}

static err_t echo_client_poll(void *arg, struct tcp_pcb *pcb)
{
	(void)pcb;
	echo_client_send(arg);
	return ERR_OK;
}

static err_t echo_client_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)pcb;
	if (err == ERR_OK) echo_client_send(arg);
	return ERR_OK;
}

static void echo_client_err(void *arg, err_t err)
{
	struct echo_client *client = arg;
	client->pcb = NULL; /* lwIP has freed it */
	client->error = err;
	(void)echo_client_finish(client, "the connection failed");
}

static bool echo_client_connect(struct echo_client *client, u16_t port)
{
	client->pcb = tcp_new();
	if (!client->pcb) return false;
	tcp_arg(client->pcb, client);
	tcp_recv(client->pcb, echo_client_recv);
	tcp_sent(client->pcb, echo_client_sent);
	tcp_err(client->pcb, echo_client_err);
	tcp_poll(client->pcb, echo_client_poll, RETRY_POLLS);
	if (tcp_connect(client->pcb, &client->test->loopback, port, echo_client_connected) ==
	    ERR_OK)
		return true;
	tcp_abort(client->pcb);
	client->pcb = NULL;
	return false;
}

static void check_refused(struct test *test)
{
	char const *what = "tcp connect to a closed port";
	struct echo_client client = { .test = test };
	if (!echo_client_connect(&client, CLOSED_PORT)) {
		check(test, false, what, "tcp_connect failed");
		return;
	}
	phase_run(test, what);
	if (client.error == ERR_RST) {
		printf("%s: refused\n", what);
		return;
	}
	check(test, false, what, test->timed_out ? "timed out" : "not refused with a reset");
}

static void check_tcp_echo(struct test *test, uint64_t total)
{
	char what[64];
	snprintf(what, sizeof(what), "tcp echo %llu bytes", (unsigned long long)total);
	struct echo_client client = { .test = test, .total = total, .buffer = malloc(WRITE_CHUNK) };
	if (!client.buffer || !echo_client_connect(&client, ECHO_PORT)) {
		free(client.buffer);
		check(test, false, what, "no buffer or no connection");
		return;
	}
	uint64_t start_us = clock_us();
	struct lwip_loop_stats before = lwip_loop_stats(&test->loop);
	phase_run(test, what);
	uint64_t took_us = clock_us() - start_us;
	struct lwip_loop_stats after = lwip_loop_stats(&test->loop);
	free(client.buffer);

	char why[96] = "";
	if (!client.done) {
		if (client.pcb) tcp_abort(client.pcb);
		snprintf(why, sizeof(why), "timed out with %llu bytes sent, %llu back",
		         (unsigned long long)client.sent, (unsigned long long)client.received);
		check(test, false, what, why);
		return;
	}
	if (client.why) {
		snprintf(why, sizeof(why), "%s (err %d) after %llu of %llu bytes", client.why,
		         (int)client.error, (unsigned long long)client.received,
		         (unsigned long long)total);
	} else if (client.mismatched) {
		snprintf(why, sizeof(why), "byte %llu differs", (unsigned long long)client.mismatch_at);
	}
	check(test, !client.why && !client.mismatched, what, why);
	if (took_us == 0) took_us = 1;
	printf("%s took %llu us: %llu KiB/s each way, %llu passes, %llu waits\n", what,
	       (unsigned long long)took_us, (unsigned long long)(total * 1000000 / 1024 / took_us),
	       (unsigned long long)(after.passes - before.passes),
	       (unsigned long long)(after.waits - before.waits));
}

/* --- UDP client: one datagram of each size, each compared when it comes back --- */

static u16_t const udp_sizes[] = { 1, 100, 1472, 8192 };
enum { UDP_COUNT = sizeof(udp_sizes) / sizeof(udp_sizes[0]) };

struct udp_client
{
	struct test *test;
	unsigned next; /* the datagram expected back next */
	char const *why;
};

static bool udp_client_send(struct udp_client *client, struct udp_pcb *pcb)
{
	u16_t size = udp_sizes[client->next];
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, size, PBUF_RAM);
	if (!p) return false;
	/* each datagram starts at another offset of the pattern */
	pattern_fill(p->payload, size, client->next * 1000003ull);
	err_t err = udp_sendto(pcb, p, &client->test->loopback, ECHO_PORT);
	pbuf_free(p);
	return err == ERR_OK;
}

static void udp_client_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
                            ip_addr_t const *addr, u16_t port)
{
	struct udp_client *client = arg;
	(void)addr;
	uint64_t offset = client->next * 1000003ull;
	if (port != ECHO_PORT) client->why = "a datagram from another port";
	if (p->tot_len != udp_sizes[client->next]) client->why = "a datagram of another size";
	for (struct pbuf *q = p; q && !client->why; q = q->next) {
		uint8_t const *data = q->payload;
		for (u16_t i = 0; i < q->len && !client->why; i++)
			if (data[i] != pattern_byte(offset++)) client->why = "a byte differs";
	}
	pbuf_free(p);
	client->next++;
	if (client->why || client->next == UDP_COUNT) {
		lwip_loop_stop(&client->test->loop);
		return;
	}
	if (!udp_client_send(client, pcb)) {
		client->why = "udp_sendto failed";
		lwip_loop_stop(&client->test->loop);
	}
}

static void check_udp_echo(struct test *test)
{
	char const *what = "udp echo of 1, 100, 1472 and 8192 bytes";
	struct udp_client client = { .test = test };
	struct udp_pcb *pcb = udp_new();
	if (!pcb || udp_bind(pcb, &test->loopback, 0) != ERR_OK) {
		check(test, false, what, "no pcb");
		return;
	}
	udp_recv(pcb, udp_client_recv, &client);
	if (!udp_client_send(&client, pcb))
		client.why = "udp_sendto failed";
	else
		phase_run(test, what);
	udp_remove(pcb);
	if (!client.why && client.next < UDP_COUNT) client.why = "timed out";
	check(test, !client.why, what, client.why);
}

/* --- a source: signals from a session, scheduled calls, removal, the limit --- */

struct source_check
{
	struct test *test;
	struct lwip_loop_source source;
	uint64_t calls;
	uint64_t first_count;  /* count of the first call */
	uint64_t second_count; /* count of the second call */
	uint64_t first_us;     /* clock_us() at the first call */
};

static void source_handler(void *arg, uint64_t count)
{
	struct source_check *c = arg;
	c->calls++;
	if (c->calls == 1) {
		c->first_count = count;
		c->first_us = clock_us();
		lwip_loop_source_schedule(&c->test->loop, &c->source);
		lwip_loop_source_schedule(&c->test->loop, &c->source); /* no effect */
		return;
	}
	c->second_count = count;
	lwip_loop_stop(&c->test->loop);
}

static void source_quiet_done(void *arg)
{
	struct test *test = arg;
	lwip_loop_stop(&test->loop);
}

/* sources until the limit, then one more: refused with LWIP_LOOP_NO_RESOURCES */
static char const *check_source_limit(struct test *test)
{
	unsigned room = LWIP_LOOP_SOURCES_MAX - test->loop.source_count;
	struct lwip_loop_source *sources = calloc(room + 1, sizeof(*sources));
	struct signal_context_cap *caps = calloc(room + 1, sizeof(*caps));
	if (!sources || !caps) {
		free(sources);
		free(caps);
		return "out of memory";
	}
	unsigned added = 0;
	enum lwip_loop_result last = LWIP_LOOP_OK;
	while (added <= room && last == LWIP_LOOP_OK) {
		struct lwip_loop_source_result r =
		    lwip_loop_source_add(&test->loop, &sources[added], source_handler, NULL);
		last = r.result;
		if (last == LWIP_LOOP_OK) caps[added++] = r.cap;
	}
	char const *why = NULL;
	if (added != room)
		why = "the limit is not LWIP_LOOP_SOURCES_MAX";
	else if (last != LWIP_LOOP_NO_RESOURCES)
		why = "a source beyond the limit is not refused with LWIP_LOOP_NO_RESOURCES";
	while (added > 0) {
		added--;
		lwip_loop_source_remove(&test->loop, &sources[added]);
		cap_close(caps[added].cap);
	}
	free(sources);
	free(caps);
	return why;
}

static void check_source(struct test *test)
{
	char const *what = "signal source";
	struct source_check c = { .test = test };
	struct timer_connection ticker;
	if (timer_connection_init(&ticker, libc_env(), "ticker") != TIMER_CONNECTION_OK) {
		check(test, false, what, "no second Timer session");
		return;
	}
	char const *why = NULL;
	struct lwip_loop_source_result added =
	    lwip_loop_source_add(&test->loop, &c.source, source_handler, &c);
	if (added.result != LWIP_LOOP_OK) why = "lwip_loop_source_add failed";
	if (!why && (timer_connection_sigh(&ticker, added.cap) != TIMER_OK ||
	             timer_session_trigger_once(ticker.session, SOURCE_DELAY_US) != TIMER_OK))
		why = "the second timer refused";

	if (!why) {
		struct lwip_loop_stats before = lwip_loop_stats(&test->loop);
		uint64_t start_us = clock_us();
		phase_run(test, what);
		struct lwip_loop_stats after = lwip_loop_stats(&test->loop);
		printf("%s: signal after %llu us, %llu passes, %llu waits\n", what,
		       (unsigned long long)(c.first_us - start_us),
		       (unsigned long long)(after.passes - before.passes),
		       (unsigned long long)(after.waits - before.waits));
		if (c.calls != 2)
			why = test->timed_out ? "timed out" : "not called twice";
		else if (c.first_count != 1 || c.second_count != 0)
			why = "a call with the wrong count";
		else if (c.first_us - start_us < SOURCE_DELAY_US)
			why = "the signal came before the timeout";
		else if (after.waits == before.waits)
			why = "the loop never blocked";
		else if (after.signals - before.signals != 1)
			why = "not one signal delivered";
	}

	/* removed, also while scheduled: no signal, no scheduled call reaches it any more */
	if (added.result == LWIP_LOOP_OK) {
		lwip_loop_source_schedule(&test->loop, &c.source);
		lwip_loop_source_remove(&test->loop, &c.source);
		uint64_t calls = c.calls;
		if (!why && timer_session_trigger_once(ticker.session, 0) != TIMER_OK)
			why = "the second timer refused";
		sys_timeout(100, source_quiet_done, test);
		phase_run(test, what);
		if (!why && c.calls != calls) why = "a removed source was called";
		cap_close(added.cap.cap);
	}
	timer_connection_destroy(&ticker);
	if (!why) why = check_source_limit(test);
	check(test, !why, what, why);
}

/* --- idle: the loop sleeps until lwIP's next timer, it does not spin --- */

static void idle_done(void *arg)
{
	struct test *test = arg;
	lwip_loop_stop(&test->loop);
}

static void check_idle(struct test *test)
{
	char const *what = "idle 1 s";
	struct lwip_loop_stats before = lwip_loop_stats(&test->loop);
	uint64_t start_us = clock_us();
	sys_timeout(IDLE_MS, idle_done, test);
	phase_run(test, what);
	uint64_t took_us = clock_us() - start_us;
	struct lwip_loop_stats after = lwip_loop_stats(&test->loop);
	uint64_t passes = after.passes - before.passes;
	printf("%s: %llu passes, %llu waits, %llu timer wake-ups, took %llu us\n", what,
	       (unsigned long long)passes, (unsigned long long)(after.waits - before.waits),
	       (unsigned long long)(after.timer_wakeups - before.timer_wakeups),
	       (unsigned long long)took_us);
	/* lwIP's clock counts whole milliseconds: a timeout of N ms takes more than N - 1 */
	char const *why = NULL;
	if (took_us <= (IDLE_MS - 1) * 1000ull) why = "the timeout came early";
	if (passes > IDLE_PASSES_MAX) why = "the loop woke too often";
	check(test, !why && !test->timed_out, what, why ? why : "timed out");
}

int main(void)
{
	struct test test = { 0 };
	enum lwip_loop_result r = lwip_loop_init(&test.loop, libc_env());
	if (r != LWIP_LOOP_OK) {
		printf("lwip_loop_init failed: %d\n", (int)r);
		return 1;
	}
	IP_ADDR4(&test.loopback, 127, 0, 0, 1);
	if (!servers_start(&test)) {
		printf("the echo servers did not start\n");
		return 1;
	}

	/* the first clock_gettime opens libc's Timer session: not in the first figure */
	(void)clock_us();
	check_refused(&test);
	check_tcp_echo(&test, 1024);
	check_tcp_echo(&test, 16 * 1024 * 1024);
	check_udp_echo(&test);
	check_source(&test);
	check_idle(&test);

	if (test.failures) {
		printf("%u checks failed\n", test.failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
