# SPDX-License-Identifier: MIT
# test-monitor-target: the child that run/monitor_core.run debugs through the monitor's core
NAME := test-monitor-target
TYPE := component
SRC := *.c
LIBS := component base platform
