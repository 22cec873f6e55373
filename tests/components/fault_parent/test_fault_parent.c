/* SPDX-License-Identifier: MIT */
/**
 * \brief test-fault-parent: starts a test-fault whose RM session has this
 *        parent's fault handler, and reports the fault (run/fault.run)
 */

#include <base/log.h>
#include <base/panic.h>

#include "test_parent.h"

struct fault_test
{
	struct test_parent parent;
	struct child handled;
	struct signal_receiver receiver;
	struct signal_slot slots[1];
	struct signal_context context;
	struct signal_context_cap handler;
};

/* the handler is in place before the child's first instruction */
static void fault_test_prepare(void *state, struct child *child)
{
	struct fault_test *t = state;
	struct signal_context_cap handler = { cap_copy(t->handler.cap) };
	if (rm_session_fault_handler(child_rm(child), handler) != RM_OK) panic("handler refused");
}

int component_construct(struct env *env)
{
	static struct fault_test t;
	test_parent_init(&t.parent, env);
	t.handler = test_parent_receiver_init(&t.receiver, t.slots, 1, &t.context, &t);

	struct child_args args = { .name = "test-fault-handled",
		                       .binary = "test-fault",
		                       .ram_quota = 2 << 20,
		                       .policy = { .prepare = fault_test_prepare, .state = &t },
		                       .rm_override = CAP_INVALID(session),
		                       .cpu_override = CAP_INVALID(session) };
	if (child_start(&t.handled, env, &t.parent.ep, &args) != CHILD_OK) panic("handled child");
	log_info("child started");

	/* the handled child's fault: a signal, then the fault state of its RM session */
	struct rm_fault_result fault;
	for (;;) {
		fault = rm_session_fault_state(child_rm(&t.handled));
		if (fault.result != RM_OK) panic("fault_state: %d", (int)fault.result);
		if (fault.fault.kind != RM_FAULT_NONE) break;
		struct signal s = signal_receiver_wait(&t.receiver);
		if (s.result != SIGNAL_OK) panic("no signal");
	}
	log_info("fault handler: thread '%s' faulted at address 0x%lx ip 0x%lx", fault.fault.thread,
	         (unsigned long)fault.fault.address, (unsigned long)fault.fault.ip);
	thread_join(&t.parent.server); /* serves the children for good */
	return 0;
}
