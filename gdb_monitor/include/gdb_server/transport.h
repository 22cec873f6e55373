/* SPDX-License-Identifier: MIT */
/**
 * \brief the byte stream under the GDB server: what the server asks of a
 *        transport (TCP on lwIP, or a test's loopback)
 *
 * The transport owns the connection and the event loop. It tells the
 * server of a connection's start and end and feeds it the bytes received
 * (gdb_server.h: gdb_server_connect, gdb_server_receive, gdb_server_sendable,
 * gdb_server_disconnect); the server sends through the one operation here.
 * One connection at a time; every call in the event loop's thread.
 */

#ifndef _GDB_SERVER_TRANSPORT_H_
#define _GDB_SERVER_TRANSPORT_H_

#include <stddef.h>

struct gdb_transport_ops
{
	/**
	 * Send bytes to the connected peer.
	 *
	 * The transport takes what it can without blocking (copies it, e.g.
	 * into lwIP's send buffer) and pushes it out: a call ends a packet or
	 * a part of one that the peer is waiting for (lwIP: tcp_output). Bytes
	 * it does not take stay the server's, which offers them again after
	 * gdb_server_sendable() and reads no further input meanwhile.
	 *
	 * \param data    valid during the call only
	 * \param length  at least 1
	 * \return        the bytes taken, 0..length
	 */
	size_t (*send)(void *state, void const *data, size_t length);
};

/** a transport: its operations and their state (lwIP's `struct netif` pattern) */
struct gdb_transport
{
	struct gdb_transport_ops const *ops;
	void *state;
};

#endif /* _GDB_SERVER_TRANSPORT_H_ */
