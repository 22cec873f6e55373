/* SPDX-License-Identifier: MIT */
/**
 * \brief the RPC benchmark's server process: one thread that serves the RPC
 *        entrypoint or one of the raw peers, switched by the client
 *
 * Switching: in RPC mode the client calls bench_serve_raw(mode); the handler
 * stops the entrypoint, which returns after sending the reply. In a raw mode
 * the client sends a switch message (BENCH_SWITCH_WORD, mode) on that mode's
 * socket; the peer echoes it like any message, then serves the new mode.
 */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <base/rpc_entrypoint.h>

#include "bench_server.h"
#include "test_handles.h"

RPC_SERVER(bench, BENCH_RPC)
RPC_SERVER_OBJECT(bench)

enum {
	BENCH_ENDPOINTS = 64,
	BENCH_BOOT_HANDLES = 3,                   /* the capability, the plain and epoll sockets */
	BENCH_EPOLL_EVENTS = 16,                  /* as many as the entrypoint takes */
	BENCH_SWITCH_WORD = 0x48435753u,          /* "SWCH" */
	BENCH_SWITCH_SIZE = 2 * sizeof(uint32_t), /* no benchmark message has this size */
};

/* the server process's state, allocated by its main function */
struct bench_server_process
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[BENCH_ENDPOINTS];
	struct rpc_object object;
	enum bench_mode next;        /* set by serve_raw */
	int peers[BENCH_MODE_COUNT]; /* server ends of the raw sockets, by mode */
	int epoll;                   /* the wait set of the epoll peer */
	unsigned char buffer[BENCH_RAW_REQUEST_MAX];
};

static enum bench_result bench_null_impl(void *state)
{
	(void)state;
	return BENCH_OK;
}

static struct bench_sink_result bench_sink_impl(void *state, struct rpc_buffer data)
{
	(void)state;
	return (struct bench_sink_result){ BENCH_OK, (uint32_t)data.size };
}

static enum bench_result bench_serve_raw_impl(void *state, uint32_t mode)
{
	struct bench_server_process *p = state;
	if (mode == BENCH_MODE_RPC || mode >= BENCH_MODE_COUNT) return BENCH_INVALID_MODE;
	p->next = mode;
	rpc_entrypoint_stop(&p->ep);
	return BENCH_OK;
}

static struct bench_ops const bench_ops = { bench_null_impl, bench_sink_impl,
	                                        bench_serve_raw_impl };

/* a switch message's mode, or `mode` itself for any other message */
static enum bench_mode bench_switch_mode(unsigned char const *message, size_t size,
                                         enum bench_mode mode)
{
	uint32_t words[2];
	if (size != BENCH_SWITCH_SIZE) return mode;
	memcpy(words, message, sizeof(words));
	if (words[0] != BENCH_SWITCH_WORD || words[1] >= BENCH_MODE_COUNT) return mode;
	return (enum bench_mode)words[1];
}

/*
 * Serve the raw peer of `mode` until a switch message names another mode.
 * The epoll peer waits like the entrypoint: epoll_wait, then a non-blocking
 * recvmsg and sendmsg per event; the plain peer blocks in recvmsg. With
 * BENCH_MODE_EPOLL_CONTROL, recvmsg gets a control buffer as in the transport.
 */
static enum bench_mode bench_peer_serve(struct bench_server_process *p, enum bench_mode mode)
{
	int socket = p->peers[mode];
	bool epoll = mode == BENCH_MODE_EPOLL || mode == BENCH_MODE_EPOLL_CONTROL;
	bool control = mode == BENCH_MODE_EPOLL_CONTROL;
	int flags = epoll ? MSG_DONTWAIT : 0;
	for (;;) {
		if (epoll) {
			struct epoll_event events[BENCH_EPOLL_EVENTS];
			if (epoll_wait(p->epoll, events, BENCH_EPOLL_EVENTS, -1) < 0 && errno != EINTR)
				_exit(2);
		}
		union
		{
			char buffer[BENCH_CONTROL_SPACE];
			struct cmsghdr align;
		} space;
		struct iovec iov = { p->buffer, sizeof(p->buffer) };
		struct msghdr msg = { .msg_iov = &iov,
			                  .msg_iovlen = 1,
			                  .msg_control = control ? space.buffer : NULL,
			                  .msg_controllen = control ? sizeof(space.buffer) : 0 };
		ssize_t size = recvmsg(socket, &msg, flags | (control ? MSG_CMSG_CLOEXEC : 0));
		if (size < 0 && (errno == EAGAIN || errno == EINTR)) continue;
		if (size <= 0 || msg.msg_controllen) _exit(0); /* the client is gone, or misbehaves */

		iov.iov_len = size < BENCH_RAW_REPLY ? (size_t)size : BENCH_RAW_REPLY;
		msg.msg_control = NULL;
		if (sendmsg(socket, &msg, flags | MSG_NOSIGNAL) != (ssize_t)iov.iov_len) _exit(0);
		enum bench_mode next = bench_switch_mode(p->buffer, (size_t)size, mode);
		if (next != mode) return next;
	}
}

/* the server process: set everything up, report to the client, serve */
static _Noreturn void bench_server_main(int boot)
{
	struct bench_server_process *p = calloc(1, sizeof(*p));
	if (!p || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1) _exit(2);

	if (rpc_entrypoint_init(&p->ep, p->endpoints, BENCH_ENDPOINTS) != RPC_ENTRYPOINT_OK)
		_exit(2);
	bench_manage(&p->ep, &p->object, &bench_ops, p);
	struct bench_cap cap = bench_object_cap(&p->object);
	if (!cap_valid(cap.cap)) _exit(2);

	/* the boot message: the capability in slot BENCH_MODE_RPC, then the raw sockets by mode */
	int handles[BENCH_BOOT_HANDLES] = { cap.cap.handle };
	p->peers[BENCH_MODE_RPC] = -1;
	for (int mode = BENCH_MODE_PLAIN; mode <= BENCH_MODE_EPOLL; mode++) {
		int pair[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) _exit(2);
		p->peers[mode] = pair[1];
		handles[mode] = pair[0];
	}
	p->peers[BENCH_MODE_EPOLL_CONTROL] = p->peers[BENCH_MODE_EPOLL];
	/* as the entrypoint registers a channel; only the epoll peer's socket is in a set */
	struct epoll_event event = { .events = EPOLLIN | EPOLLRDHUP, .data.u64 = 1 };
	p->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (p->epoll < 0 || epoll_ctl(p->epoll, EPOLL_CTL_ADD, p->peers[BENCH_MODE_EPOLL], &event))
		_exit(2);

	if (!test_handles_send(boot, handles, BENCH_BOOT_HANDLES)) _exit(2);
	cap_close(cap.cap);
	close(handles[BENCH_MODE_PLAIN]);
	close(handles[BENCH_MODE_EPOLL]);
	close(boot);

	for (enum bench_mode mode = BENCH_MODE_RPC;;) {
		if (mode == BENCH_MODE_RPC) {
			rpc_entrypoint_serve(&p->ep); /* until serve_raw */
			mode = p->next;
		} else {
			mode = bench_peer_serve(p, mode);
		}
	}
}

enum bench_server_result bench_server_spawn(struct bench_server *server)
{
	int boot[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, boot) < 0)
		return BENCH_SERVER_FAILED;
	pid_t pid = fork();
	if (pid < 0) {
		close(boot[0]);
		close(boot[1]);
		return BENCH_SERVER_FAILED;
	}
	if (pid == 0) {
		close(boot[0]);
		bench_server_main(boot[1]);
	}
	close(boot[1]);

	int handles[BENCH_BOOT_HANDLES];
	bool received = test_handles_receive(boot[0], handles, BENCH_BOOT_HANDLES);
	close(boot[0]);
	if (!received) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return BENCH_SERVER_FAILED;
	}
	server->pid = pid;
	server->cap = (struct bench_cap){ { handles[0] } };
	server->peers[BENCH_MODE_RPC] = -1;
	server->peers[BENCH_MODE_PLAIN] = handles[BENCH_MODE_PLAIN];
	server->peers[BENCH_MODE_EPOLL] = handles[BENCH_MODE_EPOLL];
	server->peers[BENCH_MODE_EPOLL_CONTROL] = handles[BENCH_MODE_EPOLL];
	server->mode = BENCH_MODE_RPC;
	return BENCH_SERVER_OK;
}

enum bench_server_result bench_server_switch(struct bench_server *server, enum bench_mode mode)
{
	if (mode == server->mode) return BENCH_SERVER_OK;
	if (server->mode == BENCH_MODE_RPC) {
		if (bench_serve_raw(server->cap, mode) != BENCH_OK) return BENCH_SERVER_FAILED;
	} else {
		uint32_t words[2] = { BENCH_SWITCH_WORD, mode }, echo[2];
		int socket = server->peers[server->mode];
		if (send(socket, words, sizeof(words), MSG_NOSIGNAL) != sizeof(words) ||
		    recv(socket, echo, sizeof(echo), 0) != sizeof(echo) ||
		    memcmp(words, echo, sizeof(words)))
			return BENCH_SERVER_FAILED;
	}
	server->mode = mode;
	return BENCH_SERVER_OK;
}

void bench_server_stop(struct bench_server *server)
{
	cap_close(server->cap.cap);
	close(server->peers[BENCH_MODE_PLAIN]);
	close(server->peers[BENCH_MODE_EPOLL]);
	kill(server->pid, SIGKILL);
	waitpid(server->pid, NULL, 0);
}
