# SPDX-License-Identifier: MIT
# libgdb_tcp: the GDB server's TCP transport on lwIP's raw API and the server's events on
# the lwIP event loop (gdb_monitor/include/gdb_tcp/gdb_tcp.h, doc/gdb_monitor.md)
NAME := gdb_tcp
TYPE := lib
VARIANTS := fs
SRC := *.c
LIBS := gdb_server lwip libc
EXPORT_CFLAGS := -Igdb_monitor/include
