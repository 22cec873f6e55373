# SPDX-License-Identifier: MIT
# unit tests of the packet stream (os/include/packet_stream/packet_stream.h)
NAME := test_packet_stream
TYPE := test
SRC := *.c
CFLAGS := -Itests/support/handles -Itests/support/syscall_deny
LIBS := os test_handles test_syscall_deny base platform
LDLIBS := -lpthread
