# SPDX-License-Identifier: MIT
# liblwip: lwIP 2.1.3's core (contrib/, doc/contrib.md) with our port (doc/lwip.md)
#
# A component on lwIP names it before libc: `LIBS := lwip libc os component base platform`.
# NO_SYS=1 and the raw API only: IPv4, ICMP, TCP, UDP, raw, DHCP, ARP and Ethernet, the
# loopback netif; no sockets, no netconn, no IPv6. The options are net/include/lwipopts.h.
# lwIP's sources compile with our flags unchanged (-Wall -Wextra -Werror ...).
NAME := lwip
TYPE := lib
VARIANTS := fs
SRC := *.c
LWIP_CORE := def.c inet_chksum.c init.c ip.c mem.c memp.c netif.c pbuf.c raw.c stats.c \
	tcp.c tcp_in.c tcp_out.c timeouts.c udp.c
LWIP_IPV4 := dhcp.c etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c
SRC_contrib := $(addprefix lwip-2.1.3/src/core/,$(LWIP_CORE)) \
	$(addprefix lwip-2.1.3/src/core/ipv4/,$(LWIP_IPV4)) lwip-2.1.3/src/netif/ethernet.c
# lwIP's headers and ours use newlib's
LIBS := libc
EXPORT_CFLAGS := -Inet/include -Icontrib/lwip-2.1.3/src/include
EXPORT_DEPS := $(CONTRIB_STAMP)
