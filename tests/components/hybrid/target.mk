# SPDX-License-Identifier: MIT
# test-hybrid: a hybrid component, a glibc program that serves Hello, exits or crashes
# (run/hybrid.run)
NAME := test-hybrid
TYPE := host
SRC := *.c
CFLAGS := -Itests/components/hello/include
LIBS := hello_session_component hybrid os base platform
LDLIBS := -lpthread
