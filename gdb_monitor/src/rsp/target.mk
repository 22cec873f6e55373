# SPDX-License-Identifier: MIT
# librsp: the GDB remote protocol on the wire (framing, hex and binary codecs,
# argument parsers), free of any thread or memory logic; doc/rsp.md
NAME := rsp
TYPE := lib
SRC := *.c
VARIANTS := fs host san
EXPORT_CFLAGS := -Igdb_monitor/include
