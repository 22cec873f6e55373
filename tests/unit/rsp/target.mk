# SPDX-License-Identifier: MIT
# unit tests of librsp (gdb_monitor/include/rsp): reader, writer, hex, parsers
NAME := test_rsp
TYPE := test
SRC := *.c
LIBS := rsp base platform
