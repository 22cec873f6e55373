/* SPDX-License-Identifier: MIT */
/**
 * \brief late threads on Linux: a clone, then a wait for the gate before
 *        the thread tells core which cpu_thread it is
 *
 * The platform's thread on a stack of its own (thread_linux_create,
 * base/src/platform/linux/component/thread_linux.h), with a wait before its
 * start.
 */

#include <base/log.h>

#include "late_thread.h"
#include "component/thread_linux.h"
#include "syscall.h"

/* the clone's child: it waits, running and unknown to core, then starts as every thread */
static void late_thread_begin(struct thread *thread)
{
	struct late_thread *late = (struct late_thread *)thread; /* its first member */
	/* an all-stop leaves it alone; it yields the CPU to the debugger, the monitor and
	   core meanwhile */
	while (*late->gate < late->go) linux_syscall1(SYS_sched_yield, 0);
	thread_linux_start(thread);
}

bool late_thread_start(struct late_thread *late, struct env *env, char const *name,
                       thread_entry_function entry, void *argument, int volatile const *gate,
                       int go)
{
	late->gate = gate;
	late->go = go;
	enum thread_result r =
	    thread_linux_create(&late->thread, env, name, entry, argument, late->stack,
	                        sizeof(late->stack), late_thread_begin);
	if (r != THREAD_OK) {
		log_error("late thread: '%s' did not start (%d)", name, (int)r);
		return false;
	}
	return true;
}
