# SPDX-License-Identifier: MIT
# test-memory: a child whose variable its parent changes (run/memory.run)
NAME := test-memory
TYPE := component
SRC := *.c
LIBS := component base platform
