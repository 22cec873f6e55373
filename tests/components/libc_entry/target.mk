# SPDX-License-Identifier: MIT
# test-libc_entry: its own component_construct on the C library, exit(7) with atexit handlers
# (run/libc.run)
NAME := test-libc_entry
TYPE := component
SRC := *.c
LIBS := libc os component base platform
