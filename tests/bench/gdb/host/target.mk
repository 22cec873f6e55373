# SPDX-License-Identifier: MIT
# \brief bench_gdb_target_linux: the gdb benchmark's program as a Linux program, the one
#        that gdbserver debugs (tests/bench/gdb/bench_gdb.run); -O0, linked statically
#        as the component is, so neither side loads shared libraries
NAME := bench_gdb_target_linux
TYPE := host
SRC := *.c ../bench_gdb_program.c
CFLAGS := -O0
LDLIBS := -static -lpthread
