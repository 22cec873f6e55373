# SPDX-License-Identifier: MIT
# unit tests of util/format
NAME := test_format
TYPE := test
SRC := *.c
LIBS := base platform
