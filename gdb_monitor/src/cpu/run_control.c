/* SPDX-License-Identifier: MIT */
/**
 * \brief run control: stops found and reported in all-stop mode, pause,
 *        resume and single step, thread state
 *
 * Every function here holds the virtual CPU's lock (cpu->lock) while it
 * works, and asks only core (the real CPU session and core's thread
 * capabilities) and the child's memory.
 */

#include <base/lock_guard.h>
#include <base/log.h>
#include <util/string.h>

#include "run_control_private.h"

void run_control_init(struct run_control *rc, struct virtual_cpu *cpu, struct virtual_rm *rm)
{
	memory_set(rc, 0, sizeof(*rc));
	rc->cpu = cpu;
	rc->rm = rm;
	debug_registers_init(&rc->debug);
}

static int run_control_index_of(struct run_control *rc, uint64_t id)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (rc->cpu->threads[i].used && rc->cpu->threads[i].id == id) return (int)i;
	return -1;
}

static void run_control_drop(struct run_control *rc, unsigned index)
{
	virtual_cpu_thread_drop(rc->cpu, &rc->cpu->threads[index]);
	rc->threads[index] = (struct run_control_thread_state){ 0 };
}

/* every thread of the child ended (and there was one) */
static bool run_control_gone(struct run_control *rc)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (rc->cpu->threads[i].used) return false;
	return rc->cpu->stats.created > 0;
}

/* ---- classifying a stop ------------------------------------------------------------ */

/* classifying tells whether a stop is reported or stale (its point was removed meanwhile) */
enum run_control_classified {
	RUN_CONTROL_CLASSIFIED_REPORT = 0, /* pending from now on */
	RUN_CONTROL_CLASSIFIED_STALE,      /* nothing to report: the thread may go on */
	RUN_CONTROL_CLASSIFIED_LATER,      /* core could not give the state: next time */
};

static enum run_control_classified
run_control_classify_breakpoint(struct run_control *rc, struct cpu_state *state,
                                struct run_control_stop *stop, bool *ip_back)
{
	uint64_t at = state->rip - 1;
	enum run_control_classified classified = RUN_CONTROL_CLASSIFIED_REPORT;
	if (rc->initial.used && rc->initial.address == at) {
		run_control_breakpoint_restore(rc, &rc->initial);
		rc->initial.used = false;
		stop->reason = RUN_CONTROL_STOP_INITIAL;
		*ip_back = true;
	} else if (run_control_breakpoint_find(rc, at)) {
		stop->reason = RUN_CONTROL_STOP_SW_BREAKPOINT;
		*ip_back = true;
	} else if (run_control_breakpoint_removed(rc, at)) {
		/* the original instruction is back: the thread executes it when it goes on */
		stop->reason = RUN_CONTROL_STOP_SW_BREAKPOINT;
		*ip_back = true;
		classified = RUN_CONTROL_CLASSIFIED_STALE;
	} else {
		stop->reason = RUN_CONTROL_STOP_TRAP;
	}
	if (*ip_back) state->rip = at;
	return classified;
}

static enum run_control_classified
run_control_classify_debug(struct run_control *rc, struct cpu_state const *state,
                           struct run_control_thread_state const *s,
                           struct run_control_stop *stop)
{
	uint64_t dr6 = state->dr[6];
	struct debug_register_slot const *slot = debug_registers_hit(&rc->debug, dr6);
	if (!slot) {
		stop->reason = s->stepping ? RUN_CONTROL_STOP_STEP : RUN_CONTROL_STOP_TRAP;
		/*
		 * A hit of a register that no point uses now, or any debug-register
		 * trap while none is in use (dr6 may have lost the hit: a state written
		 * between the hit and its trap): its point was removed meanwhile
		 */
		if (!s->stepping &&
		    ((dr6 & DEBUG_REGISTERS_DR6_HITS) || debug_registers_dr7(&rc->debug) == 0))
			return RUN_CONTROL_CLASSIFIED_STALE;
		return RUN_CONTROL_CLASSIFIED_REPORT;
	}
	stop->address = slot->address;
	stop->length = slot->length;
	if (slot->kind == DEBUG_REGISTER_EXECUTE) {
		stop->reason = RUN_CONTROL_STOP_HW_BREAKPOINT;
		/* an instruction breakpoint stops at its address: else the register was reused */
		return state->rip == slot->piece ? RUN_CONTROL_CLASSIFIED_REPORT
		                                 : RUN_CONTROL_CLASSIFIED_STALE;
	}
	struct run_control_watchpoint const *w = run_control_watchpoint_of(rc, slot);
	stop->reason = RUN_CONTROL_STOP_WATCHPOINT;
	stop->watch = w                                    ? w->watch
	              : slot->kind == DEBUG_REGISTER_WRITE ? RUN_CONTROL_WATCH_WRITE
	                                                   : RUN_CONTROL_WATCH_ACCESS;
	return w ? RUN_CONTROL_CLASSIFIED_REPORT : RUN_CONTROL_CLASSIFIED_STALE;
}

/*
 * Turn the exception of a stopped thread into its stop: pending from now on,
 * or stale (nothing to report; the thread stays stopped until resumed). An
 * int3 of an inserted or removed breakpoint gets the ip set back at once.
 */
static enum run_control_classified run_control_classify(struct run_control *rc, unsigned index,
                                                        uint32_t exception)
{
	struct virtual_cpu_thread *t = &rc->cpu->threads[index];
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	struct cpu_state state;
	if (run_control_state_read(rc, index, &state) != CPU_OK)
		return RUN_CONTROL_CLASSIFIED_LATER;

	struct run_control_stop stop = { .thread = t->id };
	enum run_control_classified classified = RUN_CONTROL_CLASSIFIED_REPORT;
	bool ip_back = false;
	switch (exception) {
	case CPU_EXCEPTION_BREAKPOINT:
		classified = run_control_classify_breakpoint(rc, &state, &stop, &ip_back);
		break;
	case CPU_EXCEPTION_WATCHPOINT:
		classified = run_control_classify_debug(rc, &state, s, &stop);
		break;
	case CPU_EXCEPTION_STEP:
		stop.reason = RUN_CONTROL_STOP_STEP;
		break;
	case CPU_EXCEPTION_PAGE_FAULT:
		stop.reason = RUN_CONTROL_STOP_PAGE_FAULT;
		stop.address = state.fault_address;
		break;
	case CPU_EXCEPTION_ILLEGAL:
		stop.reason = RUN_CONTROL_STOP_ILLEGAL;
		break;
	case CPU_EXCEPTION_ARITHMETIC:
		stop.reason = RUN_CONTROL_STOP_ARITHMETIC;
		break;
	default:
		stop.reason = RUN_CONTROL_STOP_BUS;
		stop.address = state.fault_address;
		break;
	}
	if (ip_back && run_control_state_write(rc, index, &state) != CPU_OK) {
		log_error("run control: thread '%s': the ip could not be set back to 0x%lx", t->name,
		          (unsigned long)state.rip);
		state.rip++;
	}
	stop.ip = state.rip;
	s->stop = stop; /* its reason is never RUN_CONTROL_STOP_NONE: classified */
	s->started = true;
	s->stop_pending = classified == RUN_CONTROL_CLASSIFIED_REPORT;
	s->running = false;
	if (classified == RUN_CONTROL_CLASSIFIED_STALE) {
		rc->stats.stale++;
		log_info("run control: thread '%s' stopped at 0x%lx for a point removed meanwhile: "
		         "not reported",
		         t->name, (unsigned long)stop.ip);
	}
	return classified;
}

static enum run_control_result run_control_resume_locked(struct run_control *rc, unsigned index,
                                                         bool step);

/*
 * Take in core's table: drop the threads that ended, classify new stops. A
 * stale stop of a thread run control had resumed lets it go on if `resume_stale`
 * (a pause wants it to stay paused). True if a thread went on so: the table
 * says no more what it does.
 */
static bool run_control_table_apply(struct run_control *rc, bool resume_stale)
{
	bool resumed_any = false;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		struct virtual_cpu_thread *t = &rc->cpu->threads[i];
		if (!t->used) continue;
		struct cpu_thread_status const *st = run_control_record_status(rc, i);
		if (!st || st->exception == CPU_EXCEPTION_EXITED) {
			run_control_drop(rc, i);
			continue;
		}
		struct run_control_thread_state *s = run_control_state_of(rc, i);
		if (!st->started) {
			s->started = false;
			continue;
		}
		if (!st->stopped) continue;
		bool resumed = s->running; /* by run control: a stale stop lets it go on */
		s->started = true;
		s->running = false;
		if (!run_control_table_stop_new(rc, i, st)) continue;
		if (run_control_classify(rc, i, st->exception) != RUN_CONTROL_CLASSIFIED_STALE ||
		    !resumed || !resume_stale)
			continue;
		enum run_control_result r = run_control_resume_locked(rc, i, s->stepping);
		if (r == RUN_CONTROL_OK) resumed_any = true;
		if (r != RUN_CONTROL_OK && r != RUN_CONTROL_UNKNOWN_THREAD)
			log_warning("run control: thread '%s' not resumed after a stale stop (%d)", t->name,
			            (int)r);
	}
	return resumed_any;
}

/* ask core about every thread: drop those that ended, classify new stops */
static void run_control_observe(struct run_control *rc)
{
	if (run_control_table_get(rc, false)) (void)run_control_table_apply(rc, true);
}

/*
 * Whether the pause of all whose table rc->table holds stopped the thread of
 * record `i`: it ran before (run control's record, not taken in yet, says so)
 * and core's table says paused. Not a thread that was not started, that was
 * held already, or that the pause met stopped by an exception of its own.
 */
static bool run_control_paused_now(struct run_control *rc, unsigned i)
{
	struct cpu_thread_status const *st = run_control_record_status(rc, i);
	return st && st->started && st->stopped && st->exception == CPU_EXCEPTION_PAUSED &&
	       run_control_state_of(rc, i)->running;
}

/* pause every thread at once; the stops that the pause meets are classified. False if
 * core did not pause them */
static bool run_control_pause_locked(struct run_control *rc)
{
	if (!run_control_table_get(rc, true)) return false;
	rc->table_source = RUN_CONTROL_TABLE_PAUSE;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (run_control_paused_now(rc, i)) rc->stats.pauses++;
	/* the registers of every stopped thread without a copy, the stops to classify first: a
	 * debugger reads the reported thread's at once, and at a look at the threads (info
	 * threads, a backtrace of all) every other's, which then cost no call to core */
	run_control_states_gather(rc, -1, true);
	(void)run_control_table_apply(rc, false); /* resumes nothing */
	return true;
}

/* the index of the next thread with a pending stop, fairly, or -1; held stops count
 * only if `held` */
static int run_control_pending_next(struct run_control *rc, bool held)
{
	for (unsigned n = 0; n < VIRTUAL_CPU_THREADS_MAX; n++) {
		unsigned i = (rc->next_report + n) % VIRTUAL_CPU_THREADS_MAX;
		if (!rc->cpu->threads[i].used) continue;
		struct run_control_thread_state const *s = run_control_state_of(rc, i);
		if (s->stop_pending && (held || !s->stop_held)) return (int)i;
	}
	return -1;
}

/*
 * Whether the thread's stop waits to be reported. One whose point was
 * removed since it was classified is dropped (stale): the thread counts as
 * paused, and goes on from where the stop left it when it is resumed (an
 * int3's ip is at the breakpoint's address already).
 */
static bool run_control_pending_current(struct run_control *rc,
                                        struct run_control_thread_state *s)
{
	if (!s->stop_pending) return false;
	if (run_control_stop_current(rc, &s->stop)) return true;
	s->stop_pending = s->stop_held = false;
	rc->stats.stale++;
	log_info("run control: the stop of thread %lu at 0x%lx is for a point removed meanwhile: "
	         "dropped",
	         (unsigned long)s->id, (unsigned long)s->stop.ip);
	return false;
}

static enum run_control_result run_control_report(struct run_control *rc, unsigned index,
                                                  struct run_control_stop *stop)
{
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	s->stop_pending = s->stop_held = false;
	*stop = s->stop;
	rc->next_report = (index + 1) % VIRTUAL_CPU_THREADS_MAX;
	rc->last_thread = s->id;
	rc->range.thread = 0;
	rc->stats.stops++;
	return RUN_CONTROL_OK;
}

/* ---- stops -------------------------------------------------------------------------- */

static enum run_control_result run_control_resume_set(struct run_control *rc, int step,
                                                      bool const *only);

/*
 * Core's table shows a new stop: all-stop pauses every thread, and does so
 * before the stop is classified, so that the one call to core after the
 * pause brings the registers of all. If every new stop was stale, the
 * threads that ran before go on.
 */
static enum run_control_result run_control_poll_stopped(struct run_control *rc,
                                                        struct run_control_stop *stop)
{
	bool ran[VIRTUAL_CPU_THREADS_MAX];
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		ran[i] = rc->cpu->threads[i].used && run_control_state_of(rc, i)->running;
	if (!run_control_pause_locked(rc)) return RUN_CONTROL_RUNNING; /* the next poll tries */
	int index = run_control_pending_next(rc, false);
	if (index >= 0) return run_control_report(rc, (unsigned)index, stop);
	/* a stop not classified yet (core gave no state) stays stopped: the next poll tries */
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (ran[i] && run_control_record_stop_new(rc, i)) ran[i] = false;
	enum run_control_result r = run_control_resume_set(rc, -1, ran);
	if (r != RUN_CONTROL_OK)
		log_warning("run control: the threads paused for a stale stop were not resumed (%d)",
		            (int)r);
	return RUN_CONTROL_RUNNING;
}

/* the record of the thread that range-steps, or -1 */
static int run_control_range_index(struct run_control *rc)
{
	return rc->range.thread ? run_control_index_of(rc, rc->range.thread) : -1;
}

/*
 * Range stepping: whether the one new stop in core's table is a step of the
 * ranged thread to an ip in the range without a breakpoint. It then steps
 * on, unclassified, while the other threads run on: no pause of all, and
 * two calls to core per instruction (the table, which has the ip of a stop,
 * and the resume) instead of a round trip to the debugger.
 */
static bool run_control_range_step_on(struct run_control *rc)
{
	int index = run_control_range_index(rc);
	if (index < 0) return false;
	struct cpu_thread_status const *st = run_control_record_status(rc, (unsigned)index);
	if (!st || st->exception != CPU_EXCEPTION_STEP ||
	    !run_control_table_stop_new(rc, (unsigned)index, st))
		return false;
	if (run_control_table_any_new(rc, index)) return false;
	/* where the step ended: core's table has the ip of every exception stop of a thread
	 * that still exists (0 only for one that died meanwhile, whose resume fails below) */
	uint64_t ip = st->ip;
	if (ip < rc->range.start || ip >= rc->range.end || run_control_point_at(rc, ip))
		return false;
	if (run_control_resume_locked(rc, (unsigned)index, true) != RUN_CONTROL_OK) return false;
	rc->stats.range_steps++;
	return true;
}

void run_control_step_range(struct run_control *rc, uint64_t thread, uint64_t start,
                            uint64_t end)
{
	LOCK_GUARD(&rc->cpu->lock);
	rc->range = start < end ? (struct run_control_range){ thread, start, end }
	                        : (struct run_control_range){ 0, 0, 0 };
}

enum run_control_result run_control_poll(struct run_control *rc, struct run_control_stop *stop)
{
	LOCK_GUARD(&rc->cpu->lock);
	rc->stats.polls++;
	if (rc->exited) return RUN_CONTROL_EXITED;
	if (run_control_table_get(rc, false)) {
		if (run_control_range_step_on(rc)) return RUN_CONTROL_RUNNING;
		if (run_control_table_any_new(rc, -1)) return run_control_poll_stopped(rc, stop);
		(void)run_control_table_apply(rc, true);
	}
	if (run_control_gone(rc)) return RUN_CONTROL_EXITED;
	int index = run_control_pending_next(rc, false);
	if (index < 0) return RUN_CONTROL_RUNNING;
	run_control_pause_locked(rc); /* all-stop */
	return run_control_report(rc, (unsigned)index, stop);
}

/* the thread an interrupt names: the last one reported, else the lowest id started */
static int run_control_interrupt_thread(struct run_control *rc)
{
	int last = run_control_index_of(rc, rc->last_thread);
	if (last >= 0 && rc->last_thread && run_control_state_of(rc, (unsigned)last)->started)
		return last;
	int best = -1;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		if (!rc->cpu->threads[i].used || !run_control_state_of(rc, i)->started) continue;
		if (best < 0 || rc->cpu->threads[i].id < rc->cpu->threads[best].id) best = (int)i;
	}
	return best;
}

/*
 * An interrupt while a thread range-steps: the pause mostly meets the step it
 * is in (a step takes core and the monitor far longer than the instruction),
 * whose stop would answer the interrupt as a step, and GDB, still in its
 * `next`, would step on (in the range) or set a breakpoint where a call
 * returns and continue (out of it): the user's Ctrl-C lost. Such a stop is
 * dropped, wherever it ended, and the interrupt names the thread (as last
 * reported); GDB ends its `next` at a SIGINT anywhere.
 */
static void run_control_range_interrupted(struct run_control *rc)
{
	int index = run_control_range_index(rc);
	rc->range.thread = 0;
	if (index < 0) return;
	struct run_control_thread_state *s = run_control_state_of(rc, (unsigned)index);
	rc->last_thread = s->id;
	if (s->stop_pending && s->stop.reason == RUN_CONTROL_STOP_STEP) {
		s->stop_pending = s->stop_held = false;
		/* not reported, not classified again (the reason is not NONE): paused, as the
		 * interrupt left it, which `info threads` and `monitor threads` show */
		s->stop.reason = RUN_CONTROL_STOP_INTERRUPT;
	}
}

enum run_control_result run_control_interrupt(struct run_control *rc,
                                              struct run_control_stop *stop)
{
	LOCK_GUARD(&rc->cpu->lock);
	if (rc->exited) return RUN_CONTROL_EXITED;
	run_control_pause_locked(rc);
	run_control_range_interrupted(rc);
	/* every thread is paused now: a stale stop is dropped, its thread stays paused */
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (rc->cpu->threads[i].used)
			(void)run_control_pending_current(rc, run_control_state_of(rc, i));
	int index = run_control_pending_next(rc, true);
	if (index >= 0) return run_control_report(rc, (unsigned)index, stop);
	if (run_control_gone(rc)) return RUN_CONTROL_EXITED;

	index = run_control_interrupt_thread(rc);
	if (index < 0) return RUN_CONTROL_RUNNING;
	struct virtual_cpu_thread *t = &rc->cpu->threads[index];
	struct cpu_state state;
	if (run_control_state_read(rc, (unsigned)index, &state) != CPU_OK) state.rip = 0;
	*stop = (struct run_control_stop){ .reason = RUN_CONTROL_STOP_INTERRUPT,
		                               .thread = t->id,
		                               .ip = state.rip };
	rc->last_thread = t->id;
	rc->stats.stops++;
	return RUN_CONTROL_OK;
}

/* ---- resume ------------------------------------------------------------------------- */

/* releases every pending stop that was held (all threads are to be resumed: the next
 * polls report them; stale ones are dropped) and returns whether any stop is pending */
static bool run_control_release_pending(struct run_control *rc)
{
	bool any = false;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		if (!rc->cpu->threads[i].used) continue;
		struct run_control_thread_state *s = run_control_state_of(rc, i);
		if (run_control_pending_current(rc, s)) any = true, s->stop_held = false;
	}
	return any;
}

/* the pending stops of every thread but `index` are held: it alone is resumed */
static void run_control_hold_others(struct run_control *rc, unsigned index)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		if (i == index || !rc->cpu->threads[i].used) continue;
		struct run_control_thread_state *s = run_control_state_of(rc, i);
		if (s->stop_pending && !s->running) s->stop_held = true;
	}
}

bool run_control_thread_pending(struct run_control *rc, uint64_t thread)
{
	LOCK_GUARD(&rc->cpu->lock);
	int index = run_control_index_of(rc, thread);
	if (index < 0) return false;
	struct run_control_thread_state *s = run_control_state_of(rc, (unsigned)index);
	if (!run_control_pending_current(rc, s)) return false;
	s->stop_held = false;
	return true;
}

/* bring the thread's debug registers up to the plan (it must be stopped) */
static enum run_control_result run_control_debug_sync(struct run_control *rc, unsigned index)
{
	struct virtual_cpu_thread *t = &rc->cpu->threads[index];
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	if (s->debug_generation == rc->debug_generation) return RUN_CONTROL_OK;
	struct cpu_state state;
	enum cpu_session_result r = run_control_state_read(rc, index, &state);
	if (r == CPU_NOT_STOPPED) return RUN_CONTROL_OK; /* runs: at its next stop */
	if (r != CPU_OK) return RUN_CONTROL_UNKNOWN_THREAD;
	if (run_control_debug_apply(rc, &state) &&
	    run_control_state_write(rc, index, &state) != CPU_OK) {
		log_error("run control: thread '%s' refused the debug registers", t->name);
		return RUN_CONTROL_REFUSED;
	}
	s->debug_generation = rc->debug_generation;
	return RUN_CONTROL_OK;
}

/* core's single-step setting of the thread as `step` wants it */
static bool run_control_step_set(struct run_control *rc, unsigned index, bool step)
{
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	if (step == s->stepping) return true;
	if (cpu_session_single_step(rc->cpu->real, rc->cpu->threads[index].cap, step) != CPU_OK)
		return false;
	s->stepping = step;
	return true;
}

void run_control_table_outdated(struct run_control *rc)
{
	rc->table_source = RUN_CONTROL_TABLE_OLD;
}

/* core resumed the thread: its stop and its registers' copy are over */
static void run_control_resumed(struct run_control *rc, unsigned index)
{
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	s->running = true;
	s->stop_pending = s->stop_held = s->state_valid = false;
	s->stop.reason = RUN_CONTROL_STOP_NONE;
	run_control_table_outdated(rc);
	if (s->stepping)
		rc->stats.steps++;
	else
		rc->stats.resumes++;
}

static enum run_control_result run_control_resume_locked(struct run_control *rc, unsigned index,
                                                         bool step)
{
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	if (!s->started) return RUN_CONTROL_UNKNOWN_THREAD;
	enum run_control_result sync = run_control_debug_sync(rc, index);
	if (sync != RUN_CONTROL_OK) return sync;
	if (!run_control_step_set(rc, index, step)) return RUN_CONTROL_REFUSED;
	enum cpu_session_result r = cpu_session_resume(rc->cpu->real, rc->cpu->threads[index].cap);
	if (r == CPU_EXITED) {
		run_control_drop(rc, index);
		return RUN_CONTROL_UNKNOWN_THREAD;
	}
	if (r != CPU_OK) return RUN_CONTROL_REFUSED;
	run_control_resumed(rc, index);
	return RUN_CONTROL_OK;
}

/* resume every thread that run control stopped or saw stopped, all in one call to core;
 * the one at `step` (or none: -1) single-steps. With `only`, just the threads it marks,
 * each single-stepping as it did */
static enum run_control_result run_control_resume_set(struct run_control *rc, int step,
                                                      bool const *only)
{
	if (!only && run_control_release_pending(rc)) return RUN_CONTROL_STOP_PENDING;
	/* each thread made ready (debug registers, its single step), then all at once */
	bool resumed[VIRTUAL_CPU_THREADS_MAX] = { false };
	uint64_t ids[VIRTUAL_CPU_THREADS_MAX];
	size_t count = 0;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		struct virtual_cpu_thread *t = &rc->cpu->threads[i];
		if (!t->used) continue;
		struct run_control_thread_state *s = run_control_state_of(rc, i);
		if (!s->started || s->running || (only && !only[i])) continue;
		if (run_control_debug_sync(rc, i) != RUN_CONTROL_OK)
			log_warning(
			    "run control: thread '%s' resumed with its debug registers as they were",
			    t->name);
		if (!only && !run_control_step_set(rc, i, (int)i == step)) continue;
		resumed[i] = true;
		ids[count++] = t->id;
	}
	run_control_table_outdated(rc);
	enum cpu_session_result r = cpu_session_resume_threads(
	    rc->cpu->real, (struct rpc_buffer){ ids, count * sizeof(ids[0]) });
	if (r != CPU_OK) {
		log_warning("run control: core resumed no thread (%d)", (int)r);
		return RUN_CONTROL_REFUSED;
	}
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if (resumed[i]) run_control_resumed(rc, i);
	return RUN_CONTROL_OK;
}

enum run_control_result run_control_resume_all(struct run_control *rc)
{
	LOCK_GUARD(&rc->cpu->lock);
	return run_control_resume_set(rc, -1, NULL);
}

enum run_control_result run_control_resume_all_stepping(struct run_control *rc, uint64_t thread)
{
	LOCK_GUARD(&rc->cpu->lock);
	int index = run_control_index_of(rc, thread);
	if (index < 0 || !run_control_state_of(rc, (unsigned)index)->started)
		return RUN_CONTROL_UNKNOWN_THREAD;
	return run_control_resume_set(rc, index, NULL);
}

enum run_control_result run_control_thread_resume(struct run_control *rc, uint64_t thread,
                                                  bool step)
{
	LOCK_GUARD(&rc->cpu->lock);
	int index = run_control_index_of(rc, thread);
	if (index < 0) return RUN_CONTROL_UNKNOWN_THREAD;
	struct run_control_thread_state *s = run_control_state_of(rc, (unsigned)index);
	if (run_control_pending_current(rc, s)) {
		s->stop_held = false;
		return RUN_CONTROL_STOP_PENDING;
	}
	run_control_hold_others(rc, (unsigned)index);
	return run_control_resume_locked(rc, (unsigned)index, step);
}

void run_control_detach(struct run_control *rc)
{
	LOCK_GUARD(&rc->cpu->lock);
	/* stops that core holds already: int3s get their ip back while they are known */
	run_control_observe(rc);
	run_control_points_clear(rc);
	rc->range.thread = 0;
	if (rc->initial.used) run_control_breakpoint_restore(rc, &rc->initial);
	rc->initial.used = false;
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		if (!rc->cpu->threads[i].used) continue;
		struct run_control_thread_state *s = run_control_state_of(rc, i);
		s->stop_pending = s->stop_held = false;
		if (s->started && !s->running) (void)run_control_resume_locked(rc, i, false);
	}
}

/* ---- threads ------------------------------------------------------------------------ */

void run_control_signalled(struct run_control *rc)
{
	LOCK_GUARD(&rc->cpu->lock);
	/*
	 * Not gated by a pause's table as run_control_threads_list is: that
	 * source says that the pause's table holds because run control resumed
	 * nothing since, and core's signal while the child is held is the one
	 * news that this cannot cover (a thread that the pause could not hold, not
	 * named to core yet, stopped or ended). The signal does not come again: without a
	 * look now the stop would wait for some later signal, and an ended thread
	 * would stay listed. The look leaves the source as it is: after a pause,
	 * the table taken now holds as the pause's did (the others stay held), so
	 * it stays PAUSE and the next listing asks core nothing (clearing it to go
	 * the common way would cost that listing a `threads` call of its own). A
	 * stale stop whose thread run control resumes again makes it OLD, as every
	 * resume does.
	 */
	run_control_observe(rc);
}

/* the threads in the order of their ids (at most `max`), with core's word from rc->table */
static unsigned run_control_threads_fill(struct run_control *rc,
                                         struct run_control_thread *threads, unsigned max)
{
	unsigned count = 0;
	uint64_t above = 0; /* the id listed last: the next one is the lowest above it */
	while (count < max) {
		int found = -1;
		for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
			struct virtual_cpu_thread const *t = &rc->cpu->threads[i];
			if (t->used && t->id > above && (found < 0 || t->id < rc->cpu->threads[found].id))
				found = (int)i;
		}
		if (found < 0) break;
		struct virtual_cpu_thread *t = &rc->cpu->threads[found];
		struct run_control_thread_state *s = run_control_state_of(rc, (unsigned)found);
		struct cpu_thread_status const *st = run_control_record_status(rc, (unsigned)found);
		if (st && st->started) s->started = true;
		bool stopped = st && st->stopped;
		threads[count] =
		    (struct run_control_thread){ .id = t->id,
			                             .started = s->started,
			                             .stopped = stopped,
			                             .pending = s->stop_pending,
			                             .exception = st ? st->exception : 0,
			                             .reason =
			                                 stopped ? s->stop.reason : RUN_CONTROL_STOP_NONE };
		string_copy(threads[count].name, t->name, sizeof(threads[count].name));
		count++;
		above = t->id;
	}
	return count;
}

unsigned run_control_threads_list(struct run_control *rc, struct run_control_thread *threads,
                                  unsigned max)
{
	LOCK_GUARD(&rc->cpu->lock);
	/*
	 * All paused since the last look: the pause's table holds. Else one look
	 * that is taken in and listed; asked again if it failed, or if a stale
	 * stop's thread went on (the table says no more what that one does)
	 */
	if (rc->table_source != RUN_CONTROL_TABLE_PAUSE &&
	    (!run_control_table_get(rc, false) || run_control_table_apply(rc, true)))
		(void)run_control_table_get(rc, false);
	return run_control_threads_fill(rc, threads, max);
}

unsigned run_control_threads_peek(struct run_control *rc, struct run_control_thread *threads,
                                  unsigned max)
{
	LOCK_GUARD(&rc->cpu->lock);
	if (rc->table_source != RUN_CONTROL_TABLE_PAUSE) (void)run_control_table_get(rc, false);
	return run_control_threads_fill(rc, threads, max);
}

static enum run_control_result run_control_result_of(enum cpu_session_result r)
{
	switch (r) {
	case CPU_OK:
		return RUN_CONTROL_OK;
	case CPU_NOT_STOPPED:
		return RUN_CONTROL_NOT_STOPPED;
	case CPU_EXITED:
	case CPU_NOT_STARTED:
	case CPU_INVALID_ARGUMENT:
		return RUN_CONTROL_UNKNOWN_THREAD;
	default:
		return RUN_CONTROL_REFUSED;
	}
}

enum run_control_result run_control_thread_state(struct run_control *rc, uint64_t thread,
                                                 struct cpu_state *state)
{
	LOCK_GUARD(&rc->cpu->lock);
	int index = run_control_index_of(rc, thread);
	if (index < 0) return RUN_CONTROL_UNKNOWN_THREAD;
	return run_control_result_of(run_control_state_read(rc, (unsigned)index, state));
}

enum run_control_result run_control_thread_set_state(struct run_control *rc, uint64_t thread,
                                                     struct cpu_state const *state)
{
	LOCK_GUARD(&rc->cpu->lock);
	int index = run_control_index_of(rc, thread);
	if (index < 0) return RUN_CONTROL_UNKNOWN_THREAD;
	struct cpu_state current;
	enum cpu_session_result r = run_control_state_read(rc, (unsigned)index, &current);
	if (r != CPU_OK) return run_control_result_of(r);
	struct cpu_state wanted = *state;
	memory_copy(wanted.dr, current.dr, sizeof(wanted.dr)); /* the debug registers are ours */
	r = run_control_state_write(rc, (unsigned)index, &wanted);
	return r == CPU_OK ? RUN_CONTROL_OK : run_control_result_of(r);
}

/* ---- the child framework's calls (entrypoint thread) -------------------------------- */

void run_control_child_exited(struct run_control *rc, int code)
{
	LOCK_GUARD(&rc->cpu->lock);
	rc->exited = true;
	rc->exit_code = code;
}

int run_control_exit_code(struct run_control *rc)
{
	LOCK_GUARD(&rc->cpu->lock);
	return rc->exited ? rc->exit_code : -1;
}

struct run_control_stats run_control_stats(struct run_control *rc)
{
	LOCK_GUARD(&rc->cpu->lock);
	return rc->stats;
}
