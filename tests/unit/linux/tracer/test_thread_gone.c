/* SPDX-License-Identifier: MIT */
/**
 * \brief tests of core's rule on a late stop of a thread that is gone
 *        (platform_thread_gone, used by core_exception; doc/core_linux.md),
 *        with real processes under core's own tracer
 *
 * A stop that core takes in after the thread's record went away is dropped
 * if the tracer no longer traces the thread as one of the PD's process; a
 * stop of a live thread without a record is still reported. The PD is a
 * record of core's with only what the rule reads (its core, process, label),
 * not a session: no entrypoint serves here.
 */

#include <stdlib.h>
#include <unistd.h>

#include "core.h"
#include "pd_session_component.h"
#include "tracer_fixture.h"
#include "unit_test.h"

/* core's log, as its log sink collects it */
struct core_lines
{
	unsigned count;
	char last[256];
};

static void core_lines_sink(void *context, char const *text, size_t length)
{
	struct core_lines *lines = context;
	if (length >= sizeof(lines->last)) length = sizeof(lines->last) - 1;
	memcpy(lines->last, text, length);
	lines->last[length] = 0;
	lines->count++;
}

static struct core *core_create(struct core_lines *lines)
{
	struct core *core = calloc(1, sizeof(*core));
	CHECK(core != NULL);
	list_init(&core->pds);
	core->log_sink = core_lines_sink;
	core->log_sink_context = lines;
	return core;
}

/* a running PD of process `pid`, with no thread records */
static struct pd_session_component pd_of(struct core *core, pid_t pid, char const *label)
{
	struct pd_session_component pd = { .core = core, .state = PD_STATE_RUNNING, .pid = pid };
	snprintf(pd.label, sizeof(pd.label), "%s", label);
	list_init(&pd.threads);
	return pd;
}

TEST(a_thread_is_gone_once_the_tracer_no_longer_traces_it_in_the_process)
{
	struct core_lines lines = { 0 };
	struct core *core = core_create(&lines);
	struct fixture f;
	fixture_init_core(&f, core);
	struct tracee a, b;
	struct tracee_victim va = tracee_spawn_victim(&f, &a), vb = tracee_spawn_victim(&f, &b);
	pid_t victim_a = va.tid, victim_b = vb.tid;
	struct pd_session_component pd = pd_of(core, a.pid, "a");

	/* the process's live threads are not gone */
	CHECK(!platform_thread_gone(&pd, a.pid));
	CHECK(!platform_thread_gone(&pd, victim_a));
	/* nor ever were: another process's threads, a process that is not traced */
	CHECK(platform_thread_gone(&pd, b.pid));
	CHECK(platform_thread_gone(&pd, victim_b));
	CHECK(platform_thread_gone(&pd, getpid()));

	/* a thread ended while its process runs on */
	CHECK_EQ(tracer_kill_thread(&core->tracer, victim_a, va.gadget), TRACER_OK);
	CHECK(platform_thread_gone(&pd, victim_a));
	CHECK(!platform_thread_gone(&pd, a.pid));
	await_event(&f, TRACER_EVENT_THREAD_EXITED, victim_a);

	/* every thread, with the process */
	tracee_close(&a);
	await_exit(&f, a.pid, 0, 0);
	CHECK(platform_thread_gone(&pd, a.pid));
	tracee_close(&b);
	await_exit_after(&f, b.pid, 0, 0, victim_b);
	/* the rule only answers: core logged nothing */
	CHECK_EQ(lines.count, 0);
	tracer_destroy(&core->tracer);
	free(core);
}

TEST(core_exception_drops_the_late_stop_of_a_gone_thread_only)
{
	struct core_lines lines = { 0 };
	struct core *core = core_create(&lines);
	struct fixture f;
	fixture_init_core(&f, core);
	struct tracee t;
	struct tracee_victim v = tracee_spawn_victim(&f, &t);
	pid_t victim = v.tid;
	struct pd_session_component pd = pd_of(core, t.pid, "test");
	CHECK_EQ(tracer_kill_thread(&core->tracer, victim, v.gadget), TRACER_OK);
	await_event(&f, TRACER_EVENT_THREAD_EXITED, victim);

	/* the stops that were on their way when the victim was ended: nothing to report */
	struct core_stop breakpoint = { .exception = CPU_EXCEPTION_BREAKPOINT, .ip = 0x1234 };
	struct core_stop page_fault = { .exception = CPU_EXCEPTION_PAGE_FAULT,
		                            .ip = 0x1234,
		                            .fault_address = 0x5678 };
	core_exception(core, &pd, victim, &breakpoint);
	core_exception(core, &pd, victim, &page_fault);
	CHECK_EQ(lines.count, 0);

	/* a live thread without a record is reported, unbound (the main thread is alive) */
	core_exception(core, &pd, t.pid, &breakpoint);
	CHECK_EQ(lines.count, 1);
	CHECK_STR(lines.last, "[core] breakpoint in \"test\" thread '(unbound)' at ip 0x1234, no "
	                      "exception handler, thread stopped");

	tracee_close(&t);
	await_exit(&f, t.pid, 0, 0);
	tracer_destroy(&core->tracer);
	free(core);
}
