# SPDX-License-Identifier: MIT
# unit tests of base/allocator_guard
NAME := test_allocator_guard
TYPE := test
SRC := *.c
LIBS := base platform
