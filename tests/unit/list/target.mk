# SPDX-License-Identifier: MIT
# unit tests of util/list
NAME := test_list
TYPE := test
SRC := *.c
LIBS := base platform
