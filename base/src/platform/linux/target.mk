# SPDX-License-Identifier: MIT
# the Linux platform: raw system calls, panic, locks (IPC transport follows)
NAME := platform
TYPE := lib
SRC := *.c
