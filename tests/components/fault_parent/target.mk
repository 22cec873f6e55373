# SPDX-License-Identifier: MIT
# test-fault-parent: parent of test-fault and test-counter (run/fault.run)
NAME := test-fault-parent
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/support
LIBS := test_parent component base platform
