# SPDX-License-Identifier: MIT
# test-lwip-server: TCP echo and a tiny HTTP server on lwIP over a Nic session (run/lwip.run)
NAME := test-lwip-server
TYPE := component
SRC := *.c
LIBS := test_lwip_echo nic_netif nic_netif_config lwip libc os component base platform
