# SPDX-License-Identifier: MIT
# libnic_slirp: the pure parts of nic_drv (doc/nic_drv.md), unit-tested on their own:
# its config, the frame ring of its backlog, and how its loop waits for a deadline
NAME := nic_slirp
TYPE := lib
VARIANTS := host san
SRC := *.c
