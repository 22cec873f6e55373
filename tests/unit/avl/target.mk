# SPDX-License-Identifier: MIT
# unit tests of util/avl
NAME := test_avl
TYPE := test
SRC := *.c
LIBS := base platform
