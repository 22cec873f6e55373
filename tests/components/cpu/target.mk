# SPDX-License-Identifier: MIT
# test-cpu: a child with three named threads for run/cpu.run
NAME := test-cpu
TYPE := component
SRC := *.c
LIBS := component base platform
