# SPDX-License-Identifier: MIT
# \brief micro-benchmark of librsp's per-byte paths (hex replies, binary replies,
#        reading X packets): a host program, -O2, no sanitizers; doc/rsp.md
NAME := bench_rsp
TYPE := host
SRC := *.c
LIBS := bench_support rsp base platform
