# SPDX-License-Identifier: MIT
# unit tests of base/allocator_avl
NAME := test_allocator_avl
TYPE := test
SRC := *.c
LIBS := base platform
