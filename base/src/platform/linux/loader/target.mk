# SPDX-License-Identifier: MIT
# the loader stub that core starts as every component process (static, freestanding)
NAME := loader
TYPE := component
SRC := *.c
CFLAGS := -Ibase/src/platform/linux
LIBS := base platform
LINK_ADDRESS := 0x00400000
