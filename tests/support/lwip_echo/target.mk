# SPDX-License-Identifier: MIT
# \brief the echo of a TCP connection on lwIP's raw API, for the test and benchmark
#        components that echo (test-lwip-server, test-lwip-loopback, bench-net-server)
NAME := test_lwip_echo
TYPE := lib
VARIANTS := fs
SRC := *.c
LIBS := lwip libc
EXPORT_CFLAGS := -Itests/support/lwip_echo
