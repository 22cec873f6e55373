# SPDX-License-Identifier: MIT
# \brief make chosen system calls fail (seccomp), for unit tests that prove a
#        path does without them
NAME := test_syscall_deny
TYPE := lib
VARIANTS := host san
SRC := *.c
