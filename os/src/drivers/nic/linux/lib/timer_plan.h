/* SPDX-License-Identifier: MIT */
/**
 * \brief how nic_drv's loop waits for slirp's earliest deadline: with a
 *        timerfd that is armed only when the deadline comes earlier than
 *        the one it holds (nic_slirp.c, doc/nic_drv.md)
 *
 * slirp asks for its fast timer (delayed ACKs) "in 2 ms" in every pass
 * while one is pending. A poll() timeout would arm a kernel timer in each
 * pass, which on a virtual machine is an exit to the hypervisor. The timer
 * armed once fires at the first such deadline, when slirp's 2 ms have
 * passed; a pass it wakes that finds nothing due arms it again.
 */

#ifndef _NIC_DRV_TIMER_PLAN_H_
#define _NIC_DRV_TIMER_PLAN_H_

#include <stdint.h>

#define TIMER_PLAN_NONE UINT32_MAX /* a timeout of no deadline */

/**
 * When to arm the timer for a wait of at most `timeout_ms` (TIMER_PLAN_NONE:
 * no deadline) at `now_ns`, the timer armed for `armed_ns` (0: not armed);
 * times are ns of one monotonic clock, above 0.
 *
 * \return the time to arm the timer for, or 0: leave it as it is (the wait
 *         is due already, there is no deadline, or the timer fires no later)
 */
int64_t timer_plan_arm_ns(int64_t now_ns, uint32_t timeout_ms, int64_t armed_ns);

/**
 * poll()'s timeout for a wait of at most `timeout_ms`: 0 when it is due
 * (do not sleep), otherwise -1 (sleep until an fd, the timer among them,
 * which timer_plan_arm_ns arms for any deadline).
 */
int timer_plan_poll_timeout(uint32_t timeout_ms);

#endif /* _NIC_DRV_TIMER_PLAN_H_ */
