# SPDX-License-Identifier: MIT
# unit tests of base/lock (the Linux futex lock), with host threads
NAME := test_lock
TYPE := test
SRC := *.c
LIBS := base platform
LDLIBS := -lpthread
