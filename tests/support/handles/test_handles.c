/* SPDX-License-Identifier: MIT */
/** \brief test support: pass descriptors between processes over SCM_RIGHTS, and
 *         look at one */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_handles.h"

union test_handles_control
{
	char buffer[CMSG_SPACE(sizeof(int) * TEST_HANDLES_MAX)];
	struct cmsghdr align;
};

bool test_handles_send(int socket, int const *handles, unsigned count)
{
	if (count == 0 || count > TEST_HANDLES_MAX) return false;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union test_handles_control control;
	struct msghdr msg = { .msg_iov = &iov,
		                  .msg_iovlen = 1,
		                  .msg_control = control.buffer,
		                  .msg_controllen = CMSG_SPACE(sizeof(int) * count) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * count);
	memcpy(CMSG_DATA(c), handles, sizeof(int) * count);
	return sendmsg(socket, &msg, MSG_NOSIGNAL) == 1;
}

bool test_handles_receive(int socket, int *handles, unsigned count)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union test_handles_control control;
	struct msghdr msg = { .msg_iov = &iov,
		                  .msg_iovlen = 1,
		                  .msg_control = control.buffer,
		                  .msg_controllen = sizeof(control.buffer) };
	if (recvmsg(socket, &msg, MSG_CMSG_CLOEXEC) != 1) return false;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int) * count))
		return false;
	memcpy(handles, CMSG_DATA(c), sizeof(int) * count);
	return true;
}

bool test_handles_open(int handle) { return fcntl(handle, F_GETFD) >= 0; }

bool test_handles_nothing_readable(int handle)
{
	char buffer[16];
	errno = 0;
	return read(handle, buffer, sizeof(buffer)) == -1 && errno == EAGAIN;
}
