# SPDX-License-Identifier: MIT
# core: the root of the component tree (on Linux a host program: main/linux/main.c)
NAME := core
TYPE := host
SRC := $(PLATFORM)/*.c
CFLAGS := -Ibase/src/core -Ibase/src/core/$(PLATFORM) -Ibase/src/platform/$(PLATFORM)
LIBS := core_services base platform
LDLIBS := -lpthread
