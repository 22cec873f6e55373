/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of the GDB server's pure parts: the register codec
 *        against GDB's own numbers and offsets, target.xml, stop replies,
 *        the thread list, qXfer pieces and the qSupported answer
 */

#include <gdb_server/registers.h>
#include <gdb_server/reply.h>
#include <rsp/hex.h>
#include <util/string.h>
#include <util/xml.h>

#include "unit_test.h"

/*
 * What GDB 13 makes of the server's target.xml: `maint print
 * remote-registers` with `set tdesc filename` on the generated file (its
 * "Rmt Nr", size and "g/G Offset" columns, sorted by remote number).
 */
static struct
{
	char const *name;
	unsigned size, offset;
} const gdb_expected[GDB_REGISTERS_COUNT] = {
	{ "rax", 8, 0 },      { "rbx", 8, 8 },        { "rcx", 8, 16 },      { "rdx", 8, 24 },
	{ "rsi", 8, 32 },     { "rdi", 8, 40 },       { "rbp", 8, 48 },      { "rsp", 8, 56 },
	{ "r8", 8, 64 },      { "r9", 8, 72 },        { "r10", 8, 80 },      { "r11", 8, 88 },
	{ "r12", 8, 96 },     { "r13", 8, 104 },      { "r14", 8, 112 },     { "r15", 8, 120 },
	{ "rip", 8, 128 },    { "eflags", 4, 136 },   { "cs", 4, 140 },      { "ss", 4, 144 },
	{ "ds", 4, 148 },     { "es", 4, 152 },       { "fs", 4, 156 },      { "gs", 4, 160 },
	{ "st0", 10, 164 },   { "st1", 10, 174 },     { "st2", 10, 184 },    { "st3", 10, 194 },
	{ "st4", 10, 204 },   { "st5", 10, 214 },     { "st6", 10, 224 },    { "st7", 10, 234 },
	{ "fctrl", 4, 244 },  { "fstat", 4, 248 },    { "ftag", 4, 252 },    { "fiseg", 4, 256 },
	{ "fioff", 4, 260 },  { "foseg", 4, 264 },    { "fooff", 4, 268 },   { "fop", 4, 272 },
	{ "xmm0", 16, 276 },  { "xmm1", 16, 292 },    { "xmm2", 16, 308 },   { "xmm3", 16, 324 },
	{ "xmm4", 16, 340 },  { "xmm5", 16, 356 },    { "xmm6", 16, 372 },   { "xmm7", 16, 388 },
	{ "xmm8", 16, 404 },  { "xmm9", 16, 420 },    { "xmm10", 16, 436 },  { "xmm11", 16, 452 },
	{ "xmm12", 16, 468 }, { "xmm13", 16, 484 },   { "xmm14", 16, 500 },  { "xmm15", 16, 516 },
	{ "mxcsr", 4, 532 },  { "orig_rax", 8, 536 }, { "fs_base", 8, 544 }, { "gs_base", 8, 552 },
};

/* ---- helpers ------------------------------------------------------------------------ */

/* a state in which every byte differs, with consistent x87 registers */
static void state_pattern(struct cpu_state *s)
{
	uint8_t *bytes = (uint8_t *)s;
	for (size_t i = 0; i < sizeof(*s); i++) bytes[i] = (uint8_t)(i * 7 + 3);
}

/* the payload of a finished packet, through a reader (checks the frame and checksum) */
static char const *packet_payload(struct rsp_writer *writer, size_t *length)
{
	static char buffer[0x10000];
	static struct rsp_reader reader;
	struct rsp_packet p = rsp_writer_finish(writer);
	if (p.result != RSP_WRITE_OK) return 0;
	rsp_reader_init(&reader, buffer, sizeof(buffer));
	rsp_reader_set_acks(&reader, false);
	struct rsp_read r = rsp_reader_feed(&reader, p.data, p.length);
	if (r.event != RSP_READ_PACKET || r.consumed != p.length) return 0;
	*length = r.length;
	return r.payload;
}

static char writer_buffer[0x10010];

static struct rsp_writer writer_new(size_t size)
{
	struct rsp_writer w;
	rsp_writer_start(&w, writer_buffer, size);
	return w;
}

#define CHECK_PAYLOAD(writer, text)                              \
	do {                                                         \
		size_t length_;                                          \
		char const *payload_ = packet_payload(writer, &length_); \
		CHECK(payload_ != 0);                                    \
		CHECK_EQ_U(length_, string_length(text));                \
		CHECK_MEM(payload_, text, length_);                      \
	} while (0)

/* ---- the register table ------------------------------------------------------------- */

TEST(register_numbers_sizes_and_offsets_are_gdbs)
{
	unsigned total = 0;
	for (uint32_t n = 0; n < GDB_REGISTERS_COUNT; n++) {
		struct gdb_register_info info;
		CHECK(gdb_register_info(n, &info));
		CHECK_STR(info.name, gdb_expected[n].name);
		CHECK_EQ_U(info.size, gdb_expected[n].size);
		CHECK_EQ_U(info.g_offset, gdb_expected[n].offset);
		total += info.size;
	}
	CHECK_EQ_U(total, GDB_REGISTERS_G_SIZE);
	struct gdb_register_info info;
	CHECK(!gdb_register_info(GDB_REGISTERS_COUNT, &info));
	CHECK(!gdb_register_info(UINT32_MAX, &info));
}

TEST(named_register_constants_match_the_table)
{
	static struct
	{
		uint32_t number;
		char const *name;
	} const named[] = {
		{ GDB_REGISTER_RBP, "rbp" },         { GDB_REGISTER_RSP, "rsp" },
		{ GDB_REGISTER_RIP, "rip" },         { GDB_REGISTER_EFLAGS, "eflags" },
		{ GDB_REGISTER_ST0, "st0" },         { GDB_REGISTER_FCTRL, "fctrl" },
		{ GDB_REGISTER_FTAG, "ftag" },       { GDB_REGISTER_XMM0, "xmm0" },
		{ GDB_REGISTER_MXCSR, "mxcsr" },     { GDB_REGISTER_ORIG_RAX, "orig_rax" },
		{ GDB_REGISTER_FS_BASE, "fs_base" }, { GDB_REGISTER_GS_BASE, "gs_base" }
	};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		struct gdb_register_info info;
		CHECK(gdb_register_info(named[i].number, &info));
		CHECK_STR(info.name, named[i].name);
	}
}

TEST(general_registers_are_the_state_fields_little_endian)
{
	struct cpu_state s;
	memory_set(&s, 0, sizeof(s));
	s.rax = 0x1122334455667788ull;
	s.r15 = 0x0102030405060708ull;
	s.rip = 0xdeadbeefcafef00dull;
	s.fs_base = 0x7f0000001000ull;
	uint8_t bytes[GDB_REGISTERS_G_SIZE];
	gdb_registers_get_all(&s, bytes);
	static uint8_t const rax[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
	CHECK_MEM(bytes + 0, rax, 8);
	static uint8_t const r15[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	CHECK_MEM(bytes + 120, r15, 8);
	static uint8_t const rip[8] = { 0x0d, 0xf0, 0xfe, 0xca, 0xef, 0xbe, 0xad, 0xde };
	CHECK_MEM(bytes + 128, rip, 8);
	static uint8_t const fs_base[8] = { 0x00, 0x10, 0, 0, 0, 0x7f, 0, 0 };
	CHECK_MEM(bytes + 544, fs_base, 8);
}

TEST(every_register_round_trips_through_set_and_get)
{
	for (uint32_t n = 0; n < GDB_REGISTERS_COUNT; n++) {
		if (n == GDB_REGISTER_ORIG_RAX || n == GDB_REGISTER_FTAG) continue; /* below */
		struct gdb_register_info info;
		CHECK(gdb_register_info(n, &info));
		struct cpu_state s;
		state_pattern(&s);
		uint8_t value[GDB_REGISTER_SIZE_MAX], back[GDB_REGISTER_SIZE_MAX];
		for (unsigned i = 0; i < info.size; i++) value[i] = (uint8_t)(0xa0 + n + i);
		/* fctrl, fstat: 16 bits of FXSAVE; fop: 11 bits */
		if (n == 32 || n == 33 || n == 39) value[2] = value[3] = 0;
		if (n == 39) value[1] &= 0x07;
		CHECK_EQ(gdb_register_set(&s, n, value, info.size), GDB_REGISTER_SET_OK);
		CHECK_EQ_U(gdb_register_get(&s, n, back), info.size);
		CHECK_MEM(back, value, info.size);
	}
}

TEST(a_register_write_changes_only_its_own_bits)
{
	struct cpu_state s, before;
	state_pattern(&s);
	before = s;
	uint8_t eflags[4] = { 0x46, 0x02, 0, 0 };
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTER_EFLAGS, eflags, 4), GDB_REGISTER_SET_OK);
	CHECK_EQ_U(s.rflags, (before.rflags & 0xffffffff00000000ull) | 0x246);
	s.rflags = before.rflags;
	CHECK_MEM(&s, &before, sizeof(s));

	/* st3: 10 bytes of its 16-byte slot; the padding stays */
	uint8_t st[10];
	for (unsigned i = 0; i < 10; i++) st[i] = (uint8_t)(0xf0 + i);
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTER_ST0 + 3, st, 10), GDB_REGISTER_SET_OK);
	CHECK_MEM(s.fpu.st[3], st, 10);
	CHECK_MEM(s.fpu.st[3] + 10, before.fpu.st[3] + 10, 6);
	memory_copy(s.fpu.st[3], before.fpu.st[3], 10);
	CHECK_MEM(&s, &before, sizeof(s));

	/* cs: the lower half of its field */
	uint8_t cs[4] = { 0x33, 0, 0, 0 };
	CHECK_EQ(gdb_register_set(&s, 18, cs, 4), GDB_REGISTER_SET_OK);
	CHECK_EQ_U(s.cs, (before.cs & 0xffffffff00000000ull) | 0x33);
}

TEST(x87_pointers_are_the_halves_of_fip_and_fdp)
{
	struct cpu_state s;
	memory_set(&s, 0, sizeof(s));
	s.fpu.fip = 0x1111222233334444ull;
	s.fpu.fdp = 0x5555666677778888ull;
	s.fpu.fop = 0xffff;
	s.fpu.fcw = 0x037f;
	uint8_t b[4];
	CHECK_EQ_U(gdb_register_get(&s, 35, b), 4); /* fiseg */
	CHECK_EQ_U(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24, 0x11112222u);
	CHECK_EQ_U(gdb_register_get(&s, 36, b), 4); /* fioff */
	CHECK_EQ_U(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24, 0x33334444u);
	CHECK_EQ_U(gdb_register_get(&s, 37, b), 4); /* foseg */
	CHECK_EQ_U(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24, 0x55556666u);
	CHECK_EQ_U(gdb_register_get(&s, 38, b), 4); /* fooff */
	CHECK_EQ_U(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24, 0x77778888u);
	CHECK_EQ_U(gdb_register_get(&s, 39, b), 4); /* fop: 11 bits */
	CHECK_EQ_U(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24, 0x7ffu);
	CHECK_EQ_U(gdb_register_get(&s, GDB_REGISTER_FCTRL, b), 4);
	CHECK_EQ_U(b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24, 0x37fu);

	uint8_t seg[4] = { 0xaa, 0xbb, 0xcc, 0xdd };
	CHECK_EQ(gdb_register_set(&s, 35, seg, 4), GDB_REGISTER_SET_OK);
	CHECK_EQ_U(s.fpu.fip, 0xddccbbaa33334444ull);
	CHECK_EQ(gdb_register_set(&s, 38, seg, 4), GDB_REGISTER_SET_OK);
	CHECK_EQ_U(s.fpu.fdp, 0x55556666ddccbbaaull);
}

static void st_value(struct cpu_state *s, unsigned stack, uint64_t mantissa, unsigned exponent)
{
	for (unsigned i = 0; i < 8; i++) s->fpu.st[stack][i] = (uint8_t)(mantissa >> (8 * i));
	s->fpu.st[stack][8] = (uint8_t)exponent;
	s->fpu.st[stack][9] = (uint8_t)(exponent >> 8);
}

static unsigned ftag_read(struct cpu_state const *s)
{
	uint8_t b[4];
	if (gdb_register_get(s, GDB_REGISTER_FTAG, b) != 4) return ~0u;
	return b[0] | (unsigned)b[1] << 8 | (unsigned)b[2] << 16 | (unsigned)b[3] << 24;
}

TEST(ftag_is_the_full_tag_word_of_the_abridged_one)
{
	struct cpu_state s;
	memory_set(&s, 0, sizeof(s));
	CHECK_EQ_U(ftag_read(&s), 0xffff); /* all empty */

	/* top = 6: physical register p holds st((p - 6) mod 8) */
	s.fpu.fsw = 6 << 11;
	s.fpu.ftw = (1 << 6) | (1 << 7) | (1 << 0) | (1 << 1);
	st_value(&s, 0, 0x8000000000000000ull, 0x3fff); /* physical 6: 1.0, valid */
	st_value(&s, 1, 0, 0);                          /* physical 7: zero */
	st_value(&s, 2, 0xc000000000000000ull, 0x7fff); /* physical 0: NaN, special */
	st_value(&s, 3, 1, 0);                          /* physical 1: denormal, special */
	unsigned expected = (2u << 0) | (2u << 2) | (3u << 4) | (3u << 6) | (3u << 8) | (3u << 10) |
	                    (0u << 12) | (1u << 14);
	CHECK_EQ_U(ftag_read(&s), expected);

	/* written back: only empty or not matters to FXSAVE */
	uint8_t full[4] = { 0xff, 0x3f, 0, 0 }; /* physical 7 in use, the rest empty */
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTER_FTAG, full, 4), GDB_REGISTER_SET_OK);
	CHECK_EQ_U(s.fpu.ftw, 0x80);
}

TEST(orig_rax_reads_minus_one_and_ignores_writes)
{
	struct cpu_state s, before;
	state_pattern(&s);
	before = s;
	uint8_t b[8];
	CHECK_EQ_U(gdb_register_get(&s, GDB_REGISTER_ORIG_RAX, b), 8);
	static uint8_t const ones[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	CHECK_MEM(b, ones, 8);
	uint8_t zero[8] = { 0 };
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTER_ORIG_RAX, zero, 8), GDB_REGISTER_SET_OK);
	CHECK_MEM(&s, &before, sizeof(s));
}

TEST(unknown_numbers_and_wrong_sizes_change_nothing)
{
	struct cpu_state s, before;
	state_pattern(&s);
	before = s;
	uint8_t b[GDB_REGISTER_SIZE_MAX] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	CHECK_EQ_U(gdb_register_get(&s, GDB_REGISTERS_COUNT, b), 0);
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTERS_COUNT, b, 8), GDB_REGISTER_SET_UNKNOWN);
	CHECK_EQ(gdb_register_set(&s, 0, b, 4), GDB_REGISTER_SET_WRONG_SIZE);
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTER_EFLAGS, b, 8), GDB_REGISTER_SET_WRONG_SIZE);
	CHECK_EQ(gdb_register_set(&s, GDB_REGISTER_XMM0, b, 10), GDB_REGISTER_SET_WRONG_SIZE);
	CHECK_MEM(&s, &before, sizeof(s));
}

TEST(g_data_round_trips_through_G)
{
	struct cpu_state s, t;
	state_pattern(&s);
	/* a tag word that the abridged one can say: valid registers hold normal values */
	s.fpu.fsw = 0;
	s.fpu.ftw = 0x0f;
	for (unsigned i = 0; i < 8; i++) st_value(&s, i, 0x8000000000000001ull * (i + 1), 0x4000);
	s.fpu.fop &= 0x7ff;
	uint8_t g[GDB_REGISTERS_G_SIZE], back[GDB_REGISTERS_G_SIZE];
	gdb_registers_get_all(&s, g);
	memory_set(&t, 0, sizeof(t));
	CHECK_EQ(gdb_registers_set_all(&t, g, sizeof(g)), GDB_REGISTER_SET_OK);
	gdb_registers_get_all(&t, back);
	CHECK_MEM(back, g, sizeof(g));
	CHECK_EQ_U(t.rip, s.rip);
	CHECK_MEM(t.fpu.xmm, s.fpu.xmm, sizeof(s.fpu.xmm));
	CHECK_EQ_U(t.fpu.mxcsr, s.fpu.mxcsr);
	CHECK_EQ_U(t.fpu.ftw, 0x0f);
}

TEST(G_of_a_prefix_ending_at_a_register_writes_only_those)
{
	struct cpu_state s, t, before;
	state_pattern(&s);
	memory_set(&t, 0, sizeof(t));
	before = t;
	uint8_t g[GDB_REGISTERS_G_SIZE];
	gdb_registers_get_all(&s, g);
	/* rax..rip and eflags: 136 + 4 bytes */
	CHECK_EQ(gdb_registers_set_all(&t, g, 140), GDB_REGISTER_SET_OK);
	CHECK_EQ_U(t.rax, s.rax);
	CHECK_EQ_U(t.rip, s.rip);
	CHECK_EQ_U(t.rflags, s.rflags & 0xffffffffu);
	CHECK_EQ_U(t.cs, 0);
	/* inside a register, or longer than all of them: nothing */
	memory_copy(&t, &before, sizeof(t));
	CHECK_EQ(gdb_registers_set_all(&t, g, 139), GDB_REGISTER_SET_WRONG_SIZE);
	CHECK_EQ(gdb_registers_set_all(&t, g, 4), GDB_REGISTER_SET_WRONG_SIZE);
	static uint8_t longer[GDB_REGISTERS_G_SIZE + 8];
	CHECK_EQ(gdb_registers_set_all(&t, longer, sizeof(longer)), GDB_REGISTER_SET_WRONG_SIZE);
	CHECK_MEM(&t, &before, sizeof(t));
	CHECK_EQ(gdb_registers_set_all(&t, g, 0), GDB_REGISTER_SET_OK);
	CHECK_MEM(&t, &before, sizeof(t));
}

/* ---- target.xml --------------------------------------------------------------------- */

static char target_xml[0x4000];

TEST(target_xml_lists_the_table_in_order)
{
	size_t length = gdb_registers_target_xml(target_xml, sizeof(target_xml));
	CHECK(length < sizeof(target_xml));
	CHECK_EQ_U(string_length(target_xml), length);
	struct xml_parse_ret doc = xml_parse(target_xml, length);
	CHECK_EQ(doc.result, XML_PARSE_OK);
	CHECK(xml_node_has_type(doc.root, "target"));
	struct xml_node_ret arch = xml_node_sub_by_type(doc.root, "architecture");
	CHECK_EQ(arch.result, XML_ACCESS_OK);
	CHECK(memory_compare(arch.node.start, "<architecture>i386:x86-64</architecture>", 40) == 0);

	static char const *const features[] = { "org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse",
		                                    "org.gnu.gdb.i386.linux",
		                                    "org.gnu.gdb.i386.segments" };
	uint32_t number = 0;
	size_t feature_count = 0;
	for (size_t f = 0; f < xml_node_sub_count(doc.root); f++) {
		struct xml_node_ret node = xml_node_sub_at(doc.root, f);
		CHECK_EQ(node.result, XML_ACCESS_OK);
		if (!xml_node_has_type(node.node, "feature")) continue;
		struct xml_attribute_ret name = xml_node_attribute(node.node, "name");
		CHECK_EQ(name.result, XML_ACCESS_OK);
		CHECK(feature_count < 4 &&
		      xml_attribute_equals(name.attribute, features[feature_count]));
		feature_count++;
		for (size_t r = 0; r < xml_node_sub_count(node.node); r++) {
			struct xml_node_ret reg = xml_node_sub_at(node.node, r);
			CHECK_EQ(reg.result, XML_ACCESS_OK);
			if (!xml_node_has_type(reg.node, "reg")) continue;
			struct gdb_register_info info;
			CHECK(gdb_register_info(number, &info));
			char reg_name[32];
			CHECK_EQ(
			    xml_node_attribute_string(reg.node, "name", reg_name, sizeof(reg_name)).result,
			    XML_ACCESS_OK);
			CHECK_STR(reg_name, info.name);
			struct xml_unsigned_ret bits = xml_node_attribute_unsigned(reg.node, "bitsize");
			CHECK_EQ(bits.result, XML_ACCESS_OK);
			CHECK_EQ_U(bits.value, 8 * info.size);
			struct xml_unsigned_ret regnum = xml_node_attribute_unsigned(reg.node, "regnum");
			if (regnum.result == XML_ACCESS_OK) CHECK_EQ_U(regnum.value, number);
			CHECK(r > 0 || regnum.result == XML_ACCESS_OK); /* a feature says where it starts */
			CHECK(xml_node_has_attribute(reg.node, "type"));
			number++;
		}
	}
	CHECK_EQ_U(feature_count, 4);
	CHECK_EQ_U(number, GDB_REGISTERS_COUNT);
}

TEST(target_xml_too_small_a_buffer_gives_the_length_needed)
{
	size_t full = gdb_registers_target_xml(target_xml, sizeof(target_xml));
	char small[64];
	memory_set(small, 'x', sizeof(small));
	CHECK_EQ_U(gdb_registers_target_xml(small, sizeof(small)), full);
	CHECK_EQ_U(string_length(small), sizeof(small) - 1);
	CHECK_MEM(small, target_xml, sizeof(small) - 1);
	CHECK_EQ_U(gdb_registers_target_xml(0, 0), full);
	CHECK(full < 0x2000); /* GDB_SERVER_TARGET_XML_SIZE */
}

/* ---- stops -------------------------------------------------------------------------- */

TEST(stop_reasons_map_to_gdbs_signals)
{
	static struct
	{
		uint32_t reason;
		uint8_t signal;
		uint32_t why;
		bool fault;
	} const map[] = {
		{ RUN_CONTROL_STOP_INITIAL, GDB_SIGNAL_TRAP, GDB_STOP_WHY_NONE, false },
		{ RUN_CONTROL_STOP_INTERRUPT, GDB_SIGNAL_INT, GDB_STOP_WHY_NONE, false },
		{ RUN_CONTROL_STOP_STEP, GDB_SIGNAL_TRAP, GDB_STOP_WHY_NONE, false },
		{ RUN_CONTROL_STOP_SW_BREAKPOINT, GDB_SIGNAL_TRAP, GDB_STOP_WHY_SWBREAK, false },
		{ RUN_CONTROL_STOP_HW_BREAKPOINT, GDB_SIGNAL_TRAP, GDB_STOP_WHY_HWBREAK, false },
		{ RUN_CONTROL_STOP_TRAP, GDB_SIGNAL_TRAP, GDB_STOP_WHY_NONE, false },
		{ RUN_CONTROL_STOP_PAGE_FAULT, GDB_SIGNAL_SEGV, GDB_STOP_WHY_NONE, true },
		{ RUN_CONTROL_STOP_ILLEGAL, GDB_SIGNAL_ILL, GDB_STOP_WHY_NONE, true },
		{ RUN_CONTROL_STOP_ARITHMETIC, GDB_SIGNAL_FPE, GDB_STOP_WHY_NONE, true },
		{ RUN_CONTROL_STOP_BUS, GDB_SIGNAL_BUS, GDB_STOP_WHY_NONE, true },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		struct run_control_stop rc = { .reason = map[i].reason, .thread = 42, .ip = 0x1000 };
		struct gdb_stop s = gdb_stop_of(&rc, false);
		CHECK_EQ(s.kind, GDB_STOP_SIGNAL);
		CHECK_EQ(s.signal, map[i].signal);
		CHECK_EQ(s.why, map[i].why);
		CHECK_EQ(s.fault, map[i].fault);
		CHECK_EQ_U(s.thread, 42);
	}
	/* GDB's arrival at a running target is no Ctrl-C */
	struct run_control_stop rc = { .reason = RUN_CONTROL_STOP_INTERRUPT, .thread = 1 };
	CHECK_EQ(gdb_stop_of(&rc, true).signal, GDB_SIGNAL_TRAP);
	/* signal numbers are GDB's, not Linux's (SIGBUS is 7 there) */
	CHECK_EQ(GDB_SIGNAL_BUS, 10);
	CHECK_EQ(GDB_SIGNAL_SEGV, 11);
}

TEST(watchpoint_stops_name_kind_and_address)
{
	static uint32_t const watch[] = { RUN_CONTROL_WATCH_WRITE, RUN_CONTROL_WATCH_READ,
		                              RUN_CONTROL_WATCH_ACCESS };
	static uint32_t const why[] = { GDB_STOP_WHY_WATCH, GDB_STOP_WHY_RWATCH,
		                            GDB_STOP_WHY_AWATCH };
	static char const *const text[] = { "T05thread:3;watch:601040;",
		                                "T05thread:3;rwatch:601040;",
		                                "T05thread:3;awatch:601040;" };
	for (unsigned i = 0; i < 3; i++) {
		struct run_control_stop rc = { .reason = RUN_CONTROL_STOP_WATCHPOINT,
			                           .thread = 3,
			                           .address = 0x601040,
			                           .length = 4,
			                           .watch = watch[i] };
		struct gdb_stop s = gdb_stop_of(&rc, false);
		CHECK_EQ(s.why, why[i]);
		CHECK_EQ_U(s.address, 0x601040);
		struct rsp_writer w = writer_new(256);
		gdb_reply_stop(&w, &s, 0, (struct gdb_peer_features){ true, true });
		CHECK_PAYLOAD(&w, text[i]);
	}
}

TEST(stop_reply_expedites_rbp_rsp_rip)
{
	struct cpu_state s;
	memory_set(&s, 0, sizeof(s));
	s.rbp = 0x40100000ull;
	s.rsp = 0x400ffff0ull;
	s.rip = 0x1001234ull;
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL,
		                     .signal = GDB_SIGNAL_TRAP,
		                     .thread = 0x1f,
		                     .why = GDB_STOP_WHY_SWBREAK };
	struct rsp_writer w = writer_new(256);
	gdb_reply_stop(&w, &stop, &s, (struct gdb_peer_features){ true, true });
	CHECK_PAYLOAD(&w, "T05thread:1f;swbreak:;06:0000104000000000;07:f0ff0f4000000000;"
	                  "10:3412000100000000;");
}

TEST(stop_reasons_gdb_did_not_announce_are_left_out)
{
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL,
		                     .signal = GDB_SIGNAL_TRAP,
		                     .thread = 2,
		                     .why = GDB_STOP_WHY_SWBREAK };
	struct rsp_writer w = writer_new(256);
	gdb_reply_stop(&w, &stop, 0, (struct gdb_peer_features){ false, true });
	CHECK_PAYLOAD(&w, "T05thread:2;");
	stop.why = GDB_STOP_WHY_HWBREAK;
	w = writer_new(256);
	gdb_reply_stop(&w, &stop, 0, (struct gdb_peer_features){ true, false });
	CHECK_PAYLOAD(&w, "T05thread:2;");
	w = writer_new(256);
	gdb_reply_stop(&w, &stop, 0, (struct gdb_peer_features){ true, true });
	CHECK_PAYLOAD(&w, "T05thread:2;hwbreak:;");
}

TEST(exit_and_termination_replies)
{
	struct gdb_stop exited = { .kind = GDB_STOP_EXITED, .exit_code = 7 };
	struct rsp_writer w = writer_new(64);
	gdb_reply_stop(&w, &exited, 0, (struct gdb_peer_features){ true, true });
	CHECK_PAYLOAD(&w, "W07");
	struct gdb_stop killed = { .kind = GDB_STOP_TERMINATED, .signal = GDB_SIGNAL_KILL };
	w = writer_new(64);
	gdb_reply_stop(&w, &killed, 0, (struct gdb_peer_features){ true, true });
	CHECK_PAYLOAD(&w, "X09");
	struct gdb_stop segv = { .kind = GDB_STOP_TERMINATED, .signal = GDB_SIGNAL_SEGV };
	w = writer_new(64);
	gdb_reply_stop(&w, &segv, 0, (struct gdb_peer_features){ true, true });
	CHECK_PAYLOAD(&w, "X0b");
}

TEST(a_stop_reply_that_does_not_fit_fails_whole)
{
	struct cpu_state s;
	memory_set(&s, 0, sizeof(s));
	s.rbp = s.rsp = s.rip = 0x0123456789abcdefull; /* no runs to shorten them */
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGNAL_TRAP, .thread = 2 };
	struct rsp_writer w = writer_new(40);
	gdb_reply_stop(&w, &stop, &s, (struct gdb_peer_features){ true, true });
	CHECK_EQ(rsp_writer_finish(&w).result, RSP_WRITE_OVERFLOW);
}

/* ---- threads ------------------------------------------------------------------------ */

/* core's exception names a stop until run control classified it; then its reason does */
TEST(thread_states_in_words)
{
	enum { UNKNOWN = RUN_CONTROL_STOP_BUS + 1 }; /* no reason run control knows */
	enum { NONE = RUN_CONTROL_STOP_NONE };       /* not classified */
	static struct
	{
		bool started, stopped;
		uint32_t exception;
		uint32_t reason;
		char const *text;
	} const rows[] = {
		{ false, false, 0, NONE, "not started" },
		{ true, false, 0, NONE, "running" },
		{ true, false, 0, RUN_CONTROL_STOP_INITIAL, "running" },
		{ true, true, CPU_EXCEPTION_PAUSED, NONE, "paused" },
		{ true, true, CPU_EXCEPTION_BREAKPOINT, NONE, "breakpoint" },
		{ true, true, CPU_EXCEPTION_PAGE_FAULT, NONE, "page fault" },
		{ true, true, CPU_EXCEPTION_STEP, NONE, "stepped" },
		{ true, true, CPU_EXCEPTION_NONE, NONE, "paused" },
		{ true, true, 1000, NONE, "stopped" },
		{ true, true, CPU_EXCEPTION_BREAKPOINT, RUN_CONTROL_STOP_INITIAL, "at entry" },
		{ true, true, CPU_EXCEPTION_BREAKPOINT, RUN_CONTROL_STOP_TRAP, "trap" },
		{ true, true, CPU_EXCEPTION_WATCHPOINT, RUN_CONTROL_STOP_HW_BREAKPOINT, "breakpoint" },
		{ true, true, CPU_EXCEPTION_WATCHPOINT, RUN_CONTROL_STOP_WATCHPOINT, "watchpoint" },
		{ true, true, CPU_EXCEPTION_WATCHPOINT, UNKNOWN, "watchpoint" },
		{ true, true, CPU_EXCEPTION_WATCHPOINT, NONE, "watchpoint" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct run_control_thread t = { .id = 1,
			                            .started = rows[i].started,
			                            .stopped = rows[i].stopped,
			                            .exception = rows[i].exception,
			                            .reason = rows[i].reason };
		CHECK_STR(gdb_thread_state_text(&t), rows[i].text);
	}
}

TEST(threads_xml_has_ids_names_and_states_escaped)
{
	struct run_control_thread t[2];
	memory_set(t, 0, sizeof(t));
	t[0] = (struct run_control_thread){
		.id = 0x2a, .started = true, .stopped = true, .exception = CPU_EXCEPTION_BREAKPOINT
	};
	string_copy(t[0].name, "main", sizeof(t[0].name));
	t[1] = (struct run_control_thread){
		.id = 0x2b, .started = true, .stopped = true, .exception = CPU_EXCEPTION_PAUSED
	};
	string_copy(t[1].name, "a<b>&\"c'\td", sizeof(t[1].name));
	char xml[512];
	size_t n = gdb_reply_threads_xml(xml, sizeof(xml), t, 2);
	char const expected[] = "<threads>\n"
	                        "<thread id=\"2a\" name=\"main\">breakpoint</thread>\n"
	                        "<thread id=\"2b\" name=\"a&lt;b&gt;&amp;&quot;c&apos;?d\">paused"
	                        "</thread>\n"
	                        "</threads>\n";
	CHECK_EQ_U(n, sizeof(expected) - 1);
	CHECK_STR(xml, expected);
	CHECK_EQ(xml_parse(xml, n).result, XML_PARSE_OK);

	/* a name that fills its whole field (no NUL) is read no further */
	memory_set(t[0].name, 'n', sizeof(t[0].name));
	n = gdb_reply_threads_xml(xml, sizeof(xml), t, 1);
	CHECK_EQ_U(n, string_length("<threads>\n<thread id=\"2a\" name=\"\">breakpoint</thread>\n"
	                            "</threads>\n") +
	                  sizeof(t[0].name));
}

TEST(threads_xml_too_small_a_buffer_gives_the_length_needed)
{
	struct run_control_thread t = { .id = 1, .started = true };
	string_copy(t.name, "main", sizeof(t.name));
	char big[256], small[16];
	size_t full = gdb_reply_threads_xml(big, sizeof(big), &t, 1);
	CHECK_EQ_U(gdb_reply_threads_xml(small, sizeof(small), &t, 1), full);
	CHECK_EQ_U(string_length(small), sizeof(small) - 1);
	CHECK_MEM(small, big, sizeof(small) - 1);
	CHECK_EQ_U(gdb_reply_threads_xml(big, sizeof(big), &t, 0),
	           string_length("<threads>\n</threads>\n"));
}

/* ---- qXfer, qSupported -------------------------------------------------------------- */

static struct rsp_xfer_read xfer(uint64_t offset, uint64_t length)
{
	return (struct rsp_xfer_read){ .offset = offset, .length = length };
}

TEST(xfer_whole_object_in_one_piece_is_l)
{
	char const object[] = "<threads></threads>";
	struct rsp_xfer_read r = xfer(0, 0x1000);
	struct rsp_writer w = writer_new(256);
	gdb_reply_xfer(&w, object, sizeof(object) - 1, &r);
	CHECK_PAYLOAD(&w, "l<threads></threads>");
}

TEST(xfer_pieces_are_m_until_the_last)
{
	char const object[] = "0123456789";
	struct rsp_xfer_read r = xfer(0, 4);
	struct rsp_writer w = writer_new(64);
	gdb_reply_xfer(&w, object, 10, &r);
	CHECK_PAYLOAD(&w, "m0123");
	r = xfer(4, 4);
	w = writer_new(64);
	gdb_reply_xfer(&w, object, 10, &r);
	CHECK_PAYLOAD(&w, "m4567");
	r = xfer(8, 4);
	w = writer_new(64);
	gdb_reply_xfer(&w, object, 10, &r);
	CHECK_PAYLOAD(&w, "l89");
	r = xfer(6, 4); /* exactly the rest */
	w = writer_new(64);
	gdb_reply_xfer(&w, object, 10, &r);
	CHECK_PAYLOAD(&w, "l6789");
	r = xfer(10, 4);
	w = writer_new(64);
	gdb_reply_xfer(&w, object, 10, &r);
	CHECK_PAYLOAD(&w, "l");
	r = xfer(UINT64_MAX, 4);
	w = writer_new(64);
	gdb_reply_xfer(&w, object, 10, &r);
	CHECK_PAYLOAD(&w, "l");
}

TEST(xfer_counts_escapes_against_the_packet)
{
	/* 8 payload bytes: the prefix and 7 more; each of "$#}*" takes two */
	char const object[] = "a$b#c}d*e";
	struct rsp_xfer_read r = xfer(0, 100);
	struct rsp_writer w = writer_new(8 + RSP_FRAME_OVERHEAD);
	gdb_reply_xfer(&w, object, 9, &r);
	CHECK_PAYLOAD(&w, "ma$b#c"); /* a, $$, b, ## , c: 7 */
	r = xfer(5, 100);
	w = writer_new(8 + RSP_FRAME_OVERHEAD);
	gdb_reply_xfer(&w, object, 9, &r);
	CHECK_PAYLOAD(&w, "l}d*e");
}

TEST(supported_answer_names_the_features)
{
	struct rsp_writer w = writer_new(512);
	gdb_reply_supported(&w, 0x10000);
	CHECK_PAYLOAD(&w, "PacketSize=10000;qXfer:features:read+;qXfer:threads:read+;"
	                  "qXfer:memory-map:read+;QStartNoAckMode+;swbreak+;hwbreak+;"
	                  "vContSupported+;binary-upload+");
}

TEST(peer_features_are_read_from_qsupported)
{
	static char const packet[] = "qSupported:multiprocess+;swbreak+;hwbreak-;qRelocInsn+;"
	                             "xmlRegisters=i386;vContSupported+";
	struct rsp_features f;
	CHECK_EQ(rsp_parse_supported(packet, sizeof(packet) - 1, &f), RSP_PARSE_OK);
	struct gdb_peer_features peer = gdb_peer_features_of(f);
	CHECK(peer.swbreak);
	CHECK(!peer.hwbreak);
	CHECK_EQ(rsp_parse_supported("qSupported", 10, &f), RSP_PARSE_OK);
	peer = gdb_peer_features_of(f);
	CHECK(!peer.swbreak && !peer.hwbreak);
}
