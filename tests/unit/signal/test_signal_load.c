/* SPDX-License-Identifier: MIT */
/**
 * \brief signals between processes: exact counts under load with capabilities
 *        passed over SCM_RIGHTS, and a capability carried by RPC
 */

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <base/rpc_entrypoint.h>
#include <base/signal.h>

#include "test_handles.h"
#include "unit_test.h"

enum {
	LOAD_THREADS = 4,     /* two in this process, two in another */
	LOAD_TOTAL = 1000000, /* submits of count 1, over all threads */
	LOAD_PER_THREAD = LOAD_TOTAL / LOAD_THREADS,
};

/* ---- the submitting threads ----------------------------------------------------- */

struct submitter
{
	struct signal_context_cap cap;
	unsigned failed;
};

static void *submitter_run(void *arg)
{
	struct submitter *s = arg;
	for (unsigned i = 0; i < LOAD_PER_THREAD; i++)
		if (signal_submit(s->cap, 1) != SIGNAL_SUBMIT_OK) s->failed++;
	return NULL;
}

/* run submitters on `caps` in this process; the number of failed submits */
static unsigned submit_from_threads(struct signal_context_cap const *caps, unsigned count)
{
	pthread_t threads[LOAD_THREADS];
	struct submitter state[LOAD_THREADS];
	for (unsigned i = 0; i < count; i++) {
		state[i] = (struct submitter){ caps[i], 0 };
		if (pthread_create(&threads[i], NULL, submitter_run, &state[i]) != 0) abort();
	}
	unsigned failed = 0;
	for (unsigned i = 0; i < count; i++) {
		pthread_join(threads[i], NULL);
		failed += state[i].failed;
	}
	return failed;
}

/*
 * A process that receives two capabilities over `socket` and submits on each
 * from a thread of its own. It was forked before the capabilities existed,
 * so it holds them only through SCM_RIGHTS.
 */
static pid_t spawn_remote_submitters(int *socket)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) abort();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) abort();
	if (pid == 0) {
		close(pair[0]);
		int handles[2];
		if (!test_handles_receive(pair[1], handles, 2)) abort();
		struct signal_context_cap caps[2] = { { { handles[0] } }, { { handles[1] } } };
		unsigned failed = submit_from_threads(caps, 2);
		_exit(failed ? 1 : 0);
	}
	close(pair[1]);
	*socket = pair[0];
	return pid;
}

/* the receiver side: wait and count concurrently until `total` arrived */
struct tally
{
	uint64_t counts[LOAD_THREADS];
	uint64_t signals;
	unsigned wrong; /* signals of no known context, or with a count of 0 */
};

static void count_until(struct signal_receiver *receiver, struct signal_context *contexts,
                        unsigned context_count, uint64_t total, struct tally *tally)
{
	uint64_t sum = 0;
	while (sum < total) {
		struct signal s = signal_receiver_wait(receiver);
		long index = s.context - contexts;
		if (s.result != SIGNAL_OK || index < 0 || index >= (long)context_count ||
		    s.imprint != &contexts[index] || s.count == 0) {
			tally->wrong++;
			return;
		}
		tally->counts[index] += s.count;
		tally->signals++;
		sum += s.count;
	}
}

/* the local half of the submitters, in a helper thread so that the test thread counts */
struct local_submitters
{
	struct signal_context_cap caps[2];
	unsigned failed;
};

static void *local_submitters_run(void *arg)
{
	struct local_submitters *l = arg;
	l->failed = submit_from_threads(l->caps, 2);
	return NULL;
}

static void load_run(unsigned context_count)
{
	alarm(120);
	int socket = -1;
	pid_t remote = spawn_remote_submitters(&socket);

	struct signal_receiver receiver;
	struct signal_slot slots[LOAD_THREADS];
	struct signal_context contexts[LOAD_THREADS];
	struct signal_context_cap caps[LOAD_THREADS];
	CHECK_EQ(signal_receiver_init(&receiver, slots, LOAD_THREADS), SIGNAL_RECEIVER_OK);
	for (unsigned i = 0; i < context_count; i++) {
		signal_context_init(&contexts[i], &contexts[i]);
		struct signal_context_cap_result r = signal_receiver_manage(&receiver, &contexts[i]);
		CHECK_EQ(r.result, SIGNAL_RECEIVER_OK);
		caps[i] = r.cap;
	}

	/* thread i submits on context i % context_count; threads 2 and 3 are remote */
	int remote_handles[2] = { caps[2 % context_count].cap.handle,
		                      caps[3 % context_count].cap.handle };
	if (!test_handles_send(socket, remote_handles, 2)) abort();
	close(socket);
	struct local_submitters local = { { caps[0], caps[1 % context_count] }, 0 };
	pthread_t local_thread;
	CHECK_EQ(pthread_create(&local_thread, NULL, local_submitters_run, &local), 0);

	struct tally tally;
	memset(&tally, 0, sizeof(tally));
	count_until(&receiver, contexts, context_count, LOAD_TOTAL, &tally);

	pthread_join(local_thread, NULL);
	int status = 0;
	CHECK_EQ(waitpid(remote, &status, 0), remote);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(local.failed, 0);
	CHECK_EQ(tally.wrong, 0);

	/* exact: every submit arrived once, none twice */
	uint64_t expected[LOAD_THREADS] = { 0 };
	for (unsigned i = 0; i < LOAD_THREADS; i++) expected[i % context_count] += LOAD_PER_THREAD;
	for (unsigned i = 0; i < context_count; i++) CHECK_EQ_U(tally.counts[i], expected[i]);
	CHECK_EQ(signal_receiver_poll(&receiver).result, SIGNAL_NONE);
	CHECK(tally.signals >= context_count && tally.signals <= LOAD_TOTAL);
	printf("# %u contexts: %llu submits arrived as %llu signals\n", context_count,
	       (unsigned long long)LOAD_TOTAL, (unsigned long long)tally.signals);
	fflush(stdout);

	for (unsigned i = 0; i < context_count; i++) cap_close(caps[i].cap);
	signal_receiver_destroy(&receiver);
}

TEST(counting_under_load_one_context)
{
	/* four threads in two processes on one context: the counts coalesce */
	load_run(1);
}

TEST(counting_under_load_four_contexts)
{
	/* one context per thread: each count exact and told apart */
	load_run(4);
}

/* ---- a signal-context capability as an RPC argument ------------------------------- */

enum notifier_result {
	NOTIFIER_OK = 0,
	NOTIFIER_SUBMIT_FAILED, /* a submit on the given capability failed */
	/* last: a value after the (negative) transport errors would collide with them */
	RPC_RESULT_ERRORS(NOTIFIER),
};

struct notifier_fire_result
{
	enum notifier_result result;
	uint32_t submit; /* the enum signal_submit_result of the server's submit */
};

#define NOTIFIER_RPC(M, I)                                                \
	M(I, submit, enum notifier_result, (IN_CAP, signal_context, context), \
	  (IN, uint32_t, times))                                              \
	M(I, keep, enum notifier_result, (IN_CAP, signal_context, context))   \
	M(I, fire, struct notifier_fire_result, (IN, uint32_t, count))

RPC_INTERFACE(notifier, NOTIFIER_RPC)
RPC_SERVER(notifier, NOTIFIER_RPC)
RPC_SERVER_OBJECT(notifier)

enum { NOTIFIER_ENDPOINTS = 64 };

static struct notifier_server
{
	struct rpc_entrypoint ep;
	struct rpc_endpoint endpoints[NOTIFIER_ENDPOINTS];
	struct rpc_object object;
	struct signal_context_cap kept;
} notifier_server;

/* submit `times` signals of count 1, then drop the capability */
static enum notifier_result notifier_submit_impl(void *state, struct signal_context_cap context,
                                                 uint32_t times)
{
	(void)state;
	enum notifier_result result = NOTIFIER_OK;
	for (uint32_t i = 0; i < times && result == NOTIFIER_OK; i++)
		if (signal_submit(context, 1) != SIGNAL_SUBMIT_OK) result = NOTIFIER_SUBMIT_FAILED;
	cap_close(context.cap);
	return result;
}

/* keep the capability for later fire calls */
static enum notifier_result notifier_keep_impl(void *state, struct signal_context_cap context)
{
	struct notifier_server *server = state;
	cap_close(server->kept.cap);
	server->kept = context;
	return NOTIFIER_OK;
}

static struct notifier_fire_result notifier_fire_impl(void *state, uint32_t count)
{
	struct notifier_server *server = state;
	return (struct notifier_fire_result){ NOTIFIER_OK,
		                                  (uint32_t)signal_submit(server->kept, count) };
}

static struct notifier_ops const notifier_ops = { notifier_submit_impl, notifier_keep_impl,
	                                              notifier_fire_impl };

static struct notifier_cap notifier_spawn(pid_t *pid)
{
	int boot[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, boot) < 0) abort();
	fflush(NULL);
	*pid = fork();
	if (*pid < 0) abort();
	if (*pid == 0) {
		/* a failed test must not leave its server behind */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(boot[0]);
		struct notifier_server *server = &notifier_server;
		server->kept = CAP_INVALID(signal_context);
		if (rpc_entrypoint_init(&server->ep, server->endpoints, NOTIFIER_ENDPOINTS) !=
		    RPC_ENTRYPOINT_OK)
			_exit(2);
		notifier_manage(&server->ep, &server->object, &notifier_ops, server);
		struct notifier_cap cap = notifier_object_cap(&server->object);
		if (!test_handles_send(boot[1], &cap.cap.handle, 1)) abort();
		cap_close(cap.cap);
		close(boot[1]);
		rpc_entrypoint_serve(&server->ep);
		_exit(0);
	}
	close(boot[1]);
	int handle = -1;
	if (!test_handles_receive(boot[0], &handle, 1)) abort();
	close(boot[0]);
	return (struct notifier_cap){ { handle } };
}

enum { RPC_CLIENTS = 2, RPC_CALLS = 50, RPC_TIMES = 1000 };

struct rpc_client
{
	struct notifier_cap notifier;
	struct signal_context_cap context;
	unsigned failed;
};

static void *rpc_client_run(void *arg)
{
	struct rpc_client *c = arg;
	for (unsigned i = 0; i < RPC_CALLS; i++)
		if (notifier_submit(c->notifier, c->context, RPC_TIMES) != NOTIFIER_OK) c->failed++;
	return NULL;
}

TEST(capability_carried_by_rpc)
{
	alarm(120);
	pid_t server = 0;
	struct notifier_cap notifier = notifier_spawn(&server);

	struct signal_receiver receiver;
	struct signal_slot slots[2];
	struct signal_context context;
	CHECK_EQ(signal_receiver_init(&receiver, slots, 2), SIGNAL_RECEIVER_OK);
	signal_context_init(&context, &context);
	struct signal_context_cap_result r = signal_receiver_manage(&receiver, &context);
	CHECK_EQ(r.result, SIGNAL_RECEIVER_OK);

	/* two client threads make the server submit, while this thread counts */
	pthread_t threads[RPC_CLIENTS];
	struct rpc_client clients[RPC_CLIENTS];
	for (int i = 0; i < RPC_CLIENTS; i++) {
		clients[i] = (struct rpc_client){ notifier, r.cap, 0 };
		CHECK_EQ(pthread_create(&threads[i], NULL, rpc_client_run, &clients[i]), 0);
	}
	struct tally tally;
	memset(&tally, 0, sizeof(tally));
	count_until(&receiver, &context, 1, RPC_CLIENTS * RPC_CALLS * RPC_TIMES, &tally);
	for (int i = 0; i < RPC_CLIENTS; i++) {
		pthread_join(threads[i], NULL);
		CHECK_EQ(clients[i].failed, 0);
	}
	CHECK_EQ(tally.wrong, 0);
	CHECK_EQ_U(tally.counts[0], RPC_CLIENTS * RPC_CALLS * RPC_TIMES);
	CHECK_EQ(signal_receiver_poll(&receiver).result, SIGNAL_NONE);

	/* the server keeps a capability and signals later */
	CHECK_EQ(notifier_keep(notifier, r.cap), NOTIFIER_OK);
	struct notifier_fire_result fired = notifier_fire(notifier, 3);
	CHECK_EQ(fired.result, NOTIFIER_OK);
	CHECK_EQ(fired.submit, SIGNAL_SUBMIT_OK);
	struct signal s = signal_receiver_wait(&receiver);
	CHECK(s.context == &context);
	CHECK_EQ_U(s.count, 3);

	/* dissolved here: the server's submits still succeed, and arrive nowhere */
	CHECK_EQ(signal_receiver_dissolve(&receiver, &context), SIGNAL_RECEIVER_OK);
	fired = notifier_fire(notifier, 1);
	CHECK_EQ(fired.result, NOTIFIER_OK);
	CHECK_EQ(fired.submit, SIGNAL_SUBMIT_OK);
	CHECK_EQ(signal_receiver_poll(&receiver).result, SIGNAL_NONE);

	/* a capability of the wrong kind: the server's submit fails, the server lives */
	int pipe_ends[2];
	CHECK_EQ(pipe(pipe_ends), 0);
	CHECK_EQ(notifier_submit(notifier, (struct signal_context_cap){ { pipe_ends[1] } }, 1),
	         NOTIFIER_SUBMIT_FAILED);
	CHECK_EQ(notifier_keep(notifier, CAP_INVALID(signal_context)), NOTIFIER_OK);
	fired = notifier_fire(notifier, 1);
	CHECK_EQ(fired.result, NOTIFIER_OK);
	CHECK_EQ(fired.submit, SIGNAL_SUBMIT_INVALID_CAP);
	close(pipe_ends[0]);
	close(pipe_ends[1]);

	cap_close(r.cap.cap);
	signal_receiver_destroy(&receiver);
	cap_close(notifier.cap);
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
}
