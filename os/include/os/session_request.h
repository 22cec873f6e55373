/* SPDX-License-Identifier: MIT */
/**
 * \brief a server's first look at a session request: its arguments decoded
 *        and checked before the root creates anything
 */

#ifndef _OS_SESSION_REQUEST_H_
#define _OS_SESSION_REQUEST_H_

#include <base/env.h>
#include <base/rpc_entrypoint.h>
#include <base/session.h>
#include <root/root.h>

struct session_request
{
	char label[SESSION_LABEL_MAX]; /* "" if the request has none */
	uint64_t ram_quota;            /* the donation, 0 if none */
};

/**
 * Decode `args` (util/arg_string.h) for a root's session function: the
 * whole string well-formed, the label (optional) fitting, ram_quota
 * (optional) a number of at least `ram_quota_min`. A refusal is logged with
 * its reason, e.g. `denied session for "client": ram_quota 1024 below the
 * 4096 it needs`.
 *
 * \return ROOT_OK (with *out filled), ROOT_INVALID_ARGUMENT or
 *         ROOT_INSUFFICIENT_DONATION
 */
enum root_result session_request_decode(char const *args, uint64_t ram_quota_min,
                                        struct session_request *out)
    __attribute__((warn_unused_result));

/**
 * The memory of a session object for `request`: `size` bytes from env_heap,
 * zeroed. Without memory the refusal is logged (`denied session for
 * "client": out of memory`) and NULL comes back: then answer
 * ROOT_NO_RESOURCES. The root frees it with allocator_free(env_heap(env), ...)
 * at close.
 */
void *session_request_object_alloc(struct env *env, struct session_request const *request,
                                   size_t size) __attribute__((warn_unused_result));

/**
 * Undo a session that got no capability (rpc_entrypoint_manage refused):
 * dissolve `object` from `ep`, free `memory` (`size` bytes of
 * session_request_object_alloc) and log the refusal (`denied session for
 * "client": out of capabilities`).
 *
 * \return ROOT_NO_RESOURCES, the root's answer
 */
enum root_result session_request_object_refuse(struct env *env,
                                               struct session_request const *request,
                                               struct rpc_entrypoint *ep,
                                               struct rpc_object *object, void *memory,
                                               size_t size);

/**
 * A root's close: the session object that `session` names, if it is one of
 * the objects served by `ep` with `ops` (not the root, not anyone else's).
 * The received reference `session` is closed on every path.
 *
 * \return the object, or NULL (then answer ROOT_INVALID_ARGUMENT)
 */
struct rpc_object *session_request_close_lookup(struct rpc_entrypoint *ep,
                                                struct session_cap session, void const *ops);

#endif /* _OS_SESSION_REQUEST_H_ */
