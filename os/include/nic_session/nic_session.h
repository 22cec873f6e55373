/* SPDX-License-Identifier: MIT */
/**
 * \brief Nic session: Ethernet frames to and from a network device, in two
 *        packet streams (packet_stream/packet_stream.h, doc/nic.md)
 *
 * A NIC driver announces the service "Nic". A session is the client's view
 * of the device: its MAC address, its link state, and two packet streams,
 * each in a dataspace of its own that the server allocates from the
 * client's donation and both sides attach:
 *
 *   tx  client -> server   the client is the source: it allocates frames in
 *                          the tx buffer and submits them, the driver sends
 *                          them and acknowledges them
 *   rx  server -> client   the server is the source: it puts each frame that
 *                          the device received into the rx buffer and
 *                          submits it, the client handles it and
 *                          acknowledges it
 *
 * A packet of either stream is one Ethernet frame without the frame check
 * sequence: 1 to frame_max() bytes. Each stream's queues have
 * NIC_SESSION_QUEUE_SIZE slots; its buffer is as large as the session
 * arguments say. Both sides compute the layout from those numbers
 * (nic_session_geometry), never from what the peer wrote.
 *
 * Setup: open the session, get and attach both dataspaces (tx_dataspace(),
 * rx_dataspace()), set up the client's side of each stream over it, then
 * tx_connect() and rx_connect(), each once. A connect hands the server the
 * client side's two signal contexts of that stream and returns the server
 * side's two. The server sends nothing on rx before rx_connect, and takes
 * nothing from tx before tx_connect. <nic_session/connection.h> does all of
 * this.
 *
 * Session arguments (checked by the driver's root before anything is made):
 *   tx_buf_size, rx_buf_size  bytes of each packet buffer, from
 *              NIC_SESSION_BUF_MIN to NIC_SESSION_BUF_MAX (so each holds a
 *              frame of any driver); missing or out of range: denied with
 *              ROOT_INVALID_ARGUMENT
 *   ram_quota  at least nic_session_ram_quota(tx_buf_size, rx_buf_size):
 *              both dataspaces and the server's bookkeeping; less is denied
 *              with ROOT_INSUFFICIENT_DONATION
 *   label      the client's label, for the driver's log lines
 * A driver serves one session at a time (nic/driver.h) and denies a
 * further one with ROOT_DENIED.
 *
 * The functions (results: enum nic_session_result, alone or leading a
 * struct; every function may also return the transport errors
 * NIC_INVALID_CAP, ... of RPC_RESULT_ERRORS: NIC_INVALID_CAP also when the
 * driver is gone, NIC_NO_RESOURCES when it ran out of capabilities):
 *
 * mac_address()      the device's MAC address, in `.mac`
 * frame_max()        the largest frame in bytes that the device sends and
 *                    receives, in `.bytes` (at most NIC_SESSION_FRAME_MAX)
 * link_state()       whether the link is up, in `.up`
 * link_state_sigh(handler)
 *   Install `handler` as where a signal goes at each change of the link
 *   state (read it then with link_state()). The capability stays the
 *   caller's, the server keeps a reference of its own; an invalid one
 *   removes the handler.
 *   NIC_INVALID_SIGNAL_CONTEXT: `handler` is no signal context; nothing
 *   changed.
 * tx_dataspace(&ds), rx_dataspace(&ds)
 *   The stream's dataspace (a capability of the client's), to attach
 *   read-write with the size of the stream's geometry (total_size): core
 *   refuses a smaller dataspace. It lives as long as the session.
 * tx_connect(ready_to_submit, ack_avail, &packet_avail, &ready_to_ack)
 *   Connect the tx stream: the client (source) gives its two contexts and
 *   gets the server's (sink's) two, which are the client's then.
 *   NIC_INVALID_SIGNAL_CONTEXT: a given capability is invalid or no signal
 *   context; nothing changed.
 *   NIC_ALREADY_CONNECTED: tx was connected before; nothing changed.
 * rx_connect(packet_avail, ready_to_ack, &ready_to_submit, &ack_avail)
 *   The same for the rx stream, where the client is the sink.
 */

#ifndef _NIC_SESSION_NIC_SESSION_H_
#define _NIC_SESSION_NIC_SESSION_H_

#include <stdbool.h>
#include <stdint.h>

#include <base/rpc.h>
#include <base/session.h>
#include <base/signal.h>
#include <dataspace/dataspace.h>
#include <packet_stream/packet_stream.h>

enum {
	NIC_SESSION_QUEUE_SIZE = 256,   /* slots of each queue of each stream */
	NIC_SESSION_FRAME_MAX = 65536,  /* the largest frame_max of any driver */
	NIC_SESSION_BUF_MIN = 65536,    /* the smallest packet buffer: one largest frame */
	NIC_SESSION_BUF_MAX = 64 << 20, /* the largest packet buffer */
	NIC_SESSION_RAM_META = 16384,   /* the server's bookkeeping of a session */
	NIC_MAC_ADDRESS_SIZE = 6,
};

struct nic_mac_address
{
	uint8_t bytes[NIC_MAC_ADDRESS_SIZE];
};

enum nic_session_result {
	NIC_OK = 0,
	NIC_INVALID_SIGNAL_CONTEXT, /* a capability that should be a signal context is not */
	NIC_ALREADY_CONNECTED,      /* tx_connect or rx_connect a second time */
	RPC_RESULT_ERRORS(NIC),
};

struct nic_mac_address_result
{
	enum nic_session_result result;
	struct nic_mac_address mac;
};

struct nic_frame_max_result
{
	enum nic_session_result result;
	uint32_t bytes;
};

struct nic_link_state_result
{
	enum nic_session_result result;
	bool up;
};

#define NIC_SESSION_RPC(M, I)                                                             \
	M(I, mac_address, struct nic_mac_address_result)                                      \
	M(I, frame_max, struct nic_frame_max_result)                                          \
	M(I, link_state, struct nic_link_state_result)                                        \
	M(I, link_state_sigh, enum nic_session_result, (IN_CAP, signal_context, handler))     \
	M(I, tx_dataspace, enum nic_session_result, (OUT_CAP, dataspace, ds))                 \
	M(I, rx_dataspace, enum nic_session_result, (OUT_CAP, dataspace, ds))                 \
	M(I, tx_connect, enum nic_session_result, (IN_CAP, signal_context, ready_to_submit),  \
	  (IN_CAP, signal_context, ack_avail), (OUT_CAP, signal_context, packet_avail),       \
	  (OUT_CAP, signal_context, ready_to_ack))                                            \
	M(I, rx_connect, enum nic_session_result, (IN_CAP, signal_context, packet_avail),     \
	  (IN_CAP, signal_context, ready_to_ack), (OUT_CAP, signal_context, ready_to_submit), \
	  (OUT_CAP, signal_context, ack_avail))

RPC_INTERFACE(nic_session, NIC_SESSION_RPC)

/**
 * The layout of a stream whose buffer has `buf_size` bytes, as both sides
 * of a Nic session compute it.
 *
 * \return true with *geometry filled, false if `buf_size` is out of
 *         [NIC_SESSION_BUF_MIN, NIC_SESSION_BUF_MAX]
 */
bool nic_session_geometry(uint64_t buf_size, struct packet_stream_geometry *geometry)
    __attribute__((warn_unused_result));

/**
 * The ram_quota a session with these buffers needs: both dataspaces and
 * NIC_SESSION_RAM_META. 0 if a size is out of range.
 */
uint64_t nic_session_ram_quota(uint64_t tx_buf_size, uint64_t rx_buf_size)
    __attribute__((warn_unused_result));

#endif /* _NIC_SESSION_NIC_SESSION_H_ */
