# SPDX-License-Identifier: MIT
NAME := test_rpc
TYPE := test
SRC := *.c
CFLAGS := -Itests/support/rpc
LIBS := rpc_test_support base platform
LDLIBS := -lpthread
