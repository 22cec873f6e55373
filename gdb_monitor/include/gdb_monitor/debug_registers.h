/* SPDX-License-Identifier: MIT */
/**
 * \brief debug registers: the x86 hardware breakpoints and watchpoints of
 *        the monitor, as a plan of the four address slots and dr7
 *
 * A hardware breakpoint or watchpoint covers a range of the child's memory.
 * x86 watches 1, 2, 4 or 8 naturally aligned bytes per address register
 * (dr0-dr3), so a range is split into aligned pieces, one slot each; an
 * instruction breakpoint takes one slot of length 1. Every slot remembers
 * the range it belongs to, so that a hit (a bit of dr6) names the range the
 * debugger asked for, and removal frees all pieces of it.
 *
 * Pure logic without any session: run control writes the plan (addresses
 * and dr7) into every thread of the child.
 */

#ifndef _GDB_MONITOR_DEBUG_REGISTERS_H_
#define _GDB_MONITOR_DEBUG_REGISTERS_H_

#include <stdbool.h>
#include <stdint.h>

enum {
	DEBUG_REGISTERS_SLOTS = 4,
	DEBUG_REGISTERS_DR6_HITS = 0xf, /* dr6's B0-B3: which address register hit */
};

/** what a slot watches (the value is dr7's R/W field) */
enum debug_register_kind {
	DEBUG_REGISTER_EXECUTE = 0, /* an instruction fetch at the address */
	DEBUG_REGISTER_WRITE = 1,   /* a data write */
	DEBUG_REGISTER_ACCESS = 3,  /* a data read or write */
};

struct debug_register_slot
{
	bool used;
	uint32_t kind;  /* enum debug_register_kind */
	uint64_t piece; /* the aligned address in the register */
	uint32_t piece_length;
	uint64_t address; /* the range the piece belongs to, as inserted */
	uint64_t length;
};

struct debug_registers
{
	struct debug_register_slot slots[DEBUG_REGISTERS_SLOTS];
};

enum debug_registers_result {
	DEBUG_REGISTERS_OK = 0,
	DEBUG_REGISTERS_INVALID_ARGUMENT, /* length 0, an execute range longer than one byte,
	                                     a range that wraps around, or an unknown kind */
	DEBUG_REGISTERS_NO_SLOT,          /* the range needs more slots than are free */
	DEBUG_REGISTERS_NOT_FOUND,        /* remove of a range that is not inserted */
};

/** no slot in use */
void debug_registers_init(struct debug_registers *registers);

/**
 * Watch `length` bytes at `address` for `kind` (an execute breakpoint has
 * length 1). Inserting a range that is inserted already (same kind, address
 * and length) succeeds without using more slots.
 *
 * \return DEBUG_REGISTERS_OK, or an error and nothing changed
 */
enum debug_registers_result debug_registers_insert(struct debug_registers *registers,
                                                   enum debug_register_kind kind,
                                                   uint64_t address, uint64_t length)
    __attribute__((warn_unused_result));

/**
 * Stop watching the range inserted with the same kind, address and length.
 *
 * \return DEBUG_REGISTERS_OK, or DEBUG_REGISTERS_NOT_FOUND and nothing changed
 */
enum debug_registers_result debug_registers_remove(struct debug_registers *registers,
                                                   enum debug_register_kind kind,
                                                   uint64_t address, uint64_t length)
    __attribute__((warn_unused_result));

/**
 * Whether the range inserted with `kind`, `address` and `length` is in the
 * plan (a hardware breakpoint: DEBUG_REGISTER_EXECUTE, length 1).
 */
bool debug_registers_holds(struct debug_registers const *registers,
                           enum debug_register_kind kind, uint64_t address, uint64_t length);

/** the address of register `index` (0-3); 0 for a free slot */
uint64_t debug_registers_address(struct debug_registers const *registers, unsigned index);

/** dr7 for the plan: the local enable, R/W and LEN fields of every used slot */
uint64_t debug_registers_dr7(struct debug_registers const *registers);

/**
 * The slot that a debug exception with status `dr6` reports: the lowest used
 * slot whose B bit is set.
 *
 * \return the slot (valid until the plan changes), or NULL if no used slot hit
 */
struct debug_register_slot const *debug_registers_hit(struct debug_registers const *registers,
                                                      uint64_t dr6);

#endif /* _GDB_MONITOR_DEBUG_REGISTERS_H_ */
