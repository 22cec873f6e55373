/* SPDX-License-Identifier: MIT */
/**
 * \brief hybrid components: an entrypoint in the host program's own event loop
 *
 * A hybrid (base/hybrid.h, doc/hybrid.md) that waits in a loop of its own,
 * say poll() over the sockets of a host library, can wait for its
 * entrypoint in the same call instead of in a thread of its own: the
 * entrypoint's host descriptor becomes readable when a request, a signal
 * (rpc_entrypoint_set_signal_handler) or a wake-up is pending, and
 * rpc_entrypoint_serve_once(ep, 0) then serves it. Hosted platform only:
 * there is no such descriptor on a kernel of our own.
 */

#ifndef _BASE_HYBRID_POLL_H_
#define _BASE_HYBRID_POLL_H_

#include <base/rpc_entrypoint.h>

/**
 * The host descriptor to wait for, readable (POLLIN) while something is
 * pending at `ep`. It stays the entrypoint's: do not read or close it.
 */
int hybrid_entrypoint_handle(struct rpc_entrypoint const *ep);

#endif /* _BASE_HYBRID_POLL_H_ */
