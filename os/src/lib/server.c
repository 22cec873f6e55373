/* SPDX-License-Identifier: MIT */
/** \brief a server's start: its root object made and announced to the parent */

#include <base/log.h>
#include <os/server.h>

RPC_SERVER_OBJECT(root)

enum server_root_result server_root_announce(struct env *env, struct rpc_entrypoint *ep,
                                             struct rpc_object *root,
                                             struct root_ops const *ops, void *state,
                                             char const *service)
{
	struct root_cap cap = root_manage(ep, root, ops, state);
	if (!cap_valid(cap.cap)) {
		log_error("no root capability for \"%s\"", service);
		return SERVER_ROOT_NO_CAPABILITY;
	}
	/* the parent gets a reference of its own; ours is not needed afterwards */
	enum parent_result announced = parent_announce(env->parent, service, cap);
	cap_close(cap.cap);
	if (announced != PARENT_OK) {
		log_error("the parent refused the announcement of \"%s\" (%d)", service,
		          (int)announced);
		return SERVER_ROOT_DENIED;
	}
	return SERVER_ROOT_OK;
}
