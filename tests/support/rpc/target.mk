# SPDX-License-Identifier: MIT
# \brief the RPC test server and its interfaces, shared by test_rpc and the rpc scenario
NAME := rpc_test_support
TYPE := lib
VARIANTS := host san
SRC := *.c
CFLAGS := -Itests/support/rpc -Itests/support/handles
