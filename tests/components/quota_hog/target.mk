# SPDX-License-Identifier: MIT
# test-quota-hog: takes all of its RAM quota, checks the clean refusals, gives it back (run/quota.run)
NAME := test-quota-hog
TYPE := component
SRC := *.c
LIBS := os component base platform
