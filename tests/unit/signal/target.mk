# SPDX-License-Identifier: MIT
NAME := test_signal
TYPE := test
SRC := *.c
CFLAGS := -Itests/support/handles -Itests/support/syscall_deny
LIBS := test_handles test_syscall_deny base platform
LDLIBS := -lpthread
