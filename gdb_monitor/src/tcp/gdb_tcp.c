/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB server's TCP transport on lwIP's raw API, and the server's
 *        events on the lwIP event loop (gdb_tcp.h)
 */

#include <base/log.h>
#include <base/panic.h>
#include <gdb_tcp/gdb_tcp.h>
#include <lwip/ip_addr.h>
#include <lwip_tcp/lwip_tcp.h>
#include <util/string.h>

/* ---- the target's signal ---------------------------------------------------------------- */

static void gdb_tcp_child_signal(void *arg, uint64_t count)
{
	(void)count;
	struct gdb_tcp *t = arg;
	if (!t->server) return;
	gdb_server_child_event(t->server);
}

/* ---- the connection ------------------------------------------------------------------ */

static size_t gdb_tcp_send(void *state, void const *data, size_t length)
{
	struct gdb_tcp *t = state;
	if (!t->pcb) return length; /* no peer: nowhere to go */
	size_t taken = 0;
	while (taken < length) {
		/* snd_buf itself: tcp_sndbuf() caps it at 64 KiB - 1, a reply is a few bytes more */
		size_t chunk = length - taken;
		if (chunk > t->pcb->snd_buf) chunk = t->pcb->snd_buf;
		if (chunk > 0xffff) chunk = 0xffff;
		if (chunk == 0) break;
		/* ERR_MEM (too many segments queued): the rest after the next sent callback */
		if (tcp_write(t->pcb, (char const *)data + taken, (u16_t)chunk, TCP_WRITE_FLAG_COPY) !=
		    ERR_OK)
			break;
		taken += chunk;
	}
	if (taken) {
		(void)tcp_output(t->pcb); /* a failure leaves it queued: TCP's timers send it */
		t->stats.bytes_out += taken;
	}
	return taken;
}

static struct gdb_transport_ops const gdb_tcp_ops = { gdb_tcp_send };

static void gdb_tcp_pending_free(struct gdb_tcp *t)
{
	if (t->pending) pbuf_free(t->pending);
	t->pending = NULL;
}

/* hand the server what arrived, as far as it takes it */
static void gdb_tcp_feed(struct gdb_tcp *t)
{
	while (t->pending && t->pcb) {
		struct pbuf *q = t->pending;
		size_t used = q->len ? gdb_server_receive(t->server, q->payload, q->len) : 0;
		ASSERT(used <= q->len);
		if (used) {
			t->stats.bytes_in += used;
			tcp_recved(t->pcb, (u16_t)used); /* the window opens by what was taken */
		}
		if (used == q->len) {
			/* the chain's reference to the next pbuf becomes ours */
			t->pending = q->next;
			q->next = NULL;
			pbuf_free(q);
			continue;
		}
		/* the server's reply waits for room: the rest after gdb_server_sendable */
		(void)pbuf_remove_header(q, (u16_t)used);
		t->stats.held++;
		break;
	}
}

/* end the connection from our side; ERR_ABRT if the pcb had to be aborted */
static err_t gdb_tcp_close(struct gdb_tcp *t)
{
	struct tcp_pcb *pcb = t->pcb;
	t->pcb = NULL;
	gdb_tcp_pending_free(t);
	err_t r = lwip_tcp_close(pcb);
	gdb_server_disconnect(t->server);
	return r;
}

static err_t gdb_tcp_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)pcb, (void)err;
	struct gdb_tcp *t = arg;
	if (!p) return gdb_tcp_close(t);
	if (t->pending)
		pbuf_cat(t->pending, p);
	else
		t->pending = p;
	gdb_tcp_feed(t);
	return ERR_OK;
}

/* room in the send buffer (sent), or a second passed (poll): a waiting reply goes on */
static void gdb_tcp_resume(struct gdb_tcp *t)
{
	if (gdb_server_output_pending(t->server)) gdb_server_sendable(t->server);
	gdb_tcp_feed(t);
}

static err_t gdb_tcp_sent(void *arg, struct tcp_pcb *pcb, u16_t length)
{
	(void)pcb, (void)length;
	gdb_tcp_resume(arg);
	return ERR_OK;
}

static err_t gdb_tcp_poll(void *arg, struct tcp_pcb *pcb)
{
	(void)pcb;
	gdb_tcp_resume(arg);
	return ERR_OK;
}

/* lwIP has freed the pcb already (a reset, or it gave up) */
static void gdb_tcp_error(void *arg, err_t err)
{
	struct gdb_tcp *t = arg;
	t->pcb = NULL;
	gdb_tcp_pending_free(t);
	log_info("gdb_monitor: the connection to GDB broke (%s)", err == ERR_RST    ? "reset"
	                                                          : err == ERR_ABRT ? "lwIP gave up"
	                                                                            : "an error");
	gdb_server_disconnect(t->server);
}

static err_t gdb_tcp_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct gdb_tcp *t = arg;
	if (err != ERR_OK || !pcb) return ERR_VAL;
	if (!t->server || t->pcb || gdb_server_connect(t->server) != GDB_SERVER_OK) {
		char peer[IPADDR_STRLEN_MAX];
		(void)ipaddr_ntoa_r(&pcb->remote_ip, peer, sizeof peer);
		t->stats.refused++;
		log_warning("gdb_monitor: refused a connection from %s:%u: GDB is connected already",
		            peer, (unsigned)pcb->remote_port);
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	t->pcb = pcb;
	t->stats.connections++;
	tcp_arg(pcb, t);
	tcp_recv(pcb, gdb_tcp_recv);
	tcp_sent(pcb, gdb_tcp_sent);
	tcp_err(pcb, gdb_tcp_error);
	tcp_poll(pcb, gdb_tcp_poll, GDB_TCP_POLL_INTERVAL);
	tcp_nagle_disable(pcb); /* request and reply: nothing to wait for */
	return ERR_OK;
}

/* ---- set-up ------------------------------------------------------------------------ */

enum gdb_tcp_result gdb_tcp_init(struct gdb_tcp *t, struct lwip_loop *loop, uint16_t port)
{
	memory_set(t, 0, sizeof(*t));
	t->loop = loop;
	t->port = port;
	t->child_cap = CAP_INVALID(signal_context);

	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
	if (!pcb) {
		log_error("gdb_monitor: no TCP pcb for the listener");
		return GDB_TCP_NO_RESOURCES;
	}
	ip_set_option(pcb, SOF_REUSEADDR); /* a listener again while old connections linger */
	if (tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK) {
		(void)tcp_close(pcb); /* a fresh pcb closes without a segment */
		log_error("gdb_monitor: TCP port %u is in use", (unsigned)port);
		return GDB_TCP_PORT_IN_USE;
	}
	/* one connection at a time: a backlog of one half-accepted more */
	err_t err = ERR_OK;
	t->listener = tcp_listen_with_backlog_and_err(pcb, 1, &err);
	if (!t->listener) {
		(void)tcp_close(pcb);
		log_error("gdb_monitor: cannot listen on TCP port %u (lwIP error %d)", (unsigned)port,
		          (int)err);
		return GDB_TCP_NO_RESOURCES;
	}
	tcp_arg(t->listener, t);
	tcp_accept(t->listener, gdb_tcp_accept);

	struct lwip_loop_source_result s =
	    lwip_loop_source_add(loop, &t->child, gdb_tcp_child_signal, t);
	if (s.result != LWIP_LOOP_OK) {
		(void)tcp_close(t->listener);
		t->listener = NULL;
		log_error("gdb_monitor: no event-loop source for the target's signal");
		return GDB_TCP_NO_RESOURCES;
	}
	t->child_cap = s.cap;
	return GDB_TCP_OK;
}

struct gdb_transport gdb_tcp_transport(struct gdb_tcp *t)
{
	return (struct gdb_transport){ &gdb_tcp_ops, t };
}

struct signal_context_cap gdb_tcp_child_handler(struct gdb_tcp const *t)
{
	return t->child_cap;
}

void gdb_tcp_start(struct gdb_tcp *t, struct gdb_server *server) { t->server = server; }

void gdb_tcp_destroy(struct gdb_tcp *t)
{
	if (t->pcb) (void)gdb_tcp_close(t);
	if (t->listener) (void)tcp_close(t->listener);
	t->listener = NULL;
	if (t->child.loop) lwip_loop_source_remove(t->loop, &t->child);
	cap_close(t->child_cap.cap);
	t->child_cap = CAP_INVALID(signal_context);
}

bool gdb_tcp_connected(struct gdb_tcp const *t) { return t->pcb != NULL; }

struct gdb_tcp_stats gdb_tcp_stats(struct gdb_tcp const *t) { return t->stats; }
