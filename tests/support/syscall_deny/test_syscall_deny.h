/* SPDX-License-Identifier: MIT */
/** \brief test support: make chosen system calls fail, to prove a path does without them */

#ifndef _TEST_SYSCALL_DENY_H_
#define _TEST_SYSCALL_DENY_H_

#include <stdbool.h>

enum { TEST_SYSCALL_DENY_MAX = 8 };

/**
 * From now on, the system calls `numbers` (x86_64 numbers, e.g. SYS_fstat of
 * <sys/syscall.h>) fail with EPERM in every thread of the calling process,
 * including threads that it creates later, until the process ends (a
 * seccomp filter: it cannot be lifted). Meant for a test case's own
 * process: code that still makes such a call sees it fail, which the test
 * then notices.
 *
 * \param count  1 to TEST_SYSCALL_DENY_MAX
 * \return whether the filter is in place (false: nothing changed)
 */
bool test_syscall_deny(long const *numbers, unsigned count);

#endif /* _TEST_SYSCALL_DENY_H_ */
