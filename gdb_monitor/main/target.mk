# SPDX-License-Identifier: MIT
# gdb_monitor: the GDB monitor component (doc/gdb_monitor.md): starts its <target> as its
# child with the virtual RM and CPU sessions and serves GDB's remote protocol for it over
# TCP on lwIP (a Nic session, the address from <net>: doc/nic_netif.md)
NAME := gdb_monitor
TYPE := component
SRC := *.c
LIBS := gdb_tcp gdb_server gdb_monitor_core rsp nic_netif nic_netif_config lwip libc os \
	component base platform
