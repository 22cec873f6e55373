/* SPDX-License-Identifier: MIT */
/**
 * \brief framework threads of a hybrid: pthreads on the thread's stack dataspace
 *
 * A thread of thread_create() is created through the CPU session and gets its
 * stack slot like any component's; the runtime starts it with pthread_create
 * on that stack, so glibc knows the thread (its TLS, errno, malloc arenas
 * and cancellation work in it). The new thread names itself to core before
 * its entry runs (linux_pd_bind_thread), as a component's does.
 *
 * The fs base belongs to glibc, so thread_self() is a TLS variable of the
 * runtime. The pthread handle is kept at the top of the thread's stack
 * dataspace, above what pthread gets as its stack: struct thread has no
 * field for it, and the stack is the thread's until thread_join frees it.
 */

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <base/env.h>
#include <base/log.h>
#include <base/thread.h>

#include "linux_session.h"

/* the top of a thread's stack dataspace: what the runtime keeps of the thread */
struct hybrid_thread_top
{
	pthread_t pthread;
} __attribute__((aligned(64)));

/* the calling thread's record (the per-thread pointer of the platform: not a hidden global) */
static __thread struct thread *hybrid_thread_self;

static struct hybrid_thread_top *hybrid_thread_top(struct thread *thread)
{
	uintptr_t end = (uintptr_t)thread->stack_base + thread->stack_size;
	return (struct hybrid_thread_top *)((end - sizeof(struct hybrid_thread_top)) &
	                                    ~(uintptr_t)63);
}

static void *hybrid_thread_entry(void *argument)
{
	struct thread *thread = argument;
	hybrid_thread_self = thread;
	thread->tid = (int32_t)gettid();
	struct linux_pd_cap pd = CAP_CAST(linux_pd, thread->env->pd);
	enum pd_session_result r = linux_pd_bind_thread(pd, thread->cap, thread->tid);
	if (r != PD_OK) log_error("thread: core refused to bind '%s' (%d)", thread->name, (int)r);
	thread_run(thread);
}

enum thread_result platform_thread_start(struct thread *thread)
{
	struct hybrid_thread_top *top = hybrid_thread_top(thread);
	pthread_attr_t attributes;
	int error = pthread_attr_init(&attributes);
	if (!error)
		error = pthread_attr_setstack(&attributes, thread->stack_base,
		                              (size_t)((uintptr_t)top - (uintptr_t)thread->stack_base));
	if (!error) error = pthread_create(&top->pthread, &attributes, hybrid_thread_entry, thread);
	pthread_attr_destroy(&attributes);
	if (error) {
		log_error("thread: pthread_create of '%s' failed (%s)", thread->name, strerror(error));
		return THREAD_PLATFORM_ERROR;
	}
	return THREAD_OK;
}

void platform_thread_wait_exit(struct thread *thread)
{
	/* returns once the kernel is done with the thread and its stack */
	int error = pthread_join(hybrid_thread_top(thread)->pthread, NULL);
	if (error) log_error("thread: joining '%s' failed (%s)", thread->name, strerror(error));
	thread->tid = 0;
}

void platform_thread_set_self(struct thread *thread) { hybrid_thread_self = thread; }

struct thread *thread_self(void) { return hybrid_thread_self; }

void platform_thread_exit(void) { pthread_exit(NULL); }
