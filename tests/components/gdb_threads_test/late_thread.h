/* SPDX-License-Identifier: MIT */
/**
 * \brief a thread that core learns of late: it runs, not named to core,
 *        until the debugger lets it name itself
 *
 * thread_create's thread names itself to core (binds) a few instructions
 * after its clone, and an all-stop that comes meanwhile cannot pause it
 * (doc/gdb_monitor.md, "Limits"). A late thread waits there, running and
 * unknown to core, until the word `gate` reaches `go`: the debugger writes it
 * while it holds every other thread stopped. Then the thread binds and runs
 * `entry(argument)` like any thread, and ends when the entry returns.
 */

#ifndef _GDB_THREADS_TEST_LATE_THREAD_H_
#define _GDB_THREADS_TEST_LATE_THREAD_H_

#include <base/env.h>
#include <base/thread.h>

enum { LATE_THREAD_STACK_SIZE = 0x4000 };

struct late_thread
{
	struct thread thread; /* first: the per-thread pointer refers to it */
	int volatile const *gate;
	int go;
	_Alignas(16) char stack[LATE_THREAD_STACK_SIZE];
};

/**
 * Start the thread `name` (a CPU-session thread, cloned at once, bound only
 * when *gate >= go).
 *
 * \return true if it runs; false (logged) if the CPU session refused it or
 *         the clone failed. The record must outlive the thread; the thread
 *         is never joined.
 */
bool late_thread_start(struct late_thread *late, struct env *env, char const *name,
                       thread_entry_function entry, void *argument, int volatile const *gate,
                       int go) __attribute__((warn_unused_result));

#endif /* _GDB_THREADS_TEST_LATE_THREAD_H_ */
