/* SPDX-License-Identifier: MIT */
/**
 * \brief test-counter: prints a count every COUNTER_PERIOD_US, forever, to
 *        show that it keeps running while a sibling is stopped at a fault
 *        (run/fault.run) or takes all of its quota (run/quota.run)
 *
 * The pause between lines is a sleep on a Timer session, so the counter
 * takes no CPU time from the siblings that the scenarios are about. Without
 * a Timer session, or when a sleep fails, it says so with an error line
 * (which fails the scenario) and exits with 1.
 */

#include <base/env.h>
#include <base/log.h>
#include <timer_session/connection.h>

enum { COUNTER_PERIOD_US = 100 * 1000 };

int component_construct(struct env *env)
{
	struct timer_connection timer; /* stays here: this function does not return while open */
	if (timer_connection_init(&timer, env, NULL) != TIMER_CONNECTION_OK) {
		log_error("no Timer session");
		return 1;
	}
	for (unsigned count = 1;; count++) {
		log_info("count %u", count);
		enum timer_session_result r = timer_connection_sleep_us(&timer, COUNTER_PERIOD_US);
		if (r != TIMER_OK) {
			log_error("sleep failed: %d", (int)r);
			timer_connection_destroy(&timer);
			return 1;
		}
	}
}
