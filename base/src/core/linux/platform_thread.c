/* SPDX-License-Identifier: MIT */
/** \brief thread control on Linux: the CPU session's requests as tracer requests */

#include <stdlib.h>

#include <base/log.h>
#include <base/panic.h>

#include "cpu_session_component.h"
#include "pd_session_component.h"

static enum cpu_session_result platform_thread_result(struct core_thread *t,
                                                      enum tracer_result r)
{
	switch (r) {
	case TRACER_OK:
		return CPU_OK;
	case TRACER_NOT_STOPPED:
		return CPU_NOT_STOPPED;
	case TRACER_NO_SUCH_THREAD:
	case TRACER_EXITED:
		core_thread_exited(t);
		return CPU_EXITED;
	case TRACER_INVALID_STATE:
		return CPU_INVALID_ARGUMENT;
	default:
		return CPU_UNSUPPORTED;
	}
}

static struct tracer *platform_thread_tracer(struct core_thread *t)
{
	return &t->session->core->tracer;
}

enum cpu_session_result platform_thread_pause(struct core_thread *t)
{
	return platform_thread_result(t, tracer_pause(platform_thread_tracer(t), t->tid));
}

enum cpu_session_result platform_thread_resume(struct core_thread *t)
{
	return platform_thread_result(
	    t, tracer_resume(platform_thread_tracer(t), t->tid, t->single_step));
}

/* the batch calls: threads of one core, one hand-over to its tracer (`states`: for reads) */
static void platform_threads_batch(struct core_thread **threads, unsigned count,
                                   enum cpu_session_result *results,
                                   void (*call)(struct tracer *, struct tracer_batch_item *,
                                                unsigned),
                                   struct cpu_state *states)
{
	if (!count) return;
	struct tracer_batch_item *items = calloc(count, sizeof(*items));
	if (!items) panic("core: out of memory for a batch of %u threads", count);
	for (unsigned i = 0; i < count; i++)
		items[i] = (struct tracer_batch_item){ threads[i]->tid, threads[i]->single_step,
			                                   states ? &states[i] : 0, 0 };
	call(platform_thread_tracer(threads[0]), items, count);
	for (unsigned i = 0; i < count; i++)
		results[i] = platform_thread_result(threads[i], items[i].result);
	free(items);
}

void platform_threads_pause(struct core_thread **threads, unsigned count,
                            enum cpu_session_result *results)
{
	platform_threads_batch(threads, count, results, tracer_pause_many, 0);
}

void platform_threads_resume(struct core_thread **threads, unsigned count,
                             enum cpu_session_result *results)
{
	platform_threads_batch(threads, count, results, tracer_resume_many, 0);
}

enum cpu_session_result platform_thread_state(struct core_thread *t, struct cpu_state *state)
{
	return platform_thread_result(t, tracer_state(platform_thread_tracer(t), t->tid, state));
}

void platform_threads_state(struct core_thread **threads, unsigned count,
                            struct cpu_state *states, enum cpu_session_result *results)
{
	platform_threads_batch(threads, count, results, tracer_state_many, states);
}

enum cpu_session_result platform_thread_set_state(struct core_thread *t,
                                                  struct cpu_state const *state)
{
	return platform_thread_result(t,
	                              tracer_set_state(platform_thread_tracer(t), t->tid, state));
}

void platform_thread_kill(struct core_thread *t)
{
	struct core *core = t->session->core;
	struct pd_session_component *pd = t->pd;
	/* the main thread is the process: killing it ends the PD */
	if (pd && pd->state == PD_STATE_RUNNING && t->tid == pd->pid) {
		pd_session_component_kill(pd);
	} else if (pd && pd->hybrid) {
		/* a host program has no gadget of core's: a thread that still lives stays */
		if (!platform_thread_gone(pd, t->tid))
			log_error("cannot end thread '%s' of the hybrid \"%s\" alone", t->name, pd->label);
	} else {
		/*
		 * no such thread: it ended and the tracer reaped it before core took the
		 * event in; exited: it is ending by itself (its process exits)
		 */
		enum tracer_result r =
		    tracer_kill_thread(&core->tracer, t->tid, core->loader_syscall_gadget);
		if (r != TRACER_OK && r != TRACER_NO_SUCH_THREAD && r != TRACER_EXITED)
			log_error("could not end thread '%s'", t->name);
	}
	core_thread_exited(t);
}

bool platform_thread_gone(struct pd_session_component *pd, int tid)
{
	/* gone, or its id is another process's thread's by now */
	return tracer_thread_of(&pd->core->tracer, tid) != pd->pid;
}

bool platform_exception_unhandled(struct pd_session_component *pd, struct core_thread *t,
                                  int tid)
{
	if (!pd->hybrid) return false;
	enum tracer_result r = tracer_deliver(&pd->core->tracer, tid);
	/* gone meanwhile: nothing to deliver to, and nothing stays stopped */
	if (r != TRACER_OK && r != TRACER_NO_SUCH_THREAD && r != TRACER_EXITED) {
		log_error("could not deliver the exception of \"%s\" (%s)", pd->label,
		          tracer_result_name(r));
		return false;
	}
	if (t) core_thread_stop_over(t);
	return true;
}
