/* SPDX-License-Identifier: MIT */
/**
 * \brief hello_server: serves the Hello session (hello_session.h) to the
 *        clients that its parent routes to it (run/rpc.run, run/routing.run)
 *
 * The main thread serves one entrypoint with a root object, announced to the
 * parent as "Hello", and one session object per open session.
 *
 * Config (the `config` ROM, optional): `<config depends="Hello"/>` names a
 * service that the server needs before it can serve: it opens a session of
 * it through its parent (ram_quota=8192, no label of its own) before it
 * announces "Hello", and keeps it for its lifetime. So a client's request
 * for this server's "Hello" waits at init until that session is there. If
 * the service is "Hello" (another server's), the server also checks it
 * with say_hello. A dependency that is denied ends the server (exit code 1)
 * without an announcement. Without a <config> node in its start, init passes
 * the ROM request on to core, which hands out its boot module `config`
 * (init's own config, whose root has no `depends`): no dependency.
 *
 * Log lines:
 *   depends on "Hello": the server knows me as "<label>"
 *   depends on "<service>": session open
 *                                    the dependency is there (before the
 *                                    announcement)
 *   session for "<label>"            a session was made
 *   closed session of "<label>"      a session was closed
 *   say_hello from "<label>"         a client called say_hello
 *   denied session for "<label>": ... | denied session: ...
 *                                    a request the root refused, and why
 */

#include <base/env.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <hello_session/component.h>
#include <os/config.h>
#include <os/server.h>
#include <os/session_request.h>
#include <util/string.h>

RPC_SERVER_OBJECT(root)

/* a minted capability and a client channel each: ample for a few sessions */
enum { HELLO_SERVER_ENDPOINTS = 128 };

struct hello_server
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[HELLO_SERVER_ENDPOINTS];
	struct rpc_object root;
};

/* ---- the root -------------------------------------------------------------------- */

static enum root_result hello_root_session(void *state, char const *args,
                                           struct session_cap *cap)
{
	struct hello_server *server = state;
	/* decode and check everything first */
	struct session_request request;
	enum root_result checked = session_request_decode(args, HELLO_SESSION_RAM_MIN, &request);
	if (checked != ROOT_OK) return checked;
	char const *label = request.label;

	/* sessions from env->heap, from root session() to root close() */
	struct hello_session_component *session =
	    session_request_object_alloc(server->env, &request, sizeof(*session));
	if (!session) return ROOT_NO_RESOURCES;
	struct hello_session_cap session_cap =
	    hello_session_component_manage(session, &server->ep, server->env, label);
	if (!cap_valid(session_cap.cap))
		return session_request_object_refuse(server->env, &request, &server->ep,
		                                     &session->object, session, sizeof(*session));
	*cap = CAP_CAST(session, session_cap); /* moves to the parent with the reply */
	log_info("session for \"%s\"", session->label);
	return ROOT_OK;
}

/* the received reference of `cap` is ours: closed on every path */
static enum root_result hello_root_close(void *state, struct session_cap cap)
{
	struct hello_server *server = state;
	struct hello_session_component *session = hello_session_component_lookup(&server->ep, cap);
	if (!session) return ROOT_INVALID_ARGUMENT;

	log_info("closed session of \"%s\"", session->label);
	rpc_entrypoint_dissolve(&server->ep, &session->object);
	allocator_free(env_heap(server->env), session, sizeof(*session));
	return ROOT_OK;
}

static struct root_ops const hello_root_ops = { hello_root_session, hello_root_close };

/* ---- the dependency --------------------------------------------------------------- */

/*
 * The service of the config's `depends` attribute into `service` ("" for
 * none). false (logged): the attribute is there but names no service.
 */
static bool hello_server_depends(struct env *env, char *service, size_t size)
{
	service[0] = 0;
	struct config config;
	if (config_init(&config, env) != CONFIG_OK) return true; /* logged; nothing to depend on */
	struct xml_copy_ret r = xml_node_attribute_string(config.root, "depends", service, size);
	config_destroy(&config, env);
	if (r.result == XML_ACCESS_NOT_FOUND) return true; /* service unchanged: "" */
	if (r.result == XML_ACCESS_OK && r.length > 0) return true;
	log_error("hello_server: config: depends names no service (of 1 to %zu bytes)", size - 1);
	service[0] = 0; /* NO_SPACE leaves "" already; an empty value is "" too */
	return false;
}

/*
 * Open a session of `service` (kept open for good, at the caller's
 * `dependency`), and for "Hello" check it with say_hello. false (logged):
 * denied, or the check failed.
 */
static bool hello_server_dependency(struct env *env, char const *service,
                                    struct connection *dependency)
{
	*dependency = env_session_request(env, service, "ram_quota=8192");
	if (dependency->result != PARENT_OK) {
		log_error("hello_server: depends on \"%s\", which was denied (%d)", service,
		          (int)dependency->result);
		return false;
	}
	if (!string_equal(service, "Hello")) {
		log_info("depends on \"%s\": session open", service);
		return true;
	}
	char label[HELLO_LABEL_MAX + 1];
	struct rpc_out_buffer out = { label, HELLO_LABEL_MAX, 0 };
	enum hello_session_result r =
	    hello_session_say_hello(CAP_CAST(hello_session, dependency->cap), &out);
	if (r != HELLO_OK || out.size > HELLO_LABEL_MAX) {
		log_error("hello_server: depends on \"Hello\", whose say_hello failed (%d)", (int)r);
		return false;
	}
	label[out.size] = 0;
	log_info("depends on \"Hello\": the server knows me as \"%s\"", label);
	return true;
}

/* ---- start ----------------------------------------------------------------------- */

int component_construct(struct env *env)
{
	static struct hello_server server;
	static struct connection dependency; /* open for the server's lifetime */
	server.env = env;

	char depends[SESSION_SERVICE_NAME_MAX];
	if (!hello_server_depends(env, depends, sizeof(depends))) return 1;
	if (depends[0] && !hello_server_dependency(env, depends, &dependency)) return 1;

	if (rpc_entrypoint_init(&server.ep, server.endpoints, HELLO_SERVER_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("hello_server: no entrypoint");
		return 1;
	}
	if (server_root_announce(env, &server.ep, &server.root, &hello_root_ops, &server,
	                         "Hello") != SERVER_ROOT_OK)
		return 1;

	/* serves until rpc_entrypoint_stop(), which nobody calls: the server stays */
	rpc_entrypoint_serve(&server.ep);
	return 0;
}
