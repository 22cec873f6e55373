# SPDX-License-Identifier: MIT
# unit tests of base/heap
NAME := test_heap
TYPE := test
SRC := *.c
LIBS := base platform
