# SPDX-License-Identifier: MIT
NAME := test_signal
TYPE := test
SRC := *.c
CFLAGS := -Itests/support/handles
LIBS := test_handles base platform
LDLIBS := -lpthread
