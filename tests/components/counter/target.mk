# SPDX-License-Identifier: MIT
# test-counter: counts on its LOG forever, a line per 100 ms of a Timer session
# (run/fault.run, run/quota.run)
NAME := test-counter
TYPE := component
SRC := *.c
LIBS := os component base platform
