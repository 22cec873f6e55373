/* SPDX-License-Identifier: MIT */
/**
 * \brief the hosted IPC transport, shared by the client side (ipc.c) and the
 *        entrypoint (rpc_entrypoint.c)
 *
 * Protocol. A capability is the client end of a SOCK_SEQPACKET socket pair
 * whose server end is registered at the object's entrypoint. Calls do not
 * travel over the capability itself: a client thread first creates a channel
 * (another socket pair) and sends its server end over the capability in a
 * bind message (header word IPC_BIND_WORD, one descriptor, nothing else).
 * The entrypoint adds the channel to the object. Requests and replies then
 * travel over the channel, which a process keeps in a per-capability pool so
 * that each call needs one send and one receive. Concurrent callers use
 * distinct channels, so a reply always reaches the thread that asked.
 */

#ifndef _PLATFORM_LINUX_IPC_H_
#define _PLATFORM_LINUX_IPC_H_

#include <base/rpc.h>

#include "linux_abi.h"
#include "syscall.h"

enum { IPC_BIND_WORD = 0x444e4942u /* "BIND" */ };

/**
 * Send `size` bytes and `cap_count` descriptors as one message.
 *
 * \return 0 or -errno
 */
long ipc_send(int socket, void const *data, size_t size, struct cap const *caps,
              uint32_t cap_count, int flags);

/**
 * Receive one message into `msg` (data, size, capabilities). Descriptors of a
 * message whose control data was truncated are closed.
 *
 * \return bytes received, 0 when the peer is gone, or -errno
 *         (-LINUX_EBADMSG-like values are folded into RPC_MALFORMED by callers
 *         through the `truncated` flag)
 */
long ipc_receive(int socket, struct rpc_msg *msg, int flags, int *truncated);

/** forget and close the pooled channels of a capability handle */
void ipc_channels_drop(int handle);

/** close a descriptor, retrying nothing (close never needs a retry on Linux) */
static inline void ipc_close(int fd)
{
	if (fd >= 0) linux_syscall1(SYS_close, fd);
}

#endif /* _PLATFORM_LINUX_IPC_H_ */
