/* SPDX-License-Identifier: MIT */
/**
 * \brief the x86_64 registers as GDB numbers them: the codec between
 *        struct cpu_state and GDB's register bytes, and the target
 *        description (target.xml) that announces the same numbers
 *
 * One table is the source of both: the target description lists the
 * registers in the table's order, so GDB's number of a register, its size
 * and its offset in a `g` packet are the table's. The layout is GDB's own
 * for amd64: the general registers, eflags and the segment selectors, the
 * x87 stack and control registers (org.gnu.gdb.i386.core), xmm0-15 and mxcsr
 * (org.gnu.gdb.i386.sse), orig_rax (org.gnu.gdb.i386.linux, always -1: no
 * system call restarts here, but GDB's GNU/Linux ABI expects it) and
 * fs_base/gs_base (org.gnu.gdb.i386.segments).
 *
 * Values are in target byte order (little-endian), as the remote protocol
 * carries them. The x87 registers come from the FXSAVE area: st0-7 are its
 * stack-relative registers (10 of 16 bytes), ftag is the full two-bit tag
 * word computed from FXSAVE's abridged one, fiseg/foseg are the upper
 * halves of the 64-bit instruction and data pointers and fioff/fooff the
 * lower ones, as GDB's amd64 code reads a 64-bit FXSAVE area.
 *
 * Pure functions of their arguments: no state, no allocation.
 */

#ifndef _GDB_SERVER_REGISTERS_H_
#define _GDB_SERVER_REGISTERS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpu/cpu_state.h>

enum {
	GDB_REGISTERS_COUNT = 60,   /* registers 0..59 */
	GDB_REGISTERS_G_SIZE = 560, /* bytes of all of them: a `g` reply is twice as many digits */
	GDB_REGISTER_SIZE_MAX = 16, /* the largest register (xmm) */
	GDB_REGISTER_RBP = 6,       /* the expedited registers of a stop reply */
	GDB_REGISTER_RSP = 7,
	GDB_REGISTER_RIP = 16,
	GDB_REGISTER_EFLAGS = 17,
	GDB_REGISTER_ST0 = 24,
	GDB_REGISTER_FCTRL = 32,
	GDB_REGISTER_FTAG = 34,
	GDB_REGISTER_XMM0 = 40,
	GDB_REGISTER_MXCSR = 56,
	GDB_REGISTER_ORIG_RAX = 57,
	GDB_REGISTER_FS_BASE = 58,
	GDB_REGISTER_GS_BASE = 59,
};

/** a register as GDB sees it */
struct gdb_register_info
{
	char const *name;  /* as in target.xml */
	uint32_t size;     /* bytes */
	uint32_t g_offset; /* of its bytes in a `g`/`G` packet's data */
};

/**
 * The register `number`.
 *
 * \return true and `*info`, or false for a number GDB was not given
 */
bool gdb_register_info(uint32_t number, struct gdb_register_info *info)
    __attribute__((warn_unused_result));

/**
 * Encode register `number` of `state` into `bytes` (target byte order).
 *
 * \param bytes  room for GDB_REGISTER_SIZE_MAX bytes
 * \return       the register's size in bytes, or 0 for an unknown number
 */
size_t gdb_register_get(struct cpu_state const *state, uint32_t number, uint8_t *bytes)
    __attribute__((warn_unused_result));

/** result of gdb_register_set() and gdb_registers_set_all() */
enum gdb_register_set {
	GDB_REGISTER_SET_OK = 0,     /**< the value is in `state` (a read-only register: ignored) */
	GDB_REGISTER_SET_UNKNOWN,    /**< no register of that number; `state` unchanged */
	GDB_REGISTER_SET_WRONG_SIZE, /**< not the register's size; `state` unchanged */
};

/**
 * Decode a value GDB wrote into register `number` of `state`. Bits of a
 * field that the register does not cover stay (eflags keeps rflags' upper
 * half, st0-7 the padding of their 16-byte slots). orig_rax is read-only
 * and ignored.
 *
 * \param size  bytes of `bytes`: must be the register's size
 */
enum gdb_register_set gdb_register_set(struct cpu_state *state, uint32_t number,
                                       uint8_t const *bytes, size_t size)
    __attribute__((warn_unused_result));

/**
 * Encode every register in number order: the data of a `g` reply.
 *
 * \param bytes  room for GDB_REGISTERS_G_SIZE bytes
 */
void gdb_registers_get_all(struct cpu_state const *state, uint8_t *bytes);

/**
 * Decode the data of a `G` packet into `state`: all registers, or a prefix
 * of them that ends at a register's end (registers after it stay).
 *
 * \return GDB_REGISTER_SET_OK, or GDB_REGISTER_SET_WRONG_SIZE for a size
 *         above GDB_REGISTERS_G_SIZE or inside a register (`state` unchanged)
 */
enum gdb_register_set gdb_registers_set_all(struct cpu_state *state, uint8_t const *bytes,
                                            size_t size) __attribute__((warn_unused_result));

/**
 * Write the target description (target.xml) for the table's registers.
 *
 * \param buffer  where it goes, NUL-terminated if it fits
 * \param size    bytes of `buffer`
 * \return        its length without the NUL (more than size - 1: it did not
 *                fit, and the caller needs a buffer of that length plus one)
 */
size_t gdb_registers_target_xml(char *buffer, size_t size);

#endif /* _GDB_SERVER_REGISTERS_H_ */
