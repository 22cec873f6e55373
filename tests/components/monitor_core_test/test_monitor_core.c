/* SPDX-License-Identifier: MIT */
/**
 * \brief test-monitor-core: the GDB monitor's core without the wire, driving
 *        test-monitor-target as a debugger would (run/monitor_core.run)
 *
 * Starts the target stopped at its entry point with the virtual RM and CPU
 * sessions, then checks the region list, memory reads and writes (across
 * two regions, and of unmapped ranges), a software breakpoint with the ip at
 * the breakpoint, a single step, pause and resume of all threads, the thread
 * list with threads created and ended later, a write watchpoint, stale stops
 * (a software and a hardware breakpoint hit by two threads and removed
 * before the second stop was reported: never reported, both threads run
 * on), an interrupt whose pause meets the step stop of a range-stepping
 * thread (the step dropped: the interrupt reported, the thread paused), the
 * target's page fault as a reported stop, its exit with its code, and
 * targets killed while they start (core stays silent). Every check that
 * fails panics.
 */

#include <base/log.h>
#include <base/panic.h>
#include <gdb_monitor/monitor_child.h>
#include <util/format.h>
#include <util/string.h>

#include "test_parent.h"

enum { TARGET_QUOTA = 4 << 20, SPIN_LIMIT = 1 << 30 };

static char const target_name[] = "test-monitor-target";

struct core_test
{
	struct test_parent parent;
	struct monitor_child target;
	struct run_control *run;
	struct signal_receiver receiver;
	struct signal_slot slots[1];
	struct signal_context context;
	struct signal_context_cap handler;
	/* the target's symbols */
	uint64_t global, command, state, counter, watched, pair;
	uint64_t tick, tick_end, twin, store_end, fault_read;
	struct run_control_thread threads[VIRTUAL_CPU_THREADS_MAX]; /* the last listing */
};

static void expect(bool condition, char const *what)
{
	if (!condition) panic("check failed: %s", what);
}

static void expect_names(char const *names, char const *expected)
{
	if (!string_equal(names, expected))
		panic("threads \"%s\", expected \"%s\"", names, expected);
}

static uint64_t symbol(struct core_test *t, char const *name)
{
	return test_parent_symbol(t->parent.env, target_name, name);
}

static uint64_t read_u64(struct core_test *t, uint64_t address)
{
	uint64_t value = 0;
	struct child_memory_copy_ret r = run_control_memory_read(t->run, address, &value, 8);
	if (r.result != CHILD_MEMORY_OK)
		panic("read at 0x%lx: %d", (unsigned long)address, r.result);
	return value;
}

static void write_u64(struct core_test *t, uint64_t address, uint64_t value)
{
	struct child_memory_copy_ret r = run_control_memory_write(t->run, address, &value, 8);
	if (r.result != CHILD_MEMORY_OK)
		panic("write at 0x%lx: %d", (unsigned long)address, r.result);
}

/* the next stop, waiting for exception signals in between */
static struct run_control_stop wait_stop(struct core_test *t)
{
	for (;;) {
		struct run_control_stop stop;
		enum run_control_result r = run_control_poll(t->run, &stop);
		if (r == RUN_CONTROL_OK) return stop;
		if (r != RUN_CONTROL_RUNNING) panic("poll: %d", (int)r);
		struct signal s = signal_receiver_wait(&t->receiver);
		expect(s.result == SIGNAL_OK, "an exception signal");
	}
}

/* while the target runs: until target_state reaches `value` */
static void wait_state(struct core_test *t, uint64_t value)
{
	for (uint64_t n = 0; read_u64(t, t->state) != value; n++) {
		if (n == SPIN_LIMIT) panic("target_state never became %lu", (unsigned long)value);
		__asm__ volatile("pause");
	}
}

/* the threads as run control knows them, nothing taken in: how many */
static unsigned threads_peek(struct core_test *t)
{
	return run_control_threads_peek(t->run, t->threads, VIRTUAL_CPU_THREADS_MAX);
}

/* the id of the thread called `name` */
static uint64_t thread_id(struct core_test *t, char const *name)
{
	unsigned count = threads_peek(t);
	for (unsigned i = 0; i < count; i++)
		if (string_equal(t->threads[i].name, name)) return t->threads[i].id;
	panic("no thread %s", name);
}

/* thread `id` as run control lists it */
static struct run_control_thread thread_info(struct core_test *t, uint64_t id)
{
	unsigned count = threads_peek(t);
	for (unsigned i = 0; i < count; i++)
		if (t->threads[i].id == id) return t->threads[i];
	panic("no thread %lu", (unsigned long)id);
}

/* the name of thread `id`, in `info` */
static char const *thread_name(struct core_test *t, uint64_t id,
                               struct run_control_thread *info)
{
	*info = thread_info(t, id);
	return info->name;
}

/* core's own view of a stopped thread's registers, one call for the thread */
static struct cpu_state state_at_core(struct core_test *t, uint64_t id)
{
	struct virtual_cpu_thread *thread = virtual_cpu_thread_find(&t->target.cpu, id);
	expect(thread != NULL, "the thread is recorded");
	struct cpu_state state;
	expect(cpu_session_state(t->target.cpu.real, thread->cap, &state) == CPU_OK,
	       "core's state of the thread");
	return state;
}

/* the started threads' names, in id order; all of them stopped if `stopped` */
static void thread_list(struct core_test *t, char *names, size_t size, bool stopped)
{
	unsigned count = run_control_threads_list(t->run, t->threads, VIRTUAL_CPU_THREADS_MAX);
	names[0] = 0;
	for (unsigned i = 0; i < count; i++) {
		struct run_control_thread const info = t->threads[i];
		if (!info.started) continue;
		if (stopped) expect(info.stopped, "every thread stopped");
		size_t length = string_length(names);
		format_string(names + length, size - length, "%s%s", length ? ", " : "", info.name);
	}
}

static void resume_all(struct core_test *t)
{
	expect(run_control_resume_all(t->run) == RUN_CONTROL_OK, "resume all");
}

static struct run_control_stop interrupt(struct core_test *t)
{
	struct run_control_stop stop;
	expect(run_control_interrupt(t->run, &stop) == RUN_CONTROL_OK, "interrupt");
	return stop;
}

/* ---- the steps ---------------------------------------------------------------------- */

static void check_initial_stop(struct core_test *t)
{
	struct run_control_stop stop = wait_stop(t);
	struct run_control_thread info;
	uint64_t entry = t->target.child.process.entry;
	expect(stop.reason == RUN_CONTROL_STOP_INITIAL, "the initial stop");
	expect(string_equal(thread_name(t, stop.thread, &info), "main"), "the main thread");
	struct cpu_state state;
	expect(run_control_thread_state(t->run, stop.thread, &state) == RUN_CONTROL_OK, "state");
	expect(state.rip == entry && stop.ip == entry, "ip at the entry point");
	/* the int3 is gone from the text: the raw bytes are the original ones */
	uint8_t raw = 0, shown = 0;
	expect(child_memory_read(&t->target.rm, entry, &raw, 1).result == CHILD_MEMORY_OK &&
	           run_control_memory_read(t->run, entry, &shown, 1).result == CHILD_MEMORY_OK,
	       "entry readable");
	expect(raw == shown && raw != 0xcc, "original byte at the entry point");
	log_info("initial stop: thread main at the entry point, text as loaded");
}

static void check_regions(struct core_test *t)
{
	uint64_t entry = t->target.child.process.entry;
	unsigned count = 0;
	bool text = false, data = false, stack = false;
	struct virtual_rm_region_result r;
	for (uint64_t at = 0; (r = virtual_rm_region(&t->target.rm, at)).result == VIRTUAL_RM_OK;
	     at = r.region.start + r.region.size) {
		struct virtual_rm_region const *g = &r.region;
		count++;
		log_info("region %lx-%lx %c%c%c dataspace %lu bytes %s", (unsigned long)g->start,
		         (unsigned long)(g->start + g->size), 'r', g->writeable ? 'w' : '-',
		         g->executable ? 'x' : '-', (unsigned long)g->dataspace_size,
		         g->dataspace_writeable ? "RAM" : "read-only");
		bool has_entry = entry >= g->start && entry < g->start + g->size;
		bool has_global = t->global >= g->start && t->global < g->start + g->size;
		if (has_entry) text = g->executable && !g->writeable && g->dataspace_writeable;
		if (has_global) data = g->writeable && !g->executable;
		if (g->start + g->size == ENV_STACK_AREA_START + ENV_STACK_SLOT_SIZE)
			stack = g->writeable && g->size == ENV_MAIN_STACK_SIZE;
	}
	expect(count >= 3 && text && data && stack, "text, data and stack regions");
	log_info("regions: %u, entry in r-x text of a RAM dataspace, target_global in rw- data, "
	         "main stack below 0x%lx",
	         count, (unsigned long)(ENV_STACK_AREA_START + ENV_STACK_SLOT_SIZE));
}

static void check_memory(struct core_test *t)
{
	uint64_t before = read_u64(t, t->global);
	expect(before == 0x1234567890abcdefull, "target_global as initialized");
	write_u64(t, t->global, 0x1111222233334444ull);
	expect(read_u64(t, t->global) == 0x1111222233334444ull, "target_global as written");
	log_info("target_global read 0x%lx, written 0x1111222233334444", (unsigned long)before);

	uint8_t bytes[16];
	struct child_memory_copy_ret r = run_control_memory_read(t->run, 0x10, bytes, 16);
	expect(r.result == CHILD_MEMORY_UNMAPPED && r.size == 0, "nothing at 0x10");
	r = run_control_memory_write(t->run, 0x10, bytes, 16);
	expect(r.result == CHILD_MEMORY_UNMAPPED && r.size == 0, "no write at 0x10");
	uint64_t stack_end = ENV_STACK_AREA_START + ENV_STACK_SLOT_SIZE;
	r = run_control_memory_read(t->run, stack_end - 8, bytes, 16);
	expect(r.result == CHILD_MEMORY_UNMAPPED && r.size == 8, "a read stops at the stack's end");
	log_info("unmapped: read and write at 0x10 refused, a read across the end of the stack "
	         "stopped after 8 bytes");
}

static void check_pair(struct core_test *t)
{
	uint64_t pair = read_u64(t, t->pair);
	struct virtual_rm_region_result a = virtual_rm_region(&t->target.rm, pair);
	struct virtual_rm_region_result b = virtual_rm_region(&t->target.rm, pair + PAGE_SIZE);
	expect(a.result == VIRTUAL_RM_OK && a.region.start == pair && a.region.size == PAGE_SIZE,
	       "first region of the pair");
	expect(b.result == VIRTUAL_RM_OK && b.region.start == pair + PAGE_SIZE, "second region");

	char bytes[17] = { 0 };
	uint64_t across = pair + PAGE_SIZE - 8;
	expect(run_control_memory_read(t->run, across, bytes, 16).result == CHILD_MEMORY_OK,
	       "read across the pair");
	expect(string_equal(bytes, "AAAAAAAABBBBBBBB"), "the bytes of both regions");
	char const written[] = "0123456789abcdef";
	expect(run_control_memory_write(t->run, across, written, 16).result == CHILD_MEMORY_OK,
	       "write across the pair");
	memory_set(bytes, 0, sizeof(bytes));
	expect(run_control_memory_read(t->run, across, bytes, 16).result == CHILD_MEMORY_OK &&
	           string_equal(bytes, written),
	       "the bytes written");
	log_info("memory across two regions: read AAAAAAAABBBBBBBB, wrote and read back %s",
	         written);
}

static void check_breakpoint(struct core_test *t, uint64_t *worker_a)
{
	uint8_t raw = 0, shown = 0;
	expect(run_control_breakpoint_insert(t->run, t->tick) == RUN_CONTROL_OK, "breakpoint");
	expect(child_memory_read(&t->target.rm, t->tick, &raw, 1).result == CHILD_MEMORY_OK &&
	           run_control_memory_read(t->run, t->tick, &shown, 1).result == CHILD_MEMORY_OK,
	       "text readable");
	expect(raw == 0xcc && shown != 0xcc, "an int3 in the text, hidden from reads");
	resume_all(t);

	struct run_control_stop stop = wait_stop(t);
	struct run_control_thread info;
	expect(stop.reason == RUN_CONTROL_STOP_SW_BREAKPOINT, "a breakpoint stop");
	expect(string_equal(thread_name(t, stop.thread, &info), "worker-a"), "worker-a hit it");
	struct cpu_state state;
	expect(run_control_thread_state(t->run, stop.thread, &state) == RUN_CONTROL_OK &&
	           state.rip == t->tick && stop.ip == t->tick,
	       "ip at the breakpoint");
	char names[128];
	thread_list(t, names, sizeof(names), true);
	*worker_a = stop.thread;
	log_info(
	    "worker-a: breakpoint at target_tick hit, ip 0x%lx is target_tick; all stopped: %s",
	    (unsigned long)state.rip, names);
}

static void check_step(struct core_test *t, uint64_t worker_a)
{
	expect(run_control_breakpoint_remove(t->run, t->tick) == RUN_CONTROL_OK, "remove");
	expect(run_control_breakpoint_remove(t->run, t->tick) == RUN_CONTROL_NOT_FOUND,
	       "removed once");
	expect(run_control_thread_resume(t->run, worker_a, true) == RUN_CONTROL_OK, "step");
	struct run_control_stop stop = wait_stop(t);
	expect(stop.reason == RUN_CONTROL_STOP_STEP && stop.thread == worker_a, "a step stop");
	expect(stop.ip == t->tick_end, "one instruction further");
	log_info("worker-a: single step from target_tick to target_tick_end");
}

static void check_pause_resume(struct core_test *t)
{
	resume_all(t);
	uint64_t first = read_u64(t, t->counter);
	for (uint64_t n = 0; read_u64(t, t->counter) == first; n++)
		expect(n < SPIN_LIMIT, "the counter counts");
	struct run_control_stop stop = interrupt(t);
	expect(stop.reason == RUN_CONTROL_STOP_INTERRUPT, "an interrupt stop");

	/* a while of core calls, each started thread's registers from core itself (which
	 * gives them only for a stopped thread): the counter must not move */
	uint64_t paused = read_u64(t, t->counter);
	for (unsigned round = 0; round < 100; round++) {
		unsigned count = threads_peek(t);
		for (unsigned i = 0; i < count; i++)
			if (t->threads[i].started) (void)state_at_core(t, t->threads[i].id);
	}
	expect(read_u64(t, t->counter) == paused, "the counter stays while paused");
	resume_all(t);
	for (uint64_t n = 0; read_u64(t, t->counter) == paused; n++)
		expect(n < SPIN_LIMIT, "the counter counts on");
	(void)interrupt(t);
	log_info("pause all: the counter stays while paused, counts on after resume");
}

/*
 * A new thread's stack was attached by the child: the monitor attached it
 * too (child_memory_local_warm), so GDB's first read of it asks core nothing.
 */
static void check_stack_warm(struct core_test *t, char const *name)
{
	struct cpu_state state;
	expect(run_control_thread_state(t->run, thread_id(t, name), &state) == RUN_CONTROL_OK,
	       "the new thread's state");
	uint64_t misses = virtual_rm_stats(&t->target.rm).cache_misses;
	uint64_t word;
	expect(child_memory_read(&t->target.rm, state.rsp, &word, sizeof(word)).result ==
	           CHILD_MEMORY_OK,
	       "the new thread's stack reads");
	expect(virtual_rm_stats(&t->target.rm).cache_misses == misses,
	       "the new thread's stack was attached in the monitor before its first read");
	log_info("%s: stack at 0x%lx read without a new attachment", name,
	         (unsigned long)state.rsp);
}

/*
 * The pause of all brings the registers of every stopped thread in one call
 * to core (run control's states batch): reading them then costs no call, and
 * what the batch brought is what core says of each thread alone. `batched`:
 * the batches before the pause (the pause's own is checked right after it).
 */
static void check_states_batched(struct core_test *t, uint64_t batched)
{
	struct cpu_state main_state, a_state;
	expect(run_control_thread_state(t->run, thread_id(t, "main"), &main_state) ==
	           RUN_CONTROL_OK,
	       "main's state");
	uint64_t worker_a = thread_id(t, "worker-a");
	expect(run_control_thread_state(t->run, worker_a, &a_state) == RUN_CONTROL_OK,
	       "worker-a's state");
	expect(run_control_stats(t->run).states_batched == batched + 1,
	       "main's and worker-a's states came with the pause");
	struct cpu_state alone = state_at_core(t, worker_a);
	expect(a_state.rip == alone.rip && a_state.rsp == alone.rsp &&
	           a_state.rflags == alone.rflags && a_state.exception == alone.exception &&
	           a_state.stopped == 1 &&
	           memory_compare(&a_state.fpu, &alone.fpu, sizeof(alone.fpu)) == 0,
	       "the batch's state of worker-a is core's");
	log_info("states: main's and worker-a's came with the pause, in one call for all threads");
}

static void check_threads(struct core_test *t)
{
	char names[128];
	thread_list(t, names, sizeof(names), true);
	expect_names(names, "main, worker-a, worker-b");
	log_info("threads: %s", names);

	write_u64(t, t->command, 1);
	resume_all(t);
	wait_state(t, 2);
	uint64_t batched = run_control_stats(t->run).states_batched;
	(void)interrupt(t);
	expect(run_control_stats(t->run).states_batched == batched + 1,
	       "the pause brought the registers of the stopped threads in one call");
	thread_list(t, names, sizeof(names), true);
	expect_names(names, "main, worker-a, worker-b, worker-late");
	log_info("threads: %s", names);
	check_stack_warm(t, "worker-late");
	check_states_batched(t, batched);

	write_u64(t, t->command, 2);
	resume_all(t);
	wait_state(t, 3);
	(void)interrupt(t);
	thread_list(t, names, sizeof(names), true);
	expect_names(names, "main, worker-a, worker-b");
	log_info("threads: %s (worker-late ended and left the list)", names);

	/*
	 * worker-brief ends by itself and is never joined: nothing but core's
	 * signal at its end wakes the wait (the signals of before are taken first)
	 */
	while (signal_receiver_poll(&t->receiver).result == SIGNAL_OK) {}
	uint64_t created = virtual_cpu_stats(&t->target.cpu).created;
	uint64_t ended = virtual_cpu_stats(&t->target.cpu).ended;
	write_u64(t, t->command, 5);
	resume_all(t);
	for (;;) {
		run_control_threads_list(t->run, t->threads, VIRTUAL_CPU_THREADS_MAX); /* takes in */
		struct virtual_cpu_stats now = virtual_cpu_stats(&t->target.cpu);
		if (now.ended > ended) {
			expect(now.created == created + 1, "worker-brief was created");
			break;
		}
		struct signal s = signal_receiver_wait(&t->receiver);
		expect(s.result == SIGNAL_OK, "a signal");
	}
	(void)interrupt(t);
	thread_list(t, names, sizeof(names), true);
	expect_names(names, "main, worker-a, worker-b");
	log_info("threads: %s (worker-brief ended by itself, core signalled its end)", names);
}

static void check_watchpoint(struct core_test *t)
{
	expect(run_control_watchpoint_insert(t->run, RUN_CONTROL_WATCH_WRITE, t->watched, 8) ==
	           RUN_CONTROL_OK,
	       "watchpoint");
	resume_all(t);
	struct run_control_stop stop = wait_stop(t);
	struct run_control_thread info;
	expect(stop.reason == RUN_CONTROL_STOP_WATCHPOINT && stop.watch == RUN_CONTROL_WATCH_WRITE,
	       "a write watchpoint stop");
	expect(stop.address == t->watched && stop.length == 8, "the watched address");
	expect(string_equal(thread_name(t, stop.thread, &info), "worker-b"), "worker-b wrote");
	expect(stop.ip == t->store_end, "ip after the store");
	expect(run_control_watchpoint_remove(t->run, RUN_CONTROL_WATCH_WRITE, t->watched, 8) ==
	           RUN_CONTROL_OK,
	       "remove the watchpoint");
	log_info("worker-b: write watchpoint on target_watched hit, ip at target_store_end");
}

/* ---- stale stops ------------------------------------------------------------------- */

/*
 * Until core holds thread `id` (resumed) stopped by `exception` (the exception
 * signals wake the wait); run control has not seen the stop yet. The thread as
 * run control lists it then.
 */
static struct run_control_thread wait_exception(struct core_test *t, uint64_t id,
                                                uint32_t exception)
{
	for (;;) {
		struct run_control_thread info = thread_info(t, id);
		if (info.stopped && info.exception == exception) return info;
		expect(!info.stopped || info.exception == CPU_EXCEPTION_NONE, "no other stop");
		struct signal s = signal_receiver_wait(&t->receiver);
		expect(s.result == SIGNAL_OK, "an exception signal");
	}
}

/* resume thread `id` alone until core holds it stopped by `exception` (wait_exception) */
static void run_into(struct core_test *t, uint64_t id, uint32_t exception)
{
	expect(run_control_thread_resume(t->run, id, false) == RUN_CONTROL_OK, "resume one thread");
	(void)wait_exception(t, id, exception);
}

/* while the threads run: until the value at `address` changes */
static void wait_change(struct core_test *t, uint64_t address, char const *what)
{
	uint64_t first = read_u64(t, address);
	for (uint64_t n = 0; read_u64(t, address) == first; n++) expect(n < SPIN_LIMIT, what);
}

static void point_insert(struct core_test *t, bool hardware)
{
	enum run_control_result r = hardware ? run_control_hw_breakpoint_insert(t->run, t->twin)
	                                     : run_control_breakpoint_insert(t->run, t->twin);
	expect(r == RUN_CONTROL_OK, "a breakpoint at target_twin");
}

static void point_remove(struct core_test *t, bool hardware)
{
	enum run_control_result r = hardware ? run_control_hw_breakpoint_remove(t->run, t->twin)
	                                     : run_control_breakpoint_remove(t->run, t->twin);
	expect(r == RUN_CONTROL_OK, "the breakpoint at target_twin removed");
}

/* both workers run on, nothing is reported, and an interrupt stops them again */
static void check_run_on(struct core_test *t)
{
	wait_change(t, t->counter, "worker-a runs on");
	wait_change(t, t->watched, "worker-b runs on");
	struct run_control_stop stop;
	expect(run_control_poll(t->run, &stop) == RUN_CONTROL_RUNNING, "no stale stop reported");
	stop = interrupt(t);
	expect(stop.reason == RUN_CONTROL_STOP_INTERRUPT, "an interrupt, not a stale stop");
}

/*
 * worker-a and worker-b both hit one breakpoint at target_twin, one after
 * the other, each resumed alone; the debugger removes the breakpoint before
 * it hears of the second stop. Three moments: the second stop is pending
 * (the first was reported), neither stop has been seen by run control yet,
 * or neither has been seen when the debugger detaches.
 */
/* the point at target_twin inserted, and worker-a, then worker-b, run into it */
static void twins_into_point(struct core_test *t, bool hardware, uint64_t a, uint64_t b)
{
	uint32_t exception = hardware ? CPU_EXCEPTION_WATCHPOINT : CPU_EXCEPTION_BREAKPOINT;
	point_insert(t, hardware);
	run_into(t, a, exception);
	run_into(t, b, exception);
}

static void check_stale(struct core_test *t, bool hardware)
{
	uint32_t reason =
	    hardware ? RUN_CONTROL_STOP_HW_BREAKPOINT : RUN_CONTROL_STOP_SW_BREAKPOINT;
	uint64_t a = thread_id(t, "worker-a"), b = thread_id(t, "worker-b");
	uint64_t stale = run_control_stats(t->run).stale;

	/* pending: one stop reported, the other waits; resume_all drops it */
	twins_into_point(t, hardware, a, b);
	struct run_control_stop stop;
	expect(run_control_poll(t->run, &stop) == RUN_CONTROL_OK, "the first stop");
	expect(stop.reason == reason && stop.ip == t->twin, "a breakpoint stop at target_twin");
	expect(stop.thread == a || stop.thread == b, "of a worker");
	uint64_t other = stop.thread == a ? b : a;
	expect(thread_info(t, other).pending, "the other worker's stop pending");
	point_remove(t, hardware);
	expect(run_control_resume_all(t->run) == RUN_CONTROL_OK, "resumed: the stop was stale");
	expect(run_control_stats(t->run).stale == stale + 1, "one stale stop dropped");
	check_run_on(t);

	/* not seen yet: the poll finds both stale and lets them go on */
	twins_into_point(t, hardware, a, b);
	point_remove(t, hardware);
	expect(run_control_poll(t->run, &stop) == RUN_CONTROL_RUNNING, "nothing to report");
	expect(run_control_stats(t->run).stale == stale + 3, "two more stale stops");
	expect(thread_info(t, thread_id(t, "main")).stopped,
	       "main, which the debugger left stopped, stays stopped after the poll's pause");
	check_run_on(t);

	/* at a detach */
	twins_into_point(t, hardware, a, b);
	run_control_detach(t->run);
	expect(run_control_poll(t->run, &stop) == RUN_CONTROL_RUNNING, "nothing left to report");
	check_run_on(t);

	log_info("%s breakpoint at target_twin hit by worker-a and worker-b, removed: a pending "
	         "stop, two stops not seen yet, two at a detach; nothing reported, both ran on",
	         hardware ? "hardware" : "software");
}

/* ---- an interrupt while a thread range-steps ---------------------------------------- */

/*
 * Ctrl-C in GDB's `next`: worker-a range-steps through target_tick while the
 * others run on, and the interrupt's pause meets its step stop, which run
 * control has not taken in yet (no poll between). That stop is dropped: the
 * interrupt is reported, of worker-a, which stays paused (not stepped) with
 * nothing pending, so the next resumption runs it on. Were the step
 * reported instead, GDB would step on within its `next`: the Ctrl-C lost.
 * (run/gdb_monitor.run has the same with GDB, where the pause may as well
 * meet the thread between two steps.)
 */
static void check_range_interrupt(struct core_test *t)
{
	uint64_t a = thread_id(t, "worker-a");
	expect(run_control_breakpoint_insert(t->run, t->tick) == RUN_CONTROL_OK, "breakpoint");
	resume_all(t);
	struct run_control_stop stop = wait_stop(t);
	expect(stop.reason == RUN_CONTROL_STOP_SW_BREAKPOINT && stop.thread == a,
	       "worker-a at target_tick");
	expect(run_control_breakpoint_remove(t->run, t->tick) == RUN_CONTROL_OK, "remove");

	/* vCont;r<target_tick>,<target_twin>:worker-a;c: one step, within the range */
	run_control_step_range(t->run, a, t->tick, t->twin);
	expect(run_control_resume_all_stepping(t->run, a) == RUN_CONTROL_OK, "range step");
	struct run_control_thread info = wait_exception(t, a, CPU_EXCEPTION_STEP);
	expect(!info.pending && info.reason == RUN_CONTROL_STOP_NONE,
	       "the step stop not taken in by run control yet");

	stop = interrupt(t);
	expect(stop.reason == RUN_CONTROL_STOP_INTERRUPT, "an interrupt, not the step");
	expect(stop.thread == a && stop.ip == t->tick_end,
	       "of worker-a, where its step ended in the range");
	info = thread_info(t, a);
	expect(info.stopped && info.exception == CPU_EXCEPTION_STEP,
	       "worker-a stopped at core by its step");
	expect(!info.pending && info.reason == RUN_CONTROL_STOP_INTERRUPT,
	       "worker-a paused by the interrupt, its step dropped");
	expect(!run_control_thread_pending(t->run, a), "no stop of worker-a pending");
	/* resume_all would answer RUN_CONTROL_STOP_PENDING for a stop left */
	resume_all(t);
	check_run_on(t);
	log_info("worker-a: range step in target_tick, its step to target_tick_end met by the "
	         "interrupt: the interrupt reported, worker-a paused, nothing pending, it ran on");
}

static void check_fault(struct core_test *t)
{
	write_u64(t, t->command, 3);
	resume_all(t);
	struct run_control_stop stop = wait_stop(t);
	struct run_control_thread info;
	expect(stop.reason == RUN_CONTROL_STOP_PAGE_FAULT, "a page fault stop");
	expect(string_equal(thread_name(t, stop.thread, &info), "faulter"), "the faulter");
	expect(stop.address == 0xdead0000 && stop.ip == t->fault_read, "fault address and ip");
	log_info("faulter: page fault at 0xdead0000 reported, ip at target_fault_read");
}

/* the main thread alone runs on and exits: the faulter stays stopped at its fault */
static void check_exit(struct core_test *t)
{
	uint64_t main_thread = thread_id(t, "main");
	write_u64(t, t->command, 4);
	expect(run_control_thread_resume(t->run, main_thread, false) == RUN_CONTROL_OK,
	       "resume main");
	struct run_control_stop stop;
	enum run_control_result r;
	while ((r = run_control_poll(t->run, &stop)) == RUN_CONTROL_RUNNING) {
		struct signal s = signal_receiver_wait(&t->receiver);
		expect(s.result == SIGNAL_OK, "a signal");
	}
	expect(r == RUN_CONTROL_EXITED, "the exit reported");
	expect(run_control_exit_code(t->run) == 7, "exit code 7");
	log_info("exit: the target exited with code 7, reported as such");
}

/*
 * Kill while starting: the target is started stopped (an int3 at its entry
 * point) and destroyed at once, after a delay that sweeps over its start
 * in 50 steps, four times, so that some kills meet the main thread just as
 * it runs into the int3. Core must stay silent (its "no exception handler"
 * line is a forbidden pattern of the run tool), and every byte comes back.
 * The delay is not waited for anything: it only spreads the kills.
 */
static void check_kill_starting(struct core_test *t, struct env *env,
                                struct monitor_child_args const *args,
                                struct ram_quota_result before)
{
	enum { ROUNDS = 200, STEPS = 50, STEP_SPINS = 8000 };
	for (unsigned round = 0; round < ROUNDS; round++) {
		enum monitor_child_result started =
		    monitor_child_start(&t->target, env, &t->parent.ep, args);
		if (started != MONITOR_CHILD_OK) panic("monitor_child_start: %d", (int)started);
		for (unsigned volatile spin = 0; spin < (round % STEPS) * STEP_SPINS; spin++) {}
		monitor_child_destroy(&t->target);
	}
	struct ram_quota_result after = ram_session_quota(env->ram);
	expect(after.result == RAM_OK && after.quota.quota == before.quota.quota &&
	           after.quota.used == before.quota.used,
	       "every byte back after the kills");
	log_info("kill while starting: %u targets destroyed at moments across their start, "
	         "quota back",
	         (unsigned)ROUNDS);
}

int component_construct(struct env *env)
{
	static struct core_test t;
	test_parent_init(&t.parent, env);
	t.handler = test_parent_receiver_init(&t.receiver, t.slots, 1, &t.context, &t);

	t.global = symbol(&t, "target_global");
	t.command = symbol(&t, "target_command");
	t.state = symbol(&t, "target_state");
	t.counter = symbol(&t, "target_counter");
	t.watched = symbol(&t, "target_watched");
	t.pair = symbol(&t, "target_pair");
	t.tick = symbol(&t, "target_tick");
	t.tick_end = symbol(&t, "target_tick_end");
	t.twin = symbol(&t, "target_twin");
	t.store_end = symbol(&t, "target_store_end");
	t.fault_read = symbol(&t, "target_fault_read");

	struct ram_quota_result before = ram_session_quota(env->ram);
	struct monitor_child_args args = { .name = target_name,
		                               .ram_quota = TARGET_QUOTA,
		                               .mode = MONITOR_CHILD_STOPPED,
		                               .handler = t.handler };
	enum monitor_child_result started =
	    monitor_child_start(&t.target, env, &t.parent.ep, &args);
	if (started != MONITOR_CHILD_OK) panic("monitor_child_start: %d", (int)started);
	t.run = monitor_child_run(&t.target);

	check_initial_stop(&t);
	check_regions(&t);
	check_memory(&t);
	resume_all(&t);
	wait_state(&t, 1);
	(void)interrupt(&t);
	check_pair(&t);
	uint64_t worker_a = 0;
	check_breakpoint(&t, &worker_a);
	check_step(&t, worker_a);
	check_pause_resume(&t);
	check_threads(&t);
	check_watchpoint(&t);
	check_stale(&t, false);
	check_stale(&t, true);
	check_range_interrupt(&t);
	check_fault(&t);
	check_exit(&t);

	struct run_control_stats run = run_control_stats(t.run);
	struct virtual_rm_stats rm = virtual_rm_stats(&t.target.rm);
	struct virtual_cpu_stats cpu = virtual_cpu_stats(&t.target.cpu);
	log_info("figures: %lu stops, %lu polls, %lu pauses, %lu resumes, %lu steps, %lu stale; "
	         "%lu attaches, %lu detaches, cache %lu hits %lu misses %lu warmed; "
	         "%lu threads created, %lu ended",
	         (unsigned long)run.stops, (unsigned long)run.polls, (unsigned long)run.pauses,
	         (unsigned long)run.resumes, (unsigned long)run.steps, (unsigned long)run.stale,
	         (unsigned long)rm.attaches, (unsigned long)rm.detaches,
	         (unsigned long)rm.cache_hits, (unsigned long)rm.cache_misses,
	         (unsigned long)rm.cache_warmed, (unsigned long)cpu.created,
	         (unsigned long)cpu.ended);

	monitor_child_destroy(&t.target);
	struct ram_quota_result after = ram_session_quota(env->ram);
	expect(before.result == RAM_OK && after.result == RAM_OK, "quota");
	expect(after.quota.quota == before.quota.quota && after.quota.used == before.quota.used,
	       "every byte back");
	log_info("target destroyed, its quota returned");
	check_kill_starting(&t, env, &args, before);
	log_info("done");
	return 0;
}
