/* SPDX-License-Identifier: MIT */
/**
 * \brief threads of a component
 *
 * A thread is created through the component's CPU session, with a name that
 * debuggers show, and runs on a stack of RAM dataspace in the stack area of
 * the component's address space. thread_self() finds the calling thread's
 * own record (the per-thread data the C library builds on).
 */

#ifndef _BASE_THREAD_H_
#define _BASE_THREAD_H_

#include <cpu_session/cpu_session.h>
#include <ram_session/ram_session.h>

struct env;

typedef void (*thread_entry_function)(void *argument);

/** a thread; the caller owns the storage until thread_join returned */
struct thread
{
	struct thread *self; /* first: the per-thread pointer refers to the record itself */
	struct env *env;
	struct cpu_thread_cap cap;
	char name[CPU_THREAD_NAME_MAX];
	thread_entry_function entry;
	void *argument;
	void *user; /* free for the thread's owner, e.g. the C library's per-thread state */

	/* the stack */
	struct dataspace_cap stack_ds;
	void *stack_base;
	uint64_t stack_size;
	uint32_t stack_slot;

	/* set by the platform: the kernel's thread id, 0 once the thread has exited */
	int32_t tid;
};

enum thread_result {
	THREAD_OK = 0,
	THREAD_OUT_OF_QUOTA,     /* the stack cannot be paid from the RAM session */
	THREAD_OUT_OF_SLOTS,     /* the stack area is full */
	THREAD_INVALID_ARGUMENT, /* a stack size of zero or above a slot, an empty name */
	THREAD_CPU_DENIED,       /* the CPU session refused the thread (see the log) */
	THREAD_PLATFORM_ERROR,   /* the platform could not start it (see the log) */
};

enum { THREAD_STACK_SIZE_DEFAULT = 0x10000 };

/**
 * Create and start a thread that runs `entry(argument)`.
 *
 * \param stack_size  bytes, rounded up to pages; at most a stack slot minus its guard
 */
enum thread_result thread_create(struct thread *thread, struct env *env, char const *name,
                                 thread_entry_function entry, void *argument,
                                 uint64_t stack_size) __attribute__((warn_unused_result));

/** wait until the thread has ended, then free its stack and its CPU-session thread */
void thread_join(struct thread *thread);

/** end the calling thread (not the main thread) */
__attribute__((noreturn)) void thread_exit(void);

/** the calling thread's record */
struct thread *thread_self(void);

/*
 * The platform's half (base/src/platform/<platform>/component) and what it
 * uses of thread.c: not for components.
 */

/**
 * The first half of thread_create, for the platform's code that starts a
 * thread of its own kind on a stack of its caller's: set up the record of a
 * thread that will run `entry(argument)`, without its stack, and create its
 * CPU-session thread.
 *
 * \return THREAD_OK; THREAD_INVALID_ARGUMENT for an empty name or one too
 *         long, the record untouched; THREAD_CPU_DENIED (logged), nothing
 *         to undo
 */
enum thread_result thread_prepare(struct thread *thread, struct env *env, char const *name,
                                  thread_entry_function entry, void *argument)
    __attribute__((warn_unused_result));

/** undo thread_prepare: the thread's CPU-session thread goes */
void thread_unprepare(struct thread *thread);

/** start `thread` (its stack attached, its cap created) running thread_run(thread) */
enum thread_result platform_thread_start(struct thread *thread)
    __attribute__((warn_unused_result));

/** end the calling thread (thread_exit, once the env's hooks ran) */
__attribute__((noreturn)) void platform_thread_exit(void);

/** wait until the kernel thread of `thread` is gone */
void platform_thread_wait_exit(struct thread *thread);

/** make `thread` the calling thread's record (the main thread's, at startup) */
void platform_thread_set_self(struct thread *thread);

/** what a new thread runs: entry(argument), then thread_exit() */
__attribute__((noreturn)) void thread_run(struct thread *thread);

#endif /* _BASE_THREAD_H_ */
