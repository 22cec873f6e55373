# SPDX-License-Identifier: MIT
# unit tests of util/token
NAME := test_token
TYPE := test
SRC := *.c
LIBS := base platform
