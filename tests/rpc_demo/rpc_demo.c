/* SPDX-License-Identifier: MIT */
/**
 * \brief the `rpc` scenario: three processes, typed RPC, a capability handed
 *        on and used by a third process, revocation, a server that dies
 *
 * Each step prints one line that run/ipc.run checks exactly.
 */

#include <stdio.h>

#include "test_server.h"

static char const *result_name(int result)
{
	return result >= 0 ? "ok" : rpc_result_string((enum rpc_result)result);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct test_server owner = test_server_spawn(false);
	struct test_server relay = test_server_spawn(false);
	printf("rpc_demo: two servers started\n");

	struct rpc_out_buffer greeting = { (char[TESTER_GREETING_MAX]){ 0 }, TESTER_GREETING_MAX,
		                               0 };
	enum tester_result r = tester_greet(owner.cap, "component", &greeting);
	printf("rpc_demo: greet -> %s \"%s\"\n", result_name(r), (char *)greeting.data);

	struct counter_cap counter;
	r = tester_make_counter(owner.cap, 40, &counter);
	printf("rpc_demo: make_counter -> %s\n", result_name(r));

	struct tester_value_result v = tester_add_via(relay.cap, counter, 2);
	printf("rpc_demo: relay adds 2 through the handed-on capability -> %s %llu\n",
	       result_name(v.result), (unsigned long long)v.value);

	struct counter_cap copy = { cap_copy(counter.cap) };
	r = tester_revoke(owner.cap, copy);
	printf("rpc_demo: owner revokes the counter -> %s\n", result_name(r));
	struct counter_value_result c = counter_get(counter);
	printf("rpc_demo: counter_get after revocation -> %s\n", result_name(c.result));
	v = tester_add_via(relay.cap, counter, 1);
	printf("rpc_demo: relay's call after revocation -> %s\n",
	       v.result == TESTER_UNKNOWN_COUNTER ? "refused" : result_name(v.result));

	r = tester_die(relay.cap);
	printf("rpc_demo: relay dies in the middle of a call -> %s\n", result_name(r));
	r = tester_null(owner.cap);
	printf("rpc_demo: owner still serves -> %s\n", result_name(r));

	cap_close(copy.cap);
	cap_close(counter.cap);
	test_server_kill(&relay);
	test_server_kill(&owner);
	printf("rpc_demo: done\n");
	return 0;
}
