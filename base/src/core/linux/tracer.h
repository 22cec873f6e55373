/* SPDX-License-Identifier: MIT */
/**
 * \brief core's ptrace back end on Linux: spawns component processes traced
 *        from their first instruction, and stops, steps, inspects and ends
 *        their threads
 *
 * One tracer thread (created by tracer_init) makes every ptrace and waitpid
 * call, because Linux ties a tracee to the thread that attached it. Other
 * threads call the functions below; each queues a request to the tracer
 * thread and blocks until it is done. The tracer thread sleeps in poll() on
 * a signalfd for SIGCHLD and an eventfd for requests, and collects tracee
 * state changes with waitpid(-1, WNOHANG | __WALL).
 *
 * Preconditions on the process (checked where they can be):
 * - SIGCHLD is blocked in every thread of the process, before any thread is
 *   created (block it in main() first), and is not ignored (no SIG_IGN, no
 *   SA_NOCLDWAIT, no SA_NOCLDSTOP). A thread that takes SIGCHLD steals the
 *   tracer's wake-up. tracer_init checks the calling thread and the
 *   disposition.
 * - The tracer owns every child of the process: it reaps them all. Nothing
 *   else in the process may fork or wait.
 * - At most one tracer per process, for the same reason.
 *
 * What a traced thread goes through:
 * - An exception (a kernel-generated SIGTRAP, SIGSEGV, SIGBUS, SIGILL or
 *   SIGFPE) stops the thread and queues TRACER_EVENT_THREAD_STOPPED. The
 *   thread stays stopped until tracer_resume; the signal is not delivered
 *   to it (resuming re-executes a faulting instruction, or continues after a
 *   trap) unless tracer_deliver continues it.
 * - Every other signal, and the same signals sent by kill() and friends,
 *   goes to the thread as usual, except the job-control stop signals
 *   (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU), which are dropped: a component
 *   process never stops as a whole, so a group-stop cannot hang anything.
 * - tracer_pause stops a thread without an event (it is PAUSED); a signal
 *   that arrived on the way is delivered when the thread is resumed.
 * - A thread that exits queues TRACER_EVENT_THREAD_EXITED; its process's end
 *   queues TRACER_EVENT_PROCESS_EXITED after the exit of its last thread.
 *
 * Callers: any thread but the tracer thread, also several at once (each
 * call blocks only its caller). The notify callback runs in the tracer
 * thread and must not call the tracer.
 *
 * Event order: a thread's THREAD_CREATED comes before anything else of it;
 * each thread, the main thread included, gets one THREAD_EXITED, when it
 * passes its exit; PROCESS_EXITED comes last, once the process is reaped.
 * The exits of the threads of one process come in any order.
 *
 * Processes that a traced process creates (fork, vfork, a clone without
 * CLONE_THREAD) are traced too, from their first instruction: THREAD_CREATED
 * with pid == tid, later PROCESS_EXITED. Limits: an execve in a traced
 * process is followed, but the threads it ends are only reported as exited.
 * The registers are x86_64 only: the legacy FXSAVE area, no AVX upper halves.
 */

#ifndef _CORE_LINUX_TRACER_H_
#define _CORE_LINUX_TRACER_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <cpu/cpu_state.h>

enum tracer_result {
	TRACER_OK = 0,
	TRACER_NO_SUCH_THREAD,   /* not a thread (or process) the tracer traces, or one that
	                            was reaped already */
	TRACER_NOT_STOPPED,      /* the call needs a stopped thread, and it runs */
	TRACER_EXITED,           /* the thread has passed its exit and is about to be reaped */
	TRACER_EXEC_FAILED,      /* spawn: the program could not be started (logged) */
	TRACER_INVALID_ARGUMENT, /* a NULL path or argv, or too many descriptors */
	TRACER_INVALID_STATE,    /* set_state: the kernel refused a value (a segment
	                            selector, a debug-register setting); nothing changed */
	TRACER_INVALID_GADGET,   /* kill_thread: the thread did not exit through the
	                            gadget; it is left paused with its state as before */
	TRACER_SIGCHLD_SETUP,    /* init: SIGCHLD is not blocked in the calling thread, or
	                            it is ignored */
	TRACER_FAILED,           /* a system call failed unexpectedly (logged, naming it) */
};

/** a short name of `result`, for log lines */
char const *tracer_result_name(enum tracer_result result);

/** why and where a thread stopped */
struct tracer_stop
{
	enum cpu_exception exception; /* PAUSED for a stop by tracer_pause */
	int signal;                   /* the signal that reported it (0 for PAUSED) */
	int si_code;                  /* its si_code */
	uint64_t ip;                  /* rip at the stop; after the int3 for a breakpoint,
	                                 after the access for a watchpoint, at the faulting
	                                 instruction for a fault */
	uint64_t fault_address;       /* PAGE_FAULT and BUS: si_addr, else 0 */
	uint64_t dr6;                 /* debug status of a SIGTRAP stop (bits 0-3: which
	                                 watchpoint, bit 14: single step), else 0; the
	                                 tracer clears those bits in the thread's dr6 */
};

enum tracer_event_type {
	TRACER_EVENT_THREAD_CREATED, /* pid, tid: a new thread of a traced process (it runs) */
	TRACER_EVENT_THREAD_STOPPED, /* pid, tid, stop: an exception stopped the thread */
	TRACER_EVENT_THREAD_EXITED,  /* pid, tid: the thread is gone (also the main thread) */
	TRACER_EVENT_PROCESS_EXITED, /* pid, exit_code or signal: the process is gone */
};

struct tracer_event
{
	enum tracer_event_type type;
	pid_t pid;
	pid_t tid;               /* THREAD_* only */
	struct tracer_stop stop; /* THREAD_STOPPED only */
	int exit_code;           /* PROCESS_EXITED: the exit status if signal is 0 */
	int signal;              /* PROCESS_EXITED: the signal that killed it, or 0 */
};

/** the most descriptors tracer_spawn passes */
enum { TRACER_SPAWN_FDS_MAX = 16 };

struct tracer_spawn_result
{
	enum tracer_result result;
	pid_t pid; /* of the new process (== the tid of its main thread) on TRACER_OK */
};

/* private to tracer.c */
struct tracer_request;
struct tracer_event_node;
struct tracer_thread_record;
struct tracer_early_stop;

/**
 * The tracer. Public only so that it can be embedded; its fields are private
 * to tracer.c.
 */
struct tracer
{
	pthread_t thread;
	pthread_mutex_t lock; /* guards requests, events and `done` waits */
	pthread_cond_t done;  /* broadcast when a call's last request completes */
	int signal_fd;        /* signalfd for SIGCHLD */
	int request_fd;       /* eventfd: requests are queued */
	void (*notify)(void *context);
	void *context;

	/* under `lock` */
	struct tracer_request *requests, **requests_tail;
	struct tracer_event_node *events, **events_tail;

	/* owned by the tracer thread */
	struct tracer_request *parked; /* requests waiting for a thread's stop or exit */
	struct tracer_thread_record *threads;
	unsigned thread_count, thread_capacity;
	struct tracer_early_stop *early; /* first stops of clones not yet announced */
	unsigned early_count, early_capacity;
	bool events_queued; /* during one round of the tracer thread */
	bool stopping;
};

/**
 * Start the tracer thread.
 *
 * \param notify   called in the tracer thread whenever it has queued events;
 *                 must not call the tracer (it may be NULL)
 * \param context  passed to notify
 * \return TRACER_OK, TRACER_SIGCHLD_SETUP (see the preconditions above), or
 *         TRACER_FAILED (no descriptors, no thread); on failure nothing is left
 *         to destroy
 */
enum tracer_result tracer_init(struct tracer *tracer, void (*notify)(void *context),
                               void *context) __attribute__((warn_unused_result));

/**
 * SIGKILL every traced process, reap them, end the tracer thread and free
 * everything. No events are queued for the killed processes; undelivered
 * events are dropped. No other call may run or follow, except tracer_init.
 */
void tracer_destroy(struct tracer *tracer);

/**
 * Start a traced process.
 *
 * The child gets fds[i] as descriptor 3 + i, /dev/null as standard input,
 * the caller's standard output and error, no other descriptor, default
 * signal dispositions, an empty signal mask and the caller's environment. It
 * is killed by SIGKILL when the tracer thread ends (PR_SET_PDEATHSIG and
 * PTRACE_O_EXITKILL). It is seized before execve, so the program is traced
 * from its first instruction; the call returns once the execve is done.
 *
 * \param path      the program (not searched in PATH)
 * \param argv      its arguments, NULL-terminated (argv[0] by convention the name)
 * \param fds       descriptors to pass (they stay open in the caller)
 * \param fd_count  how many, at most TRACER_SPAWN_FDS_MAX
 * \return result TRACER_OK with the pid, TRACER_EXEC_FAILED (logged with the
 *         reason; no process remains and no event is queued),
 *         TRACER_INVALID_ARGUMENT, or TRACER_FAILED
 */
struct tracer_spawn_result tracer_spawn(struct tracer *tracer, char const *path,
                                        char *const argv[], int const *fds, unsigned fd_count)
    __attribute__((warn_unused_result));

/**
 * Take the oldest queued event, without blocking.
 *
 * \return true if `event` was filled, false if none is queued
 */
bool tracer_next_event(struct tracer *tracer, struct tracer_event *event)
    __attribute__((warn_unused_result));

/**
 * Stop thread `tid` and return once it is stopped. A thread that is stopped
 * already stays as it is; one that an exception stops on the way keeps that
 * exception (and its event). No event for the pause itself.
 *
 * \return TRACER_OK (the thread is stopped), TRACER_NO_SUCH_THREAD,
 *         TRACER_EXITED, TRACER_FAILED
 */
enum tracer_result tracer_pause(struct tracer *tracer, pid_t tid)
    __attribute__((warn_unused_result));

/** one thread of a batch: its tid, what the call needs beside it, its result */
struct tracer_batch_item
{
	pid_t tid;
	bool single_step;          /* tracer_resume_many: whether it steps */
	struct cpu_state *state;   /* tracer_state_many: where its state goes */
	enum tracer_result result; /* as of tracer_pause, tracer_resume or tracer_state */
};

/**
 * Pause, or resume, every thread of `items` in one hand-over to the tracer
 * thread: the pauses are asked of all threads before the first stop is
 * waited for, so they stop together. Returns once every item has its result.
 */
void tracer_pause_many(struct tracer *tracer, struct tracer_batch_item *items, unsigned count);
void tracer_resume_many(struct tracer *tracer, struct tracer_batch_item *items, unsigned count);

/**
 * Continue a stopped thread. The exception signal of its stop is dropped; a
 * signal that came during a pause is delivered.
 *
 * \param single_step  stop again after one instruction (exception STEP, or
 *                     whatever that instruction raises)
 * \return TRACER_OK, TRACER_NOT_STOPPED (it runs: nothing changed),
 *         TRACER_NO_SUCH_THREAD, TRACER_EXITED, TRACER_FAILED
 */
enum tracer_result tracer_resume(struct tracer *tracer, pid_t tid, bool single_step)
    __attribute__((warn_unused_result));

/**
 * Continue a thread that an exception stopped and deliver the exception's
 * signal to it, as if it were not traced: the thread's handler runs, or the
 * signal's default action (for a fault: the end of the process, which then
 * comes as usual, THREAD_EXITED and PROCESS_EXITED). For processes that handle
 * their own faults (hybrid components). A thread held by a pause without an
 * exception is continued as by tracer_resume.
 *
 * \return TRACER_OK, TRACER_NOT_STOPPED (it runs: nothing changed),
 *         TRACER_NO_SUCH_THREAD, TRACER_EXITED, TRACER_FAILED
 */
enum tracer_result tracer_deliver(struct tracer *tracer, pid_t tid)
    __attribute__((warn_unused_result));

/**
 * Read the state of a stopped thread: general registers, fs/gs base, the
 * FXSAVE area, debug registers 0-3, 6 and 7, and stopped, exception and
 * fault_address of its stop.
 *
 * \return TRACER_OK, TRACER_NOT_STOPPED (`state` is zeroed), TRACER_NO_SUCH_THREAD,
 *         TRACER_EXITED, TRACER_FAILED
 */
enum tracer_result tracer_state(struct tracer *tracer, pid_t tid, struct cpu_state *state)
    __attribute__((warn_unused_result));

/** tracer_state for every thread of `items` in one hand-over to the tracer thread */
void tracer_state_many(struct tracer *tracer, struct tracer_batch_item *items, unsigned count);

/**
 * Write the registers, the FXSAVE area and the debug registers of a stopped
 * thread; exception, stopped and fault_address are ignored. A changed rip
 * also cancels the restart of a system call that the stop interrupted (as a
 * debugger expects: execution continues exactly at the new rip).
 *
 * \return TRACER_OK, TRACER_NOT_STOPPED, TRACER_INVALID_STATE (nothing
 *         changed), TRACER_NO_SUCH_THREAD, TRACER_EXITED, TRACER_FAILED
 */
enum tracer_result tracer_set_state(struct tracer *tracer, pid_t tid,
                                    struct cpu_state const *state)
    __attribute__((warn_unused_result));

/**
 * SIGKILL process `pid` and return once it is reaped: its THREAD_EXITED and
 * PROCESS_EXITED events are queued by then.
 *
 * \return TRACER_OK, TRACER_NO_SUCH_THREAD (`pid` is not a traced process),
 *         TRACER_FAILED
 */
enum tracer_result tracer_kill_process(struct tracer *tracer, pid_t pid)
    __attribute__((warn_unused_result));

/**
 * End one thread while its process runs on: stop it, point rip at the
 * `syscall` instruction at `syscall_gadget` in the thread's address space
 * with rax = SYS_exit and rdi = 0, and continue it. Returns once the thread
 * has exited (THREAD_EXITED is queued by then).
 *
 * \return TRACER_OK, TRACER_INVALID_GADGET (it raised an exception instead:
 *         the thread is paused with its state from before), TRACER_NO_SUCH_THREAD,
 *         TRACER_EXITED, TRACER_FAILED
 */
enum tracer_result tracer_kill_thread(struct tracer *tracer, pid_t tid, uint64_t syscall_gadget)
    __attribute__((warn_unused_result));

/**
 * The process of a live traced thread: how core checks a component's claim
 * that `tid` is one of its threads.
 *
 * \return the pid, or 0 if `tid` is not traced or has exited
 */
pid_t tracer_thread_of(struct tracer *tracer, pid_t tid) __attribute__((warn_unused_result));

#endif /* _CORE_LINUX_TRACER_H_ */
