/* SPDX-License-Identifier: MIT */
/**
 * \brief run control: what a debugger does with the child's threads, in
 *        all-stop mode, on the virtual CPU and RM sessions
 *
 * Threads are named by core's thread id (never 0). Stops: an exception of a
 * thread (a trap, a step, a debug-register hit, a fault) stops that thread
 * at core and signals the monitor's exception handler (virtual_cpu.h). The
 * monitor's event loop then calls run_control_poll, which finds the stopped
 * thread, pauses every other thread of the child (all-stop), and reports
 * the stop with its reason. Not every stop is reported: a step of a range
 * step that goes on (run_control_step_range) is followed by the next step at
 * once while the others run on, and a stale stop (below) lets its thread go
 * on; the poll then answers RUN_CONTROL_RUNNING although a thread stopped
 * for a moment. Stops of further threads found meanwhile stay
 * pending: each is reported by a later poll, and while one is pending a
 * resume resumes nothing (so the debugger learns of it at once), as
 * gdbserver does.
 *
 * Corrections at the stop: a thread stopped by an int3 of an inserted
 * software breakpoint gets its ip set back to the breakpoint's address, at
 * once; an int3 of the child's own code is reported as a trap with the ip
 * after it.
 *
 * Stale stops: a trap can outlive the point that raised it. Two threads hit
 * one breakpoint at once; one is reported, the other's stop waits (pending),
 * or its trap is still on its way in the kernel when the all-stop pauses it
 * and arrives only when it is resumed; meanwhile the debugger removed the
 * point. Such a stop is not reported: the thread goes on as if the point
 * had never been there. Run control checks at two moments:
 *   - when it classifies a stop: an int3 at the address of a breakpoint that
 *     was removed (the byte there is no int3 any more) gets its ip set back
 *     to that address; a debug-register hit (dr6) of a register that no
 *     inserted point uses now (or an instruction breakpoint's register that
 *     now holds another address, or any debug-register trap while no
 *     register is in use) is dropped. A thread that run control had
 *     resumed is resumed again at once, silently; one that a pause met stays
 *     paused, with nothing to report;
 *   - when a pending stop (held or not) would be the answer to a
 *     resumption (resume_all, thread_resume, thread_pending) or to an
 *     interrupt: if its breakpoint, hardware breakpoint or watchpoint is no
 *     longer inserted, it is dropped and the thread counts as paused
 *     (resume_all resumes it). A breakpoint's thread stands at the
 *     breakpoint's address: if the point is inserted again, the thread hits
 *     it again when it runs. (Not in poll: its pending stops are new.)
 * dr6 is core's: it clears the hit bits at the trap and the stop's dr6 at
 * the resume; run control never clears it (a hit whose trap is still on
 * its way is named there only).
 *
 * Breakpoints: software breakpoints are int3 bytes written into the child's
 * text through child memory (text is a RAM dataspace); reads through
 * run_control_memory_read show the original bytes and writes keep the int3
 * in place. Hardware breakpoints and watchpoints are a debug-register plan
 * (debug_registers.h) written into each thread before it is resumed.
 *
 * Threads of the monitor: run control is used by one thread (the
 * debugger's); it holds the virtual CPU's lock while it works, so the
 * entrypoint's thread may add or drop records meanwhile only between calls.
 * run_control_initial_stop_arm and run_control_child_exited are the
 * exceptions: the child framework calls them from the entrypoint's thread.
 */

#ifndef _GDB_MONITOR_RUN_CONTROL_H_
#define _GDB_MONITOR_RUN_CONTROL_H_

#include <gdb_monitor/child_memory.h>
#include <gdb_monitor/debug_registers.h>
#include <gdb_monitor/virtual_cpu.h>
#include <gdb_monitor/virtual_rm.h>

/*
 * Software breakpoints at once (GDB's `rbreak` on a file sets hundreds), and
 * the addresses where they were removed lately: as many, for GDB removes them
 * all at every stop, and a trap at any of them that comes late is stale
 */
enum {
	RUN_CONTROL_BREAKPOINTS_MAX = 1024,
	RUN_CONTROL_REMOVED_MAX = RUN_CONTROL_BREAKPOINTS_MAX
};

/** why a thread stopped, as reported */
enum run_control_stop_reason {
	RUN_CONTROL_STOP_NONE = 0,      /* no stop classified (yet): never in a reported
	                                   stop, only in a thread's state */
	RUN_CONTROL_STOP_INITIAL,       /* the main thread at its first instruction (start mode
	                                   "stopped"); ip is the entry point */
	RUN_CONTROL_STOP_INTERRUPT,     /* paused on request (run_control_interrupt) */
	RUN_CONTROL_STOP_STEP,          /* a single step completed */
	RUN_CONTROL_STOP_SW_BREAKPOINT, /* an inserted software breakpoint; ip is its address */
	RUN_CONTROL_STOP_HW_BREAKPOINT, /* a hardware breakpoint; address is its address */
	RUN_CONTROL_STOP_WATCHPOINT,    /* a watchpoint; address and watch as inserted */
	RUN_CONTROL_STOP_TRAP,          /* an int3 of the child's own code (ip after it), or
	                                   a debug trap whose dr6 names no register */
	RUN_CONTROL_STOP_PAGE_FAULT,    /* access where no region is; address is the fault's */
	RUN_CONTROL_STOP_ILLEGAL,       /* invalid instruction */
	RUN_CONTROL_STOP_ARITHMETIC,    /* divide error and friends */
	RUN_CONTROL_STOP_BUS,           /* misaligned, or beyond a backing object */
};

/** what a watchpoint watches */
enum run_control_watch {
	RUN_CONTROL_WATCH_WRITE = 0,
	RUN_CONTROL_WATCH_READ,   /* x86 has no read-only watch: reads and writes trigger it */
	RUN_CONTROL_WATCH_ACCESS, /* reads and writes */
};

struct run_control_stop
{
	uint32_t reason;  /* enum run_control_stop_reason */
	uint64_t thread;  /* the thread's id */
	uint64_t ip;      /* the thread's ip after the corrections above */
	uint64_t address; /* fault address, watchpoint or hardware breakpoint address */
	uint64_t length;  /* the watched length */
	uint32_t watch;   /* enum run_control_watch, for a watchpoint */
};

/** a thread as run control lists it */
struct run_control_thread
{
	uint64_t id;
	char name[CPU_THREAD_NAME_MAX];
	bool started;       /* seen running; false: created, not started yet */
	bool stopped;       /* stopped at core (paused or by an exception) */
	bool pending;       /* has a stop that is not reported yet */
	uint32_t exception; /* enum cpu_exception, core's */
	uint32_t reason;    /* enum run_control_stop_reason of the stop as run control classified
	                       it; RUN_CONTROL_STOP_NONE if it runs or is not classified yet */
};

/* run control's knowledge of one thread, beside the virtual CPU's record of the same index */
struct run_control_thread_state
{
	uint64_t id; /* of the record it belongs to: another id means another thread */
	bool started, running, stepping;
	bool stop_pending; /* classified, not reported yet */
	bool stop_held;    /* pending, and the thread was left stopped when others were
	                      resumed: reported only when it is resumed itself */
	uint32_t debug_generation;
	struct run_control_stop stop; /* the current stop as classified (pending or reported);
	                                 reason RUN_CONTROL_STOP_NONE: none classified */
	bool state_valid;             /* `state` is the stopped thread's, as core has it */
	struct cpu_state state;       /* read or written while stopped; dropped when it runs */
};

struct run_control_breakpoint
{
	bool used;
	uint64_t address;
	uint8_t original;
};

struct run_control_watchpoint
{
	bool used;
	uint32_t watch; /* enum run_control_watch */
	uint64_t address, length;
};

struct run_control_stats
{
	uint64_t polls, stops, resumes, steps;
	uint64_t pauses;         /* threads that a pause of all stopped: they ran (not those
	                            held already, stopped by their own exception, or not
	                            started) */
	uint64_t stale;          /* stops of points removed meanwhile, dropped (not reported) */
	uint64_t states_batched; /* `states` calls to core: the registers of up to
	                            CPU_STATES_MAX threads */
	uint64_t states_single;  /* register reads of one thread alone, a call to core each */
	uint64_t range_steps;    /* steps of a range step that went on unreported */
};

/* where rc->table came from, as far as it still holds (nothing resumed since) */
enum run_control_table_source {
	RUN_CONTROL_TABLE_OLD = 0, /* an older look, or threads were resumed since: ask core */
	RUN_CONTROL_TABLE_PAUSE,   /* a pause of all: still true, a look asks core nothing */
};

/* range stepping (vCont's `r`): the thread steps on while it stops at an ip in [start, end) */
struct run_control_range
{
	uint64_t thread; /* 0: no range */
	uint64_t start, end;
};

struct run_control
{
	struct virtual_cpu *cpu;
	struct virtual_rm *rm;
	/* guarded by cpu->lock */
	struct run_control_thread_state threads[VIRTUAL_CPU_THREADS_MAX];
	struct run_control_breakpoint breakpoints[RUN_CONTROL_BREAKPOINTS_MAX];
	unsigned breakpoints_top; /* the slots after it are free: the scans end there */
	struct run_control_watchpoint watchpoints[DEBUG_REGISTERS_SLOTS];
	struct debug_registers debug;
	uint32_t debug_generation; /* changes with the plan */
	unsigned next_report;      /* the thread index a poll looks at first (fairness) */
	/* core's status of the child's threads, as the last threads or pause_all gave it */
	struct cpu_thread_status table[CPU_THREAD_STATUS_MAX];
	unsigned table_count;
	struct cpu_state states[CPU_STATES_MAX]; /* the reply of a `states` call (off the stack) */
	enum run_control_table_source table_source;
	uint64_t last_thread;                  /* of the last stop reported */
	struct run_control_breakpoint initial; /* the int3 at the entry point, while armed */
	/* where software breakpoints were removed lately (distinct, the oldest replaced
	   first): an int3 trap at one of them is stale */
	uint64_t removed[RUN_CONTROL_REMOVED_MAX];
	unsigned removed_count; /* removed[0, removed_count) are in use: all once it wrapped */
	unsigned removed_next;  /* the entry the next removal takes (the oldest once wrapped) */
	struct run_control_range range;
	bool exited;
	int exit_code;
	struct run_control_stats stats;
};

enum run_control_result {
	RUN_CONTROL_OK = 0,
	RUN_CONTROL_RUNNING,          /* nothing to report: the threads run (a range-stepping
	                                 one stops between its steps, unreported) */
	RUN_CONTROL_EXITED,           /* the child exited, or every thread of it is gone */
	RUN_CONTROL_STOP_PENDING,     /* a stop is not reported yet: nothing was resumed, poll */
	RUN_CONTROL_UNKNOWN_THREAD,   /* no such thread (never, not started, or gone) */
	RUN_CONTROL_NOT_STOPPED,      /* the thread runs: stop it first */
	RUN_CONTROL_NO_SLOT,          /* the breakpoint table or the debug registers are full */
	RUN_CONTROL_INVALID_ARGUMENT, /* a length, alignment or kind the hardware cannot watch */
	RUN_CONTROL_NOT_FOUND,        /* remove of a point that is not inserted */
	RUN_CONTROL_UNMAPPED,         /* the address is not (writeable) memory of the child */
	RUN_CONTROL_REFUSED,          /* core refused (e.g. register values it cannot set) */
};

/** set up run control of the child behind `cpu` and `rm` (both outlive it) */
void run_control_init(struct run_control *rc, struct virtual_cpu *cpu, struct virtual_rm *rm);

/**
 * Look for a stop to report, after a signal of the exception handler (core
 * signals every exception and a thread's end by itself). A held stop (of a
 * thread that was left stopped while others were resumed) is not reported
 * here: the debugger resumed only the others, and expects only their stops.
 *
 * \return RUN_CONTROL_OK        with `*stop`: every thread is paused now
 *         RUN_CONTROL_RUNNING   nothing to report now: no thread stopped, or
 *                               only with a stop that is not reported: a step
 *                               of a range step that went on, a stale stop
 *                               (its thread went on), a held stop, or one
 *                               that core could not give the registers of
 *                               yet (it stays stopped; the next poll tries)
 *         RUN_CONTROL_EXITED    the child is gone (run_control_exit_code)
 */
enum run_control_result run_control_poll(struct run_control *rc, struct run_control_stop *stop)
    __attribute__((warn_unused_result));

/**
 * Pause every thread (Ctrl-C, or attaching to a running child) and report a
 * stop. A range step ends here: if the pause met the ranged thread's step,
 * that step's stop is dropped (the thread counts as paused, its reason
 * RUN_CONTROL_STOP_INTERRUPT), and the ranged thread counts as the one last
 * reported. Pending stops whose point was removed are dropped too (stale,
 * above). The stop reported is a pending one that is left (held ones too),
 * else RUN_CONTROL_STOP_INTERRUPT of the thread last reported (or of the
 * started thread with the lowest id).
 *
 * \return RUN_CONTROL_OK with `*stop`, RUN_CONTROL_EXITED, or
 *         RUN_CONTROL_RUNNING if no thread has started yet
 */
enum run_control_result run_control_interrupt(struct run_control *rc,
                                              struct run_control_stop *stop)
    __attribute__((warn_unused_result));

/**
 * Resume every thread that run control has stopped or seen stopped, without
 * single-stepping (threads resumed already go on as they are). Pending stops
 * whose point was removed are dropped first (stale, above).
 *
 * \return RUN_CONTROL_OK, RUN_CONTROL_STOP_PENDING (nothing resumed), or
 *         RUN_CONTROL_REFUSED (core resumed nothing)
 */
enum run_control_result run_control_resume_all(struct run_control *rc)
    __attribute__((warn_unused_result));

/**
 * Resume every thread as run_control_resume_all does, but single-step
 * `thread` (vCont's "step one, continue the rest", in one call to core).
 *
 * \return as run_control_resume_all, or RUN_CONTROL_UNKNOWN_THREAD
 */
enum run_control_result run_control_resume_all_stepping(struct run_control *rc, uint64_t thread)
    __attribute__((warn_unused_result));

/**
 * Range stepping (vCont's `r start,end`): from the next resumption that
 * single-steps `thread` on, each step of it that ends at an ip in [start,
 * end) where no breakpoint (software or hardware) is inserted is followed by
 * the next step at once, unreported, while the other threads run on as they
 * were resumed. Any other stop (another reason, another ip, another
 * thread's, an interrupt) is reported as usual, and a report ends the range.
 * `thread` 0 or an empty range: none, each step is reported.
 */
void run_control_step_range(struct run_control *rc, uint64_t thread, uint64_t start,
                            uint64_t end);
/**
 * Resume one thread, single-stepping it if `step`: a step ends with a stop
 * (RUN_CONTROL_STOP_STEP, or whatever the instruction raised). The other
 * threads stay as they are (vCont: step one, then resume_all for "c" of the
 * rest).
 *
 * The pending stops of the other threads are held (see run_control_poll).
 *
 * \return RUN_CONTROL_OK, RUN_CONTROL_STOP_PENDING (this thread has a stop
 *         not reported yet: nothing resumed, poll reports it),
 *         RUN_CONTROL_UNKNOWN_THREAD, or RUN_CONTROL_REFUSED
 */
enum run_control_result run_control_thread_resume(struct run_control *rc, uint64_t thread,
                                                  bool step)
    __attribute__((warn_unused_result));

/**
 * Whether `thread` has a stop not reported yet; if so, it is no longer held,
 * and the next poll reports it. A debugger asks this of every thread it is
 * about to resume before it resumes any, so that nothing runs when the
 * answer to the resumption is a stop that happened already.
 */
bool run_control_thread_pending(struct run_control *rc, uint64_t thread)
    __attribute__((warn_unused_result));

/**
 * Take in what a signal of core's told while the debugger holds the child
 * stopped: the end of a thread, or the stop of one that the all-stop could
 * not pause (not named to core yet). Such a stop is pending from now on and
 * answers the next resumption; its signal does not come again. Core is asked
 * at once (`threads`), also while the table of the last pause of all does
 * for run_control_threads_list (nothing resumed since).
 */
void run_control_signalled(struct run_control *rc);

/**
 * The threads of the child, started or not, into `threads` (at most `max`)
 * in the order of their ids, each with its state at core, all from one
 * table of core's. The threads that ended are dropped from the record and
 * new stops are taken in first, from the same table: one `threads` call to
 * core, none while the last pause of all's table holds (nothing resumed
 * since). A failed call, or a stale stop whose thread goes on again, costs
 * a second call, so that the list shows what core says now; that second
 * table is listed as run_control_threads_peek would, not taken in (a stop
 * in it shows reason RUN_CONTROL_STOP_NONE).
 *
 * \return how many threads `threads` holds
 */
unsigned run_control_threads_list(struct run_control *rc, struct run_control_thread *threads,
                                  unsigned max);

/**
 * For tests: the threads as run_control_threads_list gives them, but with
 * no stop taken in and no ended thread dropped (only a thread that core
 * says started is marked so): a stop that run control has not classified
 * shows as core's exception only (test-monitor-core looks so at a stop
 * that run control must not see yet, test-gdb_server at pending stops).
 * The table is the last pause of all's while nothing was resumed since,
 * else core is asked.
 *
 * \return how many threads `threads` holds
 */
unsigned run_control_threads_peek(struct run_control *rc, struct run_control_thread *threads,
                                  unsigned max);

/**
 * The registers of a stopped thread.
 *
 * \return RUN_CONTROL_OK, RUN_CONTROL_NOT_STOPPED or RUN_CONTROL_UNKNOWN_THREAD
 */
enum run_control_result run_control_thread_state(struct run_control *rc, uint64_t thread,
                                                 struct cpu_state *state)
    __attribute__((warn_unused_result));

/**
 * Write the registers of a stopped thread (the read-only fields of `state`
 * are ignored; the debug registers are run control's and are kept).
 *
 * \return RUN_CONTROL_OK, RUN_CONTROL_NOT_STOPPED, RUN_CONTROL_UNKNOWN_THREAD,
 *         or RUN_CONTROL_REFUSED (a value core cannot set; nothing changed)
 */
enum run_control_result run_control_thread_set_state(struct run_control *rc, uint64_t thread,
                                                     struct cpu_state const *state)
    __attribute__((warn_unused_result));

/**
 * Insert a software breakpoint (an int3) at `address`; inserting one twice
 * is fine.
 *
 * \return RUN_CONTROL_OK, RUN_CONTROL_UNMAPPED (no writeable memory there),
 *         or RUN_CONTROL_NO_SLOT
 */
enum run_control_result run_control_breakpoint_insert(struct run_control *rc, uint64_t address)
    __attribute__((warn_unused_result));

/** remove it: RUN_CONTROL_OK or RUN_CONTROL_NOT_FOUND */
enum run_control_result run_control_breakpoint_remove(struct run_control *rc, uint64_t address)
    __attribute__((warn_unused_result));

/**
 * Insert a hardware breakpoint at `address`; in effect from the next resume
 * of each thread.
 *
 * \return RUN_CONTROL_OK or RUN_CONTROL_NO_SLOT
 */
enum run_control_result run_control_hw_breakpoint_insert(struct run_control *rc,
                                                         uint64_t address)
    __attribute__((warn_unused_result));

/** remove it: RUN_CONTROL_OK or RUN_CONTROL_NOT_FOUND */
enum run_control_result run_control_hw_breakpoint_remove(struct run_control *rc,
                                                         uint64_t address)
    __attribute__((warn_unused_result));

/**
 * Watch `length` bytes at `address`; in effect from the next resume of each
 * thread (a thread created later gets it when it is resumed after a stop).
 *
 * \return RUN_CONTROL_OK, RUN_CONTROL_NO_SLOT (it needs more debug registers
 *         than are free), or RUN_CONTROL_INVALID_ARGUMENT
 */
enum run_control_result run_control_watchpoint_insert(struct run_control *rc,
                                                      enum run_control_watch watch,
                                                      uint64_t address, uint64_t length)
    __attribute__((warn_unused_result));

/** remove the watchpoint inserted with the same arguments */
enum run_control_result run_control_watchpoint_remove(struct run_control *rc,
                                                      enum run_control_watch watch,
                                                      uint64_t address, uint64_t length)
    __attribute__((warn_unused_result));

/** child_memory_read, with the original bytes where software breakpoints are */
struct child_memory_copy_ret run_control_memory_read(struct run_control *rc, uint64_t address,
                                                     void *buffer, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * child_memory_visit with the original bytes where software breakpoints
 * are: a piece is split at each int3 of an inserted breakpoint, and the
 * visitor gets the original byte there as a piece of its own. The fast
 * path of a debugger's memory reads (straight from the window into the
 * reply). The visitor must not call run control, child memory or the
 * virtual RM.
 */
struct child_memory_copy_ret run_control_memory_visit(struct run_control *rc, uint64_t address,
                                                      uint64_t size,
                                                      child_memory_visitor visitor, void *state)
    __attribute__((warn_unused_result));

/** child_memory_write that keeps inserted breakpoints (their original bytes change) */
struct child_memory_copy_ret run_control_memory_write(struct run_control *rc, uint64_t address,
                                                      void const *buffer, uint64_t size)
    __attribute__((warn_unused_result));

/**
 * Remove every breakpoint and watchpoint and resume every thread, pending
 * stops included: the child runs on as if never debugged. Stops that core
 * holds but run control has not seen yet are taken in first (an int3 of a
 * breakpoint gets its ip set back); a trap that arrives later is stale and
 * the next poll resumes its thread.
 */
void run_control_detach(struct run_control *rc);

/**
 * Stop the main thread at its first instruction `ip` (start mode "stopped"):
 * an int3 there, which the first poll turns into RUN_CONTROL_STOP_INITIAL
 * with the original byte back. Called before the thread starts (from the
 * virtual CPU's start hook, in the entrypoint's thread).
 *
 * \return false (logged) if the byte at `ip` cannot be written
 */
bool run_control_initial_stop_arm(struct run_control *rc, uint64_t ip)
    __attribute__((warn_unused_result));

/** the child said it exited with `code` (from the entrypoint's thread) */
void run_control_child_exited(struct run_control *rc, int code);

/** the exit code, once run_control_poll returned RUN_CONTROL_EXITED (-1: none given) */
int run_control_exit_code(struct run_control *rc);

/** the counters, copied */
struct run_control_stats run_control_stats(struct run_control *rc);

#endif /* _GDB_MONITOR_RUN_CONTROL_H_ */
