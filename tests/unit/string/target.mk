# SPDX-License-Identifier: MIT
# unit tests of util/string
NAME := test_string
TYPE := test
SRC := *.c
LIBS := base platform
