/* SPDX-License-Identifier: MIT */
/**
 * \brief a server's start: its root object made and announced to the parent
 */

#ifndef _OS_SERVER_H_
#define _OS_SERVER_H_

#include <base/env.h>
#include <base/rpc_entrypoint.h>
#include <root/root.h>

/*
 * The server side of the root interface: `struct root_ops`, the functions a
 * server's root answers with, and its dispatch. A file that includes this
 * header does not declare RPC_SERVER(root, ROOT_RPC) itself.
 */
RPC_SERVER(root, ROOT_RPC)

enum server_root_result {
	SERVER_ROOT_OK = 0,
	SERVER_ROOT_NO_CAPABILITY, /* no capability could be minted for the root (logged) */
	SERVER_ROOT_DENIED,        /* the parent refused the announcement (logged) */
};

/**
 * Make `root` the root object of `ep`, served with `ops` and `state`, and
 * announce it to `env`'s parent as `service`. The parent gets a reference of
 * its own; the one minted here is closed on every path. The root stays
 * managed by `ep` after a failure (rpc_entrypoint_destroy() dissolves it).
 * A failure is logged with its reason, e.g. `the parent refused the
 * announcement of "Timer" (3)`.
 *
 * \return SERVER_ROOT_OK (requests for `service` now come to `ops`),
 *         SERVER_ROOT_NO_CAPABILITY or SERVER_ROOT_DENIED
 */
enum server_root_result
server_root_announce(struct env *env, struct rpc_entrypoint *ep, struct rpc_object *root,
                     struct root_ops const *ops, void *state, char const *service)
    __attribute__((warn_unused_result));

#endif /* _OS_SERVER_H_ */
