/* SPDX-License-Identifier: MIT */
/** \brief the tracer's events, taken into the entrypoint's thread */

#include "core.h"
#include "cpu_session_component.h"
#include "linux_loader.h"
#include "pd_session_component.h"

static void core_process_exited(struct core *core, struct tracer_event const *event)
{
	struct pd_session_component *pd = pd_session_component_by_pid(core, event->pid);
	if (!pd) return;
	core_pd_exited(pd);
	if (event->signal)
		core_log(core, "process of \"%s\" killed by signal %d", pd->label, event->signal);
	else if (event->exit_code == LINUX_LOADER_BOOTSTRAP_FAILED ||
	         event->exit_code == LINUX_LOADER_MAP_FAILED)
		core_log(core, "loader of \"%s\" failed (%s)", pd->label,
		         event->exit_code == LINUX_LOADER_MAP_FAILED ? "a region could not be mapped"
		                                                     : "bootstrap refused");
}

void core_tracer_events(void *argument)
{
	struct core *core = argument;
	struct tracer_event event;
	while (tracer_next_event(&core->tracer, &event)) {
		switch (event.type) {
		case TRACER_EVENT_THREAD_STOPPED: {
			struct pd_session_component *pd = pd_session_component_by_pid(core, event.pid);
			struct core_stop stop = { event.stop.exception, event.stop.ip,
				                      event.stop.fault_address, event.stop.dr6 };
			if (pd) core_exception(core, pd, event.tid, &stop);
			break;
		}
		case TRACER_EVENT_THREAD_EXITED: {
			struct pd_session_component *pd = pd_session_component_by_pid(core, event.pid);
			struct core_thread *t = pd ? pd_session_component_thread(pd, event.tid) : 0;
			if (!t) break; /* killed through its session (whose holder knows) or unbound */
			core_thread_exited(t);
			/* the end is news to whoever watches the thread's exceptions (a debugger) */
			(void)core_thread_signal(t);
			break;
		}
		case TRACER_EVENT_PROCESS_EXITED:
			core_process_exited(core, &event);
			break;
		default:
			break; /* new threads are named by their bind */
		}
	}
}
