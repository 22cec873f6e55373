# SPDX-License-Identifier: MIT
# unit tests of util/elf
NAME := test_elf
TYPE := test
SRC := *.c
LIBS := base platform
