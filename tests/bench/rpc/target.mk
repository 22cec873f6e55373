# SPDX-License-Identifier: MIT
# \brief the RPC benchmark (`make bench`): a host program, -O2, no sanitizers
NAME := bench_rpc
TYPE := host
SRC := *.c
CFLAGS := -Itests/support/handles
LIBS := bench_support test_handles base platform
