# SPDX-License-Identifier: MIT
# test-memory-parent: reads and writes its child's memory (run/memory.run)
NAME := test-memory-parent
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/support
LIBS := test_parent component base platform
