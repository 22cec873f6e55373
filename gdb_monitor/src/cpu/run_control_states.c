/* SPDX-License-Identifier: MIT */
/**
 * \brief run control's record of each thread, core's table of the threads'
 *        status, and the threads' registers read in one `states` call
 *
 * Every function here is called with the virtual CPU's lock (cpu->lock) held.
 */

#include <base/log.h>

#include "run_control_private.h"

/* run control's state of record `index`, fresh when the record is another thread now */
struct run_control_thread_state *run_control_state_of(struct run_control *rc, unsigned index)
{
	struct run_control_thread_state *s = &rc->threads[index];
	uint64_t id = rc->cpu->threads[index].id;
	if (s->id != id) *s = (struct run_control_thread_state){ .id = id, .running = true };
	return s;
}

/* run control's state of record `i` if it is of the thread recorded there now, else NULL */
static struct run_control_thread_state *run_control_state_current(struct run_control *rc,
                                                                  unsigned i)
{
	struct run_control_thread_state *s = &rc->threads[i];
	return rc->cpu->threads[i].used && s->id == rc->cpu->threads[i].id ? s : NULL;
}

/* ---- core's table of the threads ---------------------------------------------------- */

/* core's status of every thread of the child into rc->table, from one call (a pause of
 * all if `pause`). A failed call leaves the table empty and no longer a pause's, so that
 * the next look asks core again */
bool run_control_table_get(struct run_control *rc, bool pause)
{
	struct rpc_out_buffer out = { rc->table, sizeof(rc->table), 0 };
	enum cpu_session_result r = pause ? cpu_session_pause_all(rc->cpu->real, &out)
	                                  : cpu_session_threads(rc->cpu->real, &out);
	rc->table_count = r == CPU_OK ? (unsigned)(out.size / sizeof(rc->table[0])) : 0;
	if (r == CPU_OK) return true;
	run_control_table_outdated(rc);
	log_warning("run control: core's table of the threads failed (%d)", (int)r);
	return false;
}

/* the status of thread `id` in rc->table, or NULL if core knows it no longer */
static struct cpu_thread_status const *run_control_table_find(struct run_control const *rc,
                                                              uint64_t id)
{
	for (unsigned i = 0; i < rc->table_count; i++)
		if (rc->table[i].id == id) return &rc->table[i];
	return 0;
}

/* the status of record `i`'s thread in rc->table, or NULL (no thread, or core knows it no
 * longer) */
struct cpu_thread_status const *run_control_record_status(struct run_control const *rc,
                                                          unsigned i)
{
	return rc->cpu->threads[i].used ? run_control_table_find(rc, rc->cpu->threads[i].id) : 0;
}

/* an exception that a debugger hears of (not a pause, not the end) */
static bool run_control_exception_reportable(uint32_t exception)
{
	switch (exception) {
	case CPU_EXCEPTION_STEP:
	case CPU_EXCEPTION_BREAKPOINT:
	case CPU_EXCEPTION_WATCHPOINT:
	case CPU_EXCEPTION_PAGE_FAULT:
	case CPU_EXCEPTION_ILLEGAL:
	case CPU_EXCEPTION_ARITHMETIC:
	case CPU_EXCEPTION_BUS:
		return true;
	default:
		return false;
	}
}

/* whether the thread's stop in core's table is one to classify: reportable, not seen yet */
bool run_control_table_stop_new(struct run_control *rc, unsigned index,
                                struct cpu_thread_status const *st)
{
	return st->started && st->stopped && run_control_exception_reportable(st->exception) &&
	       run_control_state_of(rc, index)->stop.reason == RUN_CONTROL_STOP_NONE;
}

/* whether record `i`'s thread shows a stop to classify in core's table */
bool run_control_record_stop_new(struct run_control *rc, unsigned i)
{
	struct cpu_thread_status const *st = run_control_record_status(rc, i);
	return st && run_control_table_stop_new(rc, i, st);
}

/* whether core's table shows a stop that run control has not classified yet, of another
 * thread than record `except` (-1: of any) */
bool run_control_table_any_new(struct run_control *rc, int except)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++)
		if ((int)i != except && run_control_record_stop_new(rc, i)) return true;
	return false;
}

/* ---- the registers ------------------------------------------------------------------ */

/* whether run control holds the registers of a stopped thread other than `index` */
static bool run_control_states_known(struct run_control *rc, unsigned index)
{
	for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX; i++) {
		struct run_control_thread_state const *s = run_control_state_current(rc, i);
		if (i != index && s && s->state_valid) return true;
	}
	return false;
}

/* read the registers of the threads at `indices` (stopped, at most CPU_STATES_MAX) in one
 * call to core (its `states`), without a copy; run control keeps those it gets */
static void run_control_states_read(struct run_control *rc, unsigned const *indices,
                                    unsigned count)
{
	uint64_t ids[CPU_STATES_MAX];
	for (unsigned k = 0; k < count; k++) ids[k] = rc->cpu->threads[indices[k]].id;
	struct rpc_out_buffer out = { rc->states, sizeof(rc->states), 0 };
	rc->stats.states_batched++;
	if (cpu_session_states(rc->cpu->real, (struct rpc_buffer){ ids, count * sizeof(ids[0]) },
	                       &out) != CPU_OK)
		return; /* the single read tells */
	unsigned got = (unsigned)(out.size / sizeof(rc->states[0]));
	for (unsigned k = 0; k < got && k < count; k++) {
		if (!rc->states[k].stopped) continue;
		struct run_control_thread_state *s = run_control_state_of(rc, indices[k]);
		s->state = rc->states[k];
		s->state_valid = true;
	}
}

/*
 * How much a `states` call wants the registers of record `i`: 0 not at all (no
 * thread, it runs or ended, or run control has a copy), else 2 before 1. After
 * a pause of all (`paused`) core's table says which threads are stopped, and a
 * stop still to classify comes first (run control takes the table in after the
 * call, so that the classification finds the registers read); else run control's
 * record says it.
 */
static unsigned run_control_states_want(struct run_control *rc, unsigned i, bool paused)
{
	if (!rc->cpu->threads[i].used) return 0;
	if (!paused) {
		struct run_control_thread_state const *s = run_control_state_current(rc, i);
		return s && s->started && !s->running && !s->state_valid ? 1 : 0;
	}
	struct cpu_thread_status const *st = run_control_record_status(rc, i);
	if (!st || !st->started || !st->stopped || st->exception == CPU_EXCEPTION_EXITED ||
	    run_control_state_of(rc, i)->state_valid)
		return 0;
	return run_control_table_stop_new(rc, i, st) ? 2 : 1;
}

/*
 * Read in one call to core the registers of `first` (-1: none) and of as many
 * further threads as the call holds, the most wanted first (see
 * run_control_states_want, `paused` as there)
 */
void run_control_states_gather(struct run_control *rc, int first, bool paused)
{
	unsigned indices[CPU_STATES_MAX] = { 0 }, count = 0;
	if (first >= 0) indices[count++] = (unsigned)first;
	for (unsigned want = 2; want > 0; want--)
		for (unsigned i = 0; i < VIRTUAL_CPU_THREADS_MAX && count < CPU_STATES_MAX; i++)
			if ((int)i != first && run_control_states_want(rc, i, paused) == want)
				indices[count++] = i;
	if (count > 0) run_control_states_read(rc, indices, count);
}

/* the stopped thread's registers: from run control's copy while it stays stopped, else
 * from core (and kept) */
enum cpu_session_result run_control_state_read(struct run_control *rc, unsigned index,
                                               struct cpu_state *state)
{
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	/*
	 * The first read of a thread without a copy while others have theirs, in a
	 * stop whose pause did not bring them all (more threads than a call holds),
	 * brings up to CPU_STATES_MAX - 1 further ones without a copy along: a
	 * debugger that looks at two threads looks at all of them
	 */
	if (!s->state_valid && run_control_states_known(rc, index))
		run_control_states_gather(rc, (int)index, false);
	if (s->state_valid) {
		*state = s->state;
		return CPU_OK;
	}
	rc->stats.states_single++;
	enum cpu_session_result r =
	    cpu_session_state(rc->cpu->real, rc->cpu->threads[index].cap, state);
	if (r == CPU_OK) s->state = *state, s->state_valid = true;
	return r;
}

/* write the stopped thread's registers at core; the copy follows (core's read-only
 * fields as they were) */
enum cpu_session_result run_control_state_write(struct run_control *rc, unsigned index,
                                                struct cpu_state const *state)
{
	struct run_control_thread_state *s = run_control_state_of(rc, index);
	enum cpu_session_result r =
	    cpu_session_set_state(rc->cpu->real, rc->cpu->threads[index].cap, *state);
	if (r != CPU_OK || !s->state_valid) {
		s->state_valid = false;
		return r;
	}
	struct cpu_state kept = s->state;
	s->state = *state;
	s->state.exception = kept.exception;
	s->state.stopped = kept.stopped;
	s->state.fault_address = kept.fault_address;
	return r;
}
