# SPDX-License-Identifier: MIT
# test-nic: a client of the loopback Nic driver, parent of test-nic-vanish (run/nic.run)
NAME := test-nic
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/support
LIBS := test_parent os component base platform
