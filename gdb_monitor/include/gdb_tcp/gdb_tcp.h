/* SPDX-License-Identifier: MIT */
/**
 * \brief the GDB server's TCP transport on lwIP's raw API, and the server's
 *        events on the lwIP event loop
 *
 * gdb_tcp owns what drives a GDB server (gdb_server.h) in a component on
 * lwIP: a listener on the configured port, the one connection to GDB, the
 * source of the target's signal. Everything runs in
 * the loop's thread (lwip_loop.h):
 *
 *   a connection is accepted   gdb_server_connect; while one is open, a
 *                              further one is closed at once (logged), so is
 *                              one that the server calls busy
 *   bytes arrive               gdb_server_receive; what it does not take
 *                              (its reply waits for room) is kept and fed
 *                              again after gdb_server_sendable, and TCP's
 *                              window opens only by what it took: a GDB that
 *                              does not read its replies is held by TCP's
 *                              flow control, nothing piles up here
 *   the send buffer has room   (lwIP's sent callback, or its poll every
 *                              second after an ERR_MEM) gdb_server_sendable
 *   the connection ends        (FIN, RST, an error) gdb_server_disconnect
 *   the target's signal        gdb_server_child_event
 *
 * The server's send operation (transport.h) copies what fits into lwIP's
 * send buffer (tcp_write with TCP_WRITE_FLAG_COPY, in pieces of up to
 * 64 KiB - 1) and pushes it out (tcp_output); Nagle is off, so a reply
 * goes out at once.
 *
 * Set-up, in this order (the server needs the transport and the signal's
 * capability before it starts the target; the transport needs the server
 * before the loop runs):
 *
 *   gdb_tcp_init(&tcp, &loop, port)              listener and signal source
 *   args.transport = gdb_tcp_transport(&tcp);
 *   args.handler = gdb_tcp_child_handler(&tcp);
 *   gdb_server_init(&server, &args)
 *   gdb_tcp_start(&tcp, &server)                 accepts from now on
 *   lwip_loop_run(&loop)
 */

#ifndef _GDB_TCP_GDB_TCP_H_
#define _GDB_TCP_GDB_TCP_H_

#include <stdbool.h>
#include <stdint.h>

#include <gdb_server/gdb_server.h>
#include <gdb_server/transport.h>
#include <lwip/tcp.h>
#include <lwip_loop/lwip_loop.h>

enum {
	GDB_TCP_POLL_INTERVAL = 2, /* lwIP's poll (500 ms units): a send refused for memory
	                              is tried again then */
};

struct gdb_tcp_stats
{
	uint64_t connections; /* accepted and handed to the server */
	uint64_t refused;     /* closed at once: one was open already */
	uint64_t bytes_in, bytes_out;
	uint64_t held; /* times input was kept because the server's reply waited */
};

/** the transport; the fields are private */
struct gdb_tcp
{
	struct lwip_loop *loop;
	struct gdb_server *server; /* from gdb_tcp_start */
	uint16_t port;
	struct tcp_pcb *listener;
	struct tcp_pcb *pcb;  /* the connection, or NULL */
	struct pbuf *pending; /* input the server has not taken yet */
	struct lwip_loop_source child;
	struct signal_context_cap child_cap;
	struct gdb_tcp_stats stats;
};

enum gdb_tcp_result {
	GDB_TCP_OK = 0,
	GDB_TCP_PORT_IN_USE,  /* another listener of this component has the port (logged) */
	GDB_TCP_NO_RESOURCES, /* no pcb, no loop source (logged) */
};

/**
 * Make the listener on `port` (any address) and the source of the target's
 * signal. Nothing is accepted before gdb_tcp_start.
 *
 * \param tcp   storage, the caller's; must not move
 * \param loop  initialized
 * \return GDB_TCP_OK, or an error with nothing left
 */
enum gdb_tcp_result gdb_tcp_init(struct gdb_tcp *tcp, struct lwip_loop *loop, uint16_t port)
    __attribute__((warn_unused_result));

/** the transport for gdb_server_args.transport (its state is `tcp`) */
struct gdb_transport gdb_tcp_transport(struct gdb_tcp *tcp);

/**
 * The capability for gdb_server_args.handler: the target's exceptions and
 * exit arrive at the loop and go to gdb_server_child_event. It stays
 * gdb_tcp's (valid until gdb_tcp_destroy).
 */
struct signal_context_cap gdb_tcp_child_handler(struct gdb_tcp const *tcp);

/**
 * Serve `server` from now on: accept connections, deliver its signals.
 *
 * \param server  initialized with this transport and handler; must outlive
 *                the transport
 */
void gdb_tcp_start(struct gdb_tcp *tcp, struct gdb_server *server);

/**
 * Close the connection (the server is told: gdb_server_disconnect) and the
 * listener, remove the source. Not from within a callback.
 */
void gdb_tcp_destroy(struct gdb_tcp *tcp);

/** whether GDB is connected */
bool gdb_tcp_connected(struct gdb_tcp const *tcp) __attribute__((warn_unused_result));

/** the counters */
struct gdb_tcp_stats gdb_tcp_stats(struct gdb_tcp const *tcp)
    __attribute__((warn_unused_result));

#endif /* _GDB_TCP_GDB_TCP_H_ */
