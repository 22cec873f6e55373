/* SPDX-License-Identifier: MIT */
/** \brief RPC messages: bounded marshalling of values, buffers, strings, capabilities */

#include <base/rpc.h>
#include <util/string.h>

/* a capability slot that carries no capability */
static uint32_t const rpc_msg_no_cap = 0xffffffffu;

char const *rpc_result_string(enum rpc_result result)
{
	switch (result) {
	case RPC_OK:
		return "ok";
	case RPC_INVALID_CAP:
		return "invalid capability";
	case RPC_INVALID_OPCODE:
		return "invalid opcode";
	case RPC_MALFORMED:
		return "malformed message";
	case RPC_TOO_LARGE:
		return "argument too large";
	case RPC_NO_RESOURCES:
		return "out of resources";
	}
	return "unknown RPC result";
}

void rpc_msg_init(struct rpc_msg *msg, uint32_t word)
{
	msg->size = RPC_HEADER_SIZE;
	msg->offset = RPC_HEADER_SIZE;
	msg->cap_count = 0;
	msg->cap_read = 0;
	memory_copy(msg->data, &word, sizeof(word));
	memory_set(msg->data + sizeof(word), 0, RPC_HEADER_SIZE - sizeof(word));
}

bool rpc_msg_put(struct rpc_msg *msg, void const *src, size_t size)
{
	if (size > RPC_MSG_MAX - msg->size) return false;
	memory_copy(msg->data + msg->size, src, size);
	msg->size += (uint32_t)size;
	return true;
}

bool rpc_msg_get(struct rpc_msg *msg, void *dst, size_t size)
{
	if (msg->offset > msg->size || size > msg->size - msg->offset) return false;
	memory_copy(dst, msg->data + msg->offset, size);
	msg->offset += (uint32_t)size;
	return true;
}

enum rpc_result rpc_msg_put_buffer(struct rpc_msg *msg, void const *data, size_t size,
                                   size_t max)
{
	if (size > max || size > UINT32_MAX) return RPC_TOO_LARGE;
	if (size + sizeof(uint32_t) > RPC_MSG_MAX - msg->size) return RPC_TOO_LARGE;
	uint32_t length = (uint32_t)size;
	if (!rpc_msg_put(msg, &length, sizeof(length))) return RPC_TOO_LARGE;
	if (size && !rpc_msg_put(msg, data, size)) return RPC_TOO_LARGE;
	return RPC_OK;
}

bool rpc_msg_get_buffer(struct rpc_msg *msg, void const **data, size_t *size, size_t max)
{
	uint32_t start = msg->offset;
	uint32_t length = 0;
	if (!rpc_msg_get(msg, &length, sizeof(length))) return false;
	if (length > max || length > msg->size - msg->offset) {
		msg->offset = start;
		return false;
	}
	*data = msg->data + msg->offset;
	*size = length;
	msg->offset += length;
	return true;
}

enum rpc_result rpc_msg_put_string(struct rpc_msg *msg, char const *string, size_t max)
{
	if (!string) return RPC_TOO_LARGE;
	size_t length = string_length_bounded(string, max);
	if (length >= max) return RPC_TOO_LARGE; /* no NUL within max */
	return rpc_msg_put_buffer(msg, string, length + 1, max);
}

bool rpc_msg_get_string(struct rpc_msg *msg, char const **string, size_t max)
{
	uint32_t start = msg->offset;
	void const *data = 0;
	size_t size = 0;
	if (!rpc_msg_get_buffer(msg, &data, &size, max)) return false;
	char const *chars = data;
	/* exactly one NUL, at the end */
	if (size == 0 || string_length_bounded(chars, size) != size - 1) {
		msg->offset = start;
		return false;
	}
	*string = chars;
	return true;
}

bool rpc_msg_put_cap(struct rpc_msg *msg, struct cap cap)
{
	uint32_t index = rpc_msg_no_cap;
	if (cap_valid(cap)) {
		if (msg->cap_count == RPC_CAPS_MAX) return false;
		index = msg->cap_count;
	}
	if (!rpc_msg_put(msg, &index, sizeof(index))) return false;
	if (cap_valid(cap)) msg->caps[msg->cap_count++] = cap;
	return true;
}

bool rpc_msg_get_cap(struct rpc_msg *msg, struct cap *cap)
{
	uint32_t start = msg->offset;
	uint32_t index = 0;
	if (!rpc_msg_get(msg, &index, sizeof(index))) return false;
	if (index == rpc_msg_no_cap) {
		*cap = cap_invalid();
		return true;
	}
	/* capabilities are read in order, each once */
	if (index != msg->cap_read || index >= msg->cap_count) {
		msg->offset = start;
		return false;
	}
	*cap = msg->caps[index];
	msg->caps[index] = cap_invalid();
	msg->cap_read++;
	return true;
}

bool rpc_msg_consumed(struct rpc_msg const *msg)
{
	return msg->offset == msg->size && msg->cap_read == msg->cap_count;
}

void rpc_msg_close_caps(struct rpc_msg *msg)
{
	for (uint32_t i = 0; i < msg->cap_count; i++) {
		cap_close(msg->caps[i]);
		msg->caps[i] = cap_invalid();
	}
	msg->cap_read = msg->cap_count;
}
