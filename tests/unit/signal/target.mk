# SPDX-License-Identifier: MIT
NAME := test_signal
TYPE := test
SRC := *.c
LIBS := base platform
LDLIBS := -lpthread
