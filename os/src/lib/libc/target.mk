# SPDX-License-Identifier: MIT
# the C library: newlib (built by `make prepare`) on the framework's sessions
#
# A component names it in LIBS (`LIBS := libc os component base platform`) and gets
# newlib's headers and archives. doc/libc.md says what each call does here.
NAME := libc
TYPE := lib
VARIANTS := fs
SRC := *.c
# the POSIX timer and monotonic clock calls (time.c) are declared by newlib on request
EXPORT_CFLAGS := -D__DYNAMIC_REENT__ -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L -isystem $(NEWLIB_INSTALL)/include
# every object of the glue but main.o is linked before newlib's archive is searched (-u
# names one symbol of each), so that newlib's own abort, write, ... never come first
EXPORT_LINK := $(addprefix -Wl$(comma)-u$(comma),__getreent libc_output write _malloc_r \
	__retarget_lock_acquire clock_gettime) $(NEWLIB_INSTALL)/lib/libm.a $(NEWLIB_INSTALL)/lib/libc.a
EXPORT_DEPS := $(NEWLIB_STAMP)
