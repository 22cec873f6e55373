/* SPDX-License-Identifier: MIT */
/**
 * \brief parent: the one capability a component starts with
 *
 * Everything a component uses it asks its parent for. The parent decides for
 * each request where it goes (serves it itself, or routes it on to its own
 * parent or to a sibling that announced the service).
 *
 * env_session hands out the component's own RAM, RM, PD and CPU sessions,
 * which the parent created before it started the component.
 */

#ifndef _PARENT_PARENT_H_
#define _PARENT_PARENT_H_

#include <base/rpc.h>
#include <base/session.h>
#include <root/root.h>

enum parent_result {
	PARENT_OK = 0,
	PARENT_SERVICE_DENIED,        /* no route to the service, or its server refused */
	PARENT_INSUFFICIENT_DONATION, /* ram_quota is below what the server needs */
	PARENT_OUT_OF_QUOTA,          /* the requester cannot pay the donated ram_quota */
	PARENT_INVALID_ARGUMENT,      /* malformed service name or argument string */
	PARENT_UNKNOWN_SESSION,       /* close of an id that names no open session */
	PARENT_ALREADY_ANNOUNCED,     /* the service is announced already */
	PARENT_OUT_OF_RESOURCES,      /* the parent has no room for another session */
	RPC_RESULT_ERRORS(PARENT),
};

/** the sessions that make up a component's environment */
enum parent_env_session {
	PARENT_ENV_RAM = 0,
	PARENT_ENV_RM,
	PARENT_ENV_PD,
	PARENT_ENV_CPU,
	PARENT_ENV_COUNT,
};

struct parent_session_result
{
	enum parent_result result;
	uint32_t id; /* names the session in close */
};

struct parent_close_result
{
	enum parent_result result;
	uint64_t quota; /* bytes that came back to the caller's RAM session */
};

/*
 * session:     open a session of `service` with `args`; the capability is the
 *              caller's (CAP_CAST it to the service's type)
 * close:       end the session `id`; its donated quota returns to the caller's
 *              RAM session, with what it gained meanwhile (a RAM session
 *              returns all it holds, transfers into it included): `quota`
 *              says how much came back
 * announce:    offer `service`; requests for it go to `root`
 * exit:        the component is done; the parent decides what follows
 * env_session: one of the component's own environment sessions
 */
#define PARENT_RPC(M, I)                                                                   \
	M(I, session, struct parent_session_result,                                            \
	  (IN_STRING, SESSION_SERVICE_NAME_MAX, service), (IN_STRING, SESSION_ARGS_MAX, args), \
	  (OUT_CAP, session, session))                                                         \
	M(I, close, struct parent_close_result, (IN, uint32_t, id))                            \
	M(I, announce, enum parent_result, (IN_STRING, SESSION_SERVICE_NAME_MAX, service),     \
	  (IN_CAP, root, root))                                                                \
	M(I, exit, enum parent_result, (IN, int32_t, code))                                    \
	M(I, env_session, enum parent_result, (IN, uint32_t, which), (OUT_CAP, session, session))

RPC_INTERFACE(parent, PARENT_RPC)

#endif /* _PARENT_PARENT_H_ */
