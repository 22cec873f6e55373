# SPDX-License-Identifier: MIT
# \brief bench-gdb-target: the gdb benchmark's program as a component, the one that
#        gdb_monitor debugs (tests/bench/gdb/bench_gdb.run); -O0 like its Linux twin
NAME := bench-gdb-target
TYPE := component
SRC := *.c ../bench_gdb_program.c
CFLAGS := -O0
LIBS := libc os component base platform
