/* SPDX-License-Identifier: MIT */
/** \brief the tracer tests' helpers (see tracer_fixture.h) */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"
#include "tracer_fixture.h"
#include "unit_test.h"

static void fixture_notify(void *context)
{
	struct fixture *f = context;
	pthread_mutex_lock(&f->lock);
	f->notified++;
	pthread_cond_broadcast(&f->notified_cond);
	pthread_mutex_unlock(&f->lock);
}

void block_sigchld(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	CHECK_EQ(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
}

void fixture_init_core(struct fixture *f, struct core *core)
{
	block_sigchld();
	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&f->notified_cond, &attr);
	pthread_condattr_destroy(&attr);
	f->notified = 0;
	f->core = core;
	CHECK_EQ(tracer_init(fixture_tracer(f), fixture_notify, f), TRACER_OK);
}

void fixture_init(struct fixture *f) { fixture_init_core(f, NULL); }

struct tracer *fixture_tracer(struct fixture *f)
{
	return f->core ? &f->core->tracer : &f->tracer;
}

struct timespec deadline_in(int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

int ms_until(struct timespec deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (long long)(deadline.tv_sec - now.tv_sec) * 1000 +
	               (deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* the next event, waiting up to WAIT_MS; false if none came */
bool next_event(struct fixture *f, struct tracer_event *event)
{
	struct timespec deadline = deadline_in(WAIT_MS);
	for (;;) {
		pthread_mutex_lock(&f->lock);
		unsigned seen = f->notified;
		pthread_mutex_unlock(&f->lock);
		if (tracer_next_event(fixture_tracer(f), event)) return true;
		pthread_mutex_lock(&f->lock);
		int error = 0;
		while (f->notified == seen && error == 0)
			error = pthread_cond_timedwait(&f->notified_cond, &f->lock, &deadline);
		pthread_mutex_unlock(&f->lock);
		if (error) return tracer_next_event(fixture_tracer(f), event);
	}
}

/*
 * The next event of `type` (and of thread `tid` unless 0). Thread creations
 * and exits of other threads may come first; a stop or a process exit that
 * is not the one awaited fails the test.
 */
struct tracer_event await_event(struct fixture *f, enum tracer_event_type type, pid_t tid)
{
	struct tracer_event event;
	for (;;) {
		if (!next_event(f, &event))
			unit_test_fail(__FILE__, __LINE__, "no event of type %d (tid %d)", type, tid);
		if (event.type == type &&
		    (!tid || event.tid == tid || type == TRACER_EVENT_PROCESS_EXITED))
			return event;
		if (event.type == TRACER_EVENT_THREAD_STOPPED ||
		    event.type == TRACER_EVENT_PROCESS_EXITED)
			unit_test_fail(__FILE__, __LINE__, "unexpected event %d of %d/%d (awaiting %d)",
			               event.type, event.pid, event.tid, type);
	}
}

/*
 * The end of process `pid` with its exit status, after the exit of its main
 * thread and of thread `other` (unless 0), in any order.
 */
void await_exit_after(struct fixture *f, pid_t pid, int exit_code, int signal, pid_t other)
{
	bool main_exited = false, other_exited = other == 0;
	for (;;) {
		struct tracer_event event;
		if (!next_event(f, &event))
			unit_test_fail(__FILE__, __LINE__, "process %d did not end", pid);
		if (event.type == TRACER_EVENT_THREAD_STOPPED)
			unit_test_fail(__FILE__, __LINE__, "unexpected stop of %d", event.tid);
		if (event.type == TRACER_EVENT_THREAD_EXITED && event.pid == pid) {
			main_exited |= event.tid == pid;
			other_exited |= event.tid == other;
		}
		if (event.type == TRACER_EVENT_PROCESS_EXITED) {
			CHECK_EQ(event.pid, pid);
			CHECK(main_exited && other_exited);
			CHECK_EQ(event.exit_code, exit_code);
			CHECK_EQ(event.signal, signal);
			return;
		}
	}
}

void await_exit(struct fixture *f, pid_t pid, int exit_code, int signal)
{
	await_exit_after(f, pid, exit_code, signal, 0);
}

void tracee_path(char *path, size_t size)
{
	ssize_t length = readlink("/proc/self/exe", path, size - 1);
	CHECK(length > 0);
	path[length] = 0;
	char *slash = strrchr(path, '/');
	CHECK(slash != NULL);
	*slash = 0;
	CHECK((size_t)snprintf(slash, size - (size_t)(slash - path), "/../bin/tracee") <
	      size - (size_t)(slash - path));
}

void tracee_spawn(struct fixture *f, struct tracee *t, char const *mode, char const *argument)
{
	int report[2], command[2];
	CHECK_EQ(pipe2(report, O_CLOEXEC), 0);
	CHECK_EQ(pipe2(command, O_CLOEXEC), 0);
	char path[PATH_MAX];
	tracee_path(path, sizeof(path));
	char *argv[] = { "tracee", (char *)mode, (char *)argument, NULL };
	int fds[] = { report[1], command[0] };
	struct tracer_spawn_result spawned = tracer_spawn(fixture_tracer(f), path, argv, fds, 2);
	CHECK_EQ(spawned.result, TRACER_OK);
	CHECK(spawned.pid > 0);
	close(report[1]);
	close(command[0]);
	*t = (struct tracee){ .pid = spawned.pid, .report = report[0], .command = command[1] };
}

/* fill the buffer from the report pipe; false at EOF or after WAIT_MS */
static bool tracee_fill(struct tracee *t, struct timespec deadline)
{
	struct pollfd p = { .fd = t->report, .events = POLLIN };
	if (poll(&p, 1, ms_until(deadline)) <= 0) return false;
	ssize_t length = read(t->report, t->buffer + t->used, sizeof(t->buffer) - t->used);
	if (length <= 0) return false;
	t->used += (size_t)length;
	return true;
}

void tracee_line(struct tracee *t, char *line)
{
	struct timespec deadline = deadline_in(WAIT_MS);
	for (;;) {
		char *newline = memchr(t->buffer, '\n', t->used);
		if (newline) {
			size_t length = (size_t)(newline - t->buffer);
			CHECK(length < LINE_MAX_LENGTH);
			memcpy(line, t->buffer, length);
			line[length] = 0;
			t->used -= length + 1;
			memmove(t->buffer, newline + 1, t->used);
			return;
		}
		if (!tracee_fill(t, deadline))
			unit_test_fail(__FILE__, __LINE__, "no report line from the tracee");
	}
}

/* the next report line must be "<name> <hex>": its value */
uint64_t tracee_value(struct tracee *t, char const *name)
{
	char line[LINE_MAX_LENGTH];
	tracee_line(t, line);
	size_t length = strlen(name);
	if (strncmp(line, name, length) != 0 || line[length] != ' ')
		unit_test_fail(__FILE__, __LINE__, "report \"%s\" instead of %s", line, name);
	return strtoull(line + length + 1, NULL, 16);
}

void tracee_ready(struct tracee *t)
{
	char line[LINE_MAX_LENGTH];
	tracee_line(t, line);
	CHECK_STR(line, "ready");
}

struct tracee_victim tracee_spawn_victim(struct fixture *f, struct tracee *t)
{
	tracee_spawn(f, t, "victim", "");
	struct tracee_victim v;
	v.tid = (pid_t)tracee_value(t, "tid");
	v.gadget = tracee_value(t, "gadget");
	v.bad_gadget = tracee_value(t, "bad_gadget");
	tracee_ready(t);
	CHECK_EQ(await_event(f, TRACER_EVENT_THREAD_CREATED, v.tid).pid, t->pid);
	return v;
}

/* a byte through the tracee's echo: proves that its echoing thread runs */
void tracee_echo(struct tracee *t, unsigned char byte)
{
	CHECK_EQ(write(t->command, &byte, 1), 1);
	struct timespec deadline = deadline_in(WAIT_MS);
	while (t->used == 0)
		if (!tracee_fill(t, deadline))
			unit_test_fail(__FILE__, __LINE__, "no echo from the tracee");
	CHECK_EQ(t->buffer[0], (char)(byte + 1));
	t->used--;
	memmove(t->buffer, t->buffer + 1, t->used);
}

void tracee_close(struct tracee *t)
{
	if (t->command >= 0) close(t->command);
	close(t->report);
	t->command = -1;
}

struct cpu_state state_of(struct fixture *f, pid_t tid)
{
	struct cpu_state state;
	CHECK_EQ(tracer_state(fixture_tracer(f), tid, &state), TRACER_OK);
	CHECK_EQ(state.stopped, 1);
	return state;
}

/* the test process has no child left */
void check_no_children(void)
{
	errno = 0;
	CHECK_EQ(waitpid(-1, NULL, WNOHANG | __WALL), -1);
	CHECK_EQ(errno, ECHILD);
}

void check_no_event(struct fixture *f)
{
	struct tracer_event event;
	CHECK(!tracer_next_event(fixture_tracer(f), &event));
}
