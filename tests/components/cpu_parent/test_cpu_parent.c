/* SPDX-License-Identifier: MIT */
/**
 * \brief test-cpu-parent: run control of a child through the child's CPU
 *        session: pause, state read and write, single step, breakpoint,
 *        watchpoint (run/cpu.run)
 */

#include <base/log.h>
#include <base/panic.h>
#include <util/string.h>

#include "test_parent.h"

enum { WORKERS = 3 };

struct cpu_test
{
	struct test_parent parent;
	struct child child;
	struct signal_receiver receiver;
	struct signal_slot slots[2];
	struct signal_context context;
	struct signal_context_cap handler;
	struct cpu_thread_cap workers[WORKERS];
	uint64_t ids[WORKERS]; /* core's ids of the workers */
	uint64_t spin, spin_inc_end, write_store_end, breakpoint, watched;
};

static char const *const worker_names[WORKERS] = { "worker-a", "worker-b", "worker-c" };

static struct cpu_session_cap cpu_test_cpu(struct cpu_test *t) { return child_cpu(&t->child); }

/* the handler is in place before the child's first instruction */
static void cpu_test_prepare(void *state, struct child *child)
{
	struct cpu_test *t = state;
	struct cpu_session_cap cpu = child_cpu(child);
	struct signal_context_cap handler = { cap_copy(t->handler.cap) };
	if (cpu_session_exception_handler(cpu, handler) != CPU_OK) panic("handler refused");
}

static struct cpu_state cpu_test_state(struct cpu_test *t, int worker)
{
	struct cpu_state state;
	enum cpu_session_result r = cpu_session_state(cpu_test_cpu(t), t->workers[worker], &state);
	if (r != CPU_OK) panic("state of %s: %d", worker_names[worker], (int)r);
	return state;
}

static void cpu_test_expect(bool condition, char const *what)
{
	if (!condition) panic("check failed: %s", what);
}

/* the child's threads, by name, once all of them run */
static void cpu_test_find_workers(struct cpu_test *t)
{
	unsigned found = 0;
	while (found < WORKERS) {
		found = 0;
		for (uint32_t i = 0; i < WORKERS + 1; i++) {
			struct cpu_thread_cap cap;
			struct cpu_thread_info_result info = cpu_session_thread(cpu_test_cpu(t), i, &cap);
			if (info.result != CPU_OK) continue;
			bool kept = false;
			for (int w = 0; w < WORKERS; w++) {
				if (!string_equal(info.info.name, worker_names[w])) continue;
				/* started and bound: run control works (pause of a running one is fine) */
				enum cpu_session_result r = cpu_session_pause(cpu_test_cpu(t), cap);
				if (r != CPU_OK) continue;
				if (!cap_valid(t->workers[w].cap)) {
					t->workers[w] = cap;
					t->ids[w] = info.info.id;
					kept = true;
				}
				found++;
			}
			if (!kept) cap_close(cap.cap);
		}
	}
	log_info("child test-cpu: threads main, worker-a, worker-b, worker-c");
}

static void cpu_test_resume(struct cpu_test *t, int worker)
{
	cpu_test_expect(cpu_session_resume(cpu_test_cpu(t), t->workers[worker]) == CPU_OK,
	                "resume");
}

/* pause the worker where its ip is within [low, high] (it may need to run there first) */
static struct cpu_state cpu_test_pause_in(struct cpu_test *t, int worker, uint64_t low,
                                          uint64_t high)
{
	for (;;) {
		cpu_test_expect(cpu_session_pause(cpu_test_cpu(t), t->workers[worker]) == CPU_OK,
		                "pause");
		struct cpu_state state = cpu_test_state(t, worker);
		if (state.rip >= low && state.rip <= high) return state;
		cpu_test_resume(t, worker);
	}
}

/* let the worker run until it stops with an exception; the signals may be for others */
static uint32_t cpu_test_wait_exception(struct cpu_test *t, int worker)
{
	for (;;) {
		struct cpu_state state;
		enum cpu_session_result r =
		    cpu_session_state(cpu_test_cpu(t), t->workers[worker], &state);
		if (r == CPU_OK && state.exception == CPU_EXCEPTION_PAUSED) {
			cpu_test_expect(cpu_session_resume(cpu_test_cpu(t), t->workers[worker]) == CPU_OK,
			                "resume");
			continue;
		}
		if (r == CPU_OK) return state.exception;
		cpu_test_expect(r == CPU_NOT_STOPPED, "a running thread");
		struct signal s = signal_receiver_wait(&t->receiver);
		cpu_test_expect(s.result == SIGNAL_OK, "an exception signal");
	}
}

/* the status table of the child's threads, after a pause_all if `pause` */
static unsigned cpu_test_table(struct cpu_test *t, struct cpu_thread_status *table, bool pause)
{
	struct rpc_out_buffer out = { table, CPU_THREAD_STATUS_MAX * sizeof(*table), 0 };
	enum cpu_session_result r = pause ? cpu_session_pause_all(cpu_test_cpu(t), &out)
	                                  : cpu_session_threads(cpu_test_cpu(t), &out);
	cpu_test_expect(r == CPU_OK && out.size % sizeof(*table) == 0, "the threads' table");
	return (unsigned)(out.size / sizeof(*table));
}

/* the entry of worker `w` in a table of `count` */
static struct cpu_thread_status const *cpu_test_entry(struct cpu_test const *t,
                                                      struct cpu_thread_status const *table,
                                                      unsigned count, int w)
{
	for (unsigned i = 0; i < count; i++)
		if (table[i].id == t->ids[w]) return &table[i];
	cpu_test_expect(false, "the worker in the table");
	return 0;
}

/* every thread at once: resume_threads of all lets them run, pause_all stops all of them */
static void cpu_test_all(struct cpu_test *t)
{
	static struct cpu_thread_status table[CPU_THREAD_STATUS_MAX];
	/* the ids of every thread, twice, and one that is none: each stopped one resumed */
	unsigned count = cpu_test_table(t, table, false), running = 0;
	static uint64_t ids[2 * CPU_THREAD_STATUS_MAX + 1];
	for (unsigned i = 0; i < count; i++) ids[i] = ids[count + i] = table[i].id;
	ids[2 * count] = ~0ull;
	struct rpc_buffer list = { ids, (2 * count + 1) * sizeof(ids[0]) };
	cpu_test_expect(cpu_session_resume_threads(cpu_test_cpu(t), list) == CPU_OK,
	                "resume_threads");
	list.size--;
	cpu_test_expect(cpu_session_resume_threads(cpu_test_cpu(t), list) == CPU_INVALID_ARGUMENT,
	                "a list of a broken size");
	count = cpu_test_table(t, table, false);
	for (unsigned i = 0; i < count; i++) {
		running += table[i].started && !table[i].stopped;
		cpu_test_expect(table[i].stopped || table[i].ip == 0, "no ip for a running thread");
	}
	cpu_test_expect(count >= WORKERS + 1 && running >= WORKERS, "the workers run");

	count = cpu_test_table(t, table, true);
	for (unsigned i = 0; i < count; i++) {
		cpu_test_expect(!table[i].started || table[i].stopped, "every started thread stopped");
		cpu_test_expect(table[i].exception != CPU_EXCEPTION_PAUSED || table[i].ip == 0,
		                "no ip for a pause");
		cpu_test_expect(i == 0 || table[i].id > table[i - 1].id, "in creation order");
	}
	for (int w = 0; w < WORKERS; w++) (void)cpu_test_state(t, w); /* stopped: readable */
	log_info("all threads: resume_threads, %u running; pause_all, all %u stopped", running,
	         count);

	/* states: every stopped thread's registers in one call, as state gives each */
	static struct cpu_state states[CPU_STATES_MAX];
	unsigned asked = count < CPU_STATES_MAX - 1 ? count : CPU_STATES_MAX - 1;
	for (unsigned i = 0; i < asked; i++) ids[i] = table[i].id;
	ids[asked] = ~0ull; /* none: a zeroed entry */
	struct rpc_out_buffer out = { states, sizeof(states), 0 };
	list = (struct rpc_buffer){ ids, (asked + 1) * sizeof(ids[0]) };
	cpu_test_expect(cpu_session_states(cpu_test_cpu(t), list, &out) == CPU_OK &&
	                    out.size == (asked + 1) * sizeof(states[0]),
	                "states");
	cpu_test_expect(states[asked].stopped == 0, "no state of an unknown thread");
	unsigned compared = 0;
	for (unsigned i = 0; i < asked; i++) {
		cpu_test_expect(!table[i].started || states[i].stopped == 1,
		                "a stopped thread's state");
		for (int w = 0; w < WORKERS; w++) {
			if (table[i].id != t->ids[w]) continue;
			struct cpu_state alone = cpu_test_state(t, w);
			cpu_test_expect(alone.rip == states[i].rip && alone.rsp == states[i].rsp &&
			                    alone.exception == states[i].exception,
			                "the states of one call are those of state");
			compared++;
		}
	}
	cpu_test_expect(compared == WORKERS, "every worker's state compared");
	list.size = (CPU_STATES_MAX + 1) * sizeof(ids[0]);
	cpu_test_expect(cpu_session_states(cpu_test_cpu(t), list, &out) != CPU_OK,
	                "more ids than CPU_STATES_MAX (the stub refuses to send them)");
	list.size = 3;
	cpu_test_expect(cpu_session_states(cpu_test_cpu(t), list, &out) == CPU_INVALID_ARGUMENT,
	                "a list of a broken size");
	log_info("states: %u threads in one call, each as state gives it", asked);
}

int component_construct(struct env *env)
{
	static struct cpu_test t;
	test_parent_init(&t.parent, env);
	for (int w = 0; w < WORKERS; w++) t.workers[w] = CAP_INVALID(cpu_thread);
	t.handler = test_parent_receiver_init(&t.receiver, t.slots, 2, &t.context, &t);

	t.spin = test_parent_symbol(env, "test-cpu", "cpu_spin");
	t.spin_inc_end = test_parent_symbol(env, "test-cpu", "cpu_spin_inc_end");
	t.write_store_end = test_parent_symbol(env, "test-cpu", "cpu_write_store_end");
	t.breakpoint = test_parent_symbol(env, "test-cpu", "cpu_breakpoint");
	t.watched = test_parent_symbol(env, "test-cpu", "cpu_watched");

	struct ram_quota_result before = ram_session_quota(env->ram);
	struct child_policy policy = { .prepare = cpu_test_prepare, .state = &t };
	test_parent_start_child(&t.parent, &t.child, "test-cpu", 4 << 20, &policy);
	cpu_test_find_workers(&t);

	/* worker-c's int3 arrives as an exception signal; ip is after the int3 */
	cpu_test_expect(cpu_test_wait_exception(&t, 2) == CPU_EXCEPTION_BREAKPOINT, "breakpoint");
	struct cpu_state c = cpu_test_state(&t, 2);
	cpu_test_expect(c.rip == t.breakpoint + 1, "ip after the int3");
	log_info("worker-c: breakpoint signalled, ip 0x%lx is cpu_breakpoint + 1",
	         (unsigned long)c.rip);

	/* every worker paused, its ip in its loop (the first pause may meet it before) */
	struct cpu_state a = cpu_test_pause_in(&t, 0, t.spin, t.spin_inc_end);
	struct cpu_state b = cpu_test_pause_in(&t, 1, t.spin_inc_end, t.write_store_end);
	cpu_test_resume(&t, 2);
	(void)cpu_test_pause_in(&t, 2, t.spin, t.spin_inc_end);
	log_info("worker-a, worker-b, worker-c: paused, ips in their loops");

	/* change a register, see the thread go on from the new value */
	a.r12 = 1ull << 32;
	cpu_test_expect(cpu_session_set_state(cpu_test_cpu(&t), t.workers[0], a) == CPU_OK,
	                "set_state");
	cpu_test_expect(cpu_session_resume(cpu_test_cpu(&t), t.workers[0]) == CPU_OK, "resume");
	cpu_test_expect(cpu_session_pause(cpu_test_cpu(&t), t.workers[0]) == CPU_OK, "pause");
	a = cpu_test_state(&t, 0);
	cpu_test_expect(a.r12 >= 1ull << 32, "r12 counts on from the value set");
	log_info("worker-a: r12 set to 0x100000000, counts on from there after resume");

	/* single step: exactly one instruction, then an exception signal */
	uint64_t expected = a.rip == t.spin ? t.spin_inc_end : t.spin;
	cpu_test_expect(cpu_session_single_step(cpu_test_cpu(&t), t.workers[0], true) == CPU_OK,
	                "single_step");
	cpu_test_expect(cpu_session_resume(cpu_test_cpu(&t), t.workers[0]) == CPU_OK, "resume");
	cpu_test_expect(cpu_test_wait_exception(&t, 0) == CPU_EXCEPTION_STEP, "step exception");
	a = cpu_test_state(&t, 0);
	cpu_test_expect(a.rip == expected, "ip advanced by one instruction");
	static struct cpu_thread_status table[CPU_THREAD_STATUS_MAX];
	struct cpu_thread_status const *entry =
	    cpu_test_entry(&t, table, cpu_test_table(&t, table, false), 0);
	cpu_test_expect(entry->exception == CPU_EXCEPTION_STEP && entry->ip == expected,
	                "the table's entry: the step's exception at the ip");
	cpu_test_expect(cpu_session_single_step(cpu_test_cpu(&t), t.workers[0], false) == CPU_OK,
	                "single_step off");
	log_info("worker-a: single step advanced ip by one instruction, as the table says too");

	cpu_test_all(&t);

	/* a write watchpoint on cpu_watched in worker-b's debug registers */
	b.dr[0] = t.watched;
	b.dr[7] = 1 | (1ull << 16) | (3ull << 18); /* L0, break on write, 8 bytes */
	cpu_test_expect(cpu_session_set_state(cpu_test_cpu(&t), t.workers[1], b) == CPU_OK,
	                "set debug registers");
	cpu_test_expect(cpu_session_resume(cpu_test_cpu(&t), t.workers[1]) == CPU_OK, "resume b");
	cpu_test_expect(cpu_test_wait_exception(&t, 1) == CPU_EXCEPTION_WATCHPOINT, "watchpoint");
	b = cpu_test_state(&t, 1);
	cpu_test_expect(b.rip == t.write_store_end, "ip after the store");
	cpu_test_expect((b.dr[6] & 1) != 0, "dr6 names watchpoint 0");
	log_info("worker-b: watchpoint on cpu_watched fired after the store");
	b.dr[7] = 0;
	cpu_test_expect(cpu_session_set_state(cpu_test_cpu(&t), t.workers[1], b) == CPU_OK,
	                "clear debug registers");

	for (int w = 0; w < WORKERS; w++)
		cpu_test_expect(cpu_session_resume(cpu_test_cpu(&t), t.workers[w]) == CPU_OK,
		                "resume all");
	for (int w = 0; w < WORKERS; w++) cap_close(t.workers[w].cap);
	child_destroy(&t.child);

	/* every byte the child and its sessions had is back */
	struct ram_quota_result after = ram_session_quota(env->ram);
	cpu_test_expect(before.result == RAM_OK && after.result == RAM_OK, "quota");
	cpu_test_expect(after.quota.quota == before.quota.quota, "quota returned");
	cpu_test_expect(after.quota.used == before.quota.used, "memory freed");
	log_info("child destroyed, its quota returned");
	log_info("done");
	return 0;
}
