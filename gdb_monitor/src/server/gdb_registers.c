/* SPDX-License-Identifier: MIT */
/**
 * \brief the x86_64 register table: GDB's numbers, the codec to and from
 *        struct cpu_state, and target.xml generated from the same table
 */

#include <gdb_server/registers.h>
#include <util/format.h>
#include <util/string.h>

/* how a register's bytes are found in struct cpu_state */
enum gdb_register_kind {
	KIND_U64,      /* a uint64_t at `offset` */
	KIND_LOW32,    /* the lower half of a uint64_t (eflags, selectors, fioff, fooff) */
	KIND_HIGH32,   /* the upper half of a uint64_t (fiseg, foseg) */
	KIND_BYTES,    /* `size` bytes at `offset` (st0-7, xmm0-15, mxcsr) */
	KIND_U16,      /* a uint16_t, zero-extended to 32 bits (fctrl, fstat) */
	KIND_FOP,      /* the 11 bits of the last x87 opcode */
	KIND_FTAG,     /* the full tag word, from FXSAVE's abridged one */
	KIND_ORIG_RAX, /* always -1, read-only */
};

enum gdb_register_feature {
	FEATURE_CORE,
	FEATURE_SSE,
	FEATURE_LINUX,
	FEATURE_SEGMENTS,
};

struct gdb_register
{
	char const *name;
	uint8_t size; /* bytes */
	uint8_t kind; /* enum gdb_register_kind */
	uint8_t feature;
	uint16_t offset; /* in struct cpu_state */
	char const *type;
	char const *group; /* or NULL */
};

#define STATE(field) ((uint16_t) __builtin_offsetof(struct cpu_state, field))
#define FPU(field)   ((uint16_t)(STATE(fpu) + __builtin_offsetof(struct cpu_fpu_state, field)))
#define GPR(name, field, type)                                 \
	{                                                          \
		name, 8, KIND_U64, FEATURE_CORE, STATE(field), type, 0 \
	}
#define SEG(name, field)                                            \
	{                                                               \
		name, 4, KIND_LOW32, FEATURE_CORE, STATE(field), "int32", 0 \
	}
#define ST(n)                                                            \
	{                                                                    \
		"st" #n, 10, KIND_BYTES, FEATURE_CORE, FPU(st[n]), "i387_ext", 0 \
	}
#define XMM(n)                                                          \
	{                                                                   \
		"xmm" #n, 16, KIND_BYTES, FEATURE_SSE, FPU(xmm[n]), "vec128", 0 \
	}

static struct gdb_register const gdb_registers[GDB_REGISTERS_COUNT] = {
	GPR("rax", rax, "int64"),
	GPR("rbx", rbx, "int64"),
	GPR("rcx", rcx, "int64"),
	GPR("rdx", rdx, "int64"),
	GPR("rsi", rsi, "int64"),
	GPR("rdi", rdi, "int64"),
	GPR("rbp", rbp, "data_ptr"),
	GPR("rsp", rsp, "data_ptr"),
	GPR("r8", r8, "int64"),
	GPR("r9", r9, "int64"),
	GPR("r10", r10, "int64"),
	GPR("r11", r11, "int64"),
	GPR("r12", r12, "int64"),
	GPR("r13", r13, "int64"),
	GPR("r14", r14, "int64"),
	GPR("r15", r15, "int64"),
	GPR("rip", rip, "code_ptr"),
	{ "eflags", 4, KIND_LOW32, FEATURE_CORE, STATE(rflags), "i386_eflags", 0 },
	SEG("cs", cs),
	SEG("ss", ss),
	SEG("ds", ds),
	SEG("es", es),
	SEG("fs", fs),
	SEG("gs", gs),
	ST(0),
	ST(1),
	ST(2),
	ST(3),
	ST(4),
	ST(5),
	ST(6),
	ST(7),
	{ "fctrl", 4, KIND_U16, FEATURE_CORE, FPU(fcw), "int", "float" },
	{ "fstat", 4, KIND_U16, FEATURE_CORE, FPU(fsw), "int", "float" },
	{ "ftag", 4, KIND_FTAG, FEATURE_CORE, FPU(ftw), "int", "float" },
	{ "fiseg", 4, KIND_HIGH32, FEATURE_CORE, FPU(fip), "int", "float" },
	{ "fioff", 4, KIND_LOW32, FEATURE_CORE, FPU(fip), "int", "float" },
	{ "foseg", 4, KIND_HIGH32, FEATURE_CORE, FPU(fdp), "int", "float" },
	{ "fooff", 4, KIND_LOW32, FEATURE_CORE, FPU(fdp), "int", "float" },
	{ "fop", 4, KIND_FOP, FEATURE_CORE, FPU(fop), "int", "float" },
	XMM(0),
	XMM(1),
	XMM(2),
	XMM(3),
	XMM(4),
	XMM(5),
	XMM(6),
	XMM(7),
	XMM(8),
	XMM(9),
	XMM(10),
	XMM(11),
	XMM(12),
	XMM(13),
	XMM(14),
	XMM(15),
	{ "mxcsr", 4, KIND_BYTES, FEATURE_SSE, FPU(mxcsr), "i386_mxcsr", "vector" },
	{ "orig_rax", 8, KIND_ORIG_RAX, FEATURE_LINUX, 0, "int", 0 },
	{ "fs_base", 8, KIND_U64, FEATURE_SEGMENTS, STATE(fs_base), "int", 0 },
	{ "gs_base", 8, KIND_U64, FEATURE_SEGMENTS, STATE(gs_base), "int", 0 },
};

/* ---- values ------------------------------------------------------------------------- */

static uint64_t load_le(uint8_t const *bytes, unsigned size)
{
	uint64_t value = 0;
	for (unsigned i = size; i > 0; i--) value = value << 8 | bytes[i - 1];
	return value;
}

static void store_le(uint8_t *bytes, uint64_t value, unsigned size)
{
	for (unsigned i = 0; i < size; i++, value >>= 8) bytes[i] = (uint8_t)value;
}

static uint64_t state_u64(struct cpu_state const *state, uint16_t offset)
{
	uint64_t value;
	memory_copy(&value, (uint8_t const *)state + offset, sizeof(value));
	return value;
}

static void state_u64_set(struct cpu_state *state, uint16_t offset, uint64_t value)
{
	memory_copy((uint8_t *)state + offset, &value, sizeof(value));
}

/*
 * The two-bit tag of physical x87 register `physical`: 0 valid, 1 zero,
 * 2 special (NaN, infinity, denormal, unsupported), 3 empty. FXSAVE keeps a
 * bit per register (0 empty); the rest follows from the value, which FXSAVE
 * stores by stack position: physical register p is st((p - top) mod 8).
 */
static unsigned ftag_of(struct cpu_fpu_state const *fpu, unsigned physical)
{
	if (!(fpu->ftw & (1u << physical))) return 3;
	unsigned top = (fpu->fsw >> 11) & 7;
	uint8_t const *value = fpu->st[(physical - top) & 7];
	uint64_t mantissa = load_le(value, 8);
	unsigned exponent = (unsigned)load_le(value + 8, 2) & 0x7fff;
	if (exponent == 0x7fff) return 2;
	if (exponent == 0) return mantissa == 0 ? 1 : 2;
	return (mantissa >> 63) ? 0 : 2;
}

static uint64_t ftag_full(struct cpu_fpu_state const *fpu)
{
	uint64_t tag = 0;
	for (unsigned p = 0; p < 8; p++) tag |= (uint64_t)ftag_of(fpu, p) << (2 * p);
	return tag;
}

/* the abridged tag of a full one: a register is valid unless its tag says empty */
static uint8_t ftag_abridged(uint64_t full)
{
	uint8_t abridged = 0;
	for (unsigned p = 0; p < 8; p++)
		if (((full >> (2 * p)) & 3) != 3) abridged |= (uint8_t)(1u << p);
	return abridged;
}

bool gdb_register_info(uint32_t number, struct gdb_register_info *info)
{
	if (number >= GDB_REGISTERS_COUNT) return false;
	uint32_t offset = 0;
	for (uint32_t i = 0; i < number; i++) offset += gdb_registers[i].size;
	*info = (struct gdb_register_info){ gdb_registers[number].name, gdb_registers[number].size,
		                                offset };
	return true;
}

size_t gdb_register_get(struct cpu_state const *state, uint32_t number, uint8_t *bytes)
{
	if (number >= GDB_REGISTERS_COUNT) return 0;
	struct gdb_register const *r = &gdb_registers[number];
	uint8_t const *field = (uint8_t const *)state + r->offset;
	switch ((enum gdb_register_kind)r->kind) {
	case KIND_U64:
		store_le(bytes, state_u64(state, r->offset), 8);
		break;
	case KIND_LOW32:
		store_le(bytes, state_u64(state, r->offset) & 0xffffffffu, 4);
		break;
	case KIND_HIGH32:
		store_le(bytes, state_u64(state, r->offset) >> 32, 4);
		break;
	case KIND_BYTES:
		memory_copy(bytes, field, r->size);
		break;
	case KIND_U16:
		store_le(bytes, load_le(field, 2), 4);
		break;
	case KIND_FOP:
		store_le(bytes, load_le(field, 2) & 0x7ff, 4);
		break;
	case KIND_FTAG:
		store_le(bytes, ftag_full(&state->fpu), 4);
		break;
	case KIND_ORIG_RAX:
		store_le(bytes, UINT64_MAX, 8);
		break;
	}
	return r->size;
}

enum gdb_register_set gdb_register_set(struct cpu_state *state, uint32_t number,
                                       uint8_t const *bytes, size_t size)
{
	if (number >= GDB_REGISTERS_COUNT) return GDB_REGISTER_SET_UNKNOWN;
	struct gdb_register const *r = &gdb_registers[number];
	if (size != r->size) return GDB_REGISTER_SET_WRONG_SIZE;
	uint8_t *field = (uint8_t *)state + r->offset;
	uint64_t value = load_le(bytes, size < 8 ? (unsigned)size : 8);
	uint64_t old;
	switch ((enum gdb_register_kind)r->kind) {
	case KIND_U64:
		state_u64_set(state, r->offset, value);
		break;
	case KIND_LOW32:
		old = state_u64(state, r->offset);
		state_u64_set(state, r->offset, (old & ~(uint64_t)0xffffffffu) | value);
		break;
	case KIND_HIGH32:
		old = state_u64(state, r->offset);
		state_u64_set(state, r->offset, (old & 0xffffffffu) | value << 32);
		break;
	case KIND_BYTES:
		memory_copy(field, bytes, r->size);
		break;
	case KIND_U16:
		store_le(field, value, 2);
		break;
	case KIND_FOP:
		store_le(field, value & 0x7ff, 2);
		break;
	case KIND_FTAG:
		state->fpu.ftw = ftag_abridged(value);
		break;
	case KIND_ORIG_RAX:
		break;
	}
	return GDB_REGISTER_SET_OK;
}

void gdb_registers_get_all(struct cpu_state const *state, uint8_t *bytes)
{
	for (uint32_t n = 0; n < GDB_REGISTERS_COUNT; n++)
		bytes += gdb_register_get(state, n, bytes);
}

enum gdb_register_set gdb_registers_set_all(struct cpu_state *state, uint8_t const *bytes,
                                            size_t size)
{
	/* check first: a size inside a register changes nothing */
	size_t end = 0;
	uint32_t count = 0;
	while (end < size && count < GDB_REGISTERS_COUNT) end += gdb_registers[count++].size;
	if (end != size) return GDB_REGISTER_SET_WRONG_SIZE;
	for (uint32_t n = 0; n < count; n++) {
		enum gdb_register_set r = gdb_register_set(state, n, bytes, gdb_registers[n].size);
		if (r != GDB_REGISTER_SET_OK) return r; /* not reached: the sizes are the table's */
		bytes += gdb_registers[n].size;
	}
	return GDB_REGISTER_SET_OK;
}

/* ---- target.xml --------------------------------------------------------------------- */

struct gdb_text
{
	char *buffer;
	size_t size;
	size_t length; /* also beyond `size`: what it would take */
};

static void text_put(struct gdb_text *text, char const *s)
{
	for (; *s; s++, text->length++)
		if (text->length + 1 < text->size) text->buffer[text->length] = *s;
}

static void text_put_number(struct gdb_text *text, unsigned value)
{
	char digits[16];
	format_string(digits, sizeof(digits), "%u", value);
	text_put(text, digits);
}

/* the types each feature defines before its registers: GDB's own for amd64 */
static char const *const gdb_feature_names[] = {
	[FEATURE_CORE] = "org.gnu.gdb.i386.core",
	[FEATURE_SSE] = "org.gnu.gdb.i386.sse",
	[FEATURE_LINUX] = "org.gnu.gdb.i386.linux",
	[FEATURE_SEGMENTS] = "org.gnu.gdb.i386.segments",
};

static char const gdb_core_types[] =
    "<flags id=\"i386_eflags\" size=\"4\">"
    "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
    "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
    "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
    "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
    "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
    "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
    "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
    "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
    "<field name=\"ID\" start=\"21\" end=\"21\"/></flags>\n";

static char const gdb_sse_types[] =
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
    "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
    "<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
    "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
    "<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/>"
    "</union>\n"
    "<flags id=\"i386_mxcsr\" size=\"4\">"
    "<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
    "<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
    "<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
    "<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
    "<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
    "<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
    "<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>"
    "</flags>\n";

static char const *const gdb_feature_types[] = {
	[FEATURE_CORE] = gdb_core_types,
	[FEATURE_SSE] = gdb_sse_types,
	[FEATURE_LINUX] = "",
	[FEATURE_SEGMENTS] = "",
};

/*
 * One line per register, without indentation: about 5 KB, two of the 4 KiB
 * pieces that GDB asks for at a time (GDB's own files for amd64, included
 * one by one, take four). Every feature's first register carries its
 * number; the others follow on.
 */
size_t gdb_registers_target_xml(char *buffer, size_t size)
{
	struct gdb_text text = { buffer, size, 0 };
	text_put(&text, "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	                "<target><architecture>i386:x86-64</architecture>\n");
	for (uint32_t n = 0; n < GDB_REGISTERS_COUNT; n++) {
		struct gdb_register const *r = &gdb_registers[n];
		bool first = n == 0 || gdb_registers[n - 1].feature != r->feature;
		if (first) {
			if (n) text_put(&text, "</feature>\n");
			text_put(&text, "<feature name=\"");
			text_put(&text, gdb_feature_names[r->feature]);
			text_put(&text, "\">\n");
			text_put(&text, gdb_feature_types[r->feature]);
		}
		text_put(&text, "<reg name=\"");
		text_put(&text, r->name);
		text_put(&text, "\" bitsize=\"");
		text_put_number(&text, 8u * r->size);
		text_put(&text, "\" type=\"");
		text_put(&text, r->type);
		if (r->group) {
			text_put(&text, "\" group=\"");
			text_put(&text, r->group);
		}
		if (first) {
			text_put(&text, "\" regnum=\"");
			text_put_number(&text, n);
		}
		text_put(&text, "\"/>\n");
	}
	text_put(&text, "</feature>\n</target>\n");
	if (size) buffer[text.length < size ? text.length : size - 1] = 0;
	return text.length;
}
