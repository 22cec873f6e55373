# SPDX-License-Identifier: MIT
# test-gdb_server: the GDB server driven packet by packet through a loopback transport,
# debugging test-gdb_monitor (run/gdb_server.run)
NAME := test-gdb_server
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/support
LIBS := gdb_server gdb_monitor_core rsp test_parent component base platform
