/* SPDX-License-Identifier: MIT */
/**
 * \brief child memory: read and write the child's address space by address
 *
 * An access finds the regions of the virtual RM session's record that cover
 * the range and copies through local attachments of their dataspaces in the
 * monitor's own address space: the monitor reads exactly the bytes the child
 * sees (the same dataspace), and writes reach the child at once. A region is
 * attached locally (its window of the dataspace, read-write if the dataspace
 * is RAM) on its first access and stays attached, up to
 * VIRTUAL_RM_CACHE_MAX regions; beyond, the least recently used one is
 * detached. The child's detach of a region detaches its local window first.
 *
 * A range may span regions that adjoin. An access stops at the first byte
 * that no region covers and says how far it got.
 *
 * Threads: as virtual_rm.h; an access holds the record's lock while it
 * copies, so a region cannot go away underneath it.
 */

#ifndef _GDB_MONITOR_CHILD_MEMORY_H_
#define _GDB_MONITOR_CHILD_MEMORY_H_

#include <gdb_monitor/virtual_rm.h>

enum child_memory_result {
	CHILD_MEMORY_OK = 0,
	CHILD_MEMORY_UNMAPPED,      /* a byte of the range is covered by no region */
	CHILD_MEMORY_READ_ONLY,     /* write into a read-only dataspace (ROM) */
	CHILD_MEMORY_ATTACH_FAILED, /* the monitor could not attach the dataspace (logged) */
};

struct child_memory_copy_ret
{
	enum child_memory_result result;
	uint64_t size; /* bytes copied from the start of the range (all of it with OK) */
};

/**
 * Copy `size` bytes of the child at `address` into `buffer`.
 *
 * \return CHILD_MEMORY_OK, or the reason the copy stopped early; `size`
 *         says how many bytes from `address` on were copied
 */
struct child_memory_copy_ret child_memory_read(struct virtual_rm *rm, uint64_t address,
                                               void *buffer, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * Copy `size` bytes from `buffer` to the child at `address`, also into
 * regions the child itself may not write (text of a RAM dataspace).
 *
 * \return as child_memory_read; the bytes before the stop are written
 */
struct child_memory_copy_ret child_memory_write(struct virtual_rm *rm, uint64_t address,
                                                void const *buffer, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * A piece of the child's memory as the monitor sees it, for
 * child_memory_visit: `length` bytes of the child at `address`, readable at
 * `bytes` (the monitor's window of the region: no copy was made).
 *
 * \return  the bytes of the piece used: `length` to go on with the next
 *          piece, fewer to end the visit there (e.g. a full packet)
 */
typedef uint64_t (*child_memory_visitor)(void *state, uint64_t address, uint8_t const *bytes,
                                         uint64_t length);

/**
 * Read `size` bytes of the child at `address` in place: the visitor gets
 * each piece straight from the monitor's window, region by region, so a
 * debugger can encode the child's memory into a reply without copying it
 * first. The record's lock is held during the visit: the visitor must not
 * call child memory or the virtual RM.
 *
 * \return CHILD_MEMORY_OK when the range was visited or the visitor ended
 *         the visit, or the reason the visit stopped early; `size` says how
 *         many bytes from `address` on the visitor used
 */
struct child_memory_copy_ret child_memory_visit(struct virtual_rm *rm, uint64_t address,
                                                uint64_t size, child_memory_visitor visitor,
                                                void *state)
    __attribute__((warn_unused_result));

#endif /* _GDB_MONITOR_CHILD_MEMORY_H_ */
