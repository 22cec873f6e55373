# SPDX-License-Identifier: MIT
# gdb_monitor: the GDB monitor component (doc/gdb_monitor.md): starts its <target> as its
# child with the virtual RM and CPU sessions and serves GDB's remote protocol for it
NAME := gdb_monitor
TYPE := component
SRC := *.c
LIBS := gdb_server gdb_monitor_core rsp os component base platform
