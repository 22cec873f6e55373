/* SPDX-License-Identifier: MIT */
/** \brief the RPC tests' server: tester and counter objects on one entrypoint */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <base/rpc_entrypoint.h>

#include "test_handles.h"
#include "test_server.h"

RPC_SERVER(counter, COUNTER_RPC)
RPC_SERVER_OBJECT(counter)
RPC_SERVER(tester, TESTER_RPC)
RPC_SERVER_OBJECT(tester)
RPC_SERVER(tester_ext, TESTER_EXT_RPC)
RPC_SERVER_OBJECT(tester_ext)

enum { TEST_COUNTERS = 64, TEST_ENDPOINTS = 512 };

struct test_counter
{
	struct rpc_object object;
	uint64_t value;
	bool used;
};

static struct test_server_state
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[TEST_ENDPOINTS];
	struct rpc_object tester;
	struct test_counter counters[TEST_COUNTERS];
	uint64_t unreferenced;
} server;

static struct counter_value_result counter_add_impl(void *state, uint64_t amount)
{
	struct test_counter *c = state;
	c->value += amount;
	return (struct counter_value_result){ COUNTER_OK, c->value };
}

static struct counter_value_result counter_get_impl(void *state)
{
	struct test_counter *c = state;
	return (struct counter_value_result){ COUNTER_OK, c->value };
}

static struct counter_ops const counter_ops = { counter_add_impl, counter_get_impl };

static void counter_unreferenced(struct rpc_object *object)
{
	struct test_counter *c = object->state;
	rpc_entrypoint_dissolve(&server.ep, object);
	c->used = false;
	server.unreferenced++;
}

static struct counter_cap counter_create(uint64_t start)
{
	for (int i = 0; i < TEST_COUNTERS; i++) {
		struct test_counter *c = &server.counters[i];
		if (c->used) continue;
		c->used = true;
		c->value = start;
		c->object.unreferenced = counter_unreferenced;
		return counter_manage(&server.ep, &c->object, &counter_ops, c);
	}
	return CAP_INVALID(counter);
}

static struct test_counter *counter_lookup(struct counter_cap cap)
{
	struct rpc_object *object = rpc_entrypoint_lookup(&server.ep, cap.cap);
	if (!object || object->dispatch != counter_dispatch) return NULL;
	return object->state;
}

static enum tester_result tester_null_impl(void *state)
{
	(void)state;
	return TESTER_OK;
}

static struct tester_value_result tester_sum7_impl(void *state, uint8_t a, uint16_t b,
                                                   uint32_t c, uint64_t d, int64_t e, bool f,
                                                   struct tester_point g)
{
	(void)state;
	uint64_t sum = (uint64_t)a + b + c + d + (uint64_t)e + f + (uint64_t)(int64_t)g.x +
	               (uint64_t)(int64_t)g.y + g.z;
	return (struct tester_value_result){ TESTER_OK, sum };
}

static enum tester_result tester_mirror_impl(void *state, struct tester_point *point,
                                             uint64_t *checksum)
{
	(void)state;
	int32_t x = point->x;
	point->x = point->y;
	point->y = x;
	point->z = ~point->z;
	*checksum = (uint64_t)(int64_t)point->x + (uint64_t)(int64_t)point->y;
	return TESTER_OK;
}

static enum tester_result tester_echo_impl(void *state, struct rpc_buffer in,
                                           struct rpc_out_buffer *out)
{
	(void)state;
	if (in.size > out->capacity) return TESTER_DENIED;
	unsigned char const *src = in.data;
	unsigned char *dst = out->data;
	for (size_t i = 0; i < in.size; i++) dst[i] = src[in.size - 1 - i];
	out->size = in.size;
	return TESTER_OK;
}

static struct tester_value_result tester_sink_impl(void *state, struct rpc_buffer in)
{
	(void)state;
	return (struct tester_value_result){ TESTER_OK, in.size };
}

static enum tester_result tester_greet_impl(void *state, char const *name,
                                            struct rpc_out_buffer *greeting)
{
	(void)state;
	int n = snprintf(greeting->data, greeting->capacity, "hello, %s!", name);
	if (n < 0 || (size_t)n >= greeting->capacity) return TESTER_DENIED;
	greeting->size = (size_t)n + 1;
	return TESTER_OK;
}

static enum tester_result tester_make_counter_impl(void *state, uint64_t start,
                                                   struct counter_cap *counter)
{
	(void)state;
	*counter = counter_create(start);
	return cap_valid(counter->cap) ? TESTER_OK : TESTER_NO_RESOURCES;
}

static struct tester_value_result tester_add_via_impl(void *state, struct counter_cap counter,
                                                      uint64_t amount)
{
	(void)state;
	struct tester_value_result r = { TESTER_OK, 0 };
	struct test_counter *own = counter_lookup(counter);
	if (own) {
		r.value = counter_add_impl(own, amount).value;
	} else {
		/* not ours: act as a relay and call the counter's own server */
		struct counter_value_result v = counter_add(counter, amount);
		r.result = v.result == COUNTER_OK ? TESTER_OK : TESTER_UNKNOWN_COUNTER;
		r.value = v.value;
	}
	cap_close(counter.cap);
	return r;
}

static enum tester_result tester_revoke_impl(void *state, struct counter_cap counter)
{
	(void)state;
	struct test_counter *own = counter_lookup(counter);
	cap_close(counter.cap);
	if (!own) return TESTER_UNKNOWN_COUNTER;
	rpc_entrypoint_dissolve(&server.ep, &own->object);
	own->used = false;
	return TESTER_OK;
}

static struct tester_value_result tester_unreferenced_impl(void *state)
{
	(void)state;
	return (struct tester_value_result){ TESTER_OK, server.unreferenced };
}

static struct tester_value_result tester_all_kinds_impl(void *state, uint64_t a, uint64_t *b,
                                                        uint32_t *c, struct counter_cap d,
                                                        struct counter_cap *e,
                                                        struct rpc_buffer f,
                                                        struct rpc_out_buffer *g, char const *h)
{
	(void)state;
	struct tester_value_result r = { TESTER_OK, 0 };
	struct test_counter *own = counter_lookup(d);
	cap_close(d.cap);
	if (!own) return (struct tester_value_result){ TESTER_UNKNOWN_COUNTER, 0 };
	*b = a * 2;
	*c += 1;
	*e = counter_create(a);
	if (f.size > g->capacity) return (struct tester_value_result){ TESTER_DENIED, 0 };
	for (size_t i = 0; i < f.size; i++)
		((unsigned char *)g->data)[i] = ((unsigned char const *)f.data)[i] ^ 0xff;
	g->size = f.size;
	r.value = own->value + strlen(h);
	return r;
}

static enum tester_result tester_die_impl(void *state)
{
	(void)state;
	kill(getpid(), SIGKILL);
	return TESTER_OK;
}

static struct tester_value_result tester_twice_impl(void *state, uint64_t value)
{
	(void)state;
	return (struct tester_value_result){ TESTER_OK, value * 2 };
}

#define TESTER_IMPLS                                                                        \
	tester_null_impl, tester_sum7_impl, tester_mirror_impl, tester_echo_impl,               \
	    tester_sink_impl, tester_greet_impl, tester_make_counter_impl, tester_add_via_impl, \
	    tester_revoke_impl, tester_unreferenced_impl, tester_all_kinds_impl, tester_die_impl

static struct tester_ops const tester_ops = { TESTER_IMPLS };
static struct tester_ext_ops const tester_ext_ops = { TESTER_IMPLS, tester_twice_impl };

struct test_server test_server_spawn(bool extended)
{
	int boot[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, boot) < 0) abort();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) abort();
	if (pid == 0) {
		/* a test that fails early must not leave its server behind */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(boot[0]);
		if (rpc_entrypoint_init(&server.ep, server.endpoints, TEST_ENDPOINTS) !=
		    RPC_ENTRYPOINT_OK)
			_exit(2);
		struct tester_cap cap;
		if (extended) {
			cap = CAP_CAST(tester, tester_ext_manage(&server.ep, &server.tester,
			                                         &tester_ext_ops, &server));
		} else {
			cap = tester_manage(&server.ep, &server.tester, &tester_ops, &server);
		}
		if (!test_handles_send(boot[1], &cap.cap.handle, 1)) _exit(2);
		cap_close(cap.cap);
		close(boot[1]);
		rpc_entrypoint_serve(&server.ep);
		_exit(0);
	}
	close(boot[1]);
	int handle = -1;
	bool received = test_handles_receive(boot[0], &handle, 1);
	close(boot[0]);
	if (!received) abort();
	return (struct test_server){ pid, { { handle } } };
}

void test_server_kill(struct test_server *server_process)
{
	cap_close(server_process->cap.cap);
	kill(server_process->pid, SIGKILL);
	waitpid(server_process->pid, NULL, 0);
}
