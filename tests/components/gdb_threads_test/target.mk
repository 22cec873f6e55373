# SPDX-License-Identifier: MIT
# test-gdb_threads: a crowd of threads for GDB under the monitor (run/gdb_threads.run);
# built without optimization so that each thread's index lives in its frame; the late
# thread's start is the platform's (<platform>/late_thread.c behind late_thread.h)
NAME := test-gdb_threads
TYPE := component
SRC := *.c $(PLATFORM)/*.c
CFLAGS := -O0 -Itests/components/gdb_threads_test -Ibase/src/platform/$(PLATFORM)
LIBS := component base platform
