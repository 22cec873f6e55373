# SPDX-License-Identifier: MIT
# libgdb_server: the GDB remote protocol server of the monitor (doc/gdb_monitor.md): the
# register codec and target.xml, the pure replies, the packet dispatch over a transport
NAME := gdb_server
TYPE := lib
SRC := *.c
LIBS := gdb_monitor_core rsp
EXPORT_CFLAGS := -Igdb_monitor/include
