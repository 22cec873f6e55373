/* SPDX-License-Identifier: MIT */
/** \brief what run_control.c and run_control_breakpoint.c share (cpu->lock held for all) */

#ifndef _GDB_MONITOR_RUN_CONTROL_PRIVATE_H_
#define _GDB_MONITOR_RUN_CONTROL_PRIVATE_H_

#include <gdb_monitor/run_control.h>

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
