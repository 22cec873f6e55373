/* SPDX-License-Identifier: MIT */
/**
 * \brief LOG session: labeled text output
 *
 * Each line written appears prefixed with the session's label, e.g.
 * `[init -> test-log] hello`. Text is split at newlines; long lines are
 * wrapped, and bytes that are not printable ASCII are shown escaped.
 */

#ifndef _LOG_SESSION_LOG_SESSION_H_
#define _LOG_SESSION_LOG_SESSION_H_

#include <base/rpc.h>

enum { LOG_SESSION_WRITE_MAX = 1024 };

enum log_session_result {
	LOG_SESSION_OK = 0,
	RPC_RESULT_ERRORS(LOG_SESSION),
};

/* write: output `text` (one or more lines; a missing final newline is implied) */
#define LOG_SESSION_RPC(M, I) \
	M(I, write, enum log_session_result, (IN_STRING, LOG_SESSION_WRITE_MAX, text))

RPC_INTERFACE(log_session, LOG_SESSION_RPC)

#endif /* _LOG_SESSION_LOG_SESSION_H_ */
