# SPDX-License-Identifier: MIT
# test-gdb_monitor: the program that GDB debugs under the monitor (run/gdb_server.run,
# run/gdb_monitor.run); built without optimization so that every line and local is GDB's
NAME := test-gdb_monitor
TYPE := component
SRC := *.c
CFLAGS := -O0
LIBS := libc os component base platform
