# SPDX-License-Identifier: MIT
# unit tests of util/fifo
NAME := test_fifo
TYPE := test
SRC := *.c
LIBS := base platform
