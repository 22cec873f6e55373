/* SPDX-License-Identifier: MIT */
/**
 * \brief the platform's part of dataspace_component: its RPC interface
 *
 * A dataspace of core serves the platform's dataspace interface (Linux:
 * linux_dataspace, the dataspace interface plus `fd`). Each platform
 * implements these two functions in base/src/core/<platform>/dataspace_rpc.c.
 */

#ifndef _CORE_DATASPACE_RPC_H_
#define _CORE_DATASPACE_RPC_H_

#include <stdbool.h>

#include <base/rpc_entrypoint.h>

#include "dataspace_component.h"

/** Make `ds` callable at ds->ep through ds->object (no capability is minted). */
void dataspace_rpc_manage(struct dataspace_component *ds);

/** Whether `object` is a dataspace managed by dataspace_rpc_manage(). */
bool dataspace_rpc_is_dataspace(struct rpc_object const *object);

#endif /* _CORE_DATASPACE_RPC_H_ */
