/* SPDX-License-Identifier: MIT */
/** \brief panic on Linux: message to stderr, then SIGABRT to the whole process */

#include <stdarg.h>

#include <base/panic.h>
#include <util/format.h>
#include <util/string.h>

#include "syscall.h"

enum { LINUX_SIGABRT = 6 };

/* the one process-wide piece of panic state */
static struct panic_state
{
	char const *label;
} panic_state = { "?" };

void panic_set_label(char const *label) { panic_state.label = label ? label : "?"; }

void panic(char const *fmt, ...)
{
	char line[512];
	size_t used = format_string(line, sizeof(line), "[%s] panic: ", panic_state.label);
	if (used >= sizeof(line)) used = sizeof(line) - 1;

	va_list args;
	va_start(args, fmt);
	size_t message = format_vstring(line + used, sizeof(line) - used, fmt, args);
	va_end(args);
	used += message < sizeof(line) - used ? message : sizeof(line) - used - 1;
	if (used < sizeof(line) - 1) line[used++] = '\n';

	linux_syscall3(SYS_write, 2, (long)line, (long)used);
	linux_syscall2(SYS_kill, linux_syscall1(SYS_getpid, 0), LINUX_SIGABRT);
	for (;;) linux_syscall1(SYS_exit_group, 134);
}
