/* SPDX-License-Identifier: MIT */
/**
 * \brief run control's breakpoints: int3 bytes in the child's text, the
 *        debug-register plan, and memory access that hides the int3 bytes
 */

#include <base/lock_guard.h>
#include <base/log.h>
#include <util/string.h>

#include "run_control_private.h"

enum { INT3 = 0xcc };

struct run_control_breakpoint *run_control_breakpoint_find(struct run_control *rc,
                                                           uint64_t address)
{
	for (unsigned i = 0; i < rc->breakpoints_top; i++)
		if (rc->breakpoints[i].used && rc->breakpoints[i].address == address)
			return &rc->breakpoints[i];
	return 0;
}

/* whether a debug register holds a hardware breakpoint at `address` */
static bool run_control_hw_breakpoint_at(struct run_control const *rc, uint64_t address)
{
	return debug_registers_holds(&rc->debug, DEBUG_REGISTER_EXECUTE, address, 1);
}

bool run_control_point_at(struct run_control *rc, uint64_t address)
{
	/* not rc->initial: it is armed only until the first instruction of the child runs, that
	 * int3 itself (a breakpoint stop, stepped or not), so no step ends at it while armed */
	return run_control_breakpoint_find(rc, address) ||
	       run_control_hw_breakpoint_at(rc, address);
}

/* whether the ring of removed addresses holds `address` (only its used entries are read) */
static bool run_control_removed_noted(struct run_control const *rc, uint64_t address)
{
	for (unsigned i = 0; i < rc->removed_count; i++)
		if (rc->removed[i] == address) return true;
	return false;
}

/* remember `address` as removed (once: the ring holds distinct addresses) */
static void run_control_removed_note(struct run_control *rc, uint64_t address)
{
	if (run_control_removed_noted(rc, address)) return;
	rc->removed[rc->removed_next] = address;
	rc->removed_next = (rc->removed_next + 1) % RUN_CONTROL_REMOVED_MAX;
	if (rc->removed_count < RUN_CONTROL_REMOVED_MAX) rc->removed_count++;
}

void run_control_breakpoint_restore(struct run_control *rc,
                                    struct run_control_breakpoint const *breakpoint)
{
	struct child_memory_copy_ret r =
	    child_memory_write(rc->rm, breakpoint->address, &breakpoint->original, 1);
	if (r.result != CHILD_MEMORY_OK)
		log_warning("run control: the byte at 0x%lx could not be restored (%d)",
		            (unsigned long)breakpoint->address, (int)r.result);
	run_control_removed_note(rc, breakpoint->address);
}

bool run_control_breakpoint_removed(struct run_control *rc, uint64_t address)
{
	if (!run_control_removed_noted(rc, address)) return false;
	/* an int3 there now is the child's own (or one of another debugger's write) */
	uint8_t byte = 0;
	return child_memory_read(rc->rm, address, &byte, 1).result == CHILD_MEMORY_OK &&
	       byte != INT3;
}

/* read the byte at `address` and put an int3 there */
static bool run_control_int3_write(struct virtual_rm *rm, uint64_t address, uint8_t *original)
{
	uint8_t const int3 = INT3;
	return child_memory_read(rm, address, original, 1).result == CHILD_MEMORY_OK &&
	       child_memory_write(rm, address, &int3, 1).result == CHILD_MEMORY_OK;
}

enum run_control_result run_control_breakpoint_insert(struct run_control *rc, uint64_t address)
{
	LOCK_GUARD(&rc->cpu->lock);
	if (run_control_breakpoint_find(rc, address)) return RUN_CONTROL_OK;
	unsigned slot = 0;
	while (slot < rc->breakpoints_top && rc->breakpoints[slot].used) slot++;
	if (slot == RUN_CONTROL_BREAKPOINTS_MAX) return RUN_CONTROL_NO_SLOT;
	uint8_t original;
	if (!run_control_int3_write(rc->rm, address, &original)) return RUN_CONTROL_UNMAPPED;
	rc->breakpoints[slot] = (struct run_control_breakpoint){ true, address, original };
	if (slot == rc->breakpoints_top) rc->breakpoints_top++;
	return RUN_CONTROL_OK;
}

enum run_control_result run_control_breakpoint_remove(struct run_control *rc, uint64_t address)
{
	LOCK_GUARD(&rc->cpu->lock);
	struct run_control_breakpoint *b = run_control_breakpoint_find(rc, address);
	if (!b) return RUN_CONTROL_NOT_FOUND;
	run_control_breakpoint_restore(rc, b);
	*b = (struct run_control_breakpoint){ 0 };
	while (rc->breakpoints_top && !rc->breakpoints[rc->breakpoints_top - 1].used)
		rc->breakpoints_top--;
	return RUN_CONTROL_OK;
}

bool run_control_initial_stop_arm(struct run_control *rc, uint64_t ip)
{
	uint8_t original;
	if (!run_control_int3_write(rc->rm, ip, &original)) {
		log_error("run control: no int3 at the entry point 0x%lx: the child starts running",
		          (unsigned long)ip);
		return false;
	}
	LOCK_GUARD(&rc->cpu->lock);
	rc->initial = (struct run_control_breakpoint){ true, ip, original };
	return true;
}

/* ---- debug registers ---------------------------------------------------------------- */

static enum run_control_result run_control_debug_result(enum debug_registers_result r)
{
	switch (r) {
	case DEBUG_REGISTERS_OK:
		return RUN_CONTROL_OK;
	case DEBUG_REGISTERS_NO_SLOT:
		return RUN_CONTROL_NO_SLOT;
	case DEBUG_REGISTERS_NOT_FOUND:
		return RUN_CONTROL_NOT_FOUND;
	default:
		return RUN_CONTROL_INVALID_ARGUMENT;
	}
}

bool run_control_debug_apply(struct run_control const *rc, struct cpu_state *state)
{
	bool changed = false;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) {
		uint64_t address = debug_registers_address(&rc->debug, i);
		changed |= state->dr[i] != address;
		state->dr[i] = address;
	}
	uint64_t dr7 = debug_registers_dr7(&rc->debug);
	changed |= state->dr[7] != dr7;
	state->dr[7] = dr7;
	return changed;
}

enum run_control_result run_control_hw_breakpoint_insert(struct run_control *rc,
                                                         uint64_t address)
{
	LOCK_GUARD(&rc->cpu->lock);
	enum debug_registers_result r =
	    debug_registers_insert(&rc->debug, DEBUG_REGISTER_EXECUTE, address, 1);
	if (r == DEBUG_REGISTERS_OK) rc->debug_generation++;
	return run_control_debug_result(r);
}

enum run_control_result run_control_hw_breakpoint_remove(struct run_control *rc,
                                                         uint64_t address)
{
	LOCK_GUARD(&rc->cpu->lock);
	enum debug_registers_result r =
	    debug_registers_remove(&rc->debug, DEBUG_REGISTER_EXECUTE, address, 1);
	if (r == DEBUG_REGISTERS_OK) rc->debug_generation++;
	return run_control_debug_result(r);
}

/* x86 cannot watch reads alone: a read watchpoint is an access one */
static enum debug_register_kind run_control_watch_kind(uint32_t watch)
{
	return watch == RUN_CONTROL_WATCH_WRITE ? DEBUG_REGISTER_WRITE : DEBUG_REGISTER_ACCESS;
}

/* another watchpoint that uses the same debug-register slots as `w` */
static bool run_control_watch_shared(struct run_control *rc,
                                     struct run_control_watchpoint const *w)
{
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) {
		struct run_control_watchpoint const *o = &rc->watchpoints[i];
		if (o != w && o->used && o->address == w->address && o->length == w->length &&
		    run_control_watch_kind(o->watch) == run_control_watch_kind(w->watch))
			return true;
	}
	return false;
}

static struct run_control_watchpoint *run_control_watch_find(struct run_control *rc,
                                                             uint32_t watch, uint64_t address,
                                                             uint64_t length)
{
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) {
		struct run_control_watchpoint *w = &rc->watchpoints[i];
		if (w->used && w->watch == watch && w->address == address && w->length == length)
			return w;
	}
	return 0;
}

struct run_control_watchpoint *run_control_watchpoint_of(struct run_control *rc,
                                                         struct debug_register_slot const *slot)
{
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) {
		struct run_control_watchpoint *w = &rc->watchpoints[i];
		if (w->used && w->address == slot->address && w->length == slot->length &&
		    run_control_watch_kind(w->watch) == (enum debug_register_kind)slot->kind)
			return w;
	}
	return 0;
}

enum run_control_result run_control_watchpoint_insert(struct run_control *rc,
                                                      enum run_control_watch watch,
                                                      uint64_t address, uint64_t length)
{
	LOCK_GUARD(&rc->cpu->lock);
	if (watch != RUN_CONTROL_WATCH_WRITE && watch != RUN_CONTROL_WATCH_READ &&
	    watch != RUN_CONTROL_WATCH_ACCESS)
		return RUN_CONTROL_INVALID_ARGUMENT;
	if (run_control_watch_find(rc, watch, address, length)) return RUN_CONTROL_OK;
	struct run_control_watchpoint *slot = 0;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS && !slot; i++)
		if (!rc->watchpoints[i].used) slot = &rc->watchpoints[i];
	if (!slot) return RUN_CONTROL_NO_SLOT;

	/* a read and an access watchpoint of one range share their slots */
	enum debug_registers_result r =
	    debug_registers_insert(&rc->debug, run_control_watch_kind(watch), address, length);
	if (r != DEBUG_REGISTERS_OK) return run_control_debug_result(r);
	*slot = (struct run_control_watchpoint){ true, watch, address, length };
	rc->debug_generation++;
	return RUN_CONTROL_OK;
}

enum run_control_result run_control_watchpoint_remove(struct run_control *rc,
                                                      enum run_control_watch watch,
                                                      uint64_t address, uint64_t length)
{
	LOCK_GUARD(&rc->cpu->lock);
	struct run_control_watchpoint *w = run_control_watch_find(rc, watch, address, length);
	if (!w) return RUN_CONTROL_NOT_FOUND;
	if (!run_control_watch_shared(rc, w) &&
	    debug_registers_remove(&rc->debug, run_control_watch_kind(watch), address, length) !=
	        DEBUG_REGISTERS_OK)
		log_error("run control: watchpoint at 0x%lx without its debug registers",
		          (unsigned long)address);
	*w = (struct run_control_watchpoint){ 0 };
	rc->debug_generation++;
	return RUN_CONTROL_OK;
}

bool run_control_stop_current(struct run_control *rc, struct run_control_stop const *stop)
{
	switch (stop->reason) {
	case RUN_CONTROL_STOP_SW_BREAKPOINT:
		return run_control_breakpoint_find(rc, stop->ip) != 0;
	case RUN_CONTROL_STOP_HW_BREAKPOINT:
		return run_control_hw_breakpoint_at(rc, stop->address);
	case RUN_CONTROL_STOP_WATCHPOINT:
		return run_control_watch_find(rc, stop->watch, stop->address, stop->length) != 0;
	default:
		return true;
	}
}

void run_control_points_clear(struct run_control *rc)
{
	for (unsigned i = 0; i < rc->breakpoints_top; i++) {
		if (!rc->breakpoints[i].used) continue;
		run_control_breakpoint_restore(rc, &rc->breakpoints[i]);
		rc->breakpoints[i] = (struct run_control_breakpoint){ 0 };
	}
	rc->breakpoints_top = 0;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++)
		rc->watchpoints[i] = (struct run_control_watchpoint){ 0 };
	debug_registers_init(&rc->debug);
	rc->debug_generation++;
}

/* ---- memory with the int3 bytes hidden ----------------------------------------------- */

/* whether `b` lies in [address, address + size); its offset there */
static bool run_control_within(struct run_control_breakpoint const *b, uint64_t address,
                               uint64_t size, uint64_t *offset)
{
	if (!b->used || b->address < address || b->address - address >= size) return false;
	*offset = b->address - address;
	return true;
}

struct child_memory_copy_ret run_control_memory_read(struct run_control *rc, uint64_t address,
                                                     void *buffer, uint64_t size)
{
	LOCK_GUARD(&rc->cpu->lock);
	struct child_memory_copy_ret r = child_memory_read(rc->rm, address, buffer, size);
	uint8_t *bytes = buffer;
	uint64_t offset;
	for (unsigned i = 0; i < rc->breakpoints_top; i++)
		if (run_control_within(&rc->breakpoints[i], address, r.size, &offset))
			bytes[offset] = rc->breakpoints[i].original;
	if (run_control_within(&rc->initial, address, r.size, &offset))
		bytes[offset] = rc->initial.original;
	return r;
}

/* a visit through run control: pieces split at the int3s, which show their original bytes */
struct run_control_visit
{
	struct run_control *rc;
	child_memory_visitor visitor;
	void *state;
};

/* the inserted breakpoint with the lowest address in [address, address + length), or NULL */
static struct run_control_breakpoint const *
run_control_breakpoint_first(struct run_control const *rc, uint64_t address, uint64_t length)
{
	struct run_control_breakpoint const *first = 0;
	uint64_t offset;
	for (unsigned i = 0; i < rc->breakpoints_top; i++) {
		struct run_control_breakpoint const *b = &rc->breakpoints[i];
		if (run_control_within(b, address, length, &offset) &&
		    (!first || b->address < first->address))
			first = b;
	}
	if (run_control_within(&rc->initial, address, length, &offset) &&
	    (!first || rc->initial.address < first->address))
		first = &rc->initial;
	return first;
}

static uint64_t run_control_visit_piece(void *state, uint64_t address, uint8_t const *bytes,
                                        uint64_t length)
{
	struct run_control_visit const *v = state;
	uint64_t done = 0;
	while (done < length) {
		struct run_control_breakpoint const *b =
		    run_control_breakpoint_first(v->rc, address + done, length - done);
		uint64_t plain = b ? b->address - (address + done) : length - done;
		if (plain) {
			uint64_t used = v->visitor(v->state, address + done, bytes + done, plain);
			done += used < plain ? used : plain;
			if (used < plain) return done;
		}
		if (!b) break;
		if (v->visitor(v->state, b->address, &b->original, 1) < 1) return done;
		done++;
	}
	return done;
}

struct child_memory_copy_ret run_control_memory_visit(struct run_control *rc, uint64_t address,
                                                      uint64_t size,
                                                      child_memory_visitor visitor, void *state)
{
	LOCK_GUARD(&rc->cpu->lock);
	struct run_control_visit visit = { rc, visitor, state };
	return child_memory_visit(rc->rm, address, size, run_control_visit_piece, &visit);
}

/* a written byte under a breakpoint becomes its original; the int3 goes back */
static void run_control_int3_keep(struct run_control *rc, struct run_control_breakpoint *b,
                                  uint8_t const *bytes, uint64_t offset)
{
	uint8_t const int3 = INT3;
	b->original = bytes[offset];
	if (child_memory_write(rc->rm, b->address, &int3, 1).result != CHILD_MEMORY_OK)
		log_warning("run control: the breakpoint at 0x%lx was overwritten",
		            (unsigned long)b->address);
}

struct child_memory_copy_ret run_control_memory_write(struct run_control *rc, uint64_t address,
                                                      void const *buffer, uint64_t size)
{
	LOCK_GUARD(&rc->cpu->lock);
	struct child_memory_copy_ret r = child_memory_write(rc->rm, address, buffer, size);
	uint64_t offset;
	for (unsigned i = 0; i < rc->breakpoints_top; i++)
		if (run_control_within(&rc->breakpoints[i], address, r.size, &offset))
			run_control_int3_keep(rc, &rc->breakpoints[i], buffer, offset);
	if (run_control_within(&rc->initial, address, r.size, &offset))
		run_control_int3_keep(rc, &rc->initial, buffer, offset);
	return r;
}
