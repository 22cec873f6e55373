/* SPDX-License-Identifier: MIT */
/**
 * \brief late threads on Linux: a clone, then a wait for the gate before
 *        the thread tells core which cpu_thread it is
 *
 * The platform's clone and thread start (base/src/platform/linux/component/
 * thread_linux.h), with a wait between them.
 */

#include <base/log.h>
#include <util/string.h>

#include "late_thread.h"
#include "component/thread_linux.h"
#include "linux_abi.h"
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
	memory_set(late, 0, sizeof(*late));
	struct thread *thread = &late->thread;
	thread->self = thread;
	thread->env = env;
	thread->entry = entry;
	thread->argument = argument;
	thread->stack_base = late->stack;
	thread->stack_size = sizeof(late->stack);
	string_copy(thread->name, name, sizeof(thread->name));
	late->gate = gate;
	late->go = go;
	if (cpu_session_create_thread(env->cpu, env->pd, name, &thread->cap) != CPU_OK) {
		log_error("late thread: the CPU session refused '%s'", name);
		return false;
	}
	/* as the platform's threads, but never joined: no tid to clear */
	unsigned long const flags = LINUX_CLONE_VM | LINUX_CLONE_FS | LINUX_CLONE_FILES |
	                            LINUX_CLONE_SIGHAND | LINUX_CLONE_THREAD | LINUX_CLONE_SYSVSEM |
	                            LINUX_CLONE_SETTLS;
	long tid = thread_linux_clone(flags, late->stack + sizeof(late->stack), NULL, NULL, thread,
	                              late_thread_begin, thread);
	if (tid < 0) {
		log_error("late thread: clone of '%s' failed (%ld)", name, tid);
		(void)cpu_session_kill_thread(env->cpu, thread->cap);
		cap_close(thread->cap.cap);
		return false;
	}
	return true;
}
