/* SPDX-License-Identifier: MIT */
/**
 * \brief the gdb benchmark's program on Linux: pthreads, named by
 *        pthread_setname_np right after pthread_create, blocked in pause()
 */

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../bench_gdb_platform.h"

struct bench_gdb_start
{
	bench_gdb_entry entry;
	void *argument;
};

static void *bench_gdb_thread(void *start)
{
	struct bench_gdb_start const *s = start;
	s->entry(s->argument);
	return NULL;
}

bool bench_gdb_thread_start(unsigned index, char const *name, bench_gdb_entry entry,
                            void *argument)
{
	static struct bench_gdb_start starts[BENCH_GDB_THREADS];
	if (index >= BENCH_GDB_THREADS) return false;
	starts[index] = (struct bench_gdb_start){ entry, argument };
	pthread_t thread;
	int error = pthread_create(&thread, NULL, bench_gdb_thread, &starts[index]);
	if (error == 0) error = pthread_setname_np(thread, name);
	if (error != 0) printf("thread %s: %s\n", name, strerror(error));
	return error == 0;
}

void bench_gdb_block(void)
{
	for (;;) pause();
}
