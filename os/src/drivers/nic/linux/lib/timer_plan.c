/* SPDX-License-Identifier: MIT */
/** \brief how nic_drv's loop waits for slirp's earliest deadline (timer_plan.h) */

#include "timer_plan.h"

int64_t timer_plan_arm_ns(int64_t now_ns, uint32_t timeout_ms, int64_t armed_ns)
{
	if (timeout_ms == 0 || timeout_ms == TIMER_PLAN_NONE) return 0;
	int64_t deadline = now_ns + (int64_t)timeout_ms * 1000000;
	return armed_ns == 0 || armed_ns > deadline ? deadline : 0;
}

int timer_plan_poll_timeout(uint32_t timeout_ms) { return timeout_ms == 0 ? 0 : -1; }
