/* SPDX-License-Identifier: MIT */
/**
 * \brief the device of nic_drv: libslirp as the guest's network, run with
 *        the helper's entrypoint in one loop (doc/nic_drv.md)
 *
 * Threads. libslirp is not thread-safe, so one thread does every call into
 * it and serves the helper's entrypoint too: nic_slirp_run, the component's
 * main thread, waits in one poll() for slirp's sockets, slirp's timers and
 * the entrypoint (hybrid_entrypoint_handle), and serves what is pending at
 * the entrypoint (nic_driver_serve_pending) in its turn. slirp's callbacks
 * (send_packet, timers) and nic_slirp_transmit(), which feeds the client's
 * frame to slirp_input at once, run in it.
 *
 * Backpressure, both ways, nothing lost without a count and a log line:
 * - client -> slirp: slirp takes every frame, except while paused (below):
 *   then transmit() says BUSY, and the helper offers the frame again after
 *   the client's rx acknowledgements or the nic_driver_wakeup() that the
 *   loop gives once the backlog is gone;
 * - slirp -> client: a frame that the client has no room for goes into the
 *   backlog ring, in order; while the backlog holds any, the loop stops
 *   calling slirp (no input, no socket reads: the host's TCP senders wait in
 *   their socket buffers) and polls the entrypoint and the timerfd alone
 *   (the timer not armed anew), where the client making room arrives as a
 *   signal (ready_to_submit, or ack_avail, which the helper's allocation
 *   turns on when it finds the client's buffer full). Only a frame that
 *   does not fit even the backlog (slirp produced that much in one call) is
 *   dropped, counted and logged; so is a frame while no client is connected
 *   (like a cable not plugged in: slirp's TCP sends it again).
 */

#ifndef _NIC_DRV_NIC_SLIRP_H_
#define _NIC_DRV_NIC_SLIRP_H_

#include <stddef.h>

#include <nic/driver.h>

#include "lib/nic_slirp_config.h"

struct nic_slirp;

enum nic_slirp_result {
	NIC_SLIRP_OK = 0,
	NIC_SLIRP_NO_RESOURCES,   /* no memory (logged) */
	NIC_SLIRP_SLIRP_FAILED,   /* libslirp refused its configuration (logged) */
	NIC_SLIRP_FORWARD_FAILED, /* a forward's host port could not be listened on, e.g.
	                            because it is taken (logged with the reason) */
};

struct nic_slirp_create_ret
{
	enum nic_slirp_result result;
	struct nic_slirp *nic; /* with NIC_SLIRP_OK only */
};

/**
 * Make the slirp instance with the config's link and forwards; nothing runs
 * yet. On failure, nothing stays (the host ports are closed again).
 *
 * \param config  copied
 */
struct nic_slirp_create_ret nic_slirp_create(struct nic_slirp_config const *config)
    __attribute__((warn_unused_result));

/**
 * Run the device and serve the helper's entrypoint in the calling thread
 * (nic_driver_serve_pending in place of nic_driver_serve): slirp's frames
 * go to `driver`'s client, and the client's frames into slirp, from now on.
 * Does not return.
 */
__attribute__((noreturn)) void nic_slirp_run(struct nic_slirp *nic, struct nic_driver *driver);

/** the device's transmit() for <nic/driver.h>; `state` is the nic_slirp */
enum nic_driver_transmit_result nic_slirp_transmit(void *state, void const *frame, size_t size);

#endif /* _NIC_DRV_NIC_SLIRP_H_ */
