# SPDX-License-Identifier: MIT
# \brief bench_net: the host side of the network benchmark (`make bench`,
#        tests/bench/net/bench_net.run): a host program, -O2, no sanitizers
NAME := bench_net
TYPE := host
SRC := *.c
LIBS := bench_support
LDLIBS := -lpthread
