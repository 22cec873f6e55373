/* SPDX-License-Identifier: MIT */
/**
 * \brief test-gdb_threads: more stopped threads than one call to core reads
 *        the registers of, for a debugger (run/gdb_threads.run)
 *
 *   crowd-1 .. crowd-15  each runs gdb_crowd_wait(index) with its own index
 *                        (the number in its name), says that it runs and
 *                        blocks until main lets the crowd go
 *   late-trap            a late thread (late_thread.h): unknown to core
 *                        until the debugger sets gdb_late_gate to 1, then
 *                        it runs gdb_late_trap, an int3, and ends
 *   late-end             the same from gdb_late_gate 2 on, with
 *                        gdb_late_end, which returns at once: it ends
 *   main                 starts the crowd, waits until every thread of it
 *                        runs, starts the late threads, calls
 *                        gdb_crowd_ready (the debugger's breakpoint), lets
 *                        the crowd go, joins it, returns 0
 *
 * At the breakpoint 16 threads are stopped: the pause reads the registers
 * of 10 (CPU_STATES_MAX) in one call to core, the rest come with the first
 * read of one of them. The late threads run on, and stop or end while the
 * debugger holds the others. Built with -O0: `index` lives in its frame,
 * where a debugger finds it through the thread's registers.
 */

#include <base/env.h>
#include <base/log.h>
#include <base/semaphore.h>
#include <base/thread.h>
#include <util/format.h>

#include "late_thread.h"

enum { GDB_CROWD = 15 };

/* global, so that the debugger finds them by name */
void gdb_crowd_wait(int index);
void gdb_crowd_ready(void);
void gdb_late_trap(void *argument);
void gdb_late_end(void *argument);

static struct semaphore gdb_crowd_running = SEMAPHORE_INITIALIZER(0);
static struct semaphore gdb_crowd_go = SEMAPHORE_INITIALIZER(0);
int volatile gdb_crowd_done; /* threads of the crowd that were let go */
int volatile gdb_late_gate;  /* set by the debugger: 1 late-trap binds, 2 late-end too */

/* `index` is for the debugger: the thread's number, in its frame */
void gdb_crowd_wait(int index)
{
	(void)index;
	semaphore_up(&gdb_crowd_running);
	semaphore_down(&gdb_crowd_go);
	__atomic_add_fetch(&gdb_crowd_done, 1, __ATOMIC_RELAXED);
}

/* the debugger's breakpoint: every thread of the crowd runs (and is known to core) */
void gdb_crowd_ready(void) { log_info("test-gdb_threads: the crowd of %d runs", GDB_CROWD); }

static void gdb_crowd(void *argument) { gdb_crowd_wait((int)(long)argument); }

/* a trap of the thread's own code: it stops at core while the others are held */
void gdb_late_trap(void *argument)
{
	(void)argument;
	__asm__ volatile("int3");
}

void gdb_late_end(void *argument) { (void)argument; }

int component_construct(struct env *env)
{
	static struct thread crowd[GDB_CROWD];
	static struct late_thread late_trap, late_end;
	for (int i = 0; i < GDB_CROWD; i++) {
		char name[16];
		format_string(name, sizeof(name), "crowd-%d", i + 1);
		if (thread_create(&crowd[i], env, name, gdb_crowd, (void *)(long)(i + 1),
		                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK) {
			log_error("test-gdb_threads: could not start %s", name);
			return 1;
		}
	}
	/* a thread that has not named itself to core yet cannot be paused */
	for (int i = 0; i < GDB_CROWD; i++) semaphore_down(&gdb_crowd_running);
	if (!late_thread_start(&late_trap, env, "late-trap", gdb_late_trap, 0, &gdb_late_gate, 1) ||
	    !late_thread_start(&late_end, env, "late-end", gdb_late_end, 0, &gdb_late_gate, 2))
		return 1;
	gdb_crowd_ready();
	for (int i = 0; i < GDB_CROWD; i++) semaphore_up(&gdb_crowd_go);
	for (int i = 0; i < GDB_CROWD; i++) thread_join(&crowd[i]);
	log_info("test-gdb_threads: the crowd of %d was let go and joined", gdb_crowd_done);
	return 0;
}
