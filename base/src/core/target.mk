# SPDX-License-Identifier: MIT
# core's services and its platform back end, as a library for core and its unit tests
NAME := core_services
TYPE := lib
VARIANTS := host san
SRC := *.c $(PLATFORM)/*.c
CFLAGS := -Ibase/src/core -Ibase/src/core/$(PLATFORM) -Ibase/src/platform/$(PLATFORM)
