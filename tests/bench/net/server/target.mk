# SPDX-License-Identifier: MIT
# \brief bench-net-server: TCP sink, source and echo on lwIP over a Nic session,
#        the component side of the network benchmark (tests/bench/net/bench_net.run)
NAME := bench-net-server
TYPE := component
SRC := *.c
LIBS := test_lwip_echo nic_netif nic_netif_config lwip libc os component base platform
