# SPDX-License-Identifier: MIT
# libos: the os/ helpers of components (config ROM)
NAME := os
TYPE := lib
SRC := *.c
