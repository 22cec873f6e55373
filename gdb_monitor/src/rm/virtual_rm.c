/* SPDX-License-Identifier: MIT */
/**
 * \brief virtual RM session: the child's attach and detach go on to core and
 *        are recorded
 */

#include <base/lock_guard.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <rm_session/rm_session.h>
#include <util/string.h>

#include "virtual_rm_private.h"

RPC_SERVER(rm_session, RM_SESSION_RPC)
RPC_SERVER_OBJECT(rm_session)

struct virtual_rm_record *virtual_rm_record_containing(struct virtual_rm *rm, uint64_t address)
{
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++) {
		struct virtual_rm_record *r = &rm->records[i];
		if (r->used && address >= r->region.start && address - r->region.start < r->region.size)
			return r;
	}
	return 0;
}

static struct virtual_rm_record *virtual_rm_record_free(struct virtual_rm *rm)
{
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++)
		if (!rm->records[i].used) return &rm->records[i];
	return 0;
}

static void virtual_rm_record_release(struct virtual_rm *rm, struct virtual_rm_record *record)
{
	child_memory_local_drop(rm, record);
	cap_close(record->ds.cap);
	*record = (struct virtual_rm_record){ .ds = CAP_INVALID(dataspace) };
}

/*
 * What core made of an attach at `at`: the region's size and its dataspace,
 * as core's own capability (never the child's), with the dataspace's size
 * and writeability. False if core does not show the region.
 */
static bool virtual_rm_region_query(struct virtual_rm *rm, uint64_t at,
                                    struct virtual_rm_region *region, struct dataspace_cap *ds)
{
	struct rm_region_result r = rm_session_region(rm->real, at, ds);
	if (r.result != RM_OK || r.region.start != at) {
		cap_close(ds->cap);
		*ds = CAP_INVALID(dataspace);
		return false;
	}
	struct dataspace_info_result info = dataspace_info(*ds);
	if (info.result != DATASPACE_OK) {
		cap_close(ds->cap);
		*ds = CAP_INVALID(dataspace);
		return false;
	}
	*region = (struct virtual_rm_region){ .start = r.region.start,
		                                  .size = r.region.size,
		                                  .offset = r.region.offset,
		                                  .writeable = r.region.writeable,
		                                  .executable = r.region.executable,
		                                  .dataspace_size = info.info.size,
		                                  .dataspace_writeable = info.info.writeable };
	return true;
}

/* ---- the child's RM session ------------------------------------------------------- */

static struct rm_attach_result virtual_rm_attach_impl(void *state, struct dataspace_cap ds,
                                                      struct rm_attach_args args)
{
	struct virtual_rm *rm = state;
	struct rm_attach_result r = { RM_OUT_OF_METADATA, 0 };

	/* a slot first, so that every region core accepts is recorded */
	struct virtual_rm_record *slot;
	lock_acquire(&rm->lock);
	slot = virtual_rm_record_free(rm);
	if (slot) {
		slot->used = true; /* reserved: size 0 covers no address */
		slot->region = (struct virtual_rm_region){ 0 };
	}
	lock_release(&rm->lock);
	if (!slot) {
		cap_close(ds.cap);
		log_warning("virtual RM: more than %d regions, attach refused", VIRTUAL_RM_REGIONS_MAX);
		return r;
	}

	/* core checks the dataspace (it must be core's), range and permissions */
	r = rm_session_attach(rm->real, ds, args);
	cap_close(ds.cap);

	struct virtual_rm_region region = { 0 };
	struct dataspace_cap core_ds = CAP_INVALID(dataspace);
	if (r.result == RM_OK && !virtual_rm_region_query(rm, r.at, &region, &core_ds)) {
		log_error("virtual RM: core does not show the region at 0x%lx it attached",
		          (unsigned long)r.at);
		if (rm_session_detach(rm->real, r.at) != RM_OK)
			log_error("virtual RM: and refuses to detach it");
		r = (struct rm_attach_result){ RM_NO_RESOURCES, 0 };
	}

	LOCK_GUARD(&rm->lock);
	if (r.result != RM_OK) {
		*slot = (struct virtual_rm_record){ .ds = CAP_INVALID(dataspace) };
		return r;
	}
	*slot = (struct virtual_rm_record){ .used = true, .region = region, .ds = core_ds };
	rm->stats.attaches++;
	child_memory_local_warm(rm, slot);
	return r;
}

static enum rm_session_result virtual_rm_detach_impl(void *state, uint64_t at)
{
	struct virtual_rm *rm = state;
	enum rm_session_result r = rm_session_detach(rm->real, at);
	if (r != RM_OK) return r;

	LOCK_GUARD(&rm->lock);
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++) {
		struct virtual_rm_record *record = &rm->records[i];
		if (!record->used || record->region.size == 0 || record->region.start != at) continue;
		virtual_rm_record_release(rm, record);
		rm->stats.detaches++;
		break;
	}
	return r;
}

static struct rm_region_result virtual_rm_region_impl(void *state, uint64_t addr,
                                                      struct dataspace_cap *ds)
{
	struct virtual_rm *rm = state;
	return rm_session_region(rm->real, addr, ds);
}

static enum rm_session_result virtual_rm_fault_handler_impl(void *state,
                                                            struct signal_context_cap handler)
{
	struct virtual_rm *rm = state;
	LOCK_GUARD(&rm->lock);
	cap_close(rm->child_fault_handler.cap);
	rm->child_fault_handler = handler;
	return RM_OK;
}

static struct rm_fault_result virtual_rm_fault_state_impl(void *state)
{
	struct virtual_rm *rm = state;
	return rm_session_fault_state(rm->real);
}

static struct rm_session_ops const virtual_rm_ops = {
	.attach = virtual_rm_attach_impl,
	.detach = virtual_rm_detach_impl,
	.region = virtual_rm_region_impl,
	.fault_handler = virtual_rm_fault_handler_impl,
	.fault_state = virtual_rm_fault_state_impl,
};

/* ---- the monitor's side ----------------------------------------------------------- */

enum virtual_rm_result virtual_rm_init(struct virtual_rm *rm, struct env *env,
                                       struct rpc_entrypoint *ep)
{
	memory_set(rm, 0, sizeof(*rm));
	rm->env = env;
	rm->ep = ep;
	rm->real = CAP_INVALID(rm_session);
	rm->child_fault_handler = CAP_INVALID(signal_context);
	lock_init(&rm->lock);
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++)
		rm->records[i].ds = CAP_INVALID(dataspace);
	rm->cap = rm_session_manage(ep, &rm->object, &virtual_rm_ops, rm);
	if (!cap_valid(rm->cap.cap)) {
		rpc_entrypoint_dissolve(ep, &rm->object);
		return VIRTUAL_RM_NO_RESOURCES;
	}
	return VIRTUAL_RM_OK;
}

void virtual_rm_bind(struct virtual_rm *rm, struct rm_session_cap real)
{
	LOCK_GUARD(&rm->lock);
	rm->real = real;
}

struct virtual_rm_region_result virtual_rm_region(struct virtual_rm *rm, uint64_t address)
{
	struct virtual_rm_region_result r = { VIRTUAL_RM_NOT_ATTACHED, { 0 } };
	LOCK_GUARD(&rm->lock);
	struct virtual_rm_record *found = virtual_rm_record_containing(rm, address);
	bool const found_containing = found != 0;
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX && !found_containing; i++) {
		struct virtual_rm_record *record = &rm->records[i];
		if (record->used && record->region.size && record->region.start >= address &&
		    (!found || record->region.start < found->region.start))
			found = record;
	}
	if (found) {
		r.result = VIRTUAL_RM_OK;
		r.region = found->region;
	}
	return r;
}

struct virtual_rm_stats virtual_rm_stats(struct virtual_rm *rm)
{
	LOCK_GUARD(&rm->lock);
	return rm->stats;
}

void virtual_rm_flush(struct virtual_rm *rm)
{
	LOCK_GUARD(&rm->lock);
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++)
		if (rm->records[i].used) child_memory_local_drop(rm, &rm->records[i]);
}

void virtual_rm_destroy(struct virtual_rm *rm)
{
	rpc_entrypoint_dissolve(rm->ep, &rm->object);
	cap_close(rm->cap.cap);
	rm->cap = CAP_INVALID(rm_session);
	LOCK_GUARD(&rm->lock);
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++)
		if (rm->records[i].used) virtual_rm_record_release(rm, &rm->records[i]);
	cap_close(rm->child_fault_handler.cap);
	rm->child_fault_handler = CAP_INVALID(signal_context);
	rm->real = CAP_INVALID(rm_session);
}
