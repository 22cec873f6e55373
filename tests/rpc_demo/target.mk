# SPDX-License-Identifier: MIT
# \brief the program of the `ipc` scenario (run/ipc.run)
NAME := rpc_demo
TYPE := host
SRC := *.c
CFLAGS := -Itests/support/rpc -Itests/support/handles
LIBS := rpc_test_support test_handles base platform
