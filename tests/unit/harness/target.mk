# SPDX-License-Identifier: MIT
NAME := unit_test
TYPE := lib
VARIANTS := san
SRC := unit_test.c unit_backing.c
