# SPDX-License-Identifier: MIT
# test-counter: counts on its LOG forever (run/fault.run)
NAME := test-counter
TYPE := component
SRC := *.c
LIBS := component base platform
