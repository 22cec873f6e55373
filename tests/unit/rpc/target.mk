# SPDX-License-Identifier: MIT
NAME := test_rpc
TYPE := test
SRC := *.c
LIBS := base platform
LDLIBS := -lpthread
