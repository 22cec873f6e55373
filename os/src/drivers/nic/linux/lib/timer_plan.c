/* SPDX-License-Identifier: MIT */
/** \brief how nic_drv's loop waits for slirp's earliest deadline (timer_plan.h) */

#include "timer_plan.h"

struct timer_plan timer_plan(int64_t now_ns, uint32_t timeout_ms, int64_t armed_ns)
{
	struct timer_plan plan = { 0 };
	if (timeout_ms == 0 || timeout_ms == TIMER_PLAN_NONE) return plan;
	int64_t deadline = now_ns + (int64_t)timeout_ms * 1000000;
	if (armed_ns == 0 || armed_ns > deadline) plan.arm_ns = deadline;
	return plan;
}

int timer_plan_poll_timeout(uint32_t timeout_ms) { return timeout_ms == 0 ? 0 : -1; }
