# SPDX-License-Identifier: MIT
# test-nic-vanish: a Nic client that exits in the middle of a burst (run/nic.run)
NAME := test-nic-vanish
TYPE := component
SRC := *.c
LIBS := os component base platform
