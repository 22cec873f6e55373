/* SPDX-License-Identifier: MIT */
/** \brief RPC under concurrency, and a server under hostile messages */

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_server.h"
#include "unit_test.h"

enum { LOAD_THREADS_PER_PROCESS = 4, LOAD_CALLS = 10000 };

struct load_thread
{
	struct tester_cap cap;
	unsigned id;
	unsigned wrong;
};

static void *load_thread_run(void *arg)
{
	struct load_thread *t = arg;
	for (unsigned i = 0; i < LOAD_CALLS; i++) {
		struct tester_point g = { (int32_t)t->id, -(int32_t)i, (uint64_t)t->id << 40 };
		struct tester_value_result r =
		    tester_sum7(t->cap, (uint8_t)i, (uint16_t)t->id, i, (uint64_t)i << 32,
		                -(int64_t)t->id, i & 1, g);
		uint64_t expect = (uint64_t)(uint8_t)i + (uint16_t)t->id + i + ((uint64_t)i << 32) -
		                  t->id + (i & 1) + t->id - i + ((uint64_t)t->id << 40);
		if (r.result != TESTER_OK || r.value != expect) t->wrong++;
	}
	return NULL;
}

/* run the load threads of one process; returns the number of wrong replies */
static unsigned load_run(struct tester_cap cap, unsigned first_id)
{
	pthread_t threads[LOAD_THREADS_PER_PROCESS];
	struct load_thread state[LOAD_THREADS_PER_PROCESS];
	for (unsigned i = 0; i < LOAD_THREADS_PER_PROCESS; i++) {
		state[i] = (struct load_thread){ cap, first_id + i, 0 };
		if (pthread_create(&threads[i], NULL, load_thread_run, &state[i]) != 0) abort();
	}
	unsigned wrong = 0;
	for (unsigned i = 0; i < LOAD_THREADS_PER_PROCESS; i++) {
		pthread_join(threads[i], NULL);
		wrong += state[i].wrong;
	}
	return wrong;
}

TEST(eight_threads_in_two_processes)
{
	struct test_server s = test_server_spawn(false);
	fflush(NULL);
	pid_t other = fork();
	CHECK(other >= 0);
	if (other == 0) _exit(load_run(s.cap, 100) ? 1 : 0);

	unsigned wrong = load_run(s.cap, 0);
	int status = 0;
	waitpid(other, &status, 0);
	CHECK_EQ(wrong, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	test_server_kill(&s);
}

/* send raw bytes (and optionally one descriptor) on a socket */
static void raw_send(int socket, void const *data, size_t size, int handle)
{
	struct iovec iov = { (void *)data, size };
	union
	{
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (handle >= 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &handle, sizeof(int));
	}
	if (sendmsg(socket, &msg, MSG_NOSIGNAL) != (ssize_t)size) abort();
}

/* send a raw request on a channel and return the reply's status word */
static int32_t raw_request(int channel, void const *data, size_t size)
{
	raw_send(channel, data, size, -1);
	unsigned char reply[RPC_MSG_MAX];
	ssize_t n = recv(channel, reply, sizeof(reply), 0);
	if (n < 4) return 1; /* no reply: not a status */
	int32_t status;
	memcpy(&status, reply, sizeof(status));
	return status;
}

/* bind a channel by hand, the way the client library does */
static int raw_channel(struct tester_cap cap)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair) < 0) abort();
	uint32_t bind[2] = { 0x444e4942u, 0 };
	raw_send(cap.cap.handle, bind, sizeof(bind), pair[1]);
	close(pair[1]);
	return pair[0];
}

TEST(malformed_messages_are_rejected)
{
	struct test_server s = test_server_spawn(false);

	/* straight to the capability socket: not a bind */
	unsigned char garbage[64];
	for (size_t i = 0; i < sizeof(garbage); i++) garbage[i] = (unsigned char)(i * 37);
	raw_send(s.cap.cap.handle, garbage, sizeof(garbage), -1);
	raw_send(s.cap.cap.handle, garbage, 3, -1);
	int pipe_ends[2];
	CHECK_EQ(pipe(pipe_ends), 0);
	uint32_t bind[2] = { 0x444e4942u, 0 };
	raw_send(s.cap.cap.handle, bind, sizeof(bind), pipe_ends[0]); /* bind with no socket */
	raw_send(s.cap.cap.handle, bind, sizeof(bind), -1);           /* bind with nothing */
	close(pipe_ends[0]);
	close(pipe_ends[1]);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);

	/* an empty message is no hang-up: the capability stays alive */
	struct counter_cap counter;
	CHECK_EQ(tester_make_counter(s.cap, 7, &counter), TESTER_OK);
	uint64_t unreferenced = tester_unreferenced(s.cap).value;
	raw_send(counter.cap.handle, garbage, 0, -1);
	raw_send(s.cap.cap.handle, garbage, 0, -1);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	struct counter_cap fresh = { { fcntl(counter.cap.handle, F_DUPFD_CLOEXEC, 0) } };
	CHECK_EQ_U(counter_get(fresh).value, 7); /* a new channel: a new bind */
	CHECK_EQ_U(tester_unreferenced(s.cap).value, unreferenced);
	cap_close(fresh.cap);
	cap_close(counter.cap);

	int channel = raw_channel(s.cap);
	/* shorter than a header */
	CHECK_EQ(raw_request(channel, garbage, 3), RPC_MALFORMED);
	/* an opcode nobody implements */
	uint32_t unknown[2] = { 999, 0 };
	CHECK_EQ(raw_request(channel, unknown, sizeof(unknown)), RPC_INVALID_OPCODE);
	/* too few argument bytes for sum7 */
	uint32_t sum7_short[3] = { tester_OP_sum7, 0, 1 };
	CHECK_EQ(raw_request(channel, sum7_short, sizeof(sum7_short)), RPC_MALFORMED);
	/* trailing bytes after null's (empty) arguments */
	uint32_t null_long[3] = { tester_OP_null, 0, 7 };
	CHECK_EQ(raw_request(channel, null_long, sizeof(null_long)), RPC_MALFORMED);
	/* a buffer length beyond the declared maximum and beyond the message */
	uint32_t sink_huge[3] = { tester_OP_sink, 0, 0xffffffffu };
	CHECK_EQ(raw_request(channel, sink_huge, sizeof(sink_huge)), RPC_MALFORMED);
	uint32_t sink_past[4] = { tester_OP_sink, 0, 100, 0 };
	CHECK_EQ(raw_request(channel, sink_past, sizeof(sink_past)), RPC_MALFORMED);
	/* a string without its NUL */
	unsigned char greet[8 + 4 + 3 + 4] = { 0 };
	uint32_t word = tester_OP_greet, length = 3, capacity = 16;
	memcpy(greet, &word, 4);
	memcpy(greet + 8, &length, 4);
	memcpy(greet + 12, "abc", 3);
	memcpy(greet + 15, &capacity, 4);
	CHECK_EQ(raw_request(channel, greet, sizeof(greet)), RPC_MALFORMED);
	/* a capability argument that refers to no descriptor */
	uint32_t add_via[5] = { tester_OP_add_via, 0, 0, 1, 0 };
	CHECK_EQ(raw_request(channel, add_via, sizeof(add_via)), RPC_MALFORMED);
	/* larger than any message may be */
	static unsigned char huge[RPC_MSG_MAX + 100];
	memcpy(huge, &word, 4);
	CHECK_EQ(raw_request(channel, huge, sizeof(huge)), RPC_MALFORMED);
	/* an empty request */
	CHECK_EQ(raw_request(channel, garbage, 0), RPC_MALFORMED);
	/* a well-formed request on the hand-made channel still works */
	uint32_t null_ok[2] = { tester_OP_null, 0 };
	CHECK_EQ(raw_request(channel, null_ok, sizeof(null_ok)), RPC_OK);
	close(channel);

	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	struct tester_point g = { 1, 2, 3 };
	CHECK_EQ_U(tester_sum7(s.cap, 1, 1, 1, 1, 1, true, g).value, 12);
	test_server_kill(&s);
}

TEST(client_that_never_reads_loses_its_channel)
{
	struct test_server s = test_server_spawn(false);
	int channel = raw_channel(s.cap);
	uint32_t null_req[2] = { tester_OP_null, 0 };
	/* flood requests without reading any reply: the server must not block */
	int sent = 0;
	for (int i = 0; i < 100000; i++) {
		if (send(channel, null_req, sizeof(null_req), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) break;
		sent++;
	}
	CHECK(sent > 0);
	/* everyone else is still served */
	for (int i = 0; i < 100; i++) CHECK_EQ(tester_null(s.cap), TESTER_OK);
	close(channel);
	test_server_kill(&s);
}
