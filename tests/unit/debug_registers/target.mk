# SPDX-License-Identifier: MIT
# the GDB monitor's debug-register plan (gdb_monitor/include/gdb_monitor/debug_registers.h)
NAME := test_debug_registers
TYPE := test
SRC := *.c
LIBS := gdb_monitor_core base platform
