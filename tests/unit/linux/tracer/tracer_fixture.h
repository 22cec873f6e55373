/* SPDX-License-Identifier: MIT */
/**
 * \brief the tracer tests' helpers: the tracer with a notify counter to wait on,
 *        and the tracee program with its report and command pipes
 *
 * Every wait is bounded by WAIT_MS; a helper that runs out of time, or finds
 * something unexpected, fails the running case.
 */

#ifndef _TRACER_FIXTURE_H_
#define _TRACER_FIXTURE_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "tracer.h"

enum { WAIT_MS = 10000, LINE_MAX_LENGTH = 256 };

struct core;

/* the tracer, and a counter of notify calls to wait on */
struct fixture
{
	struct tracer tracer; /* the case's tracer, unless `core` */
	struct core *core;    /* or core's (fixture_init_core), for core's rules on top of it */
	pthread_mutex_t lock;
	pthread_cond_t notified_cond;
	unsigned notified;
};

/* a spawned tracee with its report pipe (fd 3) and command pipe (fd 4) */
struct tracee
{
	pid_t pid;
	int report;  /* read end */
	int command; /* write end */
	char buffer[1024];
	size_t used;
};

/* block SIGCHLD in the calling thread, as the tracer needs */
void block_sigchld(void);

/* block SIGCHLD and start the tracer */
void fixture_init(struct fixture *f);

/* block SIGCHLD and start `core`'s tracer as the case's (the rest of `core` is the caller's) */
void fixture_init_core(struct fixture *f, struct core *core);

/* the case's tracer: the fixture's, or core's */
struct tracer *fixture_tracer(struct fixture *f);

/* the CLOCK_MONOTONIC time `ms` from now */
struct timespec deadline_in(int ms);

/* milliseconds left until `deadline`, at least 0 */
int ms_until(struct timespec deadline);

/* the next event, waiting up to WAIT_MS; false if none came */
bool next_event(struct fixture *f, struct tracer_event *event);

/*
 * The next event of `type` (and of thread `tid` unless 0). Thread creations
 * and exits of other threads may come first; a stop or a process exit that
 * is not the one awaited fails the test.
 */
struct tracer_event await_event(struct fixture *f, enum tracer_event_type type, pid_t tid);

/*
 * The end of process `pid` with its exit status, after the exit of its main
 * thread and of thread `other` (unless 0), in any order.
 */
void await_exit_after(struct fixture *f, pid_t pid, int exit_code, int signal, pid_t other);

/* await_exit_after without another thread */
void await_exit(struct fixture *f, pid_t pid, int exit_code, int signal);

/* <build>/bin/tracee, found from this test binary in <build>/test */
void tracee_path(char *path, size_t size);

/* start `tracee <mode> <argument>` with its report and command pipes */
void tracee_spawn(struct fixture *f, struct tracee *t, char const *mode, char const *argument);

/* the next report line (LINE_MAX_LENGTH bytes of room), without the newline */
void tracee_line(struct tracee *t, char *line);

/* the next report line must be "<name> <hex>": its value */
uint64_t tracee_value(struct tracee *t, char const *name);

/* the next report line must be "ready" */
void tracee_ready(struct tracee *t);

/* what a tracee of mode "victim" reports */
struct tracee_victim
{
	pid_t tid;           /* its victim thread */
	uint64_t gadget;     /* a syscall instruction */
	uint64_t bad_gadget; /* an address that is no syscall */
};

/*
 * Start tracee mode "victim" in `t`, read its report up to "ready" and await the
 * creation of its victim thread.
 */
struct tracee_victim tracee_spawn_victim(struct fixture *f, struct tracee *t);

/* a byte through the tracee's echo: proves that its echoing thread runs */
void tracee_echo(struct tracee *t, unsigned char byte);

/* close both pipes: EOF on its command pipe */
void tracee_close(struct tracee *t);

/* the state of `tid`, which must be stopped */
struct cpu_state state_of(struct fixture *f, pid_t tid);

/* the test process has no child left */
void check_no_children(void);

/* no event is queued */
void check_no_event(struct fixture *f);

#endif /* _TRACER_FIXTURE_H_ */
