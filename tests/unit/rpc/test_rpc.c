/* SPDX-License-Identifier: MIT */
/** \brief RPC between real processes: argument kinds, capabilities, revocation, errors */

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_server.h"
#include "unit_test.h"

TEST(null_call_and_values)
{
	struct test_server s = test_server_spawn(false);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);

	struct tester_point g = { -5, 7, 1000 };
	struct tester_value_result r =
	    tester_sum7(s.cap, 0xff, 0xffff, 0xffffffffu, 0x100000000ull, -3, true, g);
	CHECK_EQ(r.result, TESTER_OK);
	CHECK_EQ_U(r.value,
	           0xffull + 0xffff + 0xffffffffull + 0x100000000ull - 3 + 1 - 5 + 7 + 1000);

	struct tester_point p = { 1, -2, 0xf0f0 };
	uint64_t checksum = 0;
	CHECK_EQ(tester_mirror(s.cap, &p, &checksum), TESTER_OK);
	CHECK_EQ(p.x, -2);
	CHECK_EQ(p.y, 1);
	CHECK_EQ_U(p.z, ~0xf0f0ull);
	CHECK_EQ_U(checksum, (uint64_t)-1);
	test_server_kill(&s);
}

TEST(buffers_and_strings)
{
	struct test_server s = test_server_spawn(false);
	static unsigned char in[TESTER_ECHO_MAX], out[TESTER_ECHO_MAX];
	for (size_t i = 0; i < sizeof(in); i++) in[i] = (unsigned char)(i * 7 + 3);

	struct rpc_out_buffer o = { out, sizeof(out), 0 };
	CHECK_EQ(tester_echo(s.cap, RPC_BUFFER(in, sizeof(in)), &o), TESTER_OK);
	CHECK_EQ(o.size, sizeof(in));
	for (size_t i = 0; i < sizeof(in); i++) CHECK_EQ(out[i], in[sizeof(in) - 1 - i]);

	/* an empty buffer travels too */
	o = (struct rpc_out_buffer){ out, sizeof(out), 99 };
	CHECK_EQ(tester_echo(s.cap, RPC_BUFFER(in, 0), &o), TESTER_OK);
	CHECK_EQ(o.size, 0);

	/* the client's capacity bounds what the server may fill */
	o = (struct rpc_out_buffer){ out, 10, 0 };
	CHECK_EQ(tester_echo(s.cap, RPC_BUFFER(in, 11), &o), TESTER_DENIED);

	/* beyond the declared maximum: refused before anything is sent */
	static unsigned char big[TESTER_ECHO_MAX + 1];
	o = (struct rpc_out_buffer){ out, sizeof(out), 0 };
	CHECK_EQ(tester_echo(s.cap, RPC_BUFFER(big, sizeof(big)), &o), TESTER_TOO_LARGE);

	char greeting[TESTER_GREETING_MAX];
	struct rpc_out_buffer gb = { greeting, sizeof(greeting), 0 };
	CHECK_EQ(tester_greet(s.cap, "vitrine", &gb), TESTER_OK);
	CHECK_STR(greeting, "hello, vitrine!");
	CHECK_EQ(gb.size, strlen("hello, vitrine!") + 1);

	char name[TESTER_NAME_MAX + 1];
	memset(name, 'n', sizeof(name));
	name[TESTER_NAME_MAX - 1] = 0; /* 63 characters and the NUL: fits */
	CHECK_EQ(tester_greet(s.cap, name, &gb), TESTER_OK);
	name[TESTER_NAME_MAX - 1] = 'n';
	name[TESTER_NAME_MAX] = 0; /* 64 characters: no room for the NUL */
	CHECK_EQ(tester_greet(s.cap, name, &gb), TESTER_TOO_LARGE);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	test_server_kill(&s);
}

TEST(every_kind_in_one_call)
{
	struct test_server s = test_server_spawn(false);
	struct counter_cap counter;
	CHECK_EQ(tester_make_counter(s.cap, 40, &counter), TESTER_OK);
	CHECK(cap_valid(counter.cap));

	uint64_t b = 0;
	uint32_t c = 41;
	struct counter_cap e = CAP_INVALID(counter);
	unsigned char f[100], g[100];
	for (int i = 0; i < 100; i++) f[i] = (unsigned char)i;
	struct rpc_out_buffer go = { g, sizeof(g), 0 };
	struct tester_value_result r =
	    tester_all_kinds(s.cap, 21, &b, &c, counter, &e, RPC_BUFFER(f, 100), &go, "eight!!!");
	CHECK_EQ(r.result, TESTER_OK);
	CHECK_EQ_U(r.value, 40 + 8);
	CHECK_EQ_U(b, 42);
	CHECK_EQ(c, 42);
	CHECK_EQ(go.size, 100);
	for (int i = 0; i < 100; i++) CHECK_EQ(g[i], i ^ 0xff);
	CHECK(cap_valid(e.cap));
	CHECK_EQ_U(counter_get(e).value, 21);
	CHECK_EQ_U(counter_add(counter, 2).value, 42);
	cap_close(e.cap);
	cap_close(counter.cap);
	test_server_kill(&s);
}

TEST(interface_inheritance)
{
	struct test_server s = test_server_spawn(true);
	struct tester_ext_cap ext = CAP_CAST(tester_ext, s.cap);
	CHECK_EQ_U(tester_ext_twice(ext, 21).value, 42);
	CHECK_EQ(tester_ext_null(ext), TESTER_OK);
	CHECK_EQ(tester_null(s.cap), TESTER_OK); /* the base interface, same object */
	test_server_kill(&s);

	/* the extension's function on an object of the base interface */
	struct test_server base = test_server_spawn(false);
	struct tester_value_result r = tester_ext_twice(CAP_CAST(tester_ext, base.cap), 1);
	CHECK_EQ(r.result, TESTER_INVALID_OPCODE);
	CHECK_EQ(tester_null(base.cap), TESTER_OK);
	test_server_kill(&base);
}

TEST(capability_used_by_third_process)
{
	struct test_server a = test_server_spawn(false);
	struct test_server relay = test_server_spawn(false);
	struct counter_cap counter;
	CHECK_EQ(tester_make_counter(a.cap, 100, &counter), TESTER_OK);

	/* the relay receives the counter capability and calls it itself */
	struct tester_value_result r = tester_add_via(relay.cap, counter, 5);
	CHECK_EQ(r.result, TESTER_OK);
	CHECK_EQ_U(r.value, 105);
	CHECK_EQ_U(counter_get(counter).value, 105);

	/* the owner recognises its own object in a capability passed back */
	r = tester_add_via(a.cap, counter, 1);
	CHECK_EQ(r.result, TESTER_OK);
	CHECK_EQ_U(r.value, 106);

	cap_close(counter.cap);
	test_server_kill(&relay);
	test_server_kill(&a);
}

static void *call_counter_add(void *arg)
{
	struct counter_cap *counter = arg;
	return (void *)(intptr_t)counter_add(*counter, 1).result;
}

TEST(revocation)
{
	struct test_server s = test_server_spawn(false);
	struct counter_cap counter;
	CHECK_EQ(tester_make_counter(s.cap, 0, &counter), TESTER_OK);
	CHECK_EQ_U(counter_add(counter, 1).value, 1);

	struct counter_cap copy = { cap_copy(counter.cap) };
	CHECK(cap_valid(copy.cap));
	CHECK_EQ(tester_revoke(s.cap, copy), TESTER_OK);

	/* a pooled channel and a fresh one (another thread) both see the revocation */
	CHECK_EQ(counter_add(counter, 1).result, COUNTER_INVALID_CAP);
	pthread_t thread;
	void *result;
	CHECK_EQ(pthread_create(&thread, NULL, call_counter_add, &counter), 0);
	pthread_join(thread, &result);
	CHECK_EQ((intptr_t)result, COUNTER_INVALID_CAP);
	CHECK_EQ(counter_get(copy).result, COUNTER_INVALID_CAP);

	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	cap_close(copy.cap);
	cap_close(counter.cap);
	test_server_kill(&s);
}

TEST(invalid_capabilities)
{
	CHECK_EQ(tester_null(CAP_INVALID(tester)), TESTER_INVALID_CAP);

	/* a handle that is not open */
	struct tester_cap closed = { { 1000 } };
	close(1000);
	CHECK_EQ(tester_null(closed), TESTER_INVALID_CAP);

	/* a handle that is no socket */
	int pipe_ends[2];
	CHECK_EQ(pipe(pipe_ends), 0);
	CHECK_EQ(tester_null((struct tester_cap){ { pipe_ends[1] } }), TESTER_INVALID_CAP);
	close(pipe_ends[0]);
	close(pipe_ends[1]);

	/* a socket whose peer is gone */
	int pair[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	close(pair[1]);
	CHECK_EQ(tester_null((struct tester_cap){ { pair[0] } }), TESTER_INVALID_CAP);
	close(pair[0]);

	/*
	 * A closed capability of a live server. (Its number must not be reused
	 * meanwhile: a high one is not. Using a closed handle whose number was
	 * reused is the caller's bug, like a use after free.)
	 */
	struct test_server s = test_server_spawn(false);
	struct tester_cap copy = { { fcntl(s.cap.cap.handle, F_DUPFD_CLOEXEC, 900) } };
	CHECK(copy.cap.handle >= 900);
	CHECK_EQ(tester_null(copy), TESTER_OK);
	cap_close(copy.cap);
	CHECK_EQ(tester_null(copy), TESTER_INVALID_CAP);

	/* a handle number that is free: the transport's own new sockets take it */
	int lowest = dup(0);
	close(lowest);
	CHECK_EQ(tester_null((struct tester_cap){ { lowest } }), TESTER_INVALID_CAP);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	test_server_kill(&s);
}

TEST(server_dies_mid_call)
{
	struct test_server s = test_server_spawn(false);
	CHECK_EQ(tester_null(s.cap), TESTER_OK);
	CHECK_EQ(tester_die(s.cap), TESTER_INVALID_CAP);
	CHECK_EQ(tester_null(s.cap), TESTER_INVALID_CAP);
	test_server_kill(&s);
}

TEST(last_reference_is_noticed)
{
	struct test_server s = test_server_spawn(false);
	uint64_t before = tester_unreferenced(s.cap).value;

	struct counter_cap counter;
	CHECK_EQ(tester_make_counter(s.cap, 0, &counter), TESTER_OK);
	struct counter_cap copy = { cap_copy(counter.cap) };
	cap_close(counter.cap);
	/* one reference remains: the object is alive and served */
	CHECK_EQ_U(counter_add(copy, 3).value, 3);
	CHECK_EQ_U(tester_unreferenced(s.cap).value, before);

	cap_close(copy.cap);
	/* the server sees the hang-up asynchronously: wait for it, bounded */
	uint64_t after = before;
	for (int i = 0; i < 100000 && after == before; i++) {
		after = tester_unreferenced(s.cap).value;
		if (after == before) sched_yield();
	}
	CHECK_EQ_U(after, before + 1);
	test_server_kill(&s);
}
