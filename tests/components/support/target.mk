# SPDX-License-Identifier: MIT
# shared parts of the test parents of the run scenarios
NAME := test_parent
TYPE := lib
VARIANTS := fs
SRC := *.c
