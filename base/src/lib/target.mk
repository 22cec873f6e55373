# SPDX-License-Identifier: MIT
# libbase: the platform-independent implementation of the base API
NAME := base
TYPE := lib
SRC := *.c
SRC_fs := freestanding/*.c
