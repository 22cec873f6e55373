/* SPDX-License-Identifier: MIT */
/** \brief the entrypoint's wakeup handler: work of other threads runs in the serving thread */

#include <pthread.h>
#include <sched.h>

#include <base/rpc_entrypoint.h>

#include "unit_test.h"

struct wakeup_test
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[4];
	pthread_t serving_thread;
	unsigned calls;
	bool ran_in_serving_thread;
};

static void wakeup_handler(void *argument)
{
	struct wakeup_test *t = argument;
	t->calls++;
	t->ran_in_serving_thread = pthread_equal(pthread_self(), t->serving_thread);
	if (t->calls == 2) rpc_entrypoint_stop(&t->ep);
}

static void *wakeup_serve(void *argument)
{
	struct wakeup_test *t = argument;
	rpc_entrypoint_serve(&t->ep);
	return NULL;
}

static void *wakeup_poke(void *argument)
{
	rpc_entrypoint_wakeup(argument);
	return NULL;
}

TEST(wakeup_handler_runs_in_serving_thread)
{
	static struct wakeup_test t;
	CHECK_EQ(rpc_entrypoint_init(&t.ep, t.endpoints, 4), RPC_ENTRYPOINT_OK);
	rpc_entrypoint_set_wakeup_handler(&t.ep, wakeup_handler, &t);
	CHECK_EQ(pthread_create(&t.serving_thread, NULL, wakeup_serve, &t), 0);

	for (int i = 0; i < 2; i++) {
		pthread_t poker;
		CHECK_EQ(pthread_create(&poker, NULL, wakeup_poke, &t.ep), 0);
		pthread_join(poker, NULL);
		/* the second wakeup must not merge with the first: wait until it ran */
		while (i == 0 && __atomic_load_n(&t.calls, __ATOMIC_ACQUIRE) == 0) sched_yield();
	}
	pthread_join(t.serving_thread, NULL);
	CHECK_EQ(t.calls, 2);
	CHECK(t.ran_in_serving_thread);
	rpc_entrypoint_destroy(&t.ep);
}
