/* SPDX-License-Identifier: MIT */
/**
 * \brief tests of core's ptrace back end with real processes (the tracee
 *        program in its modes) and real ptrace
 *
 * Nothing sleeps for an event: events are awaited through the notify
 * callback, reports of the tracee through its pipe, each with a bound of
 * WAIT_MS that only a broken tracer reaches.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tracer_fixture.h"
#include "unit_test.h"

TEST(init_requires_sigchld_blocked_and_not_ignored)
{
	struct tracer tracer;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	CHECK_EQ(pthread_sigmask(SIG_UNBLOCK, &set, NULL), 0);
	CHECK_EQ(tracer_init(&tracer, NULL, NULL), TRACER_SIGCHLD_SETUP);

	block_sigchld();
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	CHECK_EQ(sigaction(SIGCHLD, &ignore, NULL), 0);
	CHECK_EQ(tracer_init(&tracer, NULL, NULL), TRACER_SIGCHLD_SETUP);

	struct sigaction default_action = { .sa_handler = SIG_DFL };
	CHECK_EQ(sigaction(SIGCHLD, &default_action, NULL), 0);
	CHECK_EQ(tracer_init(&tracer, NULL, NULL), TRACER_OK);
	tracer_destroy(&tracer);
}

TEST(spawn_reports_exit_status)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "exit", "7");
	await_exit(&f, t.pid, 7, 0);
	CHECK_EQ(tracer_thread_of(&f.tracer, t.pid), 0);
	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_NO_SUCH_THREAD);
	check_no_event(&f);
	check_no_children();
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(spawn_failure_is_a_result)
{
	struct fixture f;
	fixture_init(&f);
	char *argv[] = { "missing", NULL };
	struct tracer_spawn_result r =
	    tracer_spawn(&f.tracer, "/nonexistent/missing", argv, NULL, 0);
	CHECK_EQ(r.result, TRACER_EXEC_FAILED);
	CHECK_EQ(r.pid, 0);
	/* a file that is not executable */
	r = tracer_spawn(&f.tracer, "/dev/null", argv, NULL, 0);
	CHECK_EQ(r.result, TRACER_EXEC_FAILED);
	check_no_event(&f);
	check_no_children();

	/* bad arguments fail before anything starts */
	int fds[TRACER_SPAWN_FDS_MAX + 1] = { 0 };
	CHECK_EQ(tracer_spawn(&f.tracer, NULL, argv, NULL, 0).result, TRACER_INVALID_ARGUMENT);
	CHECK_EQ(tracer_spawn(&f.tracer, "/bin/true", NULL, NULL, 0).result,
	         TRACER_INVALID_ARGUMENT);
	CHECK_EQ(tracer_spawn(&f.tracer, "/bin/true", argv, fds, TRACER_SPAWN_FDS_MAX + 1).result,
	         TRACER_INVALID_ARGUMENT);
	int closed[] = { 1000 };
	CHECK_EQ(fcntl(1000, F_GETFD), -1);
	CHECK_EQ(tracer_spawn(&f.tracer, "/bin/true", argv, closed, 1).result,
	         TRACER_INVALID_ARGUMENT);
	check_no_children();
	tracer_destroy(&f.tracer);
}

TEST(spawn_passes_exactly_the_given_descriptors)
{
	struct fixture f;
	fixture_init(&f);
	/* /dev/zero gets a lower number than the pipe but goes to the higher slot */
	int zero = open("/dev/zero", O_RDONLY);
	int decoy = open("/dev/null", O_RDONLY); /* open, not passed: must not arrive */
	int report[2];
	CHECK_EQ(pipe(report), 0);
	CHECK(zero >= 0 && decoy >= 0 && zero < report[1]);
	char path[PATH_MAX];
	tracee_path(path, sizeof(path));
	char *argv[] = { "tracee", "fds", NULL };
	int fds[] = { report[1], zero };
	struct tracer_spawn_result r = tracer_spawn(&f.tracer, path, argv, fds, 2);
	CHECK_EQ(r.result, TRACER_OK);
	close(report[1]);

	struct tracee t = { .pid = r.pid, .report = report[0], .command = -1 };
	struct stat pipe_status, zero_status;
	CHECK_EQ(fstat(report[0], &pipe_status), 0);
	CHECK_EQ(fstat(zero, &zero_status), 0);
	char line[LINE_MAX_LENGTH], expected[LINE_MAX_LENGTH];
	tracee_line(&t, line);
	snprintf(expected, sizeof(expected), "fd 3 %lx %lx", (unsigned long)pipe_status.st_dev,
	         (unsigned long)pipe_status.st_ino);
	CHECK_STR(line, expected);
	tracee_line(&t, line);
	snprintf(expected, sizeof(expected), "fd 4 %lx %lx", (unsigned long)zero_status.st_dev,
	         (unsigned long)zero_status.st_ino);
	CHECK_STR(line, expected);
	tracee_line(&t, line);
	CHECK_STR(line, "stdin /dev/null");
	tracee_ready(&t);
	await_exit(&f, r.pid, 0, 0);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(pause_busy_thread_read_rip_set_register)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "spin", "");
	uint64_t loop = tracee_value(&t, "spin_loop"), end = tracee_value(&t, "spin_end");
	tracee_ready(&t);

	/* pause and resume in quick succession: no stop gets lost or reported */
	for (unsigned i = 0; i < 50; i++) {
		CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
		struct cpu_state state = state_of(&f, t.pid);
		CHECK_EQ(state.exception, CPU_EXCEPTION_PAUSED);
		CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	}
	/* until the thread is caught inside its loop (it gets there right after "ready") */
	struct timespec deadline = deadline_in(WAIT_MS);
	struct cpu_state state;
	for (;;) {
		CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
		state = state_of(&f, t.pid);
		if (state.rip >= loop && state.rip < end) break;
		CHECK(ms_until(deadline) > 0);
		CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	}
	CHECK_EQ(state.rax, 0);
	state.rax = 42;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &state), TRACER_OK);
	CHECK_EQ(state_of(&f, t.pid).rax, 42);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	/* pauses queue no event: the exit comes next */
	struct tracer_event event;
	CHECK(next_event(&f, &event));
	CHECK_EQ(event.type, TRACER_EVENT_THREAD_EXITED);
	CHECK(next_event(&f, &event));
	CHECK_EQ(event.type, TRACER_EVENT_PROCESS_EXITED);
	CHECK_EQ(event.exit_code, 42);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(pause_resume_state_contract)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "echo", "");
	tracee_ready(&t);

	struct cpu_state state;
	memset(&state, 0xff, sizeof(state));
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_NOT_STOPPED);
	CHECK_EQ(tracer_state(&f.tracer, t.pid, &state), TRACER_NOT_STOPPED);
	CHECK_EQ(state.stopped, 0);
	CHECK_EQ(state.rip, 0);
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &state), TRACER_NOT_STOPPED);
	CHECK_EQ(tracer_pause(&f.tracer, getpid()), TRACER_NO_SUCH_THREAD);
	CHECK_EQ(tracer_pause(&f.tracer, 0), TRACER_NO_SUCH_THREAD);
	CHECK_EQ(tracer_thread_of(&f.tracer, getpid()), 0);
	CHECK_EQ(tracer_kill_process(&f.tracer, getpid()), TRACER_NO_SUCH_THREAD);

	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
	state = state_of(&f, t.pid);
	CHECK_EQ(state.exception, CPU_EXCEPTION_PAUSED);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	tracee_echo(&t, 'a');

	/* a thread blocked in read: each pause interrupts it, each resume restarts it */
	for (unsigned i = 0; i < 50; i++) {
		CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
		CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	}
	tracee_echo(&t, 'c');

	CHECK_EQ(tracer_kill_process(&f.tracer, t.pid), TRACER_OK);
	CHECK_EQ(tracer_thread_of(&f.tracer, t.pid), 0);
	await_exit(&f, t.pid, 0, SIGKILL);
	CHECK_EQ(tracer_kill_process(&f.tracer, t.pid), TRACER_NO_SUCH_THREAD);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_NO_SUCH_THREAD);
	check_no_children();
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(breakpoint_stops_until_resumed)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "int3", "");
	uint64_t int3 = tracee_value(&t, "int3"), step_a = tracee_value(&t, "step_a");
	tracee_value(&t, "step_b");
	tracee_value(&t, "step_c");
	tracee_ready(&t);

	struct tracer_event event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.pid, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_BREAKPOINT);
	CHECK_EQ(event.stop.signal, SIGTRAP);
	CHECK_EQ_U(event.stop.ip, int3 + 1);
	CHECK_EQ_U(step_a, int3 + 1);

	struct cpu_state state = state_of(&f, t.pid);
	CHECK_EQ(state.exception, CPU_EXCEPTION_BREAKPOINT);
	CHECK_EQ_U(state.rip, int3 + 1);
	/* it stays: a pause finds it stopped, with the breakpoint as the reason */
	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
	CHECK_EQ(state_of(&f, t.pid).exception, CPU_EXCEPTION_BREAKPOINT);
	check_no_event(&f);

	/* the SIGTRAP is not delivered: the program goes on and exits with rax = 3 */
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	await_exit(&f, t.pid, 3, 0);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(single_step_advances_one_instruction)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "int3", "");
	tracee_value(&t, "int3");
	uint64_t step_a = tracee_value(&t, "step_a");
	uint64_t step_b = tracee_value(&t, "step_b"), step_c = tracee_value(&t, "step_c");
	tracee_ready(&t);
	CHECK_EQ_U(await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid).stop.ip, step_a);

	CHECK_EQ(tracer_resume(&f.tracer, t.pid, true), TRACER_OK);
	struct tracer_event event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_STEP);
	CHECK_EQ_U(event.stop.ip, step_b); /* past the 5-byte mov */
	struct cpu_state state = state_of(&f, t.pid);
	CHECK_EQ(state.exception, CPU_EXCEPTION_STEP);
	CHECK_EQ(state.rax, 1);

	CHECK_EQ(tracer_resume(&f.tracer, t.pid, true), TRACER_OK);
	event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_STEP);
	CHECK_EQ_U(event.stop.ip, step_c); /* past the 4-byte add */
	CHECK_EQ(state_of(&f, t.pid).rax, 3);

	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	await_exit(&f, t.pid, 3, 0);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(page_fault_stops_only_the_faulting_thread)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "segv", "0x1000");
	uint64_t load = tracee_value(&t, "load"), load_end = tracee_value(&t, "load_end");
	tracee_ready(&t);
	struct tracer_event created = await_event(&f, TRACER_EVENT_THREAD_CREATED, 0);
	CHECK_EQ(created.pid, t.pid);

	struct tracer_event event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_PAGE_FAULT);
	CHECK_EQ(event.stop.signal, SIGSEGV);
	CHECK_EQ_U(event.stop.fault_address, 0x1000);
	CHECK_EQ_U(event.stop.ip, load);

	/* the other thread runs on */
	tracee_echo(&t, 'x');
	struct cpu_state state = state_of(&f, t.pid);
	CHECK_EQ(state.exception, CPU_EXCEPTION_PAGE_FAULT);
	CHECK_EQ_U(state.fault_address, 0x1000);
	CHECK_EQ_U(state.rip, load);
	CHECK_EQ_U(state.rdi, 0x1000);

	/* resuming re-executes the load: the same fault again */
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_PAGE_FAULT);
	CHECK_EQ_U(event.stop.ip, load);

	/* with a readable address the load succeeds and the program ends well */
	state = state_of(&f, t.pid);
	state.rdi = state.rsp;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &state), TRACER_OK);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, true), TRACER_OK);
	event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_STEP);
	CHECK_EQ_U(event.stop.ip, load_end);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	await_exit_after(&f, t.pid, 0, 0, created.tid);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

/* deliver: the fault goes to the process after all, its handler or its default action */
static void deliver_fault(char const *mode, int exit_code, int signal)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, mode, "0x1000");
	(void)tracee_value(&t, "load");
	(void)tracee_value(&t, "load_end");
	tracee_ready(&t);
	struct tracer_event created = await_event(&f, TRACER_EVENT_THREAD_CREATED, 0);
	struct tracer_event event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_PAGE_FAULT);

	/* a running thread has nothing to deliver */
	tracee_echo(&t, 'x');
	CHECK_EQ(tracer_deliver(&f.tracer, created.tid), TRACER_NOT_STOPPED);
	CHECK_EQ(tracer_deliver(&f.tracer, 999999), TRACER_NO_SUCH_THREAD);

	CHECK_EQ(tracer_deliver(&f.tracer, t.pid), TRACER_OK);
	await_exit_after(&f, t.pid, exit_code, signal, created.tid);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
	check_no_children();
}

TEST(deliver_runs_the_default_action_of_the_fault) { deliver_fault("segv", 0, SIGSEGV); }

TEST(deliver_runs_the_handler_with_the_fault_siginfo) { deliver_fault("segv_handled", 42, 0); }

TEST(deliver_after_a_pause_continues_the_thread)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "echo", "");
	tracee_ready(&t);
	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
	CHECK_EQ(tracer_deliver(&f.tracer, t.pid), TRACER_OK);
	tracee_echo(&t, 'y');
	tracee_close(&t);
	await_exit(&f, t.pid, 0, 0);
	tracer_destroy(&f.tracer);
}

TEST(watchpoint_fires_on_write)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "watch", "");
	uint64_t watched = tracee_value(&t, "watched");
	tracee_value(&t, "store");
	uint64_t store_end = tracee_value(&t, "store_end");
	tracee_ready(&t);

	/* dr0 = the variable; dr7: L0, RW0 = write, LEN0 = 8 bytes */
	uint64_t const dr7 = 1 | (1u << 16) | (3u << 18);
	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
	struct cpu_state state = state_of(&f, t.pid);
	state.dr[0] = watched;
	state.dr[7] = dr7;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &state), TRACER_OK);
	state = state_of(&f, t.pid);
	CHECK_EQ_U(state.dr[0], watched);
	CHECK_EQ_U(state.dr[7], dr7);

	/*
	 * A watchpoint on a kernel address is refused, and the read after it
	 * shows what the thread has: the old dr0 and dr7 (the tracer keeps a
	 * copy of them, which must not take the refused values). The old
	 * watchpoint still fires below.
	 */
	struct cpu_state bad = state;
	bad.dr[0] = 0xffff800000000000ull;
	bad.dr[7] = dr7;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &bad), TRACER_INVALID_STATE);
	state = state_of(&f, t.pid);
	CHECK_EQ_U(state.dr[0], watched);
	CHECK_EQ_U(state.dr[7], dr7);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);

	CHECK_EQ(write(t.command, "w", 1), 1);
	struct tracer_event event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_WATCHPOINT);
	CHECK_EQ(event.stop.signal, SIGTRAP);
	CHECK_EQ_U(event.stop.dr6 & 0xf, 1);
	CHECK_EQ_U(event.stop.ip, store_end); /* a data breakpoint traps after the access */
	state = state_of(&f, t.pid);
	CHECK_EQ(state.exception, CPU_EXCEPTION_WATCHPOINT);
	CHECK_EQ_U(state.dr[6] & 0xf, 0); /* cleared for the next hit */

	state.dr[7] = 0;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &state), TRACER_OK);
	CHECK_EQ_U(state_of(&f, t.pid).dr[7], 0);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	await_exit(&f, t.pid, 0, 0);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(fpu_state_read_and_written)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "fpu", "");
	uint64_t trap = tracee_value(&t, "fpu_trap");
	tracee_ready(&t);
	struct tracer_event event = await_event(&f, TRACER_EVENT_THREAD_STOPPED, t.pid);
	CHECK_EQ(event.stop.exception, CPU_EXCEPTION_BREAKPOINT);
	CHECK_EQ_U(event.stop.ip, trap + 1);

	struct cpu_state state = state_of(&f, t.pid);
	uint8_t loaded[16], written[16];
	for (unsigned i = 0; i < 16; i++) {
		loaded[i] = (uint8_t)i;
		written[i] = (uint8_t)(0xa0 + i);
	}
	CHECK_MEM(state.fpu.xmm[0], loaded, 16);
	CHECK_EQ_U(state.fpu.mxcsr & 0xffff, 0x1f80); /* the default: all exceptions masked */
	memcpy(state.fpu.xmm[0], written, 16);
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &state), TRACER_OK);
	CHECK_MEM(state_of(&f, t.pid).fpu.xmm[0], written, 16);

	/* an invalid MXCSR and an invalid code segment are refused, changing nothing */
	struct cpu_state bad = state;
	bad.fpu.mxcsr = 0xffffffff;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &bad), TRACER_INVALID_STATE);
	bad = state;
	bad.cs = 0x1234;
	bad.rax = 0x5555;
	CHECK_EQ(tracer_set_state(&f.tracer, t.pid, &bad), TRACER_INVALID_STATE);
	struct cpu_state now = state_of(&f, t.pid);
	CHECK_EQ_U(now.cs, state.cs);
	CHECK_EQ_U(now.rax, state.rax);
	CHECK_EQ_U(now.fpu.mxcsr, state.fpu.mxcsr);

	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	char line[LINE_MAX_LENGTH];
	tracee_line(&t, line);
	CHECK_STR(line, "xmm0 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
	await_exit(&f, t.pid, 0, 0);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(thread_creation_and_exit_events)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "threads", "3");
	pid_t reported[3];
	for (unsigned i = 0; i < 3; i++) reported[i] = (pid_t)tracee_value(&t, "tid");
	tracee_value(&t, "gadget");
	tracee_value(&t, "bad_gadget");
	tracee_ready(&t);

	for (unsigned i = 0; i < 3; i++) {
		struct tracer_event event;
		CHECK(next_event(&f, &event));
		CHECK_EQ(event.type, TRACER_EVENT_THREAD_CREATED);
		CHECK_EQ(event.pid, t.pid);
		CHECK(event.tid != t.pid);
		bool known = false;
		for (unsigned j = 0; j < 3; j++) known |= reported[j] == event.tid;
		CHECK(known);
	}
	check_no_event(&f);
	for (unsigned i = 0; i < 3; i++) CHECK_EQ(tracer_thread_of(&f.tracer, reported[i]), t.pid);
	CHECK_EQ(tracer_thread_of(&f.tracer, t.pid), t.pid);

	/* each thread can be paused and inspected on its own */
	CHECK_EQ(tracer_pause(&f.tracer, reported[1]), TRACER_OK);
	CHECK_EQ(state_of(&f, reported[1]).exception, CPU_EXCEPTION_PAUSED);
	struct cpu_state running;
	CHECK_EQ(tracer_state(&f.tracer, reported[0], &running), TRACER_NOT_STOPPED);
	CHECK_EQ(tracer_resume(&f.tracer, reported[1], false), TRACER_OK);

	/* EOF on the command pipe ends the threads, then the process */
	tracee_close(&t);
	for (unsigned i = 0; i < 3; i++) {
		struct tracer_event event;
		CHECK(next_event(&f, &event));
		CHECK_EQ(event.type, TRACER_EVENT_THREAD_EXITED);
		CHECK_EQ(event.pid, t.pid);
		CHECK(event.tid != t.pid);
	}
	await_exit(&f, t.pid, 0, 0);
	for (unsigned i = 0; i < 3; i++) CHECK_EQ(tracer_thread_of(&f.tracer, reported[i]), 0);
	check_no_event(&f);
	tracer_destroy(&f.tracer);
}

TEST(threads_created_by_threads)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	enum { COUNT = 8 };
	tracee_spawn(&f, &t, "nested", "8");
	pid_t reported[COUNT];
	for (unsigned i = 0; i < COUNT; i++) reported[i] = (pid_t)tracee_value(&t, "tid");
	tracee_ready(&t);

	/* the spawner first, then its threads: all of the same process */
	struct tracer_event event;
	CHECK(next_event(&f, &event));
	CHECK_EQ(event.type, TRACER_EVENT_THREAD_CREATED);
	CHECK_EQ(event.pid, t.pid);
	pid_t spawner = event.tid;
	for (unsigned i = 0; i < COUNT; i++) {
		CHECK(next_event(&f, &event));
		CHECK_EQ(event.type, TRACER_EVENT_THREAD_CREATED);
		CHECK_EQ(event.pid, t.pid);
		bool known = false;
		for (unsigned j = 0; j < COUNT; j++) known |= reported[j] == event.tid;
		CHECK(known);
	}
	for (unsigned i = 0; i < COUNT; i++) {
		CHECK_EQ(tracer_thread_of(&f.tracer, reported[i]), t.pid);
		CHECK_EQ(tracer_pause(&f.tracer, reported[i]), TRACER_OK);
		CHECK_EQ(tracer_resume(&f.tracer, reported[i], false), TRACER_OK);
	}
	tracee_close(&t);
	await_exit_after(&f, t.pid, 0, 0, spawner);
	tracer_destroy(&f.tracer);
}

TEST(forked_process_is_traced)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "fork", "");
	pid_t child = (pid_t)tracee_value(&t, "child");
	struct tracer_event event;
	CHECK(next_event(&f, &event));
	CHECK_EQ(event.type, TRACER_EVENT_THREAD_CREATED);
	CHECK_EQ(event.pid, child);
	CHECK_EQ(event.tid, child);
	CHECK(child != t.pid);
	await_exit(&f, child, 5, 0);
	/* the real parent still gets its child's status */
	await_exit(&f, t.pid, 5, 0);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(kill_thread_ends_one_thread)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	struct tracee_victim v = tracee_spawn_victim(&f, &t);
	pid_t victim = v.tid;
	uint64_t gadget = v.gadget, bad_gadget = v.bad_gadget;
	CHECK_EQ(tracer_thread_of(&f.tracer, victim), t.pid);

	/* a gadget that is no syscall: refused, the paused thread as before (in pause()) */
	CHECK_EQ(tracer_pause(&f.tracer, victim), TRACER_OK);
	struct cpu_state before = state_of(&f, victim);
	CHECK_EQ(tracer_kill_thread(&f.tracer, victim, bad_gadget), TRACER_INVALID_GADGET);
	struct cpu_state after = state_of(&f, victim);
	CHECK_EQ(after.exception, CPU_EXCEPTION_PAUSED);
	CHECK_EQ_U(after.rip, before.rip);
	CHECK_EQ_U(after.rax, before.rax);
	CHECK_EQ(tracer_thread_of(&f.tracer, victim), t.pid);
	/* resumed, it restarts its pause(); kill_thread stops it there first */
	CHECK_EQ(tracer_resume(&f.tracer, victim, false), TRACER_OK);
	CHECK_EQ(tracer_kill_thread(&f.tracer, victim, gadget), TRACER_OK);
	CHECK_EQ(tracer_thread_of(&f.tracer, victim), 0);
	struct tracer_event event;
	CHECK(next_event(&f, &event));
	CHECK_EQ(event.type, TRACER_EVENT_THREAD_EXITED);
	CHECK_EQ(event.tid, victim);
	CHECK_EQ(event.pid, t.pid);
	CHECK(tracer_kill_thread(&f.tracer, victim, gadget) != TRACER_OK);

	/* the process runs on */
	tracee_echo(&t, 'k');
	CHECK_EQ(tracer_thread_of(&f.tracer, t.pid), t.pid);
	tracee_close(&t);
	await_exit(&f, t.pid, 0, 0);
	tracer_destroy(&f.tracer);
}

TEST(signals_pass_through_and_stop_signals_do_not_stop)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee t;
	tracee_spawn(&f, &t, "echo", "");
	tracee_ready(&t);

	/* a group-stop would hang the echo */
	CHECK_EQ(kill(t.pid, SIGSTOP), 0);
	tracee_echo(&t, '1');
	CHECK_EQ(kill(t.pid, SIGTSTP), 0);
	tracee_echo(&t, '2');
	CHECK_EQ(kill(t.pid, SIGCONT), 0);
	tracee_echo(&t, '3');

	/* a SIGSEGV sent by a process is no fault: delivered, it kills */
	CHECK_EQ(kill(t.pid, SIGSEGV), 0);
	await_exit(&f, t.pid, 0, SIGSEGV);
	tracee_close(&t);

	/* a signal sent to a paused thread waits for the resume, then is delivered */
	tracee_spawn(&f, &t, "echo", "");
	tracee_ready(&t);
	CHECK_EQ(tracer_pause(&f.tracer, t.pid), TRACER_OK);
	CHECK_EQ(kill(t.pid, SIGTERM), 0);
	CHECK_EQ(state_of(&f, t.pid).exception, CPU_EXCEPTION_PAUSED);
	check_no_event(&f);
	CHECK_EQ(tracer_resume(&f.tracer, t.pid, false), TRACER_OK);
	await_exit(&f, t.pid, 0, SIGTERM);
	tracee_close(&t);
	tracer_destroy(&f.tracer);
}

TEST(destroy_kills_leftovers)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee spinning, trapped, threaded;
	tracee_spawn(&f, &spinning, "spin", "");
	tracee_spawn(&f, &trapped, "int3", "");
	tracee_spawn(&f, &threaded, "threads", "2");
	tracee_value(&spinning, "spin_loop");
	tracee_value(&spinning, "spin_end");
	tracee_ready(&spinning);
	for (unsigned i = 0; i < 2; i++) tracee_value(&threaded, "tid");
	await_event(&f, TRACER_EVENT_THREAD_STOPPED, trapped.pid);
	CHECK_EQ(tracer_pause(&f.tracer, spinning.pid), TRACER_OK);

	tracer_destroy(&f.tracer);
	pid_t pids[] = { spinning.pid, trapped.pid, threaded.pid };
	for (unsigned i = 0; i < 3; i++) {
		errno = 0;
		CHECK_EQ(kill(pids[i], 0), -1);
		CHECK_EQ(errno, ESRCH);
	}
	check_no_children();
	tracee_close(&spinning);
	tracee_close(&trapped);
	tracee_close(&threaded);
}

struct caller
{
	struct fixture *f;
	struct tracee *tracee;
	bool ok;
};

static void *caller_main(void *argument)
{
	struct caller *c = argument;
	c->ok = true;
	for (unsigned i = 0; i < 100 && c->ok; i++) {
		struct cpu_state state;
		c->ok = tracer_pause(&c->f->tracer, c->tracee->pid) == TRACER_OK &&
		        tracer_state(&c->f->tracer, c->tracee->pid, &state) == TRACER_OK &&
		        state.stopped && state.exception == CPU_EXCEPTION_PAUSED &&
		        tracer_resume(&c->f->tracer, c->tracee->pid, false) == TRACER_OK;
	}
	return NULL;
}

TEST(concurrent_callers)
{
	struct fixture f;
	fixture_init(&f);
	struct tracee a, b;
	tracee_spawn(&f, &a, "echo", "");
	tracee_spawn(&f, &b, "echo", "");
	tracee_ready(&a);
	tracee_ready(&b);
	struct caller callers[2] = { { &f, &a, false }, { &f, &b, false } };
	pthread_t threads[2];
	for (unsigned i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&threads[i], NULL, caller_main, &callers[i]), 0);
	for (unsigned i = 0; i < 2; i++) CHECK_EQ(pthread_join(threads[i], NULL), 0);
	CHECK(callers[0].ok && callers[1].ok);
	tracee_echo(&a, 'a');
	tracee_echo(&b, 'b');
	check_no_event(&f);
	tracee_close(&a);
	tracee_close(&b);
	/* both end, in either order */
	unsigned ended = 0;
	while (ended < 2) {
		struct tracer_event event;
		CHECK(next_event(&f, &event));
		CHECK(event.type == TRACER_EVENT_THREAD_EXITED ||
		      event.type == TRACER_EVENT_PROCESS_EXITED);
		if (event.type == TRACER_EVENT_PROCESS_EXITED) {
			CHECK(event.pid == a.pid || event.pid == b.pid);
			CHECK_EQ(event.exit_code, 0);
			ended++;
		}
	}
	tracer_destroy(&f.tracer);
}
