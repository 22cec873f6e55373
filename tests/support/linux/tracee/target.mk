# SPDX-License-Identifier: MIT
# \brief the program that test_tracer spawns under the tracer, one behaviour per mode
NAME := tracee
TYPE := host
SRC := *.c
LDLIBS := -lpthread
