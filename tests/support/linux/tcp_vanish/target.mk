# SPDX-License-Identifier: MIT
# \brief tcp_vanish: a host program whose TCP connection disappears without a FIN or RST,
#        the peer of run/gdb_monitor_keepalive.run
NAME := tcp_vanish
TYPE := host
SRC := *.c
