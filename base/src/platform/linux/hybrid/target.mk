# SPDX-License-Identifier: MIT
# the runtime of hybrid components (doc/hybrid.md): main(), the env on the
# parent's sessions, dataspaces in a reserved window, framework threads as pthreads.
# A hybrid is a host program: `TYPE := host`, `LIBS := hybrid os base platform`,
# `LDLIBS := -lpthread` plus its host libraries.
NAME := hybrid
TYPE := lib
VARIANTS := host
SRC := *.c
CFLAGS := -Ibase/src/platform/linux
