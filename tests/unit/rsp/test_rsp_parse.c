/* SPDX-License-Identifier: MIT */
/**
 * \brief unit tests of the RSP argument parsers (gdb_monitor/include/rsp/parse.h):
 *        each packet's good forms and its malformed, out-of-range and
 *        unsupported ones; a failed parse leaves its output alone
 */

#include <rsp/parse.h>

#include "unit_test.h"

/* a literal as payload and length (the payload may hold NULs) */
#define LIT(s) s, sizeof(s) - 1

/* a parse that must fail with `result` and leave the output's bytes as they were */
#define CHECK_REFUSED(call, out, result)                                    \
	do {                                                                    \
		memset(&(out), 0xa5, sizeof(out));                                  \
		CHECK_EQ((call), (result));                                         \
		unsigned char const *b_ = (void *)&(out);                           \
		for (size_t i_ = 0; i_ < sizeof(out); i_++) CHECK_EQ(b_[i_], 0xa5); \
	} while (0)

static struct rsp_thread_id thread_id(char const *text)
{
	struct rsp_thread_id id;
	CHECK_EQ(rsp_parse_thread_id(text, strlen(text), &id), RSP_PARSE_OK);
	return id;
}

static void check_id(struct rsp_thread_id id, bool process_given, int64_t process,
                     int64_t thread)
{
	CHECK_EQ(id.process_given, process_given);
	CHECK_EQ(id.process, process);
	CHECK_EQ(id.thread, thread);
}

TEST(span_equal_compares_whole_spans)
{
	struct rsp_span span = { "readx", 4 };
	CHECK(rsp_span_equal(span, "read"));
	CHECK(!rsp_span_equal(span, "rea"));
	CHECK(!rsp_span_equal(span, "readx"));
	CHECK(rsp_span_equal((struct rsp_span){ "", 0 }, ""));
	CHECK(!rsp_span_equal((struct rsp_span){ "a\0b", 3 }, "a"));
}

TEST(thread_ids_plain_and_multiprocess)
{
	check_id(thread_id("1"), false, RSP_THREAD_ANY, 1);
	check_id(thread_id("-1"), false, RSP_THREAD_ANY, RSP_THREAD_ALL);
	check_id(thread_id("0"), false, RSP_THREAD_ANY, RSP_THREAD_ANY);
	check_id(thread_id("00000000000000000000002a"), false, RSP_THREAD_ANY, 0x2a);
	check_id(thread_id("7fffffffffffffff"), false, RSP_THREAD_ANY, INT64_MAX);
	check_id(thread_id("p1.2"), true, 1, 2);
	check_id(thread_id("pAb.cD"), true, 0xab, 0xcd);
	check_id(thread_id("p1"), true, 1, RSP_THREAD_ALL);
	check_id(thread_id("p-1"), true, RSP_THREAD_ALL, RSP_THREAD_ALL);
	check_id(thread_id("p-1.-1"), true, RSP_THREAD_ALL, RSP_THREAD_ALL);
	check_id(thread_id("p1.0"), true, 1, RSP_THREAD_ANY);
	check_id(thread_id("p0.0"), true, RSP_THREAD_ANY, RSP_THREAD_ANY);
}

TEST(malformed_and_oversized_thread_ids_are_refused)
{
	struct rsp_thread_id id;
	char const *const malformed[] = { "",    "-",    "-2",    "-10",   "--1",    "x",    "1 ",
		                              " 1",  "p",    "p.1",   "p1.",   "p1.2.3", "p1,2", "P1.2",
		                              "1.2", "-1.1", "p-2.1", "p1.-2", "pp1",    "+1" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_thread_id(malformed[i], strlen(malformed[i]), &id), id,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_thread_id(LIT("8000000000000000"), &id), id, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_thread_id(LIT("p10000000000000000.1"), &id), id, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_thread_id(LIT("p1.ffffffffffffffffffffffffffffffffffff"), &id), id,
	              RSP_PARSE_RANGE);
}

TEST(memory_reads_m_and_x)
{
	struct rsp_memory_read m;
	CHECK_EQ(rsp_parse_memory_read(LIT("m401000,40"), &m), RSP_PARSE_OK);
	CHECK(!m.binary);
	CHECK_EQ_U(m.address, 0x401000);
	CHECK_EQ_U(m.length, 0x40);
	CHECK_EQ(rsp_parse_memory_read(LIT("x7ffc0000,FFFF"), &m), RSP_PARSE_OK);
	CHECK(m.binary);
	CHECK_EQ_U(m.address, 0x7ffc0000);
	CHECK_EQ_U(m.length, 0xffff);
	CHECK_EQ(rsp_parse_memory_read(LIT("m0,0"), &m), RSP_PARSE_OK);
	CHECK_EQ_U(m.length, 0);
	CHECK_EQ(rsp_parse_memory_read(LIT("m000000000000000000000000001000,01"), &m),
	         RSP_PARSE_OK);
	CHECK_EQ_U(m.address, 0x1000);
}

TEST(memory_ranges_reach_the_last_byte_and_no_further)
{
	struct rsp_memory_read m;
	CHECK_EQ(rsp_parse_memory_read(LIT("mffffffffffffffff,1"), &m), RSP_PARSE_OK);
	CHECK_EQ(rsp_parse_memory_read(LIT("mffffffffffffffff,0"), &m), RSP_PARSE_OK);
	CHECK_EQ(rsp_parse_memory_read(LIT("m0,ffffffffffffffff"), &m), RSP_PARSE_OK);
	CHECK_EQ(rsp_parse_memory_read(LIT("m1,ffffffffffffffff"), &m), RSP_PARSE_OK);
	CHECK_REFUSED(rsp_parse_memory_read(LIT("mffffffffffffffff,2"), &m), m, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_memory_read(LIT("m2,ffffffffffffffff"), &m), m, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_memory_read(LIT("m10000000000000000,1"), &m), m, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_memory_read(LIT("m1,10000000000000000"), &m), m, RSP_PARSE_RANGE);
	CHECK_REFUSED(
	    rsp_parse_memory_read(LIT("mffffffffffffffffffffffffffffffffffffffffffffffff,1"), &m),
	    m, RSP_PARSE_RANGE);
}

TEST(malformed_memory_reads_are_refused)
{
	struct rsp_memory_read m;
	char const *const malformed[] = { "",          "m",         "x",         "m1000",
		                              "m1000,",    "m,10",      "m1000,10,", "m1000;10",
		                              "m 1000,10", "mg,1",      "m1000,10x", "M1000,10",
		                              "m-1,1",     "m1000,,10", "mm1000,10", "m1000,10:" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_memory_read(malformed[i], strlen(malformed[i]), &m), m,
		              RSP_PARSE_MALFORMED);
	/* the length counts: a NUL is not the end */
	CHECK_REFUSED(rsp_parse_memory_read(LIT("m1000,10\0"), &m), m, RSP_PARSE_MALFORMED);
}

TEST(memory_writes_with_hex_data)
{
	struct rsp_memory_write m;
	char const payload[] = "M401000,3:00aBff";
	CHECK_EQ(rsp_parse_memory_write(LIT(payload), &m), RSP_PARSE_OK);
	CHECK(!m.binary);
	CHECK_EQ_U(m.address, 0x401000);
	CHECK_EQ_U(m.length, 3);
	CHECK(m.data == payload + 10);
	CHECK_EQ(m.data_length, 6);
	CHECK_EQ(rsp_parse_memory_write(LIT("M10,0:"), &m), RSP_PARSE_OK);
	CHECK_EQ(m.data_length, 0);
}

TEST(memory_writes_with_binary_data_of_any_byte)
{
	struct rsp_memory_write m;
	char const payload[] = "X10,5::,\0#$";
	CHECK_EQ(rsp_parse_memory_write(LIT(payload), &m), RSP_PARSE_OK);
	CHECK(m.binary);
	CHECK_EQ_U(m.address, 0x10);
	CHECK_EQ_U(m.length, 5);
	CHECK(m.data == payload + 6);
	CHECK_EQ(m.data_length, 5);
	/* GDB's probe for X */
	CHECK_EQ(rsp_parse_memory_write(LIT("X401000,0:"), &m), RSP_PARSE_OK);
	CHECK_EQ_U(m.length, 0);
	CHECK_EQ(m.data_length, 0);
}

TEST(memory_writes_whose_data_does_not_match_are_refused)
{
	struct rsp_memory_write m;
	char const *const malformed[] = {
		"M1000,2:abc",
		"M1000,2:abcdef",
		"M1000,2:abcg",
		"M1000,2:ab cd",
		"M1000,2",
		"M1000,2abcd",
		"M1000:abcd",
		"M,2:abcd",
		"X1000,2:abc",
		"X1000,2:a",
		"X1000,2",
		"X1000,0",
		"m1000,2:abcd",
		"",
		"M",
		"X1000,1:",
	};
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_memory_write(malformed[i], strlen(malformed[i]), &m), m,
		              RSP_PARSE_MALFORMED);
	/* a length whose doubling would wrap is still only a mismatch */
	CHECK_REFUSED(rsp_parse_memory_write(LIT("M0,8000000000000001:00"), &m), m,
	              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_memory_write(LIT("Mffffffffffffffff,2:0000"), &m), m,
	              RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_memory_write(LIT("X1ffffffffffffffff,1:a"), &m), m,
	              RSP_PARSE_RANGE);
}

TEST(breakpoints_of_every_type)
{
	struct rsp_breakpoint b;
	CHECK_EQ(rsp_parse_breakpoint(LIT("Z0,401136,1"), &b), RSP_PARSE_OK);
	CHECK(b.insert);
	CHECK_EQ(b.type, RSP_BREAKPOINT_SOFTWARE);
	CHECK_EQ_U(b.address, 0x401136);
	CHECK_EQ_U(b.kind, 1);
	CHECK_EQ(rsp_parse_breakpoint(LIT("z1,401136,1"), &b), RSP_PARSE_OK);
	CHECK(!b.insert);
	CHECK_EQ(b.type, RSP_BREAKPOINT_HARDWARE);
	CHECK_EQ(rsp_parse_breakpoint(LIT("Z2,7ffc1000,8"), &b), RSP_PARSE_OK);
	CHECK_EQ(b.type, RSP_WATCHPOINT_WRITE);
	CHECK_EQ_U(b.kind, 8);
	CHECK_EQ(rsp_parse_breakpoint(LIT("Z3,0,4"), &b), RSP_PARSE_OK);
	CHECK_EQ(b.type, RSP_WATCHPOINT_READ);
	CHECK_EQ(rsp_parse_breakpoint(LIT("z4,ffffffffffffffff,2"), &b), RSP_PARSE_OK);
	CHECK_EQ(b.type, RSP_WATCHPOINT_ACCESS);
	CHECK_EQ_U(b.address, UINT64_MAX);
}

TEST(unknown_breakpoint_types_and_conditions_are_unsupported)
{
	struct rsp_breakpoint b;
	CHECK_REFUSED(rsp_parse_breakpoint(LIT("Z5,1000,1"), &b), b, RSP_PARSE_UNSUPPORTED);
	CHECK_REFUSED(rsp_parse_breakpoint(LIT("z10,1000,1"), &b), b, RSP_PARSE_UNSUPPORTED);
	CHECK_REFUSED(rsp_parse_breakpoint(LIT("Z0,1000,1;X2,ab01"), &b), b, RSP_PARSE_UNSUPPORTED);
	CHECK_REFUSED(rsp_parse_breakpoint(LIT("Z0,1000,1;cmds:0,X1,aa"), &b), b,
	              RSP_PARSE_UNSUPPORTED);
}

TEST(malformed_breakpoints_are_refused)
{
	struct rsp_breakpoint b;
	char const *const malformed[] = { "Z0,1000", "Z0,1000,",   "Z,1000,1",   "Z0;1000,1",
		                              "Y0,1,1",  "Z0,1000,1,", "Z0,,1",      "Z",
		                              "",        "Z0",         "Z0,1000,1x", "ZZ0,1,1" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_breakpoint(malformed[i], strlen(malformed[i]), &b), b,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_breakpoint(LIT("Z10000000000000000,1,1"), &b), b, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_breakpoint(LIT("Z0,1,10000000000000000"), &b), b, RSP_PARSE_RANGE);
}

TEST(register_reads_and_writes)
{
	uint32_t n;
	CHECK_EQ(rsp_parse_register_read(LIT("p10"), &n), RSP_PARSE_OK);
	CHECK_EQ(n, 16);
	CHECK_EQ(rsp_parse_register_read(LIT("pffffffff"), &n), RSP_PARSE_OK);
	CHECK_EQ_U(n, UINT32_MAX);

	struct rsp_register_write w;
	char const payload[] = "P10=0011223344556677";
	CHECK_EQ(rsp_parse_register_write(LIT(payload), &w), RSP_PARSE_OK);
	CHECK_EQ(w.number, 16);
	CHECK(w.value == payload + 4);
	CHECK_EQ(w.value_length, 16);
	CHECK_EQ(rsp_parse_register_write(LIT("P0=aB"), &w), RSP_PARSE_OK);
	CHECK_EQ(w.value_length, 2);
}

TEST(malformed_register_packets_are_refused)
{
	uint32_t n;
	char const *const reads[] = { "p", "p1x", "P1", "", "p 1", "p1,2", "p-1" };
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		CHECK_REFUSED(rsp_parse_register_read(reads[i], strlen(reads[i]), &n), n,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_register_read(LIT("p100000000"), &n), n, RSP_PARSE_RANGE);

	struct rsp_register_write w;
	char const *const writes[] = { "P10=",   "P10=abc", "P10=zz",  "P10", "P=00",
		                           "p10=00", "P10:00",  "P10=00 ", "" };
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		CHECK_REFUSED(rsp_parse_register_write(writes[i], strlen(writes[i]), &w), w,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_register_write(LIT("P100000000=00"), &w), w, RSP_PARSE_RANGE);
}

TEST(thread_selection_for_registers_and_resumption)
{
	struct rsp_thread_select s;
	CHECK_EQ(rsp_parse_thread_select(LIT("Hg0"), &s), RSP_PARSE_OK);
	CHECK_EQ(s.operation, 'g');
	check_id(s.thread, false, RSP_THREAD_ANY, RSP_THREAD_ANY);
	CHECK_EQ(rsp_parse_thread_select(LIT("Hc-1"), &s), RSP_PARSE_OK);
	CHECK_EQ(s.operation, 'c');
	check_id(s.thread, false, RSP_THREAD_ANY, RSP_THREAD_ALL);
	CHECK_EQ(rsp_parse_thread_select(LIT("Hgp2a.2b"), &s), RSP_PARSE_OK);
	check_id(s.thread, true, 0x2a, 0x2b);

	CHECK_REFUSED(rsp_parse_thread_select(LIT("Hs1"), &s), s, RSP_PARSE_UNSUPPORTED);
	char const *const malformed[] = { "H", "Hg", "H1", "Hg1x", "Hgp", "", "hg1", "H-1" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_thread_select(malformed[i], strlen(malformed[i]), &s), s,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_thread_select(LIT("Hg8000000000000000"), &s), s, RSP_PARSE_RANGE);
}

TEST(thread_alive_and_extra_info)
{
	struct rsp_thread_id id;
	CHECK_EQ(rsp_parse_thread_alive(LIT("T1f"), &id), RSP_PARSE_OK);
	check_id(id, false, RSP_THREAD_ANY, 0x1f);
	CHECK_EQ(rsp_parse_thread_alive(LIT("Tp1.2"), &id), RSP_PARSE_OK);
	check_id(id, true, 1, 2);
	CHECK_EQ(rsp_parse_thread_extra_info(LIT("qThreadExtraInfo,1a"), &id), RSP_PARSE_OK);
	check_id(id, false, RSP_THREAD_ANY, 0x1a);
	CHECK_EQ(rsp_parse_thread_extra_info(LIT("qThreadExtraInfo,p5.6"), &id), RSP_PARSE_OK);
	check_id(id, true, 5, 6);

	char const *const alive[] = { "T", "Tx", "T1 ", "t1", "" };
	for (size_t i = 0; i < sizeof(alive) / sizeof(alive[0]); i++)
		CHECK_REFUSED(rsp_parse_thread_alive(alive[i], strlen(alive[i]), &id), id,
		              RSP_PARSE_MALFORMED);
	char const *const extra[] = { "qThreadExtraInfo1", "qThreadExtraInfo,", "qThreadExtraInfo",
		                          "qThreadExtraInf,1", "qThreadExtraInfo,1,2" };
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		CHECK_REFUSED(rsp_parse_thread_extra_info(extra[i], strlen(extra[i]), &id), id,
		              RSP_PARSE_MALFORMED);
}

TEST(vcont_actions_in_order_with_threads_signals_and_a_default)
{
	struct rsp_vcont_action a[8];
	size_t count = 99;
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;c"), a, 8, &count), RSP_PARSE_OK);
	CHECK_EQ(count, 1);
	CHECK_EQ(a[0].kind, RSP_RESUME_CONTINUE);
	CHECK(!a[0].signal_given);
	CHECK(!a[0].thread_given);

	CHECK_EQ(rsp_parse_vcont(LIT("vCont;C05:p1.2;S0b:3;t:-1;s:p1.-1;c"), a, 8, &count),
	         RSP_PARSE_OK);
	CHECK_EQ(count, 5);
	CHECK_EQ(a[0].kind, RSP_RESUME_CONTINUE);
	CHECK(a[0].signal_given);
	CHECK_EQ(a[0].signal, 5);
	CHECK(a[0].thread_given);
	check_id(a[0].thread, true, 1, 2);
	CHECK_EQ(a[1].kind, RSP_RESUME_STEP);
	CHECK_EQ(a[1].signal, 0xb);
	check_id(a[1].thread, false, RSP_THREAD_ANY, 3);
	CHECK_EQ(a[2].kind, RSP_RESUME_STOP);
	check_id(a[2].thread, false, RSP_THREAD_ANY, RSP_THREAD_ALL);
	CHECK_EQ(a[3].kind, RSP_RESUME_STEP);
	CHECK(!a[3].signal_given);
	check_id(a[3].thread, true, 1, RSP_THREAD_ALL);
	CHECK_EQ(a[4].kind, RSP_RESUME_CONTINUE);
	CHECK(!a[4].thread_given);
}

TEST(vcont_with_more_actions_than_room_is_refused_and_the_array_untouched)
{
	struct rsp_vcont_action a[2];
	size_t count = 99;
	memset(a, 0x5a, sizeof(a));
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;s:1;s:2;c"), a, 2, &count), RSP_PARSE_RANGE);
	CHECK_EQ(count, 99);
	unsigned char const *bytes = (void *)a;
	for (size_t i = 0; i < sizeof(a); i++) CHECK_EQ(bytes[i], 0x5a);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;c"), a, 0, &count), RSP_PARSE_RANGE);
	/* a failure late in the packet leaves the array alone as well */
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;s:1;C1ff"), a, 2, &count), RSP_PARSE_RANGE);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;s:1;x"), a, 2, &count), RSP_PARSE_UNSUPPORTED);
	for (size_t i = 0; i < sizeof(a); i++) CHECK_EQ(bytes[i], 0x5a);
	CHECK_EQ(count, 99);
}

TEST(malformed_and_unsupported_vcont_is_refused)
{
	struct rsp_vcont_action a[4];
	size_t count = 99;
	char const *const malformed[] = { "vCont",      "vCont;",    "vCont?",    "vCont;c;",
		                              "vCont;c:",   "vCont;C",   "vCont;C:1", "vCont;cc",
		                              "vCont;c:1x", "vCont c",   "vCont;;c",  "vCont;c:1:2",
		                              "vcont;c",    "vCont;c,1", "",          "vCont;S;c" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_EQ(rsp_parse_vcont(malformed[i], strlen(malformed[i]), a, 4, &count),
		         RSP_PARSE_MALFORMED);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;C100"), a, 4, &count), RSP_PARSE_RANGE);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;c:8000000000000000"), a, 4, &count), RSP_PARSE_RANGE);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;c;x"), a, 4, &count), RSP_PARSE_UNSUPPORTED);
	CHECK_EQ(count, 99);
}

TEST(vcont_range_steps)
{
	struct rsp_vcont_action a[4];
	size_t count = 0;
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;r401000,40101a:p1.2;c"), a, 4, &count), RSP_PARSE_OK);
	CHECK_EQ(count, 2);
	CHECK_EQ(a[0].kind, RSP_RESUME_RANGE);
	CHECK_EQ(a[0].start, 0x401000);
	CHECK_EQ(a[0].end, 0x40101a);
	CHECK(!a[0].signal_given);
	check_id(a[0].thread, true, 1, 2);
	CHECK_EQ(a[1].kind, RSP_RESUME_CONTINUE);
	/* an empty range is a plain step; the whole address space is a range too */
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;r10,10:3"), a, 4, &count), RSP_PARSE_OK);
	CHECK_EQ(count, 1);
	CHECK_EQ(a[0].kind, RSP_RESUME_RANGE);
	CHECK_EQ(a[0].start, 0x10);
	CHECK_EQ(a[0].end, 0x10);
	CHECK(a[0].thread_given);
	check_id(a[0].thread, false, RSP_THREAD_ANY, 3);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;r0,ffffffffffffffff"), a, 4, &count), RSP_PARSE_OK);
	CHECK_EQ(count, 1);
	CHECK_EQ(a[0].kind, RSP_RESUME_RANGE);
	CHECK(!a[0].thread_given);
	CHECK_EQ(a[0].start, 0);
	CHECK_EQ(a[0].end, UINT64_MAX);

	count = 99;
	char const *const malformed[] = { "vCont;r",           "vCont;r1000",
		                              "vCont;r1000,",      "vCont;r,2000",
		                              "vCont;r2000,1000",  "vCont;r1000;2000",
		                              "vCont;r1000,2000x", "vCont;r1000,2000:" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_EQ(rsp_parse_vcont(malformed[i], strlen(malformed[i]), a, 4, &count),
		         RSP_PARSE_MALFORMED);
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;r1,10000000000000000"), a, 4, &count), RSP_PARSE_RANGE);
	CHECK_EQ(count, 99);
}

TEST(vcont_action_find_takes_the_leftmost_match)
{
	struct rsp_vcont_action a[4];
	size_t count;
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;s:p1.2;t:p2.-1;c:5"), a, 4, &count), RSP_PARSE_OK);
	CHECK_EQ(rsp_vcont_action_find(a, count, 1, 2), 0);
	CHECK_EQ(rsp_vcont_action_find(a, count, 2, 2), 1);
	CHECK_EQ(rsp_vcont_action_find(a, count, 2, 7), 1);
	CHECK_EQ(rsp_vcont_action_find(a, count, 1, 5), 2);
	CHECK_EQ(rsp_vcont_action_find(a, count, 9, 5), 2); /* no process given: any */
	CHECK_EQ(rsp_vcont_action_find(a, count, 1, 3), 3); /* none: stays stopped */

	CHECK_EQ(rsp_parse_vcont(LIT("vCont;s:3;c;s:4"), a, 4, &count), RSP_PARSE_OK);
	CHECK_EQ(rsp_vcont_action_find(a, count, 1, 3), 0);
	CHECK_EQ(rsp_vcont_action_find(a, count, 1, 4), 1); /* the default comes first */
	CHECK_EQ(rsp_parse_vcont(LIT("vCont;c:0"), a, 4, &count), RSP_PARSE_OK);
	CHECK_EQ(rsp_vcont_action_find(a, count, 1, 4), 0);
	CHECK_EQ(rsp_vcont_action_find(a, 0, 1, 4), 0);
}

TEST(old_resumption_packets)
{
	struct rsp_resume r;
	CHECK_EQ(rsp_parse_resume(LIT("c"), &r), RSP_PARSE_OK);
	CHECK_EQ(r.kind, RSP_RESUME_CONTINUE);
	CHECK(!r.signal_given);
	CHECK(!r.address_given);
	CHECK_EQ(rsp_parse_resume(LIT("s401000"), &r), RSP_PARSE_OK);
	CHECK_EQ(r.kind, RSP_RESUME_STEP);
	CHECK(r.address_given);
	CHECK_EQ_U(r.address, 0x401000);
	CHECK_EQ(rsp_parse_resume(LIT("C0b"), &r), RSP_PARSE_OK);
	CHECK_EQ(r.kind, RSP_RESUME_CONTINUE);
	CHECK(r.signal_given);
	CHECK_EQ(r.signal, 11);
	CHECK(!r.address_given);
	CHECK_EQ(rsp_parse_resume(LIT("S05;1000"), &r), RSP_PARSE_OK);
	CHECK_EQ(r.kind, RSP_RESUME_STEP);
	CHECK_EQ(r.signal, 5);
	CHECK(r.address_given);
	CHECK_EQ_U(r.address, 0x1000);

	char const *const malformed[] = { "",       "C",    "c;",       "Cxyz", "x",
		                              "c1000;", "C05;", "C05,1000", "s 1",  "t" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_resume(malformed[i], strlen(malformed[i]), &r), r,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_resume(LIT("C100"), &r), r, RSP_PARSE_RANGE);
	CHECK_REFUSED(rsp_parse_resume(LIT("c10000000000000000"), &r), r, RSP_PARSE_RANGE);
}

TEST(detach_and_kill)
{
	struct rsp_process p;
	CHECK_EQ(rsp_parse_detach(LIT("D"), &p), RSP_PARSE_OK);
	CHECK(!p.process_given);
	CHECK_EQ(rsp_parse_detach(LIT("D;1a"), &p), RSP_PARSE_OK);
	CHECK(p.process_given);
	CHECK_EQ_U(p.process, 0x1a);
	CHECK_EQ(rsp_parse_kill(LIT("vKill;2b"), &p), RSP_PARSE_OK);
	CHECK(p.process_given);
	CHECK_EQ_U(p.process, 0x2b);

	char const *const detach[] = { "D;", "D1", "D;1;", "", "d" };
	for (size_t i = 0; i < sizeof(detach) / sizeof(detach[0]); i++)
		CHECK_REFUSED(rsp_parse_detach(detach[i], strlen(detach[i]), &p), p,
		              RSP_PARSE_MALFORMED);
	char const *const kill[] = { "vKill", "vKill;", "vKill1", "vKill;1x", "k" };
	for (size_t i = 0; i < sizeof(kill) / sizeof(kill[0]); i++)
		CHECK_REFUSED(rsp_parse_kill(kill[i], strlen(kill[i]), &p), p, RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_kill(LIT("vKill;10000000000000000"), &p), p, RSP_PARSE_RANGE);
}

TEST(qxfer_reads)
{
	struct rsp_xfer_read x;
	CHECK_EQ(rsp_parse_xfer_read(LIT("qXfer:features:read:target.xml:0,ffb"), &x),
	         RSP_PARSE_OK);
	CHECK(rsp_span_equal(x.object, "features"));
	CHECK(rsp_span_equal(x.annex, "target.xml"));
	CHECK_EQ_U(x.offset, 0);
	CHECK_EQ_U(x.length, 0xffb);
	CHECK_EQ(rsp_parse_xfer_read(LIT("qXfer:threads:read::1000,fff"), &x), RSP_PARSE_OK);
	CHECK(rsp_span_equal(x.object, "threads"));
	CHECK_EQ(x.annex.length, 0);
	CHECK_EQ_U(x.offset, 0x1000);
	CHECK_EQ(
	    rsp_parse_xfer_read(LIT("qXfer:features:read:64bit-sse.xml:ffffffffffffffff,1"), &x),
	    RSP_PARSE_OK);
	CHECK(rsp_span_equal(x.annex, "64bit-sse.xml"));
	CHECK_EQ_U(x.offset, UINT64_MAX);
}

TEST(malformed_and_unsupported_qxfer_is_refused)
{
	struct rsp_xfer_read x;
	CHECK_REFUSED(rsp_parse_xfer_read(LIT("qXfer:features:write:target.xml:0:abc"), &x), x,
	              RSP_PARSE_UNSUPPORTED);
	CHECK_REFUSED(rsp_parse_xfer_read(LIT("qXfer:siginfo:write::0:"), &x), x,
	              RSP_PARSE_UNSUPPORTED);
	char const *const malformed[] = { "qXfer::read:a:0,1",
		                              "qXfer:features:read:target.xml:0",
		                              "qXfer:features:read:target.xml",
		                              "qXfer:features",
		                              "qXfer:features:",
		                              "qXfer:features:read",
		                              "qXfer:features:read:target.xml:0,ffb:",
		                              "qXfer:features:read:target.xml:,1",
		                              "qXfer:features:read:target.xml:0,",
		                              "qXfer",
		                              "qxfer:features:read:target.xml:0,1",
		                              "" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_xfer_read(malformed[i], strlen(malformed[i]), &x), x,
		              RSP_PARSE_MALFORMED);
	CHECK_REFUSED(rsp_parse_xfer_read(LIT("qXfer:features:read:a:10000000000000000,1"), &x), x,
	              RSP_PARSE_RANGE);
}

TEST(monitor_commands_are_decoded_into_the_callers_buffer)
{
	char command[8];
	size_t length = 99;
	CHECK_EQ(
	    rsp_parse_monitor_command(LIT("qRcmd,68656c70"), command, sizeof(command), &length),
	    RSP_PARSE_OK);
	CHECK_EQ(length, 4);
	CHECK_STR(command, "help");
	CHECK_EQ(rsp_parse_monitor_command(LIT("qRcmd,"), command, sizeof(command), &length),
	         RSP_PARSE_OK);
	CHECK_EQ(length, 0);
	CHECK_STR(command, "");
	CHECK_EQ(rsp_parse_monitor_command(LIT("qRcmd,6100"), command, sizeof(command), &length),
	         RSP_PARSE_OK);
	CHECK_EQ(length, 2);
	CHECK_MEM(command, "a\0", 3);
	/* exactly the buffer with its NUL */
	CHECK_EQ(rsp_parse_monitor_command(LIT("qRcmd,72656769"), command, 5, &length),
	         RSP_PARSE_OK);
	CHECK_STR(command, "regi");
}

TEST(malformed_and_too_long_monitor_commands_are_refused)
{
	char command[8];
	size_t length = 99;
	memset(command, 'z', sizeof(command));
	char const *const malformed[] = {
		"qRcmd,6", "qRcmd,zz", "qRcmd", "qRcmd68", "qRcmd,68 ", ""
	};
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_EQ(rsp_parse_monitor_command(malformed[i], strlen(malformed[i]), command,
		                                   sizeof(command), &length),
		         RSP_PARSE_MALFORMED);
	CHECK_EQ(rsp_parse_monitor_command(LIT("qRcmd,68656c70"), command, 4, &length),
	         RSP_PARSE_RANGE);
	CHECK_EQ(rsp_parse_monitor_command(LIT("qRcmd,"), command, 0, &length), RSP_PARSE_RANGE);
	CHECK_EQ(length, 99);
	for (size_t i = 0; i < sizeof(command); i++) CHECK_EQ(command[i], 'z');
}

static struct rsp_feature next_feature(struct rsp_features *f)
{
	struct rsp_feature feature;
	CHECK(rsp_features_next(f, &feature));
	return feature;
}

TEST(qsupported_features_of_every_form)
{
	struct rsp_features f;
	CHECK_EQ(rsp_parse_supported(LIT("qSupported:multiprocess+;swbreak+;xmlRegisters=i386;"
	                                 "fork-events-;qRelocInsn?;odd;a=b=c;empty="),
	                             &f),
	         RSP_PARSE_OK);
	struct rsp_feature x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "multiprocess"));
	CHECK_EQ(x.kind, RSP_FEATURE_SUPPORTED);
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "swbreak"));
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "xmlRegisters"));
	CHECK_EQ(x.kind, RSP_FEATURE_VALUE);
	CHECK(rsp_span_equal(x.value, "i386"));
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "fork-events"));
	CHECK_EQ(x.kind, RSP_FEATURE_UNSUPPORTED);
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "qRelocInsn"));
	CHECK_EQ(x.kind, RSP_FEATURE_QUERY);
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "odd"));
	CHECK_EQ(x.kind, RSP_FEATURE_BARE);
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "a"));
	CHECK(rsp_span_equal(x.value, "b=c"));
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "empty"));
	CHECK_EQ(x.kind, RSP_FEATURE_VALUE);
	CHECK_EQ(x.value.length, 0);

	struct rsp_feature unchanged = x;
	CHECK(!rsp_features_next(&f, &x));
	CHECK(!rsp_features_next(&f, &x));
	CHECK(x.name.data == unchanged.name.data);
}

TEST(qsupported_without_features_and_with_empty_or_nameless_ones)
{
	struct rsp_features f;
	struct rsp_feature x;
	CHECK_EQ(rsp_parse_supported(LIT("qSupported"), &f), RSP_PARSE_OK);
	CHECK(!rsp_features_next(&f, &x));
	CHECK_EQ(rsp_parse_supported(LIT("qSupported:"), &f), RSP_PARSE_OK);
	CHECK(!rsp_features_next(&f, &x));
	CHECK_EQ(rsp_parse_supported(LIT("qSupported:;;=x;+;-;?;;vContSupported+;;"), &f),
	         RSP_PARSE_OK);
	x = next_feature(&f);
	CHECK(rsp_span_equal(x.name, "vContSupported"));
	CHECK(!rsp_features_next(&f, &x));
}

TEST(malformed_qsupported_is_refused)
{
	struct rsp_features f;
	char const *const malformed[] = { "qSupportedX", "qSupporte", "qSupported;a+", "",
		                              "QSupported:a+" };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		CHECK_REFUSED(rsp_parse_supported(malformed[i], strlen(malformed[i]), &f), f,
		              RSP_PARSE_MALFORMED);
}
