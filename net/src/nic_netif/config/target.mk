# SPDX-License-Identifier: MIT
# libnic_netif_config: the <net> node of a component's config, DHCP or a static IPv4
# address (net/include/nic_netif/nic_netif_config.h); pure, on libbase, so the unit test
# (tests/unit/nic_netif_config) runs it on the host
NAME := nic_netif_config
TYPE := lib
SRC := *.c
VARIANTS := fs host san
EXPORT_CFLAGS := -Inet/include
