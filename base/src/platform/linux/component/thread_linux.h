/* SPDX-License-Identifier: MIT */
/**
 * \brief a component's threads on Linux: the clone and the start of a thread,
 *        for the platform's thread_create and for tests that start a thread
 *        in their own way (tests/components/gdb_threads_test: one that binds
 *        late)
 */

#ifndef _PLATFORM_LINUX_COMPONENT_THREAD_LINUX_H_
#define _PLATFORM_LINUX_COMPONENT_THREAD_LINUX_H_

#include <base/thread.h>

/**
 * clone(flags, stack, parent_tid, child_tid, tls) with the child starting in
 * `function(argument)` on `stack`; returns the child's tid or -errno. A
 * debugger's backtrace of the child ends here.
 */
long thread_linux_clone(unsigned long flags, void *stack, int32_t *parent_tid,
                        int32_t *child_tid, void *tls, void (*function)(struct thread *),
                        struct thread *argument);

/**
 * A new thread's first step: it names itself to core (binds) before its
 * entry runs, so that every exception of its code finds it bound; then the
 * entry. Does not return.
 */
void thread_linux_start(struct thread *thread) __attribute__((noreturn));

#endif /* _PLATFORM_LINUX_COMPONENT_THREAD_LINUX_H_ */
