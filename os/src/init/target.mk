# SPDX-License-Identifier: MIT
# init: starts the components of its config and routes their session requests
NAME := init
TYPE := component
SRC := *.c
LIBS := init_policy os component base platform
