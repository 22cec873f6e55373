# SPDX-License-Identifier: MIT
# unit tests of util/arg_string
NAME := test_arg_string
TYPE := test
SRC := *.c
LIBS := base platform
