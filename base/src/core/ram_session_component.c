/* SPDX-License-Identifier: MIT */
/** \brief core's RAM session: dataspaces on memory objects, quota accounting */

#include <base/panic.h>

#include "core_memory.h"
#include "dataspace_component.h"
#include "ram_session_component.h"

RPC_SERVER(ram_session, RAM_SESSION_RPC)
RPC_SERVER_OBJECT(ram_session)

struct ram_session_component
{
	struct rpc_object object;
	struct rpc_entrypoint *ep;
	struct allocator *alloc;
	uint64_t quota;
	uint64_t used;          /* sum of the sizes of `dataspaces`, <= quota */
	struct list dataspaces; /* owned, not freed yet */
};

static uint64_t ram_unused(struct ram_session_component const *ram)
{
	return ram->quota - ram->used;
}

struct ram_session_component_alloc_ret
ram_session_component_alloc(struct ram_session_component *ram, uint64_t size)
{
	struct ram_session_component_alloc_ret r = { RAM_INVALID_SIZE, 0 };
	if (size == 0 || size > UINT64_MAX - (PAGE_SIZE - 1)) return r;
	uint64_t rounded = page_round_up(size);
	if (rounded > ram_unused(ram)) {
		r.result = RAM_OUT_OF_QUOTA;
		return r;
	}

	struct core_memory_ret memory = core_memory_alloc("ram", rounded);
	if (memory.result != CORE_MEMORY_OK) {
		r.result =
		    memory.result == CORE_MEMORY_INVALID_SIZE ? RAM_INVALID_SIZE : RAM_OUT_OF_MEMORY;
		return r;
	}
	struct dataspace_component_create_ret c = dataspace_component_create(
	    ram->ep, ram->alloc, memory.handle, rounded, true, true, ram);
	if (c.result != DATASPACE_COMPONENT_OK) {
		core_memory_release(memory.handle);
		r.result = RAM_OUT_OF_MEMORY;
		return r;
	}
	list_insert(&ram->dataspaces, &c.ds->element);
	ram->used += rounded;
	r.result = RAM_OK;
	r.ds = c.ds;
	return r;
}

void ram_session_component_free(struct ram_session_component *ram,
                                struct dataspace_component *ds)
{
	ASSERT(ds->owner == ram && !ds->revoked);
	enum list_remove_result removed = list_remove(&ram->dataspaces, &ds->element);
	ASSERT(removed == LIST_REMOVE_OK);
	ASSERT(ram->used >= ds->size);
	ram->used -= ds->size;
	dataspace_component_revoke(ds);
	dataspace_component_unref(ds);
}

/* ---- RPC --------------------------------------------------------------------------- */

static enum ram_session_result ram_rpc_alloc(void *state, uint64_t size,
                                             struct dataspace_cap *ds_cap)
{
	struct ram_session_component *ram = state;
	struct ram_session_component_alloc_ret a = ram_session_component_alloc(ram, size);
	if (a.result != RAM_OK) return a.result;
	*ds_cap = dataspace_component_cap(a.ds);
	if (!cap_valid(ds_cap->cap)) {
		/* nobody can name it: undo the allocation */
		ram_session_component_free(ram, a.ds);
		return RAM_NO_RESOURCES;
	}
	return RAM_OK;
}

static enum ram_session_result ram_rpc_free(void *state, struct dataspace_cap ds_cap)
{
	struct ram_session_component *ram = state;
	struct dataspace_component *ds = dataspace_component_lookup(ram->ep, ds_cap);
	cap_close(ds_cap.cap);
	if (!ds || ds->owner != ram) return RAM_INVALID_ARGUMENT;
	ram_session_component_free(ram, ds);
	return RAM_OK;
}

static enum ram_session_result ram_rpc_transfer_quota(void *state, struct ram_session_cap to,
                                                      uint64_t amount)
{
	struct ram_session_component *ram = state;
	struct ram_session_component *receiver = ram_session_component_lookup(ram->ep, to);
	cap_close(to.cap);
	if (!receiver) return RAM_INVALID_ARGUMENT;
	if (amount > ram_unused(ram)) return RAM_OUT_OF_QUOTA;
	if (receiver == ram) return RAM_OK;
	if (receiver->quota > UINT64_MAX - amount) return RAM_INVALID_ARGUMENT;
	ram->quota -= amount;
	receiver->quota += amount;
	return RAM_OK;
}

static struct ram_quota_result ram_rpc_quota(void *state)
{
	return (struct ram_quota_result){ RAM_OK, ram_session_component_quota(state) };
}

static struct ram_session_ops const ram_rpc_ops = {
	.alloc = ram_rpc_alloc,
	.free = ram_rpc_free,
	.transfer_quota = ram_rpc_transfer_quota,
	.quota = ram_rpc_quota,
};

/* ---- core's interface -------------------------------------------------------------- */

struct ram_session_component_create_ret
ram_session_component_create(struct rpc_entrypoint *ep, struct allocator *alloc, uint64_t quota)
{
	struct ram_session_component_create_ret r = { RAM_SESSION_COMPONENT_OUT_OF_METADATA, 0,
		                                          CAP_INVALID(ram_session) };
	struct allocator_alloc_ret a = allocator_alloc(alloc, sizeof(struct ram_session_component));
	if (a.result != ALLOCATOR_OK) return r;

	struct ram_session_component *ram = a.ptr;
	*ram = (struct ram_session_component){ .ep = ep, .alloc = alloc, .quota = quota };
	list_init(&ram->dataspaces);
	struct ram_session_cap cap = ram_session_manage(ep, &ram->object, &ram_rpc_ops, ram);
	if (!cap_valid(cap.cap)) {
		rpc_entrypoint_dissolve(ep, &ram->object);
		allocator_free(alloc, ram, sizeof(*ram));
		r.result = RAM_SESSION_COMPONENT_NO_RESOURCES;
		return r;
	}
	r.result = RAM_SESSION_COMPONENT_OK;
	r.ram = ram;
	r.cap = cap;
	return r;
}

void ram_session_component_destroy(struct ram_session_component *ram)
{
	struct list_element *element;
	while ((element = list_first(&ram->dataspaces)))
		ram_session_component_free(
		    ram, LIST_CONTAINER(element, struct dataspace_component, element));
	rpc_entrypoint_dissolve(ram->ep, &ram->object);
	allocator_free(ram->alloc, ram, sizeof(*ram));
}

struct ram_session_cap ram_session_component_cap(struct ram_session_component *ram)
{
	return ram_session_object_cap(&ram->object);
}

struct ram_session_component *ram_session_component_lookup(struct rpc_entrypoint *ep,
                                                           struct ram_session_cap cap)
{
	struct rpc_object *object = rpc_entrypoint_lookup(ep, cap.cap);
	if (!object || object->dispatch != ram_session_dispatch || object->ops != &ram_rpc_ops)
		return 0;
	return object->state;
}

struct ram_quota ram_session_component_quota(struct ram_session_component const *ram)
{
	return (struct ram_quota){ ram->quota, ram->used };
}

enum ram_session_result ram_session_component_withdraw(struct ram_session_component *ram,
                                                       uint64_t amount)
{
	if (amount > ram_unused(ram)) return RAM_OUT_OF_QUOTA;
	ram->quota -= amount;
	return RAM_OK;
}

enum ram_session_result ram_session_component_deposit(struct ram_session_component *ram,
                                                      uint64_t amount)
{
	if (ram->quota > UINT64_MAX - amount) return RAM_INVALID_SIZE;
	ram->quota += amount;
	return RAM_OK;
}
