# SPDX-License-Identifier: MIT
# test-libc: main(argc, argv) on the C library, checking every result (run/libc.run)
NAME := test-libc
TYPE := component
SRC := *.c
LIBS := libc os component base platform
