# SPDX-License-Identifier: MIT
# unit tests of nic_drv's pure parts: its config, its frame ring, its wait for a deadline
NAME := test_nic_slirp
TYPE := test
SRC := *.c
CFLAGS := -Ios/src/drivers/nic/linux/lib
LIBS := nic_slirp base platform
LDLIBS := -lpthread
