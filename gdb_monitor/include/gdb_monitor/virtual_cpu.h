/* SPDX-License-Identifier: MIT */
/**
 * \brief virtual CPU session: the child's threads as the monitor serves them,
 *        and the record of every thread with its name
 *
 * The child gets the capability of this object as its CPU session. Every
 * call goes on to the child's real CPU session at core. A thread that core
 * creates is recorded (core's id, the name, the monitor's own reference to
 * core's thread capability), and the child receives a copy of core's
 * capability: on the hosted platform a new thread names itself to its PD
 * with it, which only core's capability can do.
 *
 * The monitor never invokes a capability the child hands in: thread, PD and
 * signal capabilities of the child's calls are only passed on to core, which
 * checks that they are its own, or dropped. Which recorded thread a call
 * meant is therefore not known; after a kill the record is checked with
 * core (virtual_cpu_refresh), and threads that ended leave it.
 *
 * Exceptions: the monitor's own signal handler is installed at the real
 * session; the child's exception handlers (session or thread) are accepted
 * and dropped, so every exception and unhandled page fault of the child
 * reaches the monitor. Run control (run_control.h) works on the record.
 *
 * Threads: the entrypoint's thread serves the child; the monitor's other
 * threads use the record under `lock`. The lock is never held while the
 * monitor waits for anything but core.
 */

#ifndef _GDB_MONITOR_VIRTUAL_CPU_H_
#define _GDB_MONITOR_VIRTUAL_CPU_H_

#include <base/env.h>
#include <base/lock.h>
#include <base/rpc_entrypoint.h>
#include <cpu_session/cpu_session.h>

enum { VIRTUAL_CPU_THREADS_MAX = 64 };

/** a thread of the child */
struct virtual_cpu_thread
{
	bool used;
	uint64_t id; /* core's, unique within the session, never 0 */
	char name[CPU_THREAD_NAME_MAX];
	struct cpu_thread_cap cap; /* core's, the monitor's reference */
};

struct virtual_cpu_stats
{
	uint64_t created; /* threads recorded so far */
	uint64_t ended;   /* threads that left the record */
	uint64_t calls;   /* the child's calls, all forwarded or dropped */
};

/** called (in the entrypoint's thread) before the child's first start is forwarded */
typedef void (*virtual_cpu_start_hook)(void *state, uint64_t ip);

struct virtual_cpu
{
	struct env *env;
	struct rpc_entrypoint *ep;
	struct rpc_object object;
	struct cpu_session_cap cap;        /* what the child gets, ours */
	struct cpu_session_cap real;       /* the child's CPU session at core, not ours */
	struct signal_context_cap handler; /* the monitor's exception handler, ours */
	struct lock lock;                  /* guards everything below */
	struct virtual_cpu_thread threads[VIRTUAL_CPU_THREADS_MAX];
	unsigned reserved; /* slots held by create_thread calls in progress */
	virtual_cpu_start_hook start_hook;
	void *start_hook_state;
	bool started; /* the first start was forwarded */
	struct virtual_cpu_stats stats;
};

enum virtual_cpu_result {
	VIRTUAL_CPU_OK = 0,
	VIRTUAL_CPU_NO_RESOURCES, /* no capability could be made for the object */
	VIRTUAL_CPU_DENIED,       /* the real session refused the exception handler */
};

/**
 * Make the object and serve it at `ep` (which a thread of the monitor serves).
 *
 * \param handler  the monitor's signal context for the child's exceptions;
 *                 the object takes the capability over (also on failure)
 * \return VIRTUAL_CPU_OK, or VIRTUAL_CPU_NO_RESOURCES (nothing to destroy)
 */
enum virtual_cpu_result virtual_cpu_init(struct virtual_cpu *cpu, struct env *env,
                                         struct rpc_entrypoint *ep,
                                         struct signal_context_cap handler)
    __attribute__((warn_unused_result));

/** the capability for the child (e.g. child_args.cpu_override); stays the object's */
static inline struct cpu_session_cap virtual_cpu_cap(struct virtual_cpu const *cpu)
{
	return cpu->cap;
}

/**
 * Forward to `real` from now on (the child's CPU session at core; stays the
 * caller's) and install the monitor's exception handler there.
 *
 * \return VIRTUAL_CPU_OK, or VIRTUAL_CPU_DENIED (forwarding works, but the
 *         monitor gets no exception signals)
 */
enum virtual_cpu_result virtual_cpu_bind(struct virtual_cpu *cpu, struct cpu_session_cap real)
    __attribute__((warn_unused_result));

/** have `hook(state, ip)` called before the child's first start is forwarded */
void virtual_cpu_start_hook_set(struct virtual_cpu *cpu, virtual_cpu_start_hook hook,
                                void *state);

/**
 * Ask core about every recorded thread and drop those that ended or that
 * core no longer knows (cpu->lock held).
 */
void virtual_cpu_refresh(struct virtual_cpu *cpu);

/** forget the record of a thread that ended (cpu->lock held) */
void virtual_cpu_thread_drop(struct virtual_cpu *cpu, struct virtual_cpu_thread *thread);

/** the record of thread `id`, or NULL (cpu->lock held; valid while it is) */
struct virtual_cpu_thread *virtual_cpu_thread_find(struct virtual_cpu *cpu, uint64_t id);

/** the counters, copied under the lock */
struct virtual_cpu_stats virtual_cpu_stats(struct virtual_cpu *cpu);

/**
 * Stop serving the child and close every recorded capability. The child's
 * real CPU session and its threads are not touched.
 */
void virtual_cpu_destroy(struct virtual_cpu *cpu);

#endif /* _GDB_MONITOR_VIRTUAL_CPU_H_ */
