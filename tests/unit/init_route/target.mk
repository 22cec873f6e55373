# SPDX-License-Identifier: MIT
# unit tests of init/route (init's session routing)
NAME := test_init_route
TYPE := test
SRC := *.c
LIBS := init_policy base platform
