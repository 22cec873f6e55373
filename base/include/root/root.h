/* SPDX-License-Identifier: MIT */
/**
 * \brief root: how a component offers a service
 *
 * A server announces a service to its parent with a root capability. The
 * parent forwards its clients' session requests to the root: session() makes
 * a session for the argument string, close() ends one and gives back its
 * donated quota.
 */

#ifndef _ROOT_ROOT_H_
#define _ROOT_ROOT_H_

#include <base/rpc.h>
#include <base/session.h>

enum root_result {
	ROOT_OK = 0,
	ROOT_DENIED,                /* the server refuses (unknown resource, policy) */
	ROOT_INSUFFICIENT_DONATION, /* ram_quota is below what the session needs */
	ROOT_INVALID_ARGUMENT,      /* malformed argument string, or not a session of this root */
	RPC_RESULT_ERRORS(ROOT),
};

#define ROOT_RPC(M, I)                                                   \
	M(I, session, enum root_result, (IN_STRING, SESSION_ARGS_MAX, args), \
	  (OUT_CAP, session, session))                                       \
	M(I, close, enum root_result, (IN_CAP, session, session))

RPC_INTERFACE(root, ROOT_RPC)

#endif /* _ROOT_ROOT_H_ */
