/* SPDX-License-Identifier: MIT */
/**
 * \brief who the serving thread is: a handler's own calls to its entrypoint
 *        (rpc_object_cap, rpc_entrypoint_lookup, rpc_entrypoint_dissolve) run
 *        at once, another thread's wait until the handler is done; the
 *        entrypoint tells them apart without asking the kernel (gettid fails
 *        here, and serve_once of a hybrid's loop must not cost one per event)
 */

#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <base/rpc_entrypoint.h>

#include "sleeping.h"
#include "test_syscall_deny.h"
#include "unit_test.h"

struct thread_test
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[8];
	struct rpc_object object;
	void (*in_handler)(struct thread_test *t); /* what the wakeup handler does */
	unsigned handled;

	/* the other thread */
	sem_t ready, go;
	pid_t other_tid;
	bool calling; /* past `go`: it calls rpc_object_cap now */
	bool minted;  /* the other thread's rpc_object_cap returned */
	struct cap other_cap;
	bool other_slept; /* the handler saw it asleep before it minted */
	bool minted_early;
};

/* no request reaches the object: the tests only mint and look up */
static enum rpc_result thread_test_dispatch(void const *ops, void *state,
                                            struct rpc_msg *request, struct rpc_msg *reply)
{
	(void)ops;
	(void)state;
	(void)request;
	(void)reply;
	return RPC_MALFORMED;
}

static void thread_test_handler(void *argument)
{
	struct thread_test *t = argument;
	t->handled++;
	t->in_handler(t);
}

static void thread_test_init(struct thread_test *t, void (*in_handler)(struct thread_test *))
{
	memset(t, 0, sizeof(*t));
	CHECK_EQ(rpc_entrypoint_init(&t->ep, t->endpoints, 8), RPC_ENTRYPOINT_OK);
	rpc_entrypoint_manage(&t->ep, &t->object, thread_test_dispatch, NULL, t);
	rpc_entrypoint_set_wakeup_handler(&t->ep, thread_test_handler, t);
	t->in_handler = in_handler;
	t->other_cap = cap_invalid();
	CHECK_EQ(sem_init(&t->ready, 0, 0), 0);
	CHECK_EQ(sem_init(&t->go, 0, 0), 0);
}

/* the kernel's thread ids are no use from now on: every gettid fails alike */
static void thread_test_deny_gettid(void)
{
	long const denied[] = { SYS_gettid };
	CHECK(test_syscall_deny(denied, 1));
}

/* the handler's own calls: a wait for the lock it runs under would never end */
static void own_calls(struct thread_test *t)
{
	struct rpc_entrypoint_cap_result r = rpc_object_cap(&t->object);
	CHECK_EQ(r.result, RPC_ENTRYPOINT_OK);
	CHECK(rpc_entrypoint_lookup(&t->ep, r.cap) == &t->object);
	rpc_entrypoint_dissolve(&t->ep, &t->object);
	CHECK(rpc_entrypoint_lookup(&t->ep, r.cap) == NULL);
	cap_close(r.cap);
}

TEST(a_handler_calls_its_entrypoint_at_once)
{
	alarm(20); /* a handler waiting for its own lock: fail instead of hanging */
	static struct thread_test t;
	thread_test_init(&t, own_calls);
	thread_test_deny_gettid();
	rpc_entrypoint_wakeup(&t.ep);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1);
	CHECK_EQ(t.handled, 1);
	rpc_entrypoint_destroy(&t.ep);
}

static void *other_thread(void *argument)
{
	struct thread_test *t = argument;
	__atomic_store_n(&t->other_tid, test_thread_id(), __ATOMIC_RELEASE); /* before the deny */
	CHECK_EQ(sem_post(&t->ready), 0);
	while (sem_wait(&t->go) != 0) {}
	__atomic_store_n(&t->calling, true, __ATOMIC_RELEASE);
	struct rpc_entrypoint_cap_result r = rpc_object_cap(&t->object);
	t->other_cap = r.cap;
	__atomic_store_n(&t->minted, r.result == RPC_ENTRYPOINT_OK, __ATOMIC_RELEASE);
	return NULL;
}

/* let the other thread call, and see it wait for us */
static void let_the_other_call(struct thread_test *t)
{
	CHECK_EQ(sem_post(&t->go), 0);
	/* past its sem_wait, the next sleep is the one in rpc_object_cap */
	while (!__atomic_load_n(&t->calling, __ATOMIC_ACQUIRE)) sched_yield();
	t->other_slept = test_wait_until_sleeping(&t->other_tid);
	t->minted_early = __atomic_load_n(&t->minted, __ATOMIC_ACQUIRE);
}

TEST(another_threads_call_waits_for_the_handler)
{
	alarm(20);
	static struct thread_test t;
	thread_test_init(&t, let_the_other_call);
	pthread_t other;
	CHECK_EQ(pthread_create(&other, NULL, other_thread, &t), 0);
	while (sem_wait(&t.ready) != 0) {}
	thread_test_deny_gettid();
	rpc_entrypoint_wakeup(&t.ep);
	CHECK_EQ(rpc_entrypoint_serve_once(&t.ep, 0), 1);
	CHECK_EQ(t.handled, 1);
	/* taken for the serving thread, it would have minted inside the handler */
	CHECK(!t.minted_early);
	CHECK(t.other_slept);
	/* after the handler it got its capability */
	pthread_join(other, NULL);
	CHECK(t.minted);
	CHECK(rpc_entrypoint_lookup(&t.ep, t.other_cap) == &t.object);
	cap_close(t.other_cap);
	rpc_entrypoint_destroy(&t.ep);
}
