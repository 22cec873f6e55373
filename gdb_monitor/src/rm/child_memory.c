/* SPDX-License-Identifier: MIT */
/**
 * \brief child memory: copies through a cache of local attachments of the
 *        child's regions
 */

#include <base/lock_guard.h>
#include <base/log.h>
#include <gdb_monitor/child_memory.h>
#include <util/string.h>

#include "virtual_rm_private.h"

void child_memory_local_drop(struct virtual_rm *rm, struct virtual_rm_record *record)
{
	if (!record->local) return;
	env_detach(rm->env, record->local);
	record->local = 0;
	rm->cached--;
}

/* make room for one more local attachment: detach the least recently used one */
static void child_memory_evict(struct virtual_rm *rm)
{
	struct virtual_rm_record *oldest = 0;
	for (unsigned i = 0; i < VIRTUAL_RM_REGIONS_MAX; i++) {
		struct virtual_rm_record *r = &rm->records[i];
		if (r->used && r->local && (!oldest || r->last_use < oldest->last_use)) oldest = r;
	}
	if (!oldest) return;
	child_memory_local_drop(rm, oldest);
	rm->stats.cache_evictions++;
}

/*
 * Attach the region's window (rm->lock held), read-write if the dataspace is
 * RAM. The dataspace capability is core's (virtual_rm.c), so attaching it
 * asks only core.
 */
static enum env_result child_memory_attach(struct virtual_rm *rm,
                                           struct virtual_rm_record *record)
{
	struct rm_attach_args args = { .size = record->region.size,
		                           .offset = record->region.offset,
		                           .writeable = record->region.dataspace_writeable };
	struct env_attach_result a = env_attach(rm->env, record->ds, args);
	if (a.result != ENV_OK) return a.result;
	record->local = a.address;
	rm->cached++;
	return ENV_OK;
}

/* the region's window in the monitor (rm->lock held): attached on first use */
static uint8_t *child_memory_local(struct virtual_rm *rm, struct virtual_rm_record *record)
{
	record->last_use = ++rm->use_clock;
	if (record->local) {
		rm->stats.cache_hits++;
		return record->local;
	}
	rm->stats.cache_misses++;
	if (rm->cached >= VIRTUAL_RM_CACHE_MAX) child_memory_evict(rm);

	enum env_result attached = child_memory_attach(rm, record);
	if (attached != ENV_OK) {
		log_error("child memory: cannot attach the region at 0x%lx (%d)",
		          (unsigned long)record->region.start, (int)attached);
		return 0;
	}
	return record->local;
}

void child_memory_local_warm(struct virtual_rm *rm, struct virtual_rm_record *record)
{
	if (record->local || rm->cached >= VIRTUAL_RM_CACHE_MAX) return;
	record->last_use = ++rm->use_clock;
	if (child_memory_attach(rm, record) == ENV_OK) rm->stats.cache_warmed++;
}

/* a piece of the child's memory in the monitor's window */
struct child_memory_piece
{
	enum child_memory_result result;
	uint8_t *local;  /* the piece's first byte in the monitor */
	uint64_t length; /* up to the end of its region, at most what is left */
};

/*
 * The piece at `done` bytes into the `size` bytes from `address` (rm->lock
 * held); `writing`: it must be writeable. A range that wraps around the
 * address space ends as unmapped.
 */
static struct child_memory_piece child_memory_piece_at(struct virtual_rm *rm, uint64_t address,
                                                       uint64_t done, uint64_t size,
                                                       bool writing)
{
	struct child_memory_piece piece = { CHILD_MEMORY_OK, 0, 0 };
	uint64_t at = address + done;
	struct virtual_rm_record *record = at < address ? 0 : virtual_rm_record_containing(rm, at);
	if (!record) {
		piece.result = CHILD_MEMORY_UNMAPPED;
		return piece;
	}
	if (writing && !record->region.dataspace_writeable) {
		piece.result = CHILD_MEMORY_READ_ONLY;
		return piece;
	}
	uint8_t *local = child_memory_local(rm, record);
	if (!local) {
		piece.result = CHILD_MEMORY_ATTACH_FAILED;
		return piece;
	}
	uint64_t offset = at - record->region.start;
	piece.local = local + offset;
	piece.length = record->region.size - offset;
	if (piece.length > size - done) piece.length = size - done;
	return piece;
}

/* copy between the child at `address` and `buffer`, region by region */
static struct child_memory_copy_ret child_memory_copy(struct virtual_rm *rm, uint64_t address,
                                                      uint8_t *read_into,
                                                      uint8_t const *write_from, uint64_t size)
{
	struct child_memory_copy_ret r = { CHILD_MEMORY_OK, 0 };
	LOCK_GUARD(&rm->lock);
	while (r.size < size) {
		struct child_memory_piece piece =
		    child_memory_piece_at(rm, address, r.size, size, write_from != 0);
		if (piece.result != CHILD_MEMORY_OK) {
			r.result = piece.result;
			return r;
		}
		if (write_from)
			memory_copy(piece.local, write_from + r.size, piece.length);
		else
			memory_copy(read_into + r.size, piece.local, piece.length);
		r.size += piece.length;
	}
	return r;
}

struct child_memory_copy_ret child_memory_read(struct virtual_rm *rm, uint64_t address,
                                               void *buffer, uint64_t size)
{
	return child_memory_copy(rm, address, buffer, 0, size);
}

struct child_memory_copy_ret child_memory_write(struct virtual_rm *rm, uint64_t address,
                                                void const *buffer, uint64_t size)
{
	return child_memory_copy(rm, address, 0, buffer, size);
}

struct child_memory_copy_ret child_memory_visit(struct virtual_rm *rm, uint64_t address,
                                                uint64_t size, child_memory_visitor visitor,
                                                void *state)
{
	struct child_memory_copy_ret r = { CHILD_MEMORY_OK, 0 };
	LOCK_GUARD(&rm->lock);
	while (r.size < size) {
		struct child_memory_piece piece =
		    child_memory_piece_at(rm, address, r.size, size, false);
		if (piece.result != CHILD_MEMORY_OK) {
			r.result = piece.result;
			return r;
		}
		uint64_t used = visitor(state, address + r.size, piece.local, piece.length);
		r.size += used < piece.length ? used : piece.length;
		if (used < piece.length) return r; /* the visitor ended it */
	}
	return r;
}
