/* SPDX-License-Identifier: MIT */
/**
 * \brief the gdb benchmark's program on Vitrine: threads of <base/thread.h>
 *        named at their creation through the CPU session, blocked on a
 *        semaphore that nobody ups
 */

#include <stdio.h>

#include <base/semaphore.h>
#include <base/thread.h>
#include <libc/libc.h>

#include "../bench_gdb_platform.h"

bool bench_gdb_thread_start(unsigned index, char const *name, bench_gdb_entry entry,
                            void *argument)
{
	static struct thread threads[BENCH_GDB_THREADS];
	if (index >= BENCH_GDB_THREADS) return false;
	enum thread_result result = thread_create(&threads[index], libc_env(), name, entry,
	                                          argument, THREAD_STACK_SIZE_DEFAULT);
	if (result != THREAD_OK) printf("thread_create of %s: result %d\n", name, (int)result);
	return result == THREAD_OK;
}

void bench_gdb_block(void)
{
	struct semaphore never = SEMAPHORE_INITIALIZER(0);
	for (;;) semaphore_down(&never);
}
