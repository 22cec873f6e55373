# SPDX-License-Identifier: MIT
# unit tests of the timer's deadline logic (os/src/timer/timeout_queue.h)
NAME := test_timeout_queue
TYPE := test
SRC := *.c
CFLAGS := -Ios/src/timer
LIBS := timeout_queue base platform
