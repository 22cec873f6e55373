# SPDX-License-Identifier: MIT
# nic_loopback: a NIC driver on the driver helper that echoes every frame (run/nic.run)
NAME := nic_loopback
TYPE := component
SRC := *.c
LIBS := os component base platform
