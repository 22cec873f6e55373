# SPDX-License-Identifier: MIT
# hello_server: announces the Hello service to its parent (run/rpc.run)
NAME := hello_server
TYPE := component
SRC := *.c
CFLAGS := -Itests/components/hello/include
LIBS := hello_session_component os component base platform
