/* SPDX-License-Identifier: MIT */
/**
 * \brief the figures file of the benchmarks (`make bench`: build/bench.tsv):
 *        tab-separated rows under one header line, appended to by each
 *        benchmark (doc/bench.md)
 *
 * For the host programs bench_rpc, bench_rsp and bench_net; the gdb
 * benchmark, a run script, writes the same header line itself
 * (tests/bench/gdb/bench_gdb.run).
 */

#ifndef _BENCH_TSV_H_
#define _BENCH_TSV_H_

#include <stdio.h>

/**
 * Open the figures file `path` for appending rows, created if it does not
 * exist; a new or empty file gets the header line first
 * ("metric\tunit\tvitrine\treference\tratio").
 *
 * \return  the open file, positioned at its end, for the caller's rows
 *          (one per figure, in the header's columns); the caller closes it
 *          with fclose(), whose result tells whether every row was written.
 *          NULL if it cannot be opened.
 */
FILE *bench_tsv_open(char const *path) __attribute__((warn_unused_result));

#endif /* _BENCH_TSV_H_ */
