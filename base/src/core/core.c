/* SPDX-License-Identifier: MIT */
/** \brief core's own log lines, and what core does when a thread stops with an exception */

#include <stdarg.h>

#include <base/log.h>
#include <util/string.h>
#include <util/format.h>

#include "core.h"
#include "cpu_session_component.h"
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

/* what becomes of an exception that no handler took, as the log line ends */
static char const *core_exception_fate(struct pd_session_component *pd,
                                       struct core_thread *thread, int tid)
{
	return platform_exception_unhandled(pd, thread, tid) ? "delivered to the hybrid's process"
	                                                     : "thread stopped";
}

void core_exception(struct core *core, struct pd_session_component *pd, int tid,
                    struct core_stop const *stop)
{
	struct core_thread *thread = pd_session_component_thread(pd, tid);
	/* the late stop of a thread that is gone (ended by its CPU session's close, say) */
	if (!thread && platform_thread_gone(pd, tid)) return;
	char const *name = thread ? thread->name : "(unbound)";
	if (thread)
		core_thread_stop(thread, stop->exception, stop->ip, stop->fault_address, stop->dr6);

	if (stop->exception == CPU_EXCEPTION_PAGE_FAULT) {
		uint32_t kind = stop->fault_address == stop->ip ? RM_FAULT_EXEC : RM_FAULT_UNKNOWN;
		struct rm_fault fault = { kind, stop->fault_address, stop->ip, { 0 } };
		string_copy(fault.thread, name, sizeof(fault.thread));
		if (pd->address_space &&
		    rm_session_component_fault_record(pd->address_space, (uint64_t)tid, &fault))
			return;
		if (thread && core_thread_signal(thread)) return;
		core_log(core,
		         "unresolved page fault in \"%s\" thread '%s' at address 0x%lx ip 0x%lx%s, %s",
		         pd->label, name, (unsigned long)stop->fault_address, (unsigned long)stop->ip,
		         core_fault_kind_name(kind), core_exception_fate(pd, thread, tid));
		return;
	}
	if (thread && core_thread_signal(thread)) return;
	core_log(core, "%s in \"%s\" thread '%s' at ip 0x%lx, no exception handler, %s",
	         core_exception_name(stop->exception), pd->label, name, (unsigned long)stop->ip,
	         core_exception_fate(pd, thread, tid));
}

void core_pd_exited(struct pd_session_component *pd)
{
	pd->state = PD_STATE_EXITED;
	struct list_element *e;
	LIST_FOR_EACH(e, &pd->threads)
	{
		core_thread_exited(LIST_CONTAINER(e, struct core_thread, pd_element));
	}
}
