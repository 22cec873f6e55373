/* SPDX-License-Identifier: MIT */
/** \brief the Linux console of the log: standard error, one write per line */

#include <base/log.h>
#include <util/string.h>

#include "syscall.h"

void log_console_sink(void *context, enum log_level level, char const *line, size_t length)
{
	(void)context;
	char buffer[LOG_LINE_MAX + 16];
	size_t used = 0;
	char const *p = log_level_prefix(level);
	size_t prefix_length = string_length(p);
	memory_copy(buffer, p, prefix_length);
	used = prefix_length;
	if (length > sizeof(buffer) - used - 1) length = sizeof(buffer) - used - 1;
	memory_copy(buffer + used, line, length);
	used += length;
	buffer[used++] = '\n';
	linux_syscall3(SYS_write, 2, (long)buffer, (long)used);
}
