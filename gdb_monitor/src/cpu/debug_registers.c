/* SPDX-License-Identifier: MIT */
/** \brief debug registers: ranges split into aligned slots, dr7, hits */

#include <gdb_monitor/debug_registers.h>

enum {
	DR7_LOCAL_ENABLE_SHIFT = 0, /* L0 at bit 0, L1 at bit 2, ... */
	DR7_FIELDS_SHIFT = 16, /* R/W0 at bits 16-17, LEN0 at bits 18-19, then 4 bits per slot */
	PIECE_MAX = 8,
};

void debug_registers_init(struct debug_registers *registers)
{
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++)
		registers->slots[i] = (struct debug_register_slot){ 0 };
}

static bool debug_registers_kind_valid(enum debug_register_kind kind)
{
	return kind == DEBUG_REGISTER_EXECUTE || kind == DEBUG_REGISTER_WRITE ||
	       kind == DEBUG_REGISTER_ACCESS;
}

/* the largest aligned piece that starts at `address` and fits `remaining` */
static uint32_t debug_registers_piece(uint64_t address, uint64_t remaining)
{
	uint32_t size = PIECE_MAX;
	while (size > 1 && ((address & (size - 1)) != 0 || size > remaining)) size /= 2;
	return size;
}

static bool debug_registers_same(struct debug_register_slot const *slot,
                                 enum debug_register_kind kind, uint64_t address,
                                 uint64_t length)
{
	return slot->used && slot->kind == (uint32_t)kind && slot->address == address &&
	       slot->length == length;
}

bool debug_registers_holds(struct debug_registers const *registers,
                           enum debug_register_kind kind, uint64_t address, uint64_t length)
{
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++)
		if (debug_registers_same(&registers->slots[i], kind, address, length)) return true;
	return false;
}

enum debug_registers_result debug_registers_insert(struct debug_registers *registers,
                                                   enum debug_register_kind kind,
                                                   uint64_t address, uint64_t length)
{
	if (!debug_registers_kind_valid(kind) || length == 0 || address + length < address ||
	    (kind == DEBUG_REGISTER_EXECUTE && length != 1))
		return DEBUG_REGISTERS_INVALID_ARGUMENT;
	if (debug_registers_holds(registers, kind, address, length)) return DEBUG_REGISTERS_OK;

	/* count the pieces first: a range that does not fit changes nothing */
	unsigned free = 0, needed = 0;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) free += !registers->slots[i].used;
	for (uint64_t at = address, left = length; left; needed++) {
		uint32_t piece = debug_registers_piece(at, left);
		at += piece;
		left -= piece;
		if (needed == DEBUG_REGISTERS_SLOTS) return DEBUG_REGISTERS_NO_SLOT;
	}
	if (needed > free) return DEBUG_REGISTERS_NO_SLOT;

	uint64_t at = address, left = length;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS && left; i++) {
		struct debug_register_slot *slot = &registers->slots[i];
		if (slot->used) continue;
		uint32_t piece = debug_registers_piece(at, left);
		*slot = (struct debug_register_slot){ true, kind, at, piece, address, length };
		at += piece;
		left -= piece;
	}
	return DEBUG_REGISTERS_OK;
}

enum debug_registers_result debug_registers_remove(struct debug_registers *registers,
                                                   enum debug_register_kind kind,
                                                   uint64_t address, uint64_t length)
{
	bool found = false;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) {
		if (!debug_registers_same(&registers->slots[i], kind, address, length)) continue;
		registers->slots[i] = (struct debug_register_slot){ 0 };
		found = true;
	}
	return found ? DEBUG_REGISTERS_OK : DEBUG_REGISTERS_NOT_FOUND;
}

uint64_t debug_registers_address(struct debug_registers const *registers, unsigned index)
{
	if (index >= DEBUG_REGISTERS_SLOTS || !registers->slots[index].used) return 0;
	return registers->slots[index].piece;
}

/* dr7's LEN field: 1 -> 00, 2 -> 01, 8 -> 10, 4 -> 11 */
static uint64_t debug_registers_len_field(uint32_t piece_length)
{
	switch (piece_length) {
	case 2:
		return 1;
	case 8:
		return 2;
	case 4:
		return 3;
	default:
		return 0;
	}
}

uint64_t debug_registers_dr7(struct debug_registers const *registers)
{
	uint64_t dr7 = 0;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) {
		struct debug_register_slot const *slot = &registers->slots[i];
		if (!slot->used) continue;
		uint64_t fields = (uint64_t)slot->kind | debug_registers_len_field(slot->piece_length)
		                                             << 2;
		dr7 |= 1ull << (DR7_LOCAL_ENABLE_SHIFT + 2 * i);
		dr7 |= fields << (DR7_FIELDS_SHIFT + 4 * i);
	}
	return dr7;
}

struct debug_register_slot const *debug_registers_hit(struct debug_registers const *registers,
                                                      uint64_t dr6)
{
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++)
		if ((dr6 & DEBUG_REGISTERS_DR6_HITS & (1ull << i)) && registers->slots[i].used)
			return &registers->slots[i];
	return 0;
}
