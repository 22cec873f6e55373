/* SPDX-License-Identifier: MIT */
/**
 * \brief test-gdb_server: the GDB server debugging test-gdb_monitor, driven
 *        packet by packet as GDB drives it, through a loopback transport
 *        (run/gdb_server.run)
 *
 * Every reply is checked against what GDB must get: the connection's
 * packets, target.xml in two pieces, the initial stop at the entry point
 * with expedited registers, registers and memory, a software breakpoint
 * with a three-frame stack, a step, range steps, threads with names, a hardware
 * breakpoint, a watchpoint, Ctrl-C, the monitor commands, the target's
 * fault and its end by the passed signal, a restart, detach and arrival at
 * a running target, a kill, an exit, bad and cut packets, input in single
 * bytes, and output through a transport that takes 7 bytes at a time. Every
 * check that fails panics.
 */

#include <base/log.h>
#include <base/panic.h>
#include <cpu_session/cpu_session.h>
#include <gdb_server/registers.h>
#include <util/format.h>
#include <util/string.h>

#include "session.h"

static char const target_name[] = "test-gdb_monitor";
static char const target_config[] = "<config fault=\"segv\"/>";

struct symbols
{
	uint64_t main, level_one, level_two, level_three, add, busy_loop, fault_segv, helper;
	uint64_t string, integer, watched, go, spins, adds;
};

static struct session s;
static struct symbols sym;

static uint64_t symbol(char const *name)
{
	return test_parent_symbol(s.parent.env, target_name, name);
}

static char const *packet(char const *format, ...) __attribute__((format(printf, 1, 2)));

/* a packet's text, formatted (four buffers in turn: a request and its reply at once) */
static char const *packet(char const *format, ...)
{
	static char texts[4][2048];
	static unsigned next;
	char *text = texts[next++ % 4];
	va_list args;
	va_start(args, format);
	format_vstring(text, sizeof(texts[0]), format, args);
	va_end(args);
	return text;
}

static uint64_t read_u64(uint64_t address)
{
	char const *r = session_exchange(&s, packet("m%lx,8", (unsigned long)address));
	if (string_length(r) != 16)
		panic("m of 8 bytes at 0x%lx: \"%s\"", (unsigned long)address, r);
	return session_le(r, 8);
}

/* the target's memory while it runs, past the wire (GDB would not ask then) */
static uint64_t peek_u64(uint64_t address)
{
	uint64_t value = 0;
	if (run_control_memory_read(s.server.run, address, &value, 8).result != CHILD_MEMORY_OK)
		panic("peek at 0x%lx", (unsigned long)address);
	return value;
}

static void write_u32(uint64_t address, uint32_t value)
{
	char hex[9];
	session_le_hex(hex, value, 4);
	session_expect(&s, packet("M%lx,4:%s", (unsigned long)address, hex), "OK");
}

static struct session_stop stop_of(char const *payload)
{
	return session_stop_parse(session_exchange(&s, payload));
}

/* continue until a stop with reason `why` (stale stops of other threads may come first) */
static struct session_stop continue_until(char const *why)
{
	for (unsigned i = 0; i < 16; i++) {
		struct session_stop stop = stop_of("vCont;c");
		expect(stop.kind == 'T', "a stop, not an end");
		if (string_equal(stop.why, why)) return stop;
		log_info("(a stop \"%s\" of thread %lx at %lx came first)", stop.why,
		         (unsigned long)stop.thread, (unsigned long)stop.rip);
	}
	panic("no stop \"%s\"", why);
}

/* the id of the thread named `name`, from the thread list GDB reads; 0 if not listed */
static uint64_t thread_listed(char const *name)
{
	char const *xml = session_expect_prefix(&s, "qXfer:threads:read::0,1000", "l<threads>");
	char pattern[64];
	format_string(pattern, sizeof(pattern), "\" name=\"%s\">", name);
	size_t n = string_length(pattern);
	for (char const *p = xml; *p; p++) {
		if (string_compare_n(p, pattern, n) != 0) continue;
		char const *id = p;
		while (id > xml && id[-1] != '"') id--;
		uint64_t value = 0;
		while (ascii_is_hex_digit(*id))
			value = value << 4 | (uint64_t)ascii_hex_digit_value(*id++);
		return value;
	}
	return 0;
}

static uint64_t thread_named(char const *name)
{
	uint64_t id = thread_listed(name);
	if (!id) panic("no thread \"%s\" in the list", name);
	return id;
}

/* ---- the steps ---------------------------------------------------------------------- */

static void check_connection(void)
{
	session_connect(&s);
	expect(gdb_server_connect(&s.server) == GDB_SERVER_BUSY, "a second connection refused");
	session_expect(&s, "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;vContSupported+",
	               "PacketSize=10000;qXfer:features:read+;qXfer:threads:read+;"
	               "qXfer:memory-map:read+;QStartNoAckMode+;swbreak+;hwbreak+;"
	               "vContSupported+;binary-upload+");
	session_expect(&s, "vMustReplyEmpty", "");

	/* in acknowledgement mode: a bad checksum is NAKed, a NAK gets the reply again */
	session_send_raw(&s, "$qC#00", 6);
	expect(s.loop.length == 1 && s.loop.data[0] == '-', "a bad checksum NAKed");
	s.loop.length = 0;
	session_send_raw(&s, "garbage", 7);
	expect(s.loop.length == 0, "garbage between packets ignored");
	session_expect(&s, "qAttached", "1");
	session_send_raw(&s, "-", 1);
	expect(string_equal(session_reply(&s), "1"), "the reply sent again on a NAK");

	session_expect(&s, "QStartNoAckMode", "OK");
	s.acks = false;
	rsp_reader_set_acks(&s.reader, false);
	session_send_raw(&s, "+", 1); /* GDB's ack of the OK */
	session_send(&s, "qAttached", 9);
	expect(s.loop.data[0] == '$', "no acknowledgement in no-ack mode");
	expect(string_equal(session_reply(&s), "1"), "qAttached");
	log_info("connection: qSupported, acknowledgements, a NAKed checksum, a resent reply, "
	         "no-ack mode");
}

static void check_target_xml(void)
{
	static char expected[GDB_SERVER_TARGET_XML_SIZE], got[GDB_SERVER_TARGET_XML_SIZE];
	size_t length = gdb_registers_target_xml(expected, sizeof(expected));
	char const *r = session_expect_prefix(&s, "qXfer:features:read:target.xml:0,1000", "m");
	expect(string_length(r) == 1 + 0x1000, "a first piece of 4 KiB");
	memory_copy(got, r + 1, 0x1000);
	r = session_expect_prefix(&s, "qXfer:features:read:target.xml:1000,1000", "l");
	expect(0x1000 + string_length(r + 1) == length, "the rest in the second piece");
	memory_copy(got + 0x1000, r + 1, length - 0x1000);
	expect(memory_compare(got, expected, length) == 0, "target.xml as generated");
	session_expect(&s, "qXfer:features:read:other.xml:0,1000", "E01");
	session_expect(&s, "qXfer:auxv:read::0,1000", "");
	r = session_expect_prefix(&s, "qXfer:memory-map:read::0,1000", "l<?xml");
	expect(string_find_char(r, '<') && string_length(r) > 40, "a memory map");
	log_info("target.xml: %zu bytes in two pieces, as generated", length);
}

static uint64_t check_initial_stop(void)
{
	struct session_stop stop = stop_of("?");
	uint64_t entry = s.server.child.child.process.entry;
	expect(stop.kind == 'T' && stop.value == 5, "the initial stop is a SIGTRAP");
	expect(stop.expedited && stop.rip == entry, "rip expedited, at the entry point");
	expect(stop.why[0] == 0, "no reason for the initial stop");
	session_expect(&s, packet("qC"), packet("QC%lx", (unsigned long)stop.thread));
	expect(thread_named("main") == stop.thread, "the thread is main");
	session_expect(&s, "qfThreadInfo", packet("m%lx", (unsigned long)stop.thread));
	session_expect(&s, "qsThreadInfo", "l");
	log_info("initial stop: SIGTRAP, thread main, rip 0x%lx the entry point",
	         (unsigned long)entry);
	return stop.thread;
}

static void check_queries(uint64_t main_thread)
{
	session_expect(&s, "qSymbol::", "OK");
	session_expect(&s, "qTStatus", "");
	session_expect(&s, "qOffsets", "");
	session_expect(&s, "qNonsense", "");
	session_expect(&s, "!", "");
	session_expect(&s, "vCont?", "vCont;c;C;s;S;t;r");
	session_expect(&s, "Hg0", "OK");
	session_expect(&s, packet("Hg%lx", (unsigned long)main_thread), "OK");
	session_expect(&s, "Hg7fffffff", "E02");
	session_expect(&s, "Hc-1", "OK");
	session_expect(&s, packet("T%lx", (unsigned long)main_thread), "OK");
	session_expect(&s, "T7fffffff", "E02");
	session_expect(&s, "Hx1", "");
	session_expect(&s, "m1000", "E01");
	session_expect(&s, "vCont;x1", "");
	log_info("queries: qSymbol, unknown packets empty, H and T of known and unknown threads");
}

static void check_registers(uint64_t main_thread)
{
	static char g[2 * GDB_REGISTERS_G_SIZE + 1];
	uint64_t entry = s.server.child.child.process.entry;
	char const *r = session_exchange(&s, "g");
	expect(string_length(r) == 2 * GDB_REGISTERS_G_SIZE, "g has every register");
	string_copy(g, r, sizeof(g));
	expect(session_le(g + 2 * 128, 8) == entry, "rip in g at GDB's offset");
	char rip[17];
	session_le_hex(rip, entry, 8);
	session_expect(&s, "p10", rip);
	r = session_exchange(&s, "p28"); /* xmm0 */
	expect(string_length(r) == 32, "xmm0 has 16 bytes");

	session_expect(&s, "P0=8877665544332211", "OK");
	session_expect(&s, "p0", "8877665544332211");
	session_expect(&s, packet("G%s", g), "OK");
	session_expect(&s, "p0", packet("%.16s", g));
	session_expect(&s, "P0=1122", "E01");
	session_expect(&s, "P64=1122334455667788", "E01");
	session_expect(&s, "p64", "E01");
	session_expect(&s, "G0011", "E01");
	(void)main_thread;
	log_info("registers: g with rip at offset 128, p/P of rax, G of what g gave, bad sizes "
	         "refused");
}

static void check_memory(void)
{
	char hex[80];
	session_hex(hex, sizeof(hex), "hello vitrine");
	session_expect(&s, packet("m%lx,d", (unsigned long)sym.string), hex);
	session_expect(&s, packet("x%lx,d", (unsigned long)sym.string), "bhello vitrine");
	session_expect(&s, packet("x%lx,0", (unsigned long)sym.string), "b");

	expect(read_u64(sym.integer) % (1ull << 32) == 42, "gdb_int is 42");
	write_u32(sym.integer, 7);
	expect(read_u64(sym.integer) % (1ull << 32) == 7, "gdb_int written");
	write_u32(sym.integer, 42);

	char x[64];
	size_t n = (size_t)format_string(x, sizeof(x), "X%lx,5:HE$#}", (unsigned long)sym.string);
	session_send(&s, x, n);
	expect(string_equal(session_reply(&s), "OK"), "X with escaped bytes");
	session_expect(&s, packet("x%lx,5", (unsigned long)sym.string), "bHE$#}");
	session_expect(&s, packet("X%lx,5:hello", (unsigned long)sym.string), "OK");
	session_expect(&s, packet("X%lx,0:", (unsigned long)sym.string), "OK");

	session_expect(&s, "m10,8", "E0e");
	session_expect(&s, "M10,1:00", "E0e");
	uint64_t stack_end = ENV_STACK_AREA_START + ENV_STACK_SLOT_SIZE;
	char const *r = session_exchange(&s, packet("m%lx,10", (unsigned long)(stack_end - 8)));
	expect(string_length(r) == 16, "a read across the stack's end gives its 8 bytes");
	r = session_exchange(
	    &s, packet("m%lx,ffffffff", (unsigned long)(stack_end - ENV_MAIN_STACK_SIZE)));
	expect(string_length(r) == GDB_SERVER_PACKET_SIZE, "a long read fills one packet");
	log_info("memory: m, x, M, X (escaped), unmapped E0e, a short read at the stack's end, a "
	         "full packet");
}

/* where main's calls return to, as check_breakpoint found them on the stack */
struct returns
{
	uint64_t into_two, into_one;
};

static struct returns check_breakpoint(uint64_t main_thread)
{
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.level_three), "OK");
	char const *r = session_exchange(&s, packet("m%lx,1", (unsigned long)sym.level_three));
	expect(!string_equal(r, "cc"), "the int3 hidden from reads");
	struct session_stop stop = continue_until("swbreak");
	expect(stop.value == 5 && stop.thread == main_thread, "main hit the breakpoint");
	expect(stop.rip == sym.level_three, "rip at gdb_level_three");

	/* the stack: return into level_two, level_two's frame returns into level_one, then main */
	uint64_t into_two = read_u64(stop.rsp);
	uint64_t into_one = read_u64(stop.rbp + 8);
	uint64_t into_main = read_u64(read_u64(stop.rbp) + 8);
	expect(into_two > sym.level_two && into_two < sym.level_two + 0x80, "into gdb_level_two");
	expect(into_one > sym.level_one && into_one < sym.level_one + 0x80, "into gdb_level_one");
	expect(into_main > sym.main && into_main < sym.main + 0x400, "into main");
	log_info("breakpoint: main at gdb_level_three, called from gdb_level_two, gdb_level_one, "
	         "main");

	session_expect(&s, packet("z0,%lx,1", (unsigned long)sym.level_three), "OK");
	session_expect(&s, packet("z0,%lx,1", (unsigned long)sym.level_three), "OK");
	stop = stop_of(packet("vCont;s:%lx", (unsigned long)main_thread));
	expect(stop.kind == 'T' && stop.value == 5 && stop.why[0] == 0, "a step's stop");
	expect(stop.thread == main_thread && stop.rip > sym.level_three &&
	           stop.rip < sym.level_three + 8,
	       "one instruction further");
	log_info("step: one instruction of main");
	return (struct returns){ into_two, into_one };
}

/* a range step of `thread`, the others continuing (as GDB's `next` has it) */
static void range_step_start(uint64_t thread, uint64_t start, uint64_t end)
{
	char const *p = packet("vCont;r%lx,%lx:%lx;c", (unsigned long)start, (unsigned long)end,
	                       (unsigned long)thread);
	session_send(&s, p, string_length(p));
}

/* one range step of main: its stop */
static struct session_stop range_step(uint64_t main_thread, uint64_t start, uint64_t end)
{
	range_step_start(main_thread, start, end);
	return session_stop_parse(session_reply(&s));
}

/*
 * Range stepping, main in gdb_level_three (one instruction in): the range of
 * gdb_level_three and gdb_level_two (built in that order, -O0) with a
 * breakpoint where level_three returns into level_two: main steps through
 * the rest of level_three unreported and stops at that address, before the
 * int3 (a step's stop, not swbreak, as gdbserver reports it); then without the
 * breakpoint through the rest of level_two, out of the range into level_one.
 * An empty range is one step.
 */
static void check_range_step(uint64_t main_thread, struct returns returns)
{
	expect(sym.level_three < sym.level_two && sym.level_two < sym.level_one &&
	           returns.into_two > sym.level_two && returns.into_two < sym.level_one,
	       "gdb_level_three, gdb_level_two and gdb_level_one in this order");
	uint64_t steps = run_control_stats(s.server.run).range_steps;
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)returns.into_two), "OK");
	struct session_stop stop = range_step(main_thread, sym.level_three, sym.level_one);
	expect(stop.kind == 'T' && stop.value == 5 && stop.why[0] == 0 &&
	           stop.thread == main_thread && stop.rip == returns.into_two,
	       "a step's stop at the breakpoint in the range");
	uint64_t within_three = run_control_stats(s.server.run).range_steps - steps;
	expect(within_three >= 3, "the instructions of level_three stepped unreported");
	session_expect(&s, packet("z0,%lx,1", (unsigned long)returns.into_two), "OK");

	stop = range_step(main_thread, sym.level_three, sym.level_one);
	expect(stop.kind == 'T' && stop.value == 5 && stop.why[0] == 0 &&
	           stop.thread == main_thread && stop.rip == returns.into_one,
	       "a step's stop out of the range, where level_two returns into level_one");
	uint64_t within_two = run_control_stats(s.server.run).range_steps - steps - within_three;
	expect(within_two >= 2, "the instructions of level_two stepped unreported");

	steps = run_control_stats(s.server.run).range_steps;
	stop = range_step(main_thread, returns.into_one, returns.into_one);
	expect(stop.kind == 'T' && stop.why[0] == 0 && stop.rip > returns.into_one &&
	           stop.rip < returns.into_one + 16 &&
	           run_control_stats(s.server.run).range_steps == steps,
	       "an empty range: one instruction");
	log_info("range step: %lu instructions of level_three to a breakpoint, %lu of level_two "
	         "out of the range, an empty range one",
	         (unsigned long)within_three, (unsigned long)within_two);
}

/* the breakpoint table: full, one more refused, and every int3 hidden from reads meanwhile */
static void check_breakpoint_table(void)
{
	/* the bytes under every breakpoint of the full table, read in one m */
	static char before[2 * RUN_CONTROL_BREAKPOINTS_MAX + 1], during[sizeof(before)];
	char read[64]; /* packet()'s buffers are reused by the Z0s between */
	string_copy(read, packet("m%lx,%x", (unsigned long)sym.main, RUN_CONTROL_BREAKPOINTS_MAX),
	            sizeof(read));
	string_copy(before, session_exchange(&s, read), sizeof(before));
	expect(string_length(before) == 2 * RUN_CONTROL_BREAKPOINTS_MAX, "the table's bytes read");
	for (unsigned i = 0; i < RUN_CONTROL_BREAKPOINTS_MAX; i++)
		session_expect(&s, packet("Z0,%lx,1", (unsigned long)(sym.main + i)), "OK");
	session_expect(
	    &s, packet("Z0,%lx,1", (unsigned long)(sym.main + RUN_CONTROL_BREAKPOINTS_MAX)), "E1c");
	string_copy(during, session_exchange(&s, read), sizeof(during));
	expect(string_equal(before, during), "every int3 hidden from reads");
	for (unsigned i = 0; i < RUN_CONTROL_BREAKPOINTS_MAX; i++)
		session_expect(&s, packet("z0,%lx,1", (unsigned long)(sym.main + i)), "OK");
	session_expect(
	    &s, packet("Z0,%lx,1", (unsigned long)(sym.main + RUN_CONTROL_BREAKPOINTS_MAX)), "OK");
	session_expect(
	    &s, packet("z0,%lx,1", (unsigned long)(sym.main + RUN_CONTROL_BREAKPOINTS_MAX)), "OK");
	log_info("breakpoint table: %u breakpoints, one more refused (E1c), all removed",
	         (unsigned)RUN_CONTROL_BREAKPOINTS_MAX);
}

static void check_threads(void)
{
	uint64_t ids[4];
	static char const *const names[] = { "main", "worker-1", "worker-2", "watcher" };
	for (unsigned i = 0; i < 4; i++) ids[i] = thread_named(names[i]);
	char const *list = session_expect_prefix(&s, "qfThreadInfo", "m");
	unsigned commas = 0;
	for (char const *p = list; *p; p++) commas += *p == ',';
	expect(commas == 3, "four threads");
	char text[64];
	session_unhex(text, sizeof(text),
	              session_exchange(&s, packet("qThreadExtraInfo,%lx", (unsigned long)ids[1])));
	expect(string_equal(text, "worker-1, paused"), "worker-1's extra info");
	log_info("threads: main, worker-1, worker-2, watcher; worker-1 \"%s\"", text);
}

static void check_hw_breakpoint(void)
{
	session_expect(&s, packet("Z1,%lx,1", (unsigned long)sym.add), "OK");
	/* main is the general thread before; after the stop, the stopped worker is */
	session_expect(&s, packet("Hg%lx", (unsigned long)thread_named("main")), "OK");
	struct session_stop stop = continue_until("hwbreak");
	expect(stop.rip == sym.add, "rip at gdb_add");
	expect(session_le(session_exchange(&s, "p10"), 8) == sym.add,
	       "the registers read are the stopped thread's");
	expect(stop.thread == thread_named("worker-1") || stop.thread == thread_named("worker-2"),
	       "a worker");
	session_expect(&s, packet("z1,%lx,1", (unsigned long)sym.add), "OK");
	log_info("hardware breakpoint: a worker at gdb_add");
}

/* the threads as run control knows them, nothing taken in (the last look) */
static struct run_control_thread listed[VIRTUAL_CPU_THREADS_MAX];

/* whether a thread other than `thread` has a stop not reported yet */
static bool other_stop_pending(uint64_t thread)
{
	unsigned listed_count =
	    run_control_threads_peek(s.server.run, listed, VIRTUAL_CPU_THREADS_MAX);
	for (unsigned i = 0; i < listed_count; i++)
		if (listed[i].id != thread && listed[i].pending) return true;
	return false;
}

/* the threads with a stop not reported yet, into `ids`; how many */
static unsigned pending_threads(uint64_t ids[VIRTUAL_CPU_THREADS_MAX])
{
	unsigned listed_count =
	    run_control_threads_peek(s.server.run, listed, VIRTUAL_CPU_THREADS_MAX);
	unsigned count = 0;
	for (unsigned i = 0; i < listed_count; i++)
		if (listed[i].pending) ids[count++] = listed[i].id;
	return count;
}

/*
 * GDB steps a thread over a breakpoint alone (remove, vCont;s:thread, insert
 * again) and expects that thread's step as the answer, also when the other
 * worker hit the breakpoint in the same moment: that stop stays held until
 * the other worker is resumed. Repeated until this happened a few times.
 */
static void check_step_over(void)
{
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.add), "OK");
	unsigned rounds = 0, held = 0;
	for (; rounds < 2000 && held < 4; rounds++) {
		struct session_stop stop = continue_until("swbreak");
		expect(stop.rip == sym.add, "at gdb_add");
		if (other_stop_pending(stop.thread)) held++;
		session_expect(&s, packet("z0,%lx,1", (unsigned long)sym.add), "OK");
		struct session_stop step = stop_of(packet("vCont;s:%lx", (unsigned long)stop.thread));
		expect(step.kind == 'T' && step.why[0] == 0 && step.thread == stop.thread,
		       "the step of the thread stepped over the breakpoint");
		session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.add), "OK");
	}
	/* the held stops come at the next continue, each at once, before anything runs:
	 * each answer is the breakpoint stop of a thread that had one pending */
	uint64_t pending[VIRTUAL_CPU_THREADS_MAX];
	for (unsigned count; (count = pending_threads(pending)) > 0;) {
		unsigned i = 0;
		struct session_stop next = stop_of("vCont;c");
		while (i < count && pending[i] != next.thread) i++;
		expect(next.kind == 'T' && string_equal(next.why, "swbreak") && next.rip == sym.add &&
		           i < count,
		       "the held stop, of a thread whose stop was pending");
	}
	session_expect(&s, packet("z0,%lx,1", (unsigned long)sym.add), "OK");
	log_info("step over a breakpoint: %u rounds, %u with the other worker's stop held", rounds,
	         held);
	expect(held > 0, "the other worker's stop was held at least once");
}

static void check_watchpoint(void)
{
	session_expect(&s, packet("Z2,%lx,8", (unsigned long)sym.watched), "OK");
	uint64_t before = read_u64(sym.watched);
	struct session_stop stop = continue_until("watch");
	expect(stop.address == sym.watched, "the watched address");
	expect(stop.thread == thread_named("watcher"), "the watcher wrote");
	expect(read_u64(sym.watched) == before + 1, "the new value");
	session_expect(&s, packet("z2,%lx,8", (unsigned long)sym.watched), "OK");
	log_info("watchpoint: the watcher wrote gdb_watched, %lu to %lu", (unsigned long)before,
	         (unsigned long)before + 1);
}

static void check_interrupt(void)
{
	/* main in the busy loop: it wrote gdb_spins */
	session_expect(&s, packet("Z2,%lx,8", (unsigned long)sym.spins), "OK");
	(void)continue_until("watch");
	session_expect(&s, packet("z2,%lx,8", (unsigned long)sym.spins), "OK");
	session_send(&s, "vCont;c", 7);
	expect(!session_output_waits(&s), "no reply while the target runs");
	session_send_raw(&s, "\x03", 1);
	struct session_stop stop = session_stop_parse(session_reply(&s));
	expect(stop.kind == 'T' && stop.value == 2, "SIGINT after Ctrl-C");
	uint64_t spins = read_u64(sym.spins);
	expect(spins != 0, "main spins");
	expect(read_u64(sym.spins) == spins, "the count stays while stopped");

	/*
	 * A Ctrl-C while stopped is queued (GDB sends one before its vCont when
	 * the user types it while GDB inserts breakpoints): it answers the next
	 * vCont with SIGINT at once, nothing resumed
	 */
	struct run_control_stats before = run_control_stats(s.server.run);
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.helper), "OK");
	session_send_raw(&s, "\x03", 1);
	expect(!session_output_waits(&s), "no reply to a Ctrl-C while stopped");
	session_send(&s, "vCont;c", 7);
	expect(session_output_waits(&s), "the queued Ctrl-C answers the vCont at once");
	stop = session_stop_parse(session_reply(&s));
	expect(stop.kind == 'T' && stop.value == 2, "SIGINT for the Ctrl-C before the vCont");
	struct run_control_stats after = run_control_stats(s.server.run);
	expect(after.resumes == before.resumes && after.steps == before.steps,
	       "nothing resumed for the queued Ctrl-C");
	session_expect(&s, packet("z0,%lx,1", (unsigned long)sym.helper), "OK");
	session_send(&s, "vCont;c", 7);
	expect(!session_output_waits(&s), "the queued Ctrl-C answers one vCont only");
	session_send_raw(&s, "\x03", 1);
	stop = session_stop_parse(session_reply(&s));
	expect(stop.kind == 'T' && stop.value == 2, "SIGINT after Ctrl-C");
	expect(run_control_stats(s.server.run).resumes > after.resumes, "the next vCont resumed");

	/*
	 * Ctrl-C while main range-steps in the busy loop, which never leaves the
	 * range (GDB's `next` on `while (!gdb_go) gdb_spins++;`): SIGINT, not the
	 * step in the range that the pause met
	 */
	expect(sym.busy_loop < sym.fault_segv && stop.rip >= sym.busy_loop &&
	           stop.rip < sym.fault_segv,
	       "main stopped in gdb_busy_loop, before gdb_fault_segv");
	uint64_t ranged = run_control_stats(s.server.run).range_steps;
	range_step_start(stop.thread, sym.busy_loop, sym.fault_segv);
	session_events(&s, 40);
	expect(!session_output_waits(&s), "no reply while main steps in the range");
	ranged = run_control_stats(s.server.run).range_steps - ranged;
	expect(ranged >= 20, "main stepped on in the range");
	session_send_raw(&s, "\x03", 1);
	struct session_stop interrupted = session_stop_parse(session_reply(&s));
	expect(interrupted.kind == 'T' && interrupted.value == 2 &&
	           interrupted.thread == stop.thread && interrupted.rip >= sym.busy_loop &&
	           interrupted.rip < sym.fault_segv,
	       "SIGINT of main in the range after Ctrl-C");
	log_info("Ctrl-C: SIGINT, gdb_spins stays at its count while stopped; one while stopped "
	         "answers the next vCont; one while main range-steps in the busy loop (%lu steps) "
	         "stops it with SIGINT",
	         (unsigned long)ranged);
}

static void check_thread_lifetime(void)
{
	write_u32(sym.go, 3);
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.helper), "OK");
	struct session_stop stop = continue_until("swbreak");
	uint64_t helper = thread_named("helper");
	expect(stop.thread == helper && stop.rip == sym.helper, "the new thread at gdb_helper");
	session_expect(&s, packet("z0,%lx,1", (unsigned long)sym.helper), "OK");
	/* until main joined it and spins again */
	for (unsigned i = 0; read_u64(sym.go) % (1ull << 32) != 0; i++) {
		expect(i < 1000, "main joins the helper");
		session_send(&s, "vCont;c", 7);
		session_send_raw(&s, "\x03", 1);
		(void)session_stop_parse(session_reply(&s));
	}
	expect(!thread_listed("helper"), "the helper left the list");
	session_expect(&s, packet("T%lx", (unsigned long)helper), "E02");
	log_info("thread lifetime: helper appeared at gdb_helper, and left the list when it ended");
}

static char const *monitor(char const *command)
{
	static char text[GDB_SERVER_XML_SIZE];
	char hex[2 * GDB_SERVER_COMMAND_SIZE];
	session_hex(hex, sizeof(hex), command);
	session_unhex(text, sizeof(text), session_exchange(&s, packet("qRcmd,%s", hex)));
	return text;
}

static bool contains(char const *text, char const *part)
{
	size_t n = string_length(part);
	for (; *text; text++)
		if (string_compare_n(text, part, n) == 0) return true;
	return false;
}

/* log a command's output line by line */
static void monitor_log(char const *command, char const *text)
{
	log_info("monitor %s:", command);
	while (*text) {
		char line[160];
		size_t n = 0;
		while (text[n] && text[n] != '\n') n++;
		format_string(line, sizeof(line), "%.*s", (int)n, text);
		log_info("  %s", line);
		text += n + (text[n] == '\n');
	}
}

static void check_monitor(void)
{
	char const *text = monitor("help");
	expect(contains(text, "regions") && contains(text, "sessions"), "help lists the commands");
	text = monitor("regions");
	expect(contains(text, " r-x  RAM") && contains(text, " rw-  RAM"), "text and data regions");
	monitor_log("regions", text);
	text = monitor("threads");
	expect(contains(text, "worker-1") && contains(text, "watcher") &&
	           contains(text, "4 threads"),
	       "the threads");
	monitor_log("threads", text);
	text = monitor("quota");
	expect(string_starts_with(text, "RAM quota 4"), "the quota");
	monitor_log("quota", text);
	text = monitor("  sessions  ");
	expect(
	    contains(text, "\"test-gdb_monitor -> config\" -> the monitor (the target's <config>)"),
	    "the config ROM served by the monitor");
	expect(contains(text, "Timer"), "the Timer session");
	monitor_log("sessions", text);
	text = monitor("stats");
	char batched[64];
	format_string(batched, sizeof(batched), " calls to core for up to %d threads, ",
	              (int)CPU_STATES_MAX);
	expect(contains(text, batched) && contains(text, " resumed, "), "run control's counters");
	monitor_log("stats", text);
	text = monitor("bogus");
	expect(contains(text, "unknown monitor command \"bogus\""), "an unknown command");
	session_expect(&s, "qRcmd,zz", "E01");
}

static void check_fault(void)
{
	write_u32(sym.go, 1);
	struct session_stop stop = stop_of("vCont;c");
	expect(stop.kind == 'T' && stop.value == 11, "SIGSEGV");
	expect(stop.thread == thread_named("main"), "in main");
	expect(stop.rip >= sym.fault_segv && stop.rip < sym.fault_segv + 0x40, "in gdb_fault_segv");
	log_info("fault: SIGSEGV of main in gdb_fault_segv");
	struct session_stop again = stop_of(packet("vCont;c:%lx", (unsigned long)stop.thread));
	expect(again.kind == 'T' && again.value == 11 && again.rip == stop.rip,
	       "not passed on: the fault again");
	session_expect(&s, packet("vCont;C0b:%lx", (unsigned long)stop.thread), "X0b");
	session_expect(&s, "?", "X0b");
	session_expect(&s, "g", "E03");
	session_expect(&s, "m1000,4", "E03");
	expect(contains(monitor("threads"), "no target"), "no target after its end");
	log_info("fault passed on: the target ended by SIGSEGV (X0b)");
}

static void connect_fresh(void)
{
	session_connect(&s);
	session_expect(&s, "QStartNoAckMode", "OK");
	s.acks = false;
	rsp_reader_set_acks(&s.reader, false);
}

static void check_restart(void)
{
	session_disconnect(&s); /* the target starts again */
	expect(s.server.target == GDB_SERVER_TARGET_STARTING, "started again");
	connect_fresh();
	struct session_stop stop = stop_of("?");
	expect(stop.kind == 'T' && stop.rip == s.server.child.child.process.entry,
	       "the new target at its entry point");
	log_info("restart: after its end the target waits at its entry point again");
}

static void check_detach(void)
{
	/* run to the busy loop, a breakpoint that would stop a worker, then detach */
	session_send(&s, "vCont;c", 7);
	for (uint64_t n = 0; peek_u64(sym.spins) == 0; n++) expect(n < (1ull << 32), "main spins");
	session_send_raw(&s, "\x03", 1);
	(void)session_stop_parse(session_reply(&s));
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.add), "OK");
	uint64_t adds = read_u64(sym.adds);
	session_expect(&s, "D", "OK");
	session_disconnect(&s);
	expect(s.server.target == GDB_SERVER_TARGET_RUNNING, "running after the detach");
	/* the workers go on calling gdb_add, where the breakpoint was */
	for (uint64_t n = 0; peek_u64(sym.adds) == adds; n++)
		expect(n < (1ull << 32), "the workers ran on");

	/* a new GDB arrives at the running target: stopped with SIGTRAP */
	connect_fresh();
	struct session_stop stop = stop_of("?");
	expect(stop.kind == 'T' && stop.value == 5, "SIGTRAP at the arrival");
	expect(read_u64(sym.adds) > adds, "gdb_adds grew");
	char const *r = session_exchange(&s, packet("m%lx,1", (unsigned long)sym.add));
	char raw[3];
	uint8_t byte = 0;
	expect(run_control_memory_read(s.server.run, sym.add, &byte, 1).result == CHILD_MEMORY_OK,
	       "gdb_add readable");
	format_string(raw, sizeof(raw), "%02x", byte);
	expect(string_equal(r, raw) && byte != 0xcc, "no int3 left at gdb_add");
	log_info("detach: the breakpoint removed, the target ran on; a new GDB stopped it");
}

static void check_gdb_gone(void)
{
	/* a GDB that leaves in the middle of a packet, with a breakpoint inserted */
	session_expect(&s, packet("Z0,%lx,1", (unsigned long)sym.add), "OK");
	session_send_raw(&s, "$m1000,", 7);
	session_disconnect(&s);
	expect(s.server.target == GDB_SERVER_TARGET_RUNNING, "running after GDB left");
	connect_fresh();
	struct session_stop stop = stop_of("?");
	expect(stop.kind == 'T' && stop.why[0] == 0, "a clean arrival, no breakpoint stop");
	char const *r = session_exchange(&s, packet("m%lx,1", (unsigned long)sym.add));
	expect(!string_equal(r, "cc"), "gdb_add readable");
	uint8_t byte = 0;
	expect(run_control_memory_read(s.server.run, sym.add, &byte, 1).result == CHILD_MEMORY_OK &&
	           byte != 0xcc,
	       "the breakpoint of the GDB that left is gone");
	log_info("GDB gone mid-packet: its breakpoint removed, the next connection works");
}

static void check_single_bytes(void)
{
	static char const frame[] = "$qC#b4";
	for (size_t i = 0; i < sizeof(frame) - 1; i++) session_send_raw(&s, frame + i, 1);
	expect(string_starts_with(session_reply(&s), "QC"), "a packet fed byte by byte");
	log_info("input in single bytes: one packet");
}

static void check_slow_transport(void)
{
	static char g[2 * GDB_REGISTERS_G_SIZE + 1];
	string_copy(g, session_exchange(&s, "g"), sizeof(g));
	s.loop.take = 7;
	s.loop.blocked = false;
	unsigned sends = s.loop.sends;
	session_send(&s, "g", 1);
	expect(gdb_server_output_pending(&s.server), "the reply waits for the transport");
	/* meanwhile no input is read */
	expect(gdb_server_receive(&s.server, "$qC#b4", 6) == 0, "no input while output waits");
	while (gdb_server_output_pending(&s.server)) {
		s.loop.blocked = false;
		gdb_server_sendable(&s.server);
	}
	s.loop.take = 0;
	expect(string_equal(session_reply(&s), g), "the whole reply in pieces");
	log_info("a transport that takes 7 bytes at a time: %u sends for one g reply",
	         s.loop.sends - sends);
}

static void check_kill_and_exit(void)
{
	session_expect(&s, "vKill;a410", "OK");
	session_expect(&s, "?", "X09");
	session_disconnect(&s);
	connect_fresh();
	struct session_stop stop = stop_of("?");
	expect(stop.kind == 'T' && stop.value == 5, "a new target after the kill");
	write_u32(sym.go, 2);
	stop = stop_of("vCont;c");
	expect(stop.kind == 'W' && stop.value == 3, "exit code 3");
	session_expect(&s, "?", "W03");
	session_disconnect(&s);
	/* the next target is killed at its initial stop (not while it starts: see doc) */
	connect_fresh();
	stop = stop_of("?");
	expect(stop.kind == 'T' && stop.value == 5, "a new target after the exit");
	log_info("kill: X09 and a new target; exit: W03 and a new target");
}

int component_construct(struct env *env)
{
	session_init(&s, env);
	sym = (struct symbols){ .main = symbol("main"),
		                    .level_one = symbol("gdb_level_one"),
		                    .level_two = symbol("gdb_level_two"),
		                    .level_three = symbol("gdb_level_three"),
		                    .add = symbol("gdb_add"),
		                    .busy_loop = symbol("gdb_busy_loop"),
		                    .fault_segv = symbol("gdb_fault_segv"),
		                    .helper = symbol("gdb_helper"),
		                    .string = symbol("gdb_string"),
		                    .integer = symbol("gdb_int"),
		                    .watched = symbol("gdb_watched"),
		                    .go = symbol("gdb_go"),
		                    .spins = symbol("gdb_spins"),
		                    .adds = symbol("gdb_adds") };

	struct ram_quota_result before = ram_session_quota(env->ram);
	struct gdb_server_args args = { .env = env,
		                            .ep = &s.parent.ep,
		                            .transport = session_transport(&s),
		                            .handler = s.handler,
		                            .name = target_name,
		                            .ram_quota = 4 << 20,
		                            .config = target_config,
		                            .config_length = sizeof(target_config) - 1,
		                            .wait = true };
	gdb_server_init(&s.server, &args);
	if (s.server.target != GDB_SERVER_TARGET_STARTING)
		panic("the server did not start the target");

	check_connection();
	check_target_xml();
	uint64_t main_thread = check_initial_stop();
	check_queries(main_thread);
	check_registers(main_thread);
	check_memory();
	check_range_step(main_thread, check_breakpoint(main_thread));
	check_breakpoint_table();
	check_threads();
	check_hw_breakpoint();
	check_step_over();
	check_watchpoint();
	check_interrupt();
	check_thread_lifetime();
	check_monitor();
	check_fault();
	check_restart();
	check_detach();
	check_gdb_gone();
	check_single_bytes();
	check_slow_transport();
	check_kill_and_exit();

	struct gdb_server_stats stats = gdb_server_stats(&s.server);
	log_info("figures: %lu packets, %lu dropped, %lu resent, %lu stops, %lu interrupts, %lu "
	         "starts, %lu bytes in, %lu bytes out, %u waits",
	         (unsigned long)stats.packets, (unsigned long)stats.dropped,
	         (unsigned long)stats.resent, (unsigned long)stats.stops,
	         (unsigned long)stats.interrupts, (unsigned long)stats.starts,
	         (unsigned long)stats.bytes_in, (unsigned long)stats.bytes_out, s.waits);
	gdb_server_destroy(&s.server);
	struct ram_quota_result after = ram_session_quota(env->ram);
	expect(before.result == RAM_OK && after.result == RAM_OK &&
	           after.quota.used == before.quota.used,
	       "every byte of quota back");
	log_info("server destroyed, the target's quota returned");
	log_info("done");
	return 0;
}
