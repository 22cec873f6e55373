# SPDX-License-Identifier: MIT
# hello_client: opens a Hello session through its parent and checks every call (run/rpc.run)
NAME := hello_client
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/hello/include
LIBS := os component base platform
