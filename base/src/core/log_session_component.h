/* SPDX-License-Identifier: MIT */
/**
 * \brief core's LOG session: a component's text as labeled lines
 *
 * Every line that a client writes appears as `[<label>] <line>` on core's
 * output (a sink given at creation; core's writes to its standard output).
 * The rules, all in log_session_format():
 * - the text is split at each '\n'; a final newline adds no empty line, and
 *   an empty text prints nothing ("a\n\nb" is three lines, the middle one
 *   empty; "\n" is one empty line)
 * - bytes that are not printable ASCII are shown as \xNN (two lower-case hex
 *   digits), except tab, which stays a tab so that tabulated output keeps
 *   its columns; a backslash stays as it is
 * - a line longer than LOG_SESSION_LINE_MAX characters (after escaping) is
 *   wrapped into several output lines, each with the same prefix; an
 *   escape sequence is never split
 * - the label is escaped the same way and cut after LOG_SESSION_LABEL_MAX bytes
 *
 * Threads: everything runs in core's entrypoint thread; no locking.
 */

#ifndef _CORE_LOG_SESSION_COMPONENT_H_
#define _CORE_LOG_SESSION_COMPONENT_H_

#include <stddef.h>

#include <base/allocator.h>
#include <base/rpc_entrypoint.h>
#include <base/session.h>
#include <log_session/log_session.h>

enum {
	LOG_SESSION_LINE_MAX = 200,                    /* characters of text per output line */
	LOG_SESSION_LABEL_MAX = SESSION_LABEL_MAX - 1, /* bytes of a label that are shown */
	LOG_SESSION_ESCAPE_WIDTH = 4,                  /* characters of one \xNN */
	LOG_SESSION_OUTPUT_MAX = 1 + LOG_SESSION_LABEL_MAX * LOG_SESSION_ESCAPE_WIDTH + 2 +
	                         LOG_SESSION_LINE_MAX, /* characters of one output line */
};

/**
 * Where finished lines go.
 *
 * \param line    `[<label>] <text>`, NUL-terminated, without a newline; valid
 *                during the call only
 * \param length  characters of `line` without the NUL
 */
typedef void (*log_session_sink_function)(void *context, char const *line, size_t length);

/**
 * Format `text` as output lines (see the rules above) and hand each to
 * `sink`. Pure: no state besides what `sink` does.
 *
 * \param label   NUL-terminated label
 * \param text    `length` bytes, any values (a NUL is shown as \x00)
 * \return        the number of lines handed to `sink`
 */
size_t log_session_format(char const *label, char const *text, size_t length,
                          log_session_sink_function sink, void *context);

struct log_session_component;

/** results of log_session_component_create */
enum log_session_component_result {
	LOG_SESSION_COMPONENT_OK = 0,          /* created */
	LOG_SESSION_COMPONENT_OUT_OF_METADATA, /* `alloc` refused the session object */
	LOG_SESSION_COMPONENT_NO_RESOURCES,    /* no capability could be minted */
};

struct log_session_component_create_ret
{
	enum log_session_component_result result;
	struct log_session_component *log; /* valid only with _OK */
	struct log_session_cap cap;        /* the first capability, owned by the caller */
};

/**
 * Create a LOG session, served at `ep`.
 *
 * \param alloc    allocator of the session object; must outlive it
 * \param label    NUL-terminated; copied (cut after LOG_SESSION_LABEL_MAX bytes)
 * \param sink     receives every line; with `context`, must outlive the session
 * \return         _OK with the session and its first capability, or a
 *                 failure and nothing to destroy
 */
struct log_session_component_create_ret
log_session_component_create(struct rpc_entrypoint *ep, struct allocator *alloc,
                             char const *label, log_session_sink_function sink, void *context)
    __attribute__((warn_unused_result));

/** Revoke every capability of the session and free it. */
void log_session_component_destroy(struct log_session_component *log);

/** Mint another capability of the session (invalid when out of endpoints). */
struct log_session_cap log_session_component_cap(struct log_session_component *log)
    __attribute__((warn_unused_result));

#endif /* _CORE_LOG_SESSION_COMPONENT_H_ */
