/* SPDX-License-Identifier: MIT */
/** \brief hosted IPC, client side: capabilities as sockets, calls over pooled channels */

#include <util/string.h>

#include "ipc.h"

enum {
	IPC_HANDLE_SLOTS = 2048,  /* handles below this have a channel pool */
	IPC_CHANNELS_PER_CAP = 8, /* idle channels kept per capability */
};

/*
 * The process-wide channel pools, indexed by capability handle. A pool entry
 * holds a channel descriptor plus one, so that zero (the initial value) means
 * empty. Entries are taken and given back with atomic exchanges: no lock.
 */
static struct ipc_client
{
	int pools[IPC_HANDLE_SLOTS][IPC_CHANNELS_PER_CAP];
} ipc_client;

long ipc_send(int socket, void const *data, size_t size, struct cap const *caps,
              uint32_t cap_count, int flags)
{
	union
	{
		unsigned char bytes[LINUX_CMSG_SPACE(sizeof(int) * RPC_CAPS_MAX)];
		size_t align;
	} control;
	struct linux_iovec iov = { (void *)data, size };
	struct linux_msghdr header = { 0, 0, &iov, 1, 0, 0, 0 };

	if (cap_count > RPC_CAPS_MAX) return -LINUX_EBADF;
	if (cap_count) {
		struct linux_cmsghdr *c = (struct linux_cmsghdr *)control.bytes;
		c->length = LINUX_CMSG_LEN(sizeof(int) * cap_count);
		c->level = LINUX_SOL_SOCKET;
		c->type = LINUX_SCM_RIGHTS;
		int *fds = (int *)LINUX_CMSG_DATA(c);
		for (uint32_t i = 0; i < cap_count; i++) fds[i] = caps[i].handle;
		header.control = control.bytes;
		header.control_length = LINUX_CMSG_SPACE(sizeof(int) * cap_count);
	}
	long ret;
	do {
		ret = linux_syscall3(SYS_sendmsg, socket, (long)&header, flags | LINUX_MSG_NOSIGNAL);
	} while (ret == -LINUX_EINTR);
	return ret < 0 ? ret : 0;
}

long ipc_receive(int socket, struct rpc_msg *msg, int flags, int *truncated)
{
	union
	{
		unsigned char bytes[LINUX_CMSG_SPACE(sizeof(int) * RPC_CAPS_MAX)];
		size_t align;
	} control;
	struct linux_iovec iov = { msg->data, RPC_MSG_MAX };
	struct linux_msghdr header = { 0, 0, &iov, 1, control.bytes, sizeof(control.bytes), 0 };

	long ret;
	do {
		ret = linux_syscall_blocking(SYS_recvmsg, socket, (long)&header,
		                             flags | LINUX_MSG_CMSG_CLOEXEC, 0, 0, 0);
	} while (ret == -LINUX_EINTR);

	msg->size = ret > 0 ? (uint32_t)ret : 0;
	msg->offset = RPC_HEADER_SIZE;
	msg->cap_count = 0;
	msg->cap_read = 0;
	*truncated = 0;
	if (ret < 0) return ret;

	/* collect every descriptor, whatever the message: none may leak */
	for (struct linux_cmsghdr *c = header.control_length ? (struct linux_cmsghdr *)control.bytes
	                                                     : 0;
	     c;) {
		if (c->length < LINUX_CMSG_LEN(0)) break;
		if (c->level == LINUX_SOL_SOCKET && c->type == LINUX_SCM_RIGHTS) {
			size_t count = (c->length - LINUX_CMSG_LEN(0)) / sizeof(int);
			int const *fds = (int const *)LINUX_CMSG_DATA(c);
			for (size_t i = 0; i < count; i++) {
				if (msg->cap_count < RPC_CAPS_MAX) {
					ipc_channels_drop(fds[i]);
					msg->caps[msg->cap_count++] = (struct cap){ fds[i] };
				} else {
					ipc_close(fds[i]);
					*truncated = 1;
				}
			}
		}
		size_t next = LINUX_CMSG_ALIGN(c->length);
		unsigned char *end = control.bytes + header.control_length;
		if ((unsigned char *)c + next + sizeof(*c) > end) break;
		c = (struct linux_cmsghdr *)((unsigned char *)c + next);
	}
	if (header.flags & (LINUX_MSG_TRUNC | LINUX_MSG_CTRUNC)) *truncated = 1;
	if (ret < RPC_HEADER_SIZE && ret > 0) *truncated = 1;
	return ret;
}

void ipc_channels_drop(int handle)
{
	if (handle < 0 || handle >= IPC_HANDLE_SLOTS) return;
	for (int i = 0; i < IPC_CHANNELS_PER_CAP; i++) {
		int entry = __atomic_exchange_n(&ipc_client.pools[handle][i], 0, __ATOMIC_ACQ_REL);
		if (entry) ipc_close(entry - 1);
	}
}

static enum rpc_result ipc_result_from_errno(long error)
{
	switch (-error) {
	case LINUX_EMFILE:
	case LINUX_ENFILE:
	case LINUX_ENOMEM:
		return RPC_NO_RESOURCES;
	default:
		return RPC_INVALID_CAP;
	}
}

/* a channel for calls on `handle`: from the pool, or a new one bound to the object */
static enum rpc_result ipc_channel_acquire(int handle, int *channel)
{
	if (handle < IPC_HANDLE_SLOTS) {
		for (int i = 0; i < IPC_CHANNELS_PER_CAP; i++) {
			int *slot = &ipc_client.pools[handle][i];
			if (!__atomic_load_n(slot, __ATOMIC_RELAXED)) continue;
			int entry = __atomic_exchange_n(slot, 0, __ATOMIC_ACQ_REL);
			if (entry) {
				*channel = entry - 1;
				return RPC_OK;
			}
		}
	}

	int pair[2];
	long ret = linux_syscall4(SYS_socketpair, LINUX_AF_UNIX,
	                          LINUX_SOCK_SEQPACKET | LINUX_SOCK_CLOEXEC, 0, (long)pair);
	if (ret < 0) return RPC_NO_RESOURCES;

	/*
	 * A new descriptor with the capability's number means that the handle
	 * was not open: sending the bind over it would loop back to ourselves.
	 */
	if (pair[0] == handle || pair[1] == handle) {
		ipc_close(pair[0]);
		ipc_close(pair[1]);
		return RPC_INVALID_CAP;
	}

	uint32_t bind[2] = { IPC_BIND_WORD, 0 };
	struct cap server_end = { pair[1] };
	ret = ipc_send(handle, bind, sizeof(bind), &server_end, 1, 0);
	ipc_close(pair[1]);
	if (ret < 0) {
		ipc_close(pair[0]);
		return ipc_result_from_errno(ret);
	}
	*channel = pair[0];
	return RPC_OK;
}

static void ipc_channel_release(int handle, int channel)
{
	if (handle < IPC_HANDLE_SLOTS) {
		for (int i = 0; i < IPC_CHANNELS_PER_CAP; i++) {
			int expected = 0;
			if (__atomic_compare_exchange_n(&ipc_client.pools[handle][i], &expected,
			                                channel + 1, false, __ATOMIC_ACQ_REL,
			                                __ATOMIC_RELAXED))
				return;
		}
	}
	ipc_close(channel);
}

enum rpc_result rpc_call(struct cap cap, struct rpc_msg *msg)
{
	if (!cap_valid(cap)) return RPC_INVALID_CAP;

	int channel = -1;
	enum rpc_result result = ipc_channel_acquire(cap.handle, &channel);
	if (result != RPC_OK) return result;

	long ret = ipc_send(channel, msg->data, msg->size, msg->caps, msg->cap_count, 0);
	if (ret < 0) {
		/* the object was dissolved or its server is gone: the channel is dead */
		ipc_close(channel);
		return ipc_result_from_errno(ret);
	}

	int truncated = 0;
	ret = ipc_receive(channel, msg, 0, &truncated);
	if (ret <= 0) {
		ipc_close(channel);
		return ret == 0 ? RPC_INVALID_CAP : ipc_result_from_errno(ret);
	}
	ipc_channel_release(cap.handle, channel);

	if (truncated) {
		rpc_msg_close_caps(msg);
		return RPC_MALFORMED;
	}
	int32_t status = (int32_t)rpc_msg_word(msg);
	if (status != RPC_OK) {
		rpc_msg_close_caps(msg);
		if (status < RPC_NO_RESOURCES || status > 0) return RPC_MALFORMED;
		return (enum rpc_result)status;
	}
	return RPC_OK;
}

void cap_close(struct cap cap)
{
	if (!cap_valid(cap)) return;
	ipc_channels_drop(cap.handle);
	ipc_close(cap.handle);
}

struct cap cap_copy(struct cap cap)
{
	if (!cap_valid(cap)) return cap_invalid();
	long ret = linux_syscall3(SYS_fcntl, cap.handle, LINUX_F_DUPFD_CLOEXEC, 0);
	if (ret < 0) return cap_invalid();
	ipc_channels_drop((int)ret);
	return (struct cap){ (int)ret };
}
