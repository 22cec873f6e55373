/* SPDX-License-Identifier: MIT */
/** \brief futex wait and wake, for the blocking primitives of the Linux platform */

#ifndef _PLATFORM_LINUX_FUTEX_H_
#define _PLATFORM_LINUX_FUTEX_H_

#include "syscall.h"

enum { LINUX_FUTEX_WAIT = 0, LINUX_FUTEX_WAIT_PRIVATE = 128, LINUX_FUTEX_WAKE_PRIVATE = 129 };

/** block while *word == expected (returns at once otherwise); may wake spuriously */
long futex_wait(int *word, int expected);

/**
 * futex_wait for a word the kernel wakes as a shared futex (the thread id
 * that CLONE_CHILD_CLEARTID clears: component memory is MAP_SHARED)
 */
long futex_wait_shared(int *word, int expected);

/** wake up to `count` threads blocked on word */
static inline long futex_wake(int *word, int count)
{
	return linux_syscall3(SYS_futex, (long)word, LINUX_FUTEX_WAKE_PRIVATE, count);
}

#endif /* _PLATFORM_LINUX_FUTEX_H_ */
