# SPDX-License-Identifier: MIT
# libinit_policy: init's pure policy (session routing, config checks)
NAME := init_policy
TYPE := lib
SRC := *.c
