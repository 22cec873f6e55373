# SPDX-License-Identifier: MIT
# test-lwip-loopback: TCP and UDP echo over lwIP's loopback netif (run/lwip_loopback.run)
NAME := test-lwip-loopback
TYPE := component
SRC := *.c
LIBS := test_lwip_echo lwip libc os component base platform
