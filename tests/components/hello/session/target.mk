# SPDX-License-Identifier: MIT
# \brief the Hello session's server side, shared by hello_server (fs) and test-hybrid (host)
NAME := hello_session_component
TYPE := lib
VARIANTS := fs host
SRC := *.c
CFLAGS := -Itests/components/hello/include
