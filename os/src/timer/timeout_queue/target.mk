# SPDX-License-Identifier: MIT
# the timer's deadline logic (../timeout_queue.h), a library of its own so
# that tests/unit/timeout_queue tests it on the host with fake time
NAME := timeout_queue
TYPE := lib
SRC := *.c
CFLAGS := -Ios/src/timer
