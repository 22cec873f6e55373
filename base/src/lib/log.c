/* SPDX-License-Identifier: MIT */
/** \brief log lines: format, then hand to the sink */

#include <stdarg.h>

#include <base/log.h>
#include <util/format.h>

/* the process-wide log route */
static struct log_route
{
	log_sink_function sink;
	void *context;
} log_route;

char const *log_level_prefix(enum log_level level)
{
	static char const *const prefix[] = { "Error: ", "Warning: ", "" };
	return prefix[level <= LOG_LEVEL_INFO ? level : LOG_LEVEL_INFO];
}

void log_set_sink(log_sink_function sink, void *context)
{
	log_route.context = context;
	__atomic_store_n(&log_route.sink, sink, __ATOMIC_RELEASE);
}

void log_printf(enum log_level level, char const *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list args;
	va_start(args, fmt);
	size_t length = format_vstring(line, sizeof(line), fmt, args);
	va_end(args);
	if (length >= sizeof(line)) length = sizeof(line) - 1;

	log_sink_function sink = __atomic_load_n(&log_route.sink, __ATOMIC_ACQUIRE);
	if (sink)
		sink(log_route.context, level, line, length);
	else
		log_console_sink(0, level, line, length);
}
