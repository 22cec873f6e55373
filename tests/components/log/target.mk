# SPDX-License-Identifier: MIT
# test-log: prints through its LOG session (run/log.run)
NAME := test-log
TYPE := component
SRC := *.c
LIBS := component base platform
