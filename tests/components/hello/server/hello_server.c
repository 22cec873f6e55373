/* SPDX-License-Identifier: MIT */
/**
 * \brief hello_server: serves the Hello session (hello_session.h) to the
 *        clients that its parent routes to it (run/rpc.run)
 *
 * The main thread serves one entrypoint with a root object, announced to the
 * parent as "Hello", and one session object per open session. Log lines:
 *   session for "<label>"            a session was made
 *   closed session of "<label>"      a session was closed
 *   say_hello from "<label>"         a client called say_hello
 *   denied session for "<label>": ... | denied session: ...
 *                                    a request the root refused, and why
 */

#include <base/env.h>
#include <base/log.h>
#include <base/rpc_entrypoint.h>
#include <hello_session/hello_session.h>
#include <root/root.h>
#include <util/arg_string.h>
#include <util/string.h>

RPC_SERVER(root, ROOT_RPC)
RPC_SERVER_OBJECT(root)
RPC_SERVER(hello_session, HELLO_SESSION_RPC)
RPC_SERVER_OBJECT(hello_session)

/* a minted capability and a client channel each: ample for a few sessions */
enum { HELLO_SERVER_ENDPOINTS = 128 };

struct hello_server
{
	struct env *env;
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[HELLO_SERVER_ENDPOINTS];
	struct rpc_object root;
};

/* one session, from env->heap; lives from root session() to root close() */
struct hello_session_component
{
	struct rpc_object object;
	struct hello_server *server;
	char label[SESSION_LABEL_MAX];
};

/* ---- the session ----------------------------------------------------------------- */

static enum hello_session_result hello_say_hello(void *state, struct rpc_out_buffer *label)
{
	struct hello_session_component *session = state;
	size_t length = string_length(session->label);
	if (length > label->capacity) return HELLO_BUFFER_TOO_SMALL;
	memory_copy(label->data, session->label, length);
	label->size = length;
	log_info("say_hello from \"%s\"", session->label);
	return HELLO_OK;
}

static struct hello_add_result hello_add(void *state, int64_t a, int64_t b)
{
	(void)state;
	struct hello_add_result r = { HELLO_OK, 0 };
	if (__builtin_add_overflow(a, b, &r.sum)) {
		r.result = HELLO_OVERFLOW;
		r.sum = 0;
	}
	return r;
}

static struct hello_reverse_result hello_reverse(void *state, struct rpc_buffer text,
                                                 struct rpc_out_buffer *reversed)
{
	(void)state;
	struct hello_reverse_result r = { HELLO_OK, 0 };
	if (text.size > reversed->capacity) {
		r.result = HELLO_BUFFER_TOO_SMALL;
		return r;
	}
	uint8_t const *in = text.data;
	uint8_t *out = reversed->data;
	for (size_t i = 0; i < text.size; i++) {
		out[text.size - 1 - i] = in[i];
		r.byte_sum += in[i];
	}
	reversed->size = text.size;
	return r;
}

static enum hello_session_result hello_attach_result(enum env_result result)
{
	switch (result) {
	case ENV_OK:
		return HELLO_OK;
	case ENV_OUT_OF_QUOTA:
	case ENV_OUT_OF_RANGE:
	case ENV_PLATFORM_ERROR:
		return HELLO_OUT_OF_RESOURCES;
	case ENV_INVALID_ARGUMENT:
	case ENV_DENIED:
		break;
	}
	return HELLO_INVALID_DATASPACE;
}

/* the received reference of `ds` is ours: closed on every path */
static struct hello_complement_result hello_complement(void *state, struct dataspace_cap ds)
{
	struct hello_session_component *session = state;
	struct env *env = session->server->env;
	struct hello_complement_result r = { HELLO_INVALID_DATASPACE, 0, 0 };

	struct dataspace_info_result info = { DATASPACE_INVALID_CAP, { 0, false } };
	if (cap_valid(ds.cap)) info = dataspace_info(ds);
	if (info.result != DATASPACE_OK || !info.info.writeable || info.info.size == 0) {
		cap_close(ds.cap);
		return r;
	}
	if (info.info.size > HELLO_DATASPACE_MAX) {
		r.result = HELLO_DATASPACE_TOO_LARGE;
		cap_close(ds.cap);
		return r;
	}
	struct env_attach_result local = env_attach_all(env, ds, true);
	if (local.result != ENV_OK) {
		r.result = hello_attach_result(local.result);
		cap_close(ds.cap);
		return r;
	}

	uint8_t *bytes = local.address;
	uint64_t sum = 0;
	for (uint64_t i = 0; i < info.info.size; i++) {
		sum += bytes[i];
		bytes[i] = (uint8_t)~bytes[i];
	}
	env_detach(env, local.address);
	cap_close(ds.cap);
	r.result = HELLO_OK;
	r.byte_sum = sum;
	r.size = info.info.size;
	return r;
}

static struct hello_session_ops const hello_session_ops = { hello_say_hello, hello_add,
	                                                        hello_reverse, hello_complement };

/* ---- the root -------------------------------------------------------------------- */

static enum root_result hello_root_session(void *state, char const *args,
                                           struct session_cap *cap)
{
	struct hello_server *server = state;
	size_t length = string_length(args);

	/* decode and check everything first */
	if (arg_string_validate(args, length) != ARG_STRING_OK) {
		log_info("denied session: malformed arguments \"%s\"", args);
		return ROOT_INVALID_ARGUMENT;
	}
	char label[SESSION_LABEL_MAX] = "";
	struct arg_string_copy_ret l =
	    arg_string_get_string(args, length, "label", label, sizeof(label));
	if (l.result != ARG_STRING_OK && l.result != ARG_STRING_NOT_FOUND) {
		log_info("denied session: label of %zu bytes is too long", l.length);
		return ROOT_INVALID_ARGUMENT;
	}
	if (l.result == ARG_STRING_NOT_FOUND) label[0] = 0;
	struct arg_string_unsigned_ret quota = arg_string_get_unsigned(args, length, "ram_quota");
	if (quota.result != ARG_STRING_OK && quota.result != ARG_STRING_NOT_FOUND) {
		log_info("denied session for \"%s\": ram_quota is no 64-bit number", label);
		return ROOT_INVALID_ARGUMENT;
	}
	if (quota.value < HELLO_SESSION_RAM_MIN) {
		log_info("denied session for \"%s\": ram_quota %lu below the %u it needs", label,
		         (unsigned long)quota.value, (unsigned)HELLO_SESSION_RAM_MIN);
		return ROOT_INSUFFICIENT_DONATION;
	}

	struct allocator_alloc_ret a = allocator_alloc(heap_allocator(&server->env->heap),
	                                               sizeof(struct hello_session_component));
	if (a.result != ALLOCATOR_OK) {
		log_info("denied session for \"%s\": out of memory", label);
		return ROOT_NO_RESOURCES;
	}
	struct hello_session_component *session = a.ptr;
	memory_set(session, 0, sizeof(*session));
	session->server = server;
	string_copy(session->label, label, sizeof(session->label));

	struct hello_session_cap session_cap =
	    hello_session_manage(&server->ep, &session->object, &hello_session_ops, session);
	if (!cap_valid(session_cap.cap)) {
		rpc_entrypoint_dissolve(&server->ep, &session->object);
		allocator_free(heap_allocator(&server->env->heap), session, sizeof(*session));
		log_info("denied session for \"%s\": out of capabilities", label);
		return ROOT_NO_RESOURCES;
	}
	*cap = CAP_CAST(session, session_cap); /* moves to the parent with the reply */
	log_info("session for \"%s\"", session->label);
	return ROOT_OK;
}

/* the received reference of `cap` is ours: closed on every path */
static enum root_result hello_root_close(void *state, struct session_cap cap)
{
	struct hello_server *server = state;
	struct rpc_object *object = rpc_entrypoint_lookup(&server->ep, cap.cap);
	cap_close(cap.cap);
	/* only our sessions: not the root itself, not a capability of someone else */
	if (!object || object->ops != &hello_session_ops) return ROOT_INVALID_ARGUMENT;

	struct hello_session_component *session = object->state;
	log_info("closed session of \"%s\"", session->label);
	rpc_entrypoint_dissolve(&server->ep, &session->object);
	allocator_free(heap_allocator(&server->env->heap), session, sizeof(*session));
	return ROOT_OK;
}

static struct root_ops const hello_root_ops = { hello_root_session, hello_root_close };

/* ---- start ----------------------------------------------------------------------- */

int component_construct(struct env *env)
{
	static struct hello_server server;
	server.env = env;
	if (rpc_entrypoint_init(&server.ep, server.endpoints, HELLO_SERVER_ENDPOINTS) !=
	    RPC_ENTRYPOINT_OK) {
		log_error("hello_server: no entrypoint");
		return 1;
	}
	struct root_cap root = root_manage(&server.ep, &server.root, &hello_root_ops, &server);
	if (!cap_valid(root.cap)) {
		log_error("hello_server: no root capability");
		return 1;
	}
	/* the parent gets a reference of its own; ours is not needed afterwards */
	enum parent_result announced = parent_announce(env->parent, "Hello", root);
	cap_close(root.cap);
	if (announced != PARENT_OK) {
		log_error("hello_server: the parent refused the announcement of \"Hello\" (%d)",
		          (int)announced);
		return 1;
	}

	/* serves until rpc_entrypoint_stop(), which nobody calls: the server stays */
	rpc_entrypoint_serve(&server.ep);
	return 0;
}
