/* SPDX-License-Identifier: MIT */
/**
 * \brief what run_control.c, run_control_states.c and run_control_breakpoint.c
 *        share (cpu->lock held for all)
 */

#ifndef _GDB_MONITOR_RUN_CONTROL_PRIVATE_H_
#define _GDB_MONITOR_RUN_CONTROL_PRIVATE_H_

#include <gdb_monitor/run_control.h>

/* ---- run_control_states.c: thread records, core's table, the registers -------------- */

/** run control's state of record `index`, fresh when the record is another thread now */
struct run_control_thread_state *run_control_state_of(struct run_control *rc, unsigned index);

/**
 * core's status of every thread into rc->table, from one call (a pause of all if
 * `pause`): true if core answered; else false, logged, the table empty and outdated
 */
bool run_control_table_get(struct run_control *rc, bool pause);
/** core's table (of a pause or of a look) says no more what the threads do: they were
 * resumed, or the look failed; the next look asks core */
void run_control_table_outdated(struct run_control *rc);
/** record `i`'s status in rc->table, or NULL (no thread, or core knows it no longer) */
struct cpu_thread_status const *run_control_record_status(struct run_control const *rc,
                                                          unsigned i);
/** whether the thread's stop in core's table is one to classify: reportable, not seen yet */
bool run_control_table_stop_new(struct run_control *rc, unsigned index,
                                struct cpu_thread_status const *st);
/** whether record `i`'s thread shows a stop to classify in core's table */
bool run_control_record_stop_new(struct run_control *rc, unsigned i);
/** whether core's table shows a stop not classified yet, of a record but `except` (-1: any) */
bool run_control_table_any_new(struct run_control *rc, int except);

/**
 * read in one `states` call the registers of `first` (-1: none) and of as many others
 * as fit, the most wanted first: with `paused`, chosen by core's table (stops still to
 * classify first); else by run control's records
 */
void run_control_states_gather(struct run_control *rc, int first, bool paused);
/** the stopped thread's registers: from run control's copy, else from core (and kept) */
enum cpu_session_result run_control_state_read(struct run_control *rc, unsigned index,
                                               struct cpu_state *state);
/** write the stopped thread's registers at core; the copy follows */
enum cpu_session_result run_control_state_write(struct run_control *rc, unsigned index,
                                                struct cpu_state const *state);

/* ---- run_control_breakpoint.c: breakpoints, watchpoints, the debug-register plan ---- */

/** the inserted software breakpoint at `address`, or NULL */
struct run_control_breakpoint *run_control_breakpoint_find(struct run_control *rc,
                                                           uint64_t address);

/** whether a software or hardware breakpoint is inserted at `address` */
bool run_control_point_at(struct run_control *rc, uint64_t address);
/** the watchpoint that the debug-register slot hit belongs to, or NULL */
struct run_control_watchpoint *
run_control_watchpoint_of(struct run_control *rc, struct debug_register_slot const *slot);

/**
 * Put the original byte of a breakpoint back into the child's memory; its
 * address counts as removed from now on (run_control_breakpoint_removed).
 */
void run_control_breakpoint_restore(struct run_control *rc,
                                    struct run_control_breakpoint const *breakpoint);

/**
 * Whether an int3 trap at `address` is stale: a software breakpoint was
 * removed there lately and the byte is no int3 now.
 */
bool run_control_breakpoint_removed(struct run_control *rc, uint64_t address);

/**
 * Whether the point that `stop` names (a software or hardware breakpoint, a
 * watchpoint) is inserted now; true for stops of every other reason.
 */
bool run_control_stop_current(struct run_control *rc, struct run_control_stop const *stop);

/**
 * Write the debug-register plan into `state` (dr0-3, dr7), returning
 * whether it differed. dr6 is left as it is: a hit whose trap has not
 * arrived yet (the thread was paused in between) is named there only.
 */
bool run_control_debug_apply(struct run_control const *rc, struct cpu_state *state);

/** drop every breakpoint and watchpoint (restoring the child's bytes) */
void run_control_points_clear(struct run_control *rc);

#endif /* _GDB_MONITOR_RUN_CONTROL_PRIVATE_H_ */
