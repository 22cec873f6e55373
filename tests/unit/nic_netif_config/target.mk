# SPDX-License-Identifier: MIT
# the <net> node of a component's config: DHCP or a static IPv4 address
# (net/include/nic_netif/nic_netif_config.h)
NAME := test_nic_netif_config
TYPE := test
SRC := *.c
LIBS := nic_netif_config base platform
