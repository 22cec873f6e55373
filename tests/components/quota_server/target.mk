# SPDX-License-Identifier: MIT
# test-quota-server: a server that exits while its client's session is open (run/quota.run)
NAME := test-quota-server
TYPE := component
SRC := *.c
LIBS := os component base platform
