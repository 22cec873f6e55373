# SPDX-License-Identifier: MIT
# \brief unit tests of core's ptrace back end (base/src/core/linux/tracer.h), and of
#        core's rules on top of it (test_thread_gone.c)
NAME := test_tracer
TYPE := test
SRC := *.c
CFLAGS := -Ibase/src/core -Ibase/src/core/linux
LIBS := core_services base platform
LDLIBS := -lpthread

# the tests spawn the tracee program from <build>/bin
$(BUILD)/test/test_tracer: | $(BUILD)/bin/tracee
