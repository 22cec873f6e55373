/* SPDX-License-Identifier: MIT */
/**
 * \brief the platform shim of the gdb benchmark's program: what differs
 *        between its two builds (a Vitrine component, a Linux program)
 *
 * bench_gdb_program.c is the same source in both; each build adds one file
 * that implements these: component/bench_gdb_platform_vitrine.c (threads of
 * <base/thread.h>, on the C library component) and
 * host/bench_gdb_platform_linux.c (pthreads).
 */

#ifndef _BENCH_GDB_PLATFORM_H_
#define _BENCH_GDB_PLATFORM_H_

#include <stdbool.h>

enum { BENCH_GDB_THREADS = 8 }; /* the named threads besides main */

typedef void (*bench_gdb_entry)(void *argument);

/**
 * Start the thread number `index` (0..BENCH_GDB_THREADS-1), named `name` from
 * its creation on, running `entry(argument)`.
 *
 * \param name  at most 15 characters (Linux's limit); copied
 * \return      true if it runs; false (a line on the log said why) if not
 */
bool bench_gdb_thread_start(unsigned index, char const *name, bench_gdb_entry entry,
                            void *argument) __attribute__((warn_unused_result));

/** block the calling thread for good, without using the CPU */
__attribute__((noreturn)) void bench_gdb_block(void);

#endif /* _BENCH_GDB_PLATFORM_H_ */
