# SPDX-License-Identifier: MIT
# test-timer: a client of the Timer session; measures, floods or vanishes (run/timer.run)
NAME := test-timer
TYPE := component
SRC := *.c
LIBS := os component base platform
