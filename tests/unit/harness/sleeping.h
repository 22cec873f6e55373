/* SPDX-License-Identifier: MIT */
/** \brief test helper: wait until a thread sleeps in the kernel */

#ifndef _TEST_SLEEPING_H_
#define _TEST_SLEEPING_H_

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/** the calling thread's kernel id */
static inline pid_t test_thread_id(void) { return (pid_t)syscall(SYS_gettid); }

/** the state letter of a thread of this process ('R', 'S', ...), or 0 */
static inline char test_thread_state(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	FILE *file = fopen(path, "r");
	if (!file) return 0;
	char line[512];
	char state = 0;
	if (fgets(line, sizeof(line), file)) {
		char *paren = strrchr(line, ')');
		if (paren && paren[1] == ' ') state = paren[2];
	}
	fclose(file);
	return state;
}

/**
 * Wait (at most about 5 s) until thread `tid` sleeps, having published its id
 * in `*published` before it blocks. True when it was seen asleep.
 */
static inline bool test_wait_until_sleeping(pid_t const *published)
{
	struct timespec pause = { 0, 1000000 };
	for (int i = 0; i < 5000; i++) {
		pid_t tid = __atomic_load_n(published, __ATOMIC_ACQUIRE);
		if (tid && test_thread_state(tid) == 'S') return true;
		nanosleep(&pause, NULL);
	}
	return false;
}

#endif /* _TEST_SLEEPING_H_ */
