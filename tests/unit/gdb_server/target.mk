# SPDX-License-Identifier: MIT
# the GDB server's pure parts: register codec, target.xml, stop replies, thread list, qXfer,
# qSupported (gdb_monitor/include/gdb_server)
NAME := test_gdb_server
TYPE := test
SRC := *.c
LIBS := gdb_server gdb_monitor_core rsp base platform
