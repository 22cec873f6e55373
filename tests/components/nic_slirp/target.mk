# SPDX-License-Identifier: MIT
# test-nic-slirp: raw Ethernet over nic_drv's Nic session, against slirp (run/nic_slirp.run)
NAME := test-nic-slirp
TYPE := component
SRC := *.c
LIBS := os component base platform
