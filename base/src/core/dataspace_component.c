/* SPDX-License-Identifier: MIT */
/** \brief core's dataspace object: reference counting, capabilities, lookup */

#include <base/panic.h>

#include "core_memory.h"
#include "dataspace_component.h"
#include "dataspace_rpc.h"

struct dataspace_component_create_ret
dataspace_component_create(struct rpc_entrypoint *ep, struct allocator *alloc, int handle,
                           uint64_t size, bool writeable, bool executable, void *owner)
{
	ASSERT(size != 0 && page_aligned(size));
	struct dataspace_component_create_ret r = { DATASPACE_COMPONENT_OUT_OF_METADATA, 0 };
	struct allocator_alloc_ret a = allocator_alloc(alloc, sizeof(struct dataspace_component));
	if (a.result != ALLOCATOR_OK) return r;

	struct dataspace_component *ds = a.ptr;
	*ds = (struct dataspace_component){
		.ep = ep,
		.alloc = alloc,
		.handle = handle,
		.size = size,
		.writeable = writeable,
		.executable = executable,
		.revoked = false,
		.references = 1,
		.owner = owner,
	};
	dataspace_rpc_manage(ds);
	r.result = DATASPACE_COMPONENT_OK;
	r.ds = ds;
	return r;
}

struct dataspace_cap dataspace_component_cap(struct dataspace_component *ds)
{
	if (ds->revoked) return CAP_INVALID(dataspace);
	struct rpc_entrypoint_cap_result r = rpc_object_cap(&ds->object);
	return (struct dataspace_cap){ r.result == RPC_ENTRYPOINT_OK ? r.cap : cap_invalid() };
}

void dataspace_component_revoke(struct dataspace_component *ds)
{
	if (ds->revoked) return;
	rpc_entrypoint_dissolve(ds->ep, &ds->object);
	ds->revoked = true;
}

void dataspace_component_ref(struct dataspace_component *ds)
{
	ASSERT(ds->references > 0 && ds->references < UINT32_MAX);
	ds->references++;
}

void dataspace_component_unref(struct dataspace_component *ds)
{
	ASSERT(ds->references > 0);
	if (--ds->references > 0) return;
	dataspace_component_revoke(ds);
	core_memory_release(ds->handle);
	allocator_free(ds->alloc, ds, sizeof(*ds));
}

struct dataspace_component *dataspace_component_lookup(struct rpc_entrypoint *ep,
                                                       struct dataspace_cap cap)
{
	struct rpc_object *object = rpc_entrypoint_lookup(ep, cap.cap);
	if (!object || !dataspace_rpc_is_dataspace(object)) return 0;
	struct dataspace_component *ds = object->state;
	return ds->revoked ? 0 : ds;
}

int dataspace_component_open(struct dataspace_component const *ds, bool writeable)
{
	ASSERT(!writeable || ds->writeable);
	return core_memory_open(ds->handle, writeable);
}
