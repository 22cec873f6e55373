/* SPDX-License-Identifier: MIT */
/** \brief what virtual_rm.c and child_memory.c share about the record */

#ifndef _GDB_MONITOR_VIRTUAL_RM_PRIVATE_H_
#define _GDB_MONITOR_VIRTUAL_RM_PRIVATE_H_

#include <gdb_monitor/virtual_rm.h>

/**
 * Detach the local window of `record`, if it has one (rm->lock held): the
 * record stays, and the next access attaches it anew.
 */
void child_memory_local_drop(struct virtual_rm *rm, struct virtual_rm_record *record);

/**
 * Attach the local window of a region the child attached just now, if the
 * cache has room (rm->lock held; no eviction for it): GDB's first read of a
 * new thread's stack then costs no call to core, while the cache holds fewer
 * than VIRTUAL_RM_CACHE_MAX windows (a region attached later gets its window
 * at its first access, evicting another). A failure is left to the first
 * access, which tries again and reports it.
 */
void child_memory_local_warm(struct virtual_rm *rm, struct virtual_rm_record *record);

/** the record whose region contains `address`, or NULL (rm->lock held) */
struct virtual_rm_record *virtual_rm_record_containing(struct virtual_rm *rm, uint64_t address);

#endif /* _GDB_MONITOR_VIRTUAL_RM_PRIVATE_H_ */
