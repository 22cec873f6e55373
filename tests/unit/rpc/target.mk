# SPDX-License-Identifier: MIT
NAME := test_rpc
TYPE := test
SRC := *.c
CFLAGS := -Itests/support/rpc -Itests/support/handles -Itests/support/syscall_deny
LIBS := rpc_test_support test_handles test_syscall_deny base platform
LDLIBS := -lpthread
