/* SPDX-License-Identifier: MIT */
/** \brief test-fault-parent: starts test-fault and test-counter and serves them (run/fault.run)
 */

#include <base/log.h>

#include "test_parent.h"

int component_construct(struct env *env)
{
	static struct test_parent parent;
	static struct child fault, counter;
	test_parent_init(&parent, env);
	test_parent_start_child(&parent, &counter, "test-counter", 2 << 20, 0);
	test_parent_start_child(&parent, &fault, "test-fault", 2 << 20, 0);
	log_info("children started");
	thread_join(&parent.server); /* serves the children for good */
	return 0;
}
