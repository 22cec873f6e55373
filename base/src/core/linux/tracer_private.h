/* SPDX-License-Identifier: MIT */
/**
 * \brief what the parts of the tracer share: the request, the tracer thread's
 *        entry points, register access and process start
 *
 * Everything here but the request itself is for the tracer thread only.
 */

#ifndef _CORE_LINUX_TRACER_PRIVATE_H_
#define _CORE_LINUX_TRACER_PRIVATE_H_

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cpu/cpu_state.h>

#include "tracer.h"

enum tracer_request_type {
	TRACER_REQUEST_SPAWN,
	TRACER_REQUEST_PAUSE,
	TRACER_REQUEST_RESUME,
	TRACER_REQUEST_DELIVER,
	TRACER_REQUEST_STATE,
	TRACER_REQUEST_SET_STATE,
	TRACER_REQUEST_KILL_PROCESS,
	TRACER_REQUEST_KILL_THREAD,
	TRACER_REQUEST_THREAD_OF,
	TRACER_REQUEST_DESTROY,
};

/*
 * a call of the API: lives on the caller's stack until its batch is done.
 * `pending` counts the requests of one call (tracer_call_many) that are not
 * done yet, and is shared by them: the caller is woken once, when the last
 * completes, not once per request.
 */
struct tracer_request
{
	struct tracer_request *next;
	enum tracer_request_type type;
	pid_t tid; /* the thread, or the process of SPAWN and KILL_PROCESS */
	enum tracer_result result;
	unsigned *pending;
	union
	{
		struct
		{
			char const *path;
			char *const *argv;
			int const *fds;
			unsigned fd_count;
			int error_fd; /* read end of the child's execve-error pipe */
		} spawn;
		bool single_step;
		struct cpu_state *state_out;
		struct cpu_state const *state_in;
		struct
		{
			uint64_t gadget;
			bool running; /* continued into the gadget */
			struct user_regs_struct saved_regs;
			struct tracer_stop saved_stop;
			int saved_signal;
		} kill;
		pid_t owner; /* THREAD_OF */
	} u;
};

struct tracer_event_node
{
	struct tracer_event_node *next;
	struct tracer_event event;
};

/** queue an event for tracer_next_event (sets tracer->events_queued) */
void tracer_event_queue(struct tracer *tracer, struct tracer_event const *event);

/** hand `result` to the caller of `request`; the request is gone afterwards */
void tracer_complete(struct tracer *tracer, struct tracer_request *request,
                     enum tracer_result result);

/** collect every tracee state change that waitpid reports, without blocking */
void tracer_threads_reap(struct tracer *tracer);

/** act on a request: complete it, or park it until a thread stops or ends */
void tracer_threads_serve(struct tracer *tracer, struct tracer_request *request);

/* dr6 bits: which debug register hit, and single step */
enum {
	TRACER_DR6_WATCHPOINTS = 0xf,
	TRACER_DR6_STEP = 0x4000,
	TRACER_DR6_HITS = TRACER_DR6_WATCHPOINTS | TRACER_DR6_STEP,
};

/** debug register `index` (0-7) of the stopped thread `tid`; false on failure (logged) */
bool tracer_registers_debug_read(pid_t tid, unsigned index, uint64_t *value)
    __attribute__((warn_unused_result));

/** set debug register `index`; false if the kernel refused it (not logged) */
bool tracer_registers_debug_write(pid_t tid, unsigned index, uint64_t value);

/*
 * A thread's dr0-3 and dr7 as the tracer last read or wrote them. Only
 * ptrace changes them (the thread cannot, nor can a debug exception), and
 * only the tracer ptraces, so after one read they are known: a state read
 * or write costs one PEEKUSER (dr6, which a debug exception sets) instead of
 * six. Zeroed with its thread record: not known yet.
 */
struct tracer_debug_cache
{
	uint64_t dr[8]; /* dr0-3 and dr7; dr6 is always read */
	bool known;
};

/**
 * Read the registers of the stopped thread `tid` into `state` (not the
 * read-only fields).
 *
 * \return TRACER_OK, TRACER_EXITED (it is gone), TRACER_FAILED (logged)
 */
enum tracer_result tracer_registers_read(pid_t tid, struct tracer_debug_cache *cache,
                                         struct cpu_state *state)
    __attribute__((warn_unused_result));

/**
 * Write general, FPU and debug registers of the stopped thread `tid`, all or
 * nothing. A changed rip cancels a system-call restart (orig_rax = -1).
 *
 * \return TRACER_OK, TRACER_INVALID_STATE (refused; the old values are back),
 *         TRACER_EXITED, TRACER_FAILED (logged)
 */
enum tracer_result tracer_registers_write(pid_t tid, struct tracer_debug_cache *cache,
                                          struct cpu_state const *state)
    __attribute__((warn_unused_result));

/**
 * Fork a child that is seized with `options` before it runs execve (see
 * tracer_spawn for what the child gets). It is not waited for: its
 * PTRACE_EVENT_EXEC stop means success, its end before that failure (then
 * tracer_spawn_failure tells why).
 *
 * \param pid       out: the child
 * \param error_fd  out: the read end of the pipe on which the child reports
 *                  an execve error; the caller closes it
 * \return TRACER_OK, TRACER_FAILED (logged; no child remains)
 */
enum tracer_result tracer_spawn_process(char const *path, char *const argv[], int const *fds,
                                        unsigned fd_count, int options, pid_t *pid,
                                        int *error_fd) __attribute__((warn_unused_result));

/**
 * Log why the reaped child of `error_fd` never completed its execve.
 *
 * \return TRACER_EXEC_FAILED
 */
enum tracer_result tracer_spawn_failure(int error_fd, char const *path);

#endif /* _CORE_LINUX_TRACER_PRIVATE_H_ */
