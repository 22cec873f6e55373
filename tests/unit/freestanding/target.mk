# SPDX-License-Identifier: MIT
# libbase linked freestanding (no glibc) into a static binary at a fixed address
NAME := test_freestanding
TYPE := component
SRC := *.c
CFLAGS := -Ibase/src/platform/linux
LIBS := base platform
UNIT_TEST := yes
