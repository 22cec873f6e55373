/* SPDX-License-Identifier: MIT */
/** \brief core's own log lines, and the tracer's events taken into the entrypoint's thread */

#include <stdarg.h>

#include <base/log.h>
#include <util/string.h>
#include <util/format.h>

#include "core.h"
#include "cpu_session_component.h"
#include "linux_loader.h"
#include "pd_session_component.h"
#include "rm_session_component.h"

void core_log(struct core *core, char const *fmt, ...)
{
	char line[LOG_LINE_MAX];
	size_t used = format_string(line, sizeof(line), "[core] ");
	va_list args;
	va_start(args, fmt);
	used += format_vstring(line + used, sizeof(line) - used, fmt, args);
	va_end(args);
	core->log_sink(core->log_sink_context, line, used);
}

static char const *core_exception_name(uint32_t exception)
{
	switch (exception) {
	case CPU_EXCEPTION_STEP:
		return "single step";
	case CPU_EXCEPTION_BREAKPOINT:
		return "breakpoint";
	case CPU_EXCEPTION_WATCHPOINT:
		return "watchpoint";
	case CPU_EXCEPTION_PAGE_FAULT:
		return "page fault";
	case CPU_EXCEPTION_ILLEGAL:
		return "illegal instruction";
	case CPU_EXCEPTION_ARITHMETIC:
		return "arithmetic exception";
	case CPU_EXCEPTION_BUS:
		return "bus error";
	default:
		return "exception";
	}
}

static char const *core_fault_kind_name(uint32_t kind)
{
	switch (kind) {
	case RM_FAULT_READ:
		return " (read)";
	case RM_FAULT_WRITE:
		return " (write)";
	case RM_FAULT_EXEC:
		return " (exec)";
	default:
		return "";
	}
}

static void core_thread_stopped(struct core *core, struct tracer_event const *event)
{
	struct pd_session_component *pd = pd_session_component_by_pid(core, event->pid);
	if (!pd) return;
	struct core_thread *thread = pd_session_component_thread(pd, event->tid);
	struct tracer_stop const *stop = &event->stop;
	char const *name = thread ? thread->name : "(unbound)";

	if (stop->exception == CPU_EXCEPTION_PAGE_FAULT) {
		uint32_t kind = stop->fault_address == stop->ip ? RM_FAULT_EXEC : RM_FAULT_UNKNOWN;
		if (thread) {
			thread->stopped = true;
			thread->exception = stop->exception;
			thread->fault_address = stop->fault_address;
		}
		struct rm_fault fault = { kind, stop->fault_address, stop->ip, { 0 } };
		string_copy(fault.thread, name, sizeof(fault.thread));
		if (pd->address_space &&
		    rm_session_component_fault_record(pd->address_space, (uint64_t)event->tid, &fault))
			return;
		if (thread && core_thread_exception(thread, stop->exception, stop->fault_address))
			return;
		core_log(core,
		         "unresolved page fault in \"%s\" thread '%s' at address 0x%lx ip 0x%lx%s, "
		         "thread stopped",
		         pd->label, name, (unsigned long)stop->fault_address, (unsigned long)stop->ip,
		         core_fault_kind_name(kind));
		return;
	}
	if (thread) thread->dr6 = stop->dr6;
	if (thread && core_thread_exception(thread, stop->exception, stop->fault_address)) return;
	core_log(core, "%s in \"%s\" thread '%s' at ip 0x%lx, no exception handler, thread stopped",
	         core_exception_name(stop->exception), pd->label, name, (unsigned long)stop->ip);
}

static void core_process_exited(struct core *core, struct tracer_event const *event)
{
	struct pd_session_component *pd = pd_session_component_by_pid(core, event->pid);
	if (!pd) return;
	pd->state = PD_STATE_EXITED;
	pd->exit_status = event->exit_code;
	struct list_element *e;
	LIST_FOR_EACH(e, &pd->threads)
	{
		core_thread_exited(LIST_CONTAINER(e, struct core_thread, pd_element));
	}
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
		case TRACER_EVENT_THREAD_STOPPED:
			core_thread_stopped(core, &event);
			break;
		case TRACER_EVENT_THREAD_EXITED: {
			struct pd_session_component *pd = pd_session_component_by_pid(core, event.pid);
			struct core_thread *t = pd ? pd_session_component_thread(pd, event.tid) : 0;
			if (t) core_thread_exited(t);
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
