# SPDX-License-Identifier: MIT
# timer: the Timer service (doc/timer.md); the device part is the platform's
# <platform>/time_source.c behind time_source.h
NAME := timer
TYPE := component
SRC := *.c $(PLATFORM)/*.c
CFLAGS := -Ios/src/timer -Ibase/src/platform/$(PLATFORM)
LIBS := timeout_queue os component base platform
