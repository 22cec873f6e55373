# SPDX-License-Identifier: MIT
# \brief the program of the `rpc` scenario (run/rpc.run)
NAME := rpc_demo
TYPE := host
SRC := *.c
CFLAGS := -Itests/support/rpc
LIBS := rpc_test_support base platform
