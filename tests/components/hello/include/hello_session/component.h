/* SPDX-License-Identifier: MIT */
/**
 * \brief the Hello session's server side, one session object and the four
 *        calls of its contract, shared by hello_server and test-hybrid
 *
 * What stays with each server is its root: where a session's memory comes
 * from (hello_server's env heap, test-hybrid's glibc malloc) and what a
 * close does besides. Log line of the session: `say_hello from "<label>"`.
 */

#ifndef _HELLO_SESSION_COMPONENT_H_
#define _HELLO_SESSION_COMPONENT_H_

#include <base/env.h>
#include <base/rpc_entrypoint.h>
#include <hello_session/hello_session.h>

RPC_SERVER(hello_session, HELLO_SESSION_RPC)
RPC_SERVER_OBJECT(hello_session)

/* one session; its memory is the root's, from root session() to root close() */
struct hello_session_component
{
	struct rpc_object object;
	struct env *env; /* where complement() attaches the client's dataspace */
	char label[SESSION_LABEL_MAX];
};

/**
 * Set up `session` for the client `label` (cut to SESSION_LABEL_MAX - 1
 * bytes) and make it callable at `ep`.
 *
 * \return its first capability, owned by the caller (the root hands it to
 *         the parent); invalid when `ep` is out of resources, then the
 *         caller dissolves the object and frees `session`
 */
struct hello_session_cap hello_session_component_manage(struct hello_session_component *session,
                                                        struct rpc_entrypoint *ep,
                                                        struct env *env, char const *label)
    __attribute__((warn_unused_result));

/**
 * The Hello session that `cap` names among the objects of `ep`, for a
 * root's close. The received reference `cap` is closed on every path.
 *
 * \return the session, or NULL when `cap` names none (then the root
 *         answers ROOT_INVALID_ARGUMENT)
 */
struct hello_session_component *hello_session_component_lookup(struct rpc_entrypoint *ep,
                                                               struct session_cap cap)
    __attribute__((warn_unused_result));

#endif /* _HELLO_SESSION_COMPONENT_H_ */
