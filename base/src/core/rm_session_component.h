/* SPDX-License-Identifier: MIT */
/**
 * \brief core's RM session: the regions of an address space, and its faults
 *
 * A session covers the area [area_start, area_end) (core passes RM_AREA_START
 * and RM_AREA_END; tests use small areas). Regions are kept in an AVL tree by
 * start address. attach checks the whole request before it changes anything
 * (see rm_session_component_attach). Attaching at a free address picks the
 * lowest free range, aligned to the region's natural alignment (its size
 * rounded down to a power of two, from one page up to 2 MiB) if such a range
 * exists, else to pages. Free-address search walks the regions: O(n).
 *
 * Regions and dataspaces: each region holds a reference of its dataspace
 * (dataspace_component_ref), so a dataspace that its owner frees while it is
 * attached stays valid, with its memory, until the region is detached. On
 * Linux the memory stays mapped in the component anyway; the RM session
 * keeps describing the address space as it is. The region RPC then reports
 * such a region with an invalid dataspace capability (the dataspace is
 * revoked).
 *
 * Faults: core's tracer reports an unresolved page fault of a thread of the
 * address space with rm_session_component_fault_record(); the fault stays
 * until rm_session_component_fault_clear() (the thread was resumed or
 * killed). The fault_state RPC shows the oldest one.
 *
 * Threads: everything runs in core's entrypoint thread; no locking.
 */

#ifndef _CORE_RM_SESSION_COMPONENT_H_
#define _CORE_RM_SESSION_COMPONENT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>
#include <rm_session/rm_session.h>

/** the area of a component's address space (core's choice for every RM session) */
#define RM_AREA_START 0x01000000ull
#define RM_AREA_END   0x700000000000ull

/** the largest alignment that a free-address attach gives a region */
#define RM_ATTACH_ALIGN_MAX (2ull << 20)

struct rm_session_component;
struct dataspace_component;

/** results of rm_session_component_create */
enum rm_session_component_result {
	RM_SESSION_COMPONENT_OK = 0,          /* created */
	RM_SESSION_COMPONENT_OUT_OF_METADATA, /* `alloc` refused the session object */
	RM_SESSION_COMPONENT_NO_RESOURCES,    /* no capability could be minted */
};

struct rm_session_component_create_ret
{
	enum rm_session_component_result result;
	struct rm_session_component *rm; /* valid only with _OK */
	struct rm_session_cap cap;       /* the first capability, owned by the caller */
};

/**
 * Create an empty RM session over [area_start, area_end), served at `ep`.
 *
 * \param ep          core's entrypoint; dataspaces to attach are looked up there
 * \param alloc       allocator of the session object, its regions and fault
 *                    records (core passes one charged to the session's
 *                    donated quota); must outlive the session
 * \param area_start  page aligned
 * \param area_end    page aligned, above area_start (both asserted)
 * \return            _OK with the session and its first capability, or a
 *                    failure and nothing to destroy
 */
struct rm_session_component_create_ret
rm_session_component_create(struct rpc_entrypoint *ep, struct allocator *alloc,
                            uint64_t area_start, uint64_t area_end)
    __attribute__((warn_unused_result));

/**
 * Destroy a session: detach every region (dropping its dataspace
 * reference), forget the faults, close the fault handler's capability,
 * revoke the session's capabilities and free it.
 */
void rm_session_component_destroy(struct rm_session_component *rm);

/** Mint another capability of the session (invalid when out of endpoints). */
struct rm_session_cap rm_session_component_cap(struct rm_session_component *rm)
    __attribute__((warn_unused_result));

/**
 * The RM session of this core that a received capability names.
 *
 * \param cap  any capability; it stays the caller's
 * \return     the session, or NULL when `cap` names no RM session of `ep`
 */
struct rm_session_component *rm_session_component_lookup(struct rpc_entrypoint *ep,
                                                         struct rm_session_cap cap);

/**
 * Attach `ds` as the attach RPC does. Everything is checked first, in this
 * order, and a failure changes nothing:
 *   RM_INVALID_ARGUMENT   offset not page aligned, or at or beyond the end
 *                         of the dataspace; size (rounded up to pages; 0:
 *                         the rest of the dataspace from offset) beyond the
 *                         dataspace; `at` not page aligned (use_at)
 *   RM_PERMISSION_DENIED  writeable for a read-only dataspace, executable
 *                         for one that may not be executed
 *   RM_OUT_OF_RANGE       (use_at) the region leaves the area
 *   RM_REGION_CONFLICT    (use_at) the region overlaps an attached one
 *   RM_NO_SPACE           (free address) no free range is large enough
 *   RM_OUT_OF_METADATA    the allocator refused the region record
 * On RM_OK the region holds a reference of `ds`.
 */
struct rm_attach_result rm_session_component_attach(struct rm_session_component *rm,
                                                    struct dataspace_component *ds,
                                                    struct rm_attach_args args)
    __attribute__((warn_unused_result));

/**
 * Detach the region that starts at `at` and drop its dataspace reference.
 *
 * \return RM_OK, or RM_NOT_ATTACHED when no region starts at `at`
 */
enum rm_session_result rm_session_component_detach(struct rm_session_component *rm, uint64_t at)
    __attribute__((warn_unused_result));

/** a region and its dataspace, as core's own code sees it */
struct rm_session_component_region
{
	bool found;                     /* false: no such region (the rest is zero) */
	struct rm_region region;        /* start, size, offset, permissions */
	struct dataspace_component *ds; /* valid while the region is attached; may
	                                   be revoked by its owner already */
};

/** Number of regions. */
size_t rm_session_component_region_count(struct rm_session_component const *rm);

/**
 * Region number `index` in address order (0 is the lowest): how the loader
 * bootstrap walks the address space. O(index + log n).
 */
struct rm_session_component_region
rm_session_component_region_at_index(struct rm_session_component const *rm, size_t index);

/** The region that contains `addr`, if any. O(log n) */
struct rm_session_component_region
rm_session_component_region_find(struct rm_session_component const *rm, uint64_t addr);

/**
 * Record an unresolved page fault of a thread of the address space and tell
 * the fault handler, if one is registered. A second record of the same
 * thread replaces its first (and makes it the newest).
 *
 * \param thread_id  the faulting thread's identity for fault_clear (core
 *                   uses its tid)
 * \param fault      kind, address, ip and thread name; copied
 * \return           true if a fault handler is registered and got a signal;
 *                   false if not, or if the fault could not be recorded
 *                   (out of metadata): core then logs the fault itself
 */
bool rm_session_component_fault_record(struct rm_session_component *rm, uint64_t thread_id,
                                       struct rm_fault const *fault)
    __attribute__((warn_unused_result));

/**
 * Forget the fault of thread `thread_id` (it was resumed or killed). No
 * recorded fault of that thread: nothing happens.
 */
void rm_session_component_fault_clear(struct rm_session_component *rm, uint64_t thread_id);

#endif /* _CORE_RM_SESSION_COMPONENT_H_ */
