# SPDX-License-Identifier: MIT
# unit tests of base/synced_allocator, with host threads
NAME := test_synced_allocator
TYPE := test
SRC := *.c
LIBS := base platform
LDLIBS := -lpthread
