/* SPDX-License-Identifier: MIT */
/**
 * \brief test-libc_entry: a component on the C library that implements
 *        component_construct itself and ends with exit() (run/libc.run)
 *
 * It uses printf, malloc and snprintf without any set-up call, registers
 * two atexit handlers and calls exit(7) from a nested function. The
 * handlers must run in the reverse order of their registration, their
 * lines must come out (the second without a newline: the library sends it
 * at the end), and init must hear exit code 7. Nothing after exit() runs.
 * A second thread, still blocked when the component exits, has written an
 * unfinished line: the library sends it at the exit too, after the exiting
 * thread's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <base/env.h>
#include <base/semaphore.h>
#include <base/thread.h>
#include <libc/libc.h>

enum { ENTRY_EXIT_CODE = 7 };

struct entry_waiter
{
	struct semaphore written; /* the thread has written its line */
	struct semaphore never;   /* nobody ups it: the thread stays until the exit */
};

static void entry_waiter_run(void *argument)
{
	struct entry_waiter *waiter = argument;
	printf("the unfinished line of a thread that never ends");
	fflush(stdout); /* from the thread's stream to its line: the exit sends it */
	semaphore_up(&waiter->written);
	semaphore_down(&waiter->never);
}

static void entry_first_registered(void) { printf("atexit: the first registered runs last"); }

static void entry_second_registered(void)
{
	printf("atexit: the second registered runs first\n");
}

/* exit from a few calls deep: exit returns to none of them */
static void entry_inner(int code) { exit(code); }

static void entry_middle(int code)
{
	entry_inner(code);
	printf("FAIL: exit returned to entry_middle\n");
}

static void entry_outer(int code)
{
	entry_middle(code);
	printf("FAIL: exit returned to entry_outer\n");
}

int component_construct(struct env *env)
{
	/* the library found its env by itself */
	char *text = malloc(64);
	if (!text) {
		printf("FAIL: malloc(64): NULL\n");
		return 1;
	}
	int length = snprintf(text, 64, "%s %d %.2f %s", "construct", 42, 2.5,
	                      libc_env() == env ? "same env" : "ANOTHER env");
	printf("component_construct: %s (%d characters)\n", text, length);
	free(text);

	if (atexit(entry_first_registered) != 0 || atexit(entry_second_registered) != 0) {
		printf("FAIL: atexit refused a handler\n");
		return 1;
	}
	struct entry_waiter waiter;
	semaphore_init(&waiter.written, 0);
	semaphore_init(&waiter.never, 0);
	struct thread thread;
	if (thread_create(&thread, env, "waiter", entry_waiter_run, &waiter,
	                  THREAD_STACK_SIZE_DEFAULT) != THREAD_OK) {
		printf("FAIL: no thread\n");
		return 1;
	}
	semaphore_down(&waiter.written);

	printf("exit(%d) from a nested function\n", ENTRY_EXIT_CODE);
	entry_outer(ENTRY_EXIT_CODE);
	printf("FAIL: entry_outer returned\n");
	return 1;
}
