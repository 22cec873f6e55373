/* SPDX-License-Identifier: MIT */
/**
 * \brief sessions: the untyped session capability and the session arguments
 *
 * A session request names a service and carries an argument string, e.g.
 * `label="test-log", ram_quota=8192`. `label` says who asks (each parent on
 * the way prefixes the name of its child: "init -> test-log"), `ram_quota`
 * is what the client donates to the server for the session's metadata.
 * The server returns a capability of the service's session type, which the
 * client converts with CAP_CAST(<type>_session, cap).
 */

#ifndef _BASE_SESSION_H_
#define _BASE_SESSION_H_

#include <base/capability.h>

/** `struct session_cap`: a session of any type */
CAP_TYPE(session);

enum {
	SESSION_SERVICE_NAME_MAX = 32,
	SESSION_ARGS_MAX = 256,
	SESSION_LABEL_MAX = 160,
};

#endif /* _BASE_SESSION_H_ */
