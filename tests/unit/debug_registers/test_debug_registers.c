/* SPDX-License-Identifier: MIT */
/** \brief unit tests of the debug-register plan: pieces, dr7, hits, removal */

#include <gdb_monitor/debug_registers.h>

#include "unit_test.h"

static unsigned used_slots(struct debug_registers const *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++) n += r->slots[i].used;
	return n;
}

TEST(empty_plan_is_all_zero)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ_U(debug_registers_dr7(&r), 0);
	for (unsigned i = 0; i < DEBUG_REGISTERS_SLOTS; i++)
		CHECK_EQ_U(debug_registers_address(&r, i), 0);
	CHECK(debug_registers_hit(&r, 0xf) == 0);
}

TEST(execute_breakpoint_is_len_1_rw_0)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x1001003, 1),
	         DEBUG_REGISTERS_OK);
	CHECK_EQ_U(debug_registers_address(&r, 0), 0x1001003);
	CHECK_EQ_U(debug_registers_dr7(&r), 0x1); /* L0, R/W0 = 00, LEN0 = 00 */
}

TEST(aligned_write_watch_of_8_bytes_takes_one_slot)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x2000, 8), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 1);
	/* L0, R/W0 = 01 (write), LEN0 = 10 (8 bytes) */
	CHECK_EQ_U(debug_registers_dr7(&r), 0x1 | (0x1ull << 16) | (0x2ull << 18));
}

TEST(len_encoding_of_every_size_in_slot_1)
{
	static uint64_t const len_field[] = { [1] = 0, [2] = 1, [4] = 3, [8] = 2 };
	for (uint64_t size = 1; size <= 8; size *= 2) {
		struct debug_registers r;
		debug_registers_init(&r);
		CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1),
		         DEBUG_REGISTERS_OK);
		CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_ACCESS, 0x4000, size),
		         DEBUG_REGISTERS_OK);
		uint64_t slot1 = (debug_registers_dr7(&r) >> 20) & 0xf;
		CHECK_EQ_U(slot1, 0x3 | len_field[size] << 2);
		CHECK_EQ_U((debug_registers_dr7(&r) >> 2) & 1, 1); /* L1 */
	}
}

TEST(unaligned_range_is_split_into_aligned_pieces)
{
	struct debug_registers r;
	debug_registers_init(&r);
	/* [0x1003, 0x100e): 1 at 0x1003, 4 at 0x1004, 4 at 0x1008, 2 at 0x100c */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1003, 11), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 4);
	static uint64_t const pieces[4] = { 0x1003, 0x1004, 0x1008, 0x100c };
	static uint32_t const lengths[4] = { 1, 4, 4, 2 };
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ_U(debug_registers_address(&r, i), pieces[i]);
		CHECK_EQ(r.slots[i].piece_length, lengths[i]);
		CHECK_EQ_U(r.slots[i].address, 0x1003); /* every piece names the whole range */
		CHECK_EQ_U(r.slots[i].length, 11);
	}
}

TEST(range_needing_too_many_pieces_changes_nothing)
{
	struct debug_registers r;
	debug_registers_init(&r);
	/* [0x1001, 0x1010): 1, 2, 4, 8 = 15 bytes fit in 4; 16 bytes from 0x1001 need 5 */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1001, 15), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 4);
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_WRITE, 0x1001, 15), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1001, 16),
	         DEBUG_REGISTERS_NO_SLOT);
	CHECK_EQ(used_slots(&r), 0);
	CHECK_EQ_U(debug_registers_dr7(&r), 0);
	/* 33 aligned bytes need 5 pieces as well */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_ACCESS, 0x2000, 33),
	         DEBUG_REGISTERS_NO_SLOT);
	CHECK_EQ(used_slots(&r), 0);
}

TEST(range_that_fits_only_the_free_slots_is_refused_whole)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x10, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x20, 1), DEBUG_REGISTERS_OK);
	uint64_t before = debug_registers_dr7(&r);
	/* three pieces, two free slots */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x3001, 7),
	         DEBUG_REGISTERS_NO_SLOT);
	CHECK_EQ(used_slots(&r), 2);
	CHECK_EQ_U(debug_registers_dr7(&r), before);
	/* two pieces fit */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x3004, 6), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 4);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x30, 1),
	         DEBUG_REGISTERS_NO_SLOT);
}

TEST(bad_arguments_are_refused)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1000, 0),
	         DEBUG_REGISTERS_INVALID_ARGUMENT);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x1000, 2),
	         DEBUG_REGISTERS_INVALID_ARGUMENT);
	CHECK_EQ(debug_registers_insert(&r, (enum debug_register_kind)2, 0x1000, 1),
	         DEBUG_REGISTERS_INVALID_ARGUMENT);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, ~0ull - 3, 8),
	         DEBUG_REGISTERS_INVALID_ARGUMENT);
	CHECK_EQ(used_slots(&r), 0);
	/* the last bytes of the address space, without wrapping */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, ~0ull - 7, 7),
	         DEBUG_REGISTERS_OK);
}

TEST(same_range_twice_uses_no_more_slots)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x2000, 4), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x2000, 4), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 1);
	/* another kind of the same range is another point */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_ACCESS, 0x2000, 4), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 2);
}

TEST(remove_frees_every_piece_and_only_those)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1006, 4), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 3);
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_WRITE, 0x1006, 2),
	         DEBUG_REGISTERS_NOT_FOUND);
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_ACCESS, 0x1006, 4),
	         DEBUG_REGISTERS_NOT_FOUND);
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_WRITE, 0x1006, 4), DEBUG_REGISTERS_OK);
	CHECK_EQ(used_slots(&r), 1);
	CHECK_EQ_U(debug_registers_dr7(&r), 0x1);
	CHECK_EQ_U(debug_registers_address(&r, 1), 0);
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_WRITE, 0x1006, 4),
	         DEBUG_REGISTERS_NOT_FOUND);
}

TEST(holds_names_a_range_as_inserted)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK(!debug_registers_holds(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1));
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1006, 4), DEBUG_REGISTERS_OK);
	CHECK(debug_registers_holds(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1));
	CHECK(debug_registers_holds(&r, DEBUG_REGISTER_WRITE, 0x1006, 4));
	/* another kind, a piece's address or a part of the range is not what was inserted */
	CHECK(!debug_registers_holds(&r, DEBUG_REGISTER_ACCESS, 0x1006, 4));
	CHECK(!debug_registers_holds(&r, DEBUG_REGISTER_WRITE, 0x1008, 2));
	CHECK(!debug_registers_holds(&r, DEBUG_REGISTER_WRITE, 0x1006, 2));
	CHECK(!debug_registers_holds(&r, DEBUG_REGISTER_EXECUTE, 0x1006, 1));
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1), DEBUG_REGISTERS_OK);
	CHECK(!debug_registers_holds(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1));
}

TEST(freed_slot_is_reused_and_dr7_follows)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x100, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x200, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_remove(&r, DEBUG_REGISTER_EXECUTE, 0x100, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ_U(debug_registers_dr7(&r), 0x4); /* only L1 */
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x3000, 2), DEBUG_REGISTERS_OK);
	CHECK_EQ_U(debug_registers_address(&r, 0), 0x3000);
	CHECK_EQ_U(debug_registers_dr7(&r), 0x4 | 0x1 | (0x1ull << 16) | (0x1ull << 18));
}

TEST(hit_names_the_range_and_ignores_free_slots)
{
	struct debug_registers r;
	debug_registers_init(&r);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_EXECUTE, 0x500, 1), DEBUG_REGISTERS_OK);
	CHECK_EQ(debug_registers_insert(&r, DEBUG_REGISTER_WRITE, 0x1006, 4), DEBUG_REGISTERS_OK);
	/* slot 2 holds the second piece of the watch */
	struct debug_register_slot const *hit = debug_registers_hit(&r, 1u << 2);
	CHECK(hit != 0);
	CHECK_EQ(hit->kind, DEBUG_REGISTER_WRITE);
	CHECK_EQ_U(hit->address, 0x1006);
	CHECK_EQ_U(hit->length, 4);
	/* a bit of a free slot, and the status bits beyond B0-B3, name nothing */
	CHECK(debug_registers_hit(&r, 1u << 3) == 0);
	CHECK(debug_registers_hit(&r, 1u << 14) == 0);
	hit = debug_registers_hit(&r, 0x1 | 1u << 14);
	CHECK(hit != 0);
	CHECK_EQ(hit->kind, DEBUG_REGISTER_EXECUTE);
}
