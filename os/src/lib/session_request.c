/* SPDX-License-Identifier: MIT */
/** \brief a server's first look at a session request */

#include <base/log.h>
#include <os/session_request.h>
#include <util/arg_string.h>
#include <util/string.h>

enum root_result session_request_decode(char const *args, uint64_t ram_quota_min,
                                        struct session_request *out)
{
	size_t length = string_length(args);
	out->label[0] = 0;
	out->ram_quota = 0;
	if (arg_string_validate(args, length) != ARG_STRING_OK) {
		log_info("denied session: malformed arguments \"%s\"", args);
		return ROOT_INVALID_ARGUMENT;
	}
	struct arg_string_copy_ret l =
	    arg_string_get_string(args, length, "label", out->label, sizeof(out->label));
	if (l.result != ARG_STRING_OK && l.result != ARG_STRING_NOT_FOUND) {
		log_info("denied session: label of %lu bytes is too long", (unsigned long)l.length);
		return ROOT_INVALID_ARGUMENT;
	}
	if (l.result == ARG_STRING_NOT_FOUND) out->label[0] = 0;
	struct arg_string_unsigned_ret quota = arg_string_get_unsigned(args, length, "ram_quota");
	if (quota.result != ARG_STRING_OK && quota.result != ARG_STRING_NOT_FOUND) {
		log_info("denied session for \"%s\": ram_quota is no 64-bit number", out->label);
		return ROOT_INVALID_ARGUMENT;
	}
	out->ram_quota = quota.result == ARG_STRING_OK ? quota.value : 0;
	if (out->ram_quota < ram_quota_min) {
		log_info("denied session for \"%s\": ram_quota %lu below the %lu it needs", out->label,
		         (unsigned long)out->ram_quota, (unsigned long)ram_quota_min);
		return ROOT_INSUFFICIENT_DONATION;
	}
	return ROOT_OK;
}

void *session_request_object_alloc(struct env *env, struct session_request const *request,
                                   size_t size)
{
	struct allocator_alloc_ret a = allocator_alloc(env_heap(env), size);
	if (a.result != ALLOCATOR_OK) {
		log_info("denied session for \"%s\": out of memory", request->label);
		return 0;
	}
	memory_set(a.ptr, 0, size);
	return a.ptr;
}

enum root_result session_request_object_refuse(struct env *env,
                                               struct session_request const *request,
                                               struct rpc_entrypoint *ep,
                                               struct rpc_object *object, void *memory,
                                               size_t size)
{
	rpc_entrypoint_dissolve(ep, object);
	allocator_free(env_heap(env), memory, size);
	log_info("denied session for \"%s\": out of capabilities", request->label);
	return ROOT_NO_RESOURCES;
}

struct rpc_object *session_request_close_lookup(struct rpc_entrypoint *ep,
                                                struct session_cap session, void const *ops)
{
	struct rpc_object *object = rpc_entrypoint_lookup(ep, session.cap);
	cap_close(session.cap);
	return object && object->ops == ops ? object : 0;
}
