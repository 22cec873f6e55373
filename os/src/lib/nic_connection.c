/* SPDX-License-Identifier: MIT */
/** \brief a Nic session opened through the parent, with both packet streams connected */

#include <base/log.h>
#include <nic_session/connection.h>
#include <util/arg_string.h>
#include <util/string.h>

/* the session's arguments: buffer sizes, ram_quota and, if given, the label */
static bool nic_connection_args(char *args, size_t capacity,
                                struct nic_connection_args const *a)
{
	args[0] = 0;
	if (arg_string_set_unsigned(args, capacity, "ram_quota",
	                            nic_session_ram_quota(a->tx_buf_size, a->rx_buf_size)) !=
	        ARG_STRING_OK ||
	    arg_string_set_unsigned(args, capacity, "tx_buf_size", a->tx_buf_size) !=
	        ARG_STRING_OK ||
	    arg_string_set_unsigned(args, capacity, "rx_buf_size", a->rx_buf_size) != ARG_STRING_OK)
		return false;
	if (!a->label || !a->label[0]) return true;
	return arg_string_set_string(args, capacity, "label", a->label) == ARG_STRING_OK;
}

/*
 * Get a stream's dataspace and attach as much of it as our own geometry
 * says: core refuses that if the dataspace is smaller, so a driver cannot
 * make us touch memory beyond it.
 */
static enum nic_connection_result nic_connection_attach(struct nic_connection *c, bool tx)
{
	struct dataspace_cap *ds = tx ? &c->tx_ds : &c->rx_ds;
	void **memory = tx ? &c->tx_memory : &c->rx_memory;
	struct packet_stream_geometry const *g = tx ? &c->tx_geometry : &c->rx_geometry;
	enum nic_session_result r = tx ? nic_session_tx_dataspace(c->session, ds)
	                               : nic_session_rx_dataspace(c->session, ds);
	if (r != NIC_OK || !cap_valid(ds->cap)) {
		log_error("nic connection: no %s dataspace from the driver (%d)", tx ? "tx" : "rx",
		          (int)r);
		return NIC_CONNECTION_SERVER_ERROR;
	}
	struct rm_attach_args args = { .size = g->total_size, .writeable = true };
	struct env_attach_result a = env_attach(c->env, *ds, args);
	if (a.result == ENV_OUT_OF_RANGE || a.result == ENV_OUT_OF_QUOTA)
		return NIC_CONNECTION_NO_RESOURCES;
	if (a.result != ENV_OK) {
		log_error("nic connection: the %s dataspace cannot be attached with %llu bytes",
		          tx ? "tx" : "rx", (unsigned long long)g->total_size);
		return NIC_CONNECTION_SERVER_ERROR;
	}
	*memory = a.address;
	return NIC_CONNECTION_OK;
}

static enum nic_connection_result
nic_connection_streams(struct nic_connection *c, struct signal_receiver *tx_receiver,
                       struct signal_receiver *rx_receiver,
                       struct nic_connection_signals const *own)
{
	enum nic_connection_result r = nic_connection_attach(c, true);
	if (r == NIC_CONNECTION_OK) r = nic_connection_attach(c, false);
	if (r != NIC_CONNECTION_OK) return r;

	c->tx_ready =
	    packet_stream_source_init(&c->tx, &c->tx_geometry, c->tx_memory, env_heap(c->env),
	                              tx_receiver) == PACKET_STREAM_INIT_OK;
	c->rx_ready = c->tx_ready && packet_stream_sink_init(&c->rx, &c->rx_geometry, c->rx_memory,
	                                                     rx_receiver) == PACKET_STREAM_INIT_OK;
	if (!c->rx_ready) return NIC_CONNECTION_NO_RESOURCES;

	/* the driver gets references of its own of our contexts (or the caller's); we get its */
	struct nic_connection_signals const ours = { c->tx.ready_to_submit, c->tx.ack_avail,
		                                         c->rx.packet_avail, c->rx.ready_to_ack,
		                                         c->link_cap };
	if (!own) own = &ours;
	struct signal_context_cap a = CAP_INVALID(signal_context), b = CAP_INVALID(signal_context);
	enum nic_session_result connected =
	    nic_session_tx_connect(c->session, own->tx_ready_to_submit, own->tx_ack_avail, &a, &b);
	if (connected == NIC_OK) {
		packet_stream_source_connect(&c->tx, a, b);
		a = b = CAP_INVALID(signal_context);
		connected = nic_session_rx_connect(c->session, own->rx_packet_avail,
		                                   own->rx_ready_to_ack, &a, &b);
	}
	if (connected == NIC_OK) {
		packet_stream_sink_connect(&c->rx, a, b);
		a = b = CAP_INVALID(signal_context);
		connected = nic_session_link_state_sigh(c->session, own->link);
	}
	if (connected == NIC_OK) return NIC_CONNECTION_OK;
	cap_close(a.cap);
	cap_close(b.cap);
	log_error("nic connection: the driver refused a stream's or the link's signals (%d)",
	          (int)connected);
	return NIC_CONNECTION_SERVER_ERROR;
}

enum nic_connection_result nic_connection_init(struct nic_connection *c, struct env *env,
                                               struct nic_connection_args const *args)
{
	memory_set(c, 0, sizeof(*c));
	c->env = env;
	c->connection.result = PARENT_UNKNOWN_SESSION; /* nothing to close yet */
	c->session = CAP_INVALID(nic_session);
	c->tx_ds = CAP_INVALID(dataspace);
	c->rx_ds = CAP_INVALID(dataspace);
	c->link_cap = CAP_INVALID(signal_context);

	/* everything checked before anything is made */
	char session_args[SESSION_ARGS_MAX];
	if (!nic_session_geometry(args->tx_buf_size, &c->tx_geometry) ||
	    !nic_session_geometry(args->rx_buf_size, &c->rx_geometry) ||
	    !nic_connection_args(session_args, sizeof(session_args), args) ||
	    !args->tx_receiver != !args->rx_receiver || (args->tx_receiver && args->signals))
		return NIC_CONNECTION_INVALID_ARGUMENT;

	/* the caller's contexts, or the connection's own at the receiver(s) */
	struct signal_receiver *tx_receiver = args->tx_receiver, *rx_receiver = args->rx_receiver;
	if (!tx_receiver && !args->signals) {
		if (signal_receiver_init(&c->receiver, c->slots, NIC_CONNECTION_SLOTS) !=
		    SIGNAL_RECEIVER_OK)
			return NIC_CONNECTION_NO_RESOURCES;
		c->own_receiver = true;
		tx_receiver = rx_receiver = &c->receiver;
	}
	c->link_receiver = rx_receiver;
	signal_context_init(&c->link_context, c);
	if (rx_receiver) {
		struct signal_context_cap_result link =
		    signal_receiver_manage(rx_receiver, &c->link_context);
		if (link.result != SIGNAL_RECEIVER_OK) {
			nic_connection_destroy(c);
			return NIC_CONNECTION_NO_RESOURCES;
		}
		c->link_cap = link.cap;
	}

	c->connection = env_session(env, "Nic", session_args);
	if (c->connection.result != PARENT_OK) {
		nic_connection_destroy(c);
		return NIC_CONNECTION_DENIED;
	}
	c->session = CAP_CAST(nic_session, c->connection.cap);

	enum nic_connection_result r =
	    nic_connection_streams(c, tx_receiver, rx_receiver, args->signals);
	if (r != NIC_CONNECTION_OK) nic_connection_destroy(c);
	return r;
}

void nic_connection_destroy(struct nic_connection *c)
{
	/* the driver stops first: it frees the buffers and drops our contexts */
	env_session_close(c->env, &c->connection);
	c->session = CAP_INVALID(nic_session);
	if (c->tx_ready) packet_stream_source_destroy(&c->tx);
	if (c->rx_ready) packet_stream_sink_destroy(&c->rx);
	c->tx_ready = c->rx_ready = false;
	if (c->tx_memory) env_detach(c->env, c->tx_memory);
	if (c->rx_memory) env_detach(c->env, c->rx_memory);
	c->tx_memory = c->rx_memory = 0;
	cap_close(c->tx_ds.cap);
	cap_close(c->rx_ds.cap);
	c->tx_ds = CAP_INVALID(dataspace);
	c->rx_ds = CAP_INVALID(dataspace);
	if (cap_valid(c->link_cap.cap))
		signal_receiver_dissolve(c->link_receiver, &c->link_context);
	cap_close(c->link_cap.cap);
	c->link_cap = CAP_INVALID(signal_context);
	if (c->own_receiver) signal_receiver_destroy(&c->receiver);
	c->own_receiver = false;
}
