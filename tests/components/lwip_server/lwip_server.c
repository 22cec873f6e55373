/* SPDX-License-Identifier: MIT */
/**
 * \brief test-lwip-server: a TCP echo and a tiny HTTP server on lwIP over a
 *        Nic session (run/lwip.run)
 *
 * Config:
 *   <config token="..."> <net .../> </config>
 * `token` goes into the page, so that a client sees that this component
 * answered (slirp accepts a host's connect before the guest does); <net>
 * is the netif's (nic_netif_config.h; none: DHCP).
 *
 * TCP echo on port 7: every byte comes back, in order. What is received is
 * acknowledged to the peer (tcp_recved) only once it has been written
 * back, so a peer that stops reading stops its own sending, and the server
 * holds at most one receive window per connection: no memory grows with
 * it. A connection ends with the peer's FIN (after the rest is echoed) or
 * an error (a reset).
 *
 * HTTP on port 80: one request per connection, at most HTTP_REQUEST_MAX
 * bytes up to its empty line. `GET /` gives the page (200), `GET` of
 * another path 404, anything else that ends in an empty line 400, a
 * request without one within HTTP_REQUEST_MAX bytes 431; then the server
 * closes. The page names the token and the echo's counters, so a client
 * can check for leaked connections.
 *
 * Log lines:
 *   listening on <a.b.c.d>: tcp echo 7, http 80
 *   echo: connection <n> closed after <bytes> bytes | reset after <bytes> bytes
 *   http: <status> for "<request line>"
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
	ECHO_PORT = 7,
	HTTP_PORT = 80,
	HTTP_REQUEST_MAX = 4096,
	TOKEN_MAX = 64,
	WRITE_MAX = 0xffff, /* tcp_write's length is 16 bits */
	POLL_INTERVAL = 2,  /* lwIP's 500 ms ticks: a write refused for memory is retried */
};

/* the process-wide state of the component */
static struct server
{
	struct lwip_loop loop;
	struct nic_netif netif;
	struct config config;
	char token[TOKEN_MAX];
	unsigned echo_open, echo_served, http_served;
} server;

/* ---- echo -------------------------------------------------------------------------- */

struct echo
{
	struct tcp_pcb *pcb;
	struct pbuf *pending; /* received, not yet written back */
	uint64_t bytes;       /* written back */
	unsigned number;
	bool peer_closed;
};

static void echo_free(struct echo *e)
{
	if (e->pending) pbuf_free(e->pending);
	server.echo_open--;
	free(e);
}

/* ERR_ABRT if the pcb had to be aborted: a callback must return that to lwIP */
static err_t echo_close(struct echo *e)
{
	struct tcp_pcb *pcb = e->pcb;
	printf("echo: connection %u closed after %llu bytes\n", e->number,
	       (unsigned long long)e->bytes);
	echo_free(e);
	return lwip_tcp_close(pcb);
}

/*
 * Write back what the send buffer takes; the peer may send as much again.
 * Returns what the calling callback returns (ERR_ABRT: the pcb is gone).
 */
static err_t echo_flush(struct echo *e)
{
	e->bytes += test_lwip_echo_write(e->pcb, &e->pending);
	tcp_output(e->pcb);
	if (e->peer_closed && !e->pending) return echo_close(e);
	return ERR_OK;
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct echo *e = arg;
	(void)pcb;
	if (err != ERR_OK) {
		if (p) pbuf_free(p);
		return ERR_OK;
	}
	if (!p)
		e->peer_closed = true;
	else
		test_lwip_echo_take(&e->pending, p);
	return echo_flush(e);
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t length)
{
	(void)pcb;
	(void)length;
	return echo_flush(arg);
}

static err_t echo_poll(void *arg, struct tcp_pcb *pcb)
{
	(void)pcb;
	return echo_flush(arg);
}

/* the pcb is gone already (a reset, or lwIP gave up) */
static void echo_err(void *arg, err_t err)
{
	struct echo *e = arg;
	printf("echo: connection %u %s after %llu bytes\n", e->number,
	       err == ERR_RST ? "reset" : "aborted", (unsigned long long)e->bytes);
	echo_free(e);
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb) return ERR_VAL;
	struct echo *e = calloc(1, sizeof(*e));
	if (!e) return ERR_MEM; /* lwIP aborts the connection */
	e->pcb = pcb;
	e->number = ++server.echo_served;
	server.echo_open++;
	tcp_arg(pcb, e);
	tcp_recv(pcb, echo_recv);
	tcp_sent(pcb, echo_sent);
	tcp_err(pcb, echo_err);
	tcp_poll(pcb, echo_poll, POLL_INTERVAL);
	tcp_nagle_disable(pcb);
	return ERR_OK;
}

/* ---- HTTP --------------------------------------------------------------------------- */

struct http
{
	struct tcp_pcb *pcb;
	size_t length;
	char request[HTTP_REQUEST_MAX + 1];
};

static void http_free(struct http *h)
{
	tcp_arg(h->pcb, NULL);
	tcp_recv(h->pcb, NULL);
	tcp_err(h->pcb, NULL);
	free(h);
}

/* answer and close; frees h. ERR_ABRT if the pcb had to be aborted */
static err_t http_answer(struct http *h, int status, char const *reason)
{
	char body[512];
	if (status == 200)
		snprintf(body, sizeof(body),
		         "<!DOCTYPE html>\n<html><head><title>Vitrine</title></head><body>\n"
		         "<h1>Vitrine</h1>\n<p>served by test-lwip-server over lwIP, token %s</p>\n"
		         "<p>echo connections open: %u, served: %u; http requests: %u</p>\n"
		         "</body></html>\n",
		         server.token, server.echo_open, server.echo_served, server.http_served);
	else
		snprintf(body, sizeof(body), "%d %s\n", status, reason);
	char head[256];
	int head_length =
	    snprintf(head, sizeof(head),
	             "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	             "Connection: close\r\n\r\n",
	             status, reason, status == 200 ? "text/html" : "text/plain", strlen(body));
	char const *end = strstr(h->request, "\r\n");
	int line = end ? (int)(end - h->request) : (int)h->length;
	printf("http: %d for \"%.*s\"\n", status, line > 80 ? 80 : line, h->request);
	struct tcp_pcb *pcb = h->pcb;
	http_free(h);
	/* a few hundred bytes: the send buffer of a new connection takes them; the FIN follows */
	if (tcp_write(pcb, head, (u16_t)head_length, TCP_WRITE_FLAG_COPY) == ERR_OK &&
	    tcp_write(pcb, body, (u16_t)strlen(body), TCP_WRITE_FLAG_COPY) == ERR_OK)
		return lwip_tcp_close(pcb);
	tcp_abort(pcb);
	return ERR_ABRT;
}

/* answer once the request is whole, or too long (h is freed then); else wait for more */
static err_t http_request(struct http *h)
{
	h->request[h->length] = 0;
	bool whole = strstr(h->request, "\r\n\r\n") != NULL;
	if (!whole && h->length < HTTP_REQUEST_MAX) return ERR_OK;
	server.http_served++;
	if (!whole) return http_answer(h, 431, "Request Header Fields Too Large");
	char path[256];
	char version[16];
	if (sscanf(h->request, "GET %255s HTTP/%15s", path, version) != 2 ||
	    strncmp(version, "1.", 2) != 0)
		return http_answer(h, 400, "Bad Request");
	if (strcmp(path, "/") == 0) return http_answer(h, 200, "OK");
	return http_answer(h, 404, "Not Found");
}

static err_t http_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct http *h = arg;
	if (err != ERR_OK) {
		if (p) pbuf_free(p);
		return ERR_OK;
	}
	if (!p) { /* closed before a whole request */
		http_free(h);
		return lwip_tcp_close(pcb);
	}
	tcp_recved(pcb, p->tot_len);
	size_t room = HTTP_REQUEST_MAX - h->length;
	u16_t taken = (u16_t)(p->tot_len < room ? p->tot_len : room);
	pbuf_copy_partial(p, h->request + h->length, taken, 0);
	h->length += taken;
	pbuf_free(p);
	return http_request(h); /* frees h once it answered */
}

static void http_err(void *arg, err_t err)
{
	(void)err;
	free(arg);
}

static err_t http_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb) return ERR_VAL;
	struct http *h = calloc(1, sizeof(*h));
	if (!h) return ERR_MEM;
	h->pcb = pcb;
	tcp_arg(pcb, h);
	tcp_recv(pcb, http_recv);
	tcp_err(pcb, http_err);
	return ERR_OK;
}

/* ---- main --------------------------------------------------------------------------- */

static bool listen_on(u16_t port, tcp_accept_fn accept)
{
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb) return false;
	if (tcp_bind(pcb, IP_ANY_TYPE, port) != ERR_OK) {
		tcp_abort(pcb);
		return false;
	}
	struct tcp_pcb *listener = tcp_listen(pcb);
	if (!listener) {
		tcp_abort(pcb);
		return false;
	}
	tcp_accept(listener, accept);
	return true;
}

static void up(void *arg, uint32_t address)
{
	(void)arg;
	printf("listening on %u.%u.%u.%u: tcp echo %u, http %u\n", address >> 24,
	       (address >> 16) & 0xff, (address >> 8) & 0xff, address & 0xff, (unsigned)ECHO_PORT,
	       (unsigned)HTTP_PORT);
	fflush(stdout);
}

int main(void)
{
	struct env *env = libc_env();
	if (config_init(&server.config, env) != CONFIG_OK) return 1;
	struct xml_copy_ret token =
	    xml_node_attribute_string(server.config.root, "token", server.token, TOKEN_MAX);
	if (token.result != XML_ACCESS_OK) {
		printf("Error: config: no token (at most %u characters)\n", (unsigned)TOKEN_MAX - 1);
		return 1;
	}
	if (lwip_loop_init(&server.loop, env) != LWIP_LOOP_OK) return 1;
	if (!listen_on(ECHO_PORT, echo_accept) || !listen_on(HTTP_PORT, http_accept)) {
		printf("Error: no listener\n");
		return 1;
	}
	struct nic_netif_args args = { .config = &server.config.root, .up = up };
	enum nic_netif_result r = nic_netif_init(&server.netif, &server.loop, &args);
	if (r != NIC_NETIF_OK) {
		printf("Error: no network: %s\n", nic_netif_result_string(r));
		return 1;
	}
	return lwip_loop_run(&server.loop) == LWIP_LOOP_OK ? 0 : 1;
}
