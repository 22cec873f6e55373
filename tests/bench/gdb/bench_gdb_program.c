/* SPDX-License-Identifier: MIT */
/**
 * \brief the program of the gdb benchmark (tests/bench/gdb/bench_gdb.run),
 *        built twice from this one source: bench-gdb-target, a component
 *        under gdb_monitor, and bench_gdb_target_linux, a Linux program under
 *        gdbserver; both -O0 -g
 *
 *   bench_buffer   64 MiB, global, filled with pseudo-random bytes before the
 *                  loop (no runs for a stub's run-length encoding to shorten):
 *                  what `dump binary memory` reads and `restore` writes
 *   bench_tick(i)  called by main in an endless loop: the breakpoint the
 *                  benchmark continues onto, and the code it steps through
 *   bench_lines(i) called after it once the debugger set bench_lines_go: a
 *                  loop of short lines without calls, what the benchmark goes
 *                  through with `next` (not before, so that the stepi of the
 *                  benchmark steps through main's loop and bench_tick alone)
 *   threads        main and BENCH_GDB_THREADS more, named bench-1 .. bench-8
 *                  at their creation, each blocked for good in
 *                  bench_worker_wait (two frames below its entry)
 *
 * main starts the threads and waits until every one runs before it enters
 * the loop, so a debugger that stops in bench_tick sees all of them.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench_gdb_platform.h"

enum { BENCH_GDB_BUFFER_SIZE = 64 * 1024 * 1024 };

/* global, so that the benchmark finds them by name */
void bench_tick(unsigned long i);
void bench_lines(unsigned long i);
void bench_worker_wait(unsigned index);

unsigned char bench_buffer[BENCH_GDB_BUFFER_SIZE];
unsigned long volatile bench_ticks;
unsigned long volatile bench_lines_sum;
int volatile bench_lines_go;
int volatile bench_threads_running;

void bench_tick(unsigned long i)
{
	bench_buffer[i % BENCH_GDB_BUFFER_SIZE] ^= 1;
	bench_ticks++;
}

/* 64 rounds of four lines (the loop's own line is one of them) */
void bench_lines(unsigned long i)
{
	unsigned long a = i, b = 0;
	for (unsigned j = 0; j < 64; j++) {
		a += j;
		b ^= a << 1;
		a = b * 3 + j;
	}
	bench_lines_sum = a + b;
}

void bench_worker_wait(unsigned index)
{
	(void)index;
	bench_gdb_block();
}

/* xorshift64, eight bytes at a time */
static void bench_buffer_fill(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (unsigned long i = 0; i < BENCH_GDB_BUFFER_SIZE; i += sizeof(x)) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&bench_buffer[i], &x, sizeof(x));
	}
}

static void bench_worker(void *argument)
{
	__atomic_add_fetch(&bench_threads_running, 1, __ATOMIC_RELEASE);
	bench_worker_wait((unsigned)(unsigned long)argument);
}

int main(void)
{
	static char names[BENCH_GDB_THREADS][16];
	for (unsigned i = 0; i < BENCH_GDB_THREADS; i++) {
		snprintf(names[i], sizeof(names[i]), "bench-%u", i + 1);
		if (!bench_gdb_thread_start(i, names[i], bench_worker, (void *)(unsigned long)i)) {
			printf("bench-gdb-target: thread %s did not start\n", names[i]);
			return 1;
		}
	}
	/* a thread that has not named itself to core yet cannot be paused: wait for all */
	while (__atomic_load_n(&bench_threads_running, __ATOMIC_ACQUIRE) != BENCH_GDB_THREADS)
		__builtin_ia32_pause();

	bench_buffer_fill();

	for (unsigned long i = 0;; i++) {
		bench_tick(i);
		if (bench_lines_go) bench_lines(i);
	}
}
