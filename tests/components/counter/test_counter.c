/* SPDX-License-Identifier: MIT */
/**
 * \brief test-counter: prints a count now and then, forever, to show that it
 *        keeps running while a sibling is stopped at a fault (run/fault.run)
 *
 * There is no timer service yet: the pause between lines is a spin.
 */

#include <base/env.h>
#include <base/log.h>

int component_construct(struct env *env)
{
	(void)env;
	for (unsigned count = 1;; count++) {
		log_info("count %u", count);
		for (unsigned long i = 0; i < 20000000ul; i++) __asm__ volatile("pause");
	}
	return 0;
}
