/* SPDX-License-Identifier: MIT */
/**
 * \brief component log output: formatted lines to a replaceable sink
 *
 * Until a component has a LOG session, lines go to the platform's console
 * (on Linux, the process's standard error). The component runtime replaces
 * the sink with its LOG connection.
 */

#ifndef _BASE_LOG_H_
#define _BASE_LOG_H_

#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
};

/** where finished lines go; `line` has no trailing newline and is NUL-terminated */
typedef void (*log_sink_function)(void *context, enum log_level level, char const *line,
                                  size_t length);

/** format one line (at most LOG_LINE_MAX bytes, the rest cut) and hand it to the sink */
void log_printf(enum log_level level, char const *fmt, ...)
    __attribute__((format(printf, 2, 3)));

enum { LOG_LINE_MAX = 512 };

#define log_error(...)   log_printf(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_printf(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...)    log_printf(LOG_LEVEL_INFO, __VA_ARGS__)

/** route lines to `sink` (NULL: back to the platform console) */
void log_set_sink(log_sink_function sink, void *context);

/** how a line of `level` starts when shown: "Error: ", "Warning: " or "" */
char const *log_level_prefix(enum log_level level);

/** the platform console: writes one line with its level prefix */
void log_console_sink(void *context, enum log_level level, char const *line, size_t length);

#endif /* _BASE_LOG_H_ */
