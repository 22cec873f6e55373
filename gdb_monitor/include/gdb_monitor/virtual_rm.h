/* SPDX-License-Identifier: MIT */
/**
 * \brief virtual RM session: the child's address space as the monitor
 *        serves it, and the record of its regions
 *
 * The child gets the capability of this object as its RM session. Every
 * attach and detach goes on to the child's real RM session at core; what
 * core accepted is recorded (start, size, offset, permissions, dataspace).
 * The recorded dataspace capability is the one core returns for the region,
 * never the one the child handed in, so the monitor invokes only core's
 * objects: a child cannot make the monitor block on an object of its own.
 *
 * The child's fault handler is recorded but not installed: the page faults
 * of the child reach the monitor through the CPU session's exception
 * handler (virtual_cpu.h), so that a debugger sees them.
 *
 * Memory access by address through the record is child_memory.h, which
 * keeps local attachments of the dataspaces in the records' cache fields.
 *
 * Threads: the entrypoint's thread serves the child; any other thread may
 * call the functions here and in child_memory.h at the same time (one lock
 * guards the record). The lock is never held while the monitor waits for
 * anything but core.
 */

#ifndef _GDB_MONITOR_VIRTUAL_RM_H_
#define _GDB_MONITOR_VIRTUAL_RM_H_

#include <base/env.h>
#include <base/lock.h>
#include <base/rpc_entrypoint.h>
#include <rm_session/rm_session.h>

enum {
	VIRTUAL_RM_REGIONS_MAX = 256, /* regions of the child at one time */
	VIRTUAL_RM_CACHE_MAX = 32,    /* dataspaces attached in the monitor at one time */
};

/** a region of the child, as the monitor reports it */
struct virtual_rm_region
{
	uint64_t start;
	uint64_t size;
	uint64_t offset; /* into its dataspace */
	bool writeable;  /* for the child */
	bool executable;
	uint64_t dataspace_size;
	bool dataspace_writeable; /* RAM: the monitor can write it (breakpoints in text) */
};

/* one recorded region; the cache fields belong to child_memory.c */
struct virtual_rm_record
{
	bool used;
	struct virtual_rm_region region;
	struct dataspace_cap ds; /* core's, the monitor's reference */
	uint8_t *local;          /* the region's window in the monitor, or NULL */
	uint64_t last_use;       /* for the cache's least-recently-used choice */
};

struct virtual_rm_stats
{
	uint64_t attaches, detaches; /* the child's, forwarded and accepted */
	uint64_t cache_hits, cache_misses;
	uint64_t cache_evictions;
	uint64_t cache_warmed; /* attached as the child attached them (child_memory_local_warm) */
};

struct virtual_rm
{
	struct env *env;
	struct rpc_entrypoint *ep;
	struct rpc_object object;
	struct rm_session_cap cap;  /* what the child gets, ours */
	struct rm_session_cap real; /* the child's RM session at core, not ours */
	struct lock lock;           /* guards everything below */
	struct virtual_rm_record records[VIRTUAL_RM_REGIONS_MAX];
	unsigned cached;                               /* records with a local attachment */
	uint64_t use_clock;                            /* ticks on each access */
	struct signal_context_cap child_fault_handler; /* recorded, never installed */
	struct virtual_rm_stats stats;
};

enum virtual_rm_result {
	VIRTUAL_RM_OK = 0,
	VIRTUAL_RM_NO_RESOURCES, /* no capability could be made for the object */
	VIRTUAL_RM_NOT_ATTACHED, /* no region at or above the address */
};

struct virtual_rm_region_result
{
	enum virtual_rm_result result;
	struct virtual_rm_region region;
};

/**
 * Make the object and serve it at `ep` (which a thread of the monitor
 * serves). It forwards nothing until virtual_rm_bind.
 *
 * \return VIRTUAL_RM_OK, or VIRTUAL_RM_NO_RESOURCES (nothing to destroy)
 */
enum virtual_rm_result virtual_rm_init(struct virtual_rm *rm, struct env *env,
                                       struct rpc_entrypoint *ep)
    __attribute__((warn_unused_result));

/** the capability for the child (e.g. child_args.rm_override); stays the object's */
static inline struct rm_session_cap virtual_rm_cap(struct virtual_rm const *rm)
{
	return rm->cap;
}

/**
 * Forward to `real` from now on: the child's RM session at core. The
 * capability stays the caller's and must outlive the object's use.
 */
void virtual_rm_bind(struct virtual_rm *rm, struct rm_session_cap real);

/**
 * The region that contains `address`, or else the lowest one above it:
 * iterate with address = start + size.
 *
 * \return VIRTUAL_RM_OK with the region, or VIRTUAL_RM_NOT_ATTACHED
 */
struct virtual_rm_region_result virtual_rm_region(struct virtual_rm *rm, uint64_t address)
    __attribute__((warn_unused_result));

/** the counters, copied under the lock */
struct virtual_rm_stats virtual_rm_stats(struct virtual_rm *rm);

/**
 * Detach every local attachment of the cache (the record stays): before the
 * child's dataspaces go away, e.g. before its RAM session is closed.
 */
void virtual_rm_flush(struct virtual_rm *rm);

/**
 * Stop serving the child, detach the cache, close every recorded capability.
 * The child's real RM session is not touched.
 */
void virtual_rm_destroy(struct virtual_rm *rm);

#endif /* _GDB_MONITOR_VIRTUAL_RM_H_ */
