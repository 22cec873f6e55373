# SPDX-License-Identifier: MIT
# the Linux half of the component runtime: process entry, mapping dataspaces, threads
NAME := component
TYPE := lib
VARIANTS := fs
SRC := *.c
CFLAGS := -Ibase/src/platform/linux
