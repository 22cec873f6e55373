# SPDX-License-Identifier: MIT
# test-cpu-parent: drives test-cpu through its CPU session (run/cpu.run)
NAME := test-cpu-parent
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/support
LIBS := test_parent component base platform
