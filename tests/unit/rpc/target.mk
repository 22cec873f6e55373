# SPDX-License-Identifier: MIT
NAME := test_rpc
TYPE := test
SRC := *.c
CFLAGS := -Itests/support/rpc -Itests/support/handles
LIBS := rpc_test_support test_handles base platform
LDLIBS := -lpthread
