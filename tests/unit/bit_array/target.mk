# SPDX-License-Identifier: MIT
# unit tests of util/bit_array
NAME := test_bit_array
TYPE := test
SRC := *.c
LIBS := base platform
