/* SPDX-License-Identifier: MIT */
/**
 * \brief test-quota-server: announces "Quota" and exits while a client's
 *        session, and with it the client's donation, is still open
 *        (run/quota.run)
 *
 * A "Quota" session speaks the LOG session interface (log_session.h): the
 * server logs what the client writes. When a client writes `exit`, the
 * server replies and then returns from component_construct with its
 * sessions open: the parent destroys it, and must give the donations back
 * to the clients without losing any quota. Log lines:
 *   quota <bytes>                                 at the start
 *   session for "<label>": ram_quota <n>, quota <bytes>
 *                                                 a session was made; its
 *                                                 donation is in the quota
 *   denied session: <why>                         a request the root refused
 *   from "<label>": <text>                        a client wrote
 *   closed session of "<label>"                   a client closed its session
 *   exits with <n> sessions open, quota <bytes>   the end, exit code 0
 */

#include <base/env.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <log_session/log_session.h>
#include <os/session_request.h>
#include <os/server.h>
#include <util/string.h>

RPC_SERVER_OBJECT(root)
RPC_SERVER(log_session, LOG_SESSION_RPC)
RPC_SERVER_OBJECT(log_session)

enum {
	QUOTA_SERVER_SESSIONS = 4,
	QUOTA_SERVER_ENDPOINTS = 32,
	QUOTA_SERVER_SESSION_QUOTA_MIN = 4096, /* the donation a session needs */
};

struct quota_server;

struct quota_session
{
	struct rpc_object object;
	struct quota_server *server;
	bool used;
	char label[SESSION_LABEL_MAX];
};

struct quota_server
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[QUOTA_SERVER_ENDPOINTS];
	struct rpc_object root;
	struct quota_session sessions[QUOTA_SERVER_SESSIONS];
	bool exit_requested; /* a client wrote `exit` */
};

static uint64_t quota_server_quota(struct quota_server *server)
{
	struct ram_quota_result q = ram_session_quota(server->env->ram);
	return q.result == RAM_OK ? q.quota.quota : 0;
}

static unsigned quota_server_open_sessions(struct quota_server *server)
{
	unsigned open = 0;
	for (unsigned i = 0; i < QUOTA_SERVER_SESSIONS; i++)
		if (server->sessions[i].used) open++;
	return open;
}

/* ---- the session ----------------------------------------------------------------- */

static enum log_session_result quota_session_write(void *state, char const *text)
{
	struct quota_session *session = state;
	log_info("from \"%s\": %s", session->label, text);
	if (string_equal(text, "exit")) session->server->exit_requested = true;
	return LOG_SESSION_OK;
}

static struct log_session_ops const quota_session_ops = { quota_session_write };

/* ---- the root -------------------------------------------------------------------- */

static enum root_result quota_root_session(void *state, char const *args,
                                           struct session_cap *cap)
{
	struct quota_server *server = state;

	/* decode and check everything first */
	struct session_request request;
	enum root_result checked =
	    session_request_decode(args, QUOTA_SERVER_SESSION_QUOTA_MIN, &request);
	if (checked != ROOT_OK) return checked;
	char const *label = request.label;
	struct quota_session *session = 0;
	for (unsigned i = 0; i < QUOTA_SERVER_SESSIONS && !session; i++)
		if (!server->sessions[i].used) session = &server->sessions[i];
	if (!session) {
		log_info("denied session: no free session slot");
		return ROOT_NO_RESOURCES;
	}

	memory_set(session, 0, sizeof(*session));
	session->server = server;
	string_copy(session->label, label, sizeof(session->label));
	struct log_session_cap session_cap =
	    log_session_manage(&server->ep, &session->object, &quota_session_ops, session);
	if (!cap_valid(session_cap.cap)) {
		rpc_entrypoint_dissolve(&server->ep, &session->object);
		log_info("denied session: out of capabilities");
		return ROOT_NO_RESOURCES;
	}
	session->used = true;
	*cap = CAP_CAST(session, session_cap); /* moves to the parent with the reply */
	log_info("session for \"%s\": ram_quota %lu, quota %lu", label,
	         (unsigned long)request.ram_quota, (unsigned long)quota_server_quota(server));
	return ROOT_OK;
}

/* the received reference of `cap` is ours: closed on every path */
static enum root_result quota_root_close(void *state, struct session_cap cap)
{
	struct quota_server *server = state;
	struct rpc_object *object =
	    session_request_close_lookup(&server->ep, cap, &quota_session_ops);
	if (!object) return ROOT_INVALID_ARGUMENT;
	struct quota_session *session = object->state;
	log_info("closed session of \"%s\"", session->label);
	rpc_entrypoint_dissolve(&server->ep, &session->object);
	session->used = false;
	return ROOT_OK;
}

static struct root_ops const quota_root_ops = { quota_root_session, quota_root_close };

/* ---- start ----------------------------------------------------------------------- */

int component_construct(struct env *env)
{
	static struct quota_server server;
	server.env = env;
	log_info("quota %lu", (unsigned long)quota_server_quota(&server));
	if (rpc_entrypoint_init(&server.ep, server.endpoints, QUOTA_SERVER_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("no entrypoint");
		return 1;
	}
	if (server_root_announce(env, &server.ep, &server.root, &quota_root_ops, &server,
	                         "Quota") != SERVER_ROOT_OK)
		return 1;

	/* each request is answered before the loop looks at the flag again */
	while (!server.exit_requested) (void)rpc_entrypoint_serve_once(&server.ep, -1);
	log_info("exits with %u sessions open, quota %lu", quota_server_open_sessions(&server),
	         (unsigned long)quota_server_quota(&server));
	return 0;
}
