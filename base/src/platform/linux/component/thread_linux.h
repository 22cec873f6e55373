/* SPDX-License-Identifier: MIT */
/**
 * \brief a component's threads on Linux: the start of a thread, for the
 *        platform's thread_create and for tests that start a thread in their
 *        own way (tests/components/gdb_threads_test: one that binds late)
 */

#ifndef _PLATFORM_LINUX_COMPONENT_THREAD_LINUX_H_
#define _PLATFORM_LINUX_COMPONENT_THREAD_LINUX_H_

#include <base/thread.h>

/**
 * A new thread's first step: it names itself to core (binds) before its
 * entry runs, so that every exception of its code finds it bound; then the
 * entry. Does not return.
 */
void thread_linux_start(struct thread *thread) __attribute__((noreturn));

/**
 * Create and start a thread as thread_create does, but on a stack of the
 * caller's and with `begin(thread)` as the new thread's first step in place
 * of thread_linux_start, in which `begin` must end: for a thread that runs
 * before it binds (tests/components/gdb_threads_test: a late thread).
 *
 * \param stack       the stack's lowest byte; `stack + stack_size` 16-byte aligned
 * \param stack_size  bytes
 * \return THREAD_OK; THREAD_INVALID_ARGUMENT, THREAD_CPU_DENIED as of
 *         thread_prepare; THREAD_PLATFORM_ERROR (logged) if the clone failed,
 *         its CPU-session thread gone again. The record and the stack must
 *         outlive the thread, which is never joined (thread_join would free a
 *         stack of thread_create's).
 */
enum thread_result thread_linux_create(struct thread *thread, struct env *env, char const *name,
                                       thread_entry_function entry, void *argument, void *stack,
                                       uint64_t stack_size, void (*begin)(struct thread *))
    __attribute__((warn_unused_result));

#endif /* _PLATFORM_LINUX_COMPONENT_THREAD_LINUX_H_ */
