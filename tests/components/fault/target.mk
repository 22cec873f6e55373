# SPDX-License-Identifier: MIT
# test-fault: a component that reads an unmapped address (run/fault.run)
NAME := test-fault
TYPE := component
SRC := *.c
LIBS := component base platform
