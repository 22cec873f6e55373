# SPDX-License-Identifier: MIT
# \brief descriptors over SCM_RIGHTS, for test and benchmark programs that hand
#        capabilities to a forked process before any RPC exists between them
NAME := test_handles
TYPE := lib
VARIANTS := host san
SRC := *.c
