/* SPDX-License-Identifier: MIT */
/**
 * \brief the device of nic_drv: libslirp as the guest's network, run in a
 *        thread of its own (doc/nic_drv.md)
 *
 * Threads. libslirp is not thread-safe, so one thread, "slirp", does every
 * call into it: slirp_input for the client's frames, slirp_pollfds_fill/poll
 * around one poll() that waits for slirp's sockets, slirp's timers and a
 * wake-up eventfd together, and slirp's callbacks (send_packet, timers).
 * The helper's entrypoint thread calls nic_slirp_transmit(), which only
 * copies the frame into the tx ring and wakes the slirp thread.
 *
 * Backpressure, both ways, nothing lost without a count and a log line:
 * - client -> slirp: a full tx ring makes transmit() say BUSY; the slirp
 *   thread calls nic_driver_wakeup() once it made room, and the helper
 *   offers the frame again;
 * - slirp -> client: a frame that the client has no room for goes into the
 *   backlog ring, in order; while the backlog holds any, the slirp thread
 *   stops calling slirp (no input, no socket reads: the host's TCP senders
 *   wait in their socket buffers) and transmit() says BUSY, until the
 *   client's acknowledgements make room. Only a frame that does not fit
 *   even the backlog (slirp produced that much in one call) is dropped,
 *   counted and logged; so is a frame while no client is connected (like a
 *   cable not plugged in: slirp's TCP sends it again).
 */

#ifndef _NIC_DRV_NIC_SLIRP_H_
#define _NIC_DRV_NIC_SLIRP_H_

#include <stddef.h>

#include <base/env.h>
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
struct nic_slirp_create_ret nic_slirp_create(struct env *env,
                                             struct nic_slirp_config const *config)
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
