# SPDX-License-Identifier: MIT
# test-gdb_threads: a crowd of threads for GDB under the monitor (run/gdb_threads.run);
# built without optimization so that each thread's index lives in its frame
NAME := test-gdb_threads
TYPE := component
SRC := *.c
CFLAGS := -O0 -Ibase/src/platform/linux
LIBS := component base platform
