# SPDX-License-Identifier: MIT
# libnic_netif: an lwIP netif over a Nic session, served by the lwIP event loop
# (net/include/nic_netif/nic_netif.h, doc/lwip.md). A component names it with its config
# parser before lwip: `LIBS := nic_netif nic_netif_config lwip libc os component base platform`.
NAME := nic_netif
TYPE := lib
VARIANTS := fs
SRC := *.c
LIBS := nic_netif_config lwip libc
