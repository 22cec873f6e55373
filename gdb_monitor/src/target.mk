# SPDX-License-Identifier: MIT
# libgdb_monitor_core: the GDB monitor's logic without the wire (doc/gdb_monitor.md):
# the virtual RM session and child memory (rm/), the virtual CPU session and run
# control (cpu/), the child with its virtual sessions (child/)
NAME := gdb_monitor_core
TYPE := lib
SRC := rm/*.c cpu/*.c child/*.c
EXPORT_CFLAGS := -Igdb_monitor/include
