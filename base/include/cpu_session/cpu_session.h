/* SPDX-License-Identifier: MIT */
/**
 * \brief CPU session: threads, and their control by a debugger or a parent
 *
 * A thread is created for a PD with a name and is named by its cpu_thread
 * capability from then on. Whoever holds the CPU session can pause a thread,
 * read and change its state while it is stopped, single-step it and resume
 * it, and learn of its exceptions through signal handlers: the handler of the
 * thread if it has one, else the session's.
 *
 * An exception (breakpoint, single step, watchpoint, or a fault without an RM
 * fault handler) stops the thread. It stays stopped until resumed; state()
 * says why it stopped. A thread's end by itself or with its process
 * (exception CPU_EXCEPTION_EXITED) signals the same handler.
 */

#ifndef _CPU_SESSION_CPU_SESSION_H_
#define _CPU_SESSION_CPU_SESSION_H_

#include <base/signal.h>
#include <cpu/cpu_state.h>
#include <pd_session/pd_session.h>

enum { CPU_THREAD_NAME_MAX = 32 };

enum cpu_session_result {
	CPU_OK = 0,
	CPU_INVALID_ARGUMENT, /* a thread or PD that is not of this session, a bad name */
	CPU_OUT_OF_METADATA,  /* the session's donated quota is used up */
	CPU_NOT_STARTED,      /* the thread has not been started (or bound) yet */
	CPU_ALREADY_STARTED,  /* start of a thread that runs */
	CPU_NOT_STOPPED,      /* state access needs a stopped thread */
	CPU_EXITED,           /* the thread is gone */
	CPU_UNSUPPORTED,      /* the platform cannot do this (see the platform's doc) */
	RPC_RESULT_ERRORS(CPU),
};

struct cpu_thread_info
{
	char name[CPU_THREAD_NAME_MAX];
	uint64_t id;        /* unique within the session, stable, never 0 */
	uint32_t exception; /* enum cpu_exception */
	uint32_t stopped;
};

struct cpu_thread_info_result
{
	enum cpu_session_result result;
	struct cpu_thread_info info;
};

/* one thread in the table of pause_all and threads */
struct cpu_thread_status
{
	uint64_t id;        /* as in cpu_thread_info */
	uint32_t exception; /* enum cpu_exception; CPU_EXCEPTION_EXITED once it ended */
	uint8_t stopped;    /* also set once it ended */
	uint8_t started;    /* runs or ran: 0 between create_thread and its start */
	uint8_t reserved[2];
	uint64_t ip; /* where a stop by an exception (not a pause) holds it, else 0: a
	                debugger that single-steps learns where a step ended from the
	                table alone */
};

enum {
	CPU_THREAD_STATUS_MAX = 256, /* entries of one table */
	CPU_STATES_MAX = 10,         /* threads of one `states` call (a message holds 10) */
};

/* a thread: the capability names it in the calls of its CPU session */
#define CPU_THREAD_RPC(M, I) M(I, info, struct cpu_thread_info_result)

RPC_INTERFACE(cpu_thread, CPU_THREAD_RPC)

/*
 * create_thread:     a thread named `name` for `pd`, not yet running
 * kill_thread:       end the thread and forget it
 * start:             start the thread at `ip` with stack pointer `sp`
 * pause:             stop the thread (returns once it is stopped)
 * resume:            continue a stopped thread
 * single_step:       while enabled, a resumed thread stops after one instruction
 * state, set_state:  the registers of a stopped thread (set_state ignores the
 *                    read-only fields)
 * exception_handler: the session's handler for threads without their own
 * thread_exception_handler: the handler for one thread
 * thread:            the thread at `index` (0, 1, ...) in creation order, for
 *                    listing; CPU_INVALID_ARGUMENT past the last one
 * threads:           the status of every thread of the session, in creation
 *                    order, as `struct cpu_thread_status` entries in `table`
 *                    (its size says how many; the first CPU_THREAD_STATUS_MAX)
 * pause_all:         pause every started thread at once (all-stop: one call
 *                    instead of one per thread, the threads stopped together,
 *                    not one after the other); returns once all are stopped,
 *                    with the table as `threads` gives it afterwards; a stop
 *                    that a pause meets keeps its exception
 * resume_threads:    resume the stopped threads among those whose ids `ids`
 *                    lists (uint64_t each) at once, each single-stepping if
 *                    single_step is enabled for it; ids of threads that run,
 *                    ended or are unknown are passed over. A list, not "all":
 *                    a thread whose exception the caller has not seen yet
 *                    must stay stopped
 * states:            the state of each thread whose id `ids` lists (uint64_t
 *                    each, at most CPU_STATES_MAX), as `state` gives it, in
 *                    one call: `out` holds one struct cpu_state per id, in
 *                    order; a thread that runs, ended or is unknown gets a
 *                    zeroed entry (`stopped` 0), and so does a repeated id.
 *                    A debugger that shows every thread reads them all with
 *                    one call instead of one each
 */
#define CPU_SESSION_RPC(M, I)                                                               \
	M(I, create_thread, enum cpu_session_result, (IN_CAP, pd_session, pd),                  \
	  (IN_STRING, CPU_THREAD_NAME_MAX, name), (OUT_CAP, cpu_thread, thread))                \
	M(I, kill_thread, enum cpu_session_result, (IN_CAP, cpu_thread, thread))                \
	M(I, start, enum cpu_session_result, (IN_CAP, cpu_thread, thread), (IN, uint64_t, ip),  \
	  (IN, uint64_t, sp))                                                                   \
	M(I, pause, enum cpu_session_result, (IN_CAP, cpu_thread, thread))                      \
	M(I, resume, enum cpu_session_result, (IN_CAP, cpu_thread, thread))                     \
	M(I, single_step, enum cpu_session_result, (IN_CAP, cpu_thread, thread),                \
	  (IN, bool, enable))                                                                   \
	M(I, state, enum cpu_session_result, (IN_CAP, cpu_thread, thread),                      \
	  (OUT, struct cpu_state, cpu))                                                         \
	M(I, set_state, enum cpu_session_result, (IN_CAP, cpu_thread, thread),                  \
	  (IN, struct cpu_state, cpu))                                                          \
	M(I, exception_handler, enum cpu_session_result, (IN_CAP, signal_context, handler))     \
	M(I, thread_exception_handler, enum cpu_session_result, (IN_CAP, cpu_thread, thread),   \
	  (IN_CAP, signal_context, handler))                                                    \
	M(I, thread, struct cpu_thread_info_result, (IN, uint32_t, index),                      \
	  (OUT_CAP, cpu_thread, thread))                                                        \
	M(I, threads, enum cpu_session_result,                                                  \
	  (OUT_BUF, CPU_THREAD_STATUS_MAX * sizeof(struct cpu_thread_status), table))           \
	M(I, pause_all, enum cpu_session_result,                                                \
	  (OUT_BUF, CPU_THREAD_STATUS_MAX * sizeof(struct cpu_thread_status), table))           \
	M(I, resume_threads, enum cpu_session_result,                                           \
	  (IN_BUF, CPU_THREAD_STATUS_MAX * sizeof(uint64_t), ids))                              \
	M(I, states, enum cpu_session_result, (IN_BUF, CPU_STATES_MAX * sizeof(uint64_t), ids), \
	  (OUT_BUF, CPU_STATES_MAX * sizeof(struct cpu_state), out))

RPC_INTERFACE(cpu_session, CPU_SESSION_RPC)

#endif /* _CPU_SESSION_CPU_SESSION_H_ */
