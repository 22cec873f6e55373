# SPDX-License-Identifier: MIT
# unit tests of init/config_check (init's config checks and their messages)
NAME := test_init_config_check
TYPE := test
SRC := *.c
LIBS := init_policy base platform
