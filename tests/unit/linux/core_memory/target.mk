# SPDX-License-Identifier: MIT
# unit tests of core's memory and log services (RAM, ROM, RM, LOG, dataspaces),
# served by a real entrypoint in a thread and called through the RPC stubs
NAME := test_core_memory
TYPE := test
SRC := *.c
CFLAGS := -Ibase/src/core -Ibase/src/core/linux -Ibase/src/platform/linux
LIBS := core_services base platform
LDLIBS := -lpthread
