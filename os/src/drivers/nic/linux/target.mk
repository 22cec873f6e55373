# SPDX-License-Identifier: MIT
# nic_drv: the NIC driver of the hosted platform, a hybrid component on libslirp
# (doc/nic_drv.md); libslirp and GLib from the distribution, through pkg-config
NAME := nic_drv
TYPE := host
SRC := *.c
CFLAGS := $(shell pkg-config --cflags slirp)
LIBS := nic_slirp hybrid os base platform
LDLIBS := -lpthread $(shell pkg-config --libs slirp)
