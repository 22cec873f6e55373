/* SPDX-License-Identifier: MIT */
/** \brief the Hello session's server side, shared by hello_server and test-hybrid */

#include <base/log.h>
#include <hello_session/component.h>
#include <os/session_request.h>
#include <util/string.h>

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
	struct env *env = session->env;
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

static struct hello_session_ops const hello_session_component_ops = { hello_say_hello,
	                                                                  hello_add, hello_reverse,
	                                                                  hello_complement };

struct hello_session_cap hello_session_component_manage(struct hello_session_component *session,
                                                        struct rpc_entrypoint *ep,
                                                        struct env *env, char const *label)
{
	memory_set(session, 0, sizeof(*session));
	session->env = env;
	string_copy(session->label, label, sizeof(session->label));
	return hello_session_manage(ep, &session->object, &hello_session_component_ops, session);
}

struct hello_session_component *hello_session_component_lookup(struct rpc_entrypoint *ep,
                                                               struct session_cap cap)
{
	struct rpc_object *object =
	    session_request_close_lookup(ep, cap, &hello_session_component_ops);
	return object ? object->state : 0;
}
