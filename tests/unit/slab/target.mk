# SPDX-License-Identifier: MIT
# unit tests of base/slab
NAME := test_slab
TYPE := test
SRC := *.c
LIBS := base platform
