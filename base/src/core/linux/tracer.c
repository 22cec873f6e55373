/* SPDX-License-Identifier: MIT */
/**
 * \brief core's ptrace back end: the tracer thread's loop, and the API that
 *        hands requests to it
 *
 * The lock guards the request queue, the event queue and request completion.
 * What the tracer thread makes of requests and tracee stops is in
 * tracer_threads.c, register access in tracer_registers.c, process start in
 * tracer_spawn.c.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <base/log.h>
#include <base/panic.h>

#include "tracer_private.h"

char const *tracer_result_name(enum tracer_result result)
{
	switch (result) {
	case TRACER_OK:
		return "ok";
	case TRACER_NO_SUCH_THREAD:
		return "no such thread";
	case TRACER_NOT_STOPPED:
		return "not stopped";
	case TRACER_EXITED:
		return "exited";
	case TRACER_EXEC_FAILED:
		return "exec failed";
	case TRACER_INVALID_ARGUMENT:
		return "invalid argument";
	case TRACER_INVALID_STATE:
		return "invalid state";
	case TRACER_INVALID_GADGET:
		return "invalid gadget";
	case TRACER_SIGCHLD_SETUP:
		return "SIGCHLD not blocked or ignored";
	case TRACER_FAILED:
		return "failed";
	}
	return "?";
}

/*
 * tracer thread
 */

void tracer_event_queue(struct tracer *t, struct tracer_event const *event)
{
	struct tracer_event_node *node = malloc(sizeof(*node));
	if (!node) panic("tracer: out of memory for an event");
	node->next = NULL;
	node->event = *event;
	pthread_mutex_lock(&t->lock);
	*t->events_tail = node;
	t->events_tail = &node->next;
	pthread_mutex_unlock(&t->lock);
	t->events_queued = true;
}

/* hand the result to the caller; the request is gone afterwards */
void tracer_complete(struct tracer *t, struct tracer_request *request,
                     enum tracer_result result)
{
	pthread_mutex_lock(&t->lock);
	request->result = result;
	bool last = --*request->pending == 0;
	pthread_mutex_unlock(&t->lock);
	/*
	 * After the unlock, so that the woken caller finds the lock free and does
	 * not block on it once more. The condition is the tracer's, so it
	 * outlives the request, and a caller that saw `pending` reach 0 meanwhile
	 * has left its wait already.
	 */
	if (last) pthread_cond_broadcast(&t->done);
}

static void tracer_take_requests(struct tracer *t)
{
	uint64_t count;
	if (read(t->request_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		log_error("tracer: read of the request eventfd failed: %s", strerror(errno));

	pthread_mutex_lock(&t->lock);
	struct tracer_request *requests = t->requests;
	t->requests = NULL;
	t->requests_tail = &t->requests;
	pthread_mutex_unlock(&t->lock);

	while (requests) {
		struct tracer_request *r = requests;
		requests = r->next;
		r->next = NULL;
		tracer_threads_serve(t, r);
	}
}

static void tracer_drain_signals(struct tracer *t)
{
	struct signalfd_siginfo info[8];
	while (read(t->signal_fd, info, sizeof(info)) > 0) {}
}

static void *tracer_main(void *argument)
{
	struct tracer *t = argument;
	while (!t->stopping) {
		struct pollfd fds[2] = { { .fd = t->signal_fd, .events = POLLIN },
			                     { .fd = t->request_fd, .events = POLLIN } };
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR) continue;
			panic("tracer: poll failed: %s", strerror(errno));
		}
		tracer_drain_signals(t);
		tracer_threads_reap(t);
		tracer_take_requests(t);
		if (t->events_queued && !t->stopping) {
			t->events_queued = false;
			if (t->notify) t->notify(t->context);
		}
	}
	return NULL;
}

/*
 * API: the calling threads
 */

/* queue `count` requests at once, wake the tracer thread once, wait until all are done */
static void tracer_call_many(struct tracer *t, struct tracer_request *requests, unsigned count)
{
	if (pthread_equal(pthread_self(), t->thread))
		panic("tracer: called from the tracer thread (from notify?)");
	if (!count) return;
	unsigned pending = count;
	pthread_mutex_lock(&t->lock);
	for (unsigned i = 0; i < count; i++) {
		requests[i].next = NULL;
		requests[i].pending = &pending;
		*t->requests_tail = &requests[i];
		t->requests_tail = &requests[i].next;
	}
	pthread_mutex_unlock(&t->lock);

	uint64_t one = 1;
	/* EAGAIN: the counter is full, so the tracer thread is woken anyway */
	if (write(t->request_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		panic("tracer: write to the request eventfd failed: %s", strerror(errno));

	pthread_mutex_lock(&t->lock);
	while (pending) pthread_cond_wait(&t->done, &t->lock);
	pthread_mutex_unlock(&t->lock);
}

/* queue `request` to the tracer thread and wait until it is done */
static enum tracer_result tracer_call(struct tracer *t, struct tracer_request *request)
{
	tracer_call_many(t, request, 1);
	return request->result;
}

static void tracer_batch(struct tracer *t, enum tracer_request_type type,
                         struct tracer_batch_item *items, unsigned count)
{
	struct tracer_request *requests = calloc(count ? count : 1, sizeof(*requests));
	if (!requests) panic("tracer: out of memory for %u requests", count);
	for (unsigned i = 0; i < count; i++) {
		requests[i].type = type;
		requests[i].tid = items[i].tid;
		if (type == TRACER_REQUEST_STATE)
			requests[i].u.state_out = items[i].state;
		else
			requests[i].u.single_step = items[i].single_step;
	}
	tracer_call_many(t, requests, count);
	for (unsigned i = 0; i < count; i++) items[i].result = requests[i].result;
	free(requests);
}

void tracer_pause_many(struct tracer *t, struct tracer_batch_item *items, unsigned count)
{
	tracer_batch(t, TRACER_REQUEST_PAUSE, items, count);
}

void tracer_resume_many(struct tracer *t, struct tracer_batch_item *items, unsigned count)
{
	tracer_batch(t, TRACER_REQUEST_RESUME, items, count);
}

static bool tracer_sigchld_usable(void)
{
	sigset_t blocked;
	struct sigaction action;
	if (pthread_sigmask(SIG_BLOCK, NULL, &blocked) != 0 || !sigismember(&blocked, SIGCHLD))
		return false;
	if (sigaction(SIGCHLD, NULL, &action) < 0) return false;
	if (action.sa_handler == SIG_IGN) return false;
	return !(action.sa_flags & (SA_NOCLDWAIT | SA_NOCLDSTOP));
}

enum tracer_result tracer_init(struct tracer *t, void (*notify)(void *context), void *context)
{
	*t = (struct tracer){
		.notify = notify, .context = context, .signal_fd = -1, .request_fd = -1
	};
	t->requests_tail = &t->requests;
	t->events_tail = &t->events;
	if (!tracer_sigchld_usable()) {
		log_error("tracer: SIGCHLD must be blocked in every thread and not ignored");
		return TRACER_SIGCHLD_SETUP;
	}

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	t->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (t->signal_fd < 0) {
		log_error("tracer: signalfd failed: %s", strerror(errno));
		return TRACER_FAILED;
	}
	t->request_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (t->request_fd < 0) {
		log_error("tracer: eventfd failed: %s", strerror(errno));
		close(t->signal_fd);
		return TRACER_FAILED;
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->done, NULL);

	/* the tracer thread takes no asynchronous signal: they go to core's other threads */
	sigset_t all, previous;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &previous);
	int error = pthread_create(&t->thread, NULL, tracer_main, t);
	pthread_sigmask(SIG_SETMASK, &previous, NULL);
	if (error != 0) {
		log_error("tracer: pthread_create failed: %s", strerror(error));
		pthread_cond_destroy(&t->done);
		pthread_mutex_destroy(&t->lock);
		close(t->request_fd);
		close(t->signal_fd);
		return TRACER_FAILED;
	}
	return TRACER_OK;
}

void tracer_destroy(struct tracer *t)
{
	struct tracer_request request = { .type = TRACER_REQUEST_DESTROY };
	(void)tracer_call(t, &request);
	pthread_join(t->thread, NULL);

	while (t->events) {
		struct tracer_event_node *node = t->events;
		t->events = node->next;
		free(node);
	}
	free(t->threads);
	free(t->early);
	pthread_cond_destroy(&t->done);
	pthread_mutex_destroy(&t->lock);
	close(t->request_fd);
	close(t->signal_fd);
	*t = (struct tracer){ .signal_fd = -1, .request_fd = -1 };
}

struct tracer_spawn_result tracer_spawn(struct tracer *t, char const *path, char *const argv[],
                                        int const *fds, unsigned fd_count)
{
	struct tracer_spawn_result result = { TRACER_INVALID_ARGUMENT, 0 };
	if (!path || !argv || fd_count > TRACER_SPAWN_FDS_MAX || (fd_count && !fds)) return result;
	for (unsigned i = 0; i < fd_count; i++)
		if (fcntl(fds[i], F_GETFD) < 0) return result;

	struct tracer_request request = { .type = TRACER_REQUEST_SPAWN };
	request.u.spawn.path = path;
	request.u.spawn.argv = argv;
	request.u.spawn.fds = fds;
	request.u.spawn.fd_count = fd_count;
	result.result = tracer_call(t, &request);
	if (result.result == TRACER_OK) result.pid = request.tid;
	return result;
}

bool tracer_next_event(struct tracer *t, struct tracer_event *event)
{
	pthread_mutex_lock(&t->lock);
	struct tracer_event_node *node = t->events;
	if (node) {
		t->events = node->next;
		if (!t->events) t->events_tail = &t->events;
	}
	pthread_mutex_unlock(&t->lock);
	if (!node) return false;
	*event = node->event;
	free(node);
	return true;
}

enum tracer_result tracer_pause(struct tracer *t, pid_t tid)
{
	struct tracer_request request = { .type = TRACER_REQUEST_PAUSE, .tid = tid };
	return tracer_call(t, &request);
}

enum tracer_result tracer_resume(struct tracer *t, pid_t tid, bool single_step)
{
	struct tracer_request request = { .type = TRACER_REQUEST_RESUME, .tid = tid };
	request.u.single_step = single_step;
	return tracer_call(t, &request);
}

enum tracer_result tracer_deliver(struct tracer *t, pid_t tid)
{
	struct tracer_request request = { .type = TRACER_REQUEST_DELIVER, .tid = tid };
	return tracer_call(t, &request);
}

enum tracer_result tracer_state(struct tracer *t, pid_t tid, struct cpu_state *state)
{
	struct tracer_request request = { .type = TRACER_REQUEST_STATE, .tid = tid };
	request.u.state_out = state;
	return tracer_call(t, &request);
}

void tracer_state_many(struct tracer *t, struct tracer_batch_item *items, unsigned count)
{
	tracer_batch(t, TRACER_REQUEST_STATE, items, count);
}

enum tracer_result tracer_set_state(struct tracer *t, pid_t tid, struct cpu_state const *state)
{
	struct tracer_request request = { .type = TRACER_REQUEST_SET_STATE, .tid = tid };
	request.u.state_in = state;
	return tracer_call(t, &request);
}

enum tracer_result tracer_kill_process(struct tracer *t, pid_t pid)
{
	struct tracer_request request = { .type = TRACER_REQUEST_KILL_PROCESS, .tid = pid };
	return tracer_call(t, &request);
}

enum tracer_result tracer_kill_thread(struct tracer *t, pid_t tid, uint64_t syscall_gadget)
{
	struct tracer_request request = { .type = TRACER_REQUEST_KILL_THREAD, .tid = tid };
	request.u.kill.gadget = syscall_gadget;
	return tracer_call(t, &request);
}

pid_t tracer_thread_of(struct tracer *t, pid_t tid)
{
	struct tracer_request request = { .type = TRACER_REQUEST_THREAD_OF, .tid = tid };
	(void)tracer_call(t, &request);
	return request.u.owner;
}
