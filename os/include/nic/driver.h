/* SPDX-License-Identifier: MIT */
/**
 * \brief the Nic service around a NIC driver: a driver writes its device
 *        code, this helper serves the Nic session (nic_session.h)
 *
 * A driver is a struct of functions plus its state (struct nic_driver_ops),
 * and the device's facts (MAC address, largest frame, link state). The
 * helper announces "Nic" to the parent, serves one client session at a
 * time (a further request is denied with a log line that names the client
 * served), allocates both packet streams from the client's donation, calls
 * the driver's transmit() for each frame the client submits, and delivers
 * each frame the device received with nic_driver_receive().
 *
 * Threads. The thread that calls nic_driver_serve() serves the entrypoint:
 * the root, the session's RPCs, the client's signals and all work on the
 * tx stream, including every call of transmit(). A driver with an event
 * loop of its own serves the entrypoint from there instead
 * (nic_driver_serve_pending): then its device code and transmit() run in
 * one thread, and a frame goes from the client to the device without a
 * wake-up in between. nic_driver_receive(),
 * nic_driver_link_state() and nic_driver_wakeup() may be called from any
 * thread, also from within transmit(): one lock guards the rx stream and
 * the link state, and transmit() is called without it.
 *
 * Ownership and lifetime. Both dataspaces are allocated from the helper's
 * RAM session, paid by the client's donation, and freed when the parent
 * closes the session: when the client closes it, and when the client is
 * gone (its parent closes what it left open). Frames in flight then are
 * forgotten with the dataspaces; signals to a client that is gone go
 * nowhere. A client that corrupts its queues (PACKET_STREAM_PEER_CORRUPT)
 * is logged once and not served any more until it closes.
 *
 * Bad input from the client is logged and skipped, never used: a tx
 * descriptor outside the buffer (not acknowledged: it names no packet), a
 * frame larger than frame_max (acknowledged, not sent), an acknowledgement
 * of an rx packet that is not in flight. The first NIC_DRIVER_LOG_MAX
 * problems of a session are logged one by one, the rest counted at its
 * close. A flood of such acknowledgements counts as corrupt rx queues
 * (logged so, and not served any more): a queue's worth taken in one look
 * that released no packet, with more behind it
 * (packet_stream_source_release_acked() ends with
 * PACKET_STREAM_PEER_CORRUPT), is a client that writes them as fast as the
 * helper takes them, and would keep it taking them for ever.
 *
 * Log lines (the helper's, with the driver's label):
 *   session for "<label>": tx buffer <n>, rx buffer <n> bytes
 *   closed session of "<label>"
 *   denied session for "<label>": serving "<label>" already
 *   denied session for "<label>": ... (arguments, see nic_session.h)
 *   "<label>": rejected tx packet (offset 0x<o>, size <n>) outside the
 *       <n>-byte buffer
 *   "<label>": dropped tx frame of <n> bytes, above the <n> of the device
 *   "<label>": rejected <n> rx acknowledgements of no packet in flight
 *   "<label>": corrupted its <tx|rx> queues, not served any more
 *   "<label>": <n> more problems not logged (at close)
 */

#ifndef _NIC_DRIVER_H_
#define _NIC_DRIVER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/env.h>
#include <nic_session/nic_session.h>

enum { NIC_DRIVER_LOG_MAX = 8 };

struct nic_driver;

enum nic_driver_transmit_result {
	NIC_DRIVER_TRANSMIT_OK = 0,  /* the device took the frame */
	NIC_DRIVER_TRANSMIT_BUSY,    /* not now: the helper keeps the frame (and the rest of
	                                the queue) and offers it again after
	                                nic_driver_wakeup(), or after the client acknowledged
	                                rx packets */
	NIC_DRIVER_TRANSMIT_DROPPED, /* the device refuses this frame for good (the driver
	                                logs why): acknowledged, not offered again */
};

/** the device code */
struct nic_driver_ops
{
	/**
	 * Send one frame. Called in the entrypoint's thread, one frame at a
	 * time, in the client's order.
	 *
	 * \param frame  1 to frame_max bytes in the client's shared buffer,
	 *               valid during the call only; the client can change them
	 *               meanwhile, so copy before checking
	 */
	enum nic_driver_transmit_result (*transmit)(void *state, void const *frame, size_t size);
};

/** the device's facts at creation */
struct nic_driver_args
{
	struct nic_mac_address mac;
	uint32_t frame_max; /* 1 to NIC_SESSION_FRAME_MAX bytes */
	bool link_up;
};

enum nic_driver_result {
	NIC_DRIVER_OK = 0,
	NIC_DRIVER_INVALID_ARGUMENT, /* frame_max out of range, or no transmit function */
	NIC_DRIVER_NO_RESOURCES,     /* no memory, entrypoint, signal receiver or thread */
	NIC_DRIVER_DENIED,           /* the parent refused the announcement of "Nic" */
};

struct nic_driver_create_ret
{
	enum nic_driver_result result;
	struct nic_driver *driver; /* valid only with NIC_DRIVER_OK */
};

/**
 * Set up the helper for a device: its entrypoint, root and signal thread.
 * Nothing is announced yet, so the driver may finish its device setup.
 *
 * \param ops    the device code, static storage
 * \param state  passed to every function of `ops`
 * \return NIC_DRIVER_OK and the helper (from env_heap, lives as long as
 *         the component), or an error (logged) and nothing made
 */
struct nic_driver_create_ret nic_driver_create(struct env *env,
                                               struct nic_driver_ops const *ops, void *state,
                                               struct nic_driver_args const *args)
    __attribute__((warn_unused_result));

/**
 * Announce "Nic" to the parent; sessions come once the entrypoint is served.
 *
 * \return NIC_DRIVER_OK, or NIC_DRIVER_DENIED / NIC_DRIVER_NO_RESOURCES
 *         (logged)
 */
enum nic_driver_result nic_driver_announce(struct nic_driver *driver)
    __attribute__((warn_unused_result));

/** Serve the entrypoint in the calling thread; does not return. */
__attribute__((noreturn)) void nic_driver_serve(struct nic_driver *driver);

/**
 * The helper's entrypoint, for a driver that waits in its own loop: it
 * waits for the entrypoint too (a hybrid: hybrid_entrypoint_handle() in
 * base/hybrid_poll.h) and calls nic_driver_serve_pending() when it is ready.
 */
struct rpc_entrypoint *nic_driver_entrypoint(struct nic_driver *driver);

/**
 * Serve what is pending at the entrypoint (requests, the client's signals,
 * wake-ups) without blocking, in place of nic_driver_serve(): always in the
 * same thread. What is left after one turn keeps the entrypoint ready.
 */
void nic_driver_serve_pending(struct nic_driver *driver);

enum nic_driver_receive_result {
	NIC_DRIVER_RECEIVE_OK = 0,       /* the frame is in the client's rx queue (copied) */
	NIC_DRIVER_RECEIVE_NO_CLIENT,    /* no session, its rx stream is not connected, or the
	                                    client is not served (corrupt queues) */
	NIC_DRIVER_RECEIVE_FULL,         /* the client has not acknowledged enough: no room
	                                    in its rx buffer or queue now; nothing delivered */
	NIC_DRIVER_RECEIVE_INVALID_SIZE, /* 0 bytes or above frame_max */
};

/**
 * Deliver a frame that the device received to the client. Any thread.
 *
 * With FULL the frame is the driver's to drop (like a device whose receive
 * ring is full; counting it is the driver's business) or to keep and
 * offer again; the client's acknowledgements make room.
 */
enum nic_driver_receive_result nic_driver_receive(struct nic_driver *driver, void const *frame,
                                                  size_t size)
    __attribute__((warn_unused_result));

/** Set the link state; the client's handler hears of a change. Any thread. */
void nic_driver_link_state(struct nic_driver *driver, bool up);

/**
 * The device can take frames again after a TRANSMIT_BUSY: the entrypoint
 * offers the kept frame soon. Any thread, never blocks.
 */
void nic_driver_wakeup(struct nic_driver *driver);

#endif /* _NIC_DRIVER_H_ */
