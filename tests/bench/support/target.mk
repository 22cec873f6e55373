# SPDX-License-Identifier: MIT
# \brief what the benchmarks' host programs share: the figures file that `make bench`
#        appends to (build/bench.tsv, doc/bench.md)
NAME := bench_support
TYPE := lib
VARIANTS := host
SRC := *.c
EXPORT_CFLAGS := -Itests/bench/support
