/* SPDX-License-Identifier: MIT */
/**
 * \brief a Nic session opened through the parent, with both packet streams
 *        attached and connected
 *
 * nic_connection_init() opens the session (donating what
 * nic_session_ram_quota() says), connects the tx stream, where this side is
 * the source (`connection->tx`), and the rx stream, where it is the sink
 * (`connection->rx`), and installs a link-state handler. Then:
 *
 *   send      packet_stream_source_alloc_wait(&c->tx, size, 0), fill
 *             packet_stream_source_content(), packet_stream_source_submit()
 *             (both block while the stream is full, and release the frames
 *             that the driver acknowledged), or the try_ calls, taking
 *             acknowledgements with packet_stream_source_release_acked()
 *   receive   packet_stream_sink_get() or _try_get(), handle the frame, then
 *             packet_stream_sink_ack() or _try_ack()
 *   wait      for any of the connection's signals on its receiver(s): a
 *             signal only says "look again" (see packet_stream.h); a signal
 *             of `link_context` says the link state changed
 *             (nic_session_link_state(c->session))
 *
 * Signal receivers. By default the connection has one receiver of its own,
 * `c->receiver`, for the contexts of both streams and the link: the usual
 * setup for one thread that waits for everything (an event loop). It has
 * NIC_CONNECTION_USER_SLOTS slots more, for contexts of the caller (a
 * timer's handler, say). A caller that uses the two streams from two
 * threads (each waiting in blocking calls) gives a receiver for each
 * (args.tx_receiver, args.rx_receiver; the link context goes with rx); each
 * needs two free slots, rx three. An event loop that dispatches signals by
 * its own imprints (net/lwip_loop) gives the capabilities of five contexts
 * of its own instead (args.signals): the connection then manages none, and
 * the streams offer their try_ calls only.
 *
 * Server death: the session's RPCs then fail with NIC_INVALID_CAP; a
 * blocking packet-stream call waits forever unless its blocker is
 * cancelled (signals carry no "gone" notice). The attached buffers stay
 * mapped until destroy.
 *
 * Threads: the tx side is used by one thread at a time, so is the rx side;
 * destroy when neither is in use. The struct must not move while open.
 */

#ifndef _NIC_SESSION_CONNECTION_H_
#define _NIC_SESSION_CONNECTION_H_

#include <base/env.h>
#include <base/signal.h>
#include <nic_session/nic_session.h>
#include <packet_stream/packet_stream.h>

enum {
	NIC_CONNECTION_USER_SLOTS = 3,
	NIC_CONNECTION_SLOTS = 5 + NIC_CONNECTION_USER_SLOTS, /* of the own receiver */
};

/** contexts of the caller, for the driver's signals (the capabilities stay the caller's) */
struct nic_connection_signals
{
	struct signal_context_cap tx_ready_to_submit, tx_ack_avail; /* for the tx source */
	struct signal_context_cap rx_packet_avail, rx_ready_to_ack; /* for the rx sink */
	struct signal_context_cap link;                             /* link-state changes */
};

struct nic_connection_args
{
	char const *label;    /* the session's own label, NULL or "" for none */
	uint64_t tx_buf_size; /* NIC_SESSION_BUF_MIN to NIC_SESSION_BUF_MAX */
	uint64_t rx_buf_size;
	/* both NULL: the connection's own receiver; otherwise both set (may be equal) */
	struct signal_receiver *tx_receiver, *rx_receiver;
	/* or, with both receivers NULL, the caller's own contexts (read during init) */
	struct nic_connection_signals const *signals;
};

struct nic_connection
{
	struct env *env;
	struct connection connection;   /* as env_session returned it */
	struct nic_session_cap session; /* owned by the connection */

	struct signal_receiver receiver; /* the own one, if used */
	struct signal_slot slots[NIC_CONNECTION_SLOTS];
	bool own_receiver;

	struct packet_stream_geometry tx_geometry, rx_geometry; /* computed here */
	struct dataspace_cap tx_ds, rx_ds;
	void *tx_memory, *rx_memory;
	struct packet_stream_source tx;
	struct packet_stream_sink rx;
	bool tx_ready, rx_ready;

	struct signal_context link_context; /* imprint: the connection */
	struct signal_context_cap link_cap; /* invalid with args.signals */
	struct signal_receiver *link_receiver;
};

enum nic_connection_result {
	NIC_CONNECTION_OK = 0,
	NIC_CONNECTION_INVALID_ARGUMENT, /* a buffer size out of range, a label that does not
	                                    fit the arguments, one receiver given alone, or
	                                    receivers and signals both */
	NIC_CONNECTION_DENIED,           /* the parent gave no Nic session (logged) */
	NIC_CONNECTION_NO_RESOURCES,     /* no receiver, context, capability or address space
	                                    for the buffers */
	NIC_CONNECTION_SERVER_ERROR,     /* the driver refused a connect or its dataspace is
	                                    smaller than the stream (logged) */
};

/**
 * Open a Nic session through the parent and connect both streams.
 *
 * \param connection  storage, the caller's; must not move until destroyed
 * \return NIC_CONNECTION_OK: the connection is open; or an error, and
 *         nothing stays open
 */
enum nic_connection_result nic_connection_init(struct nic_connection *connection,
                                               struct env *env,
                                               struct nic_connection_args const *args)
    __attribute__((warn_unused_result));

/**
 * Close the session (the driver frees the buffers, the donation comes
 * back), detach the buffers and dissolve the contexts. No call on either
 * stream may be running.
 */
void nic_connection_destroy(struct nic_connection *connection);

#endif /* _NIC_SESSION_CONNECTION_H_ */
