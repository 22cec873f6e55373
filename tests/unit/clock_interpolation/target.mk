# SPDX-License-Identifier: MIT
# unit tests of the clock interpolation (os/include/timer_session/clock_interpolation.h)
NAME := test_clock_interpolation
TYPE := test
SRC := *.c
LIBS := os base platform
