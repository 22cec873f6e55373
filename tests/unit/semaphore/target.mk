# SPDX-License-Identifier: MIT
NAME := test_semaphore
TYPE := test
SRC := *.c
LIBS := base platform
LDLIBS := -lpthread
