/* SPDX-License-Identifier: MIT */
/**
 * \brief a dataspace of core on Linux serves linux_dataspace: info, and fd
 *        with the dataspace's access mode
 */

#include <base/rpc_entrypoint.h>

#include "dataspace_component.h"
#include "dataspace_rpc.h"
#include "linux_session.h"

RPC_SERVER(linux_dataspace, LINUX_DATASPACE_RPC)

static struct dataspace_info_result dataspace_rpc_info(void *state)
{
	struct dataspace_component const *ds = state;
	return (struct dataspace_info_result){ DATASPACE_OK, { ds->size, ds->writeable } };
}

/* a descriptor of its own: read-only ones cannot be mapped writeable */
static enum dataspace_result dataspace_rpc_fd(void *state, struct linux_fd_cap *fd)
{
	struct dataspace_component const *ds = state;
	int handle = dataspace_component_open(ds, ds->writeable);
	if (handle < 0) return DATASPACE_NO_RESOURCES;
	fd->cap.handle = handle;
	return DATASPACE_OK;
}

static struct linux_dataspace_ops const dataspace_rpc_ops = {
	.info = dataspace_rpc_info,
	.fd = dataspace_rpc_fd,
};

void dataspace_rpc_manage(struct dataspace_component *ds)
{
	rpc_entrypoint_manage(ds->ep, &ds->object, linux_dataspace_dispatch, &dataspace_rpc_ops,
	                      ds);
}

bool dataspace_rpc_is_dataspace(struct rpc_object const *object)
{
	return object->dispatch == linux_dataspace_dispatch && object->ops == &dataspace_rpc_ops;
}
