# SPDX-License-Identifier: MIT
# test-monitor-core: the GDB monitor's core debugging test-monitor-target (run/monitor_core.run)
NAME := test-monitor-core
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/support
LIBS := gdb_monitor_core test_parent component base platform
