/* SPDX-License-Identifier: MIT */
/** \brief the figures file of the benchmarks: opened for appending, its header line */

#include "bench_tsv.h"

FILE *bench_tsv_open(char const *path)
{
	FILE *file = fopen(path, "a");
	if (!file) return NULL;
	/* at the end of the file in append mode: 0 only for a new or empty file */
	if (ftell(file) == 0) fprintf(file, "metric\tunit\tvitrine\treference\tratio\n");
	return file;
}
