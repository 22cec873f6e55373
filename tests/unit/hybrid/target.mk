# SPDX-License-Identifier: MIT
# unit tests of the hybrid marker (base/hybrid.h)
NAME := test_hybrid
TYPE := test
SRC := *.c
LIBS := base platform
