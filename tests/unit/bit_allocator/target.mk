# SPDX-License-Identifier: MIT
# unit tests of util/bit_allocator
NAME := test_bit_allocator
TYPE := test
SRC := *.c
LIBS := base platform
