/* SPDX-License-Identifier: MIT */
/** \brief an entrypoint in a hybrid's own event loop (base/hybrid_poll.h) */

#include <base/hybrid_poll.h>

/* the entrypoint's epoll set: readable while one of its descriptors is */
int hybrid_entrypoint_handle(struct rpc_entrypoint const *ep) { return ep->event_handle; }
